"""The sections of the ``rd_intensity`` report: analysis result -> tidy frame -> display.

Each function takes the report (strings, formats, section builder) and its
:class:`~gba_report.analysis.rd.RDAnalysis`, and returns a
:class:`~gba_report.present.sections.Section` whose ``data`` has the columns of
:data:`COLUMNS` (a section without data for its parameters says so, with an empty frame).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from matplotlib.figure import Figure

from gba_report.analysis import rd
from gba_report.analysis.series import INTENSITY, NATIONAL, SPEND
from gba_report.present import i18n
from gba_report.present.charts import bars, lines, theme
from gba_report.present.sections import Section, SectionBuilder
from gba_report.reports import rd_intensity_facts as facts
from gba_report.reports import rd_intensity_vintages as vint
from gba_report.reports.base import BaseReport

_LINE = ("region_code", "region_name", "year")
_PROVENANCE = ("source_id", "confidence")
_FACTS = ("region_code", "region_name", "measure", "since_year", "year", "value", *_PROVENANCE)
_INTENSITY = (
    *_LINE,
    INTENSITY,
    "series",
    "basis",
    "is_series_break",
    "is_revised",
    "first_release_rd_intensity_pct_gdp",
    "is_provisional",
    *_PROVENANCE,
)
_COMPARISON = (
    "region_code",
    "region_name",
    "year",
    INTENSITY,
    "series",
    "basis",
    "is_like_for_like",
    *_PROVENANCE,
)

#: Columns of each section's data.
COLUMNS: dict[str, tuple[str, ...]] = {
    "intro": _FACTS,
    "headline": _FACTS,
    "intensity_over_time": _INTENSITY,
    "international": _COMPARISON,
    "spend_by_province": (*_LINE, SPEND, "rank", "series", *_PROVENANCE),
    "share_of_china": (*_LINE, "share_of_china_rd_expenditure_pct", *_PROVENANCE),
    "growth": (
        "region_code",
        "region_name",
        "first_year",
        "last_year",
        "rd_expenditure_first_rmb_100m",
        "rd_expenditure_last_rmb_100m",
        "rd_expenditure_cagr_pct",
        *_PROVENANCE,
    ),
    "target": (*_LINE, INTENSITY, "is_target", *_PROVENANCE),
    "cities": (*_LINE, INTENSITY, "is_reference", "is_derived", *_PROVENANCE),
    "hk_by_sector": (
        *_LINE,
        "sector",
        "sector_name",
        "gerd_hkd_million",
        "is_series_break",
        *_PROVENANCE,
    ),
    "summary_chart": _INTENSITY,
}


def _frame(report: BaseReport, name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with region names, in the columns of section ``name``."""
    if "first_release_value" in rows:
        rows = rows.rename(columns={"first_release_value": "first_release_rd_intensity_pct_gdp"})
    named = report.with_region_names(rows.reset_index(drop=True))
    return named[list(COLUMNS[name])]


def _no_data(report: BaseReport, a: rd.RDAnalysis, name: str, what: str) -> Section:
    text = report.t("no_data", region=report.region(a.focus), what=report.t(f"what.{what}"))
    return report.section(name).note(text).done(pd.DataFrame(columns=list(COLUMNS[name])))


def _not_enough(report: BaseReport, a: rd.RDAnalysis, name: str, what: str, year: int) -> Section:
    """A section whose only figure is one year's: say so (e.g. a city with one data point)."""
    text = report.t(
        "not_enough_data",
        region=report.region(a.focus),
        what=report.t(f"what.{what}"),
        year=report.year(year),
    )
    return report.section(name).note(text).done(pd.DataFrame(columns=list(COLUMNS[name])))


def _facts(report: BaseReport, a: rd.RDAnalysis) -> pd.DataFrame:
    return _frame(report, "intro", rd.facts_frame(a.facts, a.focus))


def _labels(report: BaseReport, codes: Sequence[str]) -> dict[str, str]:
    return {c: report.region(c) for c in codes}


def _ranked_bars(
    report: BaseReport,
    a: rd.RDAnalysis,
    rows: pd.DataFrame,
    value: str,
    axis: str,
    value_fmt: Callable[[float], str],
) -> Figure:
    """Horizontal bars of ``rows`` by ``value``, largest first, the focus highlighted."""
    labelled = rows.assign(label=[report.region(c) for c in rows["region_code"]])
    return bars.barh_ranked(
        labelled,
        value,
        "label",
        "region_code",
        highlight=[a.focus],
        xlabel=report.t(axis),
        value_fmt=value_fmt,
    )


def intro(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """The question and the short answer (lede) with the key numbers."""
    f, year = a.facts, report.year
    items = []
    if f.spend is not None:
        items.append(report.t("kf_spend", year=year(f.spend.year), value=report.rmb(f.spend.value)))
    if f.intensity is not None:
        value = report.pct(f.intensity.value)
        items.append(report.t("kf_intensity", year=year(f.intensity.year), value=value))
    if f.change is not None:
        items.append(
            report.t(
                "kf_change",
                year=year(f.change.latest.year),
                prev_year=year(f.change.previous.year),
                change=("+" if f.change.pp > 0 else "") + report.pp(f.change.pp),
                basis=report.t(f"basis.{f.change.basis}"),
            )
        )
    items += [t for t in [facts.growth_text(report, f, "kf")] if t]
    items += facts.rank_texts(report, f, "kf")
    if f.cagr_pct is not None:
        first, last = year(f.spend_first.year), year(f.spend.year)
        items.append(report.t("kf_cagr", first=first, last=last, value=report.pct(f.cagr_pct, 1)))
    s = report.section("intro").para(report.t("question", region=report.region(a.focus)))
    if items:
        s.bullets(items)
    return s.done(_facts(report, a))


def headline(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """Latest spend, intensity, growth and national rank of the focus."""
    f = a.facts
    if f.intensity is None:
        return _no_data(report, a, "headline", "intensity")
    fmt = {
        "region": report.region(a.focus),
        "year": report.year(f.intensity.year),
        "value": report.pct(f.intensity.value),
    }
    s = report.section("headline")
    if f.cn_intensity is not None:
        above = f.intensity.value > f.cn_intensity.value
        key = "headline_above" if above else "headline_below"
        s.heading(report.t(key, cn=report.pct(f.cn_intensity.value), **fmt))
    else:
        s.heading(report.t("headline_plain", **fmt))
    sentences = [vint.change_text(report, a)] if f.change is not None else []
    sentences += [t for t in [facts.basis_text(report, f)] if t]
    if f.spend is not None:
        sentences.append(
            report.t(
                "headline_spend",
                region=report.region(a.focus),
                year=report.year(f.spend.year),
                value=report.rmb(f.spend.value),
            )
        )
        sentences += [t for t in [facts.growth_text(report, f, "headline")] if t]
    sentences += facts.rank_texts(report, f, "headline")
    s.para(vint.joined(report.lang, sentences))
    confidences = {p.confidence for p in (f.spend, f.intensity) if p is not None}
    if confidences - {"verified"}:
        s.note(report.t("headline_confidence", marks=report.c("marks_legend")))
    return s.done(_facts(report, a))


def _intensity_chart(
    report: BaseReport,
    a: rd.RDAnalysis,
    s: SectionBuilder,
    frame: pd.DataFrame,
    codes: list[str],
    caption: str,
    **size: float,
) -> None:
    """Add an intensity-over-time line chart of ``codes`` with its caption and sources."""
    fig = lines.line_with_labels(
        frame,
        "year",
        INTENSITY,
        "region_code",
        _labels(report, codes),
        highlight=[a.focus],
        break_col="is_series_break",
        hollow_col="is_provisional",
        ylabel=report.t("axis_intensity"),
        **size,
    )
    caption += vint.vintage_text(report, frame)
    s.chart(fig, caption, sorted(set(frame["source_id"])), frame["confidence"])


def intensity_over_time(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """Intensity over time: focus, China, leading provinces, Hong Kong, Macao."""
    f, frame = a.facts, a.lines(a.domestic)
    if frame.empty or f.intensity is None:
        return _no_data(report, a, "intensity_over_time", "intensity")
    s = report.section("intensity_over_time").heading(vint.over_time_heading(report, a))
    spans = vint.basis_spans(a)
    if len(spans) > 1 and f.intensity_first.year != f.intensity.year:
        s.para(vint.span_changes(report, spans))
    caption = report.t("over_time_caption", series=vint.series_caption(report, frame))
    revised = frame[frame["is_revised"].astype(bool) & (frame["year"] == f.intensity.year)]
    if f.basis and "basis" in revised and (revised["basis"] != f.basis).any():
        caption += vint.sep(report) + report.t(  # the focus beside revised values: say so
            "focus_basis_note",
            region=report.region(a.focus),
            year=report.year(f.intensity.year),
            value=report.pct(f.intensity.value),
            basis=report.t(f"basis.{f.basis}"),
        )
    _intensity_chart(
        report, a, s, frame, a.domestic, caption + vint.breaks_text(report, frame), height=3.5
    )
    return s.done(_frame(report, "intensity_over_time", frame))


def international(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """Focus and China against international R&D leaders, like for like at one year.

    The comparators are compared on the OECD MSTI basis at the latest year in which nearly all
    of them have a figure on it; the focus is shown on its own (NBS) series, and national
    definitions are listed apart.
    """
    comp = a.comparison
    if comp is None:
        return _no_data(report, a, "international", "international")
    s = report.section("international")
    standing = comp.standing
    if standing is not None:
        if standing.above and standing.below:
            key = "intl_heading_mixed"
        elif standing.above:
            key = "intl_heading_all_above"
        else:
            key = "intl_heading_all_below"
        s.heading(
            report.t(
                key,
                region=report.region(a.focus),
                year=report.year(standing.year),
                value=report.pct(standing.value),
                above=report.names(report.region_in_text(c) for c in standing.above),
                below=report.names(report.region_in_text(c) for c in standing.below),
            )
        )
    rows = comp.rows.assign(
        label=[
            report.region(r.region_code)
            + i18n.confidence_mark(r.confidence)
            + (f" ({report.year(r.year)})" if r.year != comp.year else "")
            for r in comp.rows.itertuples()
        ],
        text=[  # one decimal where the source gives one
            report.pct(getattr(r, INTENSITY), 1 if r.series == "oecd_msti_rounded" else None)
            for r in comp.rows.itertuples()
        ],
    )
    fig = bars.barh_ranked(
        rows,
        INTENSITY,
        "label",
        "region_code",
        highlight=[a.focus],
        xlabel=report.t("axis_intensity"),
        text="text",
    )
    focus_row = rows[~rows["is_like_for_like"].astype(bool)]
    focus_basis = report.t(f"basis.{focus_row['basis'].iloc[0]}") if len(focus_row) else ""
    caption = report.t(
        "intl_caption_basis",
        year=report.year(comp.year),
        region=report.region(a.focus),
        focus_basis=focus_basis,
    )
    if (rows["series"] == "oecd_msti_rounded").any():
        caption += vint.sep(report) + report.t("intl_rounded", year=report.year(comp.year))
    if comp.missing:
        caption += vint.sep(report) + report.t(
            "intl_missing", names=report.names(report.region(c) for c in comp.missing)
        )
    s.chart(fig, caption, sorted(set(rows["source_id"])), rows["confidence"])
    if len(comp.national):
        nat = comp.national
        table = pd.DataFrame(
            {
                "region": [report.region(c) for c in nat["region_code"]],
                "year": [report.year(y) for y in nat["year"]],
                "value": [report.pct(v) for v in nat[INTENSITY]],
                "basis": [report.t(f"basis.{b}") for b in nat["basis"]],
                "confidence": nat["confidence"],
            }
        )
        s.table(
            table,
            {
                "region": report.t("col_region"),
                "year": report.t("col_year"),
                "value": report.t("col_intensity"),
                "basis": report.t("col_basis"),
            },
            sources=sorted({i for ids in nat["source_id"] for i in ids.split(";")}),
            caption=report.t("intl_national_caption"),
            align={"value": "right"},
        )
    frame = pd.concat([comp.rows, comp.national], ignore_index=True)
    return s.done(_frame(report, "international", frame))


def spend_by_province(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """R&D expenditure of the focus's peers: latest complete year, plus a newer partial one."""
    if a.facts.spend is None:
        return _no_data(report, a, "spend_by_province", "spend")
    r = a.spend
    fmt = {
        "region": report.region(a.focus),
        "year": report.year(r.year),
        "value": "" if r.focus_spend is None else report.rmb(r.focus_spend),
        "n": len(r.ranked),
        "since": report.year(r.first_since),
        "leader": report.region(r.leader),
        "rank": "–" if r.focus_rank is None else r.focus_rank,
    }
    if len(r.ranked) < 2 or r.focus_rank is None:
        key = "spend_heading_plain"
    elif r.leader == a.focus and r.first_since < r.year:
        key = "spend_heading_streak"
    elif r.leader == a.focus:
        key = "spend_heading_first"
    else:
        key = "spend_heading_rank"
    s = report.section("spend_by_province").heading(report.t(key, **fmt))
    if r.newer is not None and r.newer_peers > 1:
        s.para(
            report.t(
                "spend_partial_year",
                year=report.year(r.newer["year"]),
                n=r.newer_peers,
                region=report.region(a.focus),
                value=report.rmb(r.newer[SPEND]),
                rank=int(r.newer["rank"]),
            )
        )
    shown = r.shown
    fig = _ranked_bars(report, a, shown, SPEND, "axis_spend", lambda v: report.num(v, 1))
    caption = report.t("spend_caption", year=report.year(r.year), n=len(r.ranked), shown=len(shown))
    s.chart(fig, caption, sorted(set(shown["source_id"])), shown["confidence"])
    return s.done(_frame(report, "spend_by_province", r.shown))


def share_of_china(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """Focus's share of China's R&D expenditure over time."""
    share, f = a.share, a.facts
    if share.empty:
        return _no_data(report, a, "share_of_china", "share")
    single = f.share_first.year == f.share.year
    s = report.section("share_of_china").heading(
        report.t(
            "share_single" if single else "share_heading",
            region=report.region(a.focus),
            first=report.pct(f.share_first.value, 1),
            first_year=report.year(f.share_first.year),
            last=report.pct(f.share.value, 1),
            last_year=report.year(f.share.year),
            verb=report.t("rose" if f.share.value > f.share_first.value else "fell"),
        )
    )
    if single:  # one point makes no line: the heading states it, the note says why no chart
        text = report.t(
            "not_enough_data",
            region=report.region(a.focus),
            what=report.t("what.share_trend"),
            year=report.year(f.share.year),
        )
        return s.note(text).done(_frame(report, "share_of_china", share))
    fig = lines.line_with_labels(
        share,
        "year",
        "share_of_china_rd_expenditure_pct",
        "region_code",
        {a.focus: report.region(a.focus)},
        highlight=[a.focus],
        ylabel=report.t("axis_share"),
        height=2.8,
    )
    caption = report.t("share_caption", region=report.region(a.focus))
    s.chart(fig, caption, a.share_sources, share["confidence"])
    return s.done(_frame(report, "share_of_china", share))


def growth(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """Compound annual growth of R&D expenditure: focus, China and leading provinces."""
    f = a.facts
    if f.cagr_pct is None and f.spend is not None and f.spend_first is not None:
        if f.spend_first.year == f.spend.year:  # one year of figures: no growth to compute
            return _not_enough(report, a, "growth", "growth", f.spend.year)
    if f.cagr_pct is None:
        return _no_data(report, a, "growth", "spend")
    table = a.growth
    cn = table[table["region_code"] == NATIONAL]["rd_expenditure_cagr_pct"]
    first, last = report.year(f.spend_first.year), report.year(f.spend.year)
    key = "cagr_heading_vs_cn" if len(cn) and a.focus != NATIONAL else "cagr_heading"
    s = report.section("growth").heading(
        report.t(
            key,
            region=report.region(a.focus),
            value=report.pct(f.cagr_pct, 1),
            first=first,
            last=last,
            cn=report.pct(cn.iloc[0], 1) if len(cn) else "",
        )
    )
    rows = pd.DataFrame(
        {
            "region": [report.region(c) for c in table["region_code"]],
            "first": [report.rmb(v) for v in table["rd_expenditure_first_rmb_100m"]],
            "last": [report.rmb(v) for v in table["rd_expenditure_last_rmb_100m"]],
            "cagr": [report.pct(v, 1) for v in table["rd_expenditure_cagr_pct"]],
            "confidence": table["confidence"],
        }
    )
    s.table(
        rows,
        {
            "region": report.t("col_region"),
            "first": report.t("col_spend_year", year=first),
            "last": report.t("col_spend_year", year=last),
            "cagr": report.t("col_cagr"),
        },
        sources=sorted({sid for ids in table["source_id"] for sid in ids.split(";")}),
        caption=report.t("cagr_caption"),
        align={"first": "right", "last": "right", "cagr": "right"},
    )
    return s.done(_frame(report, "growth", table))


def target(report: BaseReport, a: rd.RDAnalysis, row: pd.Series | None) -> Section:
    """Gap between the focus's latest intensity and its Five-Year-Plan target."""
    f = a.facts
    if row is None or f.intensity is None:
        return _no_data(report, a, "target", "target")
    check = rd.target_check(a.rd, row, f.intensity.value, a.focus)
    goal = float(row["target_value"])
    plan = row["plan_en"] if report.lang == "en" else row["plan_zh_hant"]
    fmt = {
        "region": report.region(a.focus),
        "plan": plan,
        "target": i18n.fmt_pct(goal, report.lang, min_decimals=1),
        "target_year": report.year(row["target_year"]),
        "year": report.year(f.intensity.year),
        "value": report.pct(f.intensity.value),
        "gap": report.pp(check.gap_pp),
    }
    key = "target_heading_met" if check.gap_pp >= 0 else "target_heading_gap"
    s = report.section("target").heading(report.t(key, **fmt))
    text = report.t("target_plan", **fmt)
    basis = report.t(f"basis.{check.basis}") if check.basis else ""
    if check.first_reached is not None:
        text += vint.sep(report) + report.t(
            "target_first_reached_basis",
            year=report.year(check.first_reached["year"]),
            value=report.pct(check.first_reached[INTENSITY]),
            basis=basis,
        )
    old = check.earlier_basis_reached
    if old is not None:
        text += vint.sep(report) + report.t(
            "target_earlier_basis",
            year=report.year(old["year"]),
            value=report.pct(old[INTENSITY]),
            basis=report.t(f"basis.{old['basis']}"),
        )
    s.para(text)
    recent = check.recent
    fig = lines.line_with_labels(
        recent,
        "year",
        INTENSITY,
        "region_code",
        {a.focus: report.region(a.focus)},
        highlight=[a.focus],
        ylabel=report.t("axis_intensity"),
        hline=(goal, report.t("target_line", target=fmt["target"], year=fmt["target_year"])),
        break_col="is_series_break",
        ymin=None,
        height=2.6,
    )
    s.chart(
        fig,
        report.t("target_caption", plan=plan) + vint.vintage_text(report, recent),
        sorted(set(recent["source_id"]) | {str(row["source_id"])}),
        [*recent["confidence"], str(row["confidence"])],
    )
    goal_row = {
        "region_code": a.focus,
        "year": int(row["target_year"]),
        INTENSITY: goal,
        "source_id": str(row["source_id"]),
        "confidence": str(row["confidence"]),
    }
    frame = pd.concat(
        [recent.assign(is_target=False), pd.DataFrame([{**goal_row, "is_target": True}])],
        ignore_index=True,
    )
    return s.done(_frame(report, "target", frame))


def cities(report: BaseReport, a: rd.RDAnalysis) -> Section:
    """The GBA's mainland cities where figures exist, as points (never lines)."""
    points = a.cities
    if points.empty:
        return _no_data(report, a, "cities", "cities")
    s = report.section("cities").heading(vint.cities_heading(report, points))
    reference = a.series("GD")
    fig = lines.points_by_year(
        points,
        "year",
        INTENSITY,
        "region_code",
        _labels(report, sorted(set(points["region_code"]))),
        ylabel=report.t("axis_intensity"),
        reference=reference,
        reference_label=report.t("cities_reference", region=report.region("GD")),
        hollow_col="is_hollow",
    )
    caption = report.t("cities_caption", n=len(points)) + vint.sep(report) + report.t("cities_thin")
    if points["is_hollow"].any():
        caption += vint.sep(report) + report.t("cities_hollow")
    sources = sorted(set(points["source_id"]) | set(reference["source_id"]))
    s.chart(fig, caption, sources, points["confidence"])
    frame = pd.concat(
        [points.assign(is_reference=False), reference.assign(is_reference=True)],
        ignore_index=True,
    )
    return s.done(_frame(report, "cities", frame))


# ---------------------------------------------------------------------- the executive brief


def summary_chart(report: BaseReport, a: rd.RDAnalysis, compact: bool) -> Section | None:
    """The brief's intensity chart: the focus, China, Hong Kong and Macao (None without data)."""
    frame = a.lines(a.brief)
    if frame.empty:
        return None
    s = report.section("summary_chart")
    if compact:  # half a page: the short caption; the full report names every series
        caption = report.t("brief_caption") + vint.breaks_text(report, frame, short=True)
    else:
        caption = report.t("over_time_caption", series=vint.series_caption(report, frame))
    height, width = theme.BRIEF_HALF_IN[1], theme.BRIEF_HALF_IN[0]
    size = (
        {"height": height, "width": width} if compact else {"height": 2.7, "width": theme.WIDTH_IN}
    )
    _intensity_chart(report, a, s, frame, a.brief, caption, **size)
    return s.done(_frame(report, "summary_chart", frame))
