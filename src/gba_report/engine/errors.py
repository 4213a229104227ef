"""The ways a build stops early: an error for the user, a signal, or a file-system fault."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from gba_report.engine import exitcodes


class BuildError(Exception):
    """A build problem with a message for the user and an exit code (:mod:`.exitcodes`).

    Args:
        message: What the user reads.
        code: The exit code.
        debug_detail: More for ``--debug`` (e.g. a worker process's traceback), or None.
    """

    def __init__(self, message: str, code: int = exitcodes.FAILED, debug_detail: str | None = None):
        super().__init__(message)
        self.code = code
        self.debug_detail = debug_detail


class BuildInterrupted(BaseException):  # noqa: N818 - mirrors KeyboardInterrupt
    """Raised in the main thread when the build receives SIGTERM or SIGINT."""

    def __init__(self, code: int):
        super().__init__(f"interrupted by signal (exit {code})")
        self.code = code


#: File-system faults a build reports in one line (exit code 4): the verb, the fault and what
#: to do about it. Permission problems can also meet an input (a data file), hence "access".
FILE_SYSTEM_FAULTS: dict[int, tuple[str, str, str]] = {
    errno.ENOSPC: ("write", "no space left on the device", "free some space there"),
    errno.EDQUOT: ("write", "disk quota exceeded", "free some space there or raise the quota"),
    errno.EACCES: ("access", "permission denied", "fix its permissions for this user"),
    errno.EPERM: ("access", "operation not permitted", "fix its permissions for this user"),
    errno.EROFS: ("write", "read-only file system", "build to a writable folder"),
}


def is_file_system_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is a full disk, a permission problem or a read-only file system."""
    return isinstance(exc, OSError) and exc.errno in FILE_SYSTEM_FAULTS


def describe_file_system_fault(exc: OSError) -> str:
    """One line naming the path, the fault and what to do (for :func:`is_file_system_fault`).

    Args:
        exc: The error (its ``filename`` is the path named).
    """
    verb, what, todo = FILE_SYSTEM_FAULTS.get(
        exc.errno or 0, ("write", exc.strerror or str(exc), "fix it")
    )
    path = exc.filename if exc.filename is not None else "a file"
    return (
        f"cannot {verb} {path}: {what} ({errno.errorcode.get(exc.errno or 0, '?')}); {todo} "
        "(or choose another builds folder with --out DIR) and run the build again. "
        "Nothing was published; `latest` still points at the previous build."
    )


@contextmanager
def file_system_faults() -> Iterator[None]:
    """Turn a full disk, a permission problem or a read-only folder into a :class:`BuildError`.

    Raises:
        BuildError: With :func:`describe_file_system_fault` and exit code 4 (other errors
            pass through unchanged).
    """
    try:
        yield
    except OSError as exc:
        if not is_file_system_fault(exc):
            raise
        raise BuildError(describe_file_system_fault(exc), exitcodes.FILE_SYSTEM) from exc
