"""The Dask executor (``--executor dask``): each job runs on a worker of a Dask cluster.

Imported only when ``--executor dask`` is chosen (:func:`gba_report.engine.execute.execute`):
``dask[distributed]`` is the optional extra ``[dask]``, and the local pool needs none of it.

What travels is values, never a path of the submitting machine (:class:`DaskJob`): the worker
request, the notebook's text, a cached execution if there is one, and what the build expects of
the worker: the project's version and code hash, the template hash and the data version. The
worker (:func:`run_job`) refuses a job when its own checkout or data differ
(:class:`WorkerMismatch`), otherwise runs ``python -m gba_report.engine.worker`` in a temporary
folder, exactly as the local pool does, then prints the PDF itself when the build wants PDFs
(:func:`gba_report.engine.pdf.print_file`: the local pool's printing and PDF metadata, with the
worker's own Chromium) and sends back the result, the executed notebook, the HTML as text and
the PDF's bytes (:class:`DaskResult`). The building machine only stores them in its cache and
build folder and publishes: it prints nothing for a job that ran on the cluster. A PDF the
build's cache already holds for the same HTML (:func:`~gba_report.engine.pdf.pdf_key`, the keys
are sent once per build) is not printed again: the build copies it from its cache, as the local
pool does. The download files (``<stem>.files/``, the data archive) are not made on the worker:
the manifest stage writes them from the executed notebook on the building machine, for every
executor alike.

Each start is announced on the scheduler's event topic ``gba-report``; a job that starts a
second time was lost with its worker (Dask reschedules such tasks on another worker), and the
build log says so. Without ``--scheduler`` (or ``DASK_SCHEDULER_ADDRESS``) a
``LocalCluster`` of ``--jobs`` worker processes is started for the build and closed after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import queue
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from distributed import Client, Future, LocalCluster, as_completed, get_worker
from distributed.comm.addressing import parse_address, parse_host_port

from gba_report import data, paths
from gba_report.engine import chromium, digest, exitcodes, pdf
from gba_report.engine.cache import store_text
from gba_report.engine.errors import BuildError
from gba_report.engine.messages import (
    REQUEST_FILE,
    RESULT_FILE,
    Failure,
    FailureKind,
    MessageError,
    WorkerRequest,
    WorkerResult,
)
from gba_report.engine.pool import PrintedPdf, WorkerOutcome, WorkerTask
from gba_report.engine.progress import Progress
from gba_report.engine.title import ReportMeta
from gba_report.fileio import atomic_write_text

#: The scheduler's event topic on which workers announce each job they start.
TOPIC = "gba-report"
#: Seconds to wait for a scheduler before giving up.
CONNECT_TIMEOUT_S = 10


class WorkerMismatch(RuntimeError):
    """A worker whose code, template or data differ from the build's refused a job."""


@dataclass(frozen=True)
class DaskJob:
    """One job as it travels to a Dask worker.

    Attributes:
        stem: The job's stem (``<report>[--<variant>].<lang>``).
        request: The :class:`WorkerRequest` as JSON (its paths are replaced on the worker).
        notebook: The report notebook's text.
        cached_execution: The executed notebook's text when the cache has it (export only).
        expects: What the worker must have: ``version``, ``package_code``, ``template``,
            ``data_version``.
        print_pdf: Whether the worker prints the PDF (the build wants PDFs).
    """

    stem: str
    request: str
    notebook: str
    cached_execution: str | None
    expects: dict[str, str]
    print_pdf: bool = False


@dataclass(frozen=True)
class DaskResult:
    """What a Dask worker sends back for one job.

    Attributes:
        result: The :class:`WorkerResult` as JSON.
        executed: The executed notebook's text (None when it failed before one was written).
        html: The exported HTML (None on failure).
        failed_notebook: The partly executed notebook of a failed job, if any.
        worker: The worker's address.
        log_tail: The end of the worker process's stderr.
        pdf: The PDF this worker printed (None: no PDF wanted, a failure, or the build's
            cache holds it).
        printed: The browser's ``version``, the ``start`` and seconds (``s``) of printing.
    """

    result: str
    executed: str | None
    html: str | None
    failed_notebook: str | None
    worker: str
    log_tail: str
    pdf: bytes | None = None
    printed: dict[str, Any] | None = None


def identity() -> dict[str, str]:
    """This machine's project version, code hash, template hash and data version."""
    try:
        version = importlib_metadata.version("gba-report")
    except importlib_metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "version": version,
        "package_code": digest.package_hash(),
        "template": digest.sha256_json(digest.tree_hashes(paths.report_template_dir())),
        "data_version": data.data_version(),
    }


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _succeeded(result: str) -> bool:
    try:
        return WorkerResult.from_json(result).ok
    except MessageError:
        return False


def _print_here(
    stem: str, html_file: Path, meta: ReportMeta, address: str
) -> tuple[bytes, dict[str, Any]] | Failure:
    """Print a job's PDF on this worker: its bytes and how it went, or why it could not."""
    try:
        browser = chromium.find_chromium()
    except chromium.ChromiumNotFoundError as exc:
        return Failure(
            FailureKind.INTERNAL,
            "ChromiumNotFoundError",
            f"worker {address} cannot print {stem}: {exc}",
        )
    pdf_file = html_file.with_suffix(".pdf")
    try:
        printed = pdf.print_file(browser, html_file, pdf_file, meta)
        content = pdf_file.read_bytes()
    except Exception as exc:  # noqa: BLE001 - not a fallback: the build reports it as a failure
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        return Failure(
            FailureKind.INTERNAL,
            type(exc).__name__,
            f"worker {address} could not print {stem} with {browser}: {first}",
        )
    return content, {"browser": printed.browser, "start": printed.start, "s": printed.seconds}


def run_job(job: DaskJob, cached_pdfs: frozenset[str] = frozenset()) -> DaskResult:
    """Run one job on this Dask worker (called by Dask, not by the engine).

    Args:
        job: The job.
        cached_pdfs: Keys of the PDFs the build's cache holds (:func:`pdf.pdf_key`): a PDF
            whose HTML has one of them is not printed again.

    Raises:
        WorkerMismatch: This worker's code, template or data are not the build's.
    """
    worker = get_worker()
    worker.log_event(TOPIC, {"stem": job.stem, "worker": worker.address, "pid": os.getpid()})
    mine = identity()
    differ = [k for k, v in job.expects.items() if mine.get(k) != v]
    if differ:
        detail = "; ".join(
            f"{k} {mine.get(k)} differs from the build's {job.expects[k]}" for k in differ
        )
        raise WorkerMismatch(
            f"worker {worker.address} refuses {job.stem}: its {detail}; start the worker from "
            "the same checkout and data (`make setup`)"
        )
    with tempfile.TemporaryDirectory(prefix="gba-report-dask-") as tmp:
        folder = Path(tmp)
        notebook = folder / "notebook" / "report.ipynb"
        notebook.parent.mkdir()
        notebook.write_text(job.notebook, encoding="utf-8")
        exec_cache = folder / "exec.ipynb"
        if job.cached_execution is not None:  # with its checksum, as the worker checks it
            store_text(exec_cache, job.cached_execution)
        request = dataclasses.replace(
            WorkerRequest.from_json(job.request),
            notebook=notebook,
            exec_cache=exec_cache,
            executed_out=folder / "executed.ipynb",
            html_out=folder / "out.html",
            html_cache=folder / "html-cache.html",
            template_dir=paths.report_template_dir(),
        )
        atomic_write_text(folder / REQUEST_FILE, request.to_json())
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        proc = subprocess.run(
            [sys.executable, "-m", "gba_report.engine.worker", str(folder / REQUEST_FILE)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
        result = (
            _read(folder / RESULT_FILE)
            or WorkerResult(
                Failure(
                    FailureKind.INTERNAL,
                    "WorkerDied",
                    f"the worker process exited with code {proc.returncode}\n{proc.stderr[-1500:]}",
                )
            ).to_json()
        )
        html_file = folder / "out.html"
        content, printed = None, None
        if job.print_pdf and _succeeded(result) and html_file.is_file():
            if pdf.pdf_key(html_file.read_bytes()) not in cached_pdfs:
                done = _print_here(job.stem, html_file, request.meta, worker.address)
                if isinstance(done, Failure):
                    result = WorkerResult(done).to_json()
                else:
                    content, printed = done
        return DaskResult(
            result=result,
            executed=_read(exec_cache),
            html=_read(html_file),
            failed_notebook=_read(folder / "executed.ipynb"),
            worker=worker.address,
            log_tail=proc.stderr[-3000:],
            pdf=content,
            printed=printed,
        )


def _refused(address: str) -> str | None:
    """Why a ``tcp://`` scheduler address refuses connections (nothing listens), else None.

    Dask retries a refused connection until its timeout; a refusal is final, so the build
    says so at once. Anything else (another scheme, a slow or unknown host) is left to Dask.
    """
    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location, 8786)
    except ValueError:
        return None
    if scheme != "tcp":
        return None
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
            return None
    except ConnectionRefusedError as exc:
        return exc.strerror or "connection refused"
    except OSError:
        return None


@contextlib.contextmanager
def connect(address: str | None, n_workers: int) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a LocalCluster started for the build.

    Raises:
        BuildError: The scheduler cannot be reached (exit code 2), naming the address.
    """
    if not address:
        with (
            LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            yield client
        return
    refused = _refused(address)
    try:
        if refused is not None:
            raise ConnectionRefusedError(refused)
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise BuildError(
            f"cannot reach the Dask scheduler at {address} ({first}); start it with "
            "`dask scheduler` or check --scheduler / DASK_SCHEDULER_ADDRESS",
            exitcodes.USAGE,
        ) from None
    with client:
        yield client


def _job(task: WorkerTask, expects: dict[str, str], print_pdf: bool) -> DaskJob:
    request = task.request
    cached = _read(request.exec_cache) if request.use_cached_execution else None
    return DaskJob(
        stem=task.stem,
        request=request.to_json(),
        notebook=request.notebook.read_text(encoding="utf-8"),
        cached_execution=cached,
        expects=expects,
        print_pdf=print_pdf,
    )


def _outcome(task: WorkerTask, future: Future, started: float) -> WorkerOutcome:
    """Write what came back where the local pool's worker would have written it."""
    duration = time.monotonic() - started
    task.workdir.mkdir(parents=True, exist_ok=True)
    if future.status != "finished":
        exc = future.exception()
        name = type(exc).__name__
        message = str(exc).strip() or name
        if name == "KilledWorker":
            message = f"the job was lost with every worker that ran it ({message})"
        failure = Failure(FailureKind.INTERNAL, name, message)
        return WorkerOutcome(task, WorkerResult(failure), duration)
    got: DaskResult = future.result()
    atomic_write_text(task.workdir / "worker.log", got.log_tail)
    try:
        result = WorkerResult.from_json(got.result)
    except MessageError as exc:
        result = WorkerResult(Failure(FailureKind.INTERNAL, "MessageError", str(exc)))
    request = task.request
    if result.failure is not None:
        failure = result.failure
        if got.failed_notebook is not None:
            kept = task.workdir / f"{task.stem}.ipynb"
            atomic_write_text(kept, got.failed_notebook)
            failure = dataclasses.replace(failure, notebook=kept)
        return WorkerOutcome(task, WorkerResult(failure), duration)
    if got.executed is not None:
        if not request.use_cached_execution:
            store_text(request.exec_cache, got.executed)
        atomic_write_text(request.executed_out, got.executed)  # what the manifest stage reads
    html = got.html or ""
    store_text(request.html_cache, html)
    atomic_write_text(request.html_out, html)
    printed = None
    if got.pdf is not None and got.printed is not None:
        printed = PrintedPdf(
            got.pdf, got.worker, got.printed["browser"], got.printed["start"], got.printed["s"]
        )
    return WorkerOutcome(task, result, duration, printed)


def run(
    tasks: Sequence[WorkerTask],
    address: str | None,
    n_workers: int,
    on_stage: Callable[[str, str], None],
    on_done: Callable[[WorkerOutcome], None],
    progress: Progress,
    print_pdf: bool = False,
    cached_pdfs: frozenset[str] = frozenset(),
) -> None:
    """Run every task on the cluster; report starts, retries and outcomes like the local pool.

    Args:
        tasks: The jobs not fully cached.
        address: The scheduler (None: a LocalCluster of ``n_workers`` processes).
        n_workers: Workers of the LocalCluster.
        on_stage: Called as ``on_stage(stem, stage)``.
        on_done: Called with each outcome (with its PDF when the worker printed one).
        progress: Where the retries are logged.
        print_pdf: The workers print each job's PDF.
        cached_pdfs: Keys of the PDFs the build's cache holds (not printed again).

    Raises:
        BuildError: The scheduler cannot be reached (exit code 2).
    """
    if not tasks:
        return
    expects = identity()
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    with connect(address, n_workers) as client:
        client.subscribe_topic(TOPIC, lambda event: events.put(event[1]))
        by_key: dict[str, tuple[WorkerTask, float]] = {}
        futures = []
        # Sent once, not with every task (each worker gets it when its first task needs it).
        known: Any = client.scatter([cached_pdfs], hash=False)[0] if cached_pdfs else cached_pdfs
        for task in tasks:
            key = f"gba-report-{task.stem}-{secrets.token_hex(4)}"
            job = _job(task, expects, print_pdf)
            future = client.submit(run_job, job, known, pure=False, key=key)
            by_key[future.key] = (task, time.monotonic())
            futures.append(future)
        started_on: dict[str, str] = {}
        pending = as_completed(futures, loop=client.loop)
        try:
            while not pending.is_empty():
                _drain(events, started_on, on_stage, progress)
                if not pending.has_ready():
                    time.sleep(0.1)
                    continue
                for future in pending.next_batch(block=False):
                    task, started = by_key[future.key]
                    on_done(_outcome(task, future, started))
            _drain(events, started_on, on_stage, progress)
        finally:
            client.cancel(futures)


def _drain(
    events: queue.Queue[dict[str, Any]],
    started_on: dict[str, str],
    on_stage: Callable[[str, str], None],
    progress: Progress,
) -> None:
    with contextlib.suppress(queue.Empty):
        while True:
            event = events.get_nowait()
            stem, worker, pid = event.get("stem"), event.get("worker"), event.get("pid")
            if not isinstance(stem, str):
                continue
            if stem in started_on:
                progress.warning(
                    f"{stem}: retried on {worker} (pid {pid}): the worker that was running it, "
                    f"{started_on[stem]}, was lost"
                )
            on_stage(stem, f"started on {worker} (pid {pid})")
            started_on[stem] = str(worker)
