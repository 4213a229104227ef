"""Unattended builds for cron, systemd and CI: lock, log, build, prune, history, freshness.

``gba-report scheduled`` (and ``scripts/scheduled_build.sh``, its thin shell wrapper) runs one
build the way an operator wants it to run at 06:00 with nobody watching:

* **One at a time.** An exclusive ``fcntl.flock`` on ``report/build/.scheduled.lock``. A second
  run waits up to ``--wait`` seconds, then exits with :data:`EXIT_LOCKED` (75, ``EX_TEMPFAIL``)
  and says which process holds the lock. The kernel drops the lock when the holder dies, so a
  crashed run never leaves a stale lock behind.
* **Logged.** Every line (ours and the build's own output) goes to a rotating log file
  (``report/build/logs/scheduled.log`` by default) and to stderr.
* **The build itself** is ``gba-report build`` run as a child process with the options passed
  through, its stdin closed, its output copied line by line into the log. A child process keeps
  the scheduler alive to log, prune and release the lock whatever happens inside the build
  (kernel crash, out of memory) and lets SIGTERM from systemd be forwarded to it.
  ``GBA_REPORT_SCHEDULED_BUILD_CMD`` (for tests) replaces it with a shell command.
* **Housekeeping** after the build: prune to the newest ``--keep`` builds (never the one
  ``latest`` points at, never a build in progress), rewrite ``report/build/index.html``.
* **Freshness**: a WARNING per release that the publishers' calendars say should exist but
  that is not in the data (``gba_report.data.freshness``; ``--as-of`` sets the date).

Exit codes (for monitoring) are the ``EXIT_*`` constants below.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import logging
import logging.handlers
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from gba_report import data, paths
from gba_report.engine import history

#: The build was published (or, with ``--prune-only``, housekeeping done); all is well.
EXIT_OK = 0
#: The build failed (or timed out); ``latest`` still points at the previous good build.
EXIT_BUILD_FAILED = 1
#: Bad command-line options (argparse's own code).
EXIT_USAGE = 2
#: The build was published but pruning or rewriting the history page failed.
EXIT_HOUSEKEEPING_FAILED = 3
#: Another scheduled run holds the lock (``EX_TEMPFAIL`` from sysexits.h): try again later.
EXIT_LOCKED = 75
#: The environment is not usable (no ``.venv``, builds folder not writable): ``EX_CONFIG``.
EXIT_CONFIG = 78
#: Interrupted by SIGINT (Ctrl-C) or SIGTERM (``systemctl stop``): 128 + signal number.
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

#: Human-readable meaning of each exit code (printed by ``gba-report scheduled --help``).
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "build published (or --prune-only done), old builds pruned, history rewritten",
    EXIT_BUILD_FAILED: "build failed or timed out; latest still points at the last good build",
    EXIT_USAGE: "bad command-line options, or the build rejected a report name or parameter",
    EXIT_HOUSEKEEPING_FAILED: "build published, but pruning or the history page failed",
    EXIT_LOCKED: "another scheduled run holds the lock (EX_TEMPFAIL); nothing was done",
    EXIT_CONFIG: "environment not usable: no .venv, no Chromium for PDFs, unwritable builds folder",
    EXIT_INTERRUPTED: "interrupted (SIGINT); the build was stopped, latest unchanged",
    EXIT_TERMINATED: "terminated (SIGTERM); the build was stopped, latest unchanged",
}

#: Exit codes of ``gba-report build`` (:data:`gba_report.engine.build.EXIT_CODES`) that keep their
#: meaning here; every other failure of the build is :data:`EXIT_BUILD_FAILED`.
BUILD_EXIT_MAP: dict[int, int] = {2: EXIT_USAGE, 3: EXIT_CONFIG}
#: What the build's own exit codes mean, for the log.
BUILD_EXIT_MEANINGS: dict[int, str] = {
    1: "a report failed",
    2: "bad usage: unknown report or language, or a bad parameter",
    3: "PDF requested but no Chromium found",
    4: "the build could not be published",
    130: "the build was interrupted",
    143: "the build was terminated",
    -9: "the build was killed (SIGKILL, e.g. out of memory)",
}

#: Environment variable replacing the build command by a shell command (tests, dry runs).
BUILD_CMD_ENV = "GBA_REPORT_SCHEDULED_BUILD_CMD"

#: Name of the lock file inside the builds folder.
LOCK_NAME = ".scheduled.lock"

#: Default number of builds kept by pruning.
DEFAULT_KEEP = 10
#: Default size of the log file before rotation, and number of rotated files kept.
DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_LOG_BACKUPS = 5

LOGGER_NAME = "gba_report.scheduled"

#: Seconds a build asked to stop (SIGTERM, --timeout) gets to clean up before SIGKILL.
STOP_GRACE_S = 60.0


@dataclass
class ScheduledOptions:
    """Options of one scheduled run (what ``gba-report scheduled`` parses).

    Attributes:
        reports: Report names to build (empty: every report).
        lang: ``--lang`` passed to the build (None: the build's default).
        formats: ``--format`` passed to the build (None: the build's default).
        params: ``-p NAME=VALUE`` items passed to the build.
        params_file: ``--params FILE.yml`` passed to the build.
        jobs: ``--jobs`` passed to the build.
        force: ``--force`` passed to the build.
        cell_timeout: ``--cell-timeout`` passed to the build.
        keep: Number of builds kept by pruning (0: do not prune).
        wait: Seconds to wait for the lock before giving up with :data:`EXIT_LOCKED`.
        timeout: Seconds after which the build is stopped (0: no limit).
        log_file: The rotating log file (None: ``report/build/logs/scheduled.log``).
        log_max_bytes: Size at which the log rotates.
        log_backups: Rotated log files kept.
        as_of: Date freshness is judged by (None: today).
        prune_only: Skip the build; only prune and rewrite the history page.
        quiet: Only warnings and errors on stderr (the log file still gets everything).
        builds_root: Builds folder, passed to the build as ``--out`` (None:
            :func:`gba_report.paths.builds_dir`, which the build uses by default too).
    """

    reports: list[str] = field(default_factory=list)
    lang: str | None = None
    formats: str | None = None
    params: list[str] = field(default_factory=list)
    params_file: str | None = None
    jobs: int | None = None
    force: bool = False
    cell_timeout: float | None = None
    keep: int = DEFAULT_KEEP
    wait: float = 0.0
    timeout: float = 0.0
    log_file: Path | None = None
    log_max_bytes: int = DEFAULT_LOG_MAX_BYTES
    log_backups: int = DEFAULT_LOG_BACKUPS
    as_of: dt.date | None = None
    prune_only: bool = False
    quiet: bool = False
    builds_root: Path | None = None


class LockBusy(Exception):
    """Raised by :func:`scheduled_lock` when another process holds the lock after the wait."""

    def __init__(self, path: Path, holder: str, waited: float):
        super().__init__(f"{path} is held by {holder or 'another process'}")
        self.path, self.holder, self.waited = path, holder, waited


@contextlib.contextmanager
def scheduled_lock(lock_path: Path, wait: float = 0.0, poll: float = 0.2) -> Iterator[TextIO]:
    """Hold an exclusive ``flock`` on ``lock_path`` for the duration of the ``with`` block.

    The lock file records the holder (pid, host, start time) so a waiting run can say who
    holds it. The file itself is never deleted: deleting a flock file races with waiters.

    Args:
        lock_path: The lock file (created when missing).
        wait: Seconds to keep trying before raising :class:`LockBusy` (0: try once).
        poll: Seconds between attempts.

    Raises:
        LockBusy: The lock is still held after ``wait`` seconds.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip()
                    raise LockBusy(lock_path, holder, time.monotonic() - start) from None
                time.sleep(min(poll, max(deadline - time.monotonic(), 0.01)))
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"pid {os.getpid()} on {os.uname().nodename} since "
            f"{datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
        )
        handle.flush()
        try:
            yield handle
        finally:
            with contextlib.suppress(OSError):
                handle.seek(0)
                handle.truncate()
                handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


class _UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", self.converter(record.created))


def setup_logging(
    log_file: Path,
    max_bytes: int = DEFAULT_LOG_MAX_BYTES,
    backups: int = DEFAULT_LOG_BACKUPS,
    quiet: bool = False,
) -> logging.Logger:
    """Configure the scheduled-run logger: a rotating file plus stderr.

    Args:
        log_file: The log file (its folder is created).
        max_bytes: Size at which the file rotates (``scheduled.log.1`` ...).
        backups: Rotated files kept.
        quiet: Only warnings and errors on stderr.

    Returns:
        The configured logger (handlers from an earlier call are replaced).
    """
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    fmt = _UTCFormatter(f"%(asctime)s [pid {os.getpid()}] %(levelname)s %(message)s")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    file_handler.setFormatter(fmt)
    logger.addHandler(file_handler)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(fmt)
    console.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.addHandler(console)
    return logger


def prune_builds(builds_root: Path, keep: int, logger: logging.Logger | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` builds; never the one ``latest`` points at.

    Exactly ``keep`` builds remain when there were at least that many: when ``latest`` points
    at an older build, that build and the newest ``keep - 1`` others are kept. Temporary
    folders of builds in progress (``.tmp-*``), ``logs/`` and anything that is not a build
    folder are never touched. The notebooks the engine keeps from failed builds
    (``failed/<run id>/``) are pruned to the newest ``keep`` too.

    Args:
        builds_root: Folder holding the build folders.
        keep: Number of builds to keep (at least 1).
        logger: Where to log each deletion.

    Returns:
        The folders that were deleted, oldest first.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    builds = history.list_builds(builds_root)
    latest = history.latest_target(builds_root)
    newest_first = list(reversed(builds))
    kept: list[history.BuildInfo] = [b for b in newest_first if b.is_latest]
    for build in newest_first:
        if len(kept) >= keep:
            break
        if not build.is_latest:
            kept.append(build)
    kept_paths = {b.path for b in kept}
    removed = []
    for build in builds:
        if build.path in kept_paths:
            continue
        if latest is not None and build.path.resolve() == latest:  # belt and braces
            continue
        # Rename first (atomic), then delete: a reader never sees a half-deleted build under a
        # build name, and an interrupted deletion leaves only a hidden .tmp-prune-* folder.
        doomed = builds_root / f".tmp-prune-{build.name}"
        try:
            build.path.rename(doomed)
        except OSError as exc:
            if logger:
                logger.warning("prune: could not remove %s: %s", build.path, exc)
            continue
        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(build.path)
        if logger:
            logger.info("prune: removed old build %s (%s)", build.name, build.status)
    # The engine keeps the notebooks of failed builds in failed/<run id>/: keep the newest few.
    failed_root = builds_root / "failed"
    if failed_root.is_dir():
        failed = sorted(
            (
                p
                for p in failed_root.iterdir()
                if p.is_dir() and history.BUILD_NAME_RE.match(p.name)
            ),
            key=lambda p: p.name,
        )
        for old_failure in failed[: max(len(failed) - keep, 0)]:
            shutil.rmtree(old_failure, ignore_errors=True)
            if logger:
                logger.info("prune: removed failed-build notebooks %s", old_failure.name)
    # Leftovers of interrupted deletions (never a build in progress: those are .tmp-<other>).
    for leftover in builds_root.glob(".tmp-prune-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return removed


def check_freshness(logger: logging.Logger, today: dt.date | None = None) -> list[str]:
    """Log a WARNING for each release expected to exist but missing from the data.

    Uses ``gba_report.data.freshness_warnings`` (DATA: the publishers' release calendars); a
    calendar that cannot be read is itself one of the warning lines.

    Args:
        logger: Where to log.
        today: Date to judge by (default: today).

    Returns:
        The warnings.
    """
    warnings = data.freshness_warnings(today=today)
    for line in warnings:
        logger.warning("freshness: %s", line)
    if not warnings:
        logger.info("freshness: no newer release is due that the data lacks")
    return warnings


def build_command(options: ScheduledOptions) -> list[str]:
    """Return the command that runs the build with the options passed through.

    Args:
        options: The scheduled run's options.
    """
    args: list[str] = []
    if options.lang:
        args += ["--lang", options.lang]
    if options.formats:
        args += ["--format", options.formats]
    for item in options.params:
        args += ["-p", item]
    if options.params_file:
        args += ["--params", options.params_file]
    if options.jobs:
        args += ["--jobs", str(options.jobs)]
    if options.force:
        args.append("--force")
    if options.cell_timeout:
        args += ["--cell-timeout", f"{options.cell_timeout:g}"]
    if options.builds_root is not None:
        args += ["--out", str(Path(options.builds_root).expanduser().absolute())]
    args += list(options.reports)
    stub = os.environ.get(BUILD_CMD_ENV)
    if stub:
        # The stub sees the pass-through options as "$@".
        return ["/bin/sh", "-c", stub, "gba-report-build", *args]
    return [sys.executable, "-m", "gba_report.cli", "build", *args]


def _pump(stream: Any, logger: logging.Logger) -> None:
    for raw in iter(stream.readline, ""):
        line = raw.rstrip("\n")
        if line.strip():
            logger.info("build | %s", line)
    stream.close()


def run_build(
    command: Sequence[str], logger: logging.Logger, timeout: float = 0.0
) -> tuple[int, str | None]:
    """Run the build command, copying its output into the log; forward SIGTERM/SIGINT.

    Args:
        command: The command (see :func:`build_command`).
        logger: Where the build's output goes, line by line.
        timeout: Seconds after which the build is stopped (0: no limit).

    Returns:
        ``(exit code of the build, reason)`` where reason is None, ``"timeout"``, ``"SIGTERM"``
        or ``"SIGINT"``.
    """
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    proc = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        start_new_session=True,  # its own process group: we decide when it gets signals
    )
    pump = threading.Thread(target=_pump, args=(proc.stdout, logger), daemon=True)
    pump.start()
    reason: list[str] = []
    kill_at: list[float] = []  # when a build asked to stop gets SIGKILL

    def _terminate(grace: float) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        kill_at.append(time.monotonic() + grace)

    def _stop(signum: int, _frame: Any) -> None:
        name = signal.Signals(signum).name
        logger.error("received %s: stopping the build (pid %d)", name, proc.pid)
        if not reason:
            reason.append(name)
            _terminate(STOP_GRACE_S)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, _stop)
    try:
        deadline = time.monotonic() + timeout if timeout > 0 else None
        while True:
            try:
                returncode = proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if deadline is not None and now >= deadline and not reason:
                    reason.append("timeout")
                    logger.error("build exceeded --timeout %gs: stopping it", timeout)
                    _terminate(STOP_GRACE_S)
                if kill_at and now >= kill_at[0]:
                    logger.error("build still running %gs after SIGTERM: SIGKILL", STOP_GRACE_S)
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    kill_at[0] = float("inf")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    pump.join(timeout=10)
    return returncode, (reason[0] if reason else None)


def _describe_latest(builds_root: Path, logger: logging.Logger) -> None:
    target = history.latest_target(builds_root)
    if target is None:
        logger.warning("no build is marked latest under %s", builds_root)
        return
    manifest = history.read_manifest(target)
    if manifest is None:
        logger.warning("latest (%s) has no readable manifest.json", target.name)
        return
    changes = history.compare_manifests(
        history.previous_manifest(builds_root, exclude=target), manifest
    )
    logger.info(
        "published %s (run %s, data version %s): %s",
        target.name,
        manifest.get("run_id"),
        manifest.get("data_version"),
        history.summarize_changes(changes),
    )
    for item in changes["key_figures"]:
        logger.info(
            "changed key figure %s/%s %s: %s -> %s",
            item["report"],
            item["lang"],
            item["key"],
            item["old"],
            item["new"],
        )


def run_scheduled(options: ScheduledOptions) -> int:
    """Run one unattended build: lock, log, freshness, build, prune, history.

    Args:
        options: What to build and how (see :class:`ScheduledOptions`).

    Returns:
        One of the ``EXIT_*`` codes of this module.
    """
    builds_root = Path(options.builds_root or paths.builds_dir()).expanduser().absolute()
    try:
        builds_root.mkdir(parents=True, exist_ok=True)
        log_file = options.log_file or builds_root / "logs" / "scheduled.log"
        logger = setup_logging(log_file, options.log_max_bytes, options.log_backups, options.quiet)
    except OSError as exc:
        print(f"gba-report scheduled: cannot use {builds_root}: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    started = time.monotonic()
    try:
        with scheduled_lock(builds_root / LOCK_NAME, wait=options.wait):
            logger.info(
                "scheduled run started (pid %d, builds in %s, log %s)",
                os.getpid(),
                builds_root,
                log_file,
            )
            code = _locked_run(options, builds_root, logger)
    except LockBusy as busy:
        logger.error(
            "another scheduled run holds the lock (%s; waited %.0fs of --wait %gs): "
            "nothing done, exit %d. Try again later.",
            busy.holder or busy.path,
            busy.waited,
            options.wait,
            EXIT_LOCKED,
        )
        return EXIT_LOCKED
    logger.info(
        "scheduled run finished in %.1fs: exit %d (%s)",
        time.monotonic() - started,
        code,
        EXIT_CODES.get(code, "?"),
    )
    return code


def _locked_run(options: ScheduledOptions, builds_root: Path, logger: logging.Logger) -> int:
    code = EXIT_OK
    if not options.prune_only:
        check_freshness(logger, options.as_of)

        command = build_command(options)
        before = history.latest_target(builds_root)
        logger.info("build: %s", " ".join(command))
        returncode, reason = run_build(command, logger, options.timeout)
        after = history.latest_target(builds_root)
        if reason in ("SIGTERM", "SIGINT"):
            logger.error("build stopped by %s (exit %d); latest unchanged", reason, returncode)
            return EXIT_TERMINATED if reason == "SIGTERM" else EXIT_INTERRUPTED
        if returncode != 0 or reason == "timeout":
            why = "timed out" if reason == "timeout" else f"failed with exit code {returncode}"
            meaning = BUILD_EXIT_MEANINGS.get(returncode, "")
            logger.error(
                "build %s%s; latest still points at %s",
                why,
                f" ({meaning})" if meaning and reason != "timeout" else "",
                before.name if before else "nothing",
            )
            code = EXIT_BUILD_FAILED
            if reason != "timeout":
                code = BUILD_EXIT_MAP.get(returncode, EXIT_BUILD_FAILED)
        elif after is None or after == before:
            logger.warning("build exited 0 but latest did not move (nothing new published?)")
            _describe_latest(builds_root, logger)
        else:
            _describe_latest(builds_root, logger)

    try:
        if options.keep > 0:
            removed = prune_builds(builds_root, options.keep, logger)
            logger.info(
                "prune: kept the newest %d build(s), removed %d", options.keep, len(removed)
            )
        index = history.write_history_index(builds_root)
        logger.info("history: wrote %s", index)
    except Exception as exc:
        logger.exception("housekeeping failed: %s", exc)
        if code == EXIT_OK:
            code = EXIT_HOUSEKEEPING_FAILED
    return code
