"""The sections of the ``summary`` brief: the three analyses' figures and charts, compactly.

The brief lays out what the full reports compute (their ``summary_points()`` and
``summary_chart()``) and names its sources in short: the main publishers of a chart's data
first, then "and N more". Each function returns a
:class:`~gba_report.present.sections.Section` whose ``data`` has the columns of
:data:`COLUMNS`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from gba_report import data
from gba_report.present import i18n, narrative
from gba_report.present.sections import Section
from gba_report.reports.base import BaseReport

#: Claim statuses, in display order.
STATUSES = ("confirmed", "corrected", "unverified")

#: Publishers named in a chart's source line before "and N more".
SOURCE_LINE_PUBLISHERS = 3

#: Abbreviations after which a full stop does not end an English sentence.
_ABBREVIATIONS = {"prof", "dr", "mr", "ms", "mrs", "no", "st", "vs", "e.g", "i.e", "etc", "inc"}

#: Columns of each section's data (a chart's are those of the full report's chart).
COLUMNS: dict[str, tuple[str, ...]] = {
    "intro": ("box", "statement", "source_id", "confidence"),
    "claims": (
        "claim_id",
        "claim",
        "claimed_value",
        "status",
        "status_name",
        "verdict",
        "verdict_name",
        "finding",
        "figure_dates",
        "source_id",
        "confidence",
    ),
    "sources": narrative.SOURCE_LIST_COLUMNS,
}


def _text(text: Any) -> str:
    """Escape running text for HTML (quotes kept as typed, as in the other report blocks)."""
    return html.escape(str(text), quote=False)


def numeric_order(claims: pd.DataFrame) -> pd.DataFrame:
    """The article's claims in numeric order (C1, C2, ... C23)."""
    order = claims["claim_id"].str.extract(r"(\d+)")[0].astype(int)
    return claims.assign(_n=order).sort_values("_n").drop(columns="_n")


def claim_counts(claims: pd.DataFrame) -> dict[str, int]:
    """Number of claims per status, in :data:`STATUSES` order."""
    counts = claims["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def _claims_sentence(report: BaseReport, counts: Mapping[str, int]) -> str:
    return report.t(
        "claims_heading",
        n=sum(counts.values()),
        confirmed=counts["confirmed"],
        corrected=counts["corrected"],
        unverified=counts["unverified"],
    )


def _box(report: BaseReport, title: str, points: Sequence[Any]) -> str:
    lines = []
    for i, point in enumerate(points):
        mark = i18n.confidence_mark(point.confidence) if point.confidence != "verified" else ""
        sup = f'<sup class="gba-mark">{mark}</sup>' if mark else ""
        cls = "gba-kf-lead" if i == 0 else "gba-kf-more"
        lines.append(f'<p class="{cls}">{_text(_sentence(point.text, report.lang))}{sup}</p>')
    return (
        f'<div class="gba-kf"><p class="gba-kf-title">{_text(title)}</p>'
        + "".join(lines)
        + "</div>"
    )


def intro(report: BaseReport, analyses: Mapping[str, BaseReport], claims: pd.DataFrame) -> Section:
    """The brief's question and its key figures: one box per analysis and the claims."""
    boxes, md, rows = [], [], []
    for key, analysis in analyses.items():
        points = analysis.summary_points()
        if not points:
            continue
        boxes.append(_box(report, report.t(f"box.{key}"), points))
        md += [f"- {_sentence(p.text, report.lang)}" for p in points]
        rows += [(key, _sentence(p.text, report.lang), p.source_id, p.confidence) for p in points]
    counts = claim_counts(claims)
    sentence = _sentence(_claims_sentence(report, counts), report.lang)
    spans = "".join(
        f'<span class="gba-status gba-status-{s}">'
        f"{_text(report.t(f'kf_count.{s}', n=i18n.fmt_int(n, report.lang)))}</span>"
        for s, n in counts.items()
    )
    boxes.append(
        f'<div class="gba-kf"><p class="gba-kf-title">{_text(report.t("box.claims"))}</p>'
        f'<p class="gba-kf-lead gba-kf-counts">{spans}</p>'
        f'<p class="gba-kf-more">{_text(sentence)}</p></div>'
    )
    md.append(f"- {sentence}")
    rows.append(("claims", sentence, ";".join(narrative.source_ids("article_claims")), ""))
    legend = ""
    if {r[3] for r in rows[:-1]} - {"verified"}:
        legend = f'<p class="gba-note">{_text(report.c("marks_legend"))}</p>'
    s = report.section("intro").para(report.t("question"))
    s.add(
        narrative.html_block(
            f'<div class="gba-kf-grid">{"".join(boxes)}</div>{legend}', "\n".join(md)
        )
    )
    return s.done(pd.DataFrame(rows, columns=list(COLUMNS["intro"])))


def chart(
    report: BaseReport, analysis: BaseReport, frame: pd.DataFrame, name: str, pair: bool
) -> Section:
    """An analysis's headline chart, with its caption and a short source line.

    Args:
        report: The brief.
        analysis: The full report whose chart it is.
        frame: The data table behind the chart (orders the publishers in the source line).
        name: Section name.
        pair: Half width, beside the next chart.
    """
    shown = analysis.summary_chart(compact=True)
    s = report.section(name)
    if shown is None:
        return s.done(pd.DataFrame())
    s.plain_chart(shown.figure, shown.caption)
    s.caption = shown.caption
    s.cite(list(shown.sources))
    line = short_source_text(report.lang, shown.sources, frame)
    cls = "gba-chart-notes gba-pair-notes" if pair else "gba-chart-notes"
    s.add(
        narrative.html_block(
            f'<div class="{cls}"><p class="gba-caption">{_text(shown.caption)}</p>'
            f'<p class="gba-source">{_text(line)}</p></div>',
            f"{shown.caption}\n\n{line}",
        )
    )
    return s.done(shown.data)


def publisher(lang: str, source_id: str, catalogue: pd.DataFrame) -> str:
    """Publisher of a source in ``lang`` (the id if it is not catalogued).

    Args:
        lang: ``en`` or ``zh-Hant``.
        source_id: A ``source_id`` of ``data/sources.csv``.
        catalogue: The source catalogue indexed by ``source_id``.
    """
    if source_id not in catalogue.index:
        return source_id
    row = catalogue.loc[source_id]
    if lang != "en" and str(row.get("publisher_zh_hant", "") or "").strip():
        return str(row["publisher_zh_hant"]).strip()
    return str(row.get("publisher", "") or "").strip() or source_id


def publishers(lang: str, ids: Iterable[str], frame: pd.DataFrame | None = None) -> list[str]:
    """Publishers of the given sources, each once; the main ones first.

    Args:
        lang: ``en`` or ``zh-Hant``.
        ids: Source ids.
        frame: The data table shown; publishers with more verified rows, then more rows in
            it, come first (otherwise: the order of ``ids``).
    """
    catalogue = data.load_sources().set_index("source_id")
    names: dict[str, tuple[int, int]] = {}
    shown: dict[str, str] = {}  # publisher identity (the catalogue's English name) -> name shown
    weights = _source_weights(frame) if frame is not None else {}
    for sid in dict.fromkeys(ids):
        name = shown.setdefault(publisher("en", sid, catalogue), publisher(lang, sid, catalogue))
        verified, rows = weights.get(sid, (0, 0))
        old = names.get(name, (0, 0))
        names[name] = (old[0] + verified, old[1] + rows)
    order = list(names)
    if frame is not None:
        order.sort(key=lambda name: (-names[name][0], -names[name][1]))
    return order


def short_source_text(lang: str, ids: Iterable[str], frame: pd.DataFrame | None = None) -> str:
    """Source line naming the main publishers only ("... and 12 more": see the end).

    Args:
        lang: ``en`` or ``zh-Hant``.
        ids: Source ids behind a chart or table.
        frame: The data table shown (orders the publishers, see :func:`publishers`).
    """
    names = publishers(lang, ids, frame)
    sep = "; " if lang == "en" else "；"
    if len(names) <= SOURCE_LINE_PUBLISHERS:
        key = "common.source_prefix" if len(names) == 1 else "common.sources_prefix"
        colon = ": " if lang == "en" else "："
        return f"{i18n.tr(lang, key)}{colon}{sep.join(names)}"
    return i18n.tr(
        lang,
        "summary.sources_short",
        names=sep.join(names[:SOURCE_LINE_PUBLISHERS]),
        n=len(names) - SOURCE_LINE_PUBLISHERS,
    )


def _figure_dates(report: BaseReport, dates: object) -> str:
    """The dates of a finding's figures, after the finding ("" when it states no figure)."""
    parts = [d for d in str(dates if isinstance(dates, str) else "").split(";") if d]
    if not parts:
        return ""
    precision = {4: "year", 7: "month", 10: "day"}
    when = [i18n.fmt_date(d, precision[len(d)], report.lang) for d in parts]
    if report.lang == "en":  # short month names: the brief's table has little room
        when = [re.sub(r"\b([A-Z][a-z]{2})[a-z]+\b", r"\1", w) for w in when]
    text = report.t("figure_dates", dates=("; " if report.lang == "en" else "；").join(when))
    return f' <span class="gba-verdict">{_text(text)}</span>'


def claims(report: BaseReport, claims: pd.DataFrame, statuses: Sequence[str]) -> Section:
    """The "claims checked" table: every claim of ``statuses``, its status, the finding (short)."""
    s = report.section("claims").heading(_claims_sentence(report, claim_counts(claims)))
    frame = claims[claims["status"].isin(statuses)]
    if frame.empty:
        s.note(report.t("claims_none"))
        return s.done(pd.DataFrame(columns=list(COLUMNS["claims"])))
    en = report.lang == "en"
    findings = frame["finding_en"] if en else frame["finding_zh_hant"]
    wording = frame["claim_en"] if en else frame["wording_zh_hant"]
    status_names = [report.t(f"status.{st}") for st in frame["status"]]
    verdict_names = [report.t(f"verdict.{v}") for v in frame["verdict"]]
    rows = pd.DataFrame(
        {
            "claim_id": frame["claim_id"],
            "claim": wording,
            # the status chip, and what the evidence shows where it says more than the status
            "status": [
                f'<span class="gba-status gba-status-{st}">{_text(name)}</span>'
                + (f'<br><span class="gba-verdict">{_text(vname)}</span>' if v != st else "")
                for st, name, v, vname in zip(
                    frame["status"], status_names, frame["verdict"], verdict_names, strict=True
                )
            ],
            "finding": [
                f'<span title="{html.escape(str(full))}">'
                f"{_text(first_sentence(str(full), report.lang))}</span>"
                + _figure_dates(report, dates)
                for full, dates in zip(findings, frame["figure_dates"], strict=True)
            ],
            "confidence": frame["confidence"],
        }
    )
    columns = {
        "claim_id": report.t("col_id"),
        "claim": report.t("col_claim"),
        "status": report.t("col_status"),
        "finding": report.t("col_finding"),
    }
    s.cite("article_claims")
    s.add(
        narrative.table(
            rows,
            report.lang,
            columns=columns,
            css_class="gba-claims",
            html_cols=("status", "finding"),
        )
    )
    caption = report.t("claims_caption")
    s.caption = caption
    line = short_source_text(
        report.lang, narrative.source_ids("article_claims"), data.load_article_claims()
    )
    s.add(
        narrative.html_block(
            f'<div class="gba-chart-notes"><p class="gba-caption">{_text(caption)}</p>'
            f'<p class="gba-source">{_text(line)}</p></div>',
            f"{caption}\n\n{line}",
        )
    )
    table = frame.assign(
        claim=wording, status_name=status_names, verdict_name=verdict_names, finding=findings
    )
    return s.done(table[list(COLUMNS["claims"])])


def sources(report: BaseReport, reports: Sequence[BaseReport], today: dt.date | None) -> Section:
    """Sources of the brief: one paragraph of publishers and a pointer to the full reports."""
    lang = report.lang
    overdue = narrative.overdue_releases(list(report.datasets), lang, today)
    fresh = " ".join(overdue) if overdue else report.c("freshness_none_due")
    sep = "; " if lang == "en" else "、"
    quoted = sep.join(report.t("report_quoted", title=r.title()) for r in reports)
    cited = narrative.source_ids(report.cited)
    names = publishers(lang, cited)
    pointer = report.t("sources_pointer", reports=quoted, section=report.c("sources_heading"))
    listed = report.t("sources_publishers", n=i18n.fmt_int(len(names), lang))
    colon, stop = (": ", ".") if lang == "en" else ("：", "。")
    pubs = (sep if lang == "en" else "；").join(names)
    s = report.section("sources").heading(report.t("sources_heading"))
    s.add(
        narrative.html_block(
            f'<p class="gba-sources-compact">{_text(pointer)} '
            f"{_text(report.c('generated_note'))} {_text(fresh)}</p>"
            f'<p class="gba-sources-compact"><strong>{_text(listed)}</strong>'
            f"{colon}{_text(pubs)}{stop}</p>",
            f"{pointer} {fresh}\n\n{listed}{colon}{pubs}{stop}",
        )
    )
    return s.done(narrative.source_list(cited, lang))


def _source_weights(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """``{source_id: (verified rows, rows)}`` in a data table (``;``-joined ids: each counted)."""
    rows = frame.assign(
        _sid=frame["source_id"].astype(str).str.split(";"),
        _ok=frame["confidence"].astype(str).eq("verified") if "confidence" in frame else False,
    ).explode("_sid")
    rows["_sid"] = rows["_sid"].str.strip()
    grouped = rows.groupby("_sid")["_ok"].agg(["sum", "size"])
    return {str(k): (int(r["sum"]), int(r["size"])) for k, r in grouped.iterrows()}


def first_sentence(text: str, lang: str) -> str:
    """Return the first sentence of ``text`` (the whole text if it is one sentence).

    A full stop inside brackets or quotes, or after an abbreviation ("Prof."), does not end a
    sentence; in Chinese the sentence ends at the first "。" outside brackets and quotes.

    Args:
        text: Running text.
        lang: ``en`` or ``zh-Hant``.
    """
    text = str(text).strip()
    opening, closing = "(（「《“[", ")）」》”]"
    depth = 0
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch == "。":
            return text[: i + 1]
        elif depth == 0 and ch in ".!?" and lang == "en":
            rest = text[i + 1 :]
            word = re.findall(r"[\w.]+$", text[:i])
            if word and word[0].lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if re.match(r"\s+[A-Z“\"(0-9]", rest):
                return text[: i + 1]
    return text


def _sentence(text: str, lang: str) -> str:
    """End a heading-style text with a full stop (``.`` / ``。``) for running text."""
    text = str(text).strip()
    if re.search(r"[.。!?！？]$", text):
        return text
    return text + ("." if lang == "en" else "。")
