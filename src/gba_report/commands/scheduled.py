"""``gba-report scheduled``: one unattended build for cron, systemd or CI (lock, log, prune)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from gba_report.engine import exitcodes, options, schedule

HELP = "unattended build for cron/systemd: lock, log, prune, history"


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
    parser.epilog = exitcodes.epilog(exitcodes.SCHEDULED)
    options.add_arguments(
        parser.add_argument_group(
            "passed through to gba-report build",
            "--out is also where the lock, the log, pruning and the history page live",
        )
    )

    run = parser.add_argument_group("scheduling")
    run.add_argument(
        "--keep",
        type=options.positive_int,
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
        type=options.positive_int,
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
        One of the codes of :data:`gba_report.engine.exitcodes.SCHEDULED`.
    """
    scheduled = schedule.ScheduledOptions(
        build=options.from_namespace(args),
        keep=0 if args.no_prune else args.keep,
        wait=args.wait,
        timeout=args.timeout,
        log_file=args.log,
        log_max_bytes=args.log_max_bytes,
        log_backups=max(args.log_backups, 0),
        as_of=args.as_of,
        prune_only=args.prune_only,
        quiet=args.quiet,
    )
    return schedule.run_scheduled(scheduled)
