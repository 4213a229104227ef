"""``gba-report build``: execute the report notebooks and export HTML / A4 PDF."""

from __future__ import annotations

import argparse

from gba_report.commands import run_engine
from gba_report.engine import exitcodes, options
from gba_report.engine.build import run_build
from gba_report.engine.progress import Progress

HELP = "execute the report notebooks and export HTML/PDF"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gba-report build`` to ``parser``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = exitcodes.epilog(exitcodes.BUILD)
    options.add_arguments(parser)
    parser.add_argument("--quiet", "-q", action="store_true", help="print errors only")


def run(args: argparse.Namespace) -> int:
    """Run the build; return its exit code."""
    progress = Progress(quiet=args.quiet)
    result = run_engine(
        args,
        progress,
        lambda: run_build(options.from_namespace(args), progress),
        "build interrupted: workers stopped, temporary files removed, `latest` unchanged",
    )
    if isinstance(result, int):
        return result
    if not args.quiet:
        print(
            f"published {result.build_dir} ({result.runs} report x language runs, "
            f"{result.cached} from cache); latest -> {result.run_id}"
        )
    return exitcodes.OK
