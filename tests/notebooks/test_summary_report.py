"""summary: the executive brief built from the three report classes, both languages."""

import re

import pytest
from notebook_runs import build, report_fixtures, run_report

from gba_report.reports.summary import SummaryReport, first_sentence

en, zh, reports = report_fixtures(SummaryReport)


def run(lang="en", **params):
    return run_report(SummaryReport, lang, **params)


def test_brief_holds_the_key_figures_of_the_three_reports(en):
    text = " ".join(en.headings() + en.texts())
    assert "3.60%" in text and "2.69%" in text  # Guangdong / China 2024
    assert "RMB 509.96 bn" in text
    assert "over RMB 460 m" in text  # cumulative cross-border disbursement
    assert "Shenzhen–Hong Kong–Guangzhou" in text


def test_brief_in_chinese_holds_the_key_figures(zh):
    text = " ".join(zh.headings() + zh.texts())
    assert "廣東2024年研發投入強度達3.60%，高於全國的2.69%" in text
    assert "5,099.6億元" in text
    assert "4.6億元人民幣" in text


def test_one_chart_per_analysis(en):
    assert len(en.figures()) == 3


def test_claims_table_counts_and_status(en):
    # article-figures.md: C4 corrected; C1, C2, C3, C5, C14, C15, C23 confirmed; since then
    # (additions-2026-12) C8 (four '1+1+1' pairs, Aug 2025) and C18 (科技日报, Jul 2025) too
    assert (
        "Of the article's 23 quantitative claims, 9 are confirmed by other sources, "
        "1 needs correcting and 13 could not be verified" in en.headings()
    )
    claims = next(o for o in en.outputs if "gba-claims" in getattr(o, "html", ""))
    assert claims.html.count("<tr>") == 1 + 23
    assert "gba-status-corrected" in claims.html


def test_claims_filter_by_status():
    section = build(SummaryReport, "zh-Hant", claim_status=["corrected"]).claims()
    table = next(o for o in section.blocks if "gba-claims" in getattr(o, "html", ""))
    assert table.html.count("<tr>") == 1 + 1
    assert "5,099.6" in table.html or "5,099.61" in table.html


def test_key_figures_merge_the_three_reports_and_claim_counts(en):
    kf = en.key_figures()
    assert kf["focus_rd_intensity_pct_latest"]["value"] == pytest.approx(3.6)
    assert kf["claims_corrected"]["value"] == 1
    assert kf["claims_confirmed"]["value"] == 9


def test_zh_hant_headings_charts_and_tables_have_no_english(
    zh, no_latin, chart_texts, table_headers
):
    no_latin(zh.headings(), "headings")
    no_latin(chart_texts(zh), "chart labels")
    no_latin(table_headers(zh), "table headers")


def test_unknown_claim_status_is_refused():
    with pytest.raises(ValueError, match="maybe"):
        build(SummaryReport, "en", claim_status=["maybe"])


def test_key_figures_of_the_brief_are_the_full_reports_figures(en):
    # the brief records all of the R&D report's figures and named ones of the other two
    kf = en.key_figures()
    rd = en.report.rd.key_figures()
    assert {k: kf[k] for k in rd} == rd
    assert kf["crossborder_cumulative_rmb_million_latest"]["value"] == 460
    assert kf["gba_cluster_rank_latest"]["value"] == 1
    assert kf["macao_zhuhai_rank_latest"]["value"] == 98
    assert "milestones_shown" not in kf and "china_gii_rank_latest" not in kf


def test_key_figures_are_boxes_with_confidence_marks(en, zh):
    for report in (en, zh):
        grid = next(o for o in report.outputs if "gba-kf-grid" in getattr(o, "html", ""))
        assert grid.html.count('class="gba-kf"') == 4  # three analyses + the claims check
        assert '<sup class="gba-mark">' in grid.html  # secondary figures are marked
        assert "gba-status-corrected" in grid.html
    grid = next(o for o in en.outputs if "gba-kf-grid" in getattr(o, "html", ""))
    assert "3.60%" in grid.html and "RMB 509.96 bn" in grid.html


def test_chart_source_lines_are_short_and_name_the_main_publisher_first(en, zh):
    lines = [o.html for o in en.outputs if "gba-chart-notes" in getattr(o, "html", "")]
    assert len(lines) == 4  # three charts + the claims table
    bump = next(h for h in lines if "GII edition" in h)
    assert "Sources: World Intellectual Property Organization (WIPO);" in bump
    assert "more (see Sources at the end)" in bump
    for report in (en, zh):
        for out in report.outputs:
            if "gba-chart-notes" in getattr(out, "html", ""):
                source = out.markdown.split("\n\n")[-1]
                assert len(source) < 260, source


def test_claims_table_is_compact_and_never_alters_figures(en, zh):
    table = next(o for o in en.outputs if "gba-claims" in getattr(o, "html", ""))
    # first sentence shown, the whole finding kept as the tooltip
    assert "WIPO's GII 2025 ranks Shenzhen–Hong Kong–Guangzhou 1st" in table.html
    assert "The cluster had been 2nd in every edition" not in table.markdown
    assert "Prof. Qian Peiyuan" in table.markdown  # no cut after an abbreviation
    zh_table = next(o for o in zh.outputs if "gba-claims" in getattr(o, "html", ""))
    assert "5,099.61億元" in zh_table.markdown


def test_brief_sources_are_one_paragraph_pointing_to_the_full_reports(en, zh):
    assert "Sources" in en.headings()
    text = " ".join(en.texts())
    assert "“Caveats and sources”" in text
    assert "Publishers of the figures shown" in text
    assert "資料來源" in zh.headings()
    assert "「注意事項與資料來源」" in " ".join(zh.texts())
    for report in (en, zh):
        section = next(o for o in report.outputs if "gba-sources-compact" in getattr(o, "html", ""))
        assert "<ul" not in section.html and "<h3" not in section.html


@pytest.mark.parametrize(
    ("text", "lang", "first"),
    [
        ("One. Two.", "en", "One."),
        ("Gives 3.6% (+0.12 pp). Then more.", "en", "Gives 3.6% (+0.12 pp)."),
        ("SCMP: went to Prof. Qian at HKUST. More.", "en", "SCMP: went to Prof. Qian at HKUST."),
        ("A (6 Nov. Year unknown) b. C.", "en", "A (6 Nov. Year unknown) b."),
        ("Only one sentence", "en", "Only one sentence"),
        ("甲（乙。丙）丁。戊。", "zh-Hant", "甲（乙。丙）丁。"),
    ],
)
def test_first_sentence(text, lang, first):
    assert first_sentence(text, lang) == first


def test_claims_table_dates_each_figure(en, zh):
    # additions-2026-12/crossborder_and_claims_2019_2025.csv: C9 over 60 experiments (2023-12-12,
    # People's Daily Overseas Edition) and 76 (2024-10-26, the CSNS director); C6 all-Mainland
    # totals over RMB 440 m (end-June 2021) and over RMB 750 m (2023-04-15); C12 nothing found
    table = next(o for o in en.outputs if "gba-claims" in getattr(o, "html", "")).html
    rows = {re.match(r"<td[^>]*>(C\d+)", r).group(1): r for r in table.split("<tr>")[2:]}
    assert "(12 Dec 2023; 26 Oct 2024)" in rows["C9"]
    assert "(30 Jun 2021; 15 Apr 2023)" in rows["C6"]
    assert 'class="gba-verdict">(' not in rows["C12"]
    zh_table = next(o for o in zh.outputs if "gba-claims" in getattr(o, "html", "")).html
    assert "數字日期：2023年12月12日；2024年10月26日。" in zh_table
    data = en.sections["claims"].data.set_index("claim_id")["figure_dates"]
    assert data["C9"] == "2023-12-12;2024-10-26"


def test_publishers_counted_alike_in_both_languages(en, zh):
    # one publisher is one publisher in either language (Global Times was 環球時報 and
    # 《環球時報》, Yicai Global 第一財經（英文版） and 第一財經環球 in zh-Hant)
    en_n = re.search(r"Publishers of the figures shown \((\d+)\)", " ".join(en.texts()))
    zh_text = " ".join(zh.texts())
    zh_n = re.search(r"所示數字的發布機構（(\d+)個）", zh_text)
    assert en_n and zh_n and en_n.group(1) == zh_n.group(1)
    assert "《環球時報》" not in zh_text and "第一財經環球" not in zh_text
