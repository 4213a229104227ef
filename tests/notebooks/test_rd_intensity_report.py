"""rd_intensity: the report class run section by section (no kernel), both languages."""

import pytest
from notebook_runs import build, report_fixtures, run_report

from gba_report.reports.rd_intensity import RDIntensityReport

en, zh, reports = report_fixtures(RDIntensityReport)


def run(lang="en", **params):
    return run_report(RDIntensityReport, lang, **params)


def test_headline_states_guangdong_2024_finding_in_english(en):
    # Guangdong 2024: 3.60 % (NBS 2024 communiqué), China 2.69 %
    assert (
        en.headings()[0] == "Guangdong's R&D intensity reached 3.60% in 2024, above China's 2.69%"
    )


def test_headline_states_guangdong_2024_finding_in_chinese(zh):
    assert zh.headings()[0] == "廣東2024年研發投入強度達3.60%，高於全國的2.69%"


def test_spend_formats_from_the_source(en, zh):
    # 5,099.6 億元 = RMB 509.96 bn
    assert any("RMB 509.96 bn" in t for t in en.texts())
    assert any("5,099.6億元" in t for t in zh.texts())


def test_target_gap_and_first_year_reached(en):
    # 3.60 - 3.5 = 0.10 pp; on the revised GDP basis 2023 is 3.48 % (2024 communique), so 2024
    # is the first year at or above 3.5 %; the first-released 3.54 % for 2023 passed it only on
    # the earlier basis
    text = " ".join(en.headings() + en.texts())
    assert "0.10 pp above its target of 3.5% for 2025" in text
    assert "it was first reached in 2024, at 3.60%" in text
    assert "reached in 2023 (3.54%) holds only on the earlier basis" in text


def test_key_figures_are_computed(en):
    kf = en.key_figures()
    assert kf["focus_rd_intensity_pct_latest"]["value"] == pytest.approx(3.6)
    assert kf["focus_rd_expenditure_rmb_100m_latest"]["value"] == pytest.approx(5099.6)
    assert kf["china_rd_intensity_pct_latest"]["value"] == pytest.approx(2.69)
    assert kf["focus_rank_expenditure_latest"]["value"] == 1
    # 5099.6 / 4802.6 - 1 = 6.18 %
    assert kf["focus_rd_growth_pct_latest"]["value"] == pytest.approx(6.18, abs=0.01)
    # 5099.6 / 36326.8 = 14.04 %
    assert kf["focus_share_of_china_pct_latest"]["value"] == pytest.approx(14.04, abs=0.01)
    assert kf["focus_gap_to_target_pp"]["value"] == pytest.approx(0.1)


def test_every_chart_has_a_caption_and_source_line(en):
    kinds = [type(o).__name__ for o in en.outputs]
    htmls = [getattr(o, "html", "") for o in en.outputs]
    for i, kind in enumerate(kinds):
        if kind == "Figure":
            assert 'class="gba-caption"' in htmls[i + 1]
            assert 'class="gba-source"' in htmls[i + 2]
    assert kinds.count("Figure") >= 7


def test_secondary_figures_are_marked(en):
    assert any("† secondary source" in t for t in en.texts())


def test_series_breaks_are_marked(en):
    text = " ".join(en.texts())
    assert "Series breaks" in text and "Guangdong 2023" in text and "Hong Kong 2018" in text
    assert "From 2018 the Census and Statistics Department" in text


def test_cities_are_points_never_lines(en):
    fig = en.figures()[-2]  # cities chart comes before Hong Kong's sectors
    ax = fig.axes[0]
    assert "Shenzhen" in [t.get_text() for t in ax.get_legend().get_texts()]
    # the only line is the provincial reference, the cities are scatter collections
    assert len(ax.get_lines()) == 1
    assert len(ax.collections) >= 5


def test_sources_section_lists_caveats_and_sources(en):
    assert "Caveats and sources" in en.headings()
    sources = en.outputs[-1].html
    # origins only: publisher and the date published (where the project read it is not shown)
    assert "National Bureau of Statistics" in sources and "published" in sources
    assert "accessed" not in sources


def test_zh_hant_headings_charts_and_tables_have_no_english(
    zh, no_latin, chart_texts, table_headers
):
    no_latin(zh.headings(), "headings")
    no_latin(chart_texts(zh), "chart labels")
    no_latin(table_headers(zh), "table headers")


def test_other_parameters_jiangsu_2015_2023(no_latin, chart_texts):
    report = run(lang="zh-Hant", focus_region="JS", start_year=2015, end_year=2023)
    heads = report.headings()
    # Jiangsu 2023 at its latest vintage: 3.22 % revised in the 2024 communique (first release
    # 3.29 %), China 2.58 % (first release 2.65 %), both on the revised GDP basis
    assert heads[0] == "江蘇2023年研發投入強度達3.22%，高於全國的2.58%"
    assert report.key_figures()["focus_rd_expenditure_rmb_100m_latest"]["value"] == 4212.3
    no_latin(heads, "headings")
    no_latin(chart_texts(report), "chart labels")
    en = run(lang="en", focus_region="JS", start_year=2015, end_year=2023)
    # Jiangsu 2023 spend 4,212.3 億元 = RMB 421.23 bn; 2nd after Guangdong
    assert any("RMB 421.23 bn" in h and "No. 2" in h and "Guangdong" in h for h in en.headings())


def test_start_after_end_is_refused():
    with pytest.raises(ValueError, match="start_year"):
        build(RDIntensityReport, "en", start_year=2020, end_year=2015)
    with pytest.raises(ValueError, match="Unknown region"):
        build(RDIntensityReport, "en", comparators=["HK", "ATLANTIS"])


def test_from_notebook_overrides_the_notebook_defaults():
    report = RDIntensityReport.from_notebook("en", focus_region="SH")
    assert report.focus == "SH" and report.analysis.start_year == 2010


def test_intensity_heading_compares_like_with_like(en, zh):
    # NBS communiques, Guangdong: 1.96 % (2011) and 3.54 % (2023, first release) on GDP before the
    # 5th economic census; 3.48 % (2023 revised) and 3.60 % (2024) after it (2024 communique
    # 附表2, additions-2026-12/rd_china_provinces_2024.csv). 3.54 - 1.96 = 1.58; 3.60 - 3.48 = 0.12.
    # Never 3.60 - 1.96 = 1.64 across the two bases.
    assert en.headings()[1] == (
        "Guangdong's R&D intensity rose from 1.96% in 2011 (GDP before the 5th national economic"
        " census revision) to 3.60% in 2024 (GDP revised after the 5th national economic census)"
    )
    text = " ".join(en.texts())
    assert (
        "up 1.58 pp from 2011 to 2023 on GDP before the 5th national economic census revision"
        " (1.96% to 3.54%); up 0.12 pp from 2023 to 2024 on GDP revised after the 5th national"
        " economic census (3.48% to 3.60%)"
    ) in text
    assert "1.64" not in " ".join(en.headings() + en.texts())
    assert zh.headings()[1] == (
        "廣東研發投入強度由2011年的1.96%（第五次全國經濟普查修訂前的生產總值）"
        "升至2024年的3.60%（第五次全國經濟普查修訂後的生產總值）"
    )
    assert "由2023年的3.48%至2024年的3.60%，上升0.12個百分點" in "".join(zh.texts())


def test_intensity_heading_on_one_basis_keeps_the_change():
    # Shanghai 2012 3.37 % -> 2022 4.44 % (NBS communiques, one GDP basis): +1.07 pp
    sh = run(focus_region="SH", start_year=2012, end_year=2022)
    assert sh.headings()[1] == (
        "Shanghai's R&D intensity rose from 3.37% in 2012 to 4.44% in 2022 (up 1.07 pp)"
    )


def test_cities_are_compared_in_one_year_on_one_basis(en, zh):
    # Shenzhen 6.46 % and Guangzhou 3.44 % in 2023 (the latest year with two cities, both on GDP
    # before the 5th census); Shenzhen 2024 6.67 % (additions-2026-12/rd_gba_cities_2012_2024.csv)
    # is on the revised GDP basis and has no other city beside it
    heading = next(h for h in en.headings() if h.startswith("Shenzhen"))
    assert heading == (
        "Shenzhen had the highest R&D intensity of the Greater Bay Area's mainland cities with"
        " figures for 2023: 6.46%, against Guangzhou's 3.44%; its latest figure is 6.67% for 2024"
    )
    assert (
        "在有2023年數字的大灣區內地城市中，深圳研發投入強度最高，為6.46%（廣州3.44%）；其最新數字為2024年的6.67%"
        in (zh.headings())
    )
    # 2019: Shenzhen 4.93 %, Zhuhai 3.15 %, Dongguan 3.06 % (Guangdong 2019 communique, as quoted)
    early = run(start_year=2012, end_year=2020)
    assert (
        "Shenzhen had the highest R&D intensity of the Greater Bay Area's mainland cities with"
        " figures for 2019: 4.93%, against Zhuhai's 3.15% and Dongguan's 3.06%"
    ) in early.headings()
