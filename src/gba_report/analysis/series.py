"""Which series represents a region, and its peers: the like-for-like rules of the R&D figures.

One series per region and chart, the first available in :data:`SERIES_PREFERENCE` (NBS first
releases for China and provinces, C&SD for Hong Kong, the World Bank for other economies), so a
line never mixes two statistical sources. Peers are the regions of the focus's type on the
focus's own series, so ranks compare like with like.
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


def preferred_series(rd: pd.DataFrame, code: str, value: str = INTENSITY) -> pd.DataFrame:
    """Rows of the preferred series of ``code`` that have ``value``, sorted by year.

    Args:
        rd: ``rd_intensity`` rows.
        code: Region code.
        value: The value column that must be present.
    """
    rows = rd[(rd["region_code"] == code) & rd[value].notna()]
    for series in SERIES_PREFERENCE:
        part = rows[rows["series"] == series]
        if len(part):
            return part.sort_values("year")
    return rows.iloc[0:0]


def intensity_lines(rd: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The intensity series of each of ``codes`` (its preferred one), stacked in code order."""
    frames = [preferred_series(rd, c) for c in codes]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames) if frames else rd.iloc[0:0]


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


def rank_in(peer_rows: pd.DataFrame, focus: str, year: int, value: str) -> tuple[int | None, int]:
    """Rank of the focus among its peers in ``year`` by ``value``, and the number of peers.

    Returns:
        ``(rank or None when the focus has no value, peers with a value)``.
    """
    part = peer_rows[(peer_rows["year"] == year) & peer_rows[value].notna()]
    if part.empty or focus not in set(part["region_code"]):
        return None, len(part)
    ranks = indicators.rank_within(part, value)
    return int(ranks[part["region_code"] == focus].iloc[0]), len(part)
