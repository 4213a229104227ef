"""``gba-report build``: execute the report notebooks and export HTML / A4 PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gba_report.engine.build import (
    EXIT_CODES,
    EXIT_OK,
    BuildError,
    BuildInterrupted,
    BuildOptions,
    run_build,
)
from gba_report.engine.progress import Progress


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gba-report build`` to ``parser``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "exit codes:\n" + "\n".join(
        f"  {code:>3}  {text}" for code, text in EXIT_CODES.items()
    )
    parser.add_argument(
        "reports", nargs="*", metavar="REPORT", help="reports to build (default: all)"
    )
    parser.add_argument(
        "--lang",
        action="append",
        metavar="LANG",
        help="en, zh-Hant or all (default: all; repeat or comma-separate for several)",
    )
    parser.add_argument(
        "--format",
        action="append",
        metavar="FMT",
        dest="formats",
        help="html, pdf or a comma-separated list (default: html,pdf)",
    )
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="params",
        help="set a parameter (REPORT.NAME=VALUE for one report only); repeatable. "
        "Lists: comma-separated; booleans: true/false/yes/no/1/0",
    )
    parser.add_argument(
        "--params",
        type=Path,
        metavar="FILE.yml",
        dest="params_file",
        help="YAML file of parameters (NAME: VALUE, or REPORT: {NAME: VALUE}); -p wins",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="builds folder holding <run id>/ and latest (default: report/build)",
    )
    parser.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="reports run in parallel (default: CPU count)"
    )
    parser.add_argument(
        "--force", action="store_true", help="re-execute and re-export, ignoring the cache"
    )
    parser.add_argument(
        "--cell-timeout",
        type=float,
        metavar="S",
        help="stop a report when one cell runs longer than S seconds (default: reports.yml)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print errors only")


def run(args: argparse.Namespace) -> int:
    """Run the build; return its exit code."""
    opts = BuildOptions(
        reports=list(args.reports or []),
        langs=args.lang,
        formats=args.formats,
        params=list(args.params or []),
        params_file=args.params_file,
        out=args.out,
        jobs=args.jobs,
        force=args.force,
        cell_timeout=args.cell_timeout,
        quiet=args.quiet,
    )
    progress = Progress(quiet=args.quiet)
    try:
        result = run_build(opts, progress)
    except BuildError as exc:
        progress.error(str(exc))
        return exc.code
    except BuildInterrupted as exc:
        progress.error(
            "build interrupted: workers stopped, temporary files removed, `latest` unchanged"
        )
        return exc.code
    if not args.quiet:
        reports = result.manifest["reports"]
        runs = [info for r in reports.values() for info in r["langs"].values()]
        cached = sum(info["cached"] for info in runs)
        print(
            f"published {result.build_dir} ({len(runs)} report x language runs, "
            f"{cached} from cache); latest -> {result.run_id}",
            file=sys.stdout,
        )
    return EXIT_OK
