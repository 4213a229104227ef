"""Pure computations behind the ``cluster_rankings`` report (WIPO GII cluster ranks).

Every function takes tidy frames shaped like the curated tables (``gii_cluster_ranks``,
``gii_clusters_per_economy``, ``gii_economy_ranks``, ``gii_methodology``) and returns plain
values or frames; nothing here reads files or knows about languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from gba_report.analysis import indicators

#: Methodology changes (``gii_methodology.change_code``) the bump chart annotates: publications
#: added, the Shenzhen–Hong Kong + Guangzhou merger, ranking by combined share, venture-capital
#: deals added. Their editions come from the data.
ANNOTATED_METHOD_CHANGES = (
    "publications_added",
    "shenzhen_hong_kong_guangzhou_merged",
    "ranked_by_combined_share",
    "vc_deals_added",
)

#: Metrics of the 2025 three-metric ranking, in display order.
SHARE_COLUMNS = ("pct_share_pct", "publications_share_pct", "vc_deals_share_pct")

#: Highlighted ranks up to this many places below the top N stay in the bump chart's main panel.
NEAR_RANKS = 8


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
        previous_rank: Rank in the last earlier edition (None when there is none).
    """

    cluster_code: str
    latest_edition: int
    latest_rank: int
    previous_first: int | None
    previous_last: int | None
    previous_ranks: tuple[int, ...]
    previous_editions_found: int
    previous_editions_total: int
    previous_rank: int | None

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
        return RankStory(cluster_code, latest_edition, latest_rank, None, None, (), 0, 0, None)
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
        previous_rank=int(prev.iloc[-1]),
    )


def name_runs(
    ranks: pd.DataFrame, cluster_code: str, editions: Sequence[int]
) -> list[tuple[str, int, int]]:
    """The names a cluster was ranked under, as runs of editions, latest run first.

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame (with ``name_as_ranked``).
        cluster_code: The cluster.
        editions: Editions looked at.

    Returns:
        ``(name_as_ranked, first, last)`` per run of consecutive editions with one name, e.g.
        ``[("Shenzhen–Hong Kong–Guangzhou", 2020, 2024), ("Shenzhen–Hong Kong", 2017, 2019)]``.
    """
    rows = ranks.loc[(ranks["cluster_code"] == cluster_code) & ranks["edition"].isin(editions)]
    runs: list[tuple[str, int, int]] = []
    for edition, name in rows.sort_values("edition")[["edition", "name_as_ranked"]].values:
        if runs and runs[-1][0] == name and runs[-1][2] == int(edition) - 1:
            runs[-1] = (name, runs[-1][1], int(edition))
        else:
            runs.append((str(name), int(edition), int(edition)))
    return runs[::-1]


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
        Columns edition, rank, cluster_code, is_inferred, source_id, confidence,
        is_highlighted, panel (``main`` or ``lower``, see :func:`main_panel_ranks`) and
        segment (runs of consecutive editions of one cluster within one panel: a line is
        drawn only within a segment).
    """
    win = editions_between(ranks, first, last)
    keep = (win["rank"] <= max_rank) | win["cluster_code"].isin(list(highlight))
    cols = ["edition", "rank", "cluster_code", "is_inferred", "source_id", "confidence"]
    out = win.loc[keep, cols]
    out = out.assign(is_highlighted=out["cluster_code"].isin(list(highlight)))
    limit = main_panel_ranks(out, max_rank)
    out = out.assign(panel=["main" if r <= limit else "lower" for r in out["rank"]])
    segments = out.groupby(["cluster_code", "panel"])["edition"].transform(indicators.segment_ids)
    return out.assign(segment=segments).reset_index(drop=True)


def main_panel_ranks(frame: pd.DataFrame, max_rank: int) -> int:
    """Ranks shown in the bump chart's main panel: the top ``max_rank``, or more.

    The panel grows so that a highlighted cluster up to :data:`NEAR_RANKS` places lower stays
    in it.

    Args:
        frame: Rows with ``rank`` and ``is_highlighted``.
        max_rank: The top N asked for.
    """
    near = frame.loc[frame["is_highlighted"] & (frame["rank"] <= max_rank + NEAR_RANKS), "rank"]
    return int(max([max_rank, *near.astype(int).tolist()]))


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
        Columns cluster_code, rank, source_id, confidence, metric (one of
        :data:`SHARE_COLUMNS`), share_pct (float, NaN when unknown).
    """
    rows = ranks.loc[ranks["edition"] == edition].copy()
    known = rows[list(SHARE_COLUMNS)].notna().any(axis=1)
    rows = rows.loc[known].sort_values("rank")
    long = rows.melt(
        id_vars=["cluster_code", "rank", "source_id", "confidence"],
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
    """

    cluster_code: str
    first_edition: int
    first_rank: int
    first_is_inferred: bool
    latest_edition: int
    latest_rank: int
    latest_is_inferred: bool
    places_gained: int


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
    return Entry(
        cluster_code=cluster_code,
        first_edition=int(first["edition"]),
        first_rank=int(first["rank"]),
        first_is_inferred=bool(first["is_inferred"]),
        latest_edition=int(latest["edition"]),
        latest_rank=int(latest["rank"]),
        latest_is_inferred=bool(latest["is_inferred"]),
        places_gained=int(first["rank"]) - int(latest["rank"]),
    )


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


def gba_codes(clusters: pd.DataFrame, ranks: pd.DataFrame) -> list[str]:
    """The GBA's cluster codes, the one with the most ranks first (ties: by code).

    Args:
        clusters: ``clusters`` code list (``is_gba``).
        ranks: ``gii_cluster_ranks`` rows.
    """
    gba = clusters.loc[clusters["is_gba"].astype(bool), "cluster_code"].tolist()
    counts = ranks["cluster_code"].value_counts()
    return sorted(gba, key=lambda c: (-int(counts.get(c, 0)), c))


def gba_and_top(window: pd.DataFrame, gba: Sequence[str], n: int = 5) -> list[str]:
    """The GBA's clusters, then the latest edition's top ``n`` (each once).

    Args:
        window: Cluster ranks of the editions shown.
        gba: The GBA's cluster codes (see :func:`gba_codes`).
        n: How many of the latest top clusters.
    """
    latest = window.loc[window["edition"] == window["edition"].max()]
    return list(dict.fromkeys([*gba, *latest.nsmallest(n, "rank")["cluster_code"]]))


def focus_cluster(window: pd.DataFrame, highlight: Sequence[str], gba: Sequence[str]) -> str:
    """The report's focus: the first highlighted GBA cluster ranked in the window.

    Without one, the first GBA cluster ranked in the window; without that, the first
    highlighted cluster ranked, else the best-ranked cluster.

    Raises:
        ValueError: No cluster has a rank in the window.
    """
    in_window = set(window["cluster_code"])
    for code in [*highlight, *gba]:
        if code in gba and code in in_window:
            return code
    for code in [*highlight, *window.sort_values("rank")["cluster_code"]]:
        if code in in_window:
            return code
    raise ValueError("no cluster has a rank in the editions shown")


def newcomer(window: pd.DataFrame, gba: Sequence[str]) -> str | None:
    """The GBA cluster that entered the ranking last (None with fewer than two ranked)."""
    ranked = [c for c in gba if c in set(window["cluster_code"])]
    if len(ranked) < 2:
        return None
    firsts = {c: int(window.loc[window["cluster_code"] == c, "edition"].min()) for c in ranked}
    return max(ranked, key=lambda c: (firsts[c], c))


def economies_in_top(
    rows: pd.DataFrame, clusters: pd.DataFrame, n: int = 3
) -> list[tuple[str, int]]:
    """The economies with the most clusters among ``rows`` (first economy of each cluster).

    Args:
        rows: Ranked clusters (``cluster_code``).
        clusters: ``clusters`` code list (``economy_codes``, ``/``-joined).
        n: How many economies.

    Returns:
        ``[(economy_code, clusters), ...]``, most first (ties: by code).
    """
    econ = clusters.set_index("cluster_code")["economy_codes"]
    groups: dict[str, int] = {}
    for code in rows["cluster_code"]:
        first = str(econ.get(code, "")).split("/")[0]
        groups[first] = groups.get(first, 0) + 1
    return sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


@dataclass(frozen=True)
class ShareComparison:
    """The focus cluster's shares and the best-ranked other cluster with a known VC share.

    Attributes:
        focus: The focus cluster (the first cluster shown when the focus has no shares).
        shares: ``{metric: share_pct}`` of the focus (NaN when unknown).
        other: Best-ranked other cluster with a known VC share (None: none, or the focus's
            VC share is unknown).
        other_vc: Its VC-deal share.
    """

    focus: str
    shares: dict[str, float]
    other: str | None
    other_vc: float | None


def share_comparison(long: pd.DataFrame, focus: str) -> ShareComparison:
    """Compare the focus's shares with the best-ranked cluster that has a known VC share.

    Args:
        long: From :func:`shares_long`.
        focus: The report's focus cluster.
    """
    wide = long.pivot(index="cluster_code", columns="metric", values="share_pct")
    focus = focus if focus in wide.index else wide.index[0]
    shares = {m: wide.loc[focus, m] for m in SHARE_COLUMNS}
    other = None
    if not pd.isna(shares["vc_deals_share_pct"]):
        ranks = long.drop_duplicates("cluster_code").set_index("cluster_code")["rank"]
        others = [
            c
            for c in ranks.sort_values().index
            if c != focus and not pd.isna(wide.loc[c, "vc_deals_share_pct"])
        ]
        other = others[0] if others else None
    return ShareComparison(
        focus=focus,
        shares=shares,
        other=other,
        other_vc=None if other is None else wide.loc[other, "vc_deals_share_pct"],
    )


@dataclass(frozen=True)
class CountsLeaders:
    """Who leads the PCT-application and publication counts of one edition.

    Attributes:
        pct: Row of the cluster with the most PCT applications.
        publications: Row of the cluster with the most scientific publications.
        focus: Row of the focus cluster (the first row when the focus has no counts).
    """

    pct: pd.Series
    publications: pd.Series
    focus: pd.Series


def counts_leaders(rows: pd.DataFrame, focus: str) -> CountsLeaders:
    """The count leaders among ``rows`` (from :func:`counts_for_edition`, at least one row)."""
    own = rows.loc[rows["cluster_code"] == focus]
    return CountsLeaders(
        pct=rows.loc[rows["pct_applications_count"].astype(float).idxmax()],
        publications=rows.loc[rows["scientific_publications_count"].astype(float).idxmax()],
        focus=own.iloc[0] if not own.empty else rows.iloc[0],
    )


def shares_edition(window: pd.DataFrame) -> int | None:
    """The latest edition with VC-deal shares, else the latest with PCT shares (None: none)."""
    edition = latest_edition_with_shares(window)
    return edition if edition is not None else latest_edition_with_shares(window, "pct_share_pct")


class ClusterAnalysis:
    """The analysis behind one ``cluster_rankings`` report (frames in, nothing loaded).

    Args:
        clusters: ``clusters`` code list.
        ranks: ``gii_cluster_ranks`` rows (all editions).
        highlight: Cluster codes drawn in colour.
        first_edition: First edition shown.
        last_edition: Last edition shown.
        top_n: Size of the top-N table and of the bump chart's main panel.
    """

    def __init__(
        self,
        clusters: pd.DataFrame,
        ranks: pd.DataFrame,
        *,
        highlight: Sequence[str],
        first_edition: int,
        last_edition: int,
        top_n: int,
    ) -> None:
        self.clusters = clusters
        self.ranks = ranks
        self.highlight = list(dict.fromkeys(highlight))
        self.first = int(first_edition)
        self.last = int(last_edition)
        self.top_n = int(top_n)

    def highlighting(self, highlight: Sequence[str]) -> ClusterAnalysis:
        """The same analysis with other clusters drawn in colour."""
        return ClusterAnalysis(
            self.clusters,
            self.ranks,
            highlight=highlight,
            first_edition=self.first,
            last_edition=self.last,
            top_n=self.top_n,
        )

    @cached_property
    def window(self) -> pd.DataFrame:
        """Cluster ranks of the editions shown."""
        return editions_between(self.ranks, self.first, self.last)

    @cached_property
    def gba(self) -> list[str]:
        """The GBA's cluster codes, the one with the most ranks first."""
        return gba_codes(self.clusters, self.ranks)

    @cached_property
    def focus(self) -> str:
        """The report's focus cluster (see :func:`focus_cluster`)."""
        return focus_cluster(self.window, self.highlight, self.gba)

    @property
    def drawn(self) -> list[str]:
        """Clusters drawn in colour: the highlighted ones, or the focus when none is."""
        return self.highlight or [self.focus]

    @cached_property
    def latest(self) -> int:
        """Latest edition shown that has ranks."""
        return int(self.window["edition"].max())

    @cached_property
    def story(self) -> RankStory:
        """The focus cluster's rank history (see :func:`rank_story`)."""
        return rank_story(self.ranks, self.focus, self.first, self.last)

    @cached_property
    def bump(self) -> pd.DataFrame:
        """The rows of the bump chart (see :func:`bump_frame`)."""
        return bump_frame(self.ranks, self.first, self.last, self.top_n, self.drawn)

    @cached_property
    def newcomer(self) -> str | None:
        """The GBA cluster that entered the ranking last (see :func:`newcomer`)."""
        return newcomer(self.window, self.gba)

    @cached_property
    def shares(self) -> pd.DataFrame | None:
        """Shares by metric of :func:`shares_edition` (None when no edition has shares)."""
        edition = shares_edition(self.window)
        return None if edition is None else shares_long(self.window, edition)

    @cached_property
    def share_comparison(self) -> ShareComparison | None:
        """The focus's shares against the best-ranked other cluster (None without shares)."""
        return None if self.shares is None else share_comparison(self.shares, self.focus)
