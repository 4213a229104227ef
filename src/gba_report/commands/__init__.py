"""Sub-commands of the ``gba-report`` command line, one module each."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

from gba_report.engine.errors import BuildError, BuildInterrupted
from gba_report.engine.progress import Progress

T = TypeVar("T")


def show_traceback(args: argparse.Namespace, exc: BaseException) -> None:
    """Print the traceback of a handled fault on stderr when ``--debug`` was given.

    Expected faults (bad data, a full disk, ...) are reported in one line; ``--debug`` adds
    the traceback of the error and of its cause, for a developer.

    Args:
        args: The parsed command line (``debug``).
        exc: The handled error.
    """
    if getattr(args, "debug", False):
        traceback.print_exception(exc, file=sys.stderr)
        detail = getattr(exc, "debug_detail", None)
        if detail:
            print(f"raised in a worker process:\n{detail}", file=sys.stderr)


def run_engine(
    args: argparse.Namespace, progress: Progress, call: Callable[[], T], interrupted: str
) -> T | int:
    """Run an engine call; a handled fault becomes one line on stderr and its exit code.

    Args:
        args: The parsed command line (``debug``, see :func:`show_traceback`).
        progress: Where the error line goes.
        call: The engine call (``run_build``, ``reproduce``, ...).
        interrupted: The line printed when the call was interrupted (Ctrl-C, SIGTERM).

    Returns:
        What ``call`` returned, or the exit code of the :class:`BuildError` or
        :class:`BuildInterrupted` it raised (an ``int``).
    """
    try:
        return call()
    except BuildError as exc:
        show_traceback(args, exc)
        progress.error(str(exc))
        return exc.code
    except BuildInterrupted as exc:
        show_traceback(args, exc)
        progress.error(interrupted)
        return exc.code
