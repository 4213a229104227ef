"""The R&D analysis (series choice, peers, ranks, facts) on a tiny inline table.

The table is made up for the test (round numbers, so every expectation is worked by hand);
the figures of the real data are tested in tests/notebooks.
"""

import pandas as pd
import pytest

from gba_report.analysis import rd, series
from gba_report.analysis.series import Regions

NaN = float("nan")

REGIONS = Regions.from_frame(
    pd.DataFrame(
        [
            ("CN", "country", "", False),
            ("GD", "province", "CN", True),
            ("JS", "province", "CN", False),
            ("SH", "province", "CN", False),
            ("BJ", "province", "CN", False),
            ("HK", "sar", "CN", True),
            ("SZ", "city", "GD", True),
            ("GZ", "city", "GD", True),
            ("KOR", "economy", "", False),
        ],
        columns=["region_code", "region_type", "parent_code", "is_gba"],
    )
)

ROWS = [
    # region, year, series, spend (RMB 100 m), intensity (%), break, derived, source, confidence
    ("CN", 2022, "nbs_first_release", 30000.0, 2.5, False, False, "nbs22", "verified"),
    ("CN", 2023, "nbs_first_release", 33000.0, 2.6, False, False, "nbs23", "verified"),
    ("CN", 2024, "nbs_first_release", 36000.0, 2.7, False, False, "nbs24", "verified"),
    ("CN", 2022, "worldbank_wdi", NaN, 2.4, False, False, "wb", "verified"),
    ("GD", 2022, "nbs_first_release", 4000.0, 3.4, False, False, "nbs22", "verified"),
    ("GD", 2023, "nbs_first_release", 4400.0, 3.5, False, False, "nbs23", "verified"),
    ("GD", 2024, "nbs_first_release", 4840.0, 3.6, False, False, "gd24", "secondary"),
    ("JS", 2022, "nbs_first_release", 3500.0, 3.1, False, False, "nbs22", "verified"),
    ("JS", 2023, "nbs_first_release", 3800.0, 3.2, False, False, "nbs23", "verified"),
    ("JS", 2024, "nbs_first_release", 4000.0, 3.3, False, False, "js24", "verified"),
    ("SH", 2022, "nbs_first_release", 2000.0, 4.4, False, False, "nbs22", "verified"),
    ("SH", 2023, "nbs_first_release", 2100.0, 4.3, False, False, "nbs23", "verified"),
    ("SH", 2024, "nbs_first_release", NaN, 4.35, False, False, "sh24", "verified"),
    ("BJ", 2022, "nbs_first_release", 2800.0, 6.5, False, False, "nbs22", "verified"),
    ("BJ", 2023, "nbs_first_release", 2900.0, 6.6, False, False, "nbs23", "verified"),
    ("HK", 2022, "csd", NaN, 0.99, True, False, "csd", "verified"),
    ("HK", 2023, "csd", NaN, 1.07, False, False, "csd", "verified"),
    ("KOR", 2022, "worldbank_wdi", NaN, 5.2, False, False, "wb", "verified"),
    ("SZ", 2022, "city_release", NaN, 5.8, False, False, "sz", "verified"),
    ("SZ", 2023, "city_release", NaN, 6.0, False, False, "sz", "unverified"),
    ("GZ", 2023, "city_release", NaN, 3.4, False, True, "gz", "secondary"),
]
RD = pd.DataFrame(
    ROWS,
    columns=[
        "region_code",
        "year",
        "series",
        "rd_expenditure_rmb_100m",
        "rd_intensity_pct_gdp",
        "is_series_break",
        "is_derived",
        "source_id",
        "confidence",
    ],
)


def analysis(**kw):
    params = {
        "focus": "GD",
        "comparators": ["HK", "KOR"],
        "top_provinces": 2,
        "start_year": 2022,
        "end_year": 2024,
    }
    return rd.RDAnalysis(RD, REGIONS, **{**params, **kw})


def test_one_series_per_region_the_preferred_one():
    cn = series.preferred_series(RD, "CN")
    assert cn["series"].unique().tolist() == ["nbs_first_release"]  # not the World Bank row
    assert cn["rd_intensity_pct_gdp"].tolist() == [2.5, 2.6, 2.7]
    # only rows with the value asked for: Shanghai has no 2024 spending figure
    assert series.preferred_series(RD, "SH", "rd_expenditure_rmb_100m")["year"].tolist() == [
        2022,
        2023,
    ]
    assert series.preferred_series(RD, "MO").empty


def test_peers_are_the_focus_type_on_its_series():
    peers = series.peers(RD, REGIONS, "GD")
    assert sorted(set(peers["region_code"])) == ["BJ", "GD", "JS", "SH"]
    assert set(peers["series"]) == {"nbs_first_release"}
    assert series.rank_in(peers, "GD", 2024, "rd_intensity_pct_gdp") == (2, 3)  # after SH
    assert series.rank_in(peers, "BJ", 2024, "rd_intensity_pct_gdp") == (None, 3)


def test_focus_facts():
    f = analysis().facts
    assert (f.intensity.value, f.intensity.year, f.intensity.confidence) == (3.6, 2024, "secondary")
    assert (f.intensity_first.value, f.intensity_first.year) == (3.4, 2022)
    assert f.intensity_change_pp == pytest.approx(0.2)
    assert f.cn_intensity.value == 2.7
    assert (f.rank_intensity, f.n_intensity) == (2, 3)
    assert (f.spend.value, f.spend_previous.value, f.spend_first.value) == (4840, 4400, 4000)
    assert f.growth_pct == pytest.approx(10.0)  # 4840 / 4400
    assert f.cagr_pct == pytest.approx(10.0)  # (4840 / 4000) ** (1 / 2) = 1.1
    assert (f.rank_spend, f.n_spend) == (1, 2)  # 2024: only GD and JS have spending
    assert f.share.value == pytest.approx(13.444, abs=0.001)  # 4840 / 36000
    assert f.share_first.value == pytest.approx(13.333, abs=0.001)  # 4000 / 30000


def test_facts_frame_states_each_figure_with_its_sources():
    frame = rd.facts_frame(analysis().facts, "GD").set_index("measure")
    assert frame.loc["rd_expenditure_growth_pct", "source_id"] == "nbs23;gd24"
    assert frame.loc["rd_expenditure_growth_pct", "since_year"] == 2023
    assert frame.loc["rd_expenditure_growth_pct", "confidence"] == "secondary"
    assert frame.loc["rd_expenditure_cagr_pct", "since_year"] == 2022
    assert frame.loc["rank_by_rd_expenditure", "value"] == 1
    assert frame.loc["regions_ranked_by_rd_expenditure", "value"] == 2
    cn = rd.facts_frame(analysis().facts, "GD").query("region_code == 'CN'")
    by = cn.set_index("measure")
    assert list(by.index) == ["rd_intensity_pct_gdp", "rd_intensity_change_pp"]
    assert (by.loc["rd_intensity_pct_gdp", "year"], by.loc["rd_intensity_pct_gdp", "value"]) == (
        2024,
        2.7,
    )
    # 2.6 (2023) -> 2.7 (2024) on one basis (the fixture has a single one)
    assert by.loc["rd_intensity_change_pp", "value"] == pytest.approx(0.1)
    assert by.loc["rd_intensity_change_pp", "since_year"] == 2023


def test_china_has_no_share_of_itself():
    f = analysis(focus="CN").facts
    assert f.cn_intensity is None and f.share is None


def test_leading_provinces_and_chart_lines():
    a = analysis()
    assert a.leading == ["SH", "JS"]  # 2024 intensity 4.35 and 3.3 (Beijing has none in 2024)
    assert a.domestic == ["GD", "CN", "SH", "JS", "HK"]  # Korea is not domestic
    assert a.international == ["GD", "CN", "KOR"]
    assert analysis(top_provinces=0).leading == []


def test_international_standing_in_the_best_covered_year():
    a = analysis()
    standing = rd.international_standing(a.lines(a.international), "GD")
    # 2022 is the only year with all three: GD 3.4, CN 2.5, KOR 5.2
    assert (standing.year, standing.value) == (2022, 3.4)
    assert standing.above == ["KOR"] and standing.below == ["CN"]


def test_spend_ranking_uses_the_latest_complete_year():
    r = analysis().spend
    # 2024 has 2 of 4 peers (< 80 %): 2023 is the latest complete year
    assert r.year == 2023
    assert r.ranked.sort_values("rank")["region_code"].tolist() == ["GD", "JS", "BJ", "SH"]
    assert (r.focus_rank, r.focus_spend, r.leader) == (1, 4400, "GD")
    assert r.first_since == 2022  # first in 2022 and 2023
    assert (int(r.newer["year"]), r.newer_peers) == (2024, 2)


def test_cagr_table_only_regions_with_both_years():
    table = analysis().growth
    # GD 4000 -> 4840 (10 %), CN 30000 -> 36000 (1.2 ** 0.5 = 9.54 %), JS 3500 -> 4000
    # (1.142857 ** 0.5 = 6.90 %); Shanghai has no 2024 spending figure
    assert table["region_code"].tolist() == ["GD", "CN", "JS"]
    assert table["rd_expenditure_cagr_pct"].tolist() == pytest.approx(
        [10.0, 9.545, 6.904], abs=1e-3
    )
    assert table["confidence"].tolist() == ["secondary", "verified", "verified"]
    assert table["source_id"].iloc[0] == "nbs22;gd24"


def test_city_points_hollow_when_derived_or_unverified():
    a = analysis()
    points = a.cities.set_index(["region_code", "year"])
    assert points["is_hollow"].to_dict() == {
        ("SZ", 2022): False,
        ("SZ", 2023): True,
        ("GZ", 2023): True,
    }
    best, n = rd.best_city(a.cities)
    assert (best["region_code"], best["year"], n) == ("SZ", 2023, 2)  # SZ 6.0 > GZ 3.4 in 2023


def test_target_gap_and_first_year_reached():
    targets = pd.DataFrame(
        {
            "region_code": ["GD", "GD"],
            "indicator": ["rd_intensity_pct_gdp", "rd_expenditure_growth_pct_per_year"],
            "target_value": [3.5, 10.0],
            "target_year": [2025, 2025],
        }
    )
    row = rd.intensity_target(targets, "GD")
    assert row["target_value"] == 3.5
    check = rd.target_check(analysis().rd, row, 3.6, "GD")
    assert check.gap_pp == pytest.approx(0.1)
    assert int(check.first_reached["year"]) == 2023  # 3.5 in 2023
    assert rd.intensity_target(targets, "JS") is None
