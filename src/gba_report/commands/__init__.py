"""Sub-commands of the ``gba-report`` command line, one module each."""

from __future__ import annotations

import argparse
import sys
import traceback


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
