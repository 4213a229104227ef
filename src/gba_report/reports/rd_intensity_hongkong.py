"""The ``rd_intensity`` report's Hong Kong section: GERD by performing sector.

Kept apart from :mod:`.rd_intensity_sections` (its size); same contract: analysis result ->
tidy frame (columns :data:`.rd_intensity_sections.COLUMNS` ``["hk_by_sector"]``) -> display.
"""

from __future__ import annotations

import pandas as pd

from gba_report.analysis import hk_gerd, indicators, rd
from gba_report.present import i18n
from gba_report.present.charts import bars
from gba_report.present.sections import Section
from gba_report.reports.base import BaseReport, insert_after
from gba_report.reports.rd_intensity_sections import _frame, _no_data


def hk_by_sector(report: BaseReport, a: rd.RDAnalysis, gerd: pd.DataFrame) -> Section:
    """Hong Kong's gross domestic expenditure on R&D by performing sector."""
    split = hk_gerd.sector_split(gerd, a.start_year, a.end_year)
    if split is None:
        return _no_data(report, a, "hk_by_sector", "hk_sector")
    leader = split.shares.iloc[0]
    s = report.section("hk_by_sector").heading(
        report.t(
            "hk_heading",
            year=report.year(split.year),
            total=report.money(split.total, "HKD", "million"),
            sector=report.t(f"sector.{leader['sector']}"),
            share=report.pct(leader["share_pct"], 0),
        )
    )
    sector_names = {sector: report.t(f"sector.{sector}") for sector in (*hk_gerd.SECTORS, "total")}
    used = pd.concat([split.parts, split.totals])
    wide = hk_gerd.gerd_by_year(used)  # a total without a split is drawn hatched
    fig = bars.gerd_stacked(
        wide,
        hk_gerd.SECTORS,
        sector_names,
        ylabel=report.t("axis_hkd"),
        xlabel="",
        break_years=split.breaks,
        break_label=report.c("series_break"),
        na_text=report.c("not_available"),
    )
    marks = used.groupby("year")["confidence"].agg(indicators.weakest_confidence)
    ticks = [f"{int(y)}{i18n.confidence_mark(marks.get(y, 'verified'))}" for y in wide.index]
    fig.axes[0].set_xticks(range(len(wide)), ticks)
    caption = report.t("hk_caption")
    if split.total_only_years:
        years = report.names(report.year(y) for y in split.total_only_years)
        caption += " " + report.t("hk_missing_split", years=years)
    if split.breaks:
        caption += " " + report.t("hk_break", year=report.year(split.breaks[0]))
    s.chart(fig, caption, sorted(set(used["source_id"])), used["confidence"])
    frame = insert_after(used, "sector", "sector_name", used["sector"].map(sector_names))
    return s.done(_frame(report, "hk_by_sector", frame))
