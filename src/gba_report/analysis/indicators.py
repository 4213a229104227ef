"""Common indicators on numbers and tidy frames: growth rates, shares, ranks, implied growth.

No I/O, no formatting, no language. The one place for each rule:

- :func:`cagr`: compound annual growth rate in percent (NaN when undefined).
- :func:`growth_pct`: change on the previous value in percent.
- :func:`share_pct` / :func:`share_of_total`: a part's share of a total in percent.
- :func:`rank_within`: rank 1 = largest within each group (ties share the best rank).
- :func:`gap_to_target`: ``value - target`` (positive: above the target).
- :func:`years_between`: years (of 365.25 days) between two dates.
- :func:`implied_growth` -> :class:`ImpliedGrowth`: average growth between two cumulative
  figures, and whether it is exact, a lower bound or only an approximation.
- :func:`consecutive_runs` / :func:`segment_ids`: runs of consecutive years, so a chart never
  draws a line across a year without data.
- :func:`weakest_confidence` and :func:`joined_sources`: a figure built from several takes the
  weakest confidence and names every source once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

#: Confidence levels, best first.
CONFIDENCES = ("verified", "secondary", "unverified")


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate, in percent.

    Args:
        first: Value at the start.
        last: Value at the end.
        years: Number of years between them (> 0).

    Returns:
        ``((last / first) ** (1 / years) - 1) * 100``; NaN when undefined (no span, a start
        that is not positive, a negative end or a missing value).
    """
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return math.nan
    if years <= 0 or first <= 0 or last < 0:
        return math.nan
    return ((last / first) ** (1.0 / years) - 1.0) * 100.0


def growth_pct(previous: float, current: float) -> float:
    """Change of ``current`` on ``previous``, in percent (``(current / previous - 1) * 100``).

    Args:
        previous: Earlier value (not zero).
        current: Later value.
    """
    return (current / previous - 1) * 100


def share_pct(part: float, total: float) -> float:
    """Share of ``part`` in ``total``, in percent.

    Args:
        part: The part.
        total: The total (not zero).
    """
    return part / total * 100


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

    Raises:
        ValueError: A group has more than one total row.
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
        A nullable integer Series aligned with ``df`` (missing values get no rank); tied
        values share the best rank.
    """
    return df.groupby(by)[value].rank(method="min", ascending=ascending).astype("Int64")


def gap_to_target(value: float, target: float) -> float:
    """Distance from a target (positive: above the target).

    Args:
        value: Observed value.
        target: Target value (same unit).
    """
    return value - target


def years_between(start: pd.Timestamp | dt.date | str, end: pd.Timestamp | dt.date | str) -> float:
    """Length of the interval from ``start`` to ``end`` in years of 365.25 days.

    A date known only to its month or year is resolved by the caller first (see
    :func:`gba_report.analysis.funding.period_bounds`): this rule only counts days.

    Args:
        start: Earlier date.
        end: Later date.
    """
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25


@dataclass(frozen=True)
class ImpliedGrowth:
    """Average growth between two cumulative figures.

    Attributes:
        start_value: Earlier cumulative amount (a lower bound when the source says "over").
        end_value: Later cumulative amount.
        start_is_lower_bound: The earlier figure is an "over" figure.
        end_is_lower_bound: The later figure is an "over" figure.
        years: Years between the two dates.
        increase: ``end_value - start_value`` between the stated figures.
        annual_rate_pct: Compound average annual growth between the stated figures, in percent.
        annual_increase: ``increase / years``.
    """

    start_value: float
    end_value: float
    start_is_lower_bound: bool
    end_is_lower_bound: bool
    years: float
    increase: float
    annual_rate_pct: float
    annual_increase: float

    @property
    def kind(self) -> str:
        """``exact``, ``lower_bound`` or ``approximation``.

        With exact figures the rate is exact. With a lower bound only at the end it is a lower
        bound. With a lower bound at the start the true start may be far above the stated one,
        so the true rate could be lower or higher: the figure is only an approximation.
        """
        if self.start_is_lower_bound:
            return "approximation"
        return "lower_bound" if self.end_is_lower_bound else "exact"


def implied_growth(
    start_value: float,
    start_date: pd.Timestamp | dt.date,
    end_value: float,
    end_date: pd.Timestamp | dt.date,
    start_is_lower_bound: bool = False,
    end_is_lower_bound: bool = False,
) -> ImpliedGrowth:
    """Compound average annual growth between two cumulative figures.

    Args:
        start_value: Earlier cumulative amount (> 0).
        start_date: Its date.
        end_value: Later cumulative amount (> 0).
        end_date: Its date (after ``start_date``).
        start_is_lower_bound: The source says "over" for the earlier figure.
        end_is_lower_bound: The source says "over" for the later figure.

    Returns:
        An :class:`ImpliedGrowth`.

    Raises:
        ValueError: The values are not positive or the dates are not in order.
    """
    years = years_between(start_date, end_date)
    if start_value <= 0 or end_value <= 0:
        raise ValueError("cumulative amounts must be positive")
    if years <= 0:
        raise ValueError("the end date must come after the start date")
    return ImpliedGrowth(
        start_value=float(start_value),
        end_value=float(end_value),
        start_is_lower_bound=bool(start_is_lower_bound),
        end_is_lower_bound=bool(end_is_lower_bound),
        years=years,
        increase=float(end_value - start_value),
        annual_rate_pct=cagr(float(start_value), float(end_value), years),
        annual_increase=(end_value - start_value) / years,
    )


def consecutive_runs(years: Iterable[int]) -> list[list[int]]:
    """Split years (or editions) into runs of consecutive values.

    Args:
        years: Years, in any order.

    Returns:
        Sorted runs, e.g. ``[2017, 2018, 2020]`` -> ``[[2017, 2018], [2020]]``.
    """
    runs: list[list[int]] = []
    for year in sorted(int(y) for y in years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def segment_ids(years: pd.Series) -> pd.Series:
    """Number of the consecutive run each year belongs to (0, 1, ...), aligned with ``years``.

    A chart draws one line per segment, so a line never bridges a missing year.

    Args:
        years: Distinct years of one series (any order).
    """
    run_of = {year: i for i, run in enumerate(consecutive_runs(years)) for year in run}
    return years.map(lambda y: run_of[int(y)]).astype("int64")


def weakest_confidence(confidences: Iterable[object]) -> str:
    """The weakest of several confidence levels (``verified`` when none is given).

    Args:
        confidences: Levels of :data:`CONFIDENCES` (other values are ignored).
    """
    ranks = [CONFIDENCES.index(str(c)) for c in confidences if str(c) in CONFIDENCES]
    return CONFIDENCES[max(ranks)] if ranks else "verified"


def joined_sources(*source_ids: str) -> str:
    """The sources of a figure built from several, each once, ``;``-joined (as in the data).

    Args:
        *source_ids: ``source_id`` values (each may itself be ``;``-joined).
    """
    parts = [p.strip() for ids in source_ids for p in str(ids).split(";") if p.strip()]
    return ";".join(dict.fromkeys(parts))
