"""Reader-facing text blocks: headings, paragraphs, captions, tables, source lines, sources.

Every function *builds* an :class:`Output` (HTML + Markdown renderings) and displays nothing;
a report section collects them and displays them once (:mod:`gba_report.present.sections`).
Text is HTML-escaped.

- ``styles()``: the stylesheet of these blocks (``report_styles.css``) as a ``<style>`` block.
- ``heading(text, level=2)``: a heading (``<h2>``; the build's table of contents picks up h2/h3).
- ``para(text)``: a paragraph; ``**bold**`` is allowed (escaped otherwise).
- ``bullets(items)``: a bulleted list.
- ``caption(text)``: a figure/table caption (``<p class="gba-caption">``).
- ``note(text)``: a caveat (``<p class="gba-note">``).
- ``html_block(markup, markdown)``: trusted package-made HTML with its text rendering.
- ``source_text(names_or_ids, lang)`` -> ``str``; ``source_line(names_or_ids, lang)`` builds
  it (``Source: publisher, title; ...`` / ``資料來源：...``). Accepts dataset names (their
  sidecar ``sources``) or ``source_id`` values from ``data/sources.csv`` (``;``-joined allowed).
- ``confidence_note(confidences, lang)``: the legend of the † / ‡ marks when some figures shown
  are secondary or unverified (None otherwise).
- ``table(df, lang, columns=..., confidence_col=..., align=...)``: an HTML table
  (``class="gba-table"``) with translated headers, a mark after each secondary (†) or
  unverified (‡) row's first cell and the legend under the table.
- ``sources_section(datasets, lang, today=None)``: the closing "Caveats and sources" section
  built from the metadata sidecars (title, caveats, and each source's origin: publisher, title,
  official URL, date published, licence) with each publication's "latest in the data / next
  expected" from its release calendar and a warning where a newer release is overdue.
  Reader-facing citations come from ``data.origin_citation``: never the copy the project read.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from gba_report import data
from gba_report.present import i18n


@dataclass(frozen=True)
class Output:
    """A text block: its HTML and its Markdown (plain-text) rendering."""

    html: str
    markdown: str

    def _repr_html_(self) -> str:
        return self.html

    def _repr_markdown_(self) -> str:
        return self.markdown


def _inline(text: str) -> str:
    """Escape text for HTML, keeping ``**bold**``."""
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w一-鿿]+", "-", str(text).lower(), flags=re.UNICODE).strip("-")
    return slug[:80] or "section"


def heading(text: str, level: int = 2) -> Output:
    """A heading that states a finding.

    Args:
        text: The heading text (plain text).
        level: 1-4 (the build's table of contents uses levels 2 and 3).
    """
    level = min(max(int(level), 1), 4)
    return Output(
        f'<h{level} id="{html.escape(_slug(text))}">{_inline(text)}</h{level}>',
        f"{'#' * level} {text}",
    )


def para(text: str, css_class: str = "") -> Output:
    """A paragraph.

    Args:
        text: Plain text; ``**bold**`` is kept.
        css_class: Extra CSS class of the ``<p>``.
    """
    cls = f' class="{css_class}"' if css_class else ""
    return Output(f"<p{cls}>{_inline(text)}</p>", str(text))


def bullets(items: Iterable[str]) -> Output:
    """A bulleted list.

    Args:
        items: One string per bullet (``**bold**`` kept).
    """
    items = [str(i) for i in items]
    body = "".join(f"<li>{_inline(i)}</li>" for i in items)
    return Output(f'<ul class="gba-list">{body}</ul>', "\n".join(f"- {i}" for i in items))


def caption(text: str) -> Output:
    """A caption under a chart or table.

    Args:
        text: Caption text.
    """
    return para(text, css_class="gba-caption")


def note(text: str) -> Output:
    """A caveat / note paragraph.

    Args:
        text: Note text.
    """
    return para(text, css_class="gba-note")


def html_block(markup: str, markdown: str) -> Output:
    """Trusted HTML produced by the package together with its plain-text rendering.

    Args:
        markup: The HTML (already escaped where it holds data).
        markdown: Its Markdown / plain-text rendering (what tests and text readers see).
    """
    return Output(markup, markdown)


def styles() -> Output:
    """The report-block stylesheet (``report_styles.css``) as a ``<style>`` element."""
    css = (Path(__file__).resolve().parent / "report_styles.css").read_text(encoding="utf-8")
    return Output(f"<style>{css}</style>", "")


# --------------------------------------------------------------------------- sources


def _sources_frame() -> pd.DataFrame:
    return data.load_sources().set_index("source_id")


def _dataset_sources(name: str) -> list[str]:
    meta = data.load_metadata(name)
    return [str(s) for s in meta.get("sources", [])]


def _resolve_source_ids(names_or_ids: str | Iterable[str]) -> list[str]:
    if isinstance(names_or_ids, str):
        names_or_ids = [names_or_ids]
    datasets = set(data.dataset_names())
    ids: list[str] = []
    for item in names_or_ids:
        for part in str(item).split(";"):
            part = part.strip()
            if not part:
                continue
            found = _dataset_sources(part) if part in datasets else [part]
            for sid in found:
                if sid not in ids:
                    ids.append(sid)
    return ids


def _localised(row: Mapping[str, Any] | pd.Series, column: str, lang: str) -> str:
    """Return ``row[column]``, or its ``<column>_zh_hant`` value in zh-Hant when it has one."""
    for key in (f"{column}_zh_hant", column) if lang != "en" else (column,):
        value = row.get(key, "")
        if value is not None and not (isinstance(value, float) and pd.isna(value)):
            text = str(value).strip()
            if text:
                return text
    return ""


def _source_entry(publisher: str, title: str, lang: str, markup: bool = False) -> str:
    """Return "publisher, title" in ``lang`` (``出版者《標題》`` in zh-Hant).

    With ``markup`` the values are HTML-escaped and the title marked up as the locale says.
    """
    if markup:
        publisher, title = _inline(publisher), _inline(title)
    if not (publisher and title):
        return publisher or title
    if lang != "en" and "《" in title:  # the title marks its own work names: not wrapped again
        return f"{publisher}{title}"
    key = "common.source_entry_html" if markup else "common.source_entry"
    return i18n.tr(lang, key, publisher=publisher, title=title)


def source_ids(names_or_ids: str | Iterable[str]) -> list[str]:
    """Return the ``source_id`` values behind dataset names and/or source ids, each once.

    Args:
        names_or_ids: Dataset names (their sidecar ``sources``) and/or ``source_id`` values
            (``;``-joined ids allowed).
    """
    return _resolve_source_ids(names_or_ids)


def source_text(names_or_ids: str | Iterable[str], lang: str, detail: bool = False) -> str:
    """Return the source line for datasets or source ids.

    Args:
        names_or_ids: Dataset names (``rd_intensity``) and/or ``source_id`` values (``;``-joined
            ids allowed, as in the data's ``source_id`` column).
        lang: ``en`` or ``zh-Hant``.
        detail: Name each source (publisher, title); default: the publishers only, each once
            (the closing section lists every title and URL).

    Returns:
        ``"Sources: Publisher A; Publisher B"`` (``"資料來源：..."`` in zh-Hant).
    """
    ids = _resolve_source_ids(names_or_ids)
    catalogue = _sources_frame()
    parts: list[str] = []
    for sid in ids:
        if sid in catalogue.index:
            origin = data.origin_citation(sid, lang)
            publisher, title = origin.publisher, origin.title
            text = _source_entry(publisher, title, lang) if detail else publisher
            text = text or sid
        else:
            text = sid
        if text not in parts:
            parts.append(text)
    key = "common.source_prefix" if len(parts) == 1 else "common.sources_prefix"
    sep = i18n.tr(lang, "common.list_separator")
    colon = i18n.tr(lang, "common.label_colon")
    return f"{i18n.tr(lang, key)}{colon}{sep.join(parts)}"


def source_line(names_or_ids: str | Iterable[str], lang: str) -> Output:
    """The source line for datasets or source ids (see :func:`source_text`).

    Args:
        names_or_ids: Dataset names and/or source ids.
        lang: ``en`` or ``zh-Hant``.
    """
    return para(source_text(names_or_ids, lang), css_class="gba-source")


def confidence_note(confidences: Iterable[str], lang: str) -> Output | None:
    """The † / ‡ legend when any figure shown is secondary or unverified.

    Args:
        confidences: Confidence values of the figures shown.
        lang: ``en`` or ``zh-Hant``.

    Returns:
        The note, or ``None`` when every figure is verified.
    """
    values = {str(c) for c in confidences}
    if not values - {"verified"}:
        return None
    return note(i18n.tr(lang, "common.marks_legend"))


# --------------------------------------------------------------------------- tables


def table(
    df: pd.DataFrame,
    lang: str,
    columns: Mapping[str, str] | None = None,
    confidence_col: str | None = "confidence",
    align: Mapping[str, str] | None = None,
    css_class: str = "",
    html_cols: Iterable[str] = (),
) -> Output:
    """A DataFrame as an HTML table with translated headers and confidence marks.

    Args:
        df: The rows to show, values already formatted as text where needed.
        lang: ``en`` or ``zh-Hant``.
        columns: ``{column: header}`` in display order (headers already translated); default:
            every column except ``confidence_col`` with its own name.
        confidence_col: Column holding verified/secondary/unverified; a mark (†/‡) is added to
            the first shown cell of each non-verified row and the legend goes under the table.
        align: ``{column: "left"|"right"|"center"}``.
        css_class: Extra CSS class.
        html_cols: Columns whose values are already HTML (not escaped).
    """
    html_cols = set(html_cols)
    if columns is None:
        columns = {c: c for c in df.columns if c != confidence_col}
    align = dict(align or {})
    cols = list(columns)
    head = "".join(
        f'<th style="text-align:{align.get(c, "left")}">{html.escape(str(columns[c]))}</th>'
        for c in cols
    )
    rows = []
    confs = []
    for _, row in df.iterrows():
        conf = str(row[confidence_col]) if confidence_col and confidence_col in row else ""
        confs.append(conf or "verified")
        mark = i18n.confidence_mark(conf) if conf else ""
        cells = []
        for j, c in enumerate(cols):
            value = row[c]
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
            text = str(text) if c in html_cols else _inline(str(text))
            if j == 0 and mark:
                text += f'<sup class="gba-mark">{mark}</sup>'
            cells.append(f'<td style="text-align:{align.get(c, "left")}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    legend = ""
    if any(c not in ("verified", "") for c in confs):
        legend = f'<p class="gba-note">{_inline(i18n.tr(lang, "common.marks_legend"))}</p>'
    cls = f"gba-table {css_class}".strip()
    html_table = (
        f'<table class="{cls}">'
        + f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{legend}"
    )
    md = "| " + " | ".join(str(columns[c]) for c in cols) + " |\n|" + "---|" * len(cols)
    for _, row in df.iterrows():
        cells_md = [
            re.sub(r"<[^>]+>", "", str(row[c])) if c in html_cols else str(row[c]) for c in cols
        ]
        md += "\n| " + " | ".join(cells_md) + " |"
    return Output(html_table, md)


# --------------------------------------------------------------------------- closing section


def _dataset_title(name: str, meta: Mapping[str, Any], lang: str) -> str:
    key = f"common.dataset_title.{name}"
    if i18n.has(lang, key):
        return i18n.tr(lang, key)
    if lang != "en" and meta.get("title_zh_hant"):
        return str(meta["title_zh_hant"])
    return str(meta.get("title", name))


def _release_text(status: data.ReleaseStatus, lang: str) -> str:
    """One line of a publication's release status ("latest in the data / next expected")."""
    zh = lang != "en"
    fields = {
        "publisher": (status.publisher_zh_hant if zh else "") or status.publisher,
        "publication": (status.publication_zh_hant if zh else "") or status.publication,
        "typical": (status.typical_zh_hant if zh else "") or status.typical,
        "latest": status.latest_period or "",
        "period": status.next_period or "",
        "date": i18n.fmt_date(status.next_expected.isoformat(), "day", lang)
        if status.next_expected
        else "",
    }
    if status.kind == "none" or status.latest_period is None:
        return i18n.tr(lang, "common.freshness_irregular", **fields)
    key = {"annual": "freshness_status", "database": "freshness_database"}[status.kind]
    return i18n.tr(lang, f"common.{key}{'_overdue' if status.is_overdue else ''}", **fields)


def overdue_releases(datasets: Sequence[str], lang: str, today: dt.date | None = None) -> list[str]:
    """Reader-facing lines for the releases expected by ``today`` but not in the data.

    Args:
        datasets: Dataset names.
        lang: ``en`` or ``zh-Hant``.
        today: Date the release calendars are judged by (default: today).
    """
    lines, seen = [], set()
    for name in datasets:
        for status in data.release_status(name, today=today):
            if status.is_overdue and status.calendar_id not in seen:
                seen.add(status.calendar_id)
                lines.append(_release_text(status, lang))
    return lines


def sources_section(
    datasets: Sequence[str],
    lang: str,
    today: dt.date | None = None,
    used_sources: Iterable[str] | None = None,
    caveats: bool = True,
    intro: str | None = None,
    compact: bool = False,
) -> Output:
    """The closing "Caveats and sources" section from the metadata sidecars.

    Args:
        datasets: Names of the datasets the report used.
        lang: ``en`` or ``zh-Hant``.
        today: Date the release calendars are judged by (default: today).
        used_sources: Source ids the report actually cited; when given, each dataset lists
            only those of its sources (its caveats are always listed).
        caveats: List each dataset's caveats (False: titles, periods and sources only, e.g.
            for a brief whose full reports carry the caveats).
        intro: Text replacing the standard introduction.
        compact: One line per dataset and the sources as one paragraph (for a brief).
    """
    used = cited_sources(used_sources)
    sep = _inline(i18n.tr(lang, "common.list_separator"))
    colon = _inline(i18n.tr(lang, "common.label_colon"))
    end = _inline(i18n.tr(lang, "common.sentence_end"))
    catalogue = _sources_frame()
    parts = [
        f'<h2 id="{_slug(i18n.tr(lang, "common.sources_heading"))}">'
        f"{_inline(i18n.tr(lang, 'common.sources_heading'))}</h2>",
        f"<p>{_inline(intro or i18n.tr(lang, 'common.sources_intro'))} "
        f"{_inline(i18n.tr(lang, 'common.generated_note'))}</p>",
    ]
    md = [f"## {i18n.tr(lang, 'common.sources_heading')}"]
    # freshness first: a reader should see it before the list
    items, overdue, seen = [], False, set()
    for name in datasets:
        for status in data.release_status(name, today=today):
            if status.calendar_id in seen:
                continue
            seen.add(status.calendar_id)
            overdue = overdue or status.is_overdue
            items.append(_release_text(status, lang))
    if items:  # a heading only over something: no release calendar, no freshness heading
        css = "gba-warning" if overdue else "gba-freshness"
        parts.append(f"<h3>{_inline(i18n.tr(lang, 'common.freshness_heading'))}</h3>")
        parts.append(
            f'<ul class="{css}">' + "".join(f"<li>{_inline(t)}</li>" for t in items) + "</ul>"
        )
        md += [f"- {t}" for t in items]
    for name in datasets:
        meta = data.load_metadata(name)
        title = _dataset_title(name, meta, lang)
        period = str(meta.get("latest_period", ""))
        accessed = str(meta.get("date_accessed", ""))
        if not compact:
            parts.append(f"<h3>{_inline(title)}</h3>")
        md.append(f"### {title}")
        parts.append(
            '<p class="gba-meta">'
            + (f"<strong>{_inline(title)}</strong>{colon}" if compact else "")
            + _inline(
                i18n.tr(
                    lang,
                    "common.dataset_latest",
                    period=period,
                    accessed=i18n.fmt_date(accessed, "day", lang) if accessed else "",
                )
            )
            + (
                f"{sep}{_inline(i18n.tr(lang, 'common.licence_label'))}{colon}"
                f"{_inline(_localised(meta, 'licence', lang))}"
                if _localised(meta, "licence", lang)
                else ""
            )
            + "</p>"
        )
        notes = meta.get("caveats_zh_hant" if lang != "en" else "caveats") or []
        if caveats and notes:
            parts.append(
                # the label stays on the page of its list (never alone at a page's foot)
                '<p class="gba-caveats-label" style="break-after: avoid; page-break-after: avoid">'
                f"<strong>{_inline(i18n.tr(lang, 'common.caveats_label'))}</strong></p>"
                '<ul class="gba-caveats">'
                + "".join(f"<li>{_inline(c)}</li>" for c in notes)
                + "</ul>"
            )
            md += [f"- {c}" for c in notes]
    # one list of sources for the whole report, each source once
    items, seen = [], set()
    for sid in listed_sources(datasets, used):
        if sid not in catalogue.index:
            items.append(f"<li>{_inline(sid)}</li>")
            continue
        row = catalogue.loc[sid]
        origin = data.origin_citation(sid, lang)  # the origin only: never the copy read
        en = data.origin_citation(sid, "en")  # one identity in both languages
        key = (en.publisher, en.title, en.url, en.date_published)
        if key in seen:  # copies of one publication: the reader sees the origin once
            continue
        seen.add(key)
        url = origin.url
        link = f' <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
        date = origin.date_published
        if date:
            precision = {4: "year", 7: "month"}.get(len(date), "day")
            date = i18n.fmt_date(date, precision, lang)
        when = sep + _inline(i18n.tr(lang, "common.published_label", date=date)) if date else ""
        licence = _localised(row, "licence_note", lang)
        lic = f"{sep}{_inline(licence.rstrip('.。'))}" if licence else ""
        publisher, title = origin.publisher, origin.title
        entry = _source_entry(publisher, title, lang, markup=True)
        if compact:
            items.append(f"{entry}{link}")
        else:
            items.append(f"<li>{entry}{end + link if link else ''}{when}{lic}{end}</li>")
        md.append(f"- {_source_entry(publisher, title, lang)}{end + ' ' + url if url else end}")
    if items:
        parts.append(f"<h3>{_inline(i18n.tr(lang, 'common.sources_list_heading'))}</h3>")
        if compact:
            parts.append('<p class="gba-sources-compact">' + sep.join(items) + f"{end}</p>")
        else:
            parts.append('<ul class="gba-sources">' + "".join(items) + "</ul>")
    return Output(
        '<section class="gba-sources-section">' + "".join(parts) + "</section>", "\n".join(md)
    )


def listed_sources(datasets: Sequence[str], used: set[str] | None = None) -> list[str]:
    """The source ids the closing section lists: the datasets' sources, each once, in order.

    Args:
        datasets: Names of the datasets the report used.
        used: Source ids the report cited (None: every source of the datasets).
    """
    ids: list[str] = []
    for name in datasets:
        for sid in data.load_metadata(name).get("sources", []) or []:
            if (used is None or sid in used) and sid not in ids:
                ids.append(sid)
    return ids


def cited_sources(used_sources: Iterable[str] | None) -> set[str] | None:
    """The source ids behind what a report cited (None when it cited nothing in particular)."""
    return None if used_sources is None else set(_resolve_source_ids(list(used_sources)))


#: Columns of :func:`source_list`.
SOURCE_LIST_COLUMNS = ("source_id", "publisher", "title", "url", "date_accessed", "licence_note")


def source_list(ids: Iterable[str], lang: str) -> pd.DataFrame:
    """The catalogue entries of ``ids`` in ``lang``, one row per source (the sources' data).

    Args:
        ids: Source ids (an id not in the catalogue gets a row with only its id).
        lang: ``en`` or ``zh-Hant``.

    Returns:
        Columns :data:`SOURCE_LIST_COLUMNS`.
    """
    catalogue = _sources_frame()
    rows = []
    for sid in ids:
        row = catalogue.loc[sid] if sid in catalogue.index else pd.Series(dtype=object)
        rows.append(
            {
                "source_id": sid,
                "publisher": _localised(row, "publisher", lang),
                "title": _localised(row, "title", lang),
                "url": str(row.get("url", "") or ""),
                "date_accessed": str(row.get("date_accessed", "") or ""),
                "licence_note": _localised(row, "licence_note", lang),
            }
        )
    return pd.DataFrame(rows, columns=list(SOURCE_LIST_COLUMNS))
