"""The execute stage: every job's HTML, from the cache or from a worker (kernel + export).

A job whose execution and HTML are both cached is copied; every other job goes to a worker,
which runs the notebook (or reads the cached execution) and exports the HTML. Jobs keep
running after one fails, so a build reports every failing report at once.

Where PDFs are printed depends on the executor. The local pool's workers export only: each
HTML is handed to ``on_html`` (the build's :class:`~gba_report.engine.pdf.PdfQueue`, printing
beside the kernels). A Dask worker prints its job too and sends the PDF back; this stage
stores it (cache and build folder) and logs ``<stem>: pdf printed on tcp://...``; the job's
``pdf_print`` timed step names the worker (``where``). On Dask a job is copied from the cache
only when its PDF is cached as well, so the building machine never prints a job itself.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gba_report import paths, timing
from gba_report.engine import exitcodes, pdf
from gba_report.engine.cache import Cache
from gba_report.engine.errors import BuildError
from gba_report.engine.messages import TIMINGS_FILE, Failure, WorkerRequest
from gba_report.engine.plan import Job, Plan
from gba_report.engine.pool import PrintedPdf, WorkerOutcome, WorkerPool, WorkerTask
from gba_report.engine.progress import Progress
from gba_report.fileio import atomic_write_bytes


@dataclass(frozen=True)
class ExecutedJob:
    """A job after the execute stage.

    Attributes:
        job: The job.
        html_file: Its HTML (in the build folder, or in its work folder when no HTML is
            published and the HTML only feeds the PDF).
        duration_s: Time the stage took for it.
        failure: Why it failed, or None.
        worker_log: The worker's stderr (None when no worker ran).
        timings: The worker's and its kernel's timed steps (:mod:`gba_report.timing`).
        printed_on: The Dask worker that printed the PDF (None: printed, or to be printed,
            by the building process, or no PDF).
        browser: That worker's browser version.
    """

    job: Job
    html_file: Path
    duration_s: float
    failure: Failure | None = None
    worker_log: Path | None = None
    timings: tuple[dict[str, Any], ...] = ()
    printed_on: str | None = None
    browser: str | None = None


def work_dir(staging: Path, job: Job) -> Path:
    """The folder a job's worker works in (removed before the build is published)."""
    return staging / ".work" / job.stem


def executed_file(staging: Path, job: Job) -> Path:
    """The job's executed notebook in its work folder (what the manifest stage reads)."""
    return work_dir(staging, job) / f"{job.stem}.ipynb"


def _html_target(plan: Plan, staging: Path, job: Job) -> Path:
    if "html" in plan.formats:
        return staging / f"{job.stem}.html"
    return work_dir(staging, job) / f"{job.stem}.html"


def _request(plan: Plan, cache: Cache, staging: Path, job: Job) -> WorkerRequest:
    return WorkerRequest(
        stem=job.stem,
        lang=job.lang,
        notebook=job.notebook,
        parameters=job.parameters,
        kernel=plan.config.settings.kernel,
        cell_timeout=plan.cell_timeout,
        use_cached_execution=job.exec_cached,
        exec_cache=cache.execution(job.keys.execution),
        executed_out=executed_file(staging, job),
        html_out=_html_target(plan, staging, job),
        html_cache=cache.html(job.keys.html),
        template_dir=paths.report_template_dir(),
        meta=job.meta,
    )


def _prints_remotely(plan: Plan) -> bool:
    """Whether the workers print the PDFs (Dask), not the building process."""
    return plan.executor == "dask" and "pdf" in plan.formats


def _copy_cached(plan: Plan, cache: Cache, staging: Path, job: Job) -> bool:
    """Copy a job's checked notebook and HTML from the cache; False if either is now damaged.

    When the workers print (Dask), also False if the PDF of that HTML is not cached: the job
    then goes to a worker, which exports the cached execution again and prints it.
    """
    notebook = cache.read(cache.execution(job.keys.execution))
    html = cache.read(cache.html(job.keys.html)) if notebook is not None else None
    if notebook is None or html is None:
        return False
    if _prints_remotely(plan) and not cache.hit(cache.pdf(pdf.pdf_key(html))):
        return False
    atomic_write_bytes(executed_file(staging, job), notebook)
    atomic_write_bytes(_html_target(plan, staging, job), html)
    return True


def execute(
    plan: Plan,
    cache: Cache,
    staging: Path,
    progress: Progress,
    on_html: Callable[[ExecutedJob], None] | None = None,
) -> list[ExecutedJob]:
    """Give every job of ``plan`` its HTML, ``plan.n_jobs`` workers at a time.

    Args:
        plan: The build.
        cache: Where executions and HTML are read and stored.
        staging: The build's temporary folder.
        progress: Where progress goes.
        on_html: Called with each job whose HTML is ready, as soon as it is (the PDF queue).

    Returns:
        One entry per job, in plan order (failed ones with their failure).
    """
    done: dict[str, ExecutedJob] = {}
    tasks = []
    for job in plan.jobs:
        t0 = time.monotonic()
        if job.exec_cached and job.html_cached and _copy_cached(plan, cache, staging, job):
            target = _html_target(plan, staging, job)
            done[job.stem] = ExecutedJob(job, target, time.monotonic() - t0)
            progress.stage(job.stem, "cached", advance=1)
            if on_html is not None:
                on_html(done[job.stem])
        else:
            request = _request(plan, cache, staging, job)
            tasks.append(WorkerTask(job.stem, request, work_dir(staging, job)))
    jobs = {job.stem: job for job in plan.jobs}

    def on_stage(stem: str, stage: str) -> None:
        if stage == "started" and jobs[stem].exec_cached:
            stage += " (exporting cached run)"
        progress.stage(stem, stage)

    def on_done(outcome: WorkerOutcome) -> None:
        task = outcome.task
        executed = ExecutedJob(
            job=jobs[task.stem],
            html_file=task.request.html_out,
            duration_s=outcome.duration_s,
            failure=outcome.result.failure,
            worker_log=outcome.log,
            timings=(
                *timing.read(task.workdir / TIMINGS_FILE),
                {"stage": "worker_wall", "name": "", "start": 0.0, "s": outcome.duration_s},
            ),
        )
        done[task.stem] = executed
        if executed.failure is not None:
            progress.stage(task.stem, "FAILED")
            return
        progress.stage(task.stem, f"done in {executed.duration_s:.1f} s", advance=1)
        if outcome.printed is not None:
            done[task.stem] = _store_printed(cache, staging, executed, outcome.printed)
            progress.stage(task.stem, f"pdf printed on {outcome.printed.where}", advance=1)
        elif on_html is not None:
            on_html(executed)

    if plan.executor == "dask":
        _run_on_dask(plan, cache, tasks, on_stage, on_done, progress)
    else:
        with WorkerPool(plan.n_jobs, on_stage, on_done) as pool:
            pool.run(tasks)
    return [done[job.stem] for job in plan.jobs]


def _store_printed(
    cache: Cache, staging: Path, executed: ExecutedJob, printed: PrintedPdf
) -> ExecutedJob:
    """Store a PDF a worker printed: in the cache (as the PDF queue would) and the build."""
    key = pdf.pdf_key(executed.html_file.read_bytes())
    cache.store(cache.pdf(key), printed.content)
    atomic_write_bytes(staging / f"{executed.job.stem}.pdf", printed.content)
    step = pdf.print_step(printed.start, printed.seconds, printed.where)
    return dataclasses.replace(
        executed,
        timings=(*executed.timings, step),
        printed_on=printed.where,
        browser=printed.browser,
    )


def _cached_pdf_keys(cache: Cache) -> frozenset[str]:
    """The keys of the PDFs in the cache (none with ``--force``, which reads no entry)."""
    if cache.force:
        return frozenset()
    folder = cache.pdf("key").parent  # every PDF entry is <folder>/<key>.pdf
    return frozenset(entry.stem for entry in folder.glob("*.pdf"))


def _run_on_dask(
    plan: Plan,
    cache: Cache,
    tasks: list[WorkerTask],
    on_stage: Callable[[str, str], None],
    on_done: Callable[[WorkerOutcome], None],
    progress: Progress,
) -> None:
    """Run the tasks on a Dask cluster (``--executor dask``).

    Raises:
        BuildError: The ``[dask]`` extra is not installed, or the scheduler cannot be reached
            (exit code 2).
    """
    try:
        # Imported here on purpose: dask is the optional extra [dask], needed only by this
        # executor (tests/unit/test_import_layers.py allows this import only inside a function).
        from gba_report.engine import dask_executor
    except ImportError as exc:
        raise BuildError(
            f"--executor dask needs the [dask] extra ({exc}); install it with "
            "`pip install -e '.[dask]'` (it is in requirements.lock: `make setup`)",
            exitcodes.USAGE,
        ) from None
    printing = _prints_remotely(plan)
    dask_executor.run(
        tasks,
        plan.scheduler,
        plan.n_jobs,
        on_stage,
        on_done,
        progress,
        print_pdf=printing,
        cached_pdfs=_cached_pdf_keys(cache) if printing else frozenset(),
    )
