"""Pure computations behind the ``cross_border_funding`` report.

Dates in ``crossborder_funding`` may be a year, a month or a day; amounts may be lower bounds
("over RMB 460 m"). The functions here keep both facts visible instead of smoothing them away:
a milestone is placed at the middle of its period on a timeline but only counts as "known by"
a date once its whole period has passed, and a growth rate between two lower bounds is an
approximation, not a bound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from gba_report.analysis import indicators

#: Confidence levels dropped when a report is run with ``include_unverified=False``.
UNVERIFIED = ("unverified",)

#: Event types shown as single grants / first payments.
GRANT_TYPES = ("single_grant", "first_batch")

#: Currencies amounts can be converted between.
CURRENCIES = ("RMB", "HKD")


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


def date_precision(iso: str) -> str:
    """Precision of a partial ISO date (``2025`` -> ``year``, ``2024-10`` -> ``month``)."""
    return {1: "year", 2: "month"}.get(len(str(iso).split("-")), "day")


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


def known_events(events: pd.DataFrame, as_of: str, include_unverified: bool) -> pd.DataFrame:
    """The milestones a report with these parameters shows, in timeline order.

    Args:
        events: ``crossborder_funding`` rows.
        as_of: Cut-off date (see :func:`known_by`).
        include_unverified: Keep figures only the source article gives.

    Returns:
        Rows from :func:`with_dates` known by ``as_of``, ``amount`` as float.
    """
    shown = drop_unverified(known_by(with_dates(events), as_of), include_unverified)
    return shown.assign(amount=shown["amount"].astype("float64"))


def known_facilities(
    facilities: pd.DataFrame, as_of: str, include_unverified: bool
) -> pd.DataFrame:
    """Shared-facility figures whose whole period has passed by ``as_of``.

    Args:
        facilities: ``shared_facilities`` rows (``as_of`` a partial ISO date).
        as_of: Cut-off date.
        include_unverified: Keep figures only the source article gives.
    """
    ends = [period_bounds(a, date_precision(a))[1] for a in facilities["as_of"]]
    cutoff = dt.date.fromisoformat(as_of)
    shown = facilities.loc[[end <= cutoff for end in ends]]
    return drop_unverified(shown, include_unverified)


@dataclass(frozen=True)
class Span:
    """The period a set of milestones covers.

    Attributes:
        first_year: Year the first milestone's period starts.
        last_year: Year the last milestone's period ends.
        latest: The milestone whose period ends last.
        first_cumulative_year: First year with a cumulative figure (None: none).
        axis_first_year: Year of the first milestone's mid-date (a timeline's first year).
        axis_last_year: Year of the last milestone's mid-date.
    """

    first_year: int
    last_year: int
    latest: pd.Series
    first_cumulative_year: int | None
    axis_first_year: int
    axis_last_year: int


def span(events: pd.DataFrame) -> Span:
    """The years the milestones from :func:`with_dates` cover (at least one row)."""
    cum = events.loc[events["is_cumulative"].astype(bool)]
    return Span(
        first_year=int(events["date_start"].dt.year.min()),
        last_year=int(events["date_end"].dt.year.max()),
        latest=events.sort_values("date_end").iloc[-1],
        first_cumulative_year=None if cum.empty else int(cum["date_start"].dt.year.min()),
        axis_first_year=int(events["date_mid"].dt.year.min()),
        axis_last_year=int(events["date_mid"].dt.year.max()),
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


def comparable_cumulative(events: pd.DataFrame) -> pd.DataFrame:
    """The main comparable cumulative series: RMB milestones of one scope and recipient.

    A series is built per ``scope`` (whose money: all-Mainland, Guangdong, ...) and recipient;
    figures of different scopes are never joined or compared (see :func:`scope_series`). The
    series with the most figures is the main one; among equals, the one with the latest figure.

    Args:
        events: Frame from :func:`with_dates`.
    """
    series = scope_series(events)
    if not series:
        return cumulative_milestones(events, "RMB")
    return max(series, key=lambda f: (len(f), f["date_end"].max()))


def scope_series(events: pd.DataFrame) -> list[pd.DataFrame]:
    """The cumulative RMB series, one per scope and recipient, oldest first within each."""
    cum = cumulative_milestones(events, "RMB")
    if cum.empty:
        return []
    return [
        part.sort_values("date_mid").reset_index(drop=True)
        for _, part in cum.groupby(["scope", "recipient"], sort=True)
    ]


def other_scopes(events: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Cumulative figures with an amount that are not part of ``series`` (another scope)."""
    return events.loc[
        events["is_cumulative"].astype(bool)
        & events["amount"].notna()
        & ~events["event_id"].isin(series["event_id"])
    ]


def growth_between_milestones(milestones: pd.DataFrame) -> indicators.ImpliedGrowth | None:
    """Implied growth between the first and last of the cumulative milestones.

    Each milestone is dated at the middle of its period (a "June 2022" figure at mid-June),
    the one rule of the timeline too, so the duration printed and the rate agree.

    Args:
        milestones: Frame from :func:`cumulative_milestones` (at least two rows needed).

    Returns:
        An :class:`~gba_report.analysis.indicators.ImpliedGrowth`, or None with fewer than
        two milestones.
    """
    if len(milestones) < 2:
        return None
    first, last = milestones.iloc[0], milestones.iloc[-1]
    return indicators.implied_growth(
        float(first["amount"]),
        first["date_mid"],
        float(last["amount"]),
        last["date_mid"],
        start_is_lower_bound=bool(first["is_lower_bound"]),
        end_is_lower_bound=bool(last["is_lower_bound"]),
    )


def growth_if_later(milestones: pd.DataFrame, years: int = 1) -> indicators.ImpliedGrowth:
    """The implied growth if the last milestone were ``years`` later (for an inferred year).

    Args:
        milestones: Frame from :func:`cumulative_milestones` (at least two rows).
        years: Years added to the last milestone's date.
    """
    first, last = milestones.iloc[0], milestones.iloc[-1]
    return indicators.implied_growth(
        float(first["amount"]),
        first["date_mid"],
        float(last["amount"]),
        last["date_mid"] + pd.DateOffset(years=years),
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
        rate_type: ``official``, ``implied_from_source_pair`` (``exchange_rates``), or the
            official year-end rate's kind (``hkma_closing``, ``pboc_central_parity``).
        year: The year the rate stands for (year-end rates); None for a dated pair.
        base_currency: Currency of ``base_amount`` as published (``RMB`` or ``HKD``).
        confidence: Confidence of the rate's row.
    """

    hkd_per_rmb: float
    date: str
    base_amount: float | None
    quote_amount: float | None
    source_id: str
    rate_type: str
    year: int | None = None
    base_currency: str = "RMB"
    confidence: str = "verified"


#: Confidence levels in order of preference when a year has two official rates.
_CONFIDENCE_ORDER = {"verified": 0, "secondary": 1, "unverified": 2}


def year_end_rates(fx: pd.DataFrame) -> dict[int, Rate]:
    """One official year-end RMB-HKD rate per year from ``fx_year_end``.

    Where a year has two (2020: HKMA closing rate and PBoC central parity), the better-sourced
    one is used (verified before secondary); the rate is quoted as published (HK$ per RMB 1, or
    RMB per HK$100) and turned into HK$ per RMB without rounding.

    Args:
        fx: ``fx_year_end`` rows (``year``, ``date``, ``rate_type``, ``base_currency``,
            ``base_amount``, ``quote_currency``, ``quote_amount``, ``source_id``,
            ``confidence``).
    """
    pairs = fx[fx["base_currency"].isin(CURRENCIES) & fx["quote_currency"].isin(CURRENCIES)]
    order = pairs["confidence"].map(_CONFIDENCE_ORDER).fillna(9)
    best = pairs.assign(_order=order).sort_values(["year", "_order"]).drop_duplicates("year")
    out = {}
    for r in best.itertuples():
        base, quote = float(r.base_amount), float(r.quote_amount)
        per_rmb = quote / base if r.base_currency == "RMB" else base / quote
        out[int(r.year)] = Rate(
            hkd_per_rmb=per_rmb,
            date=str(r.date),
            base_amount=base,
            quote_amount=quote,
            source_id=str(r.source_id),
            rate_type=str(r.rate_type),
            year=int(r.year),
            base_currency=str(r.base_currency),
            confidence=str(r.confidence),
        )
    return out


def year_of(iso: str) -> int:
    """The year of a partial ISO date (``2024-11-06`` -> 2024)."""
    return int(str(iso)[:4])


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


def in_currency(amount: float, currency: str, target: str, rate: Rate | None) -> float | None:
    """``amount`` in ``target`` currency (None when missing or no rate allows the conversion).

    Amounts in a currency other than RMB and HKD are returned unchanged.

    Args:
        amount: The amount (may be missing).
        currency: Its currency.
        target: ``RMB`` or ``HKD``.
        rate: The rate to use.
    """
    if pd.isna(amount):
        return None
    if currency == target or currency not in CURRENCIES:
        return float(amount)
    if rate is None:
        return None
    return convert(float(amount), currency, target, rate)


def needs_conversion(frame: pd.DataFrame, target: str) -> bool:
    """Whether any amount of ``frame`` is in RMB or HKD but not in ``target``."""
    cur = frame.loc[frame["amount"].notna(), "currency"]
    return bool(((cur != target) & cur.isin(CURRENCIES)).any())


def grants(events: pd.DataFrame, rates: dict[int, Rate]) -> pd.DataFrame:
    """Single grants and first payments, with their amount in RMB where it can be known.

    Args:
        events: Frame from :func:`with_dates`.
        rates: Year-end rates by year (:func:`year_end_rates`): an HKD amount is converted at
            the rate of its own year.

    Returns:
        The rows of :data:`GRANT_TYPES` plus ``amount_rmb_million`` (NaN without an amount,
        or for an HKD amount without a rate for its year).
    """
    rows = events.loc[events["event_type"].isin(GRANT_TYPES)]
    rmb = [
        v if (v := in_currency(a, c, "RMB", rates.get(year_of(d)))) is not None else float("nan")
        for a, c, d in zip(rows["amount"], rows["currency"], rows["date"], strict=True)
    ]
    return rows.assign(amount_rmb_million=rmb)


class FundingAnalysis:
    """The analysis behind one ``cross_border_funding`` report (frames in, nothing loaded).

    Args:
        milestones: ``crossborder_funding`` rows.
        rates: ``fx_year_end`` rows (official year-end rates): every amount is converted at
            the rate of its own year, never one rate for all dates.
        as_of: Cut-off date (ISO ``YYYY-MM-DD``).
        currency: Display currency (``RMB`` or ``HKD``).
        include_unverified: Keep figures only the source article gives.
    """

    def __init__(
        self,
        milestones: pd.DataFrame,
        rates: pd.DataFrame,
        *,
        as_of: str,
        currency: str,
        include_unverified: bool,
    ) -> None:
        self.milestones = milestones
        self.rates = year_end_rates(rates)
        self.as_of = as_of
        self.currency = currency
        self.include_unverified = include_unverified

    @cached_property
    def all_dated(self) -> pd.DataFrame:
        """Every milestone with its period (whatever ``as_of`` and confidence)."""
        return with_dates(self.milestones)

    @cached_property
    def events(self) -> pd.DataFrame:
        """The milestones shown (see :func:`known_events`)."""
        return known_events(self.milestones, self.as_of, self.include_unverified)

    @cached_property
    def series(self) -> pd.DataFrame:
        """The comparable cumulative series (see :func:`comparable_cumulative`)."""
        return comparable_cumulative(self.events)

    @cached_property
    def growth(self) -> indicators.ImpliedGrowth | None:
        """Implied growth over the cumulative series (None with fewer than two figures)."""
        return growth_between_milestones(self.series)

    @cached_property
    def grants(self) -> pd.DataFrame:
        """Single grants and first payments shown, with RMB amounts (see :func:`grants`)."""
        return grants(self.events, self.rates)

    def rate_for(self, iso: str) -> Rate | None:
        """The official year-end rate of the year of date ``iso`` (None when not in the data)."""
        return self.rates.get(year_of(iso))

    def in_display(self, amount: float, currency: str, iso: str) -> float | None:
        """``amount`` dated ``iso`` in the display currency, at its own year's rate.

        None when it cannot be converted (no rate for that year).
        """
        return in_currency(amount, currency, self.currency, self.rate_for(iso))

    def display_amounts(self, frame: pd.DataFrame) -> list[float]:
        """Each row's amount in the display currency (NaN when unknown)."""
        rows = zip(frame["amount"], frame["currency"], frame["date"], strict=True)
        values = [self.in_display(a, c, d) for a, c, d in rows]
        return [float("nan") if v is None else v for v in values]

    def rates_used(self, frame: pd.DataFrame) -> list[Rate]:
        """The year-end rates the conversions of ``frame`` use (one per year), oldest first."""
        cur = frame.loc[frame["amount"].notna()]
        converted = cur[(cur["currency"] != self.currency) & cur["currency"].isin(CURRENCIES)]
        years = sorted({year_of(d) for d in converted["date"]})
        return [self.rates[y] for y in years if y in self.rates]

    def years_without_rate(self, frame: pd.DataFrame) -> list[int]:
        """Years of amounts that need a conversion but have no year-end rate in the data."""
        cur = frame.loc[frame["amount"].notna()]
        converted = cur[(cur["currency"] != self.currency) & cur["currency"].isin(CURRENCIES)]
        return sorted({year_of(d) for d in converted["date"]} - set(self.rates))
