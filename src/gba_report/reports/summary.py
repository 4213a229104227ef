"""Report 4, ``summary``: a two-page executive brief of the three analyses and the claims check.

``SummaryReport(lang, focus_region, claim_status)``; sections: ``intro`` (the question and the
key figures of the three reports as a grid of boxes, each figure with its confidence mark),
``rd_intensity`` and ``cross_border_funding`` (their headline charts, half width, side by side
when shown from one notebook cell), ``cluster_rankings`` (the bump chart, full width, short),
``claims`` (the "claims checked" table of the source article, findings cut to their first
sentence) and ``sources`` (the publishers of what the brief shows, in one paragraph, and a
pointer to the full reports' "Caveats and sources").

The three analyses are the full reports built with their notebooks' defaults
(``summary_points()``, ``summary_chart(compact=True)`` and ``key_figures()``), so a figure in
the brief is always the figure in the full report. The display is in
:mod:`gba_report.reports.summary_sections`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import pandas as pd

from gba_report import data
from gba_report.analysis import clusters
from gba_report.present.sections import Section
from gba_report.reports import summary_sections as sections
from gba_report.reports.base import BaseReport
from gba_report.reports.cluster_rankings import ClusterRankingsReport
from gba_report.reports.cross_border_funding import CrossBorderFundingReport
from gba_report.reports.rd_intensity import RDIntensityReport
from gba_report.reports.summary_sections import STATUSES, first_sentence

__all__ = ["SummaryReport", "first_sentence"]

#: Key figures the brief records of the funding and cluster reports (of the R&D report: all).
BRIEF_KEY_FIGURES = {
    "cross_border_funding": (
        "hkd_per_rmb_latest_year",
        "crossborder_cumulative_rmb_million_latest",
    ),
    "cluster_rankings": (
        "gba_cluster_rank_latest",
        "gba_cluster_edition_latest",
        "macao_zhuhai_rank_latest",
    ),
}


class SummaryReport(BaseReport):
    """Executive brief: key figures, one chart per analysis, the source article's claims checked.

    Args:
        lang: ``en`` or ``zh-Hant``.
        focus_region: Focus region of the R&D analysis.
        claim_status: Claim statuses shown in the claims table.
    """

    name = "summary"
    notebook = "00_summary.ipynb"
    datasets = (
        "rd_intensity",
        "crossborder_funding",
        "shared_facilities",
        "gii_cluster_ranks",
        "article_claims",
    )

    def __init__(self, lang: str, focus_region: str, claim_status: Sequence[str]) -> None:
        super().__init__(lang=lang)
        unknown = [s for s in claim_status if s not in STATUSES]
        if unknown:
            raise ValueError(f"Unknown claim status {unknown}: use {', '.join(STATUSES)}")
        self.focus = focus_region
        self.claim_status = list(claim_status)

    # ------------------------------------------------------------------ the three analyses
    @cached_property
    def rd(self) -> RDIntensityReport:
        """The R&D-intensity report for the focus region."""
        return RDIntensityReport.from_notebook(self.lang, focus_region=self.focus)

    @cached_property
    def funding(self) -> CrossBorderFundingReport:
        """The cross-border funding report."""
        return CrossBorderFundingReport.from_notebook(self.lang)

    @cached_property
    def clusters(self) -> ClusterRankingsReport:
        """The cluster-rankings report; the brief highlights the GBA's and the top 5 clusters."""
        report = ClusterRankingsReport.from_notebook(self.lang)
        a = report.analysis
        report.analysis = a.highlighting(clusters.gba_and_top(a.window, a.gba))
        return report

    @cached_property
    def claims_frame(self) -> pd.DataFrame:
        """The article's claims in numeric order (C1, C2, ... C23)."""
        return sections.numeric_order(data.load_article_claims())

    # ------------------------------------------------------------------ sections
    def intro(self) -> Section:
        """The brief's question and its key figures: one box per analysis and the claims."""
        analyses = {
            "rd_intensity": self.rd,
            "cross_border_funding": self.funding,
            "cluster_rankings": self.clusters,
        }
        return sections.intro(self, analyses, self.claims_frame)

    def rd_intensity(self) -> Section:
        """R&D intensity: the headline chart, half width (paired with the funding chart)."""
        return sections.chart(self, self.rd, data.load_rd_intensity(), "rd_intensity", pair=True)

    def cross_border_funding(self) -> Section:
        """Cross-border funding: the cumulative chart, half width (paired with R&D intensity)."""
        frame = data.load_crossborder_funding()
        return sections.chart(self, self.funding, frame, "cross_border_funding", pair=True)

    def cluster_rankings(self) -> Section:
        """Cluster rankings: the bump chart, full width and short."""
        frame = data.load_gii_cluster_ranks()
        return sections.chart(self, self.clusters, frame, "cluster_rankings", pair=False)

    def claims(self) -> Section:
        """The "claims checked" table: every claim, its status and what the data says (short).

        The finding is cut to its first sentence (the whole finding is the cell's tooltip in
        HTML, and in the section's data); figures are never altered.
        """
        return sections.claims(self, self.claims_frame, self.claim_status)

    def sources(self, today: dt.date | None = None) -> Section:
        """Sources of the brief: one paragraph of publishers and a pointer to the full reports.

        Args:
            today: Date the publishers' release calendars are judged by (default: today).
        """
        reports = (self.rd, self.funding, self.clusters)
        return sections.sources(self, reports, today)

    # ------------------------------------------------------------------ manifest
    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Key figures of the three analyses (see :data:`BRIEF_KEY_FIGURES`) and claim counts."""
        out = dict(self.rd.key_figures())
        for report in (self.funding, self.clusters):
            figures = report.key_figures()
            out.update({k: figures[k] for k in BRIEF_KEY_FIGURES[report.name] if k in figures})
        for status, n in sections.claim_counts(self.claims_frame).items():
            out[f"claims_{status}"] = {
                "value": n,
                "unit": "claims",
                "label": self.t(f"kf_claims.{status}"),
            }
        return out
