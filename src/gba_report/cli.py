"""The ``gba-report`` command line: one sub-command per module in :mod:`gba_report.commands`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gba_report.commands import (
    build,
    cache,
    history,
    list_reports,
    publish,
    reproduce,
    scheduled,
    validate,
)

#: sub-command -> module. Each module defines ``HELP`` (one line), ``add_arguments(parser)``
#: and ``run(args) -> int`` (the exit code).
COMMANDS = {
    "validate": validate,
    "list": list_reports,
    "build": build,
    "publish": publish,
    "scheduled": scheduled,
    "history": history,
    "cache": cache,
    "reproduce": reproduce,
}


DEBUG_HELP = "also print the traceback of a handled error (for developers)"


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="gba-report",
        description="Build and check the GBA innovation reports (English / Traditional Chinese).",
    )
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        # Also after the sub-command; SUPPRESS keeps a --debug given before it.
        cmd.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
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
