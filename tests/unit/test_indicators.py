"""Common indicators on numbers and tiny inline frames; expected values worked out by hand."""

import datetime as dt
import math

import pandas as pd
import pytest

from gba_report.analysis import indicators


@pytest.mark.parametrize(
    ("first", "last", "years", "expected"),
    [
        (50, 100, 1, 100.0),  # doubling in a year
        (100, 121, 2, 10.0),  # 100 x 1.1 x 1.1 = 121
        (1000, 1331, 3, 10.0),  # 1.1 ** 3 = 1.331
        (200, 100, 1, -50.0),  # halving
    ],
)
def test_cagr_of_exact_powers(first, last, years, expected):
    assert indicators.cagr(first, last, years) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("first", "last", "years"),
    [(100, 121, 0), (0, 121, 2), (-5, 121, 2), (100, -1, 2), (math.nan, 121, 2), (100, None, 2)],
)
def test_cagr_is_undefined_without_span_or_positive_start(first, last, years):
    assert math.isnan(indicators.cagr(first, last, years))


def test_growth_on_the_year_before_guangdong_2024():
    # NBS: 4,802.6 (2023) -> 5,099.6 (2024) 億元; 297 / 4802.6 = 6.18 %
    assert indicators.growth_pct(4802.6, 5099.6) == pytest.approx(6.184, abs=0.001)


def test_share_of_china_guangdong_2024():
    # 5,099.6 / 36,326.8 億元 = 14.04 %
    assert indicators.share_pct(5099.6, 36326.8) == pytest.approx(14.038, abs=0.001)


def test_share_of_total_per_year():
    df = pd.DataFrame(
        {
            "year": [2023, 2023, 2024, 2024],
            "region_code": ["CN", "GD", "CN", "GD"],
            "v": [400.0, 100.0, 500.0, 75.0],
        }
    )
    share = indicators.share_of_total(df, "v", "CN")
    assert share.tolist() == pytest.approx([100.0, 25.0, 100.0, 15.0])


def test_share_of_total_refuses_two_totals_in_a_year():
    df = pd.DataFrame({"year": [1, 1], "region_code": ["CN", "CN"], "v": [1.0, 2.0]})
    with pytest.raises(ValueError, match="total row"):
        indicators.share_of_total(df, "v", "CN")


def test_rank_within_year_largest_first_ties_share_rank():
    df = pd.DataFrame({"year": [1, 1, 1, 2, 2], "v": [5.0, 9.0, 5.0, 1.0, None]})
    ranks = indicators.rank_within(df, "v")
    assert ranks.tolist()[:4] == [2, 1, 2, 1]
    assert pd.isna(ranks.iloc[4])


def test_gap_to_target_positive_when_above():
    # Guangdong 2024: 3.60 % against the 14th FYP target of 3.5 %
    assert indicators.gap_to_target(3.6, 3.5) == pytest.approx(0.1)
    assert indicators.gap_to_target(3.4, 3.5) == pytest.approx(-0.1)


def test_years_between_counts_days_of_a_julian_year():
    # 30 Jun 2022 -> 6 Nov 2023: 365 + 129 = 494 days
    assert indicators.years_between(dt.date(2022, 6, 30), dt.date(2023, 11, 6)) == pytest.approx(
        494 / 365.25
    )
    assert indicators.years_between("2020-01-01", "2021-01-01") == pytest.approx(366 / 365.25)


def test_implied_growth_300m_mid_2022_to_460m_nov_2023_is_an_approximation():
    # both figures are "over" figures (Science and Technology Daily; China News Service):
    # (460 / 300) ** (1 / 1.3525) = exp(0.42744 / 1.3525) = 1.3717 -> 37.17 % a year
    g = indicators.implied_growth(300, dt.date(2022, 6, 30), 460, dt.date(2023, 11, 6), True, True)
    assert g.annual_rate_pct == pytest.approx(37.17, abs=0.01)
    assert g.years == pytest.approx(1.3525, abs=1e-4)
    assert g.increase == 160
    assert g.annual_increase == pytest.approx(118.30, abs=0.01)  # 160 / 1.3525
    assert g.kind == "approximation"


def test_implied_growth_kinds():
    # 1 Jan 2020 -> 1 Jan 2022 = 731 days = 2.00137 years; 1.21 ** (1 / 2.00137) = 1.09993
    exact = indicators.implied_growth(100, dt.date(2020, 1, 1), 121, dt.date(2022, 1, 1))
    assert exact.kind == "exact"
    assert exact.annual_rate_pct == pytest.approx(9.993, abs=0.001)
    lower = indicators.implied_growth(
        100, dt.date(2020, 1, 1), 121, dt.date(2022, 1, 1), end_is_lower_bound=True
    )
    assert lower.kind == "lower_bound"


@pytest.mark.parametrize(
    ("start", "end", "v0", "v1"),
    [
        (dt.date(2022, 1, 1), dt.date(2020, 1, 1), 100, 121),  # dates reversed
        (dt.date(2020, 1, 1), dt.date(2020, 1, 1), 100, 121),  # no time between
        (dt.date(2020, 1, 1), dt.date(2022, 1, 1), 0, 121),  # nothing at the start
    ],
)
def test_implied_growth_refuses_what_it_cannot_compute(start, end, v0, v1):
    with pytest.raises(ValueError):
        indicators.implied_growth(v0, start, v1, end)


def test_consecutive_runs_never_bridge_a_gap():
    assert indicators.consecutive_runs([2020, 2017, 2018]) == [[2017, 2018], [2020]]
    assert indicators.consecutive_runs([2019]) == [[2019]]
    assert indicators.consecutive_runs([]) == []


def test_segment_ids_number_the_runs_in_place():
    years = pd.Series([2023, 2017, 2018, 2020, 2021], index=[10, 11, 12, 13, 14])
    ids = indicators.segment_ids(years)
    assert ids.tolist() == [2, 0, 0, 1, 1]
    assert ids.index.tolist() == [10, 11, 12, 13, 14]


@pytest.mark.parametrize(
    ("levels", "weakest"),
    [
        (["verified", "secondary"], "secondary"),
        (["secondary", "unverified", "verified"], "unverified"),
        (["verified", "verified"], "verified"),
        ([], "verified"),
        (["verified", "n/a"], "verified"),
    ],
)
def test_weakest_confidence(levels, weakest):
    assert indicators.weakest_confidence(levels) == weakest
