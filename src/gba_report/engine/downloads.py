"""The downloads of a built report: the files of every chart and table, and its data archive.

The kernel leaves, in the executed notebook, one :class:`~gba_report.present.downloads.
DownloadPayload` per chart or table (the CSV of ``section.data``, its column types, the PNG) and
the chart's SVG output (:mod:`gba_report.present.downloads`). From that notebook, cached or
fresh, the build writes next to the report ``<report>.<lang>.files/<id>.csv|svg|png`` and
``<report>.<lang>.data.zip`` (every CSV, a Frictionless ``datapackage.json`` with types, units,
sources and licences, and a README in the report's language). Nothing is recomputed: the files
are the bytes the kernel made.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from gba_report import paths
from gba_report.data.metadata import read_sidecar
from gba_report.data.provenance import split_ids
from gba_report.data.schemas import DATASET_ORDER
from gba_report.fileio import atomic_write_bytes, atomic_write_text
from gba_report.present import i18n
from gba_report.present.downloads import (
    MIME_TYPE,
    SVG_KEY,
    DownloadPayload,
    archive_name,
    file_names,
    files_dir,
)

#: Time stamp of every archive member.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
#: Licence notes (``sources.csv``) that allow reuse under CC BY 4.0.
CC_BY_PREFIX = "CC BY 4.0"
#: Units of derived columns no sidecar documents, by the end of the column's name.
UNIT_SUFFIXES = (
    ("_pct_gdp", "percent of GDP"),
    ("_pct_per_year", "percent per year"),
    ("_pct", "percent"),
    ("_pp", "percentage points"),
    ("_rmb_100m", "RMB 100 million"),
    ("_rmb_million", "RMB million"),
    ("_hkd_million", "HKD million"),
    ("_million", "million (currency in column currency)"),
    ("_year", "calendar year"),
)


@dataclass(frozen=True)
class ReportDownloads:
    """Every download of one report x language, read from its executed notebook.

    Attributes:
        payloads: One per chart or table, in report order (a section with a chart and a table
            has two, sharing one CSV).
        svgs: The SVG of each chart by download id.
    """

    payloads: tuple[DownloadPayload, ...]
    svgs: dict[str, str]

    @classmethod
    def from_notebook(cls, nb: Mapping[str, Any]) -> ReportDownloads:
        """Collect the payloads and chart SVGs of an executed notebook."""
        payloads: list[DownloadPayload] = []
        svgs: dict[str, str] = {}
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []) or []:
                data = output.get("data") or {}
                if MIME_TYPE in data:
                    payloads.append(DownloadPayload.from_dict(data[MIME_TYPE]))
                meta = (output.get("metadata") or {}).get("image/svg+xml") or {}
                if "image/svg+xml" in data and meta.get(SVG_KEY):
                    text = data["image/svg+xml"]
                    svgs[meta[SVG_KEY]] = "".join(text) if isinstance(text, list) else text
        return cls(tuple(payloads), svgs)

    def tables(self) -> dict[str, DownloadPayload]:
        """One payload per CSV (download id), first seen first."""
        out: dict[str, DownloadPayload] = {}
        for payload in self.payloads:
            out.setdefault(payload.section, payload)
        return out


def _csv_name(payload: DownloadPayload) -> str:
    # a section's CSV is one file, whichever of its charts or tables links it
    return f"{payload.section}.csv"


def links(payload: DownloadPayload, stem: str) -> dict[str, str]:
    """Relative links (from the report's HTML) of a payload's files, by format."""
    folder = files_dir(stem)
    names = file_names(payload.id, payload.kind)
    names["csv"] = _csv_name(payload)
    return {fmt: f"{folder}/{name}" for fmt, name in names.items()}


@cache
def _column_docs() -> dict[str, dict[str, str]]:
    """Description and unit of every column the sidecars document (first table wins)."""
    docs: dict[str, dict[str, str]] = {}
    for name in DATASET_ORDER:
        try:
            sidecar = read_sidecar(name)
        except (OSError, ValueError):  # a table without a sidecar documents nothing
            continue
        for col, doc in (sidecar.get("columns") or {}).items():
            if isinstance(doc, dict) and col not in docs:
                docs[col] = {k: str(doc[k]) for k in ("description", "unit") if doc.get(k)}
    return docs


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    with (paths.data_dir() / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: row for row in csv.DictReader(handle)}


def _unit(name: str) -> str:
    return next((unit for suffix, unit in UNIT_SUFFIXES if name.endswith(suffix)), "")


def _field(spec: Mapping[str, str]) -> dict[str, Any]:
    name = spec["name"]
    doc = _column_docs().get(name, {})
    out: dict[str, Any] = {"name": name, "type": spec["type"]}
    if spec["type"] == "boolean":
        out.update(trueValues=["True"], falseValues=["False"])
    if doc.get("description"):
        out["description"] = " ".join(doc["description"].split())
    unit = doc.get("unit") or _unit(name)
    if unit:
        out["unit"] = unit
    return out


def source_ids(payloads: Sequence[DownloadPayload]) -> list[str]:
    """Every catalogued source id the payloads name, first seen first."""
    ids: list[str] = []
    for payload in payloads:
        for sid in payload.sources:
            for part in split_ids(sid):
                if part in _catalogue() and part not in ids:
                    ids.append(part)
    return ids


def licence(ids: Sequence[str], lang: str) -> tuple[dict[str, str], str]:
    """The data licence of a report: its Data Package entry and the reader's statement.

    "CC BY 4.0" only where every source's licence note allows it; otherwise each source's
    own terms apply, and the statement lists them.

    Args:
        ids: Source ids of the report's charts and tables.
        lang: Language of the statement.
    """
    notes = [_catalogue()[sid].get("licence_note", "") for sid in ids]
    if notes and all(n.startswith(CC_BY_PREFIX) for n in notes):
        entry = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
        return {**entry, "title": "CC BY 4.0"}, str(i18n.tr(lang, "reuse.licence.cc_by"))
    column = "publisher" if lang == "en" else "publisher_zh_hant"
    open_ones: list[str] = []
    for sid, note in zip(ids, notes, strict=True):
        row = _catalogue()[sid]
        name = row.get(column) or row.get("publisher", "")
        if note.startswith(CC_BY_PREFIX) and name and name not in open_ones:
            open_ones.append(name)
    text = str(i18n.tr(lang, "reuse.licence.mixed"))
    if open_ones:
        names = str(i18n.tr(lang, "engine.title_block.list_separator")).join(open_ones)
        text += str(i18n.tr(lang, "reuse.licence.some_cc_by", names=names))
    return {"name": "other-at", "title": text}, text


def _source_entry(sid: str) -> dict[str, Any]:
    row = _catalogue()[sid]
    entry: dict[str, Any] = {"id": sid, "title": f"{row['publisher']}: {row['title']}"}
    if row.get("origin_url"):
        entry["path"] = row["origin_url"]
    if row.get("date_published"):
        entry["published"] = row["date_published"]
    if row.get("licence_note"):
        entry["licence"] = row["licence_note"]
    return entry


def datapackage(
    found: ReportDownloads, stem: str, title: str, lang: str, data_version: str
) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of a report's archive."""
    tables = found.tables()
    ids = source_ids(list(tables.values()))
    package_licence, _ = licence(ids, lang)
    resources = []
    for payload in tables.values():
        own = source_ids([payload])
        resources.append(
            {
                "name": payload.section.lower().replace("_", "-"),
                "path": _csv_name(payload),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": payload.title or payload.caption or payload.section,
                "description": payload.caption,
                "sources": [_source_entry(sid) for sid in own],
                "licenses": [licence(own, lang)[0]] if own else [package_licence],
                "schema": {
                    "fields": [_field(spec) for spec in payload.fields],
                    "missingValues": [""],
                },
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": stem.lower().replace("_", "-").replace(".", "-"),
        "title": title,
        "version": data_version,
        "language": lang,
        "licenses": [package_licence],
        "sources": [_source_entry(sid) for sid in ids],
        "resources": resources,
    }


def readme(found: ReportDownloads, title: str, lang: str, data_version: str) -> str:
    """README of a report's archive, in the report's language (Markdown)."""
    tables = found.tables()
    _, statement = licence(source_ids(list(tables.values())), lang)

    def t(key: str, **fmt: Any) -> str:
        return str(i18n.tr(lang, f"reuse.readme.{key}", **fmt))

    lines = [
        f"# {t('title', title=title)}",
        "",
        t("intro"),
        "",
        t("data_version", data_version=data_version),
        "",
    ]
    lines += [f"## {t('files')}", ""]
    lines += [f"- `{_csv_name(p)}`: {p.title or p.caption}" for p in tables.values()]
    lines += ["- `datapackage.json`", "", t("confidence"), "", f"## {t('licence')}", "", statement]
    lines += ["", t("cite"), ""]
    return "\n".join(lines)


def publish(
    nb: Mapping[str, Any], stem: str, title: str, lang: str, data_version: str, build: Path
) -> dict[str, Any]:
    """Write a report's download files and data archive into the build.

    Args:
        nb: The executed notebook (cached or fresh).
        stem: ``<report>.<lang>``.
        title: The report's title in ``lang``.
        lang: Report language.
        data_version: The build's data version.
        build: The build's folder.

    Returns:
        Its manifest entry: ``{"files": [relative paths], "archive": name}`` (``{}`` when the
        report has no chart or table).
    """
    found = ReportDownloads.from_notebook(nb)
    if not found.payloads:
        return {}
    written: list[str] = []
    for payload in found.payloads:
        files = links(payload, stem)
        atomic_write_text(build / files["csv"], payload.csv)
        if payload.kind == "chart":
            atomic_write_text(build / files["svg"], found.svgs[payload.id])
            atomic_write_bytes(build / files["png"], payload.png_bytes)
        written += [rel for rel in files.values() if rel not in written]
    descriptor = datapackage(found, stem, title, lang, data_version)
    members = {_csv_name(p): p.csv for p in found.tables().values()}
    members["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    members["README.md"] = readme(found, title, lang, data_version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            # a fixed time stamp: the same data gives the same archive, byte for byte
            archive.writestr(
                zipfile.ZipInfo(name, ZIP_TIME), text.encode("utf-8"), zipfile.ZIP_DEFLATED
            )
    atomic_write_bytes(build / archive_name(stem), buffer.getvalue())
    return {"files": written, "archive": archive_name(stem)}
