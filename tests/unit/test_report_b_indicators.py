"""Unit tests of the pure functions behind cross_border_funding and cluster_rankings.

Expected values are worked by hand from the source figures, not produced by the code.
"""

import datetime as dt

import pandas as pd
import pytest

from gba_report.analysis import clusters as ci
from gba_report.analysis import funding as fi

# ----------------------------------------------------------------- cross-border funding


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


def test_growth_between_300m_mid_2022_and_460m_nov_2023_is_about_37pct_a_year():
    # 30 Jun 2022 -> 6 Nov 2023 = 365 + 129 = 494 days = 1.3525 years;
    # (460/300) ** (1/1.3525) = exp(0.42744 / 1.3525) = exp(0.31604) = 1.3717
    ms = fi.cumulative_milestones(fi.with_dates(_events()))
    g = fi.growth_between_milestones(ms)
    assert g is not None
    assert g.years == pytest.approx(494 / 365.25)
    assert g.increase == pytest.approx(160.0)
    assert g.annual_rate_pct == pytest.approx(37.17, abs=0.05)
    assert g.annual_increase == pytest.approx(160 / 1.3525, abs=0.1)
    # both figures are "over" figures: the rate is an approximation, not a bound
    assert g.kind == "approximation"
    assert not g.is_bound


def test_growth_kinds():
    exact = fi.implied_growth(100, dt.date(2020, 1, 1), 121, dt.date(2022, 1, 1))
    assert exact.kind == "exact"
    assert exact.annual_rate_pct == pytest.approx(10.0, abs=0.01)
    lower = fi.implied_growth(
        100, dt.date(2020, 1, 1), 121, dt.date(2022, 1, 1), end_is_lower_bound=True
    )
    assert lower.kind == "lower_bound"
    with pytest.raises(ValueError):
        fi.implied_growth(100, dt.date(2022, 1, 1), 121, dt.date(2020, 1, 1))


def test_rate_implied_by_scmp_pair_and_conversion():
    # SCMP Aug 2019: RMB 38 m = HK$42.27 m -> 42.27 / 38 = 1.11237 HKD per RMB
    rate = fi.rate_from_pair(38, 42.27, "2019-08", "scmp")
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
    shares = fi.gerd_shares(_gerd(), 2024)
    assert list(shares["sector"]) == ["higher_education", "business", "government"]
    assert shares["share_pct"].round(2).tolist() == [56.06, 38.87, 5.07]
    assert fi.latest_year_with_sectors(_gerd()) == 2024
    assert fi.break_years(_gerd()) == [2018]


def test_cagr_doubling_in_seven_years_is_about_10_4pct():
    # 2 ** (1/7) = 1.10409
    assert fi.cagr_pct(100, 200, 7) == pytest.approx(10.41, abs=0.01)


# ----------------------------------------------------------------------- cluster ranks


def _ranks():
    rows = []
    for ed in range(2017, 2025):
        rows.append((ed, 2, "szhkgz", False, "secondary"))
        rows.append((ed, 1, "tokyo", False, "secondary"))
    rows += [
        (2025, 1, "szhkgz", False, "verified"),
        (2025, 2, "tokyo", False, "verified"),
        (2019, 4, "beijing", False, "secondary"),
        (2019, 11, "shanghai", False, "secondary"),
        (2024, 100, "macao", True, "unverified"),
        (2025, 98, "macao", False, "secondary"),
    ]
    df = pd.DataFrame(
        rows, columns=["edition", "rank", "cluster_code", "is_inferred", "confidence"]
    )
    df["pct_applications_count"] = float("nan")
    df["scientific_publications_count"] = float("nan")
    for col in ci.SHARE_COLUMNS:
        df[col] = float("nan")
    df.loc[(df.edition == 2025) & (df.cluster_code == "szhkgz"), list(ci.SHARE_COLUMNS)] = [
        9.0,
        2.4,
        2.9,
    ]
    df.loc[(df.edition == 2025) & (df.cluster_code == "tokyo"), "pct_share_pct"] = 10.3
    df.loc[(df.edition == 2025) & (df.cluster_code == "tokyo"), "vc_deals_share_pct"] = 2.2
    df.loc[(df.edition == 2023) & (df.cluster_code == "tokyo"), "pct_applications_count"] = 127418
    df.loc[(df.edition == 2023) & (df.cluster_code == "tokyo"), "scientific_publications_count"] = (
        115020
    )
    return df


def test_rank_story_first_place_after_second_in_every_edition():
    story = ci.rank_story(_ranks(), "szhkgz", 2017, 2025)
    assert (story.latest_edition, story.latest_rank) == (2025, 1)
    assert (story.previous_first, story.previous_last) == (2017, 2024)
    assert story.previous_ranks == (2,)
    assert story.same_rank_every_previous_edition
    assert story.first_time_best


def test_rank_story_respects_the_edition_window():
    story = ci.rank_story(_ranks(), "szhkgz", 2017, 2024)
    assert (story.latest_edition, story.latest_rank) == (2024, 2)
    assert not story.first_time_best
    with pytest.raises(ValueError):
        ci.rank_story(_ranks(), "macao", 2017, 2023)


def test_macao_zhuhai_entry_100_inferred_then_98():
    e = ci.entry(_ranks(), "macao")
    assert (e.first_edition, e.first_rank, e.first_is_inferred) == (2024, 100, True)
    assert (e.latest_edition, e.latest_rank) == (2025, 98)
    assert e.places_gained == 2
    assert e.consecutive == 2


def test_segments_never_bridge_a_gap():
    assert ci.consecutive_segments([2020, 2017, 2018]) == [[2017, 2018], [2020]]
    assert ci.consecutive_segments([]) == []


def test_top_n_and_complete_prefix():
    assert ci.max_complete_top_n(_ranks(), 2019) == 2  # ranks 1, 2, 4, 11 found
    assert list(ci.top_n(_ranks(), 2025, 5)["cluster_code"]) == ["szhkgz", "tokyo"]


def test_shares_keep_unknown_as_missing_not_zero():
    long = ci.shares_long(_ranks(), 2025)
    assert set(long["cluster_code"]) == {"szhkgz", "tokyo"}  # macao has no known share
    tokyo = long[long.cluster_code == "tokyo"].set_index("metric")["share_pct"]
    assert tokyo["pct_share_pct"] == 10.3
    assert pd.isna(tokyo["publications_share_pct"])
    assert ci.latest_edition_with_shares(_ranks()) == 2025


def test_counts_for_edition_needs_both_counts():
    assert list(ci.counts_for_edition(_ranks(), 2023)["cluster_code"]) == ["tokyo"]
    assert ci.latest_edition_with_counts(_ranks()) == 2023


def test_bump_frame_keeps_top_ranks_and_highlighted_clusters():
    bf = ci.bump_frame(_ranks(), 2017, 2025, 10, ["macao"])
    assert 100 in set(bf["rank"])  # highlighted, shown even outside the top 10
    assert 11 not in set(bf["rank"])  # not highlighted and outside the top 10
    assert bf.loc[bf.cluster_code == "macao", "is_highlighted"].all()


def test_china_first_ahead_of_us_in_2023():
    counts = pd.DataFrame(
        {
            "edition": [2017, 2017, 2022, 2022, 2023, 2023, 2024],
            "economy_code": ["CN", "US", "CN", "US", "CN", "US", "CN"],
            "count": [7, 31, 21, 21, 24, 21, 26],
        }
    )
    assert ci.first_edition_ahead(counts, "CN", "US") == 2023
    wide = ci.per_economy_wide(counts)
    assert list(wide.columns) == ["CN", "US"]
    assert pd.isna(wide.loc[2024, "US"])


def test_economy_rank_change_uses_first_and_last_known():
    er = pd.DataFrame(
        {
            "edition": [2019, 2020, 2025, 2019, 2025],
            "economy_code": ["CHN", "CHN", "CHN", "HKG", "HKG"],
            "gii_rank": [14, 14, 10, 13, 15],
        }
    )
    wide = ci.economy_rank_wide(er, ["CHN", "HKG", "JPN"], 2019, 2025)
    assert list(wide.columns) == ["CHN", "HKG"]
    assert ci.rank_change(wide, "CHN") == (2019, 14, 2025, 10)
    assert ci.rank_change(wide, "JPN") is None


def test_annotated_changes_are_the_major_ones_inside_window():
    meth = pd.DataFrame(
        {
            "edition": [2017, 2018, 2020, 2024, 2025, 2025],
            "change_code": [
                "first_ranking_pct_only",
                "publications_added",
                "shenzhen_hong_kong_guangzhou_merged",
                "no_major_change",
                "vc_deals_added",
                "equal_weighting",
            ],
        }
    )
    assert ci.annotated_changes(meth, 2017, 2025) == {
        2018: "publications_added",
        2020: "shenzhen_hong_kong_guangzhou_merged",
        2025: "vc_deals_added",
    }
    assert ci.annotated_changes(meth, 2019, 2024) == {2020: "shenzhen_hong_kong_guangzhou_merged"}


# ------------------------------------------------------------------------- label wrapping


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("向香港科技大學撥付316.96萬元（文章數字）‡", "316.96萬元"),
        ("5.6億元大灣區其他城市科研資金過境到香港（文章數字）‡", "5.6億元"),
        ("RMB 3.1696 m to HKUST (article figure) ‡", "3.1696"),
    ],
)
def test_wrap_label_never_breaks_numbers_or_strands_marks(text, kept):
    from gba_report.present.plots_b import wrap_label

    wrapped = wrap_label(text, 22)
    lines = wrapped.split("\n")
    assert any(kept in line for line in lines)
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace(" ", "")
    for line in lines[1:]:
        assert line[0] not in "，。、）」》‡†"  # no line starts with closing punctuation/mark
    assert min(len(line) for line in lines) >= 3  # balanced: no orphan character


def test_wrap_label_keeps_short_labels_on_one_line():
    from gba_report.present.plots_b import wrap_label

    assert wrap_label("Central S&T funds", 22) == "Central S&T funds"
