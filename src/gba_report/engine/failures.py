"""Failed reports: keep what helps debugging (``<builds>/failed/<run id>/``) and say what broke."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from gba_report.engine.execute import ExecutedJob
from gba_report.engine.messages import Failure, FailureKind


def describe_failure(
    report: str,
    lang: str,
    failure: Failure,
    kept_notebook: Path | None = None,
    kept_log: Path | None = None,
) -> str:
    """One actionable message for a failed report x language.

    Args:
        report: Report name.
        lang: Language.
        failure: What the worker reported.
        kept_notebook: Where the partly executed notebook was kept, if anywhere.
        kept_log: Where the worker's log was kept, if anywhere.
    """
    where = f"{report} ({lang})"
    cell_txt = f"cell {failure.cell}" if failure.cell else "a cell"
    if failure.cell_source:
        cell_txt += f" [{failure.cell_source}]"
    if failure.kind is FailureKind.CELL_ERROR:
        msg = f"{where} failed at {cell_txt}: {failure.ename}: {failure.evalue}"
    elif failure.kind is FailureKind.TIMEOUT:
        msg = f"{where}: {cell_txt} {failure.evalue} (--cell-timeout); the report was stopped"
    elif failure.kind is FailureKind.KERNEL_DIED:
        msg = f"{where}: the kernel died while running {cell_txt} ({failure.evalue})"
    else:
        msg = f"{where}: {failure.ename or 'error'}: {failure.evalue or 'the worker stopped'}"
    if kept_notebook is not None:
        msg += f"\n  executed notebook kept for debugging: {kept_notebook}"
    if kept_log is not None:
        msg += f"\n  worker log: {kept_log}"
    return msg


def keep_failures(executed: Sequence[ExecutedJob], builds: Path, run_id: str) -> list[str]:
    """Move failed jobs' notebooks (and, for internal errors, worker logs) out of the build.

    Args:
        executed: Every job after the execute stage.
        builds: The builds folder.
        run_id: The build's run id.

    Returns:
        One message per failed job (empty when none failed).
    """
    messages = []
    failed_dir = builds / "failed" / run_id
    for item in executed:
        failure = item.failure
        if failure is None:
            continue
        kept_nb = kept_log = None
        if failure.notebook is not None and failure.notebook.exists():
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept_nb = Path(shutil.move(failure.notebook, failed_dir / f"{item.job.stem}.ipynb"))
        log = item.worker_log
        if failure.kind is FailureKind.INTERNAL and log is not None and log.exists():
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept_log = Path(shutil.move(log, failed_dir / f"{item.job.stem}.log"))
        messages.append(describe_failure(item.job.name, item.job.lang, failure, kept_nb, kept_log))
    return messages
