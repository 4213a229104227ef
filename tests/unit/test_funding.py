"""The cross-border funding analysis on tiny inline frames.

Expected values are worked by hand from the source figures, not produced by the code.
"""

import datetime as dt

import pandas as pd
import pytest

from gba_report.analysis import funding as fi


@pytest.mark.parametrize(
    ("iso", "precision", "start", "end"),
    [
        ("2022-06", "month", dt.date(2022, 6, 1), dt.date(2022, 6, 30)),
        ("2023-12", "month", dt.date(2023, 12, 1), dt.date(2023, 12, 31)),
        ("2024", "year", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2019-07-30", "day", dt.date(2019, 7, 30), dt.date(2019, 7, 30)),
        ("2019-07-30", "month", dt.date(2019, 7, 1), dt.date(2019, 7, 31)),
    ],
)
def test_period_bounds_cover_the_whole_period(iso, precision, start, end):
    assert fi.period_bounds(iso, precision) == (start, end)


def _events():
    return pd.DataFrame(
        {
            "event_id": ["CB01", "CB02", "CB03", "CB04"],
            "date": ["2022-06", "2023-11-06", "2024", "2019-07-30"],
            "date_precision": ["month", "day", "year", "day"],
            "event_type": ["cumulative", "cumulative", "policy", "single_grant"],
            "amount": [300.0, 460.0, None, 3.1696],
            "currency": ["RMB", "RMB", "", "RMB"],
            "is_cumulative": [True, True, False, False],
            "is_lower_bound": [True, True, False, False],
            "confidence": ["secondary", "unverified", "secondary", "unverified"],
        }
    )


def test_known_by_hides_milestones_whose_period_ends_after_the_cutoff():
    ev = fi.with_dates(_events())
    assert list(fi.known_by(ev, "2024-06-30")["event_id"]) == ["CB04", "CB01", "CB02"]
    assert list(fi.known_by(ev, "2024-12-31")["event_id"])[-1] == "CB03"
    # June 2022 is only certainly past at the end of June
    assert "CB01" not in set(fi.known_by(ev, "2022-06-15")["event_id"])


def test_drop_unverified_only_when_asked():
    ev = _events()
    assert len(fi.drop_unverified(ev, True)) == 4
    assert list(fi.drop_unverified(ev, False)["event_id"]) == ["CB01", "CB03"]


def test_growth_between_300m_mid_2022_and_460m_nov_2023_is_about_36pct_a_year():
    # one date rule (the timeline's): "June 2022" sits mid-month, on 15 Jun 2022;
    # -> 6 Nov 2023 = 15 + 31 + 31 + 30 + 31 + 5 + 365 = 508 days = 1.3908 years;
    # (460/300) ** (1/1.3908) = exp(0.42744 / 1.3908) = exp(0.30733) = 1.3598
    ms = fi.cumulative_milestones(fi.with_dates(_events()))
    g = fi.growth_between_milestones(ms)
    assert g is not None
    assert g.years == pytest.approx(508 / 365.25)
    assert g.increase == pytest.approx(160.0)
    assert g.annual_rate_pct == pytest.approx(35.98, abs=0.05)
    assert g.annual_increase == pytest.approx(115.04, abs=0.1)  # 160 / 1.3908
    # both figures are "over" figures: the rate is an approximation, not a bound
    assert g.kind == "approximation"


def test_rate_of_the_scmp_pair_and_conversion():
    # SCMP Aug 2019: RMB 38 m = HK$42.27 m -> 42.27 / 38 = 1.11237 HKD per RMB
    pair = pd.DataFrame(
        {
            "date": ["2019-08"],
            "base_currency": ["RMB"],
            "quote_currency": ["HKD"],
            "base_amount": [38.0],
            "quote_amount": [42.27],
            "rate_type": ["implied_from_source_pair"],
            "source_id": ["scmp"],
        }
    )
    rate = fi.choose_rate(pair)
    assert rate.hkd_per_rmb == pytest.approx(1.112368, abs=1e-6)
    assert fi.convert(38, "RMB", "HKD", rate) == pytest.approx(42.27)
    assert fi.convert(42.27, "HKD", "RMB", rate) == pytest.approx(38)
    assert fi.convert(460, "RMB", "RMB", None) == 460
    with pytest.raises(ValueError):
        fi.convert(460, "RMB", "HKD", None)


def test_choose_rate_prefers_official_over_implied():
    rates = pd.DataFrame(
        {
            "date": ["2019-08", "2019"],
            "base_currency": ["RMB", "RMB"],
            "quote_currency": ["HKD", "HKD"],
            "base_amount": [38.0, 1.0],
            "quote_amount": [42.27, 1.1371],
            "rate_type": ["implied_from_source_pair", "official"],
            "source_id": ["scmp", "hkma"],
        }
    )
    assert fi.choose_rate(rates).source_id == "hkma"
    assert fi.choose_rate(rates.iloc[:1]).hkd_per_rmb == pytest.approx(1.112368, abs=1e-6)
    assert fi.choose_rate(rates.iloc[0:0]) is None


def test_year_end_rates_one_per_year_as_published():
    fx = pd.DataFrame(
        {
            "year": [2020, 2020, 2024],
            "date": ["2020-12-31", "2020-12-31", "2024-12-31"],
            "rate_type": ["hkma_closing", "pboc_central_parity", "pboc_central_parity"],
            "base_currency": ["RMB", "HKD", "HKD"],
            "base_amount": [1.0, 100.0, 100.0],
            "quote_currency": ["HKD", "RMB", "RMB"],
            "quote_amount": [1.1919, 84.164, 92.604],
            "source_id": ["hkma", "safe", "safe"],
            "confidence": ["verified", "secondary", "secondary"],
        }
    )
    rates = fi.year_end_rates(fx)
    assert rates[2020].rate_type == "hkma_closing"  # the verified one of the two
    assert rates[2024].hkd_per_rmb == pytest.approx(100 / 92.604)


def test_selections_of_a_report():
    ev = _events()
    shown = fi.known_events(ev, "2023-12-31", include_unverified=False)
    assert shown["event_id"].tolist() == ["CB01"]  # CB02 unverified, CB03 dated 2024
    span = fi.span(fi.with_dates(ev))
    assert (span.first_year, span.last_year, span.first_cumulative_year) == (2019, 2024, 2022)
    assert span.latest["event_id"] == "CB03"  # "2024" ends on 31 December 2024
    series = fi.comparable_cumulative(fi.with_dates(ev.assign(recipient="HK", scope="guangdong")))
    assert series["event_id"].tolist() == ["CB01", "CB02"]
    # figures of different scopes (whose money) are never one series
    scopes = ev.assign(recipient="HK", scope=["guangdong", "all_mainland", "guangdong", "central"])
    parts = fi.scope_series(fi.with_dates(scopes))
    assert all(part["scope"].nunique() == 1 for part in parts)


def test_growth_if_the_inferred_year_were_one_later():
    # 15 Jun 2022 -> 6 Nov 2024 = 508 + 366 = 874 days = 2.3929 years;
    # (460/300) ** (1/2.3929) = exp(0.17863) = 1.1956
    ms = fi.cumulative_milestones(fi.with_dates(_events()))
    later = fi.growth_if_later(ms)
    assert later.annual_rate_pct == pytest.approx(19.56, abs=0.01)
    # the duration printed (2.4 years) and the rate per year agree:
    # 160 / 2.3929 = 66.9 and 160 / 2.4 = 66.7, both ~ 67
    assert round(later.years, 1) == 2.4
    assert round(later.annual_increase) == 67


def test_grants_in_rmb_and_display_currency():
    # HKMA closing rate of 31 Dec 2019: HK$1.1175 per RMB 1 (each amount at its own year's rate)
    rate = fi.Rate(1.1175, "2019-12-31", 1.0, 1.1175, "hkma", "hkma_closing", year=2019)
    grants = fi.grants(fi.with_dates(_events()), {2019: rate})
    assert grants["event_id"].tolist() == ["CB04"]
    assert grants["amount_rmb_million"].tolist() == [3.1696]
    assert fi.in_currency(38, "RMB", "HKD", rate) == pytest.approx(42.465)
    assert fi.in_currency(38, "RMB", "HKD", None) is None
    assert fi.in_currency(float("nan"), "RMB", "HKD", rate) is None
    assert fi.needs_conversion(_events(), "HKD") and not fi.needs_conversion(_events(), "RMB")


def test_facilities_known_when_their_period_has_passed():
    fac = pd.DataFrame(
        {
            "facility_code": ["csns", "nsccgz"],
            "as_of": ["2025", "2024-10-31"],
            "confidence": ["unverified", "secondary"],
        }
    )
    assert fi.known_facilities(fac, "2024-12-31", True)["facility_code"].tolist() == ["nsccgz"]
    assert len(fi.known_facilities(fac, "2025-12-31", True)) == 2
    assert fi.known_facilities(fac, "2025-12-31", False)["facility_code"].tolist() == ["nsccgz"]
