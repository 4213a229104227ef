"""``gba-report scheduled``: one unattended build for cron, systemd or CI (lock, log, prune)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from gba_report.engine import schedule


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``gba-report scheduled``.

    Args:
        parser: The sub-command's parser.
    """
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "exit codes:\n" + "\n".join(
        f"  {code:>3}  {text}" for code, text in sorted(schedule.EXIT_CODES.items())
    )
    build = parser.add_argument_group("passed through to gba-report build")
    build.add_argument("reports", nargs="*", metavar="REPORT", help="reports to build (all)")
    build.add_argument("--lang", help="en, zh-Hant or all (the build's default)")
    build.add_argument("--format", dest="formats", help="html,pdf (the build's default)")
    build.add_argument(
        "-p",
        "--param",
        dest="params",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="report parameter (repeatable)",
    )
    build.add_argument("--params", dest="params_file", metavar="FILE.yml", help="parameter file")
    build.add_argument("--jobs", type=_positive_int, help="parallel kernels")
    build.add_argument("--force", action="store_true", help="ignore the execution cache")
    build.add_argument("--cell-timeout", type=_non_negative, metavar="S", help="per-cell limit")
    build.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="builds folder: the lock, log, pruning and history live there too "
        "(default: report/build, or GBA_REPORT_BUILD_DIR)",
    )

    run = parser.add_argument_group("scheduling")
    run.add_argument(
        "--keep",
        type=_positive_int,
        default=schedule.DEFAULT_KEEP,
        metavar="N",
        help="keep the newest N builds, never the one latest points at (default %(default)s)",
    )
    run.add_argument("--no-prune", action="store_true", help="keep every build")
    run.add_argument(
        "--wait",
        type=_non_negative,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another run's lock, then exit 75 (default %(default)g)",
    )
    run.add_argument(
        "--timeout",
        type=_non_negative,
        default=0.0,
        metavar="SECONDS",
        help="stop the build after this long and exit 1 (default 0: no limit)",
    )
    run.add_argument(
        "--as-of",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="judge data freshness (publishers' release calendars) as of this date "
        "(default: today)",
    )
    run.add_argument(
        "--prune-only", action="store_true", help="do not build; only prune and rewrite history"
    )

    log = parser.add_argument_group("logging")
    log.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="log file (default report/build/logs/scheduled.log)",
    )
    log.add_argument(
        "--log-max-bytes",
        type=_positive_int,
        default=schedule.DEFAULT_LOG_MAX_BYTES,
        metavar="BYTES",
        help="rotate the log at this size (default %(default)s)",
    )
    log.add_argument(
        "--log-backups",
        type=int,
        default=schedule.DEFAULT_LOG_BACKUPS,
        metavar="N",
        help="rotated log files kept (default %(default)s)",
    )
    log.add_argument(
        "--quiet", action="store_true", help="only warnings and errors on stderr (cron mail)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``gba-report scheduled``.

    Args:
        args: Parsed options.

    Returns:
        One of the ``schedule.EXIT_*`` codes.
    """
    options = schedule.ScheduledOptions(
        reports=list(args.reports),
        lang=args.lang,
        formats=args.formats,
        params=list(args.params),
        params_file=args.params_file,
        jobs=args.jobs,
        force=args.force,
        cell_timeout=args.cell_timeout,
        keep=0 if args.no_prune else args.keep,
        wait=args.wait,
        timeout=args.timeout,
        log_file=args.log,
        log_max_bytes=args.log_max_bytes,
        log_backups=max(args.log_backups, 0),
        as_of=args.as_of,
        prune_only=args.prune_only,
        quiet=args.quiet,
        builds_root=args.out,
    )
    return schedule.run_scheduled(options)
