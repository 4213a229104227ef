"""Metadata sidecars (``data/<name>.meta.yml``) and the codebook generated from them."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from gba_report import paths
from gba_report.data.errors import DataError, raise_if_any
from gba_report.data.schemas import COLUMN_TYPES, DATASET_ORDER, TABLES
from gba_report.fileio import SAFE_YAML

#: Keys every sidecar must have.
REQUIRED_KEYS = (
    "title",
    "description",
    "latest_period",
    "date_accessed",
    "licence",
    "sources",
    "columns",
    # the zh-Hant reports show these (narrative.sources_section)
    "title_zh_hant",
    "licence_zh_hant",
    # the publishers' release calendars (gba_report.data.freshness)
    "release_calendar",
)
#: Keys every column entry must have.
COLUMN_KEYS = ("description", "unit", "type")


def sidecar_path(name: str, data_dir: Path | None = None) -> Path:
    """Return the path of the sidecar of dataset ``name``."""
    return (data_dir or paths.data_dir()) / f"{name}.meta.yml"


def _key_lines(text: str) -> dict[str, int]:
    """Map top-level keys and ``columns.<name>`` entries to their 1-based line numbers."""
    lines: dict[str, int] = {}
    in_columns = False
    for number, raw in enumerate(text.splitlines(), start=1):
        top = re.match(r"^([A-Za-z_][\w-]*)\s*:", raw)
        if top:
            lines.setdefault(top.group(1), number)
            in_columns = top.group(1) == "columns"
            continue
        sub = re.match(r"^\s{1,8}([A-Za-z_][\w-]*)\s*:", raw)
        if in_columns and sub:
            lines.setdefault(f"columns.{sub.group(1)}", number)
    return lines


def read_sidecar(name: str, data_dir: Path | None = None) -> dict[str, Any]:
    """Read the sidecar of dataset ``name`` without checking its content.

    Args:
        name: Dataset name.
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).

    Returns:
        The parsed YAML mapping.

    Raises:
        DataError: When the sidecar is missing or is not a YAML mapping.
    """
    path = sidecar_path(name, data_dir)
    if not path.is_file():
        raise DataError(path, rule="sidecar-exists", detail="metadata sidecar is missing")
    try:
        meta = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_YAML)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            path,
            rule="sidecar-yaml",
            line=(mark.line + 1) if mark is not None else None,
            detail=f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
        ) from None
    except UnicodeDecodeError:
        raise DataError(path, rule="encoding", detail="not UTF-8 text") from None
    if not isinstance(meta, dict):
        raise DataError(path, rule="sidecar-yaml", detail="is not a YAML mapping of keys")
    return meta


def check_sidecar(
    name: str,
    meta: dict[str, Any],
    csv_columns: list[str] | None,
    source_ids: set[str] | None,
    data_dir: Path | None = None,
) -> list[DataError]:
    """Check one sidecar against its CSV header, its schema and the source catalogue.

    Args:
        name: Dataset name.
        meta: The parsed sidecar.
        csv_columns: Header of the CSV (None when the CSV could not be read).
        source_ids: Ids in ``sources.csv`` (None when the catalogue could not be read).
        data_dir: Folder of the data.

    Returns:
        Every problem found (empty when the sidecar is complete).
    """
    path = sidecar_path(name, data_dir)
    try:
        lines = _key_lines(path.read_text(encoding="utf-8"))
    except OSError:
        lines = {}
    errors: list[DataError] = []

    def err(column: str, rule: str, detail: str, line_key: str | None = None) -> None:
        errors.append(
            DataError(
                path, column=column, rule=rule, detail=detail, line=lines.get(line_key or column)
            )
        )

    for key in REQUIRED_KEYS:
        value = meta.get(key)
        if value is None or (isinstance(value, str | list | dict) and len(value) == 0):
            err(key, "sidecar-key", f"required key '{key}' is missing or empty")
    accessed = meta.get("date_accessed")
    if accessed is not None and not _parse_date(accessed):
        err("date_accessed", "pattern", f'value "{accessed}" is not an ISO date YYYY-MM-DD')
    sources = meta.get("sources")
    if sources is not None and not isinstance(sources, list):
        err("sources", "sidecar-key", "must be a list of source ids")
    elif sources and source_ids is not None:
        for sid in sources:
            if str(sid) not in source_ids:
                err("sources", "source-exists", f'source "{sid}" is not in sources.csv')
    for key in ("caveats", "caveats_zh_hant"):
        if key in meta and not isinstance(meta[key], list):
            err(key, "sidecar-key", "must be a list of sentences")

    columns = meta.get("columns")
    if columns is not None and not isinstance(columns, dict):
        err("columns", "sidecar-key", "must map each column name to description/unit/type")
        columns = None
    table = TABLES.get(name)
    if isinstance(columns, dict):
        for col_name, entry in columns.items():
            where = f"columns.{col_name}"
            if not isinstance(entry, dict):
                err(col_name, "sidecar-column", "entry must have description, unit and type", where)
                continue
            for key in COLUMN_KEYS:
                value = entry.get(key)
                missing = value is None or (key != "unit" and str(value).strip() == "")
                if missing:
                    err(
                        col_name,
                        "sidecar-column",
                        f"column documentation lacks '{key}'",
                        where,
                    )
            ctype = entry.get("type")
            if ctype is not None and ctype not in COLUMN_TYPES:
                err(col_name, "sidecar-type", f'type "{ctype}" is not one of {COLUMN_TYPES}', where)
            elif ctype is not None and table is not None:
                spec = next((c for c in table.columns if c.name == col_name), None)
                if spec is not None and spec.type != ctype:
                    err(
                        col_name,
                        "sidecar-type",
                        f'documented type "{ctype}" differs from the schema type "{spec.type}"',
                        where,
                    )
        if csv_columns is not None:
            for col_name in csv_columns:
                if col_name and col_name not in columns:
                    err(col_name, "sidecar-column", "column is not documented in the sidecar")
            for col_name in columns:
                if col_name not in csv_columns:
                    err(
                        col_name,
                        "sidecar-extra-column",
                        "documented column is missing from the CSV",
                        f"columns.{col_name}",
                    )
    return errors


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def load_metadata(name: str, data_dir: Path | None = None) -> dict[str, Any]:
    """Load and check the sidecar of dataset ``name`` (against its CSV header).

    Args:
        name: Dataset name, e.g. ``rd_intensity``.
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).

    Returns:
        The sidecar as a dict (``date_accessed`` and ``latest_period`` as strings).

    Raises:
        DataError: When the sidecar is missing or incomplete.
    """
    data_dir = data_dir or paths.data_dir()
    meta = read_sidecar(name, data_dir)
    header = _csv_header(data_dir / f"{name}.csv")
    raise_if_any(check_sidecar(name, meta, header, None, data_dir))
    meta = dict(meta)
    for key in ("date_accessed", "latest_period"):
        if key in meta and meta[key] is not None:
            meta[key] = str(meta[key])
    return meta


def _csv_header(path: Path) -> list[str] | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    row = next(csv.reader([first]), None)
    return [c.strip() for c in row] if row else None


def codebook_markdown(data_dir: Path | None = None) -> str:
    """Render a reader-facing codebook (tables, columns, units, sources) from the sidecars.

    Args:
        data_dir: Folder of the data.

    Returns:
        Markdown text; ``data/CODEBOOK.md`` holds it (``scripts/write_codebook.py`` rewrites it).
    """
    data_dir = data_dir or paths.data_dir()
    catalogue: dict[str, dict[str, str]] = {}
    if (data_dir / "sources.csv").is_file():
        with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as handle:
            catalogue = {row["source_id"]: row for row in csv.DictReader(handle)}
    out = [
        "# Codebook of the curated data",
        "",
        "Generated from the metadata sidecars (`data/<table>.meta.yml`) by "
        "`scripts/write_codebook.py`; do not edit by hand. Every row of every table names its "
        "source (`source_id`, into `sources.csv`) and a `confidence` (verified, secondary, "
        "unverified).",
        "",
    ]
    names = [n for n in DATASET_ORDER if (data_dir / f"{n}.meta.yml").is_file()]
    out += ["| Table | Title | Latest | Accessed |", "|---|---|---|---|"]
    out += [
        f"| [`{n}`](#{n}) | {_cell(read_sidecar(n, data_dir).get('title', ''))} | "
        f"{read_sidecar(n, data_dir).get('latest_period', '')} | "
        f"{read_sidecar(n, data_dir).get('date_accessed', '')} |"
        for n in names
    ]
    for name in names:
        meta = read_sidecar(name, data_dir)
        out += ["", f"## {name}", "", f"**{meta.get('title', '')}**", ""]
        if meta.get("title_zh_hant"):
            out += [f"{meta['title_zh_hant']}", ""]
        out += [str(meta.get("description", "")).strip(), ""]
        out += [f"File: `data/{name}.csv`. Licence: {str(meta.get('licence', '')).strip()}", ""]
        calendar = meta.get("release_calendar") or []
        if calendar:
            out += ["Release calendar:", ""]
            for entry in calendar:
                out.append(
                    f"- {_cell(entry.get('publisher', ''))}: {_cell(entry.get('publication', ''))} "
                    f"({entry.get('kind', '')}; {_cell(entry.get('typical', ''))})"
                )
            out.append("")
        out += ["| Column | Type | Unit | Description |", "|---|---|---|---|"]
        for col, entry in (meta.get("columns") or {}).items():
            entry = entry or {}
            out.append(
                f"| `{col}` | {entry.get('type', '')} | {_cell(entry.get('unit', ''))} | "
                f"{_cell(entry.get('description', ''))} |"
            )
        caveats = meta.get("caveats") or []
        if caveats:
            out += ["", "Caveats:", ""] + [f"- {_cell(c)}" for c in caveats]
        sources = meta.get("sources") or []
        if sources:
            out += ["", f"Sources ({len(sources)}; origin, then where the project read it):", ""]
            for sid in sources:
                row = catalogue.get(str(sid), {})
                title = _cell(f"{row.get('publisher', '')}: {row.get('title', '')}".strip(": "))
                url = row.get("origin_url", "")
                when = row.get("date_published", "")
                line = f"- `{sid}` {title}" + (f", {when}" if when else "")
                line += f" <{url}>" if url else ""
                kind = row.get("retrieval_kind", "")
                where = _cell(row.get("retrieval_location", ""))
                if kind or where:
                    line += f". Read: {kind}, {where}"
                    if row.get("retrieval_sha256"):
                        line += f" (sha256 {row['retrieval_sha256']})"
                    line += f", {row.get('date_accessed', '')}"
                out.append(line)
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")
