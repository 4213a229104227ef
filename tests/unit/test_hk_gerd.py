"""Hong Kong GERD by performing sector on a tiny inline frame (figures typed from C&SD / HKSAR)."""

import pandas as pd
import pytest

from gba_report.analysis import hk_gerd


def _gerd():
    rows = [
        (2017, "total", 21280.4, False),
        (2017, "business", 9412.3, False),
        (2018, "total", 24478.4, True),
        (2021, "total", 27827.0, False),
        (2024, "total", 35772.0, False),
        (2024, "business", 13906.0, False),
        (2024, "higher_education", 20054.0, False),
        (2024, "government", 1812.0, False),
        (2017, "higher_education", 10837.1, False),
        (2017, "government", 1031.0, False),
    ]
    return pd.DataFrame(
        rows, columns=["year", "sector", "gerd_hkd_million", "is_series_break"]
    ).assign(confidence="secondary")


def test_gerd_shares_2024_higher_education_56pct():
    # 20054 / 35772 = 56.06 %; 13906 / 35772 = 38.87 %; 1812 / 35772 = 5.07 %
    shares = hk_gerd.gerd_shares(_gerd(), 2024)
    assert list(shares["sector"]) == ["higher_education", "business", "government"]
    assert shares["share_pct"].round(2).tolist() == [56.06, 38.87, 5.07]
    assert hk_gerd.latest_year_with_sectors(_gerd()) == 2024
    assert hk_gerd.break_years(_gerd()) == [2018]


def test_gerd_structure_growth_within_the_post_break_basis():
    # 2018 break (C&SD adds the implicit user cost of R&D facilities): 24,478.4 -> 35,772
    # over 6 years: (35772 / 24478.4) ** (1/6) = 1.46137 ** (1/6) = 1.0653 -> 6.53 % a year
    structure = hk_gerd.gerd_structure(_gerd())
    assert (structure.year, structure.total) == (2024, 35772.0)
    assert (structure.break_year, structure.break_total) == (2018, 24478.4)
    assert structure.cagr_since_break_pct == pytest.approx(6.53, abs=0.01)


def test_sector_split_of_a_window():
    split = hk_gerd.sector_split(_gerd(), 2015, 2024)
    assert (split.year, split.total) == (2024, 35772.0)
    assert split.shares["sector"].iloc[0] == "higher_education"
    assert split.total_only_years == [2018, 2021]
    assert split.breaks == [2018]
    assert hk_gerd.sector_split(_gerd(), 2018, 2021) is None  # totals only: no split
    assert hk_gerd.gerd_total(_gerd().query("sector != 'total'"), 2024) == 35772.0  # sum


def test_gerd_by_year_keeps_years_without_figures():
    wide = hk_gerd.gerd_by_year(_gerd())
    assert wide.index.tolist() == list(range(2017, 2025))
    assert wide.loc[2020].isna().all()  # no figure: a gap, not a zero
    assert wide.loc[2021, "total"] == 27827.0 and pd.isna(wide.loc[2021, "business"])
