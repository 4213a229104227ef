"""The ``cross_border_funding`` report: mainland research money for Hong Kong and Macao.

Notebook usage (one call per cell)::

    report = CrossBorderFundingReport(lang=lang, as_of=as_of, currency=currency,
                                      include_unverified=include_unverified)
    report.intro()
    report.timeline()
    report.cumulative()
    report.single_grants()
    report.shared_facilities()
    report.hk_rd_structure()
    report.sources()
    keyfigures.record("cross_border_funding", lang, report.key_figures())

Milestones dated after ``as_of`` are hidden; amounts are shown in ``currency`` with the rate
used stated (taken from ``data/exchange_rates.csv``; the only pair there is a newspaper's own
conversion, and the report says so).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from gba_report import data
from gba_report.analysis import funding as fi
from gba_report.present import i18n, plots, plots_b
from gba_report.reports.base import BaseReport

#: Currencies the report can be shown in.
CURRENCIES = ("RMB", "HKD")

#: Order of event types in the timeline legend.
EVENT_TYPES = ("policy", "first_batch", "single_grant", "cumulative", "facility_opening")

#: Hong Kong GERD sectors, bottom to top of the stacked bars.
SECTORS = ("business", "higher_education", "government")


def _precision(iso: str) -> str:
    """Precision of a partial ISO date (``2025`` -> year, ``2024-10`` -> month)."""
    return {1: "year", 2: "month"}.get(len(str(iso).split("-")), "day")


class CrossBorderFundingReport(BaseReport):
    """Cross-border research funding milestones, shared facilities and Hong Kong's R&D.

    Args:
        lang: ``en`` or ``zh-Hant``.
        as_of: ISO date; milestones and facility figures that may lie after it are hidden.
        currency: ``RMB`` or ``HKD`` (display currency of funding amounts).
        include_unverified: Show figures that only the source article gives (flagged ‡).
        show: Display outputs (False in tests).
    """

    name = "cross_border_funding"
    datasets = (
        "crossborder_funding",
        "shared_facilities",
        "hk_gerd_by_sector",
        "exchange_rates",
    )

    def __init__(
        self,
        lang: str = "en",
        as_of: str = "2025-12-31",
        currency: str = "RMB",
        include_unverified: bool = True,
        show: bool = True,
    ) -> None:
        super().__init__(lang=lang, show=show)
        if currency not in CURRENCIES:
            raise ValueError(f"currency must be one of {', '.join(CURRENCIES)}, got {currency!r}")
        try:
            dt.date.fromisoformat(str(as_of))
        except ValueError:
            raise ValueError(f"as_of must be an ISO date YYYY-MM-DD, got {as_of!r}") from None
        self.as_of = str(as_of)
        self.currency = currency
        self.include_unverified = bool(include_unverified)
        self._facts: dict[str, dict[str, Any]] = {}
        self._rate_noted = False

    # ------------------------------------------------------------------ data
    @cached_property
    def events(self) -> pd.DataFrame:
        """Milestones known by ``as_of`` (unverified ones dropped unless included)."""
        ev = fi.known_by(fi.with_dates(data.load_crossborder_funding()), self.as_of)
        ev = fi.drop_unverified(ev, self.include_unverified)
        return ev.assign(amount=ev["amount"].astype("float64"))

    @cached_property
    def facilities(self) -> pd.DataFrame:
        """Shared-facility figures (unverified ones dropped unless included)."""
        fac = data.load_shared_facilities()
        ends = [fi.period_bounds(a, _precision(a))[1] for a in fac["as_of"]]
        fac = fac.loc[[e <= dt.date.fromisoformat(self.as_of) for e in ends]]
        return fi.drop_unverified(fac, self.include_unverified)

    @cached_property
    def gerd(self) -> pd.DataFrame:
        """Hong Kong GERD by performing sector."""
        return data.load_hk_gerd_by_sector()

    @cached_property
    def rate(self) -> fi.Rate | None:
        """The RMB->HKD rate used for conversions (None when the data has none)."""
        # exchange_rates is a validated dataset like the others: a broken table is an error the
        # reader must not mistake for "no rate available"
        return fi.choose_rate(data.load_exchange_rates())

    # ------------------------------------------------------------------ helpers
    def _fact(self, key: str, value: Any, unit: str) -> None:
        self._facts[key] = {"value": value, "unit": unit, "label": self.t(f"key.{key}")}

    def title_of(self, row: pd.Series) -> str:
        """Milestone title in the report language."""
        return str(row["title_en"] if self.lang == "en" else row["title_zh_hant"])

    def date_of(self, row: pd.Series) -> str:
        """Milestone date formatted with its precision, flagged when its year is inferred."""
        text = i18n.fmt_date(str(row["date"]), str(row["date_precision"]), self.lang)
        if bool(row.get("is_date_inferred", False)):
            text = self.t("date_year_inferred", date=text)
        return text

    def mark(self, conf: str) -> str:
        """The confidence mark (†, ‡ or nothing)."""
        return i18n.confidence_mark(conf)

    def in_display(self, amount: float, currency: str) -> float | None:
        """Amount converted to the display currency (None when no rate allows it)."""
        if pd.isna(amount):
            return None
        if currency == self.currency or currency not in CURRENCIES:
            return float(amount)
        if self.rate is None:
            return None
        return fi.convert(float(amount), currency, self.currency, self.rate)

    def money_display(self, amount: float, currency: str, lower_bound: bool = False) -> str:
        """Format an amount in the display currency (its own currency if it can't convert)."""
        value = self.in_display(amount, currency)
        if value is None:
            return self.money(amount, currency, "million", lower_bound)
        if currency != self.currency:
            # a converted amount is approximate: four significant figures
            value = float(f"{value:.4g}")
        return self.money(value, self.currency, "million", lower_bound)

    def uses_conversion(self, frame: pd.DataFrame) -> bool:
        """Whether any shown amount is in a currency other than the display currency."""
        cur = frame.loc[frame["amount"].notna(), "currency"]
        return bool(((cur != self.currency) & cur.isin(CURRENCIES)).any())

    def rate_note(self) -> None:
        """State the exchange rate used (or that there is none), once per report."""
        if self._rate_noted:
            return
        self._rate_noted = True
        if self.rate is None:
            self.note(self.t("rate_missing"))
            return
        key = f"{self.name}.source_names.{self.rate.source_id}"
        source = (
            i18n.tr(self.lang, key)
            if i18n.has(self.lang, key)
            else self.source_text(self.rate.source_id)
        )
        rate = i18n.fmt_number(round(self.rate.hkd_per_rmb, 4), self.lang)
        date = i18n.fmt_date(
            self.rate.date, "month" if len(self.rate.date) == 7 else "day", self.lang
        )
        key = "rate_used" if self.currency == "HKD" else "rate_used_to_rmb"
        if self.rate.rate_type == "official":
            self.note(self.t("rate_used_official", rate=rate, date=date, source=source))
            return
        self.note(
            self.t(
                key,
                currency=self.t(f"currency_name.{self.currency}"),
                rate=rate,
                source=source,
                base=self.money(self.rate.base_amount, "RMB", "million"),
                quote=self.money(self.rate.quote_amount, "HKD", "million"),
                date=date,
            )
        )

    # ------------------------------------------------------------------ sections
    def intro(self) -> None:
        """Title and lede."""
        all_events = fi.with_dates(data.load_crossborder_funding())
        first = int(all_events["date_start"].dt.year.min())
        self.para(self.t("intro", first=first, as_of=i18n.fmt_date(self.as_of, "day", self.lang)))

    def timeline_figure(self) -> Figure:
        """Timeline of the milestones (labels alternate above/below, never overlapping)."""
        ev = self.events
        frame = ev.assign(
            label=[
                self.title_of(r)
                + (self.mark(r["confidence"]) if r["confidence"] == "unverified" else "")
                for _, r in ev.iterrows()
            ],
            flag=ev["confidence"] == "unverified",
        )
        return plots_b.timeline(
            frame,
            "label",
            flag_col="flag",
            type_col="event_type",
            type_labels={t: self.t(f"type.{t}") for t in EVENT_TYPES},
            xlabel=self.t("timeline_axis"),
            flag_label=self.t("unverified_legend"),
            start_year=int(ev["date_mid"].dt.year.min()),
            end_year=int(ev["date_mid"].dt.year.max()),
        )

    def timeline(self) -> None:
        """Heading (first year, number of milestones), timeline chart and milestone table."""
        ev = self.events
        if ev.empty:
            return None
        first = int(ev["date_start"].dt.year.min())
        last_row = ev.sort_values("date_end").iloc[-1]
        self._fact("milestones_shown", len(ev), "milestones")
        self.heading(
            self.t("timeline_heading", first=first, n=len(ev), last=self.date_of(last_row))
        )
        cum = ev.loc[ev["is_cumulative"].astype(bool)]
        if not cum.empty:
            self.para(
                self.t("timeline_text", first=first, cum_first=int(cum["date_start"].dt.year.min()))
            )
        fig = self.timeline_figure()
        self.figure(
            fig,
            self.t(
                "timeline_caption",
                first=first,
                last=int(ev["date_end"].dt.year.max()),
            ),
            sorted({s for ids in ev["source_id"] for s in str(ids).split(";")}),
            ev["confidence"].tolist(),
        )
        table = pd.DataFrame(
            {
                "date": [self.date_of(r) for _, r in ev.iterrows()],
                "milestone": [self.title_of(r) for _, r in ev.iterrows()],
                "reported": [
                    ""
                    if pd.isna(r["amount"])
                    else self.money(
                        r["amount"], r["currency"], "million", bool(r["is_lower_bound"])
                    )
                    for _, r in ev.iterrows()
                ],
                "confidence": ev["confidence"],
            }
        )
        self.table(
            table,
            {
                "milestone": self.t("col_milestone"),
                "date": self.t("col_date"),
                "reported": self.t("col_amount_reported"),
            },
            sources=sorted({s for ids in ev["source_id"] for s in str(ids).split(";")}),
            caption=self.t("milestones_caption"),
            css_class="gba-compact",
        )
        return None

    @cached_property
    def cumulative_series(self) -> pd.DataFrame:
        """The comparable cumulative series: RMB milestones for the most-reported recipient."""
        cum = fi.cumulative_milestones(self.events, "RMB")
        if cum.empty:
            return cum
        counts = cum.groupby("recipient")["event_id"].count()
        best = counts[counts == counts.max()].index
        latest = cum.loc[cum["recipient"].isin(best)].sort_values("date_end")["recipient"].iloc[-1]
        return cum.loc[cum["recipient"] == latest].reset_index(drop=True)

    def cumulative_figure(self) -> Figure | None:
        """Cumulative milestones in the display currency (arrows mark "over" figures)."""
        series = self.cumulative_series
        if series.empty:
            return None
        frame = series.assign(
            display=[
                self.in_display(a, c) or a
                for a, c in zip(series["amount"], series["currency"], strict=True)
            ]
        )
        ev = self.events
        return plots_b.cumulative_steps(
            frame,
            "display",
            lambda r: (
                self.money_display(r["amount"], r["currency"], bool(r["is_lower_bound"]))
                + (f" ({self.date_of(r)})" if self.lang == "en" else f"（{self.date_of(r)}）")
            ),
            ylabel=self.t("cumulative_axis", unit=self.t(f"unit_million.{self.currency}")),
            lower_bound_text=self.t("arrow_legend"),
            start_year=int(ev["date_start"].dt.year.min()),
            end_year=int(ev["date_end"].dt.year.max()),
        )

    def cumulative(self) -> None:
        """Heading with the latest cumulative figure, the implied growth and its honesty."""
        series = self.cumulative_series
        if series.empty:
            self.note(self.t("cumulative_none"))
            return None
        first, last = series.iloc[0], series.iloc[-1]
        fmt = lambda r: self.money_display(  # noqa: E731
            r["amount"], r["currency"], bool(r["is_lower_bound"])
        )
        self._fact(
            "crossborder_cumulative_rmb_million_latest", float(last["amount"]), "RMB million"
        )
        self._fact("crossborder_cumulative_date_latest", str(last["date"]), "date")
        if len(series) == 1:
            self.heading(
                self.t("cumulative_heading_one", latest=fmt(last), latest_date=self.date_of(last))
            )
        else:
            self.heading(
                self.t(
                    "cumulative_heading",
                    latest=fmt(last),
                    latest_date=self.date_of(last),
                    first=fmt(first),
                    first_date=self.date_of(first),
                )
            )
        growth = fi.growth_between_milestones(series)
        if growth is not None:
            self._fact(
                "crossborder_implied_growth_pct_per_year", round(growth.annual_rate_pct, 1), "%"
            )
            cur = str(first["currency"])
            self.para(
                self.t(
                    "growth_text",
                    increase=self.money_display(growth.increase, cur),
                    years=i18n.fmt_number(round(growth.years, 1), self.lang, 1),
                    per_year=self.money_display(round(growth.annual_increase), cur),
                    rate=i18n.fmt_pct(round(growth.annual_rate_pct), self.lang, 0),
                )
            )
            if growth.kind == "approximation":
                self.note(
                    self.t(
                        "growth_caveat_approx",
                        first_date=self.date_of(first),
                        latest_date=self.date_of(last),
                        latest=self.money_display(last["amount"], last["currency"]),
                    )
                )
            elif growth.kind == "lower_bound":
                self.note(self.t("growth_caveat_lower"))
            if bool(last.get("is_date_inferred", False)):
                # the rate hinges on a year no source prints: show what a year later would mean
                alt = fi.implied_growth(
                    growth.start_value,
                    first["date_end"],
                    growth.end_value,
                    last["date_end"] + pd.DateOffset(years=1),
                )
                self.note(
                    self.t(
                        "growth_sensitivity",
                        alt_rate=i18n.fmt_pct(round(alt.annual_rate_pct), self.lang, 0),
                    )
                )
        # cumulative figures of another scope (e.g. one city's funds, one university)
        others = self.events.loc[
            self.events["is_cumulative"].astype(bool)
            & self.events["amount"].notna()
            & ~self.events["event_id"].isin(series["event_id"])
        ]
        for _, r in others.iterrows():
            self.note(
                self.t(
                    "cumulative_other_scope",
                    amount=self.money_display(
                        r["amount"], r["currency"], bool(r["is_lower_bound"])
                    ),
                    mark=self.mark(r["confidence"]),
                    date=self.date_of(r),
                    title=self.title_of(r),
                )
            )
        fig = self.cumulative_figure()
        if fig is not None:
            self.figure(
                fig,
                self.t("cumulative_caption"),
                sorted({s for ids in series["source_id"] for s in str(ids).split(";")}),
                series["confidence"].tolist(),
            )
        if self.currency != "RMB" or self.uses_conversion(self.events):
            self.rate_note()
        return None

    def single_grants(self) -> None:
        """Heading with the largest single payment; table of grants with both currencies."""
        grants = self.events.loc[self.events["event_type"].isin(fi.GRANT_TYPES)]
        with_amount = grants.loc[grants["amount"].notna()]
        if with_amount.empty:
            self.heading(self.t("grants_heading_none"))
            return
        conv = with_amount.assign(
            rmb=[
                fi.convert(a, c, "RMB", self.rate) if (c == "RMB" or self.rate) else float("nan")
                for a, c in zip(with_amount["amount"], with_amount["currency"], strict=True)
            ]
        )
        top = conv.loc[conv["rmb"].idxmax()]
        self._fact("largest_single_grant_rmb_million", float(top["rmb"]), "RMB million")
        self.heading(
            self.t(
                "grants_heading",
                amount=self.money_display(top["amount"], top["currency"]),
                date=self.date_of(top),
                title=self.title_of(top),
            )
        )
        n_unverified = int((grants["confidence"] == "unverified").sum())
        self.para(
            self.t(
                "grants_text" if n_unverified else "grants_text_none_unverified",
                n=len(grants),
                n_amount=len(with_amount),
                n_unverified=n_unverified,
            )
        )
        table = pd.DataFrame(
            {
                "date": [self.date_of(r) for _, r in grants.iterrows()],
                "milestone": [self.title_of(r) for _, r in grants.iterrows()],
                "reported": [
                    self.c("not_available")
                    if pd.isna(r["amount"])
                    else self.money(
                        r["amount"], r["currency"], "million", bool(r["is_lower_bound"])
                    )
                    for _, r in grants.iterrows()
                ],
                "display": [
                    self.c("not_available")
                    if pd.isna(r["amount"])
                    else self.money_display(r["amount"], r["currency"], bool(r["is_lower_bound"]))
                    for _, r in grants.iterrows()
                ],
                "confidence": grants["confidence"],
            }
        )
        self.table(
            table,
            {
                "milestone": self.t("col_milestone"),
                "date": self.t("col_date"),
                "reported": self.t("col_amount_reported"),
                "display": self.t(
                    "col_amount_display", currency=self.t(f"currency_name.{self.currency}")
                ),
            },
            sources=sorted({s for ids in grants["source_id"] for s in str(ids).split(";")}),
            caption=self.t("grants_caption"),
            align={"reported": "right", "display": "right"},
        )
        if self.uses_conversion(grants):
            self.rate_note()

    def _facility_value(self, row: pd.Series) -> str:
        metric, value, lb = str(row["metric"]), float(row["value"]), bool(row["is_lower_bound"])
        if metric == "core_hours" and "million" in str(row["unit"]):
            text = self.t("million", v=i18n.fmt_number(value, self.lang))
            if self.lang != "en":
                text = self.money(value, "", "million")
        elif metric == "user_share_pct":
            text = i18n.fmt_pct(value, self.lang, min_decimals=0)
        else:
            text = i18n.fmt_int(value, self.lang)
        return self.t("over", v=text) if lb else text

    def _as_of_text(self, iso: str) -> str:
        parts = str(iso).split("-")
        precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
        return i18n.fmt_date(iso, precision, self.lang)

    def shared_facilities(self) -> None:
        """Heading with the core-hours figure (flagged), table of every facility figure."""
        fac = self.facilities
        if fac.empty:
            self.heading(self.t("facilities_none"))
            self.note(self.t("facilities_none_text"))
            return
        name_col = "facility_en" if self.lang == "en" else "facility_zh_hant"
        core = fac.loc[fac["metric"] == "core_hours"]
        if not core.empty:
            r = core.sort_values("as_of").iloc[-1]
            if "million" in str(r["unit"]):
                self._fact("nsccgz_core_hours_million", float(r["value"]), "million core-hours")
            self.heading(
                self.t(
                    "facilities_heading",
                    core_hours=self._facility_value(r),
                    facility=r[name_col],
                    date=self._as_of_text(r["as_of"]),
                )
            )
        else:
            self.heading(self.t("facilities_heading_generic", n=len(fac)))
        table = pd.DataFrame(
            {
                "facility": fac[name_col],
                "metric": [self.t(f"metric.{m}") for m in fac["metric"]],
                "value": [self._facility_value(r) for _, r in fac.iterrows()],
                "as_of": [self._as_of_text(a) for a in fac["as_of"]],
                "confidence": fac["confidence"],
            }
        )
        self.table(
            table,
            {
                "metric": self.t("col_metric"),
                "facility": self.t("col_facility"),
                "value": self.t("col_value"),
                "as_of": self.t("col_as_of"),
            },
            sources=sorted({s for ids in fac["source_id"] for s in str(ids).split(";")}),
            caption=self.t("facilities_caption"),
            align={"value": "right"},
        )
        if (fac["confidence"] == "unverified").all():
            self.note(self.t("facilities_text"))

    def gerd_figure(self) -> Figure:
        """Stacked bars of Hong Kong GERD by sector, all years (gaps marked n/a)."""
        wide = fi.gerd_wide(self.gerd)
        years = range(int(wide.index.min()), int(wide.index.max()) + 1)
        wide = wide.reindex(years)
        return plots_b.gerd_stacked(
            wide,
            SECTORS,
            {s: self.t(f"sector.{s}") for s in (*SECTORS, "total")},
            ylabel=self.t("gerd_axis"),
            xlabel=self.t("gerd_year_axis"),
            break_years=fi.break_years(self.gerd),
            break_label=self.c("series_break"),
            na_text=self.c("not_available"),
        )

    def hk_rd_structure(self) -> None:
        """Heading with the latest sector shares; growth since the break; the chart."""
        year = fi.latest_year_with_sectors(self.gerd)
        if year is None:
            return None
        shares = fi.gerd_shares(self.gerd, year)
        total_rows = self.gerd.loc[(self.gerd["year"] == year) & (self.gerd["sector"] == "total")]
        total = float(total_rows["gerd_hkd_million"].iloc[0])
        top = shares.iloc[0]
        share_txt = lambda x: i18n.fmt_pct(round(x, 1), self.lang, 1)  # noqa: E731
        others = self.names(
            [
                self.t(
                    "gerd_other",
                    sector=self.t(f"sector_lower.{r['sector']}"),
                    share=share_txt(r["share_pct"]),
                )
                for _, r in shares.iloc[1:].iterrows()
            ]
        )
        self._fact("hk_gerd_hkd_million_latest", total, "HK$ million")
        he = shares.loc[shares["sector"] == "higher_education", "share_pct"]
        if not he.empty:
            self._fact("hk_gerd_higher_education_share_pct", round(float(he.iloc[0]), 1), "%")
        self.heading(
            self.t(
                "gerd_heading",
                top_sector=self.t(f"sector.{top['sector']}"),
                top_share=share_txt(top["share_pct"]),
                year=year,
                top_amount=i18n.fmt_hkd_million(float(top["gerd_hkd_million"]), self.lang),
                total=i18n.fmt_hkd_million(total, self.lang),
                others=others,
            )
        )
        breaks = fi.break_years(self.gerd)
        totals = self.gerd.loc[self.gerd["sector"] == "total"].set_index("year")["gerd_hkd_million"]
        if breaks and breaks[-1] in totals.index and year > breaks[-1]:
            b = breaks[-1]
            cagr = fi.cagr_pct(float(totals[b]), total, year - b)
            self.para(
                self.t(
                    "gerd_growth",
                    break_year=b,
                    start=i18n.fmt_hkd_million(float(totals[b]), self.lang),
                    end=i18n.fmt_hkd_million(total, self.lang),
                    year=year,
                    cagr=i18n.fmt_pct(round(cagr, 1), self.lang, 1),
                )
            )
        fig = self.gerd_figure()
        self.figure(
            fig,
            self.t("gerd_caption", break_year=breaks[-1] if breaks else ""),
            "hk_gerd_by_sector",
            self.gerd["confidence"].tolist(),
        )
        self.note(self.t("gerd_note"))
        return None

    def sources(self, today: dt.date | None = None) -> None:  # type: ignore[override]
        """Display the closing "Caveats and sources" section.

        Returns nothing, so a notebook cell does not display the section a second time.
        """
        super().sources(today)

    # ------------------------------------------------------------------ summary hooks
    def summary_points(self) -> list[str]:
        """Two or three sentences with computed numbers for the executive summary."""
        points = []
        series = self.cumulative_series
        if not series.empty:
            last = series.iloc[-1]
            latest = self.money_display(
                last["amount"], last["currency"], bool(last["is_lower_bound"])
            )
            points.append(
                self.t("cumulative_heading_one", latest=latest, latest_date=self.date_of(last))
            )
            growth = fi.growth_between_milestones(series)
            if growth is not None:
                first = series.iloc[0]
                points.append(
                    self.t(
                        "summary_growth",
                        first=self.money_display(first["amount"], first["currency"], True),
                        first_date=self.date_of(first),
                        rate=i18n.fmt_pct(round(growth.annual_rate_pct), self.lang, 0),
                    )
                )
        return points

    def summary_chart(self, compact: bool = False) -> Figure | None:
        """Display the cumulative chart with caption and source (for the summary); return it.

        Args:
            compact: Half the text width and short (two charts side by side in the brief).
        """
        fig = self.cumulative_figure()
        if fig is None:
            return None
        if compact:
            fig.set_size_inches(*plots.BRIEF_HALF_IN)
        series = self.cumulative_series
        return self.figure(
            fig,
            self.t("cumulative_caption"),
            sorted({s for ids in series["source_id"] for s in str(ids).split(";")}),
            series["confidence"].tolist(),
        )

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Key figures for the build manifest."""
        if self.rate is not None:
            self._fact("hkd_per_rmb_used", round(self.rate.hkd_per_rmb, 4), "HKD per RMB")
        if "crossborder_cumulative_rmb_million_latest" not in self._facts:
            series = self.cumulative_series
            if not series.empty:
                last = series.iloc[-1]
                self._fact(
                    "crossborder_cumulative_rmb_million_latest",
                    float(last["amount"]),
                    "RMB million",
                )
        return dict(self._facts)
