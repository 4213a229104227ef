"""Pure computations behind the ``cross_border_funding`` report.

Dates in ``crossborder_funding`` may be a year, a month or a day; amounts may be lower bounds
("over RMB 460 m"). The functions here keep both facts visible instead of smoothing them away:
a milestone is placed at the middle of its period on a timeline but only counts as "known by"
a date once its whole period has passed, and a growth rate between two lower bounds is an
approximation, not a bound.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

#: Confidence levels dropped when a report is run with ``include_unverified=False``.
UNVERIFIED = ("unverified",)

#: Event types shown as single grants / first payments.
GRANT_TYPES = ("single_grant", "first_batch")


def period_bounds(iso: str, precision: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period a partial date stands for.

    Args:
        iso: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        precision: ``year``, ``month`` or ``day`` (the coarser of precision and string wins).

    Returns:
        ``(start, end)`` dates, e.g. ``("2022-06", "month")`` -> (2022-06-01, 2022-06-30).
    """
    parts = [int(p) for p in str(iso).split("-")]
    year = parts[0]
    if precision == "year" or len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = parts[1]
    if precision == "month" or len(parts) == 2:
        start = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)
    day = dt.date(year, month, parts[2])
    return day, day


def period_mid(iso: str, precision: str) -> dt.date:
    """Middle day of the period a partial date stands for (where a timeline puts it).

    Args:
        iso: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        precision: ``year``, ``month`` or ``day``.
    """
    start, end = period_bounds(iso, precision)
    return start + (end - start) // 2


def with_dates(events: pd.DataFrame) -> pd.DataFrame:
    """Add ``date_start``, ``date_end`` and ``date_mid`` (Timestamps) to milestone rows.

    Args:
        events: ``crossborder_funding``-shaped frame (``date``, ``date_precision``).

    Returns:
        A copy with the three columns added, sorted by ``date_mid`` then ``event_id``.
    """
    pairs = zip(events["date"], events["date_precision"], strict=True)
    bounds = [period_bounds(d, p) for d, p in pairs]
    out = events.assign(
        date_start=pd.to_datetime([b[0] for b in bounds]),
        date_end=pd.to_datetime([b[1] for b in bounds]),
    )
    out = out.assign(date_mid=out["date_start"] + (out["date_end"] - out["date_start"]) / 2)
    return out.sort_values(["date_mid", "event_id"]).reset_index(drop=True)


def known_by(events: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Milestones certainly dated on or before ``as_of``.

    A milestone dated only to a month or year counts once its whole period has passed (a
    "2024" milestone is not shown for ``as_of="2024-06-30"``): the report never shows what
    may lie after its cut-off date.

    Args:
        events: Frame from :func:`with_dates`.
        as_of: ISO date ``YYYY-MM-DD``.
    """
    cutoff = pd.Timestamp(as_of)
    return events.loc[events["date_end"] <= cutoff].reset_index(drop=True)


def drop_unverified(frame: pd.DataFrame, include_unverified: bool) -> pd.DataFrame:
    """Drop rows whose confidence is unverified unless ``include_unverified``.

    Args:
        frame: Any frame with a ``confidence`` column.
        include_unverified: Keep every row when True.
    """
    if include_unverified:
        return frame.reset_index(drop=True)
    return frame.loc[~frame["confidence"].isin(UNVERIFIED)].reset_index(drop=True)


def years_between(start: pd.Timestamp | dt.date, end: pd.Timestamp | dt.date) -> float:
    """Length of the interval in years (365.25 days).

    Args:
        start: Earlier date.
        end: Later date.
    """
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25


@dataclass(frozen=True)
class ImpliedGrowth:
    """Average growth between two cumulative milestones.

    Attributes:
        start_value: Earlier cumulative amount (as stated; a lower bound when the source says
            "over").
        end_value: Later cumulative amount.
        start_is_lower_bound: The earlier figure is an "over" figure.
        end_is_lower_bound: The later figure is an "over" figure.
        years: Years between the two (from the dates as precise as the data gives them).
        increase: ``end_value - start_value`` between the stated figures.
        ratio: ``end_value / start_value``.
        annual_rate_pct: Compound average annual growth between the stated figures, in percent.
        annual_increase: ``increase / years``.
    """

    start_value: float
    end_value: float
    start_is_lower_bound: bool
    end_is_lower_bound: bool
    years: float
    increase: float
    ratio: float
    annual_rate_pct: float
    annual_increase: float

    @property
    def is_bound(self) -> bool:
        """Whether the rate bounds the true rate.

        With exact figures the rate is exact. With a lower bound only at the end it is a lower
        bound. With a lower bound at the start the true start may be far above the stated one,
        so the true rate could be lower or higher: the figure is only an approximation.
        """
        return not self.start_is_lower_bound

    @property
    def kind(self) -> str:
        """``exact``, ``lower_bound`` or ``approximation`` (see :attr:`is_bound`)."""
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
        end_value: Later cumulative amount.
        end_date: Its date (after ``start_date``).
        start_is_lower_bound: The source says "over" for the earlier figure.
        end_is_lower_bound: The source says "over" for the later figure.

    Returns:
        An :class:`ImpliedGrowth`.

    Raises:
        ValueError: When the values are not positive or the dates are not in order.
    """
    years = years_between(start_date, end_date)
    if start_value <= 0 or end_value <= 0:
        raise ValueError("cumulative amounts must be positive")
    if years <= 0:
        raise ValueError("the end date must come after the start date")
    ratio = end_value / start_value
    return ImpliedGrowth(
        start_value=float(start_value),
        end_value=float(end_value),
        start_is_lower_bound=bool(start_is_lower_bound),
        end_is_lower_bound=bool(end_is_lower_bound),
        years=years,
        increase=float(end_value - start_value),
        ratio=ratio,
        annual_rate_pct=(math.pow(ratio, 1 / years) - 1) * 100,
        annual_increase=(end_value - start_value) / years,
    )


def cumulative_milestones(events: pd.DataFrame, currency: str = "RMB") -> pd.DataFrame:
    """Cumulative disbursement milestones in one currency, oldest first.

    Args:
        events: Frame from :func:`with_dates`.
        currency: Currency of the amounts kept.
    """
    rows = events.loc[
        events["is_cumulative"].astype(bool)
        & events["amount"].notna()
        & (events["currency"] == currency)
    ]
    return rows.sort_values("date_mid").reset_index(drop=True)


def growth_between_milestones(milestones: pd.DataFrame) -> ImpliedGrowth | None:
    """Implied growth between the first and last of the cumulative milestones.

    Each milestone is dated at the end of its period (a "June 2022" figure is known by
    30 June 2022), the way the sources report it ("by mid-2022").

    Args:
        milestones: Frame from :func:`cumulative_milestones` (at least two rows needed).

    Returns:
        An :class:`ImpliedGrowth`, or None with fewer than two milestones.
    """
    if len(milestones) < 2:
        return None
    first, last = milestones.iloc[0], milestones.iloc[-1]
    return implied_growth(
        float(first["amount"]),
        first["date_end"],
        float(last["amount"]),
        last["date_end"],
        start_is_lower_bound=bool(first["is_lower_bound"]),
        end_is_lower_bound=bool(last["is_lower_bound"]),
    )


@dataclass(frozen=True)
class Rate:
    """An exchange rate and where it comes from.

    Attributes:
        hkd_per_rmb: HK dollars per renminbi.
        date: Date (or month) the rate refers to.
        base_amount: RMB amount of the sourced pair (None for a published rate).
        quote_amount: HKD amount of the sourced pair.
        source_id: Source id.
        rate_type: ``official`` or ``implied_from_source_pair``.
    """

    hkd_per_rmb: float
    date: str
    base_amount: float | None
    quote_amount: float | None
    source_id: str
    rate_type: str


def rate_from_pair(rmb_amount: float, hkd_amount: float, date: str, source_id: str) -> Rate:
    """The rate implied by one amount reported in both currencies.

    Args:
        rmb_amount: The amount in RMB.
        hkd_amount: The same amount in HKD, as the source gave it.
        date: When the source reported the pair.
        source_id: The source.
    """
    if rmb_amount <= 0 or hkd_amount <= 0:
        raise ValueError("both amounts of a currency pair must be positive")
    return Rate(
        hkd_per_rmb=hkd_amount / rmb_amount,
        date=date,
        base_amount=float(rmb_amount),
        quote_amount=float(hkd_amount),
        source_id=source_id,
        rate_type="implied_from_source_pair",
    )


def choose_rate(rates: pd.DataFrame) -> Rate | None:
    """Pick the RMB->HKD rate to use from an exchange-rate table.

    An official rate beats one implied from a reported pair; among equals the latest wins.

    Args:
        rates: Columns ``date``, ``base_currency``, ``quote_currency``, ``base_amount``,
            ``quote_amount``, ``rate_type``, ``source_id`` (``rate`` optional).

    Returns:
        The chosen :class:`Rate`, or None when the table has no RMB->HKD row.
    """
    rows = rates.loc[(rates["base_currency"] == "RMB") & (rates["quote_currency"] == "HKD")]
    if rows.empty:
        return None
    rows = rows.assign(_official=(rows["rate_type"] == "official").astype(int))
    best = rows.sort_values(["_official", "date"]).iloc[-1]
    base, quote = float(best["base_amount"]), float(best["quote_amount"])
    return Rate(
        hkd_per_rmb=quote / base,
        date=str(best["date"]),
        base_amount=base,
        quote_amount=quote,
        source_id=str(best["source_id"]),
        rate_type=str(best["rate_type"]),
    )


def convert(amount: float, from_currency: str, to_currency: str, rate: Rate | None) -> float:
    """Convert an amount between RMB and HKD with ``rate`` (unchanged when the same currency).

    Args:
        amount: The amount.
        from_currency: ``RMB`` or ``HKD`` (other currencies are returned unchanged).
        to_currency: ``RMB`` or ``HKD``.
        rate: The rate to use (required when the currencies differ).

    Raises:
        ValueError: When a conversion is needed and no rate is given.
    """
    if from_currency == to_currency or from_currency not in ("RMB", "HKD"):
        return float(amount)
    if rate is None:
        raise ValueError(f"no exchange rate to convert {from_currency} to {to_currency}")
    if from_currency == "RMB" and to_currency == "HKD":
        return float(amount) * rate.hkd_per_rmb
    return float(amount) / rate.hkd_per_rmb


def gerd_shares(gerd: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each performing sector's share of Hong Kong's GERD in one year.

    Shares are computed against the published total when there is one, else against the sum
    of the sectors.

    Args:
        gerd: ``hk_gerd_by_sector``-shaped frame.
        year: The year.

    Returns:
        Columns sector, gerd_hkd_million, share_pct, confidence (sectors only, largest first).
    """
    rows = gerd.loc[gerd["year"] == year]
    sectors = rows.loc[(rows["sector"] != "total") & rows["gerd_hkd_million"].notna()].copy()
    total_rows = rows.loc[(rows["sector"] == "total") & rows["gerd_hkd_million"].notna()]
    total = (
        float(total_rows["gerd_hkd_million"].iloc[0])
        if not total_rows.empty
        else float(sectors["gerd_hkd_million"].sum())
    )
    sectors["gerd_hkd_million"] = sectors["gerd_hkd_million"].astype("float64")
    sectors["share_pct"] = sectors["gerd_hkd_million"] / total * 100
    cols = ["sector", "gerd_hkd_million", "share_pct", "confidence"]
    return sectors.sort_values("share_pct", ascending=False)[cols].reset_index(drop=True)


def latest_year_with_sectors(gerd: pd.DataFrame) -> int | None:
    """Latest year in which every performing sector has a value (None when none has)."""
    rows = gerd.loc[(gerd["sector"] != "total") & gerd["gerd_hkd_million"].notna()]
    counts = rows.groupby("year")["sector"].nunique()
    full = counts[counts == counts.max()] if not counts.empty else counts
    return int(full.index.max()) if not full.empty else None


def gerd_wide(gerd: pd.DataFrame) -> pd.DataFrame:
    """Hong Kong GERD as years x sectors (HK$ million; a missing value stays missing).

    Args:
        gerd: ``hk_gerd_by_sector``-shaped frame.
    """
    wide = gerd.pivot(index="year", columns="sector", values="gerd_hkd_million").sort_index()
    return wide.astype("float64")


def break_years(frame: pd.DataFrame) -> list[int]:
    """Years flagged ``is_series_break`` (first year of a new method), sorted.

    Args:
        frame: Frame with ``year`` and ``is_series_break``.
    """
    years = frame.loc[frame["is_series_break"].astype(bool), "year"]
    return sorted({int(y) for y in years})


def cagr_pct(start_value: float, end_value: float, years: float) -> float:
    """Compound annual growth rate in percent.

    Args:
        start_value: Value at the start (> 0).
        end_value: Value at the end.
        years: Years between them (> 0).
    """
    if start_value <= 0 or years <= 0:
        raise ValueError("CAGR needs a positive start value and a positive span")
    return (math.pow(end_value / start_value, 1 / years) - 1) * 100
