"""Economy-level GII figures on tiny inline frames (counts and ranks typed from the sources)."""

import pandas as pd

from gba_report.analysis import economies


def _counts():
    # GII editions: China's count passes the US's in 2023 (24 vs 21); 2024 has no US figure
    return pd.DataFrame(
        {
            "edition": [2017, 2017, 2022, 2022, 2023, 2023, 2024],
            "economy_code": ["CN", "US", "CN", "US", "CN", "US", "CN"],
            "count": [7, 31, 21, 21, 24, 21, 26],
            "counts_with": [""] * 7,
            "source_id": ["s"] * 7,
            "confidence": ["secondary"] * 7,
        }
    )


def test_china_first_ahead_of_us_in_2023():
    assert economies.first_edition_ahead(_counts(), "CN", "US") == 2023
    wide = economies.per_economy_wide(_counts())
    assert list(wide.columns) == ["CN", "US"]
    assert pd.isna(wide.loc[2024, "US"])


def test_count_leaders_of_the_latest_edition():
    leaders = economies.count_leaders(_counts().query("edition <= 2023"))
    assert (leaders.edition, leaders.leader, leaders.leader_count) == (2023, "CN", 24)
    assert (leaders.second, leaders.second_count, leaders.ahead_since) == ("US", 21, 2023)
    only_cn = economies.count_leaders(_counts())  # 2024: China only
    assert (only_cn.leader, only_cn.second, only_cn.china_count) == ("CN", None, 26)


def test_per_economy_lines_have_segments_over_known_counts():
    lines = economies.per_economy_lines(_counts())
    assert lines.codes == ["CN"]  # the only economy with a 2024 count
    assert (lines.first_edition, lines.last_edition) == (2017, 2024)
    cn = lines.rows.loc[lines.rows["economy_code"] == "CN"]
    assert cn.groupby("segment")["edition"].agg(list).tolist() == [[2017], [2022, 2023, 2024]]


def test_economy_rank_change_uses_first_and_last_known():
    # GII: China 14th (2019) -> 10th (2025); Hong Kong 15th in 2025
    ranks = pd.DataFrame(
        {
            "edition": [2019, 2020, 2025, 2019, 2025, 2018],
            "economy_code": ["CHN", "CHN", "CHN", "HKG", "HKG", "CHE"],
            "gii_rank": [14, 14, 10, 13, 15, 1],
            "source_id": ["s"] * 6,
            "confidence": ["secondary"] * 6,
        }
    )
    lines = economies.economy_rank_lines(ranks, ["CHN", "HKG", "JPN"], 2019, 2025)
    assert lines.codes == ["CHN", "HKG"]
    assert economies.rank_change(lines, "CHN") == (2019, 14, 2025, 10)
    assert economies.rank_change(lines, "JPN") is None
    assert economies.latest_rank(lines, "HKG") == (2025, 15)
    assert economies.economy_rank_lines(ranks, ["CHN"], 2010, 2012).rows.empty


def test_a_count_on_another_basis_is_never_joined_by_a_line():
    # GII 2019: 19 clusters for China counted with Hong Kong and Taiwan (gii-cjrb-cncn-2019)
    counts = pd.DataFrame(
        {
            "edition": [2018, 2019, 2020, 2020],
            "economy_code": ["CN", "CN", "CN", "US"],
            "count": [16, 19, 17, 25],
            "counts_with": ["", "HK/TW", "", ""],
            "source_id": ["s"] * 4,
            "confidence": ["secondary"] * 4,
        }
    )
    rows = economies.per_economy_lines(counts).rows
    cn = rows.loc[rows["economy_code"] == "CN"]
    assert sorted(cn.groupby("segment")["edition"].agg(list).tolist()) == [[2018], [2019], [2020]]
