"""Metadata sidecars (``data/<name>.meta.yml``), the source catalogue and data freshness."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from gba_report import paths
from gba_report.data.errors import DataError, raise_if_any
from gba_report.data.schemas import COLUMN_TYPES, TABLES

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
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    import csv

    row = next(csv.reader([first]), None)
    return [c.strip() for c in row] if row else None


#: Age (days) after which a dataset's figures count as stale, unless report/reports.yml says
#: otherwise (``settings.max_data_age_days``). The build log, the scheduled run and the
#: reports' sources sections all use this one rule.
DEFAULT_MAX_DATA_AGE_DAYS = 365


def configured_max_data_age_days(manifest_file: Path | None = None) -> int:
    """Return ``settings.max_data_age_days`` from the report manifest, else the default.

    Args:
        manifest_file: The report manifest (default :func:`gba_report.paths.manifest_file`).
    """
    path = manifest_file or paths.manifest_file()
    try:
        manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        value = (manifest.get("settings") or {}).get("max_data_age_days")
        return int(value) if value is not None else DEFAULT_MAX_DATA_AGE_DAYS
    except (OSError, yaml.YAMLError, AttributeError, TypeError, ValueError):
        return DEFAULT_MAX_DATA_AGE_DAYS


def stale_datasets(
    max_age_days: int,
    names: list[str] | None = None,
    today: dt.date | None = None,
    data_dir: Path | None = None,
) -> list[tuple[str, str | None]]:
    """Return ``(name, date_accessed)`` of the datasets compiled more than ``max_age_days`` ago.

    A dataset whose sidecar cannot be read or has no valid ``date_accessed`` counts as stale,
    with ``None`` as its date.

    Args:
        max_age_days: Oldest acceptable ``date_accessed``, in days.
        names: Datasets to check (default: every dataset present).
        today: Reference date (default: today, UTC).
        data_dir: Folder of the data.
    """
    from gba_report.data.schemas import DATASET_ORDER

    data_dir = data_dir or paths.data_dir()
    today = today or dt.datetime.now(dt.UTC).date()
    stale: list[tuple[str, str | None]] = []
    for name in names if names is not None else DATASET_ORDER:
        if not (data_dir / f"{name}.csv").exists():
            continue
        try:
            accessed = _parse_date(read_sidecar(name, data_dir).get("date_accessed"))
        except DataError:
            accessed = None
        if accessed is None or (today - accessed).days > max_age_days:
            stale.append((name, accessed.isoformat() if accessed else None))
    return stale


def freshness_warnings(
    max_age_days: int, today: dt.date | None = None, data_dir: Path | None = None
) -> list[str]:
    """List the datasets whose figures were compiled more than ``max_age_days`` ago.

    Args:
        max_age_days: Oldest acceptable ``date_accessed``, in days.
        today: Reference date (default: today, UTC).
        data_dir: Folder of the data.

    Returns:
        One line per stale (or undated) dataset, e.g.
        ``rd_intensity: data accessed 2026-11-29, 400 days ago (limit 365)``.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    lines = []
    for name, accessed in stale_datasets(max_age_days, today=today, data_dir=data_dir):
        if accessed is None:
            lines.append(f"{name}: sidecar has no readable, valid date_accessed")
        else:
            age = (today - dt.date.fromisoformat(accessed)).days
            lines.append(f"{name}: data accessed {accessed}, {age} days ago (limit {max_age_days})")
    return lines


def codebook_markdown(data_dir: Path | None = None) -> str:
    """Render a reader-facing codebook (tables, columns, units, sources) from the sidecars.

    Args:
        data_dir: Folder of the data.

    Returns:
        Markdown text; ``data/CODEBOOK.md`` holds it (``scripts/write_codebook.py`` rewrites it).
    """
    import csv

    from gba_report.data.schemas import DATASET_ORDER

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
            out += ["", f"Sources ({len(sources)}):", ""]
            for sid in sources:
                row = catalogue.get(str(sid), {})
                title = _cell(f"{row.get('publisher', '')}: {row.get('title', '')}".strip(": "))
                url = row.get("url", "")
                out.append(f"- `{sid}` {title}" + (f" <{url}>" if url else ""))
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")
