"""The worker process: one report x language, executed (or taken from the cache) and exported.

Started by :mod:`gba_report.engine.pool` as ``python -m gba_report.engine.worker JOB.json`` in
a new process group, so the build can stop it and its kernel together. It reads a
:class:`~gba_report.engine.messages.WorkerRequest`, announces each stage on stdout
(:class:`~gba_report.engine.messages.StageMessage`) and writes its
:class:`~gba_report.engine.messages.WorkerResult` to ``result.json`` beside the request.
"""

from __future__ import annotations

import sys

# jsonschema (imported by nbformat) builds a large grammar when the optional rfc3987_syntax
# package is importable: 1.5 s per process, only used for "iri" format checks that notebook
# validation never needs. Hide it before nbformat is imported, so every worker starts faster.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import traceback  # noqa: E402 - after the rfc3987_syntax guard above
from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402

from gba_report.engine import exitcodes, export, kernel, lifeline  # noqa: E402
from gba_report.engine.cache import check_entry, store_text  # noqa: E402
from gba_report.engine.errors import (  # noqa: E402
    describe_file_system_fault,
    is_file_system_fault,
)
from gba_report.engine.messages import (  # noqa: E402
    RESULT_FILE,
    Failure,
    FailureKind,
    Stage,
    StageMessage,
    WorkerRequest,
    WorkerResult,
)
from gba_report.fileio import atomic_write_text  # noqa: E402


def _announce(stage: Stage) -> None:
    print(StageMessage(stage).to_line(), flush=True)


def run(request: WorkerRequest) -> WorkerResult:
    """Execute (unless cached) and export one report x language.

    Args:
        request: What to do and where every input and output is.

    Returns:
        Success, or the failure of a cell, a cell timeout or a dead kernel.
    """
    # Checked again here: the entry may have been damaged since the build was planned.
    cached = check_entry(request.exec_cache)[0] if request.use_cached_execution else None
    if cached is not None:
        nb = nbformat.reads(cached.decode("utf-8"), as_version=4)
        atomic_write_text(request.executed_out, cached.decode("utf-8"))
    else:
        _announce(Stage.EXECUTING)
        executed = kernel.run_notebook(
            request.notebook,
            request.executed_out,
            dict(request.parameters),
            request.kernel,
            request.cell_timeout,
        )
        if isinstance(executed, Failure):
            return WorkerResult(executed)
        nb = executed
        text = nbformat.writes(nb)
        store_text(request.exec_cache, text if text.endswith("\n") else text + "\n")

    _announce(Stage.HTML)
    nb.metadata["gba_report"] = request.meta.to_dict()
    html = export.export_html(nb, request.template_dir, request.lang, request.stem)
    atomic_write_text(request.html_out, html)
    store_text(request.html_cache, html)
    return WorkerResult()


def main(argv: list[str] | None = None) -> int:
    """Run the request file given as the only argument; write ``result.json`` beside it."""
    argv = sys.argv[1:] if argv is None else argv
    lifeline.die_with_parent()  # and take the kernel along, even if the build is killed -9
    job_file = Path(argv[0])
    request = WorkerRequest.from_json(job_file.read_text(encoding="utf-8"))
    try:
        result = run(request)
    except Exception as exc:  # noqa: BLE001 - not a fallback: reported to the build as a failure
        result = WorkerResult(_failure(exc))
    try:
        atomic_write_text(job_file.with_name(RESULT_FILE), result.to_json())
    except OSError as exc:
        if not is_file_system_fault(exc):
            raise
        # The disk is full (or the folder unwritable): the exit code tells the build.
        print(describe_file_system_fault(exc), file=sys.stderr)
        return exitcodes.FILE_SYSTEM
    return 0 if result.ok else 1


def _failure(exc: Exception) -> Failure:
    if is_file_system_fault(exc):
        assert isinstance(exc, OSError)
        return Failure(
            kind=FailureKind.FILE_SYSTEM,
            ename=type(exc).__name__,
            evalue=describe_file_system_fault(exc),
            traceback=traceback.format_exc(),
        )
    return Failure(
        kind=FailureKind.INTERNAL,
        ename=type(exc).__name__,
        evalue=str(exc),
        traceback=traceback.format_exc(),
    )


if __name__ == "__main__":
    sys.exit(main())
