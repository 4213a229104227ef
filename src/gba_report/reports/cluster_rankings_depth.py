"""The cluster tables as deep as the data goes, and what each edition's data holds and lacks.

Part of :mod:`gba_report.reports.cluster_rankings_sections`: the longest complete run of ranks of
any edition, as a table, and a note per edition.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from gba_report.analysis import cluster_coverage, clusters
from gba_report.present import i18n
from gba_report.present.sections import SectionBuilder
from gba_report.reports.base import BaseReport


def _count(report: BaseReport, value: float) -> str:
    return "" if pd.isna(value) else i18n.fmt_int(int(value), report.lang)


def deepest_table(
    report: BaseReport,
    a: clusters.ClusterAnalysis,
    s: SectionBuilder,
    edition: int,
    n: int,
    label: Callable[[BaseReport, pd.Series], str],
    economies: Callable[[BaseReport, clusters.ClusterAnalysis, str], str],
    ids: Callable[[pd.DataFrame], list[str]],
) -> pd.DataFrame | None:
    """The edition with the longest complete run of ranks, when it goes deeper than the table.

    Args:
        report: The report.
        a: Its analysis.
        s: The section being built.
        edition: Edition of the section's first table.
        n: Rows of that table.
        label: Cluster label of a row.
        economies: Economies of a cluster.
        ids: Source ids of rows.

    Returns:
        Its rows (with ``economy_names``), or None when it adds nothing to the first table.
    """
    deep = cluster_coverage.deepest_edition(a.ranks, a.first, a.last)
    if deep is None:
        return None
    depth = clusters.max_complete_top_n(a.ranks, deep)
    if deep == edition and depth <= n:
        return None
    rows = clusters.top_n(a.ranks, deep, depth)
    names = [economies(report, a, c) for c in rows["cluster_code"]]
    table = pd.DataFrame(
        {
            "rank": rows["rank"].astype(int).astype(str),
            "cluster": [label(report, r) for _, r in rows.iterrows()],
            "economy": names,
            "pct": [_count(report, v) for v in rows["pct_applications_count"]],
            "pub": [_count(report, v) for v in rows["scientific_publications_count"]],
            "confidence": rows["confidence"],
        }
    )
    s.para(report.t("deep_intro", edition=deep, n=depth))
    s.table(
        table,
        {
            "rank": report.t("col_rank"),
            "cluster": report.t("col_cluster"),
            "economy": report.t("col_economy"),
            "pct": report.t("col_pct_count"),
            "pub": report.t("col_pub_count"),
        },
        sources=ids(rows),
        caption=report.t("deep_caption", edition=deep, n=depth),
        align={"rank": "right", "pct": "right", "pub": "right"},
    )
    return rows.assign(economy_names=names)


def coverage_note(report: BaseReport, a: clusters.ClusterAnalysis, s: SectionBuilder) -> None:
    """What the data holds per edition, and what is missing."""
    sep = "; " if report.lang == "en" else "；"
    items = sep.join(
        report.t(
            "coverage_item",
            edition=int(r.edition),
            top=int(r.complete_top_n),
            found=int(r.ranks_found),
            deepest=int(r.deepest_rank),
        )
        for r in cluster_coverage.coverage(a.ranks, a.first, a.last).itertuples()
    )
    s.note(report.t("coverage_note", items=items))
