"""The ``gba-report`` command line: one sub-command per module in :mod:`gba_report.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: sub-command -> (module implementing it, one-line help). Each module defines
#: ``add_arguments(parser)`` and ``run(args) -> int`` (the exit code).
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("gba_report.commands.validate", "check every dataset and its metadata sidecar"),
    "list": ("gba_report.commands.list_reports", "list the reports and their parameters"),
    "build": ("gba_report.commands.build", "execute the report notebooks and export HTML/PDF"),
    "scheduled": (
        "gba_report.commands.scheduled",
        "unattended build for cron/systemd: lock, log, prune, history",
    ),
    "history": ("gba_report.commands.history", "rewrite report/build/index.html (build history)"),
}


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="gba-report",
        description="Build and check the GBA innovation reports (English / Traditional Chinese).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # not implemented yet
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gba-report`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("gba-report: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
