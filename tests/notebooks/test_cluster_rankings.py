"""cluster_rankings: the notebook runs in both languages with defaults and other parameters;
the output holds the key figures of the sources; zh-Hant has no English in headings, chart
labels or table headers.

Expected values are typed from the sources (WIPO GII 2025 blog; Yicai via Reportify for
Macao–Zhuhai's 98th place; its 2024 rank 100 read in China Patent Agent (H.K.)'s list of
first-time entrants), not taken from the code.
"""

import pytest
from notebook_runs import (
    LATIN,
    LATIN_WORD,
    build,
    chart_label_texts,
    report_fixtures,
    run_checked_notebook,
    run_report,
    table_headers,
)

from gba_report.reports.cluster_rankings import ClusterRankingsReport, ordinal

NOTEBOOK = "03_cluster_rankings.ipynb"


en, zh, reports = report_fixtures(ClusterRankingsReport)


def _report(lang, **kw):
    return run_report(ClusterRankingsReport, lang, **kw)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (98, "98th"),
    ],
)
def test_english_ordinals(n, text):
    assert ordinal(n, "en") == text
    assert ordinal(n, "zh-Hant") == f"第{n}位"


def test_headline_first_place_2025_after_second_everywhere(reports):
    en = reports["en"].headings()
    zh = reports["zh-Hant"].headings()
    # like for like: 2017-2019 ranked the narrower Shenzhen–Hong Kong cluster (GII 2020 merged
    # it with Guangzhou; data/gii_cluster_ranks.csv name_as_ranked)
    assert (
        "Shenzhen–Hong Kong–Guangzhou ranked 1st in 2025, after 2nd place in every edition "
        "from 2017 to 2024 (2017–2019 as Shenzhen–Hong Kong)" in en
    )
    assert (
        "「深圳—香港—廣州」集群於2025年排名第1位，此前2017至2024年各屆均排第2位"
        "（2017至2019年以「深圳—香港」列名）" in zh
    )


def test_macao_zhuhai_98_in_2025_and_100_in_2024(reports):
    en = " ".join(reports["en"].headings())
    zh = " ".join(reports["zh-Hant"].headings())
    assert "Macao–Zhuhai entered the top 100 in 2024 (100th) and ranked 98th in 2025" in en
    assert "第98位" in zh and "（第100位）" in zh and "推算" not in zh
    figs = reports["en"].key_figures()
    assert figs["macao_zhuhai_rank_latest"]["value"] == 98
    # the report records the first rank only while it is inferred; 100 is now read
    assert "macao_zhuhai_rank_first" not in figs


def test_2025_shares_and_vc_comparison(reports):
    # GII 2025 (Yicai Global / 21st Century Business Herald): 9.0 % PCT, 2.4 % publications,
    # 2.9 % VC deals for SZ-HK-GZ; Tokyo–Yokohama 2.2 % of VC deals (claim C23)
    text = " ".join(reports["en"].texts())
    assert (
        "9.0% of PCT applications, 2.4% of publications and 2.9% of venture-capital deals" in text
    )
    assert "(2.9%) was above that of Tokyo–Yokohama (2.2%)" in text


def test_2023_counts_and_economy_ranks(reports):
    text = " ".join(reports["en"].headings())
    # Visual Capitalist GII 2023 table: Tokyo–Yokohama 127,418 PCT; Beijing 279,485 articles
    assert "127,418" in text and "279,485" in text
    # GII economy ranks: China 22nd in 2017 (the 'GII 2017 at a glance' list, Science|Business)
    # -> 10th (2025); Hong Kong 15th in 2025
    assert "China rose from 22nd in 2017 to 10th in 2025" in text
    assert "Hong Kong ranked 15th in 2025" in text
    # 2025: 24 Chinese clusters, 22 US
    assert "24 of the top 100" in text


def test_every_chart_and_table_has_a_source_line(reports):
    for report in reports.values():
        texts = report.texts()
        n_sources = sum(t.startswith(("Source", "資料來源")) for t in texts)
        assert n_sources >= len(report.figures()) + 2  # + methodology, top-N, entry tables


def test_zh_hant_has_no_english_in_headings_charts_or_table_headers(reports):
    report = reports["zh-Hant"]
    for heading in report.headings():
        assert not LATIN.search(heading), heading
    for header in table_headers(report.outputs):
        assert not LATIN.search(header), header
    assert len(report.figures()) == 5
    for fig in report.figures():
        strict, loose = chart_label_texts(fig)
        for text in strict:
            assert not LATIN.search(text), text
        for text in loose:
            assert not LATIN_WORD.search(text), text


def test_other_parameters_narrow_window_and_top_n():
    report = _report(
        "en", highlight=["beijing", "seoul"], first_edition=2018, last_edition=2024, top_n=5
    )
    heads = report.headings()
    # no GBA cluster highlighted: the focus is still SZ-HK-GZ (first GBA cluster with ranks)
    assert (
        "Shenzhen–Hong Kong–Guangzhou ranked 2nd in every edition from 2018 to 2024 "
        "(2018–2019 as Shenzhen–Hong Kong)" in heads
    )
    # the window ends in 2024: Macao–Zhuhai's only rank is the 100th (read, not inferred)
    assert "Macao–Zhuhai ranked 100th in 2024" in heads
    assert any("tops the 2024 ranking" in h and "top 5" in h for h in heads)
    assert report.key_figures()["gba_cluster_rank_latest"]["value"] == 2


def test_unknown_cluster_or_reversed_window_is_refused():
    with pytest.raises(ValueError, match="unknown cluster"):
        build(ClusterRankingsReport, "en", highlight=["atlantis"])
    with pytest.raises(ValueError, match="first_edition"):
        build(ClusterRankingsReport, "en", first_edition=2025, last_edition=2017)


def test_thin_windows_leave_out_what_has_no_data_instead_of_failing():
    # 2017 economy ranks came with the 2026-12 additions ('GII 2017 at a glance', Science|Business:
    # China 22nd), so a 2017-only window draws them; in 2021 only the US count was found
    early = _report("en", first_edition=2017, last_edition=2017)
    econ = early.sections["economy_ranks"].data.set_index("economy_code")
    assert econ.loc["CHN", "gii_rank"] == 22
    late = _report("en", first_edition=2020, last_edition=2021)
    per_economy = late.sections["clusters_per_economy"]
    assert per_economy.figure is not None and per_economy.headings() == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "params"),
    [
        ("en", {}),
        ("zh-Hant", {}),
        ("en", {"first_edition": 2019, "last_edition": 2024, "top_n": 5}),
        ("zh-Hant", {"highlight": ["macao_zhuhai", "beijing"], "top_n": 15}),
    ],
)
def test_notebook_runs_and_shows_key_figures(tmp_path, lang, params):
    text, heads, figs = run_checked_notebook(
        NOTEBOOK, ClusterRankingsReport, tmp_path, lang, **params
    )
    last = params.get("last_edition", 2025)
    if last == 2025:
        assert figs["gba_cluster_rank_latest"]["value"] == 1
        if "highlight" not in params:
            assert ("ranked 1st in 2025" if lang == "en" else "於2025年排名第1位") in text
        else:  # Macao–Zhuhai highlighted first: it is the focus of the headline
            assert "「澳門—珠海」集群於2025年排名第98位，較2024年的第100位上升" in heads
    else:
        assert figs["gba_cluster_rank_latest"]["value"] == 2
    if last == 2025:
        assert figs["macao_zhuhai_rank_latest"]["value"] == 98
        assert ("98th" if lang == "en" else "第98位") in text


def test_china_2019_count_on_another_basis_is_named(reports):
    # The 2019 source counts mainland China, Hong Kong and Taiwan together (19), so the caption
    # must say so in both languages; 2020 onwards it does not apply.
    en = " ".join(reports["en"].texts())
    assert "The 2019 count for China also includes clusters in Hong Kong and Taiwan" in en
    zh = " ".join(reports["zh-Hant"].texts())
    assert "2019年中國的數目按來源計法亦包括香港和台灣的集群" in zh
