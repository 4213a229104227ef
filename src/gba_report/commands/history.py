"""``gba-report history``: rewrite ``report/build/index.html`` and list the kept builds."""

from __future__ import annotations

import argparse
import sys

from gba_report.commands import add_builds_option, builds_folder
from gba_report.engine import history
from gba_report.engine.index import write_history_index

HELP = "rewrite report/build/index.html (build history)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``gba-report history``.

    Args:
        parser: The sub-command's parser.
    """
    add_builds_option(parser)
    parser.add_argument("--quiet", action="store_true", help="print only the page's path")


def run(args: argparse.Namespace) -> int:
    """Rewrite the build history page and print one line per kept build.

    Args:
        args: Parsed options.

    Returns:
        0, or 1 when there is no builds folder yet.
    """
    root = builds_folder(args)
    index = write_history_index(root)
    if index is None:
        print(f"gba-report history: no builds folder at {root}; run `make report`", file=sys.stderr)
        return 1
    if not args.quiet:
        previous = None
        for build in history.list_builds(root):
            summary = "-"
            if build.ok and build.manifest is not None:
                summary = history.summarize_changes(
                    history.compare_manifests(previous, build.manifest)
                )
                previous = build.manifest
            mark = " <- latest" if build.is_latest else ""
            version = (build.manifest or {}).get("data_version") or "-"
            print(f"{build.name}  {build.status:<10} data {version}  {summary}{mark}")
    print(index)
    return 0
