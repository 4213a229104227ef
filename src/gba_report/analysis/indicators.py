"""Pure computations on tidy frames: growth rates, shares, ranks, gaps, implied growth.

No I/O, no formatting. API:

- ``cagr(first, last, years)``: compound annual growth rate in percent.
- ``cagr_between(df, value, start, end, x="year")``: CAGR of ``value`` from x=start to x=end.
- ``share_of_total(df, value, total_code, by="year", code="region_code")``: each row's share
  (percent) of the total row (``total_code``, e.g. ``CN``) of the same ``by`` group.
- ``rank_within(df, value, by="year", ascending=False)``: rank 1 = largest within each group
  (ties share the best rank: "min" method).
- ``pp_change(df, value, start, end, x="year")``: change in percentage points.
- ``gap_to_target(value, target)``: ``value - target`` (positive: above target).
- ``years_between(date0, date1)``: years between two ISO dates (``YYYY``, ``YYYY-MM``,
  ``YYYY-MM-DD``; missing parts taken as mid-period).
- ``implied_annual_growth(v0, date0, v1, date1, v0_lower_bound, v1_lower_bound)`` ->
  :class:`GrowthEstimate` (rate in percent, and whether it is a lower bound or only
  approximate because both ends are lower bounds).
- ``latest_value(df, value, x="year")``: the row with the latest non-missing ``value``.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

import pandas as pd


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate, in percent.

    Args:
        first: Value at the start.
        last: Value at the end.
        years: Number of years between them (> 0).

    Returns:
        ``((last / first) ** (1 / years) - 1) * 100``; NaN when undefined.
    """
    if years <= 0 or first is None or last is None or first <= 0 or last < 0:
        return math.nan
    if pd.isna(first) or pd.isna(last):
        return math.nan
    return ((last / first) ** (1.0 / years) - 1.0) * 100.0


def _value_at(df: pd.DataFrame, value: str, at: int | float, x: str) -> float:
    rows = df.loc[df[x] == at, value].dropna()
    if rows.empty:
        return math.nan
    if len(rows) > 1:
        raise ValueError(f"More than one {value} for {x}={at}; filter the frame first")
    return float(rows.iloc[0])


def cagr_between(
    df: pd.DataFrame, value: str, start: int | float, end: int | float, x: str = "year"
) -> float:
    """CAGR (percent) of ``value`` between ``x == start`` and ``x == end`` in a one-series frame.

    Args:
        df: One series (a single region and series), tidy.
        value: Value column.
        start: First x (year).
        end: Last x (year).
        x: Time column.
    """
    return cagr(_value_at(df, value, start, x), _value_at(df, value, end, x), end - start)


def share_of_total(
    df: pd.DataFrame,
    value: str,
    total_code: str,
    by: str = "year",
    code: str = "region_code",
) -> pd.Series:
    """Each row's share (percent) of the total row of its group.

    Args:
        df: Tidy frame holding the parts and the total rows.
        value: Value column.
        total_code: Code of the total row (e.g. ``CN``).
        by: Group column (year).
        code: Code column.

    Returns:
        A Series aligned with ``df`` (the total rows get 100).
    """
    totals = df.loc[df[code] == total_code].set_index(by)[value]
    if totals.index.duplicated().any():
        raise ValueError(f"More than one total row per {by}; filter the frame first")
    return df[value] / df[by].map(totals) * 100.0


def rank_within(
    df: pd.DataFrame, value: str, by: str = "year", ascending: bool = False
) -> pd.Series:
    """Rank of each row's ``value`` within its ``by`` group (1 = largest by default).

    Args:
        df: Tidy frame.
        value: Value column.
        by: Group column.
        ascending: Rank 1 = smallest when True.

    Returns:
        A nullable integer Series aligned with ``df`` (missing values get no rank).
    """
    return df.groupby(by)[value].rank(method="min", ascending=ascending).astype("Int64")


def pp_change(
    df: pd.DataFrame, value: str, start: int | float, end: int | float, x: str = "year"
) -> float:
    """Change in percentage points of a percent ``value`` from ``start`` to ``end``.

    Args:
        df: One series, tidy.
        value: Percent column.
        start: First x.
        end: Last x.
        x: Time column.
    """
    return _value_at(df, value, end, x) - _value_at(df, value, start, x)


def gap_to_target(value: float, target: float) -> float:
    """Distance from a target (positive: above target).

    Args:
        value: Observed value.
        target: Target value (same unit).
    """
    return value - target


def _to_date(iso: str) -> _dt.date:
    parts = str(iso).strip().split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return _dt.date(year, 7, 1)  # year only: mid-year
    month = int(parts[1])
    if len(parts) == 2:
        return _dt.date(year, month, 15)  # month only: mid-month
    return _dt.date(year, month, int(parts[2]))


def years_between(date0: str, date1: str) -> float:
    """Years between two ISO dates of any precision (missing parts taken as mid-period).

    Args:
        date0: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        date1: Same formats.
    """
    return (_to_date(date1) - _to_date(date0)).days / 365.25


@dataclass(frozen=True)
class GrowthEstimate:
    """Implied average annual growth between two cumulative milestones.

    Attributes:
        rate_pct: Average annual growth in percent, from the stated figures.
        years: Years between the milestones.
        is_lower_bound: True when the later figure is a lower bound ("over X") and the earlier
            one exact: the true growth is at least ``rate_pct``.
        is_approximate: True when the earlier figure is a lower bound too: the true growth may
            be higher or lower, so ``rate_pct`` is only indicative.
    """

    rate_pct: float
    years: float
    is_lower_bound: bool
    is_approximate: bool


def implied_annual_growth(
    v0: float,
    date0: str,
    v1: float,
    date1: str,
    v0_lower_bound: bool = False,
    v1_lower_bound: bool = False,
) -> GrowthEstimate:
    """Average annual growth implied by two cumulative milestones.

    Args:
        v0: Earlier cumulative amount.
        date0: Its date (ISO, any precision).
        v1: Later cumulative amount.
        date1: Its date.
        v0_lower_bound: The source says "over ``v0``".
        v1_lower_bound: The source says "over ``v1``".

    Returns:
        A :class:`GrowthEstimate`.
    """
    years = years_between(date0, date1)
    return GrowthEstimate(
        rate_pct=cagr(v0, v1, years),
        years=years,
        is_lower_bound=bool(v1_lower_bound and not v0_lower_bound),
        is_approximate=bool(v0_lower_bound),
    )


def latest_value(df: pd.DataFrame, value: str, x: str = "year") -> pd.Series:
    """Return the row with the latest non-missing ``value``.

    Args:
        df: One series, tidy.
        value: Value column.
        x: Time column.

    Raises:
        ValueError: No row has a value.
    """
    rows = df.dropna(subset=[value])
    if rows.empty:
        raise ValueError(f"No value in column {value!r}")
    return rows.sort_values(x).iloc[-1]
