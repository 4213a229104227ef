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
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import psutil

from gba_report.engine import exitcodes
from gba_report.engine.errors import BuildError, describe_file_system_fault, is_file_system_fault
from gba_report.engine.layout import LATEST, PUBLISH_LOCK, STAGING_PREFIX

#: Seconds a build waits for another one's publish lock.
LOCK_TIMEOUT_S = 120.0
#: A temporary folder this young without a pid file belongs to a build that is starting.
_STARTING_S = 3600
#: A ``.latest-*`` link this old was left by a build killed while publishing.
_STALE_LINK_S = 60


def _holder_alive(pid: int, started: float | None) -> bool:
    """Whether ``pid`` runs and, when its start time was recorded, is the same process."""
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        return started is None or abs(proc.create_time() - started) < 1.0
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # e.g. access denied: it exists, so leave its folder alone
        return True


def _read_pid_file(path: Path) -> tuple[int, float | None]:
    """``(pid, start time)`` from a staging folder's ``.pid`` (``(0, None)`` when unreadable)."""
    try:
        fields = path.read_text().split()
        return int(fields[0]), (float(fields[1]) if len(fields) > 1 else None)
    except (OSError, ValueError, IndexError):
        return 0, None


def remove_stale(builds: Path) -> list[str]:
    """Remove what builds killed outright (SIGKILL, power loss) left behind; say what.

    Temporary folders whose build is no longer running, and ``.latest-*`` links left by a
    build killed while publishing. (The publish and scheduled locks are ``flock`` locks: the
    kernel drops them with their holder, so none is ever stale.)

    Returns:
        One line per thing removed.
    """
    swept = []
    for path in sorted(builds.glob(f"{STAGING_PREFIX}*")):
        pid, started = _read_pid_file(path / ".pid")
        if not path.is_dir() or (pid and _holder_alive(pid, started)):
            continue
        with contextlib.suppress(OSError):
            if pid == 0 and time.time() - path.stat().st_mtime < _STARTING_S:
                continue  # very new and no pid file yet: another build is starting
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            holder = f"build pid {pid}, no longer running" if pid else "no build recorded"
            swept.append(f"removed {path.name}, left by a build that was killed ({holder})")
    for link in sorted(builds.glob(".latest-*")):
        with contextlib.suppress(FileNotFoundError):  # another build removed it first
            if time.time() - link.lstat().st_mtime > _STALE_LINK_S:
                link.unlink()
                swept.append(f"removed {link.name}, left by a build killed while publishing")
    return swept


class Staging:
    """The temporary folder of a build in progress, removed unless it was published.

    Args:
        builds: The builds folder (created when missing).
        run_id: The build's run id.
        log: Called with one line per leftover of a killed build swept on entry.
    """

    def __init__(self, builds: Path, run_id: str, log: Callable[[str], None] | None = None):
        self.builds = builds
        self.run_id = run_id
        self.path = builds / f"{STAGING_PREFIX}{run_id}"
        self.published: Path | None = None
        self.log = log or (lambda line: None)

    def __enter__(self) -> Staging:
        self.builds.mkdir(parents=True, exist_ok=True)
        for line in remove_stale(self.builds):
            self.log(f"swept: {line}")
        self.path.mkdir(parents=True)
        started = psutil.Process().create_time()
        (self.path / ".pid").write_text(f"{os.getpid()} {started}\n")
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
