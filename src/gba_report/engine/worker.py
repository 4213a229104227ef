"""The worker process: one report x language, executed (or taken from the cache) and exported.

Started by :mod:`gba_report.engine.pool` as ``python -m gba_report.engine.worker --serve`` in
a new process group, so the build can stop it and its kernels together; it then runs one job
after another as the pool sends them (papermill and nbconvert are imported once per worker,
not once per job). ``python -m gba_report.engine.worker JOB.json`` runs a single job. For each
job it reads a :class:`~gba_report.engine.messages.WorkerRequest`, announces each stage on
stdout (:class:`~gba_report.engine.messages.StageMessage`) and writes its
:class:`~gba_report.engine.messages.WorkerResult` to ``result.json`` beside the request.
"""

from __future__ import annotations

import sys
import time

#: When this module started running (before papermill and nbconvert are imported).
_MODULE_START = time.time()

# jsonschema (imported by nbformat) builds a large grammar when the optional rfc3987_syntax
# package is importable: 1.5 s per process, only used for "iri" format checks that notebook
# validation never needs. Hide it before nbformat is imported, so every worker starts faster.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import os  # noqa: E402 - after the rfc3987_syntax guard above
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402
import psutil  # noqa: E402

from gba_report import timing  # noqa: E402
from gba_report.engine import exitcodes, export, kernel, lifeline  # noqa: E402
from gba_report.engine.cache import check_entry, store_text  # noqa: E402
from gba_report.engine.errors import (  # noqa: E402
    describe_file_system_fault,
    is_file_system_fault,
)
from gba_report.engine.messages import (  # noqa: E402
    RESULT_FILE,
    TIMINGS_FILE,
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
        started = time.time()
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
        kernel.write_cell_timings(nb, started, time.time())
        text = nbformat.writes(nb)
        store_text(request.exec_cache, text if text.endswith("\n") else text + "\n")

    _announce(Stage.HTML)
    nb.metadata["gba_report"] = request.meta.to_dict()
    with timing.timed("html_export", request.stem):
        html = export.export_html(nb, request.template_dir, request.lang, request.stem)
    atomic_write_text(request.html_out, html)
    store_text(request.html_cache, html)
    return WorkerResult()


def _time_job(timings: Path, first: bool) -> None:
    """Time this job and its kernel into ``timings``.

    An environment variable, so the kernel papermill starts inherits it (as it inherits the
    engine's ``GBA_REPORT_VALIDATED_TABLES``). Only the first job of a process pays for
    starting Python and importing papermill and nbconvert.
    """
    os.environ[timing.ENV_VAR] = str(timings)
    if first:
        created = psutil.Process().create_time()
        timing.write("worker_python_start", "", created, max(0.0, _MODULE_START - created))
        timing.write("worker_imports", "", _MODULE_START, time.time() - _MODULE_START)


def run_file(job_file: Path, first: bool = True) -> int:
    """Run the request in ``job_file``; write its ``result.json`` beside it; return the exit code.

    0: done; 1: the report failed (the result says how); :data:`exitcodes.FILE_SYSTEM`: the
    result could not be written (a full disk, ...): the message is on stderr.
    """
    _time_job(job_file.with_name(TIMINGS_FILE), first)
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


def serve() -> int:
    """Run requests one after another, as the pool sends them on stdin, until stdin closes.

    Each line is ``JOB.json<TAB>LOG``: the request, and the file this job's stderr (and its
    kernel's) goes to. After each job, a ``finished`` stage line on stdout. A result that
    cannot be written ends the worker with :data:`exitcodes.FILE_SYSTEM` (the pool reads it).
    """
    first = True
    for line in sys.stdin:
        job, _, log = line.rstrip("\n").partition("\t")
        if not job:
            continue
        if log:
            with open(log, "ab") as fh:  # this job's stderr, and its kernel's, go to its log
                sys.stderr.flush()
                os.dup2(fh.fileno(), 2)
        code = run_file(Path(job), first)
        if code == exitcodes.FILE_SYSTEM:
            return code
        first = False
        _announce(Stage.FINISHED)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``--serve``: run requests from stdin (:func:`serve`); else run the one request file given."""
    argv = sys.argv[1:] if argv is None else argv
    lifeline.die_with_parent()  # and take the kernel along, even if the build is killed -9
    if argv == ["--serve"]:
        return serve()
    return run_file(Path(argv[0]))


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
