"""Child processes that die with the build, however the build dies (``kill -9`` included).

A build stops its workers itself on an error, SIGTERM or Ctrl-C (:mod:`.pool`), but a build
killed outright runs no code. So each worker watches its parent: it asks Linux to send it
SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``, through ctypes) and a daemon
thread also polls the parent pid (every other POSIX system, and the race where the parent
died before the worker started). Either way the worker kills everything it started (its
kernel runs in a session of its own, so no signal reaches it otherwise) and exits. Chromium
needs nothing of this: Playwright's driver exits when the build's end of its pipe closes, and
takes the browser with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from typing import Any

import psutil

#: Environment variable with the pid of the process a child must not outlive.
PARENT_PID_ENV = "GBA_REPORT_PARENT_PID"
#: Seconds between two looks at the parent.
POLL_S = 0.5
#: From <linux/prctl.h>.
_PR_SET_PDEATHSIG = 1


def child_env(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a child started by this process, naming this process as its parent."""
    return {**env, PARENT_PID_ENV: str(os.getpid())}


def kill_descendants() -> None:
    """SIGKILL every process this one started, their children first."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in reversed(children):
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs(children, timeout=3)


def _orphaned() -> None:
    kill_descendants()
    os._exit(1)


def _parent_death_signal(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent() -> None:
    """Make this process (and what it starts) end when its parent ends.

    The parent is the pid in ``$GBA_REPORT_PARENT_PID`` (set by :func:`child_env`), else the
    current parent. If it is already gone, this process ends at once.
    """
    expected = int(os.environ.get(PARENT_PID_ENV) or os.getppid())

    def on_parent_death(_signum: int, _frame: Any) -> None:
        # Linux also sends it when only the *thread* that started us exits: the parent
        # process is still there then (same pid), and we carry on.
        if os.getppid() != expected:
            _orphaned()

    with contextlib.suppress(ValueError):  # not the main thread: the polling thread suffices
        signal.signal(signal.SIGUSR2, on_parent_death)
        _parent_death_signal(signal.SIGUSR2)
    if os.getppid() != expected:
        _orphaned()

    def watch() -> None:
        while True:
            time.sleep(POLL_S)
            if os.getppid() != expected:
                _orphaned()

    threading.Thread(target=watch, name="gba-report-lifeline", daemon=True).start()
