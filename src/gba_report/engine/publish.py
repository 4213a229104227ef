"""Publishing a build: a temporary folder renamed into place, then ``latest`` repointed.

A build is written to ``<builds>/.tmp-<run id>/`` (:class:`Staging`) and renamed to
``<builds>/<run id>/`` only when every report succeeded; ``latest`` is then repointed with an
atomic ``rename`` of a new symlink. Builds run concurrently: each has its own temporary folder,
and a short lock (``.publish.lock``) serialises only the rename, the symlink and the history
page. A failed or interrupted build never touches ``latest``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from gba_report.engine import exitcodes
from gba_report.engine.errors import BuildError, describe_file_system_fault, is_file_system_fault
from gba_report.engine.layout import LATEST, PUBLISH_LOCK, STAGING_PREFIX

#: Seconds a build waits for another one's publish lock.
LOCK_TIMEOUT_S = 120.0
#: A temporary folder this young without a pid file belongs to a build that is starting.
_STARTING_S = 3600
#: A ``.latest-*`` link this old was left by a build killed while publishing.
_STALE_LINK_S = 60


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(builds: Path) -> None:
    """Remove temporary folders and links left by builds that were killed outright (SIGKILL)."""
    for path in builds.glob(f"{STAGING_PREFIX}*"):
        try:
            pid = int((path / ".pid").read_text().strip())
        except (OSError, ValueError):
            pid = 0
        if path.is_dir() and (pid == 0 or not _pid_alive(pid)):
            if pid == 0 and time.time() - path.stat().st_mtime < _STARTING_S:
                continue  # very new and no pid file yet: another build is starting
            shutil.rmtree(path, ignore_errors=True)
    for link in builds.glob(".latest-*"):
        with contextlib.suppress(FileNotFoundError):  # another build removed it first
            if time.time() - link.lstat().st_mtime > _STALE_LINK_S:
                link.unlink()


class Staging:
    """The temporary folder of a build in progress, removed unless it was published.

    Args:
        builds: The builds folder (created when missing).
        run_id: The build's run id.
    """

    def __init__(self, builds: Path, run_id: str):
        self.builds = builds
        self.run_id = run_id
        self.path = builds / f"{STAGING_PREFIX}{run_id}"
        self.published: Path | None = None

    def __enter__(self) -> Staging:
        self.builds.mkdir(parents=True, exist_ok=True)
        remove_stale(self.builds)
        self.path.mkdir(parents=True)
        (self.path / ".pid").write_text(str(os.getpid()))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.published is None:
            shutil.rmtree(self.path, ignore_errors=True)

    def drop_work_files(self) -> None:
        """Remove the workers' folders (``.work/``): they are not part of the build."""
        shutil.rmtree(self.path / ".work", ignore_errors=True)


@contextlib.contextmanager
def publish_lock(builds: Path, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive ``fcntl`` lock on ``<builds>/.publish.lock`` (short: publish only).

    Raises:
        BuildError: The lock was not obtained within ``timeout_s`` (exit code 4).
    """
    lock_path = builds / PUBLISH_LOCK
    with open(lock_path, "a+") as fh:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildError(
                        f"another build has held {lock_path} for over {timeout_s:.0f} s; "
                        "nothing was published",
                        exitcodes.PUBLISH_FAILED,
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def publish(staging: Staging) -> Path:
    """Rename the temporary folder into place and repoint ``latest``; call under the lock.

    Returns:
        The published build folder.

    Raises:
        BuildError: A file-system error (exit code 4); nothing was published then.
    """
    final = staging.builds / staging.run_id
    link_tmp = staging.builds / f".latest-{staging.run_id}"
    try:
        (staging.path / ".pid").unlink(missing_ok=True)
        os.rename(staging.path, final)
        staging.published = final
        link_tmp.unlink(missing_ok=True)
        os.symlink(staging.run_id, link_tmp)
        os.replace(link_tmp, staging.builds / LATEST)
    except OSError as exc:
        if staging.published is not None:  # renamed but `latest` not repointed: undo
            with contextlib.suppress(OSError):
                os.rename(final, staging.path)
                staging.published = None
        with contextlib.suppress(OSError):
            link_tmp.unlink(missing_ok=True)
        message = (
            describe_file_system_fault(exc)
            if is_file_system_fault(exc)
            else f"publishing {final} failed: {exc}"
        )
        raise BuildError(message, exitcodes.PUBLISH_FAILED) from exc
    return final
