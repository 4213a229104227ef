"""Pure computations behind the ``cluster_rankings`` report (WIPO GII cluster ranks).

Every function takes tidy frames shaped like the curated tables (``gii_cluster_ranks``,
``gii_clusters_per_economy``, ``gii_economy_ranks``, ``gii_methodology``) and returns plain
values or frames; nothing here reads files or knows about languages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

#: Methodology changes (``gii_methodology.change_code``) the bump chart annotates: publications
#: added, the Shenzhen–Hong Kong + Guangzhou merger, venture-capital deals added. Their editions
#: come from the data.
ANNOTATED_METHOD_CHANGES = (
    "publications_added",
    "shenzhen_hong_kong_guangzhou_merged",
    "vc_deals_added",
)

#: Metrics of the 2025 three-metric ranking, in display order.
SHARE_COLUMNS = ("pct_share_pct", "publications_share_pct", "vc_deals_share_pct")


def editions_between(ranks: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Rows of ``ranks`` whose edition lies in ``first..last`` (inclusive).

    Args:
        ranks: Frame with an ``edition`` column.
        first: First edition kept.
        last: Last edition kept.

    Returns:
        The filtered frame (a copy), sorted by edition and rank when ``rank`` exists.
    """
    out = ranks.loc[(ranks["edition"] >= first) & (ranks["edition"] <= last)].copy()
    sort = [c for c in ("edition", "rank") if c in out.columns]
    return out.sort_values(sort).reset_index(drop=True)


def rank_history(ranks: pd.DataFrame, cluster_code: str) -> pd.Series:
    """Rank of one cluster by edition (editions where no rank was found are absent).

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        cluster_code: The cluster.

    Returns:
        Integer series indexed by edition, sorted.
    """
    rows = ranks.loc[ranks["cluster_code"] == cluster_code, ["edition", "rank"]]
    return rows.set_index("edition")["rank"].astype(int).sort_index()


@dataclass(frozen=True)
class RankStory:
    """What a cluster's rank history says, for a heading.

    Attributes:
        cluster_code: The cluster.
        latest_edition: Last edition with a rank (within the window looked at).
        latest_rank: Its rank then.
        previous_first: First earlier edition with a rank (None when there is none).
        previous_last: Last earlier edition with a rank.
        previous_ranks: Distinct earlier ranks, sorted.
        previous_editions_found: How many earlier editions have a rank.
        previous_editions_total: How many editions lie between previous_first and
            previous_last (so a gap in the record is visible).
        best_rank: Best (lowest) rank in the window.
        first_time_best: True when the latest rank is better than every earlier one.
    """

    cluster_code: str
    latest_edition: int
    latest_rank: int
    previous_first: int | None
    previous_last: int | None
    previous_ranks: tuple[int, ...]
    previous_editions_found: int
    previous_editions_total: int
    best_rank: int
    first_time_best: bool

    @property
    def same_rank_every_previous_edition(self) -> bool:
        """True when every earlier edition (with no gap) had one and the same rank."""
        return (
            len(self.previous_ranks) == 1
            and self.previous_editions_found == self.previous_editions_total
        )


def rank_story(ranks: pd.DataFrame, cluster_code: str, first: int, last: int) -> RankStory:
    """Summarise a cluster's rank history over ``first..last``.

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        cluster_code: The cluster.
        first: First edition looked at.
        last: Last edition looked at.

    Returns:
        A :class:`RankStory`.

    Raises:
        ValueError: When the cluster has no rank in the window.
    """
    hist = rank_history(editions_between(ranks, first, last), cluster_code)
    if hist.empty:
        raise ValueError(f"cluster {cluster_code!r} has no rank between {first} and {last}")
    latest_edition = int(hist.index[-1])
    latest_rank = int(hist.iloc[-1])
    prev = hist.iloc[:-1]
    if prev.empty:
        return RankStory(
            cluster_code, latest_edition, latest_rank, None, None, (), 0, 0, latest_rank, False
        )
    p_first, p_last = int(prev.index[0]), int(prev.index[-1])
    return RankStory(
        cluster_code=cluster_code,
        latest_edition=latest_edition,
        latest_rank=latest_rank,
        previous_first=p_first,
        previous_last=p_last,
        previous_ranks=tuple(sorted({int(r) for r in prev})),
        previous_editions_found=len(prev),
        previous_editions_total=p_last - p_first + 1,
        best_rank=int(hist.min()),
        first_time_best=latest_rank < int(prev.min()),
    )


def top_n(ranks: pd.DataFrame, edition: int, n: int) -> pd.DataFrame:
    """The ``n`` best-ranked clusters of one edition (fewer when the data holds fewer).

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        edition: The edition.
        n: How many ranks.

    Returns:
        Rows with ``rank <= n`` of that edition, sorted by rank.
    """
    rows = ranks.loc[(ranks["edition"] == edition) & (ranks["rank"] <= n)]
    return rows.sort_values("rank").reset_index(drop=True)


def max_complete_top_n(ranks: pd.DataFrame, edition: int) -> int:
    """Largest N such that ranks 1..N of ``edition`` are all in the data (0 when rank 1 is not).

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        edition: The edition.
    """
    found = set(ranks.loc[ranks["edition"] == edition, "rank"].astype(int))
    n = 0
    while n + 1 in found:
        n += 1
    return n


def bump_frame(
    ranks: pd.DataFrame, first: int, last: int, max_rank: int, highlight: Sequence[str]
) -> pd.DataFrame:
    """Rows drawn in the bump chart: every rank <= ``max_rank`` plus every highlighted rank.

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        first: First edition.
        last: Last edition.
        max_rank: Ranks up to this are drawn for every cluster (grey unless highlighted).
        highlight: Cluster codes drawn in colour (all their ranks, however low).

    Returns:
        Columns edition, rank, cluster_code, is_highlighted, is_inferred, confidence.
    """
    win = editions_between(ranks, first, last)
    keep = (win["rank"] <= max_rank) | win["cluster_code"].isin(list(highlight))
    out = win.loc[keep, ["edition", "rank", "cluster_code", "is_inferred", "confidence"]]
    return out.assign(is_highlighted=out["cluster_code"].isin(list(highlight))).reset_index(
        drop=True
    )


def consecutive_segments(editions: Iterable[int]) -> list[list[int]]:
    """Split editions into runs of consecutive years, so lines never bridge a gap.

    Args:
        editions: Edition years (any order).

    Returns:
        Sorted runs, e.g. ``[2017, 2018, 2020]`` -> ``[[2017, 2018], [2020]]``.
    """
    runs: list[list[int]] = []
    for year in sorted(int(e) for e in editions):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def counts_for_edition(ranks: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Clusters of ``edition`` with both PCT-application and publication counts.

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        edition: The edition (2023 is the one with published counts).

    Returns:
        Rows with both counts present, sorted by rank.
    """
    rows = ranks.loc[
        (ranks["edition"] == edition)
        & ranks["pct_applications_count"].notna()
        & ranks["scientific_publications_count"].notna()
    ]
    return rows.sort_values("rank").reset_index(drop=True)


def latest_edition_with_counts(ranks: pd.DataFrame) -> int | None:
    """Latest edition in which at least one cluster has both counts (None when none does)."""
    both = ranks["pct_applications_count"].notna() & ranks["scientific_publications_count"].notna()
    eds = ranks.loc[both, "edition"]
    return int(eds.max()) if not eds.empty else None


def shares_long(ranks: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Shares of patents, publications and VC deals of one edition, long format.

    Clusters with at least one known share are kept; an unknown share stays missing (NaN),
    never zero, so the chart can say "not available".

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        edition: The edition (2025 introduced VC deals).

    Returns:
        Columns cluster_code, rank, metric (one of :data:`SHARE_COLUMNS`), share_pct (float,
        NaN when unknown), confidence.
    """
    rows = ranks.loc[ranks["edition"] == edition].copy()
    known = rows[list(SHARE_COLUMNS)].notna().any(axis=1)
    rows = rows.loc[known].sort_values("rank")
    long = rows.melt(
        id_vars=["cluster_code", "rank", "confidence"],
        value_vars=list(SHARE_COLUMNS),
        var_name="metric",
        value_name="share_pct",
    )
    long["share_pct"] = long["share_pct"].astype("float64")
    order = {m: i for i, m in enumerate(SHARE_COLUMNS)}
    return long.sort_values(
        ["rank", "metric"], key=lambda s: s.map(order) if s.name == "metric" else s
    ).reset_index(drop=True)


def latest_edition_with_shares(
    ranks: pd.DataFrame, column: str = "vc_deals_share_pct"
) -> int | None:
    """Latest edition with at least one known value in ``column`` (None when there is none)."""
    eds = ranks.loc[ranks[column].notna(), "edition"]
    return int(eds.max()) if not eds.empty else None


@dataclass(frozen=True)
class Entry:
    """A cluster's entry into the top 100.

    Attributes:
        cluster_code: The cluster.
        first_edition: First edition with a rank.
        first_rank: Rank then.
        first_is_inferred: Whether that rank was worked back rather than published.
        latest_edition: Latest edition with a rank.
        latest_rank: Rank then.
        latest_is_inferred: Whether the latest rank was inferred.
        places_gained: ``first_rank - latest_rank`` (positive = moved up).
        consecutive: Number of consecutive editions ending at the latest one.
    """

    cluster_code: str
    first_edition: int
    first_rank: int
    first_is_inferred: bool
    latest_edition: int
    latest_rank: int
    latest_is_inferred: bool
    places_gained: int
    consecutive: int


def entry(ranks: pd.DataFrame, cluster_code: str) -> Entry:
    """Describe when and where a cluster entered the ranking (e.g. Macao–Zhuhai).

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        cluster_code: The cluster.

    Raises:
        ValueError: When the cluster has no rank at all.
    """
    rows = ranks.loc[ranks["cluster_code"] == cluster_code].sort_values("edition")
    if rows.empty:
        raise ValueError(f"cluster {cluster_code!r} has no rank in the data")
    first, latest = rows.iloc[0], rows.iloc[-1]
    runs = consecutive_segments(rows["edition"])
    return Entry(
        cluster_code=cluster_code,
        first_edition=int(first["edition"]),
        first_rank=int(first["rank"]),
        first_is_inferred=bool(first["is_inferred"]),
        latest_edition=int(latest["edition"]),
        latest_rank=int(latest["rank"]),
        latest_is_inferred=bool(latest["is_inferred"]),
        places_gained=int(first["rank"]) - int(latest["rank"]),
        consecutive=len(runs[-1]),
    )


def per_economy_wide(counts: pd.DataFrame, economies: Sequence[str] | None = None) -> pd.DataFrame:
    """Clusters per economy as a wide table (editions x economies; missing stays missing).

    Args:
        counts: ``gii_clusters_per_economy``-shaped frame.
        economies: Economy codes to keep, in order (default: all, largest latest count first).

    Returns:
        Frame indexed by edition with one nullable integer column per economy.
    """
    wide = counts.pivot(index="edition", columns="economy_code", values="count").sort_index()
    if economies is None:
        latest = wide.ffill().iloc[-1].sort_values(ascending=False, kind="stable")
        economies = list(latest.index)
    cols = [e for e in economies if e in wide.columns]
    return wide[cols]


def leader_by_edition(counts: pd.DataFrame, economies: Sequence[str]) -> pd.DataFrame:
    """For each edition, the count of each of ``economies`` (NaN when not found).

    Args:
        counts: ``gii_clusters_per_economy``-shaped frame.
        economies: Two or more economy codes to compare (e.g. ``["CN", "US"]``).

    Returns:
        Wide frame indexed by edition, only editions where all of ``economies`` are known.
    """
    wide = per_economy_wide(counts, economies)
    return wide.dropna()


def first_edition_ahead(counts: pd.DataFrame, leader: str, other: str) -> int | None:
    """First edition in which ``leader`` had more top-100 clusters than ``other``.

    Only editions where both counts are known are compared.

    Args:
        counts: ``gii_clusters_per_economy``-shaped frame.
        leader: Economy code expected ahead (e.g. ``CN``).
        other: Economy code compared with (e.g. ``US``).
    """
    both = leader_by_edition(counts, [leader, other])
    ahead = both.loc[both[leader] > both[other]]
    return int(ahead.index[0]) if not ahead.empty else None


def economy_rank_wide(
    economy_ranks: pd.DataFrame, economies: Sequence[str], first: int, last: int
) -> pd.DataFrame:
    """Economy-level GII ranks, editions x economies, within ``first..last``.

    Args:
        economy_ranks: ``gii_economy_ranks``-shaped frame.
        economies: ISO3 codes, in display order.
        first: First edition.
        last: Last edition.

    Returns:
        Frame indexed by edition; a missing rank stays missing.
    """
    win = editions_between(economy_ranks, first, last)
    wide = win.pivot(index="edition", columns="economy_code", values="gii_rank").sort_index()
    return wide[[e for e in economies if e in wide.columns]]


def rank_change(wide: pd.DataFrame, code: str) -> tuple[int, int, int, int] | None:
    """First and last known rank of ``code`` in a wide rank frame.

    Args:
        wide: Editions x codes frame of ranks.
        code: Column.

    Returns:
        ``(first_edition, first_rank, last_edition, last_rank)`` or None when fewer than two
        ranks are known.
    """
    if code not in wide.columns:
        return None
    col = wide[code].dropna()
    if len(col) < 2:
        return None
    return int(col.index[0]), int(col.iloc[0]), int(col.index[-1]), int(col.iloc[-1])


def method_changes(methodology: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Methodology changes whose edition lies in ``first..last``, sorted by edition.

    Args:
        methodology: ``gii_methodology``-shaped frame.
        first: First edition.
        last: Last edition.
    """
    return editions_between(methodology, first, last)


def annotated_changes(methodology: pd.DataFrame, first: int, last: int) -> dict[int, str]:
    """Changes to mark on the bump chart, as ``{edition: change_code}``.

    Only the major changes (:data:`ANNOTATED_METHOD_CHANGES`) whose edition falls in the window.

    Args:
        methodology: ``gii_methodology``-shaped frame (``edition``, ``change_code``).
        first: First edition shown.
        last: Last edition shown.
    """
    rows = method_changes(methodology, first, last)
    rows = rows.loc[rows["change_code"].isin(ANNOTATED_METHOD_CHANGES)]
    return {int(r.edition): str(r.change_code) for r in rows.itertuples()}
