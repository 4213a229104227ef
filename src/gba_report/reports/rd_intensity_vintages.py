"""Vintages and bases in words: the like-for-like change, revised and provisional notes, the brief.

Part of :mod:`gba_report.reports.rd_intensity_sections`: the sentences that say which basis a
change is computed on, which revised figures a chart draws (with their first releases) and which
are provisional, and the brief's two points.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from gba_report.analysis import indicators, rd
from gba_report.analysis.series import INTENSITY, preferred_series
from gba_report.reports.base import BaseReport, BriefPoint


def sep(report: BaseReport) -> str:
    """The space between two sentences (none in Chinese)."""
    return " " if report.lang == "en" else ""


def _items(report: BaseReport, rows: pd.DataFrame, key: str) -> str:
    """One ``key`` item per row of ``rows`` (region, year, value, first release), joined."""
    return report.names(
        report.t(
            key,
            region=report.region(r.region_code),
            year=report.year(r.year),
            value=report.pct(getattr(r, INTENSITY)),
            first=report.pct(r.first_release_value) if pd.notna(r.first_release_value) else "",
        )
        for r in rows.itertuples()
    )


def vintage_text(report: BaseReport, frame: pd.DataFrame) -> str:
    """Caption text: revised points drawn (with their first releases) and provisional points."""
    text = ""
    revised = frame[frame["is_revised"].astype(bool) & frame["first_release_value"].notna()]
    if frame["is_revised"].astype(bool).any():
        text += sep(report) + report.t(
            "revised_note", items=_items(report, revised, "revised_item")
        )
    provisional = frame[frame["is_provisional"].astype(bool)]
    if len(provisional):
        items = _items(report, provisional, "provisional_item")
        text += sep(report) + report.t("provisional_note", items=items)
    return text


def moved(report: BaseReport, pp: float) -> dict[str, str]:
    """``verb`` (up / down) and the unsigned ``change`` in percentage points."""
    return {"verb": report.t("up" if pp >= 0 else "down"), "change": report.pp(abs(pp))}


def change_text(report: BaseReport, a: rd.RDAnalysis) -> str:
    """The year-on-year change of the focus (and China) within one basis ("" without one)."""
    f = a.facts
    if f.change is None:
        return ""
    ch = f.change
    text = report.t(
        "change_sentence",
        prev_year=report.year(ch.previous.year),
        prev=report.pct(ch.previous.value),
        basis=report.t(f"basis.{ch.basis}"),
        **moved(report, ch.pp),
    )
    if ch.previous_first_release is not None:
        text += sep(report) + report.t(
            "change_first_release",
            prev_year=report.year(ch.previous.year),
            first=report.pct(ch.previous_first_release),
        )
    cn = f.cn_change
    if cn is not None and cn.basis == ch.basis and cn.latest.year == ch.latest.year:
        text += sep(report) + report.t(
            "change_cn",
            prev=report.pct(cn.previous.value),
            last=report.pct(cn.latest.value),
            **moved(report, cn.pp),
        )
    return text


def basis_spans(a: rd.RDAnalysis) -> list[pd.DataFrame]:
    """The focus's intensity figures of the window, one frame per basis, in order.

    The latest basis is the drawn line's (latest vintage). An earlier basis is read at its own
    vintage: its last year is the first release, not the revised value that moved that year to
    the new basis, so each frame holds figures on one basis only.
    """
    drawn = a.series(a.focus)
    if drawn.empty or "basis" not in drawn or drawn["basis"].nunique() < 2:
        return [drawn]
    latest = drawn["basis"].iloc[-1]
    own = preferred_series(a.rd, a.focus, latest_vintage=False)
    earlier = [own[own["basis"] == b] for b in dict.fromkeys(own["basis"]) if b != latest]
    return [*earlier, drawn[drawn["basis"] == latest]]


def span_changes(report: BaseReport, spans: Sequence[pd.DataFrame]) -> str:
    """The change within each basis of ``spans`` (those with two years or more), as a sentence."""
    items = [
        report.t(
            "basis_change_item",
            first_year=report.year(s["year"].iloc[0]),
            last_year=report.year(s["year"].iloc[-1]),
            first=report.pct(s[INTENSITY].iloc[0]),
            last=report.pct(s[INTENSITY].iloc[-1]),
            basis=report.t(f"basis.{s['basis'].iloc[-1]}"),
            **moved(report, float(s[INTENSITY].iloc[-1] - s[INTENSITY].iloc[0])),
        )
        for s in spans
        if len(s) > 1
    ]
    if not items:
        return ""
    return report.t("basis_changes", items=("; " if report.lang == "en" else "；").join(items))


def over_time_heading(report: BaseReport, a: rd.RDAnalysis) -> str:
    """The intensity chart's heading: first to last figure, naming both bases if they differ."""
    f, spans = a.facts, basis_spans(a)
    fmt = {
        "region": report.region(a.focus),
        "first": report.pct(f.intensity_first.value),
        "first_year": report.year(f.intensity_first.year),
        "last": report.pct(f.intensity.value),
        "last_year": report.year(f.intensity.year),
        "trend": report.t("rose" if f.intensity_change_pp >= 0 else "fell"),
    }
    if f.intensity_first.year == f.intensity.year:
        return report.t("over_time_single", **fmt)
    if len(spans) > 1:
        return report.t(
            "over_time_heading_bases",
            first_basis=report.t(f"basis.{spans[0]['basis'].iloc[0]}"),
            last_basis=report.t(f"basis.{spans[-1]['basis'].iloc[-1]}"),
            **fmt,
        )
    return report.t("over_time_heading", **fmt, **moved(report, f.intensity_change_pp))


def cities_heading(report: BaseReport, points: pd.DataFrame) -> str:
    """The city chart's heading: the cities compared in one year, on one basis.

    City figures are sparse (a city's latest figure may be years older than another's, and on
    an earlier GDP basis), so the cities are compared in the latest year with figures for two
    cities or more on one basis; the leader's own latest figure follows when it is later.
    """
    for year in sorted(set(points["year"]), reverse=True):
        rows = points[points["year"] == year].sort_values(INTENSITY, ascending=False)
        if rows["region_code"].nunique() < 2 or rows["basis"].nunique() > 1:
            continue
        lead = rows.iloc[0]
        text = report.t(
            "cities_heading_year",
            city=report.region(lead["region_code"]),
            year=report.year(year),
            value=report.pct(lead[INTENSITY]),
            others=report.names(
                report.t("city_value", city=report.region(r.region_code), value=report.pct(v))
                for r, v in zip(rows.iloc[1:].itertuples(), rows[INTENSITY].iloc[1:], strict=True)
            ),
        )
        own = points[points["region_code"] == lead["region_code"]].sort_values("year").iloc[-1]
        if int(own["year"]) > int(year):
            text += report.t(
                "cities_heading_latest",
                value=report.pct(own[INTENSITY]),
                year=report.year(own["year"]),
            )
        return text
    best, _ = rd.best_city(points)
    return report.t(
        "cities_heading_plain",
        city=report.region(best["region_code"]),
        value=report.pct(best[INTENSITY]),
        year=report.year(best["year"]),
    )


def sentence_end(report: BaseReport, text: str) -> str:
    """``text`` ending with a full stop."""
    stop = "." if report.lang == "en" else "。"
    return text if text.endswith(stop) else text + stop


def joined(lang: str, sentences: Sequence[str]) -> str:
    """Sentences joined as running text in ``lang``."""
    return " ".join(sentences) if lang == "en" else "".join(sentences)


def summary_points(report: BaseReport, a: rd.RDAnalysis) -> list[BriefPoint]:
    """Two sentences with the key numbers, for the executive brief, with their confidence."""
    f = a.facts
    points = []
    if f.intensity is not None:
        cn = f.cn_intensity
        key = "headline_above" if (cn.value if cn else 0) < f.intensity.value else "headline_plain"
        text = report.t(
            key,
            region=report.region(a.focus),
            year=report.year(f.intensity.year),
            value=report.pct(f.intensity.value),
            cn=report.pct(cn.value) if cn is not None else "",
        )
        if f.change is not None:
            short = report.t(
                "change_short",
                prev_year=report.year(f.change.previous.year),
                prev=report.pct(f.change.previous.value),
                **moved(report, f.change.pp),
            )
            text = joined(report.lang, [sentence_end(report, text), short])
        ids = indicators.joined_sources(f.intensity.source_id, cn.source_id if cn else "")
        points.append(BriefPoint(text, f.intensity.confidence, ids))
    if f.spend is not None:
        text = report.t(
            "headline_spend",
            region=report.region(a.focus),
            year=report.year(f.spend.year),
            value=report.rmb(f.spend.value),
        )
        if f.rank_spend:
            short = report.t("headline_rank_short", rank=f.rank_spend, n=f.n_spend)
            text = sentence_end(report, text.rstrip(".。") + short)
        points.append(BriefPoint(text, f.spend.confidence, f.spend.source_id))
    return points


def series_caption(report: BaseReport, frame: pd.DataFrame) -> str:
    """The statistical series of the lines drawn, named in the report language."""
    used = list(dict.fromkeys(frame["series"]))
    return ("; " if report.lang == "en" else "；").join(report.t(f"series.{s}") for s in used)


def breaks_text(report: BaseReport, frame: pd.DataFrame, short: bool = False) -> str:
    """Caption text naming the series breaks drawn in a chart ("" when none; brief: ``short``)."""
    breaks = frame[frame["is_series_break"]]
    if breaks.empty:
        return ""
    sep = " " if report.lang == "en" else ""
    items = report.names(
        f"{report.region(r.region_code)}{sep}{report.year(r.year)}" for r in breaks.itertuples()
    )
    if short:
        return sep + report.t("brief_breaks", items=items)
    return sep + report.c("series_break_note") + sep + report.t("breaks_list", items=items)
