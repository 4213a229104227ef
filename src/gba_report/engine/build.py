"""``run_build``: the build as a pipeline of stages, each in its own module.

plan (:mod:`.plan`: jobs, parameters, cache keys) -> execute (:mod:`.execute`: cache or kernel,
HTML export) -> failures (:mod:`.failures`) -> print PDF (:mod:`.pdf`: by this process for the
local pool, while the kernels run; by the worker itself on Dask) -> manifest
(:mod:`.manifest`) -> index (:mod:`.index`, with what changed: :mod:`.history`) -> publish
(:mod:`.publish`: atomic rename, ``latest``, history page, under a lock) -> cache bookkeeping.

Exit codes: :mod:`.exitcodes`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gba_report.data.errors import DataError
from gba_report.data.tables import validate_all
from gba_report.engine import exitcodes, failures, history, index, manifest, parts, pdf, publish
from gba_report.engine.cache import Cache
from gba_report.engine.config import load_config
from gba_report.engine.errors import BuildError, BuildInterrupted, file_system_faults
from gba_report.engine.execute import ExecutedJob, execute
from gba_report.engine.freshness import stale_data_warnings
from gba_report.engine.messages import FailureKind
from gba_report.engine.options import BuildOptions
from gba_report.engine.plan import Plan, make_plan
from gba_report.engine.progress import Progress
from gba_report.engine.timings import BuildTimings


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced.

    Attributes:
        run_id: The build's run id.
        build_dir: The published build folder.
        manifest: Its manifest.
    """

    run_id: str
    build_dir: Path
    manifest: manifest.BuildManifest

    @property
    def runs(self) -> int:
        """Report x language runs."""
        return sum(len(r["langs"]) for r in self.manifest.reports.values())

    @property
    def cached(self) -> int:
        """Runs whose execution came from the cache."""
        return sum(e["cached"] for r in self.manifest.reports.values() for e in r["langs"].values())


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT (Ctrl-C) into :class:`BuildInterrupted` in the main thread.

    The exception unwinds through every stage's ``with`` block: workers and kernels are
    stopped, the browser closed, the temporary folder removed.
    """

    def on_signal(signum: int, _frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough: we are cleaning up
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise BuildInterrupted(128 + signum)

    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            handlers[sig] = signal.signal(sig, on_signal)
    try:
        yield
    except KeyboardInterrupt:
        raise BuildInterrupted(exitcodes.INTERRUPTED) from None
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@contextmanager
def _validated_tables(cache: Cache) -> Iterator[None]:
    """Keep validated tables in the cache while the build runs (:mod:`..data.validated_cache`).

    The build validates each table once and stores it (a thread, while the first kernels
    start; the freshness check too); the kernels, which inherit the variable through their
    workers, then read it back instead of parsing and validating it again. The variable is
    restored afterwards.
    """
    name = "GBA_REPORT_VALIDATED_TABLES"
    before = os.environ.get(name)
    os.environ[name] = str(cache.root / "validated-tables")
    threading.Thread(target=validate_all, name="gba-report-validate", daemon=True).start()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _announce(plan: Plan, cache: Cache, progress: Progress) -> None:
    """Log what will run and why, and the releases due that the data lacks."""
    for line in plan.skipped:
        progress.info(line)
    for job in plan.jobs:
        if not job.exec_cached:
            reason = cache.miss_reason(job.stem, job.keys.components)
            progress.info(f"{job.stem}: will execute ({reason})")
    try:
        warnings = stale_data_warnings()
    except DataError as exc:
        raise BuildError(
            f"cannot check the freshness of the data: {exc}", exitcodes.FAILED
        ) from exc
    for line in warnings:
        progress.warning(line)
    cached = sum(job.exec_cached for job in plan.jobs)
    progress.info(
        f"build {plan.run_id}: {len(plan.jobs)} report x language runs "
        f"({cached} cached), formats {','.join(plan.formats)}, {plan.n_jobs} jobs"
    )


def _stop_if_failed(plan: Plan, executed: list[ExecutedJob]) -> None:
    """Keep the failed reports' notebooks and stop with one message per failure."""
    for item in executed:  # a full disk: one line, and nothing more written to it
        if item.failure is not None and item.failure.kind is FailureKind.FILE_SYSTEM:
            raise BuildError(item.failure.evalue, exitcodes.FILE_SYSTEM, item.failure.traceback)
    messages = failures.keep_failures(executed, plan.builds, plan.run_id)
    if messages:
        raise BuildError(
            "\n".join(messages)
            + "\nNothing was published; `latest` still points at the previous build.",
            exitcodes.FAILED,
        )


def _printer(
    plan: Plan, cache: Cache, staging: Path, progress: Progress, timings: BuildTimings
) -> pdf.PdfQueue | contextlib.nullcontext[None]:
    """The PDF queue when PDFs are wanted (fed as each HTML is ready), else nothing."""
    if "pdf" not in plan.formats:
        return contextlib.nullcontext()
    assert plan.chromium is not None  # make_plan found it
    concurrency = min(plan.config.settings.pdf_concurrency, plan.n_jobs)
    return pdf.PdfQueue(plan.chromium, concurrency, cache, staging, progress, timings)


def _execute_and_print(
    plan: Plan, cache: Cache, staging: Path, progress: Progress, timings: BuildTimings
) -> tuple[list[ExecutedJob], str | None]:
    """Every job executed (or cached) and exported, its PDF printed: the build's or a shard's.

    Stops with one message per failed report (:func:`_stop_if_failed`) before waiting for the
    PDFs still printing.

    Returns:
        The jobs in plan order, and the version of the browser that printed (the build's, else
        a Dask worker's; None when nothing was printed).
    """
    steps = 2 if "pdf" in plan.formats else 1  # HTML, then the PDF printed from it
    with (
        progress.bars([job.stem for job in plan.jobs], steps),
        _printer(plan, cache, staging, progress, timings) as printer,
    ):
        timings.phase_started("execute")
        on_html = printer.submit if printer is not None else None
        executed = execute(plan, cache, staging, progress, on_html)
        timings.phase_done("execute")
        _stop_if_failed(plan, executed)
        timings.phase_started("print_after_execute")
        browser = printer.finish() if printer is not None else None
        timings.phase_done("print_after_execute")
    on_workers = next((item.browser for item in executed if item.browser), None)
    return executed, browser or on_workers


def _record(
    plan: Plan,
    executed: list[ExecutedJob],
    staging: publish.Staging,
    browser: str | None,
) -> manifest.BuildManifest:
    """Write the executed notebooks, the build's index.html and manifest.json."""
    records = [manifest.record_job(item, plan.formats, staging.path) for item in executed]
    staging.drop_work_files()
    built = manifest.build_manifest(plan, records, browser)
    changes = history.compare_manifests(history.previous_manifest(plan.builds), built.to_dict())
    built = manifest.finished(built)
    index.write_index(staging.path, built.to_dict(), changes)
    return manifest.write_manifest(built, staging.path)


def _publish(plan: Plan, staging: publish.Staging, progress: Progress) -> Path:
    """Rename the build into place, repoint ``latest``, rewrite the history page."""
    with publish.publish_lock(plan.builds):
        final = publish.publish(staging)
        try:
            index.write_history_index(plan.builds)
        except OSError as exc:  # the build itself is published; the page is rewritten next time
            progress.warning(f"could not rewrite the build history index: {exc}")
    return final


def _cache_bookkeeping(plan: Plan, cache: Cache, progress: Progress) -> None:
    """Remember each job's inputs and prune the cache (the build is already published)."""
    try:
        for job in plan.jobs:
            cache.remember(job.stem, job.keys.components)
    except OSError as exc:  # only the next build's "changed: ..." reasons are lost
        progress.warning(f"could not record the inputs of this build in the cache: {exc}")
    cache.prune(max_bytes=plan.config.settings.cache_max_bytes)


def run_build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build, export and publish the reports.

    SIGTERM (and Ctrl-C) stop the workers and kernels, remove the temporary folder and raise
    :class:`BuildInterrupted`; ``latest`` is only ever repointed after a complete build.

    Args:
        options: What to build.
        progress: Where progress goes (default: stderr, terminal-aware).

    Returns:
        The published build.

    Raises:
        BuildError: With a message and an exit code from :data:`exitcodes.BUILD`.
        BuildInterrupted: On SIGTERM / SIGINT (exit code 143 / 130).
    """
    progress = progress or Progress()
    timings = BuildTimings()
    timings.phase_started("build")
    with _stop_on_signals(), file_system_faults():
        cache = Cache(force=options.force, log=progress.warning)
        with _validated_tables(cache):
            plan = make_plan(load_config(), options, cache)
            timings.jobs = plan.n_jobs
            if plan.shard is not None:
                return _run_shard(plan, cache, progress)
            with publish.Staging(plan.builds, plan.run_id, progress.info) as staging:
                _announce(plan, cache, progress)
                executed, browser = _execute_and_print(plan, cache, staging.path, progress, timings)
                for item in executed:
                    timings.add(item.job.stem, item.timings)
                built = _record(plan, executed, staging, browser)
                timings.phase_done("build")
                timings.write(staging.path)
                final = _publish(plan, staging, progress)
        _cache_bookkeeping(plan, cache, progress)
    return BuildResult(run_id=plan.run_id, build_dir=final, manifest=built)


def _run_shard(plan: Plan, cache: Cache, progress: Progress) -> BuildResult:
    """Build one shard's jobs into its part folder (``--out``); nothing is published.

    The part holds the jobs' files and ``part.json`` (:mod:`.parts`); ``gba-report publish``
    joins the parts of a plan into one build.
    """
    assert plan.shard is not None
    part_dir = plan.builds
    parts.check_part_dir(part_dir)
    with publish.Staging(part_dir, plan.run_id, progress.info) as staging:
        _announce(plan, cache, progress)
        progress.info(
            f"shard {plan.shard}: {len(plan.jobs)} of {len(plan.all_jobs)} jobs into {part_dir}"
        )
        executed, browser = _execute_and_print(plan, cache, staging.path, progress, BuildTimings())
        records = [manifest.record_job(item, plan.formats, staging.path) for item in executed]
        staging.drop_work_files()
        built = manifest.finished(manifest.build_manifest(plan, records, browser))
        parts.write_part(staging.path, part_dir, parts.make_part(plan, plan.shard, built))
        staging.published = part_dir
    _cache_bookkeeping(plan, cache, progress)
    return BuildResult(run_id=plan.run_id, build_dir=part_dir, manifest=built)
