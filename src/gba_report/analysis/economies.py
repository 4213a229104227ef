"""Economy-level GII figures: top-100 clusters per economy, and economies' own GII ranks.

Pure functions on ``gii_clusters_per_economy`` and ``gii_economy_ranks``-shaped frames; a
count or rank that was not found stays missing, and a line is drawn only between consecutive
editions (the ``segment`` of :class:`EditionLines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from gba_report.analysis import indicators
from gba_report.analysis.clusters import editions_between

#: Economies drawn in the clusters-per-economy chart (the largest latest counts), at most.
MAX_ECONOMIES = 7


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


def first_edition_ahead(counts: pd.DataFrame, leader: str, other: str) -> int | None:
    """First edition in which ``leader`` had more top-100 clusters than ``other``.

    Only editions where both counts are known are compared.

    Args:
        counts: ``gii_clusters_per_economy``-shaped frame.
        leader: Economy code expected ahead (e.g. ``CN``).
        other: Economy code compared with (e.g. ``US``).
    """
    both = per_economy_wide(counts, [leader, other]).dropna()
    ahead = both.loc[both[leader] > both[other]]
    return int(ahead.index[0]) if not ahead.empty else None


@dataclass(frozen=True)
class EditionLines:
    """Series drawn as lines over editions.

    Attributes:
        rows: Tidy rows of the series drawn (a ``segment`` column numbers the runs of
            consecutive editions of each series: a line never bridges a missing edition).
        codes: The series, in drawing order.
        first_edition: First edition of the x axis.
        last_edition: Last edition of the x axis.
    """

    rows: pd.DataFrame
    codes: list[str]
    first_edition: int
    last_edition: int


def _lines(window: pd.DataFrame, value: str, codes: Sequence[str]) -> EditionLines:
    rows = window.loc[window["economy_code"].isin(list(codes)) & window[value].notna()]
    order = {c: i for i, c in enumerate(codes)}
    rows = rows.sort_values(
        ["economy_code", "edition"], key=lambda s: s.map(order) if s.name == "economy_code" else s
    )
    # a count on another basis (``counts_with``: e.g. China 2019 with Hong Kong and Taiwan)
    # is a segment of its own: no line joins it to comparable counts
    basis = rows["counts_with"].fillna("").astype(str) if "counts_with" in rows else ""
    rows = rows.assign(basis=basis)
    runs = rows.groupby(["economy_code", "basis"])["edition"].transform(indicators.segment_ids)
    segments = rows.assign(run=runs).groupby(["economy_code", "basis", "run"]).ngroup()
    return EditionLines(
        rows=rows.drop(columns="basis").assign(segment=segments).reset_index(drop=True),
        codes=[c for c in codes if c in set(rows["economy_code"])],
        first_edition=int(window["edition"].min()),
        last_edition=int(window["edition"].max()),
    )


def per_economy_lines(counts: pd.DataFrame) -> EditionLines:
    """Top-100 clusters per economy for the economies with the most in the latest edition.

    At most :data:`MAX_ECONOMIES` economies with a count in the latest edition, largest first
    (ties in the order of :func:`per_economy_wide`).

    Args:
        counts: ``gii_clusters_per_economy`` rows of the editions shown.
    """
    wide = per_economy_wide(counts)
    latest = wide.iloc[-1].dropna().sort_values(ascending=False, kind="stable")
    return _lines(counts, "count", list(latest.index[:MAX_ECONOMIES]))


@dataclass(frozen=True)
class CountLeaders:
    """Which economies have the most top-100 clusters in the latest edition.

    Attributes:
        edition: Latest edition.
        leader: Economy code with the most clusters; leader_count: how many.
        second: The next one (None when only one economy has a count that edition);
            second_count: how many.
        china_count: Clusters of China (``CN``) that edition (0 when none is recorded).
        ahead_since: First edition in which the leader had more than the second, when that
            is after the first edition shown (None otherwise).
    """

    edition: int
    leader: str
    leader_count: int
    second: str | None
    second_count: int | None
    china_count: int
    ahead_since: int | None


def count_leaders(counts: pd.DataFrame) -> CountLeaders:
    """The two economies with the most clusters in the latest edition (ties: by code).

    Args:
        counts: ``gii_clusters_per_economy`` rows (at least one).
    """
    edition = int(counts["edition"].max())
    last = counts.loc[counts["edition"] == edition].sort_values(
        ["count", "economy_code"], ascending=[False, True]
    )
    lead = last.iloc[0]
    second = last.iloc[1] if len(last) > 1 else None
    year = None
    if second is not None:
        year = first_edition_ahead(counts, lead["economy_code"], second["economy_code"])
    return CountLeaders(
        edition=edition,
        leader=str(lead["economy_code"]),
        leader_count=int(lead["count"]),
        second=None if second is None else str(second["economy_code"]),
        second_count=None if second is None else int(second["count"]),
        china_count=int(last.set_index("economy_code")["count"].get("CN", 0)),
        ahead_since=year if year is not None and year > int(counts["edition"].min()) else None,
    )


def economy_rank_lines(
    economy_ranks: pd.DataFrame, economies: Sequence[str], first: int, last: int
) -> EditionLines:
    """Economy-level GII ranks of ``economies`` (ISO3, in display order) within ``first..last``."""
    window = editions_between(economy_ranks, first, last)
    if window.empty:
        return EditionLines(window.assign(segment=0), [], first, last)
    return _lines(window, "gii_rank", [e for e in economies if e in set(window["economy_code"])])


def rank_change(lines: EditionLines, code: str) -> tuple[int, int, int, int] | None:
    """First and last known rank of ``code``.

    Returns:
        ``(first_edition, first_rank, last_edition, last_rank)`` or None when fewer than two
        ranks are known.
    """
    rows = lines.rows.loc[lines.rows["economy_code"] == code]
    if len(rows) < 2:
        return None
    first, last = rows.iloc[0], rows.iloc[-1]
    return (
        int(first["edition"]),
        int(first["gii_rank"]),
        int(last["edition"]),
        int(last["gii_rank"]),
    )


def latest_rank(lines: EditionLines, code: str) -> tuple[int, int] | None:
    """``(edition, rank)`` of the latest known rank of ``code`` (None when there is none)."""
    rows = lines.rows.loc[lines.rows["economy_code"] == code]
    if rows.empty:
        return None
    return int(rows["edition"].iloc[-1]), int(rows["gii_rank"].iloc[-1])
