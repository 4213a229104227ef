"""Read the hand-edited curation files (``data/curation/``) and write tables and sidecars.

The build scripts (``scripts/build_datasets.py``, ``scripts/build_gii_tables.py``) read the
reference compilation and the curation files, check, and write through these helpers, so every
curated CSV has its columns in schema order (:mod:`gba_report.data.schemas`), LF line ends and
minimal quoting, and every sidecar is the hand-written prose of
``data/curation/sidecars/<table>.yml`` plus what follows from the data: column types (from the
schema), the sources the rows cite, the latest period. Running a build twice writes the same
bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from gba_report import paths
from gba_report.data.datapackage import write_descriptor
from gba_report.data.metadata import codebook_markdown
from gba_report.data.provenance import split_ids
from gba_report.data.schemas import TABLES


class CurationError(SystemExit):
    """A curation file or a consistency check failed: the build stops with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(f"build stopped: {message}")


def curation_dir(data_dir: Path | None = None) -> Path:
    """Return the folder of the hand-edited curation files (``data/curation``)."""
    return (data_dir or paths.data_dir()) / "curation"


def check(condition: bool, message: str) -> None:
    """Stop the build with ``message`` when a consistency check fails.

    Args:
        condition: What must hold.
        message: What is wrong, naming file, row and column, and what to do.

    Raises:
        CurationError: When ``condition`` is false.
    """
    if not condition:
        raise CurationError(message)


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file into a list of dicts (every value as text, exactly as written)."""
    check(path.is_file(), f"{path} is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_yaml(path: Path) -> Any:
    """Read a YAML curation file."""
    check(path.is_file(), f"{path} is missing")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CurationError(f"{path} is not valid YAML: {exc}") from None


def write_table(out_dir: Path, name: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Write ``rows`` as ``out_dir/<name>.csv`` with the schema's columns, in order.

    Optional columns of the schema are written only when some row has a value in them, except
    ``uncertainty``, which every table with a ``confidence`` column carries.

    Args:
        out_dir: The data folder.
        name: Table name (a key of :data:`~gba_report.data.schemas.TABLES`).
        rows: Rows as dicts of text values.

    Returns:
        The columns written.
    """
    table = TABLES[name]
    present = {c.name for c in table.columns if not c.optional or any(r.get(c.name) for r in rows)}
    if "confidence" in present:
        present.add("uncertainty")
    columns = [c.name for c in table.columns if c.name in present]
    for row in rows:
        extra = set(row) - set(table.column_names) - {"_order"}
        check(not extra, f"{name}: row {dict(row)} has columns the schema lacks: {sorted(extra)}")
    with (out_dir / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c, "")) for c in columns})
    return columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def sources_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Distinct source ids cited by ``rows``, in first-seen order."""
    seen: list[str] = []
    for row in rows:
        for sid in split_ids(row.get("source_id", "")):
            if sid not in seen:
                seen.append(sid)
    return seen


def latest_period(name: str, rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The latest value of the table's period column (ISO text compares in date order)."""
    column = TABLES[name].period_column
    if column is None:
        return None
    values = [str(r.get(column, "")) for r in rows if r.get(column, "")]
    return max(values) if values else None


def write_sidecar(
    out_dir: Path,
    name: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    curation: Path,
    extra_sources: Iterable[str] = (),
) -> dict[str, Any]:
    """Write ``out_dir/<name>.meta.yml`` from the curation prose and the data.

    Args:
        out_dir: The data folder.
        name: Table name.
        rows: The rows written (their sources and latest period go into the sidecar).
        columns: The columns written (each must be documented in the prose file).
        curation: The curation folder (``data/curation``).
        extra_sources: Sources cited only in notes or caveats (listed after the rows' ones).

    Returns:
        The sidecar written.
    """
    prose_path = curation / "sidecars" / f"{name}.yml"
    prose = read_yaml(prose_path)
    check(isinstance(prose, dict), f"{prose_path} must be a mapping of sidecar keys")
    documented = prose.get("columns") or {}
    meta: dict[str, Any] = {}
    for key in ("title", "title_zh_hant", "description", "description_zh_hant"):
        if key in prose:
            meta[key] = prose[key]
    period = latest_period(name, rows) or prose.get("latest_period")
    check(period is not None, f"{prose_path}: give latest_period (the table has no period column)")
    meta["latest_period"] = str(period)
    meta["date_accessed"] = str(prose.get("date_accessed", ""))
    for key in ("licence", "licence_zh_hant"):
        if key in prose:
            meta[key] = prose[key]
    cited = sources_of(rows)
    meta["sources"] = cited + [s for s in extra_sources if s not in cited]
    if "release_calendar" in prose:
        meta["release_calendar"] = prose["release_calendar"]
    cols: dict[str, Any] = {}
    table = TABLES[name]
    for column in columns:
        entry = documented.get(column)
        check(
            isinstance(entry, dict) and entry.get("description"),
            f"{prose_path}: column {column} of {name}.csv is not documented (add description "
            "and unit under columns:)",
        )
        cols[column] = {
            "description": entry["description"],
            "unit": entry.get("unit", ""),
            "type": table.col(column).type,
        }
    stale = sorted(set(documented) - set(columns))
    check(not stale, f"{prose_path}: documents columns {name}.csv does not have: {stale}")
    meta["columns"] = cols
    for key in ("caveats", "caveats_zh_hant"):
        if key in prose:
            meta[key] = prose[key]
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    (out_dir / f"{name}.meta.yml").write_text(text, encoding="utf-8")
    return meta


def write_codebook_and_package(out_dir: Path) -> None:
    """Rewrite ``CODEBOOK.md`` and ``datapackage.json`` of ``out_dir`` from its sidecars."""
    (out_dir / "CODEBOOK.md").write_text(codebook_markdown(out_dir), encoding="utf-8")
    write_descriptor(out_dir)
