"""The typed messages between the engine and a worker process, and how they travel.

The engine writes a :class:`WorkerRequest` to ``job.json`` and starts
``python -m gba_report.engine.worker job.json``; the worker prints one
:class:`StageMessage` line per stage on stdout and writes its :class:`WorkerResult` to
``result.json`` beside the request. Both sides use the classes here, so a field added on one
side is known to the other. Every message is JSON with a ``type`` field.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from gba_report.engine.title import ReportMeta

#: The request file a worker is started with, and the result file it writes beside it.
REQUEST_FILE = "job.json"
RESULT_FILE = "result.json"
#: The worker's (and its kernel's) timed steps, beside the request (:mod:`gba_report.timing`).
TIMINGS_FILE = "timings.jsonl"
#: Prefix of a stage line on the worker's stdout (anything else there is ignored).
STAGE_PREFIX = "@gba "


class MessageError(ValueError):
    """A message that is not valid JSON or not of the expected type."""


def _decode(text: str, expected: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise MessageError(f"not a {expected} message: {exc}") from None
    if not isinstance(value, dict) or value.get("type") != expected:
        raise MessageError(f"not a {expected} message: {text[:200]!r}")
    return value


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


_REQUEST_PATHS = (
    "notebook",
    "exec_cache",
    "executed_out",
    "html_out",
    "html_cache",
    "template_dir",
)


@dataclass(frozen=True)
class WorkerRequest:
    """Engine -> worker: execute (unless cached) and export one report x language.

    Attributes:
        stem: ``<report>.<lang>``, the base name of every output.
        lang: Report language.
        notebook: The report notebook.
        parameters: Final parameter values, ``lang`` included.
        kernel: Jupyter kernel name.
        cell_timeout: Seconds one cell may run (None: no limit).
        use_cached_execution: Read the executed notebook from ``exec_cache`` instead of running.
        exec_cache: Cache entry of the executed notebook (read, or written after a run).
        executed_out: Where papermill writes the executed notebook.
        html_out: Where the exported HTML goes.
        html_cache: Cache entry of the exported HTML (written).
        template_dir: The nbconvert template folder (``paths.report_template_dir()``).
        meta: What the title block shows.
    """

    stem: str
    lang: str
    notebook: Path
    parameters: dict[str, Any]
    kernel: str
    cell_timeout: float | None
    use_cached_execution: bool
    exec_cache: Path
    executed_out: Path
    html_out: Path
    html_cache: Path
    template_dir: Path
    meta: ReportMeta

    def to_json(self) -> str:
        """Serialise (paths as strings)."""
        body = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}
        return json.dumps({"type": "request", **body}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> WorkerRequest:
        """Read what :meth:`to_json` wrote.

        Raises:
            MessageError: Not a request.
        """
        value = _decode(text, "request")
        fields = {k: value[k] for k in cls.__dataclass_fields__}
        for key in _REQUEST_PATHS:
            fields[key] = Path(fields[key])
        fields["meta"] = ReportMeta.from_dict(fields["meta"])
        return cls(**fields)


class Stage(StrEnum):
    """Stages a worker announces."""

    EXECUTING = "executing"
    HTML = "html"
    #: A persistent worker finished its job (its result.json is written) and waits for the next.
    FINISHED = "finished"


@dataclass(frozen=True)
class StageMessage:
    """Worker -> engine, while running: the worker entered a stage."""

    stage: Stage

    def to_line(self) -> str:
        """Serialise as one stdout line (prefixed, no newline)."""
        return STAGE_PREFIX + json.dumps({"type": "stage", "stage": self.stage.value})

    @classmethod
    def from_line(cls, line: str) -> StageMessage | None:
        """Read a stdout line: the message, or None for any other output.

        Raises:
            MessageError: A prefixed line that is not a stage message.
        """
        if not line.startswith(STAGE_PREFIX):
            return None
        return cls(Stage(_decode(line[len(STAGE_PREFIX) :].strip(), "stage")["stage"]))


class FailureKind(StrEnum):
    """Why a report x language failed."""

    CELL_ERROR = "cell_error"
    TIMEOUT = "timeout"
    KERNEL_DIED = "kernel_died"
    #: Disk full, permission denied or a read-only folder (``evalue``: the one-line message).
    FILE_SYSTEM = "file_system"
    #: Anything else: an error in the worker itself, or the worker process died.
    INTERNAL = "internal"


@dataclass(frozen=True)
class Failure:
    """What went wrong in one report x language.

    Attributes:
        kind: The kind of failure.
        ename: Exception name (``ValueError``, ``CellTimeoutError``, ...).
        evalue: Exception message.
        cell: 1-based index of the failing cell in the source notebook, if known.
        cell_source: Last non-empty line of that cell (at most 120 characters).
        notebook: The partly executed notebook, if papermill wrote one.
        traceback: The worker's own traceback (internal failures only).
    """

    kind: FailureKind
    ename: str
    evalue: str
    cell: int | None = None
    cell_source: str = ""
    notebook: Path | None = None
    traceback: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        value = asdict(self)
        value["kind"] = self.kind.value
        value["notebook"] = None if self.notebook is None else str(self.notebook)
        return value

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Failure:
        """Read what :meth:`to_dict` wrote."""
        fields = {k: value.get(k) for k in cls.__dataclass_fields__}
        fields["kind"] = FailureKind(fields["kind"])
        fields["notebook"] = _path(fields["notebook"])
        fields["cell_source"] = fields["cell_source"] or ""
        return cls(**fields)


@dataclass(frozen=True)
class WorkerResult:
    """Worker -> engine, at the end: success, or the failure.

    Attributes:
        failure: None when the report was executed (or taken from the cache) and exported.
    """

    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        """Whether the job succeeded."""
        return self.failure is None

    def to_json(self) -> str:
        """Serialise."""
        failure = None if self.failure is None else self.failure.to_dict()
        return json.dumps({"type": "result", "failure": failure}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> WorkerResult:
        """Read what :meth:`to_json` wrote.

        Raises:
            MessageError: Not a result.
        """
        value = _decode(text, "result")
        failure = value.get("failure")
        return cls(None if failure is None else Failure.from_dict(failure))
