"""The cluster-ranking analysis on a tiny inline frame.

Ranks typed from the sources (WIPO GII 2025 blog; Macao–Zhuhai 98th in 2025, 100th inferred in
2024); the other rows are made up for the test.
"""

import pandas as pd
import pytest

from gba_report.analysis import clusters as ci


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
    df["source_id"] = "gii"
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
    assert story.previous_rank == 2


def test_rank_story_respects_the_edition_window():
    story = ci.rank_story(_ranks(), "szhkgz", 2017, 2024)
    assert (story.latest_edition, story.latest_rank) == (2024, 2)
    assert story.previous_rank == 2
    with pytest.raises(ValueError):
        ci.rank_story(_ranks(), "macao", 2017, 2023)


def test_macao_zhuhai_entry_100_inferred_then_98():
    e = ci.entry(_ranks(), "macao")
    assert (e.first_edition, e.first_rank, e.first_is_inferred) == (2024, 100, True)
    assert (e.latest_edition, e.latest_rank) == (2025, 98)
    assert e.places_gained == 2


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
    # Macao–Zhuhai (98, 100) is far below the top 10: the lower panel, one segment 2024-2025
    macao = bf.loc[bf.cluster_code == "macao"]
    assert set(macao["panel"]) == {"lower"} and set(macao["segment"]) == {0}
    assert ci.main_panel_ranks(bf, 10) == 10


def test_bump_frame_keeps_a_near_highlighted_rank_in_the_main_panel():
    # Shanghai 11th in 2019, highlighted: within 8 places of the top 10, so the panel grows
    bf = ci.bump_frame(_ranks(), 2017, 2025, 10, ["shanghai"])
    assert ci.main_panel_ranks(bf, 10) == 11
    assert bf.loc[bf.cluster_code == "shanghai", "panel"].tolist() == ["main"]


def test_bump_segments_break_at_missing_editions():
    ranks = _ranks()
    gap = ranks[~((ranks.cluster_code == "tokyo") & ranks.edition.isin([2020, 2021]))]
    bf = ci.bump_frame(gap, 2017, 2025, 10, ["tokyo"])
    tokyo = bf.loc[bf.cluster_code == "tokyo"].sort_values("edition")
    # 2017-2019, then 2022-2025: two lines, never one across 2020-2021
    assert tokyo.groupby("segment")["edition"].agg(list).tolist() == [
        [2017, 2018, 2019],
        [2022, 2023, 2024, 2025],
    ]


def test_annotated_changes_are_the_major_ones_inside_window():
    meth = pd.DataFrame(
        {
            "edition": [2017, 2018, 2020, 2023, 2024, 2025, 2025],
            "change_code": [
                "first_ranking_pct_only",
                "publications_added",
                "shenzhen_hong_kong_guangzhou_merged",
                "ranked_by_combined_share",
                "no_major_change",
                "vc_deals_added",
                "equal_weighting",
            ],
        }
    )
    assert ci.annotated_changes(meth, 2017, 2025) == {
        2018: "publications_added",
        2020: "shenzhen_hong_kong_guangzhou_merged",
        2023: "ranked_by_combined_share",  # the table's 2023 change has its dotted line too
        2025: "vc_deals_added",
    }
    assert ci.annotated_changes(meth, 2019, 2022) == {2020: "shenzhen_hong_kong_guangzhou_merged"}


def test_focus_newcomer_and_shares_comparison():
    ranks = _ranks()
    clusters = pd.DataFrame(
        {
            "cluster_code": ["szhkgz", "macao", "tokyo"],
            "is_gba": [True, True, False],
            "economy_codes": ["CN/HK", "MO/CN", "JP"],
        }
    )
    gba = ci.gba_codes(clusters, ranks)
    assert gba == ["szhkgz", "macao"]  # 9 ranks before 2
    window = ci.editions_between(ranks, 2017, 2025)
    assert ci.focus_cluster(window, ["tokyo", "macao"], gba) == "macao"  # first highlighted GBA
    assert ci.focus_cluster(window, ["tokyo"], gba) == "szhkgz"
    assert ci.newcomer(window, gba) == "macao"
    assert ci.gba_and_top(window, gba, 2) == ["szhkgz", "macao", "tokyo"]
    compared = ci.share_comparison(ci.shares_long(ranks, 2025), "szhkgz")
    assert compared.shares["vc_deals_share_pct"] == 2.9
    assert (compared.other, compared.other_vc) == ("tokyo", 2.2)
    assert ci.economies_in_top(ci.top_n(ranks, 2025, 2), clusters) == [("CN", 1), ("JP", 1)]


def test_name_runs_split_the_editions_by_the_name_ranked_under():
    # GII 2017-2019 ranked "Shenzhen–Hong Kong"; GII 2020 merged it with Guangzhou
    # (data/gii_methodology.csv, gii-hnwzzzx-2020): the headline says so, like for like
    ranks = _ranks()
    ranks["name_as_ranked"] = [
        "Shenzhen–Hong Kong" if (c == "szhkgz" and e <= 2019) else f"{c} name"
        for e, c in zip(ranks["edition"], ranks["cluster_code"], strict=True)
    ]
    ranks.loc[(ranks.cluster_code == "szhkgz") & (ranks.edition >= 2020), "name_as_ranked"] = (
        "Shenzhen–Hong Kong–Guangzhou"
    )
    assert ci.name_runs(ranks, "szhkgz", range(2017, 2025)) == [
        ("Shenzhen–Hong Kong–Guangzhou", 2020, 2024),
        ("Shenzhen–Hong Kong", 2017, 2019),
    ]
    assert ci.name_runs(ranks, "szhkgz", range(2021, 2025)) == [
        ("Shenzhen–Hong Kong–Guangzhou", 2021, 2024)
    ]
