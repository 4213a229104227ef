"""``gba-report publish PART_DIR ...``: join the parts of a sharded build into one build."""

from __future__ import annotations

import argparse
from pathlib import Path

from gba_report.commands import add_builds_option, builds_folder, show_traceback
from gba_report.engine import exitcodes
from gba_report.engine.errors import BuildError
from gba_report.engine.parts import publish_parts
from gba_report.engine.progress import Progress

HELP = "publish the parts of a sharded build (build --shard I/N) as one build"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gba-report publish`` to ``parser``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = (
        "The parts must come from the same plan (same code, lock, data, template, languages,\n"
        "formats, reports, variants and parameters) and together hold every job once.\n"
        "Exit codes: 0 published; 2 the parts do not make one build (nothing published);\n"
        "4 could not publish."
    )
    parser.add_argument("parts", nargs="+", type=Path, metavar="PART_DIR", help="part folders")
    add_builds_option(parser, "builds folder holding <run id>/ and latest")
    parser.add_argument("--quiet", "-q", action="store_true", help="print errors only")


def run(args: argparse.Namespace) -> int:
    """Check and publish the parts; return the exit code."""
    progress = Progress(quiet=args.quiet)
    builds = builds_folder(args, resolve=True)
    try:
        final, built = publish_parts(args.parts, builds)
    except BuildError as exc:
        show_traceback(args, exc)
        progress.error(str(exc))
        return exc.code
    if not args.quiet:
        runs = sum(len(r["langs"]) for r in built.reports.values())
        print(
            f"published {final} ({runs} report x language runs from {len(args.parts)} parts); "
            f"latest -> {final.name}"
        )
    return exitcodes.OK
