"""The curated data as a standard Frictionless Data Package (``data/datapackage.json``).

Generated from the schemas (:mod:`gba_report.data.schemas`: types, constraints, keys, foreign
keys into the code lists) and the sidecars (titles, descriptions, units, licences, sources), with
every source's origin and retrieval from ``data/sources.csv``. ``frictionless validate
data/datapackage.json`` checks the tables against it; a test fails when the committed file is
out of date (rewrite it with ``.venv/bin/python scripts/write_codebook.py``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from gba_report import paths
from gba_report.data.metadata import read_sidecar
from gba_report.data.provenance import split_ids
from gba_report.data.schemas import DATASET_ORDER, ISO_DATE, TABLES, Col

#: File name of the descriptor in the data folder.
DESCRIPTOR = "datapackage.json"


def _field(col: Col, doc: dict[str, Any], header: set[str]) -> dict[str, Any]:
    """Frictionless field descriptor of one column."""
    kind = col.type
    out: dict[str, Any] = {"name": col.name}
    constraints: dict[str, Any] = {}
    if kind == "date":
        # partial ISO dates (YYYY or YYYY-MM) are strings with a pattern, full dates are dates
        kind = "date" if col.pattern == ISO_DATE else "string"
    out["type"] = kind
    if kind == "boolean":
        out["trueValues"] = ["True"]
        out["falseValues"] = ["False"]
    if doc.get("description"):
        out["description"] = str(doc["description"])
    if doc.get("unit"):
        out["unit"] = str(doc["unit"])
    if col.required:
        constraints["required"] = True
    if col.allowed is not None:
        constraints["enum"] = list(col.allowed)
    if col.min is not None and kind in ("integer", "number"):
        constraints["minimum"] = int(col.min) if kind == "integer" else col.min
    if col.max is not None and kind in ("integer", "number"):
        constraints["maximum"] = int(col.max) if kind == "integer" else col.max
    if col.pattern is not None and kind == "string":
        # Frictionless matches the whole value; the schema's patterns match from the start
        pattern = col.pattern.removeprefix("^")
        constraints["pattern"] = pattern[:-1] if pattern.endswith("$") else pattern + ".*"
    if constraints:
        out["constraints"] = constraints
    return out


def _licence(name: str, meta: dict[str, Any]) -> dict[str, str]:
    """Licence entry: Open Definition id ``other-at`` (attribution) unless the table is CC BY."""
    title = " ".join(str(meta.get("licence", "")).split())
    if name == "rd_intensity_worldbank":
        return {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": title,
        }
    return {"name": "other-at", "title": title}


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _resource(name: str, data_dir: Path, catalogue: dict[str, dict[str, str]]) -> dict[str, Any]:
    table = TABLES[name]
    meta = read_sidecar(name, data_dir)
    header = _header(data_dir / f"{name}.csv")
    docs = meta.get("columns") or {}
    fields = [_field(table.col(c), docs.get(c) or {}, set(header)) for c in header]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.keys:
        schema["primaryKey"] = list(table.keys[0])
    foreign = []
    for col in table.columns:
        if col.ref and col.name in header and col.ref != "sources":
            key = TABLES[col.ref].keys[0][0]
            target = "" if col.ref == name else col.ref
            foreign.append(
                {"fields": [col.name], "reference": {"resource": target, "fields": [key]}}
            )
    if foreign:
        schema["foreignKeys"] = foreign
    sources = []
    for sid in meta.get("sources") or []:
        row = catalogue.get(str(sid))
        if row is None:
            continue
        entry: dict[str, Any] = {"title": f"{row['publisher']}: {row['title']}", "id": sid}
        if row.get("origin_url"):
            entry["path"] = row["origin_url"]
        if row.get("date_published"):
            entry["published"] = row["date_published"]
        entry["retrieval"] = {
            "kind": row.get("retrieval_kind", ""),
            "location": row.get("retrieval_location", ""),
            "date_accessed": row.get("date_accessed", ""),
        }
        if row.get("retrieval_sha256"):
            entry["retrieval"]["sha256"] = row["retrieval_sha256"]
        sources.append(entry)
    resource: dict[str, Any] = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        # declared, so a validator never guesses the delimiter from ';'-joined source ids
        "dialect": {"delimiter": ",", "header": True},
        "title": str(meta.get("title", "")),
        "description": " ".join(str(meta.get("description", "")).split()),
        "licenses": [_licence(name, meta)],
        "sources": sources,
        "latest_period": str(meta.get("latest_period", "")),
        "schema": schema,
    }
    calendar = meta.get("release_calendar")
    if calendar:
        resource["release_calendar"] = calendar
    return resource


def build_descriptor(data_dir: Path | None = None) -> dict[str, Any]:
    """Return the data package descriptor of the data folder.

    Args:
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).

    Returns:
        A Frictionless tabular data package (one resource per table present).
    """
    data_dir = data_dir or paths.data_dir()
    catalogue: dict[str, dict[str, str]] = {}
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as handle:
        catalogue = {row["source_id"]: row for row in csv.DictReader(handle)}
    names = [n for n in DATASET_ORDER if (data_dir / f"{n}.csv").is_file()]
    used: list[str] = []
    for name in names:
        for sid in read_sidecar(name, data_dir).get("sources") or []:
            for part in split_ids(sid):
                if part not in used:
                    used.append(part)
    return {
        "profile": "tabular-data-package",
        "name": "gba-innovation-report-data",
        "title": "Curated data of the GBA innovation report",
        "description": (
            "R&D intensity, cross-border research funding and WIPO innovation-cluster rankings "
            "for the Guangdong-Hong Kong-Macao Greater Bay Area, each figure with its source "
            "(origin and retrieval) and a confidence level. See CODEBOOK.md."
        ),
        "licenses": [
            {
                "name": "other-at",
                "title": "Mixed: each table's licence applies (official statistics and news "
                "figures cited with attribution; World Bank WDI CC BY 4.0); the project's own "
                "code lists and catalogue are MIT with the project.",
            }
        ],
        "resources": [_resource(name, data_dir, catalogue) for name in names],
    }


def descriptor_text(data_dir: Path | None = None) -> str:
    """Return ``datapackage.json`` as written (sorted nowhere: order follows the schemas)."""
    return json.dumps(build_descriptor(data_dir), ensure_ascii=False, indent=2) + "\n"


def write_descriptor(data_dir: Path | None = None) -> Path:
    """Write ``data/datapackage.json``; return its path."""
    data_dir = data_dir or paths.data_dir()
    path = data_dir / DESCRIPTOR
    path.write_text(descriptor_text(data_dir), encoding="utf-8")
    return path
