"""Worker processes, a fixed number at a time: each runs one request and reports back typed.

Each worker is ``python -m gba_report.engine.worker job.json`` in a session of its own (so it
and its kernel can be stopped together); its stage lines are read from stdout by a thread and
handed to the caller in the calling thread; its stderr goes to ``worker.log`` in its folder.
Leaving the pool (normally or through an exception, e.g. SIGTERM) stops every worker still
running, with its kernel.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

import psutil

from gba_report.engine import exitcodes, lifeline
from gba_report.engine.messages import (
    REQUEST_FILE,
    RESULT_FILE,
    Failure,
    FailureKind,
    MessageError,
    StageMessage,
    WorkerRequest,
    WorkerResult,
)
from gba_report.fileio import atomic_write_text

#: The worker's stderr, in its folder.
LOG_FILE = "worker.log"
#: Seconds a stopped worker gets to exit before SIGKILL.
GRACE_S = 3.0


@dataclass(frozen=True)
class WorkerTask:
    """One request for a worker, and the folder it works in."""

    stem: str
    request: WorkerRequest
    workdir: Path


@dataclass(frozen=True)
class WorkerOutcome:
    """What a worker reported (or what its death says).

    Attributes:
        task: The task.
        result: The worker's result.
        duration_s: Wall time from start to exit.
    """

    task: WorkerTask
    result: WorkerResult
    duration_s: float

    @property
    def log(self) -> Path:
        """The worker's stderr."""
        return self.task.workdir / LOG_FILE


@dataclass
class _Running:
    task: WorkerTask
    proc: subprocess.Popen
    log: IO[bytes]
    started: float


def _no_room(workdir: Path) -> WorkerResult:
    return WorkerResult(
        Failure(
            kind=FailureKind.FILE_SYSTEM,
            ename="OSError",
            evalue=(
                f"cannot write {workdir}: the disk is full or the folder is not writable; free "
                "some space there (or choose another builds folder with --out DIR) and run "
                "the build again. Nothing was published; `latest` still points at the "
                "previous build."
            ),
        )
    )


def kill_tree(proc: subprocess.Popen, grace_s: float = GRACE_S) -> None:
    """Stop a worker and everything it started (its kernel runs in a session of its own)."""
    try:
        parent = psutil.Process(proc.pid)
        procs = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        procs = []
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.terminate()
    _, alive = psutil.wait_procs(procs, timeout=grace_s)
    for p in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    psutil.wait_procs(alive, timeout=grace_s)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace_s)


class WorkerPool:
    """Run worker tasks, ``size`` at a time.

    Args:
        size: Workers at a time.
        on_stage: Called as ``on_stage(stem, stage)`` when a worker starts (``started``) or
            announces a stage.
        on_done: Called with each :class:`WorkerOutcome` as its worker exits.
    """

    def __init__(
        self,
        size: int,
        on_stage: Callable[[str, str], None],
        on_done: Callable[[WorkerOutcome], None],
    ):
        self.size = max(1, size)
        self.on_stage = on_stage
        self.on_done = on_done
        self._running: list[_Running] = []
        self._stages: queue.Queue[tuple[str, str]] = queue.Queue()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop every worker still running, with its kernel."""
        for running in self._running:
            if running.proc.poll() is None:
                kill_tree(running.proc)
            running.log.close()
        self._running = []

    def run(self, tasks: Sequence[WorkerTask]) -> list[WorkerOutcome]:
        """Run every task; return the outcomes in the order of ``tasks``."""
        pending = list(tasks)
        outcomes: dict[str, WorkerOutcome] = {}
        while pending or self._running:
            while pending and len(self._running) < self.size:
                self._start(pending.pop(0))
            for running in list(self._running):
                if running.proc.poll() is not None:
                    self._running.remove(running)
                    running.log.close()
                    self._drain()
                    outcome = self._outcome(running)
                    outcomes[outcome.task.stem] = outcome
                    self.on_done(outcome)
            self._drain(timeout=0.05)
        return [outcomes[task.stem] for task in tasks]

    def _drain(self, timeout: float = 0.0) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                stem, stage = self._stages.get(timeout=timeout or None, block=bool(timeout))
                self.on_stage(stem, stage)

    def _start(self, task: WorkerTask) -> None:
        task.workdir.mkdir(parents=True, exist_ok=True)
        job_file = task.workdir / REQUEST_FILE
        atomic_write_text(job_file, task.request.to_json())
        env = lifeline.child_env(dict(os.environ))  # the worker dies with us (kill -9 too)
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        env["PYTHONUNBUFFERED"] = "1"
        log = open(task.workdir / LOG_FILE, "wb")  # noqa: SIM115 - closed when the worker exits
        proc = subprocess.Popen(
            [sys.executable, "-m", "gba_report.engine.worker", str(job_file)],
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            text=True,
        )
        self._running.append(_Running(task, proc, log, time.monotonic()))
        threading.Thread(target=self._pump, args=(task.stem, proc), daemon=True).start()
        self.on_stage(task.stem, "started")

    def _pump(self, stem: str, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                message = StageMessage.from_line(line)
            except (MessageError, ValueError):
                continue  # a garbled stage line only costs a progress update
            if message is not None:
                self._stages.put((stem, message.stage.value))

    def _outcome(self, running: _Running) -> WorkerOutcome:
        duration = time.monotonic() - running.started
        result_file = running.task.workdir / RESULT_FILE
        try:
            result = WorkerResult.from_json(result_file.read_text(encoding="utf-8"))
        except (OSError, MessageError):
            code = running.proc.returncode
            if code == exitcodes.FILE_SYSTEM:  # the worker could not even write its result
                return WorkerOutcome(running.task, _no_room(running.task.workdir), duration)
            tail = (running.task.workdir / LOG_FILE).read_text("utf-8", "replace")[-1500:]
            result = WorkerResult(
                Failure(
                    kind=FailureKind.INTERNAL,
                    ename="WorkerDied",
                    evalue=f"the worker process exited with code {code}\n{tail}",
                )
            )
        return WorkerOutcome(running.task, result, duration)
