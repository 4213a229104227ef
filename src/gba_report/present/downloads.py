"""Downloads of a chart or table: what the kernel hands the build, and how the files are named.

A section shown in a notebook (:meth:`gba_report.present.sections.Section.show`) displays, under
the caption of each chart or table, one output with the MIME type :data:`MIME_TYPE` holding a
:class:`DownloadPayload`: the CSV of exactly ``section.data`` (one code path: the frame the
section computed, written with :func:`csv_text`), its column types, the section's source ids
and, for a chart, the PNG at twice the screen resolution. The chart's SVG is the chart output
itself (``metadata["image/svg+xml"]["gba_download"]`` names its download id). The payload
travels inside the executed notebook, so a cached notebook publishes the same files; the build
(:mod:`gba_report.engine.downloads`) writes them next to the report and the HTML export turns
the output into the link row. Nothing here imports IPython or matplotlib.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

#: MIME type of a download payload output.
MIME_TYPE = "application/vnd.gba-report.download+json"
#: Key in a chart output's ``image/svg+xml`` metadata naming its download id.
SVG_KEY = "gba_download"
#: Resolution of the PNG relative to the screen chart (2x, for slides).
PNG_SCALE = 2


@dataclass(frozen=True)
class DownloadPayload:
    """One chart's or table's downloads, as displayed in the notebook.

    Attributes:
        id: File stem of the downloads (the section's name; ``-2``... for a second chart).
        kind: ``chart`` (CSV, SVG, PNG) or ``table`` (CSV).
        section: The section's name (its method on the report).
        title: The section's first heading ("" when none).
        caption: Caption of the chart or table.
        sources: Source ids named in the section's source lines.
        csv: ``section.data`` as CSV (:func:`csv_text`).
        fields: ``[{"name", "type"}]`` of the CSV's columns (Frictionless types).
        png: The chart as PNG, base64 ("" for a table).
    """

    id: str
    kind: str
    section: str
    title: str
    caption: str
    sources: list[str]
    csv: str
    fields: list[dict[str, str]] = field(default_factory=list)
    png: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (the output's data under :data:`MIME_TYPE`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> DownloadPayload:
        """Read what :meth:`to_dict` wrote."""
        return cls(**{k: value[k] for k in cls.__dataclass_fields__ if k in value})

    @property
    def png_bytes(self) -> bytes:
        """The PNG's bytes (empty for a table)."""
        return base64.b64decode(self.png) if self.png else b""


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV of a section's frame: UTF-8 text, no index, newline line ends, empty for NA."""
    return frame.to_csv(index=False, lineterminator="\n")


def field_type(series: pd.Series) -> str:
    """Frictionless type of a frame column (``string`` unless the dtype says otherwise)."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    return "string"


def table_fields(frame: pd.DataFrame) -> list[dict[str, str]]:
    """``[{"name", "type"}]`` of every column of ``frame``, in order."""
    return [{"name": str(col), "type": field_type(frame[col])} for col in frame.columns]


def file_names(payload_id: str, kind: str) -> dict[str, str]:
    """The files of one download id by format (``csv``; ``svg`` and ``png`` for a chart)."""
    names = {"csv": f"{payload_id}.csv"}
    if kind == "chart":
        names.update(svg=f"{payload_id}.svg", png=f"{payload_id}.png")
    return names


def files_dir(stem: str) -> str:
    """Folder of a report's downloads in the build, relative to its HTML (``<stem>.files``)."""
    return f"{stem}.files"


def archive_name(stem: str) -> str:
    """The data archive of a report x language (``<stem>.data.zip``)."""
    return f"{stem}.data.zip"
