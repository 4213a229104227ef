"""Sub-commands of the ``gba-report`` command line, one module each."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from gba_report import paths
from gba_report.engine import options
from gba_report.engine.errors import BuildError, BuildInterrupted
from gba_report.engine.progress import Progress

T = TypeVar("T")


def add_folder_option(parser: argparse.ArgumentParser, flag: str, help: str) -> None:
    """Declare an option naming a folder (``FLAG DIR``, a :class:`~pathlib.Path`).

    Args:
        parser: The sub-command's parser.
        flag: The option, e.g. ``--out``.
        help: Its help text.
    """
    parser.add_argument(flag, type=Path, metavar="DIR", help=help)


def add_builds_option(parser: argparse.ArgumentParser, what: str = "builds folder") -> None:
    """Declare ``--out DIR``, the builds folder (read back with :func:`builds_folder`).

    Args:
        parser: The sub-command's parser.
        what: The help text before :data:`~gba_report.engine.options.BUILDS_DEFAULT`.
    """
    add_folder_option(parser, "--out", f"{what} {options.BUILDS_DEFAULT}")


def absolute_folder(path: Path | None, *, resolve: bool = False) -> Path | None:
    """A folder given on the command line, ``~`` expanded and made absolute (None stays None).

    Args:
        path: The parsed option.
        resolve: Also resolve symbolic links and ``..`` (:meth:`pathlib.Path.resolve`).
    """
    if path is None:
        return None
    path = path.expanduser()
    return path.resolve() if resolve else path.absolute()


def builds_folder(args: argparse.Namespace, *, resolve: bool = False) -> Path:
    """The builds folder of ``--out`` (:func:`absolute_folder`), else :func:`paths.builds_dir`."""
    return absolute_folder(args.out, resolve=resolve) or paths.builds_dir()


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
