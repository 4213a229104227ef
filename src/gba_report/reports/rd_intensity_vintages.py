"""Vintages and bases in words: the like-for-like change, revised and provisional notes, the brief.

Part of :mod:`gba_report.reports.rd_intensity_sections`: the sentences that say which basis a
change is computed on, which revised figures a chart draws (with their first releases) and which
are provisional, and the brief's two points.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from gba_report.analysis import indicators, rd
from gba_report.analysis.series import INTENSITY
from gba_report.reports.base import BaseReport, BriefPoint


def sep(report: BaseReport) -> str:
    """The space between two sentences (none in Chinese)."""
    return " " if report.lang == "en" else ""


def vintage_text(report: BaseReport, frame: pd.DataFrame) -> str:
    """Caption text: revised points drawn (with their first releases) and provisional points."""
    text = ""
    revised = frame[frame["is_revised"].astype(bool)]
    if len(revised):
        items = report.names(
            report.t(
                "revised_item",
                region=report.region(r.region_code),
                year=report.year(r.year),
                value=report.pct(getattr(r, INTENSITY)),
                first=report.pct(r.first_release_value),
            )
            for r in revised.itertuples()
            if pd.notna(r.first_release_value)
        )
        text += sep(report) + report.t("revised_note", items=items)
    provisional = frame[frame["is_provisional"].astype(bool)]
    if len(provisional):
        items = report.names(
            report.t(
                "provisional_item",
                region=report.region(r.region_code),
                year=report.year(r.year),
                value=report.pct(getattr(r, INTENSITY)),
            )
            for r in provisional.itertuples()
        )
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
