"""How to cite a built report: the box at its end, its BibTeX entry and the build's CITATION.cff.

The box is rendered when the HTML is exported (title, publisher line and URL from
``report/reports.yml``, build date and data version from the title block, the data licence
from the sources of its charts and tables), with the run id left as a placeholder: the export
may be cached and reused by a later build. :func:`fill_run_id` puts the build's own run id in
when the manifest is written (:func:`gba_report.engine.manifest.write_manifest`), so a cached
notebook or HTML still cites the build it is published in. The PDF is printed before that and
says where the run id is (``manifest.json``); its document information is set by
:mod:`gba_report.engine.pdfmeta`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import yaml

from gba_report.engine.config import Settings, load_config
from gba_report.present import i18n
from gba_report.present.downloads import archive_name, files_dir

#: Where the template puts the box.
CITATION_MARKER = "<!--GBA-CITATION-->"
#: Element holding the run id (filled from the manifest).
_RUN_ID_RE = re.compile(r'(<span class="gba-run-id">)(.*?)(</span>)', re.S)
#: The build's citation file.
CFF_FILE = "CITATION.cff"


def bib_name(stem: str) -> str:
    """The BibTeX file of a report x language (``<stem>.bib``)."""
    return f"{stem}.bib"


def report_url(settings: Settings, stem: str) -> str:
    """The published URL of a report's HTML ("" when ``settings.publish_url`` is not set)."""
    base = settings.publish_url.strip().rstrip("/")
    return f"{base}/{stem}.html" if base else ""


def _t(lang: str, key: str, **fmt: Any) -> str:
    return str(i18n.tr(lang, f"reuse.cite.{key}", **fmt))


def _date(iso: str, lang: str) -> str:
    try:
        return i18n.fmt_date(iso, "day", lang)
    except (ValueError, IndexError):  # not an ISO date: as given
        return iso


def box_html(
    meta: Mapping[str, Any], stem: str, licence: str, settings: Settings, downloads: bool = True
) -> str:
    """The "How to cite" box of one report (run id still a placeholder).

    Args:
        meta: The title block's metadata (:class:`gba_report.engine.title.ReportMeta`).
        stem: ``<report>.<lang>``.
        licence: The data licence statement (:func:`gba_report.engine.downloads.licence`).
        settings: ``settings`` of the report manifest (publisher, publish URL).
        downloads: The report has download files (a data archive to link and name).
    """
    esc = html.escape
    lang = str(meta.get("lang", "en"))
    iso = str(meta.get("date", ""))
    title, version = str(meta.get("title", "")), str(meta.get("data_version", ""))
    publisher = settings.publisher.get(lang) or str(i18n.tr(lang, "reuse.project_name"))
    run = f'<span class="gba-run-id">{esc(_t(lang, "run_id_pending"))}</span>'
    url = report_url(settings, stem)
    full = esc(
        _t(
            lang,
            "full_format",
            publisher=publisher,
            year=iso[:4],
            title=title,
            date=_date(iso, lang),
            data_version=version,
            run_id="\0",
        )
    ).replace("\0", run)
    if url:
        full += f' <a href="{esc(url)}">{esc(url)}</a>'
    licence_line = f"<strong>{esc(_t(lang, 'licence'))}</strong> {esc(licence)}"
    inline = esc(_t(lang, "inline_format", publisher=publisher, year=iso[:4]))
    where = esc(
        str(
            i18n.tr(
                lang, "reuse.downloads.in_pdf", files=files_dir(stem), archive=archive_name(stem)
            )
        )
    )
    bib = bib_name(stem)
    archive = (
        f' · <a href="{esc(archive_name(stem))}">'
        f"{esc(str(i18n.tr(lang, 'reuse.downloads.archive')))}</a>"
    )
    return (
        f'<section class="gba-cite" aria-labelledby="gba-cite">\n'
        f'<h2 id="gba-cite">{esc(_t(lang, "heading"))}</h2>\n'
        f"<p><strong>{esc(_t(lang, 'inline'))}</strong> {inline}</p>\n"
        f'<p class="gba-cite-full"><strong>{esc(_t(lang, "full"))}</strong> {full}</p>\n'
        f'<p class="gba-cite-licence">{licence_line}</p>\n'
        f'<p class="gba-cite-files"><a href="{esc(bib)}">'
        f"{esc(_t(lang, 'bibtex', file=bib))}</a> · "
        f'<a href="{CFF_FILE}">{CFF_FILE}</a>{archive if downloads else ""}</p>\n'
        + (f'<p class="gba-print-only">{where}</p>\n' if downloads else "")
        + "</section>"
    )


def add_box(
    body: str,
    meta: Mapping[str, Any],
    stem: str,
    lang: str,
    licence: str,
    downloads: bool = True,
) -> str:
    """Put the "How to cite" box where the template left :data:`CITATION_MARKER`."""
    if CITATION_MARKER not in body:
        return body
    settings = load_config().settings
    box = box_html({**meta, "lang": lang}, stem, licence, settings, downloads)
    return body.replace(CITATION_MARKER, box)


def fill_run_id(page: str, run_id: str) -> str:
    """The page with the build's run id in its "How to cite" box."""
    return _RUN_ID_RE.sub(lambda m: f"{m.group(1)}{html.escape(run_id)}{m.group(3)}", page)


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def bibtex(
    stem: str, title: str, lang: str, manifest: Mapping[str, Any], settings: Settings
) -> str:
    """The BibTeX entry (``@techreport``) of one report x language of a build."""
    date = str(manifest.get("finished") or manifest.get("started") or "")[:10]
    publisher = settings.publisher.get(lang) or str(i18n.tr(lang, "reuse.project_name"))
    key = re.sub(r"[^A-Za-z0-9]+", "-", f"gba-{stem}-{date}").strip("-")
    fields = {
        "title": "{" + _bib_escape(title) + "}",
        "author": "{" + _bib_escape(publisher) + "}",
        "institution": "{" + _bib_escape(publisher) + "}",
        "year": date[:4],
        "month": date[5:7],
        "note": "{"
        + _bib_escape(
            f"{_t(lang, 'version_label')} {manifest.get('data_version', '')}; "
            f"run {manifest.get('run_id', '')}"
        )
        + "}",
        "language": "{" + lang + "}",
    }
    url = report_url(settings, stem)
    if url:
        fields["url"] = "{" + url + "}"
    body = ",\n".join(f"  {k} = {v}" for k, v in fields.items())
    return f"@techreport{{{key},\n{body}\n}}\n"


def citation_cff(manifest: Mapping[str, Any], settings: Settings) -> str:
    """``CITATION.cff`` of a build: the project, this run, and each report as a reference."""
    date = str(manifest.get("finished") or manifest.get("started") or "")[:10]
    publisher = settings.publisher.get("en") or str(i18n.tr("en", "reuse.project_name"))
    base = settings.publish_url.strip().rstrip("/")
    doc: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use these reports or their data, please cite them as below.",
        "title": str(i18n.tr("en", "reuse.project_name")),
        "type": "dataset",
        "authors": [{"name": publisher}],
        "version": str(manifest.get("run_id", "")),
        "date-released": date,
        "keywords": ["Greater Bay Area", "innovation", "R&D", "WIPO GII"],
        "abstract": f"Build {manifest.get('run_id', '')}, data version "
        f"{manifest.get('data_version', '')}.",
    }
    if manifest.get("git_commit"):
        doc["commit"] = str(manifest["git_commit"])
    if base:
        doc["url"] = base
    references = []
    for name, entry in (manifest.get("reports") or {}).items():
        for lang in entry.get("langs") or {}:
            stem = f"{name}.{lang}"
            ref: dict[str, Any] = {
                "type": "report",
                "title": str(load_title(entry, lang)),
                "authors": [{"name": settings.publisher.get(lang) or publisher}],
                "year": int(date[:4]) if date[:4].isdigit() else date[:4],
                "languages": [lang.split("-")[0]],  # ISO 639 (zh-Hant: zh)
                "notes": f"data version {manifest.get('data_version', '')}; "
                f"run {manifest.get('run_id', '')}",
            }
            if base:
                ref["url"] = f"{base}/{stem}.html"
            references.append(ref)
    doc["references"] = references
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def load_title(entry: Mapping[str, Any], lang: str) -> str:
    """A report's title in ``lang`` from its manifest entry (one string or per language)."""
    title = entry.get("title") or ""
    if isinstance(title, dict):
        return str(title.get(lang) or title.get("en") or "")
    return str(title)
