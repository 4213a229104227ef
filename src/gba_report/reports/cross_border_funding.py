"""Report 2, ``cross_border_funding``: mainland research money for Hong Kong and Macao.

``CrossBorderFundingReport(lang, as_of, currency, include_unverified)`` (the defaults are the
notebook's: :meth:`~gba_report.reports.base.BaseReport.from_notebook`). One method per notebook
section, each returning a :class:`~gba_report.present.sections.Section`:

``intro``, ``timeline``, ``cumulative``, ``single_grants``, ``shared_facilities``,
``hk_rd_structure``, ``sources``; ``key_figures()`` for the build manifest;
``summary_points()`` and ``summary_chart()`` for the executive brief.

Milestones dated after ``as_of`` are hidden; amounts are shown in ``currency`` with the rate
used stated (taken from ``data/exchange_rates.csv``; the only pair there is a newspaper's own
conversion, and the report says so). The analysis is
:class:`gba_report.analysis.funding.FundingAnalysis` (``report.analysis``); the display of each
section is in :mod:`gba_report.reports.cross_border_funding_sections`.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import pandas as pd

from gba_report import data
from gba_report.analysis import funding, hk_gerd
from gba_report.present.sections import Section
from gba_report.reports import cross_border_funding_sections as sections
from gba_report.reports.base import BaseReport, BriefPoint


class CrossBorderFundingReport(BaseReport):
    """Cross-border research funding milestones, shared facilities and Hong Kong's R&D.

    Args:
        lang: ``en`` or ``zh-Hant``.
        as_of: ISO date; milestones and facility figures that may lie after it are hidden.
        currency: ``RMB`` or ``HKD`` (display currency of funding amounts).
        include_unverified: Show figures that only the source article gives (flagged ‡).
    """

    name = "cross_border_funding"
    notebook = "02_cross_border_funding.ipynb"
    datasets = ("crossborder_funding", "shared_facilities", "hk_gerd_by_sector", "fx_year_end")

    def __init__(self, lang: str, as_of: str, currency: str, include_unverified: bool) -> None:
        super().__init__(lang=lang)
        if currency not in funding.CURRENCIES:
            allowed = ", ".join(funding.CURRENCIES)
            raise ValueError(f"currency must be one of {allowed}, got {currency!r}")
        try:
            dt.date.fromisoformat(str(as_of))
        except ValueError:
            raise ValueError(f"as_of must be an ISO date YYYY-MM-DD, got {as_of!r}") from None
        # fx_year_end is a validated dataset like the others: a broken table is an error the
        # reader must not mistake for "no rate available"; each amount uses its own year's rate
        self.analysis = funding.FundingAnalysis(
            data.load_crossborder_funding(),
            data.load_fx_year_end(),
            as_of=str(as_of),
            currency=currency,
            include_unverified=bool(include_unverified),
        )

    @cached_property
    def facilities(self) -> pd.DataFrame:
        """The shared-facility figures shown (known by ``as_of``)."""
        a = self.analysis
        table = data.load_shared_facilities()
        return funding.known_facilities(table, a.as_of, a.include_unverified)

    @cached_property
    def gerd(self) -> pd.DataFrame:
        """Hong Kong GERD by performing sector."""
        return data.load_hk_gerd_by_sector()

    # ------------------------------------------------------------------ sections
    def intro(self) -> Section:
        """The lede: since when, and up to which date."""
        return sections.intro(self, self.analysis)

    def timeline(self) -> Section:
        """Heading (first year, number of milestones), timeline chart and milestone table."""
        return sections.timeline(self, self.analysis)

    def cumulative(self) -> Section:
        """Heading with the latest cumulative figure, the implied growth and its honesty."""
        return sections.cumulative(self, self.analysis)

    def single_grants(self) -> Section:
        """Heading with the largest single payment; table of grants with both currencies."""
        return sections.single_grants(self, self.analysis)

    def shared_facilities(self) -> Section:
        """Heading with the core-hours figure (flagged), table of every facility figure."""
        return sections.shared_facilities(self, self.facilities)

    def hk_rd_structure(self) -> Section:
        """Heading with the latest sector shares; growth since the break; the chart."""
        return sections.hk_rd_structure(self, self.gerd)

    # ------------------------------------------------------------------ brief and manifest
    def summary_points(self) -> list[BriefPoint]:
        """Sentences with computed numbers for the executive brief, with their confidence."""
        return sections.summary_points(self, self.analysis)

    def summary_chart(self, compact: bool = False) -> Section | None:
        """The cumulative chart for the executive brief (None without a cumulative figure).

        Args:
            compact: Half the text width and short (two charts side by side in the brief).
        """
        return sections.summary_chart(self, self.analysis, compact)

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Key figures for the build manifest."""
        a, figures = self.analysis, {}
        if not a.series.empty and a.rate_for(str(a.series.iloc[-1]["date"])) is not None:
            rate = a.rate_for(str(a.series.iloc[-1]["date"]))
            figures["hkd_per_rmb_latest_year"] = (round(rate.hkd_per_rmb, 4), "HKD per RMB")
        if not a.events.empty:
            figures["milestones_shown"] = (len(a.events), "milestones")
        if not a.series.empty:
            last = a.series.iloc[-1]
            latest = float(last["amount"])
            figures["crossborder_cumulative_rmb_million_latest"] = (latest, "RMB million")
            figures["crossborder_cumulative_date_latest"] = (str(last["date"]), "date")
        if a.growth is not None:
            rate = round(a.growth.annual_rate_pct, 1)
            figures["crossborder_implied_growth_pct_per_year"] = (rate, "%")
        largest = a.grants["amount_rmb_million"].dropna()
        if not a.grants["amount"].dropna().empty and not largest.empty:
            figures["largest_single_grant_rmb_million"] = (float(largest.max()), "RMB million")
        core = sections.core_hours(self.facilities)
        if core is not None and "million" in str(core["unit"]):
            value = (float(core["value"]), "million core-hours")
            figures["nsccgz_core_hours_million"] = value
        structure = hk_gerd.gerd_structure(self.gerd)
        if structure is not None:
            figures["hk_gerd_hkd_million_latest"] = (structure.total, "HK$ million")
            he = structure.shares.loc[structure.shares["sector"] == "higher_education"]
            if not he.empty:
                share = round(float(he["share_pct"].iloc[0]), 1)
                figures["hk_gerd_higher_education_share_pct"] = (share, "%")
        return {
            key: {"value": value, "unit": unit, "label": self.t(f"key.{key}")}
            for key, (value, unit) in figures.items()
        }
