"""The ``rd_intensity`` report's Hong Kong section: GERD by performing sector.

Kept apart from :mod:`.rd_intensity_sections` (its size); same contract: analysis result ->
tidy frame (columns :data:`.rd_intensity_sections.COLUMNS` ``["hk_by_sector"]``) -> display.
"""

from __future__ import annotations

import pandas as pd

from gba_report.analysis import hk_gerd, rd
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
    fig = bars.stacked_bars(
        split.parts,
        "year",
        "sector",
        "gerd_hkd_million",
        sector_names,
        hk_gerd.SECTORS,
        ylabel=report.t("axis_hkd"),
        break_x=split.breaks,
        break_label=report.c("series_break"),
        height=3.2,
    )
    caption = report.t("hk_caption")
    if split.total_only_years:
        years = report.names(report.year(y) for y in split.total_only_years)
        caption += " " + report.t("hk_missing_split", years=years)
    if split.breaks:
        caption += " " + report.t("hk_break", year=report.year(split.breaks[0]))
    used = pd.concat([split.parts, split.totals])
    s.chart(fig, caption, sorted(set(used["source_id"])), used["confidence"])
    frame = insert_after(used, "sector", "sector_name", used["sector"].map(sector_names))
    return s.done(_frame(report, "hk_by_sector", frame))
