"""The sections of the ``cross_border_funding`` report: analysis result -> tidy frame -> display.

Each function takes the report (strings, formats, section builder) and the analysis
(:class:`~gba_report.analysis.funding.FundingAnalysis`) or the frame it shows, and returns a
:class:`~gba_report.present.sections.Section` whose ``data`` has the columns of
:data:`COLUMNS`. Amounts keep their own currency (``amount_million`` + ``currency``) and, where
the report converts them, the display currency's value (``amount_display_million``).
"""

from __future__ import annotations

import pandas as pd

from gba_report import data
from gba_report.analysis import funding, hk_gerd, indicators
from gba_report.present import i18n
from gba_report.present.charts import bars, theme
from gba_report.present.charts import timeline as timelines
from gba_report.present.sections import Section, SectionBuilder
from gba_report.reports.base import BaseReport, BriefPoint, insert_after

#: Order of event types in the timeline legend.
EVENT_TYPES = ("policy", "first_batch", "single_grant", "cumulative", "facility_opening")

_PROVENANCE = ("source_id", "confidence")
_AMOUNT = ("amount_million", "currency", "is_lower_bound")
_DISPLAY = ("amount_display_million", "display_currency")

#: Columns of each section's data.
COLUMNS: dict[str, tuple[str, ...]] = {
    "intro": ("measure", "value", *_PROVENANCE),
    "timeline": (
        "event_id",
        "date",
        "date_precision",
        "is_date_inferred",
        "event_type",
        "event_type_name",
        "title",
        *_AMOUNT,
        "is_cumulative",
        *_PROVENANCE,
    ),
    "cumulative": (
        "event_id",
        "date",
        "is_date_inferred",
        "title",
        *_AMOUNT,
        *_DISPLAY,
        *_PROVENANCE,
    ),
    "single_grants": (
        "event_id",
        "date",
        "event_type",
        "title",
        *_AMOUNT,
        "amount_rmb_million",
        *_DISPLAY,
        *_PROVENANCE,
    ),
    "shared_facilities": (
        "facility_code",
        "facility_name",
        "metric",
        "metric_name",
        "value",
        "unit",
        "as_of",
        "is_lower_bound",
        *_PROVENANCE,
    ),
    "hk_rd_structure": (
        "region_code",
        "year",
        "sector",
        "sector_name",
        "gerd_hkd_million",
        "is_series_break",
        *_PROVENANCE,
    ),
}
COLUMNS["summary_chart"] = COLUMNS["cumulative"]


def _empty(report: BaseReport, name: str) -> Section:
    return report.section(name).done(pd.DataFrame(columns=list(COLUMNS[name])))


def _title(report: BaseReport, row: pd.Series) -> str:
    """Milestone title in the report language."""
    return str(row["title_en"] if report.lang == "en" else row["title_zh_hant"])


def _date(report: BaseReport, row: pd.Series) -> str:
    """Milestone date formatted with its precision, flagged when its year is inferred."""
    text = i18n.fmt_date(str(row["date"]), str(row["date_precision"]), report.lang)
    if bool(row.get("is_date_inferred", False)):
        text = report.t("date_year_inferred", date=text)
    return text


def _money(
    report: BaseReport,
    a: funding.FundingAnalysis,
    amount: float,
    currency: str,
    iso: str,
    lb: bool = False,
) -> str:
    """An amount dated ``iso`` in the display currency at its own year's rate.

    The amount stays in its own currency when its year has no rate.
    """
    value = a.in_display(amount, currency, iso)
    if value is None:
        return report.money(amount, currency, "million", lb)
    if currency != a.currency:
        # a converted amount is approximate: four significant figures
        value = float(f"{value:.4g}")
    return report.money(value, a.currency, "million", lb)


def _money_row(report: BaseReport, a: funding.FundingAnalysis, row: pd.Series) -> str:
    lb = bool(row["is_lower_bound"])
    return _money(report, a, row["amount"], row["currency"], str(row["date"]), lb)


def _reported(report: BaseReport, row: pd.Series, missing: str = "") -> str:
    """An amount as the source reported it (``missing`` when there is none)."""
    if pd.isna(row["amount"]):
        return missing
    return report.money(row["amount"], row["currency"], "million", bool(row["is_lower_bound"]))


def _ids(frame: pd.DataFrame) -> list[str]:
    return sorted({sid for ids in frame["source_id"] for sid in str(ids).split(";")})


def _events(report: BaseReport, name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Milestone rows as section data (amount in millions of its currency, title translated)."""
    frame = rows.assign(
        amount_million=rows["amount"],
        title=[_title(report, r) for _, r in rows.iterrows()],
    )
    return frame[list(COLUMNS[name])]


def _rate_text(report: BaseReport, rate: funding.Rate) -> str:
    """One year-end rate as published: value, kind, date and source."""
    if rate.base_currency == "RMB":
        quoted = report.t("rate_hkd_per_rmb", rate=i18n.fmt_number(rate.quote_amount, report.lang))
    else:
        quoted = report.t(
            "rate_rmb_per_100hkd", rate=i18n.fmt_number(rate.quote_amount, report.lang)
        )
    return report.t(
        "rate_item",
        year=report.year(rate.year) if rate.year else "",
        quoted=quoted,
        kind=report.t(f"rate_type.{rate.rate_type}"),
        date=i18n.fmt_date(rate.date, "day", report.lang),
        source=data.origin_citation(rate.source_id, report.lang).publisher,
    )


def _rate_note(
    report: BaseReport, a: funding.FundingAnalysis, s: SectionBuilder, frame: pd.DataFrame
) -> None:
    """State the year-end rates the conversions of ``frame`` use (each amount its own year's)."""
    used = a.rates_used(frame)
    missing = a.years_without_rate(frame)
    if not used and not missing:
        return
    text = ""
    if used:
        items = ("; " if report.lang == "en" else "；").join(_rate_text(report, r) for r in used)
        text = report.t(
            "rate_used_by_year", currency=report.t(f"currency_name.{a.currency}"), items=items
        )
    if missing:
        years = report.names(report.year(y) for y in missing)
        text += (" " if report.lang == "en" and text else "") + report.t(
            "rate_missing_years", years=years
        )
    s.note(text)


def intro(report: BaseReport, a: funding.FundingAnalysis) -> Section:
    """The lede: the year of the first milestone and the cut-off date."""
    first = a.all_dated.sort_values("date_start").iloc[0]
    year = int(first["date_start"].year)
    as_of = i18n.fmt_date(a.as_of, "day", report.lang)
    s = report.section("intro").para(report.t("intro", first=year, as_of=as_of))
    row = {
        "measure": "first_milestone_year",
        "value": year,
        "source_id": first["source_id"],
        "confidence": first["confidence"],
    }
    return s.done(pd.DataFrame([row], columns=list(COLUMNS["intro"])))


def timeline(report: BaseReport, a: funding.FundingAnalysis) -> Section:
    """Heading (first year, number of milestones), timeline chart and milestone table."""
    ev = a.events
    if ev.empty:
        return _empty(report, "timeline")
    span = funding.span(ev)
    s = report.section("timeline").heading(
        report.t(
            "timeline_heading", first=span.first_year, n=len(ev), last=_date(report, span.latest)
        )
    )
    if span.first_cumulative_year is not None:
        text = report.t(
            "timeline_text", first=span.first_year, cum_first=span.first_cumulative_year
        )
        s.para(text)
    unverified = ev["confidence"] == "unverified"
    labels = [
        _title(report, r) + (i18n.confidence_mark(r["confidence"]) if flag else "")
        for (_, r), flag in zip(ev.iterrows(), unverified, strict=True)
    ]
    fig = timelines.timeline(
        ev.assign(label=labels, flag=unverified),
        "label",
        flag_col="flag",
        type_col="event_type",
        type_labels={t: report.t(f"type.{t}") for t in EVENT_TYPES},
        xlabel=report.t("timeline_axis"),
        flag_label=report.t("unverified_legend"),
        start_year=span.axis_first_year,
        end_year=span.axis_last_year,
    )
    caption = report.t("timeline_caption", first=span.first_year, last=span.last_year)
    s.chart(fig, caption, _ids(ev), ev["confidence"].tolist())
    table = pd.DataFrame(
        {
            "date": [_date(report, r) for _, r in ev.iterrows()],
            "milestone": [_title(report, r) for _, r in ev.iterrows()],
            "reported": [_reported(report, r) for _, r in ev.iterrows()],
            "confidence": ev["confidence"],
        }
    )
    s.table(
        table,
        {
            "milestone": report.t("col_milestone"),
            "date": report.t("col_date"),
            "reported": report.t("col_amount_reported"),
        },
        sources=_ids(ev),
        caption=report.t("milestones_caption"),
        css_class="gba-compact",
    )
    names = [report.t(f"type.{t}") for t in ev["event_type"]]
    return s.done(
        _events(report, "timeline", insert_after(ev, "event_type", "event_type_name", names))
    )


def _cumulative_figure(report: BaseReport, a: funding.FundingAnalysis):
    """The cumulative milestones in the display currency (arrows mark "over" figures)."""
    series, span = a.series, funding.span(a.events)
    shown = [
        value if value else amount
        for value, amount in zip(a.display_amounts(series), series["amount"], strict=True)
    ]
    labels = [f"{_money_row(report, a, r)}\n{_date(report, r)}" for _, r in series.iterrows()]
    return timelines.cumulative_steps(
        series.assign(display=shown, label=labels),
        "display",
        "label",
        ylabel=report.t("cumulative_axis", unit=report.t(f"unit_million.{a.currency}")),
        lower_bound_text=report.t("arrow_legend"),
        start_year=span.first_year,
        end_year=span.last_year,
    )


def _cumulative_data(report: BaseReport, a: funding.FundingAnalysis, name: str) -> pd.DataFrame:
    series = a.series.assign(
        amount_display_million=a.display_amounts(a.series), display_currency=a.currency
    )
    return _events(report, name, series)


def cumulative(report: BaseReport, a: funding.FundingAnalysis) -> Section:
    """Heading with the latest cumulative figure, the implied growth and its honesty."""
    series, growth = a.series, a.growth
    s = report.section("cumulative")
    if series.empty:
        s.note(report.t("cumulative_none"))
        return s.done(pd.DataFrame(columns=list(COLUMNS["cumulative"])))
    first, last = series.iloc[0], series.iloc[-1]
    latest = {"latest": _money_row(report, a, last), "latest_date": _date(report, last)}
    if len(series) == 1:
        s.heading(report.t("cumulative_heading_one", **latest))
    else:
        first_fmt = {"first": _money_row(report, a, first), "first_date": _date(report, first)}
        s.heading(report.t("cumulative_heading", **latest, **first_fmt))
    if growth is not None:
        cur = str(first["currency"])
        s.para(
            report.t(
                "growth_text",
                # a difference between two dates has no one year: it stays in its own currency
                increase=report.money(growth.increase, cur, "million"),
                years=i18n.fmt_number(round(growth.years, 1), report.lang, 1),
                per_year=report.money(round(growth.annual_increase), cur, "million"),
                rate=i18n.fmt_pct(round(growth.annual_rate_pct), report.lang, 0),
            )
        )
        if growth.kind == "approximation":
            s.note(
                report.t(
                    "growth_caveat_approx",
                    first_date=_date(report, first),
                    latest_date=_date(report, last),
                    latest=_money(report, a, last["amount"], last["currency"], str(last["date"])),
                )
            )
        elif growth.kind == "lower_bound":
            s.note(report.t("growth_caveat_lower"))
        if bool(last.get("is_date_inferred", False)):
            # the rate hinges on a year no source prints: show what a year later would mean
            later = funding.growth_if_later(series)
            rate = i18n.fmt_pct(round(later.annual_rate_pct), report.lang, 0)
            s.note(report.t("growth_sensitivity", alt_rate=rate))
    # cumulative figures of another scope (e.g. one city's funds, one university)
    for _, r in funding.other_scopes(a.events, series).iterrows():
        same_scope = r["scope"] == first["scope"]
        s.note(
            report.t(
                "cumulative_other_measure" if same_scope else "cumulative_other_scope",
                scope=report.t(f"scope.{r['scope']}"),
                amount=_money_row(report, a, r),
                mark=i18n.confidence_mark(r["confidence"]),
                date=_date(report, r),
                title=_title(report, r),
            )
        )
    fig = _cumulative_figure(report, a)
    caption = report.t("cumulative_caption") + (" " if report.lang == "en" else "")
    caption += report.t("cumulative_scope", scope=report.t(f"scope.{first['scope']}"))
    s.chart(fig, caption, _ids(series), series["confidence"].tolist())
    if a.currency != "RMB" or funding.needs_conversion(a.events, a.currency):
        _rate_note(report, a, s, pd.concat([series, funding.other_scopes(a.events, series)]))
    return s.done(_cumulative_data(report, a, "cumulative"))


def single_grants(report: BaseReport, a: funding.FundingAnalysis) -> Section:
    """Heading with the largest single payment; table of grants with both currencies."""
    grants = a.grants
    with_amount = grants.loc[grants["amount"].notna()]
    s = report.section("single_grants")
    if with_amount.empty:
        s.heading(report.t("grants_heading_none"))
        return s.done(pd.DataFrame(columns=list(COLUMNS["single_grants"])))
    top = with_amount.loc[with_amount["amount_rmb_million"].idxmax()]
    s.heading(
        report.t(
            "grants_heading",
            amount=_money(report, a, top["amount"], top["currency"], str(top["date"])),
            date=_date(report, top),
            title=_title(report, top),
        )
    )
    n_unverified = int((grants["confidence"] == "unverified").sum())
    s.para(
        report.t(
            "grants_text" if n_unverified else "grants_text_none_unverified",
            n=len(grants),
            n_amount=len(with_amount),
            n_unverified=n_unverified,
        )
    )
    na = report.c("not_available")
    table = pd.DataFrame(
        {
            "date": [_date(report, r) for _, r in grants.iterrows()],
            "milestone": [_title(report, r) for _, r in grants.iterrows()],
            "reported": [_reported(report, r, na) for _, r in grants.iterrows()],
            "display": [
                na if pd.isna(r["amount"]) else _money_row(report, a, r)
                for _, r in grants.iterrows()
            ],
            "confidence": grants["confidence"],
        }
    )
    currency = report.t(f"currency_name.{a.currency}")
    s.table(
        table,
        {
            "milestone": report.t("col_milestone"),
            "date": report.t("col_date"),
            "reported": report.t("col_amount_reported"),
            "display": report.t("col_amount_display", currency=currency),
        },
        sources=_ids(grants),
        caption=report.t("grants_caption"),
        align={"reported": "right", "display": "right"},
    )
    if funding.needs_conversion(grants, a.currency):
        _rate_note(report, a, s, grants)
    shown = grants.assign(
        amount_display_million=a.display_amounts(grants), display_currency=a.currency
    )
    return s.done(_events(report, "single_grants", shown))


def core_hours(facilities: pd.DataFrame) -> pd.Series | None:
    """The latest core-hours figure among the facility figures (None when there is none)."""
    core = facilities.loc[facilities["metric"] == "core_hours"]
    return None if core.empty else core.sort_values("as_of").iloc[-1]


def _facility_value(report: BaseReport, row: pd.Series) -> str:
    metric, value, lb = str(row["metric"]), float(row["value"]), bool(row["is_lower_bound"])
    if metric == "core_hours" and "million" in str(row["unit"]):
        text = report.t("million", v=i18n.fmt_number(value, report.lang))
        if report.lang != "en":
            text = report.money(value, "", "million")
    elif metric == "user_share_pct":
        text = i18n.fmt_pct(value, report.lang, min_decimals=0)
    else:
        text = i18n.fmt_int(value, report.lang)
    return report.t("over", v=text) if lb else text


def _as_of_text(report: BaseReport, iso: str) -> str:
    return i18n.fmt_date(iso, funding.date_precision(iso), report.lang)


def shared_facilities(report: BaseReport, fac: pd.DataFrame) -> Section:
    """Heading with the core-hours figure (flagged), table of every facility figure."""
    s = report.section("shared_facilities")
    if fac.empty:
        s.heading(report.t("facilities_none")).note(report.t("facilities_none_text"))
        return s.done(pd.DataFrame(columns=list(COLUMNS["shared_facilities"])))
    name_col = "facility_en" if report.lang == "en" else "facility_zh_hant"
    core = core_hours(fac)
    if core is not None:
        s.heading(
            report.t(
                "facilities_heading",
                core_hours=_facility_value(report, core),
                facility=core[name_col],
                date=_as_of_text(report, core["as_of"]),
            )
        )
    else:
        s.heading(report.t("facilities_heading_generic", n=len(fac)))
    metrics = [report.t(f"metric.{m}") for m in fac["metric"]]
    table = pd.DataFrame(
        {
            "facility": fac[name_col],
            "metric": metrics,
            "value": [_facility_value(report, r) for _, r in fac.iterrows()],
            "as_of": [_as_of_text(report, d) for d in fac["as_of"]],
            "confidence": fac["confidence"],
        }
    )
    s.table(
        table,
        {
            "metric": report.t("col_metric"),
            "facility": report.t("col_facility"),
            "value": report.t("col_value"),
            "as_of": report.t("col_as_of"),
        },
        sources=_ids(fac),
        caption=report.t("facilities_caption"),
        align={"value": "right"},
    )
    if (fac["confidence"] == "unverified").all():
        s.note(report.t("facilities_text"))
    frame = fac.assign(facility_name=fac[name_col], metric_name=metrics)
    return s.done(frame[list(COLUMNS["shared_facilities"])])


def hk_rd_structure(report: BaseReport, gerd: pd.DataFrame) -> Section:
    """Heading with the latest sector shares; growth since the break; the chart."""
    structure = hk_gerd.gerd_structure(gerd)
    if structure is None:
        return _empty(report, "hk_rd_structure")
    lang, shares, year = report.lang, structure.shares, structure.year
    top = shares.iloc[0]

    def share_text(x: float) -> str:
        return i18n.fmt_pct(round(x, 1), lang, 1)

    others = report.names(
        report.t(
            "gerd_other",
            sector=report.t(f"sector_lower.{r['sector']}"),
            share=share_text(r["share_pct"]),
        )
        for _, r in shares.iloc[1:].iterrows()
    )
    s = report.section("hk_rd_structure").heading(
        report.t(
            "gerd_heading",
            top_sector=report.t(f"sector.{top['sector']}"),
            top_share=share_text(top["share_pct"]),
            year=year,
            top_amount=i18n.fmt_hkd_million(float(top["gerd_hkd_million"]), lang),
            total=i18n.fmt_hkd_million(structure.total, lang),
            others=others,
        )
    )
    if structure.break_year is not None:
        s.para(
            report.t(
                "gerd_growth",
                break_year=structure.break_year,
                start=i18n.fmt_hkd_million(structure.break_total, lang),
                end=i18n.fmt_hkd_million(structure.total, lang),
                year=year,
                cagr=i18n.fmt_pct(round(structure.cagr_since_break_pct, 1), lang, 1),
            )
        )
    names = {key: report.t(f"sector.{key}") for key in (*hk_gerd.SECTORS, "total")}
    fig = bars.gerd_stacked(
        hk_gerd.gerd_by_year(gerd),
        hk_gerd.SECTORS,
        names,
        ylabel=report.t("gerd_axis"),
        xlabel=report.t("gerd_year_axis"),
        break_years=structure.breaks,
        break_label=report.c("series_break"),
        na_text=report.c("not_available"),
    )
    caption = report.t("gerd_caption", break_year=structure.breaks[-1] if structure.breaks else "")
    s.chart(fig, caption, "hk_gerd_by_sector", gerd["confidence"].tolist())
    s.note(report.t("gerd_note"))
    names_in_data = {**names, "total": report.t("sector_total_name")}
    frame = insert_after(gerd, "sector", "sector_name", gerd["sector"].map(names_in_data))
    return s.done(frame[list(COLUMNS["hk_rd_structure"])])


# ---------------------------------------------------------------------- the executive brief


def summary_points(report: BaseReport, a: funding.FundingAnalysis) -> list[BriefPoint]:
    """The latest cumulative figure and the implied growth, with their confidence."""
    series, points = a.series, []
    if series.empty:
        return points
    first, last = series.iloc[0], series.iloc[-1]
    latest = _money_row(report, a, last)
    text = report.t("cumulative_heading_one", latest=latest, latest_date=_date(report, last))
    points.append(BriefPoint(text, str(last["confidence"]), str(last["source_id"])))
    if a.growth is not None:
        text = report.t(
            "summary_growth",
            first=_money(report, a, first["amount"], first["currency"], str(first["date"]), True),
            first_date=_date(report, first),
            rate=i18n.fmt_pct(round(a.growth.annual_rate_pct), report.lang, 0),
        )
        both = indicators.weakest_confidence([first["confidence"], last["confidence"]])
        ids = indicators.joined_sources(first["source_id"], last["source_id"])
        points.append(BriefPoint(text, both, ids))
    return points


def summary_chart(report: BaseReport, a: funding.FundingAnalysis, compact: bool) -> Section | None:
    """The cumulative chart for the brief (None without a cumulative figure)."""
    if a.series.empty:
        return None
    fig = _cumulative_figure(report, a)
    if compact:
        fig.set_size_inches(*theme.BRIEF_HALF_IN)
    s = report.section("summary_chart")
    caption = report.t("cumulative_caption") + (" " if report.lang == "en" else "")
    caption += report.t("cumulative_scope", scope=report.t(f"scope.{a.series.iloc[0]['scope']}"))
    s.chart(fig, caption, _ids(a.series), a.series["confidence"].tolist())
    return s.done(_cumulative_data(report, a, "summary_chart"))
