"""The execute stage: every job's HTML, from the cache or from a worker (kernel + export).

A job whose execution and HTML are both cached is copied; every other job goes to a worker,
which runs the notebook (or reads the cached execution) and exports the HTML. Jobs keep
running after one fails, so a build reports every failing report at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gba_report import paths, timing
from gba_report.engine.cache import Cache
from gba_report.engine.messages import TIMINGS_FILE, Failure, WorkerRequest
from gba_report.engine.plan import Job, Plan
from gba_report.engine.pool import WorkerOutcome, WorkerPool, WorkerTask
from gba_report.engine.progress import Progress
from gba_report.fileio import atomic_copy


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
    """

    job: Job
    html_file: Path
    duration_s: float
    failure: Failure | None = None
    worker_log: Path | None = None
    timings: tuple[dict[str, Any], ...] = ()


def work_dir(staging: Path, job: Job) -> Path:
    """The folder a job's worker works in (removed before the build is published)."""
    return staging / ".work" / job.stem


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
        executed_out=work_dir(staging, job) / f"{job.stem}.ipynb",
        html_out=_html_target(plan, staging, job),
        html_cache=cache.html(job.keys.html),
        template_dir=paths.report_template_dir(),
        meta=job.meta,
    )


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
        if job.exec_cached and job.html_cached:
            t0 = time.monotonic()
            target = atomic_copy(cache.html(job.keys.html), _html_target(plan, staging, job))
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
        else:
            progress.stage(task.stem, f"done in {executed.duration_s:.1f} s", advance=1)
            if on_html is not None:
                on_html(executed)

    with WorkerPool(plan.n_jobs, on_stage, on_done) as pool:
        pool.run(tasks)
    return [done[job.stem] for job in plan.jobs]
