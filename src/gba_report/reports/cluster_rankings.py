"""Report 3, ``cluster_rankings``: the GBA in the WIPO Global Innovation Index cluster ranking.

``ClusterRankingsReport(lang, highlight, first_edition, last_edition, top_n)`` (the defaults
are the notebook's: :meth:`~gba_report.reports.base.BaseReport.from_notebook`). One method per
notebook section, each returning a :class:`~gba_report.present.sections.Section`:

``intro``, ``rank_trajectories``, ``methodology``, ``top_table``,
``patents_vs_publications``, ``metric_shares``, ``clusters_per_economy``, ``macao_zhuhai``,
``economy_ranks``, ``sources``; ``key_figures()`` for the build manifest; ``summary_points()``
and ``summary_chart()`` for the executive brief.

Every number in the text is computed from the ``gii_*`` tables at run time. The analysis is
:class:`gba_report.analysis.clusters.ClusterAnalysis` (``report.analysis``); the display of each
section is in :mod:`gba_report.reports.cluster_rankings_sections`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import pandas as pd

from gba_report import data
from gba_report.analysis import clusters, economies
from gba_report.present.sections import Section
from gba_report.reports import cluster_rankings_sections as sections
from gba_report.reports.base import BaseReport, BriefPoint
from gba_report.reports.cluster_rankings_sections import ordinal

__all__ = ["ClusterRankingsReport", "ordinal"]


class ClusterRankingsReport(BaseReport):
    """WIPO GII cluster ranks, shares and economy ranks for the Greater Bay Area and peers.

    Args:
        lang: ``en`` or ``zh-Hant``.
        highlight: Cluster codes drawn in colour (the first GBA cluster among them is the
            report's focus).
        first_edition: First GII edition shown.
        last_edition: Last GII edition shown.
        top_n: Size of the top-N table and of the bump chart's main panel.
    """

    name = "cluster_rankings"
    notebook = "03_cluster_rankings.ipynb"
    datasets = (
        "gii_cluster_ranks",
        "gii_methodology",
        "gii_clusters_per_economy",
        "gii_economy_ranks",
        "clusters",
    )

    def __init__(
        self,
        lang: str,
        highlight: Sequence[str],
        first_edition: int,
        last_edition: int,
        top_n: int,
    ) -> None:
        super().__init__(lang=lang)
        if first_edition > last_edition:
            raise ValueError(
                f"first_edition ({first_edition}) must not be after last_edition ({last_edition})"
            )
        codes = data.load_clusters()
        unknown = [c for c in highlight if c not in set(codes["cluster_code"])]
        if unknown:
            raise ValueError(
                f"unknown cluster code(s) in highlight: {', '.join(unknown)}; see data/clusters.csv"
            )
        self.analysis = clusters.ClusterAnalysis(
            codes,
            data.load_gii_cluster_ranks(),
            highlight=highlight,
            first_edition=first_edition,
            last_edition=last_edition,
            top_n=top_n,
        )

    @cached_property
    def methodology_table(self) -> pd.DataFrame:
        """Methodology changes (all editions)."""
        return data.load_gii_methodology()

    @cached_property
    def per_economy(self) -> pd.DataFrame:
        """Top-100 clusters per economy, editions shown."""
        a = self.analysis
        return clusters.editions_between(data.load_gii_clusters_per_economy(), a.first, a.last)

    @cached_property
    def economy_ranks_table(self) -> pd.DataFrame:
        """Economy-level GII ranks (all editions)."""
        return data.load_gii_economy_ranks()

    # ------------------------------------------------------------------ sections
    def intro(self) -> Section:
        """Lede: what the ranking measures and the editions covered."""
        return sections.intro(self, self.analysis)

    def rank_trajectories(self) -> Section:
        """Heading with the focus cluster's rank story, the bump chart and the caveat."""
        return sections.rank_trajectories(self, self.analysis, self.methodology_table)

    def methodology(self) -> Section:
        """Table of the methodology changes of the editions shown."""
        return sections.methodology(self, self.analysis, self.methodology_table)

    def top_table(self) -> Section:
        """The latest edition's top-N table with shares and confidence marks."""
        return sections.top_table(self, self.analysis)

    def patents_vs_publications(self) -> Section:
        """Heading with the count leaders, the labelled scatter and its caption."""
        return sections.patents_vs_publications(self, self.analysis)

    def metric_shares(self) -> Section:
        """Heading with the focus cluster's shares, the grouped bars and the VC comparison."""
        return sections.metric_shares(self, self.analysis)

    def clusters_per_economy(self) -> Section:
        """Heading with the latest leader and when it first led; the chart."""
        return sections.clusters_per_economy(self, self.per_economy)

    def macao_zhuhai(self) -> Section:
        """Heading and table on the GBA's second cluster's entry (2024 inferred, 2025)."""
        return sections.macao_zhuhai(self, self.analysis)

    def economy_ranks(self) -> Section:
        """Heading with China's and Hong Kong's economy ranks; the chart."""
        return sections.economy_ranks(self, self.analysis, self.economy_ranks_table)

    # ------------------------------------------------------------------ brief and manifest
    def summary_points(self) -> list[BriefPoint]:
        """Sentences with computed numbers for the executive brief, with their confidence."""
        return sections.summary_points(self, self.analysis)

    def summary_chart(self, compact: bool = False) -> Section:
        """The bump chart for the executive brief.

        Args:
            compact: Full text width but short (for the two-page brief).
        """
        return sections.summary_chart(self, self.analysis, self.methodology_table, compact)

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Key figures for the build manifest."""
        a, figures = self.analysis, {}
        # always the GBA's main cluster (Shenzhen–Hong Kong–Guangzhou), whatever the focus
        main = a.gba[0]
        if main in set(a.window["cluster_code"]):
            story = clusters.rank_story(a.ranks, main, a.first, a.last)
            figures["gba_cluster_rank_latest"] = (story.latest_rank, "rank")
            figures["gba_cluster_edition_latest"] = (story.latest_edition, "edition")
        if a.newcomer is not None:
            entry = clusters.entry(a.window, a.newcomer)
            figures["macao_zhuhai_rank_latest"] = (entry.latest_rank, "rank")
            if entry.first_is_inferred:
                figures["macao_zhuhai_rank_first"] = (entry.first_rank, "rank")
        compared = a.share_comparison
        if compared is not None and compared.focus == main:
            pct, vc = compared.shares["pct_share_pct"], compared.shares["vc_deals_share_pct"]
            if not pd.isna(pct):
                figures["gba_cluster_pct_share_pct"] = (float(pct), "%")
            if not pd.isna(vc):
                figures["gba_cluster_vc_share_pct"] = (float(vc), "%")
        if not self.per_economy.empty:
            china = economies.count_leaders(self.per_economy).china_count
            figures["cn_clusters_top100_latest"] = (china, "clusters")
        lines = economies.economy_rank_lines(
            self.economy_ranks_table, sections.ECONOMIES, a.first, a.last
        )
        change, hk = economies.rank_change(lines, "CHN"), economies.latest_rank(lines, "HKG")
        if change is not None and hk is not None:
            figures["china_gii_rank_latest"] = (change[3], "rank")
            figures["hong_kong_gii_rank_latest"] = (hk[1], "rank")
        return {
            key: {"value": value, "unit": unit, "label": self.t(f"key.{key}")}
            for key, (value, unit) in figures.items()
        }
