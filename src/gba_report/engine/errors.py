"""The two ways a build stops early: an error for the user, or a signal."""

from __future__ import annotations

from gba_report.engine import exitcodes


class BuildError(Exception):
    """A build problem with a message for the user and an exit code (:mod:`.exitcodes`)."""

    def __init__(self, message: str, code: int = exitcodes.FAILED):
        super().__init__(message)
        self.code = code


class BuildInterrupted(BaseException):  # noqa: N818 - mirrors KeyboardInterrupt
    """Raised in the main thread when the build receives SIGTERM or SIGINT."""

    def __init__(self, code: int):
        super().__init__(f"interrupted by signal (exit {code})")
        self.code = code
