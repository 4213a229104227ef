"""Hong Kong's gross domestic expenditure on R&D (GERD) by performing sector.

Shared by the ``rd_intensity`` report (the sector chart) and the ``cross_border_funding``
report (Hong Kong's own R&D structure). One rule for each thing: the latest year with a full
sector split, each sector's share of the published total (the sum of the sectors only when no
total is published), series breaks as flagged by the data, growth only within one basis.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gba_report.analysis import indicators

#: Performing sectors, bottom to top of the stacked bars.
SECTORS = ("business", "higher_education", "government")


def latest_year_with_sectors(gerd: pd.DataFrame) -> int | None:
    """Latest year in which every performing sector has a value (None when none has)."""
    rows = gerd.loc[(gerd["sector"] != "total") & gerd["gerd_hkd_million"].notna()]
    counts = rows.groupby("year")["sector"].nunique()
    full = counts[counts == counts.max()] if not counts.empty else counts
    return int(full.index.max()) if not full.empty else None


def gerd_total(gerd: pd.DataFrame, year: int) -> float:
    """GERD in ``year``: the published total, else the sum of the sectors (HK$ million)."""
    rows = gerd.loc[gerd["year"] == year]
    total = rows.loc[(rows["sector"] == "total") & rows["gerd_hkd_million"].notna()]
    if not total.empty:
        return float(total["gerd_hkd_million"].iloc[0])
    parts = rows.loc[(rows["sector"] != "total") & rows["gerd_hkd_million"].notna()]
    return float(parts["gerd_hkd_million"].sum())


def gerd_shares(gerd: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each performing sector's share of Hong Kong's GERD in one year (of :func:`gerd_total`).

    Args:
        gerd: ``hk_gerd_by_sector``-shaped frame.
        year: The year.

    Returns:
        Columns sector, gerd_hkd_million, share_pct, confidence (sectors only, largest first).
    """
    rows = gerd.loc[gerd["year"] == year]
    sectors = rows.loc[(rows["sector"] != "total") & rows["gerd_hkd_million"].notna()].copy()
    sectors["gerd_hkd_million"] = sectors["gerd_hkd_million"].astype("float64")
    sectors["share_pct"] = indicators.share_pct(sectors["gerd_hkd_million"], gerd_total(gerd, year))
    cols = ["sector", "gerd_hkd_million", "share_pct", "confidence"]
    return sectors.sort_values("share_pct", ascending=False)[cols].reset_index(drop=True)


def break_years(frame: pd.DataFrame) -> list[int]:
    """Years flagged ``is_series_break`` (first year of a new method), sorted.

    Args:
        frame: Frame with ``year`` and ``is_series_break``.
    """
    years = frame.loc[frame["is_series_break"].astype(bool), "year"]
    return sorted({int(y) for y in years})


def gerd_by_year(gerd: pd.DataFrame) -> pd.DataFrame:
    """GERD as every year from the first to the last x sectors (+ ``total``), HK$ million.

    A year without any figure stays in the table with missing values, so a chart shows the
    gap instead of closing it.
    """
    wide = gerd.pivot(index="year", columns="sector", values="gerd_hkd_million").sort_index()
    wide = wide.astype("float64")
    return wide.reindex(range(int(wide.index.min()), int(wide.index.max()) + 1))


@dataclass(frozen=True)
class SectorSplit:
    """GERD by performing sector within a window of years.

    Attributes:
        parts: Sector rows with a value.
        totals: Total rows with a value.
        year: Latest year with a full sector split.
        total: GERD that year (:func:`gerd_total`).
        shares: That year's sector shares (:func:`gerd_shares`, largest first).
        breaks: Years flagged as series breaks.
        total_only_years: Years with a total but no split.
    """

    parts: pd.DataFrame
    totals: pd.DataFrame
    year: int
    total: float
    shares: pd.DataFrame
    breaks: list[int]
    total_only_years: list[int]


def sector_split(gerd: pd.DataFrame, start_year: int, end_year: int) -> SectorSplit | None:
    """GERD by sector in ``start_year..end_year`` (None without sector or total figures)."""
    window = gerd[gerd["year"].between(start_year, end_year)]
    parts = window[window["sector"].isin(SECTORS) & window["gerd_hkd_million"].notna()]
    totals = window[(window["sector"] == "total") & window["gerd_hkd_million"].notna()]
    year = latest_year_with_sectors(parts)
    if year is None or totals.empty:
        return None
    return SectorSplit(
        parts=parts,
        totals=totals,
        year=year,
        total=gerd_total(window, year),
        shares=gerd_shares(window, year),
        breaks=break_years(window),
        total_only_years=sorted(set(totals["year"]) - set(parts["year"])),
    )


@dataclass(frozen=True)
class GerdStructure:
    """GERD by performing sector in the latest year with a full split, and growth since a break.

    Attributes:
        year: That year.
        total: GERD that year (HK$ million).
        shares: From :func:`gerd_shares` (largest first).
        breaks: Years flagged as series breaks (see :func:`break_years`).
        break_year: The last break before ``year`` with a total (None: none).
        break_total: GERD in ``break_year``.
        cagr_since_break_pct: Compound annual growth of GERD from ``break_year`` to ``year``.
    """

    year: int
    total: float
    shares: pd.DataFrame
    breaks: list[int]
    break_year: int | None
    break_total: float | None
    cagr_since_break_pct: float | None


def gerd_structure(gerd: pd.DataFrame) -> GerdStructure | None:
    """The latest sector split of GERD and its growth on the post-break basis.

    Growth is computed only within one basis: from the last series break (the first year of
    the new method) to the latest year.

    Args:
        gerd: ``hk_gerd_by_sector`` rows.

    Returns:
        A :class:`GerdStructure`, or None when no year has a sector split.
    """
    year = latest_year_with_sectors(gerd)
    if year is None:
        return None
    total = gerd_total(gerd, year)
    breaks = break_years(gerd)
    totals = gerd.loc[gerd["sector"] == "total"].set_index("year")["gerd_hkd_million"]
    base = breaks[-1] if breaks and breaks[-1] in totals.index and year > breaks[-1] else None
    start = None if base is None else float(totals[base])
    return GerdStructure(
        year=year,
        total=total,
        shares=gerd_shares(gerd, year),
        breaks=breaks,
        break_year=base,
        break_total=start,
        cagr_since_break_pct=None if base is None else indicators.cagr(start, total, year - base),
    )
