"""Which series represents a region, and its peers: the like-for-like rules of the R&D figures.

One series per region and chart, the first available in :data:`SERIES_PREFERENCE` (NBS first
releases for China and provinces, C&SD for Hong Kong, the World Bank for other economies), so a
line never mixes two statistical sources. A line draws the latest vintage: a revised value of the
same publisher (:data:`REVISED_BY`) replaces the first release of its year, which is kept in
``first_release_value`` for a note. Provisional figures (:data:`PROVISIONAL_BY`) continue a line
only when asked, flagged ``is_provisional``. A series break is where the ``basis`` changes
(GDP vintage, method), so changes between years are computed within one basis. Peers are the
regions of the focus's type on the focus's own series, so ranks compare like with like.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from gba_report.analysis import indicators

#: Which series represents a region, in order of preference.
SERIES_PREFERENCE: tuple[str, ...] = (
    "nbs_first_release",
    "provincial_release",
    "csd",
    "city_release",
    "worldbank_wdi",
    "national_release",
    "oecd_msti_rounded",
)
#: Later vintages of a series: their values replace the series' first releases of the same year.
REVISED_BY: dict[str, str] = {"nbs_first_release": "nbs_revised"}
#: Provisional figures that continue a series after its last year (drawn flagged, never ranked).
PROVISIONAL_BY: dict[str, str] = {"nbs_first_release": "nbs_preliminary"}
#: The national total.
NATIONAL = "CN"

INTENSITY = "rd_intensity_pct_gdp"
SPEND = "rd_expenditure_rmb_100m"


@dataclass(frozen=True)
class Regions:
    """The region code list as the analysis needs it (from ``data/regions.csv``).

    Attributes:
        types: ``region_type`` per code.
        parents: ``parent_code`` per code.
        is_gba: ``is_gba`` per code.
    """

    types: Mapping[str, str]
    parents: Mapping[str, str]
    is_gba: Mapping[str, bool]

    @classmethod
    def from_frame(cls, regions: pd.DataFrame) -> Regions:
        """Build from a ``regions``-shaped frame.

        Args:
            regions: Columns ``region_code``, ``region_type``, ``parent_code``, ``is_gba``.
        """
        codes = regions["region_code"]
        return cls(
            types=dict(zip(codes, regions["region_type"], strict=True)),
            parents=dict(zip(codes, regions["parent_code"], strict=True)),
            is_gba=dict(zip(codes, regions["is_gba"], strict=True)),
        )

    def of_type(self, kind: str) -> list[str]:
        """Codes of one region type, in code-list order."""
        return [c for c, t in self.types.items() if t == kind]


def in_window(rd: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Rows of ``rd`` (all series) whose year lies in ``start_year..end_year``."""
    return rd[rd["year"].between(start_year, end_year)].copy()


def preferred_series(
    rd: pd.DataFrame,
    code: str,
    value: str = INTENSITY,
    *,
    latest_vintage: bool = True,
    provisional: bool = False,
) -> pd.DataFrame:
    """Rows of the preferred series of ``code`` that have ``value``, sorted by year.

    Args:
        rd: ``rd_intensity`` rows.
        code: Region code.
        value: The value column that must be present.
        latest_vintage: Replace first releases by the revised values of :data:`REVISED_BY`
            (the replaced value is kept in ``first_release_value``).
        provisional: Append the provisional figures of :data:`PROVISIONAL_BY` for years after
            the series' last one (``is_provisional``).

    Returns:
        The rows plus ``first_release_value`` (NaN unless revised), ``is_revised`` and
        ``is_provisional``; where the series has a ``basis`` that changes, ``is_series_break``
        marks the first year of each new basis.
    """
    rows = rd[(rd["region_code"] == code) & rd[value].notna()]
    chosen = next((s for s in SERIES_PREFERENCE if (rows["series"] == s).any()), None)
    if chosen is None:
        return _with_vintage_columns(rows.iloc[0:0])
    part = _with_vintage_columns(rows[rows["series"] == chosen].sort_values("year"))
    if latest_vintage and chosen in REVISED_BY:
        part = _revised(part, rows[rows["series"] == REVISED_BY[chosen]], value)
    if provisional and chosen in PROVISIONAL_BY:
        later = rows[
            (rows["series"] == PROVISIONAL_BY[chosen]) & (rows["year"] > part["year"].max())
        ]
        later = _with_vintage_columns(later).assign(is_provisional=True)
        part = pd.concat([part, later]) if len(later) else part
    part = part.sort_values("year").reset_index(drop=True)
    return _basis_breaks(part)


def _with_vintage_columns(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(first_release_value=float("nan"), is_revised=False, is_provisional=False)


def _revised(part: pd.DataFrame, revised: pd.DataFrame, value: str) -> pd.DataFrame:
    """``part`` with the years of ``revised`` replaced by the revised rows."""
    revised = revised[revised["year"].isin(part["year"])]
    if revised.empty:
        return part
    first = part.set_index("year")[value]
    new = revised.assign(
        first_release_value=revised["year"].map(first).astype(float),
        is_revised=True,
        is_provisional=False,
    )
    kept = part[~part["year"].isin(revised["year"])]
    return pd.concat([kept, new]).sort_values("year")


def _basis_breaks(part: pd.DataFrame) -> pd.DataFrame:
    """Series breaks where the basis changes (the data's own flags when it never changes)."""
    if "basis" not in part or part["basis"].nunique() < 2:
        return part
    changed = part["basis"].ne(part["basis"].shift()) & part.index.to_series().gt(0)
    return part.assign(is_series_break=changed.to_numpy())


def latest_basis(series: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``series`` on the basis of its latest row (a change within one basis)."""
    if series.empty or "basis" not in series:
        return series
    return series[series["basis"] == series["basis"].iloc[-1]]


def basis_of(row: pd.Series) -> str:
    """The ``basis`` of a row ("" when it has none)."""
    value = row.get("basis", "")
    return "" if pd.isna(value) else str(value)


def on_basis(
    rd: pd.DataFrame, code: str, year: int, basis: str
) -> tuple[pd.Series | None, pd.Series | None]:
    """``code``'s intensity row of ``year`` on ``basis`` (latest vintage, else first release).

    Returns:
        ``(that row or None, the latest-vintage row of the year or None)``; any basis when
        ``basis`` is "".
    """
    rows = [preferred_series(rd, code, latest_vintage=v) for v in (True, False)]
    rows = [r[r["year"] == year] for r in rows]
    latest = rows[0].iloc[0] if len(rows[0]) else None
    for part in rows:
        same = part[part["basis"] == basis] if basis and "basis" in part else part
        if len(same):
            return same.iloc[0], latest
    return None, latest


def intensity_lines(
    rd: pd.DataFrame, codes: Sequence[str], *, provisional: bool = False
) -> pd.DataFrame:
    """The intensity series of each of ``codes`` (its preferred one), stacked in code order.

    Args:
        rd: ``rd_intensity`` rows.
        codes: Region codes.
        provisional: Continue lines with provisional figures (see :func:`preferred_series`).
    """
    frames = [preferred_series(rd, c, provisional=provisional) for c in codes]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else _with_vintage_columns(rd.iloc[0:0])


def peers(rd: pd.DataFrame, regions: Regions, focus: str) -> pd.DataFrame:
    """Rows of the focus's peers: the same region type, on the same series as the focus."""
    series = preferred_series(rd, focus, SPEND)
    if series.empty:
        series = preferred_series(rd, focus)
    if series.empty:
        return rd.iloc[0:0]
    name = series["series"].iloc[0]
    codes = regions.of_type(regions.types[focus])
    return rd[(rd["series"] == name) & rd["region_code"].isin(codes)].copy()


def rank_in(
    peer_rows: pd.DataFrame, focus: str, year: int, value: str, min_peers: int = 1
) -> tuple[int | None, int]:
    """Rank of the focus among its peers in ``year`` by ``value``, and the number of peers.

    Returns:
        ``(rank or None when the focus has no value or fewer than ``min_peers`` peers have
        one, peers with a value)``.
    """
    part = peer_rows[(peer_rows["year"] == year) & peer_rows[value].notna()]
    if len(part) < min_peers or focus not in set(part["region_code"]):
        return None, len(part)
    ranks = indicators.rank_within(part, value)
    return int(ranks[part["region_code"] == focus].iloc[0]), len(part)
