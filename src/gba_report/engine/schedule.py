"""Unattended builds for cron, systemd and CI: lock, log, build, prune, history, freshness.

``gba-report scheduled`` (and ``scripts/scheduled_build.sh``, its thin shell wrapper) runs one
build the way an operator wants it to run at 06:00 with nobody watching:

* **One at a time.** An exclusive ``fcntl.flock`` on ``report/build/.scheduled.lock``. A second
  run waits up to ``--wait`` seconds, then exits with code 75 (``EX_TEMPFAIL``)
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
  ``latest`` points at, never a build in progress; :mod:`gba_report.engine.prune`), rewrite
  ``report/build/index.html``.
* **Freshness**: a WARNING per release that the publishers' calendars say should exist but
  that is not in the data (``gba_report.data.freshness``; ``--as-of`` sets the date).

Exit codes (for monitoring): :data:`gba_report.engine.exitcodes.SCHEDULED`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import logging
import logging.handlers
import os
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

from gba_report import paths
from gba_report.data.errors import DataError
from gba_report.engine import exitcodes, history
from gba_report.engine.freshness import stale_data_warnings
from gba_report.engine.index import write_history_index
from gba_report.engine.layout import SCHEDULED_LOCK
from gba_report.engine.options import BuildOptions
from gba_report.engine.prune import prune_builds

#: Environment variable replacing the build command by a shell command (tests, dry runs).
BUILD_CMD_ENV = "GBA_REPORT_SCHEDULED_BUILD_CMD"

#: Default number of builds kept by pruning.
DEFAULT_KEEP = 10
#: Default size of the log file before rotation, and number of rotated files kept.
DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_LOG_BACKUPS = 5

LOGGER_NAME = "gba_report.scheduled"

#: Seconds a build asked to stop (SIGTERM, --timeout) gets to clean up before SIGKILL.
STOP_GRACE_S = 60.0


@dataclass(frozen=True)
class ScheduledOptions:
    """Options of one scheduled run (what ``gba-report scheduled`` parses).

    Attributes:
        build: Passed through to ``gba-report build``; ``build.out`` is also the folder of the
            lock, the log, pruning and the history page (None: :func:`gba_report.paths.builds_dir`,
            which the build uses by default too).
        keep: Number of builds kept by pruning (0: do not prune).
        wait: Seconds to wait for the lock before giving up with :data:`exitcodes.LOCKED`.
        timeout: Seconds after which the build is stopped (0: no limit).
        log_file: The rotating log file (None: ``<builds>/logs/scheduled.log``).
        log_max_bytes: Size at which the log rotates.
        log_backups: Rotated log files kept.
        as_of: Date freshness is judged by (None: today).
        prune_only: Skip the build; only prune and rewrite the history page.
        quiet: Only warnings and errors on stderr (the log file still gets everything).
    """

    build: BuildOptions = field(default_factory=BuildOptions)
    keep: int = DEFAULT_KEEP
    wait: float = 0.0
    timeout: float = 0.0
    log_file: Path | None = None
    log_max_bytes: int = DEFAULT_LOG_MAX_BYTES
    log_backups: int = DEFAULT_LOG_BACKUPS
    as_of: dt.date | None = None
    prune_only: bool = False
    quiet: bool = False

    @property
    def builds_root(self) -> Path:
        """The builds folder (absolute)."""
        return Path(self.build.out or paths.builds_dir()).expanduser().absolute()


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


def check_freshness(logger: logging.Logger, today: dt.date | None = None) -> list[str]:
    """Log a WARNING for each release expected to exist but missing from the data.

    Args:
        logger: Where to log.
        today: Date to judge by (default: today).

    Returns:
        The warnings.

    Raises:
        DataError: The data cannot be checked (the caller stops the run with the message).
    """
    warnings = stale_data_warnings(today)
    for line in warnings:
        logger.warning("freshness: %s", line)
    if not warnings:
        logger.info("freshness: no newer release is due that the data lacks")
    return warnings


def build_command(options: ScheduledOptions) -> list[str]:
    """Return the command that runs the build with the options passed through.

    Args:
        options: The scheduled run's options (``--out`` is always passed, absolute).
    """
    args = options.build.to_argv()
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


def run_build_process(
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
        One of the codes of :data:`gba_report.engine.exitcodes.SCHEDULED`.
    """
    builds_root = options.builds_root
    try:
        builds_root.mkdir(parents=True, exist_ok=True)
        log_file = options.log_file or builds_root / "logs" / "scheduled.log"
        logger = setup_logging(log_file, options.log_max_bytes, options.log_backups, options.quiet)
    except OSError as exc:
        print(f"gba-report scheduled: cannot use {builds_root}: {exc}", file=sys.stderr)
        return exitcodes.CONFIG

    started = time.monotonic()
    try:
        with scheduled_lock(builds_root / SCHEDULED_LOCK, wait=options.wait):
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
            exitcodes.LOCKED,
        )
        return exitcodes.LOCKED
    logger.info(
        "scheduled run finished in %.1fs: exit %d (%s)",
        time.monotonic() - started,
        code,
        exitcodes.SCHEDULED[code].meaning if code in exitcodes.SCHEDULED else "?",
    )
    return code


def _build(options: ScheduledOptions, builds_root: Path, logger: logging.Logger) -> int:
    """Run the build process; log what it did; return the scheduled run's exit code."""
    command = build_command(options)
    before = history.latest_target(builds_root)
    logger.info("build: %s", " ".join(command))
    returncode, reason = run_build_process(command, logger, options.timeout)
    after = history.latest_target(builds_root)
    if reason in ("SIGTERM", "SIGINT"):
        logger.error("build stopped by %s (exit %d); latest unchanged", reason, returncode)
        return exitcodes.TERMINATED if reason == "SIGTERM" else exitcodes.INTERRUPTED
    if returncode != 0 or reason == "timeout":
        why = "timed out" if reason == "timeout" else f"failed with exit code {returncode}"
        meaning = exitcodes.build_meaning(returncode)
        logger.error(
            "build %s%s; latest still points at %s",
            why,
            f" ({meaning})" if meaning and reason != "timeout" else "",
            before.name if before else "nothing",
        )
        if reason == "timeout":
            return exitcodes.FAILED
        return exitcodes.SCHEDULED_FROM_BUILD.get(returncode, exitcodes.FAILED)
    if after is None or after == before:
        logger.warning("build exited 0 but latest did not move (nothing new published?)")
    _describe_latest(builds_root, logger)
    return exitcodes.OK


def _locked_run(options: ScheduledOptions, builds_root: Path, logger: logging.Logger) -> int:
    code = exitcodes.OK
    if not options.prune_only:
        try:
            check_freshness(logger, options.as_of)
        except DataError as exc:
            logger.error("freshness: cannot check the freshness of the data: %s", exc)
            return exitcodes.FAILED
        code = _build(options, builds_root, logger)
    try:
        if options.keep > 0:
            removed = prune_builds(builds_root, options.keep, logger)
            logger.info(
                "prune: kept the newest %d build(s), removed %d", options.keep, len(removed)
            )
        page = write_history_index(builds_root)
        logger.info("history: wrote %s", page)
    except OSError as exc:
        logger.error("housekeeping failed: %s", exc)
        if code == exitcodes.OK:
            code = exitcodes.HOUSEKEEPING_FAILED
    return code
