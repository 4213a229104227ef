"""Every exit code of ``gba-report build`` and ``gba-report scheduled``, in one table.

Monitoring keys on these numbers, so they never change meaning. Code 3 is the one number the
two commands read differently (``build``: no Chromium; ``scheduled``: housekeeping failed); the
scheduled run translates the build's codes with :data:`SCHEDULED_FROM_BUILD`.
"""

from __future__ import annotations

from dataclasses import dataclass

OK = 0
#: build: a report failed; scheduled: the build failed or timed out.
FAILED = 1
USAGE = 2
#: build only.
NO_CHROMIUM = 3
#: scheduled only (the same number as NO_CHROMIUM, which the scheduled run reports as CONFIG).
HOUSEKEEPING_FAILED = 3
#: build only: nothing was published (lock timeout, or a file-system fault).
PUBLISH_FAILED = 4
#: build only: disk full, permission denied or a read-only folder (the same number).
FILE_SYSTEM = 4
#: scheduled only: another scheduled run holds the lock (``EX_TEMPFAIL`` from sysexits.h).
LOCKED = 75
#: scheduled only: the environment is not usable (``EX_CONFIG`` from sysexits.h).
CONFIG = 78
#: 128 + the signal number.
INTERRUPTED = 130
TERMINATED = 143
#: How a child killed by SIGKILL shows up in ``subprocess`` (never returned by us).
KILLED = -9


@dataclass(frozen=True)
class ExitCode:
    """One exit code of one command.

    Attributes:
        code: The number.
        meaning: Short meaning, as the scheduled run's log names it.
        detail: What falls under it (shown in ``--help``), or ``""``.
    """

    code: int
    meaning: str
    detail: str = ""

    def describe(self) -> str:
        """Return the meaning with its detail in brackets (for ``--help``)."""
        return f"{self.meaning} ({self.detail})" if self.detail else self.meaning


#: ``gba-report build``.
BUILD: dict[int, ExitCode] = {
    e.code: e
    for e in (
        ExitCode(OK, "success: the build was published and `latest` points at it"),
        ExitCode(FAILED, "a report failed", "cell error, cell timeout, kernel died, export error"),
        ExitCode(
            USAGE,
            "bad usage",
            "unknown report or language, bad parameter, unreadable manifest",
        ),
        ExitCode(
            NO_CHROMIUM,
            "PDF requested but no Chromium found",
            "use --format html or install it",
        ),
        ExitCode(
            PUBLISH_FAILED,
            "the build could not be published",
            "lock timeout; disk full, permission denied or read-only folder",
        ),
        ExitCode(INTERRUPTED, "the build was interrupted", "Ctrl-C / SIGINT"),
        ExitCode(TERMINATED, "the build was terminated", "SIGTERM"),
    )
}

#: ``gba-report scheduled``.
SCHEDULED: dict[int, ExitCode] = {
    e.code: e
    for e in (
        ExitCode(
            OK, "build published (or --prune-only done), old builds pruned, history rewritten"
        ),
        ExitCode(FAILED, "build failed or timed out; latest still points at the last good build"),
        ExitCode(
            USAGE, "bad command-line options, or the build rejected a report name or parameter"
        ),
        ExitCode(HOUSEKEEPING_FAILED, "build published, but pruning or the history page failed"),
        ExitCode(LOCKED, "another scheduled run holds the lock (EX_TEMPFAIL); nothing was done"),
        ExitCode(
            CONFIG,
            "environment not usable: no .venv, no Chromium for PDFs, unwritable builds folder",
        ),
        ExitCode(INTERRUPTED, "interrupted (SIGINT); the build was stopped, latest unchanged"),
        ExitCode(TERMINATED, "terminated (SIGTERM); the build was stopped, latest unchanged"),
    )
}

#: Build exit codes that keep their meaning in a scheduled run; any other failure is FAILED.
SCHEDULED_FROM_BUILD: dict[int, int] = {USAGE: USAGE, NO_CHROMIUM: CONFIG}


def build_meaning(code: int) -> str:
    """Return what a build's exit code means, for the scheduled run's log (``""`` if unknown).

    Args:
        code: The build process's return code (``-9`` when it was killed).
    """
    if code == KILLED:
        return "the build was killed (SIGKILL, e.g. out of memory)"
    known = BUILD.get(code)
    return known.meaning if known is not None and code != OK else ""


def epilog(table: dict[int, ExitCode]) -> str:
    """Return the ``exit codes:`` block of a command's ``--help``.

    Args:
        table: :data:`BUILD` or :data:`SCHEDULED`.
    """
    lines = [f"  {code:>3}  {entry.describe()}" for code, entry in sorted(table.items())]
    return "exit codes:\n" + "\n".join(lines)
