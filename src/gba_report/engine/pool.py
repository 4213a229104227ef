"""Worker processes, a fixed number at a time: each runs requests one after another, typed.

Each worker is ``python -m gba_report.engine.worker --serve`` in a session of its own (so it
and its kernel can be stopped together), kept for the whole stage: it imports papermill and
nbconvert once and takes the next request (a line on its stdin) when it finishes one (a
``finished`` stage line). Its stage lines are read from stdout by a thread and handed to the
caller in the calling thread; each job's stderr goes to ``worker.log`` in the job's folder.
Leaving the pool (normally or through an exception, e.g. SIGTERM) stops every worker still
running, with its kernel.

A local worker executes and exports; it does not print. The building process prints each PDF
as soon as its HTML is ready (:class:`gba_report.engine.pdf.PdfQueue`, one warm browser beside
the kernels), which is faster on one machine than a browser per worker. A Dask worker prints
its job itself (:mod:`.dask_executor`) and its outcome carries the PDF (:class:`WorkerOutcome`).
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
    Stage,
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
class PrintedPdf:
    """A PDF a worker printed and sent back.

    Attributes:
        content: The PDF, metadata stamped (:func:`gba_report.engine.pdfmeta.apply`).
        where: Who printed it (the Dask worker's address).
        browser: The browser's version.
        start: When printing started (epoch seconds).
        seconds: How long it took.
    """

    content: bytes
    where: str
    browser: str | None
    start: float
    seconds: float


@dataclass(frozen=True)
class WorkerOutcome:
    """What a worker reported (or what its death says).

    Attributes:
        task: The task.
        result: The worker's result.
        duration_s: Wall time from start to exit.
        printed: The PDF, when the worker printed it (a Dask worker; the local pool's
            workers leave printing to the building process).
    """

    task: WorkerTask
    result: WorkerResult
    duration_s: float
    printed: PrintedPdf | None = None

    @property
    def log(self) -> Path:
        """The worker's stderr."""
        return self.task.workdir / LOG_FILE


@dataclass(eq=False)
class _Worker:
    """A persistent worker process and the task it runs (None while it waits for one)."""

    proc: subprocess.Popen
    log: IO[bytes]
    task: WorkerTask | None = None
    started: float = 0.0


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
        self._workers: list[_Worker] = []
        self._stages: queue.Queue[tuple[_Worker, str]] = queue.Queue()

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
        for worker in self._workers:
            if worker.proc.poll() is None:
                kill_tree(worker.proc)
            worker.log.close()
        self._workers = []

    def run(self, tasks: Sequence[WorkerTask]) -> list[WorkerOutcome]:
        """Run every task; return the outcomes in the order of ``tasks``.

        Up to ``size`` persistent workers each take the next pending task as soon as they
        finish one; a worker that dies is replaced for the tasks still pending.
        """
        pending = list(tasks)
        outcomes: dict[str, WorkerOutcome] = {}
        while pending or any(w.task is not None for w in self._workers):
            for worker in self._workers:
                if worker.task is None and pending and worker.proc.poll() is None:
                    self._assign(worker, pending.pop(0))
            while pending and len(self._workers) < self.size:
                self._assign(self._start(pending[0]), pending.pop(0))
            self._drain(outcomes, timeout=0.05)
            for worker in list(self._workers):
                if worker.proc.poll() is not None:
                    self._drain(outcomes)  # its last lines, a finished job among them
                    self._workers.remove(worker)
                    worker.log.close()
                    if worker.task is not None:
                        self._finish(worker, outcomes)
        for worker in self._workers:  # nothing left: idle workers exit when stdin closes
            with contextlib.suppress(OSError):
                worker.proc.stdin.close()
        return [outcomes[task.stem] for task in tasks]

    def _drain(self, outcomes: dict[str, WorkerOutcome], timeout: float = 0.0) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                worker, stage = self._stages.get(timeout=timeout or None, block=bool(timeout))
                if worker.task is None:
                    continue
                if stage == Stage.FINISHED.value:
                    self._finish(worker, outcomes)
                else:
                    self.on_stage(worker.task.stem, stage)

    def _finish(self, worker: _Worker, outcomes: dict[str, WorkerOutcome]) -> None:
        task = worker.task
        assert task is not None
        worker.task = None
        outcome = self._outcome(task, worker.proc, time.monotonic() - worker.started)
        outcomes[task.stem] = outcome
        self.on_done(outcome)

    def _start(self, first: WorkerTask) -> _Worker:
        first.workdir.mkdir(parents=True, exist_ok=True)
        env = lifeline.child_env(dict(os.environ))  # the worker dies with us (kill -9 too)
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        env["PYTHONUNBUFFERED"] = "1"
        # Until its first job redirects it, the worker's stderr goes to that job's log.
        log = open(first.workdir / LOG_FILE, "ab")  # noqa: SIM115 - closed when the worker exits
        proc = subprocess.Popen(
            [sys.executable, "-m", "gba_report.engine.worker", "--serve"],
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.PIPE,
            env=env,
            start_new_session=True,
            text=True,
        )
        worker = _Worker(proc, log)
        self._workers.append(worker)
        threading.Thread(target=self._pump, args=(worker,), daemon=True).start()
        return worker

    def _assign(self, worker: _Worker, task: WorkerTask) -> None:
        task.workdir.mkdir(parents=True, exist_ok=True)
        job_file = task.workdir / REQUEST_FILE
        atomic_write_text(job_file, task.request.to_json())
        worker.task, worker.started = task, time.monotonic()
        assert worker.proc.stdin is not None
        try:
            worker.proc.stdin.write(f"{job_file}\t{task.workdir / LOG_FILE}\n")
            worker.proc.stdin.flush()
        except OSError:  # it died meanwhile: the run loop reports the task as failed
            pass
        self.on_stage(task.stem, "started")

    def _pump(self, worker: _Worker) -> None:
        assert worker.proc.stdout is not None
        for line in worker.proc.stdout:
            try:
                message = StageMessage.from_line(line)
            except (MessageError, ValueError):
                continue  # a garbled stage line only costs a progress update
            if message is not None:
                self._stages.put((worker, message.stage.value))

    def _outcome(self, task: WorkerTask, proc: subprocess.Popen, duration: float) -> WorkerOutcome:
        result_file = task.workdir / RESULT_FILE
        try:
            result = WorkerResult.from_json(result_file.read_text(encoding="utf-8"))
        except (OSError, MessageError):
            code = proc.poll()
            if code == exitcodes.FILE_SYSTEM:  # the worker could not even write its result
                return WorkerOutcome(task, _no_room(task.workdir), duration)
            tail = (task.workdir / LOG_FILE).read_text("utf-8", "replace")[-1500:]
            result = WorkerResult(
                Failure(
                    kind=FailureKind.INTERNAL,
                    ename="WorkerDied",
                    evalue=f"the worker process exited with code {code}\n{tail}",
                )
            )
        return WorkerOutcome(task, result, duration)
