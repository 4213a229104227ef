"""Like-for-like comparisons of R&D intensities: within one basis, and across economies.

A change between two years is computed only within the basis (GDP vintage, method) of the latest
figure (:func:`year_on_year`); economies are compared on the OECD MSTI basis at the latest year in
which nearly all comparators have a figure, with national definitions listed apart
(:func:`international_comparison`). Pure functions on ``rd_intensity``-shaped frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from gba_report.analysis.series import INTENSITY, latest_basis, preferred_series

#: Share of the comparators with a figure on the basis a year needs to be the comparison year.
COMPLETE_SHARE = 0.8


@dataclass(frozen=True)
class Point:
    """One figure of a series: its value, year and provenance."""

    value: float
    year: int
    source_id: str
    confidence: str


def point_of(row: pd.Series, value: str) -> Point:
    """The figure ``value`` of an ``rd_intensity`` row as a :class:`Point`."""
    return Point(float(row[value]), int(row["year"]), str(row["source_id"]), str(row["confidence"]))


@dataclass(frozen=True)
class Change:
    """A change of intensity between two years on one basis (GDP vintage or method).

    Attributes:
        previous: The earlier figure (its latest vintage).
        latest: The later figure.
        basis: The basis both are on (``basis`` of ``rd_intensity``).
        previous_first_release: The earlier year's first release when it was revised since
            (None when it was not), on an older basis.
    """

    previous: Point
    latest: Point
    basis: str
    previous_first_release: float | None

    @property
    def pp(self) -> float:
        """Latest minus previous, percentage points."""
        return self.latest.value - self.previous.value


def year_on_year(series: pd.DataFrame) -> Change | None:
    """The change from the year before the latest to the latest, within the latest's basis.

    Args:
        series: From :func:`~gba_report.analysis.series.preferred_series` (latest vintage).

    Returns:
        None when the year before is missing or on another basis.
    """
    same = latest_basis(series)
    if len(same) < 2 or int(same["year"].iloc[-2]) != int(same["year"].iloc[-1]) - 1:
        return None
    prev, last = same.iloc[-2], same.iloc[-1]
    first = prev.get("first_release_value")
    return Change(
        previous=point_of(prev, INTENSITY),
        latest=point_of(last, INTENSITY),
        basis=str(last.get("basis", "")),
        previous_first_release=None if pd.isna(first) else float(first),
    )


@dataclass(frozen=True)
class InternationalStanding:
    """Where the focus stands among the international comparators in one year.

    Attributes:
        year: The latest year in which the focus and most comparators have a value.
        value: The focus's intensity that year.
        above: Codes with a higher intensity; below: codes with the same or a lower one.
    """

    year: int
    value: float
    above: list[str]
    below: list[str]


def international_standing(lines: pd.DataFrame, focus: str) -> InternationalStanding | None:
    """Compare the focus with the other lines of the international chart (None: no year)."""
    focus_years = set(lines.loc[lines["region_code"] == focus, "year"])
    counts = lines[lines["year"].isin(focus_years)].groupby("year")["region_code"].nunique()
    if not len(counts):
        return None
    year = int(counts[counts == counts.max()].index.max())
    snap = lines[lines["year"] == year].set_index("region_code")[INTENSITY]
    own = float(snap[focus])
    return InternationalStanding(
        year=year,
        value=own,
        above=[c for c in snap.index if c != focus and snap[c] > own],
        below=[c for c in snap.index if c != focus and snap[c] <= own],
    )


#: The international basis compared like for like, its series in order of preference.
COMPARISON_BASIS = "oecd_msti"
COMPARISON_SERIES = ("oecd_msti", "oecd_msti_rounded")
#: National definitions listed beside the comparison (never mixed into it).
NATIONAL_BASES = ("national", "national_fy", "eurostat")


@dataclass(frozen=True)
class Comparison:
    """The focus against international comparators in one year, on one basis.

    Attributes:
        year: The latest year in which at least :data:`COMPLETE_SHARE` of the comparators
            with a figure on :data:`COMPARISON_BASIS` have one.
        rows: One row per comparator on that basis that year (unrounded OECD MSTI preferred
            to the rounded one), plus the focus on its own series (``is_like_for_like``
            False), highest first.
        national: Each comparator's latest figure on a national definition (not comparable).
        missing: Comparators without a figure on the basis that year.
    """

    year: int
    rows: pd.DataFrame
    national: pd.DataFrame
    missing: list[str]

    @property
    def standing(self) -> InternationalStanding | None:
        """Where the focus stands among the like-for-like rows (None without the focus)."""
        lines = self.rows.drop_duplicates("region_code")
        return international_standing(lines, str(lines.iloc[0]["focus"])) if len(lines) else None


def international_comparison(
    rd: pd.DataFrame, focus: str, codes: Sequence[str]
) -> Comparison | None:
    """Compare the focus with ``codes`` on the OECD MSTI basis at the latest year with enough.

    Args:
        rd: ``rd_intensity`` rows of the window.
        focus: Focus code (compared on its own latest-vintage series).
        codes: Comparator codes (China included when it is not the focus).

    Returns:
        None when no year has the focus and comparators on the basis.
    """
    others = [c for c in codes if c != focus]
    basis = rd[
        rd["region_code"].isin(others)
        & rd["series"].isin(COMPARISON_SERIES)
        & rd[INTENSITY].notna()
    ]
    own = preferred_series(rd, focus)
    if basis.empty or own.empty:
        return None
    counts = basis.groupby("year")["region_code"].nunique()
    counts = counts[counts.index.isin(own["year"])]
    enough = counts[counts >= basis["region_code"].nunique() * COMPLETE_SHARE]
    if enough.empty:
        return None
    year = int(enough.index.max())
    order = {s: i for i, s in enumerate(COMPARISON_SERIES)}
    snap = (
        basis[basis["year"] == year]
        .assign(_order=lambda d: d["series"].map(order))
        .sort_values(["region_code", "_order"])
        .drop_duplicates("region_code")
        .drop(columns="_order")
        .assign(is_like_for_like=True)
    )
    mine = own[own["year"] == year].assign(is_like_for_like=False)
    rows = (
        pd.concat([snap, mine[snap.columns.intersection(mine.columns)]], ignore_index=True)
        .sort_values(INTENSITY, ascending=False, kind="stable")
        .assign(focus=focus)
        .reset_index(drop=True)
    )
    national = (
        rd[
            rd["region_code"].isin(others)
            & rd["basis"].isin(NATIONAL_BASES)
            & rd[INTENSITY].notna()
        ]
        .sort_values(["region_code", "year"], kind="stable")
        .groupby("region_code")
        .tail(1)
        .assign(is_like_for_like=False)
    )
    national = national.set_index("region_code").loc[
        [c for c in others if c in set(national["region_code"])]
    ]
    return Comparison(
        year=year,
        rows=rows,
        national=national.reset_index(),
        missing=[
            c for c in others if c not in set(snap["region_code"]) and c in set(rd["region_code"])
        ],
    )
