"""Indicators on tiny inline frames; expected values worked out by hand."""

import math

import pandas as pd
import pytest

from gba_report.analysis import indicators


def test_cagr_doubling_over_one_year_is_100_percent():
    assert indicators.cagr(50, 100, 1) == pytest.approx(100.0)


def test_cagr_over_two_years_from_100_to_121_is_10_percent():
    # 100 * 1.1 * 1.1 = 121
    assert indicators.cagr(100, 121, 2) == pytest.approx(10.0)


def test_cagr_undefined_for_zero_years_or_non_positive_start():
    assert math.isnan(indicators.cagr(100, 121, 0))
    assert math.isnan(indicators.cagr(0, 121, 2))


def test_cagr_between_reads_the_two_years():
    df = pd.DataFrame({"year": [2020, 2021, 2022], "v": [200.0, 210.0, 242.0]})
    # 242 / 200 = 1.21 = 1.1 ** 2
    assert indicators.cagr_between(df, "v", 2020, 2022) == pytest.approx(10.0)


def test_cagr_between_missing_year_is_nan():
    df = pd.DataFrame({"year": [2020, 2022], "v": [200.0, 242.0]})
    assert math.isnan(indicators.cagr_between(df, "v", 2019, 2022))


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


def test_rank_within_year_largest_first_ties_share_rank():
    df = pd.DataFrame(
        {"year": [1, 1, 1, 2, 2], "v": [5.0, 9.0, 5.0, 1.0, None], "c": list("abcde")}
    )
    ranks = indicators.rank_within(df, "v")
    assert ranks.tolist()[:4] == [2, 1, 2, 1]
    assert pd.isna(ranks.iloc[4])


def test_pp_change():
    df = pd.DataFrame({"year": [2011, 2024], "v": [1.96, 3.60]})
    assert indicators.pp_change(df, "v", 2011, 2024) == pytest.approx(1.64)


def test_gap_to_target_positive_when_above():
    assert indicators.gap_to_target(3.6, 3.5) == pytest.approx(0.1)
    assert indicators.gap_to_target(3.4, 3.5) == pytest.approx(-0.1)


def test_years_between_uses_mid_period_for_missing_parts():
    assert indicators.years_between("2022-06-30", "2023-06-30") == pytest.approx(365 / 365.25)
    # 2022-06 -> 15 June; 2023 -> 1 July 2023: 381 days
    assert indicators.years_between("2022-06", "2023") == pytest.approx(381 / 365.25)


def test_implied_growth_lower_bound_only_when_end_is_over():
    est = indicators.implied_annual_growth(100, "2020-01-01", 121, "2022-01-01", False, True)
    # 731 days = 2.0014 years; (1.21 ** (1 / 2.0014) - 1) * 100
    expected = (1.21 ** (365.25 / 731) - 1) * 100
    assert est.rate_pct == pytest.approx(expected)
    assert est.is_lower_bound and not est.is_approximate


def test_implied_growth_both_over_is_only_approximate():
    est = indicators.implied_annual_growth(300, "2022-06", 460, "2023-11", True, True)
    assert est.is_approximate and not est.is_lower_bound
    assert est.years == pytest.approx(
        (pd.Timestamp("2023-11-15") - pd.Timestamp("2022-06-15")).days / 365.25
    )


def test_latest_value_skips_missing():
    df = pd.DataFrame({"year": [2022, 2023, 2024], "v": [1.0, 2.0, None]})
    assert indicators.latest_value(df, "v")["year"] == 2023
