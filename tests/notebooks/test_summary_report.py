"""summary: the executive brief built from the three report classes, both languages."""

import pytest

from gba_report.reports.summary import SummaryReport

SECTIONS = (
    "intro",
    "rd_intensity",
    "cross_border_funding",
    "cluster_rankings",
    "claims",
    "sources",
)


def run(**params):
    report = SummaryReport(show=False, **params)
    for name in SECTIONS:
        getattr(report, name)()
    return report


@pytest.fixture(scope="module")
def en():
    return run(lang="en")


@pytest.fixture(scope="module")
def zh():
    return run(lang="zh-Hant")


def test_brief_holds_the_key_figures_of_the_three_reports(en):
    text = " ".join(en.headings() + en.texts())
    assert "3.60%" in text and "2.69%" in text  # Guangdong / China 2024
    assert "RMB 509.96 bn" in text
    assert "460" in text  # cumulative cross-border disbursement, over RMB 460 m
    assert "Shenzhen–Hong Kong–Guangzhou" in text


def test_brief_in_chinese_holds_the_key_figures(zh):
    text = " ".join(zh.headings() + zh.texts())
    assert "廣東2024年研發投入強度達3.60%，高於全國的2.69%" in text
    assert "5,099.6億元" in text
    assert "4.6億元人民幣" in text


def test_one_chart_per_analysis(en):
    assert len(en.figures()) == 3


def test_claims_table_counts_and_status(en):
    # article-figures.md: C4 corrected; C1, C2, C3, C5, C14, C15, C23 confirmed; 15 unverified
    assert (
        "Of the article's 23 quantitative claims, 7 are confirmed by other sources, "
        "1 needs correcting and 15 could not be verified" in en.headings()
    )
    claims = next(o for o in en.outputs if "gba-claims" in getattr(o, "html", ""))
    assert claims.html.count("<tr>") == 1 + 23
    assert "gba-status-corrected" in claims.html


def test_claims_filter_by_status():
    report = SummaryReport(lang="zh-Hant", claim_status=["corrected"], show=False)
    report.claims()
    table = next(o for o in report.outputs if "gba-claims" in getattr(o, "html", ""))
    assert table.html.count("<tr>") == 1 + 1
    assert "5,099.6" in table.html or "5,099.61" in table.html


def test_key_figures_merge_the_three_reports_and_claim_counts(en):
    kf = en.key_figures()
    assert kf["focus_rd_intensity_pct_latest"]["value"] == pytest.approx(3.6)
    assert kf["claims_corrected"]["value"] == 1
    assert kf["claims_confirmed"]["value"] == 7


def test_zh_hant_headings_charts_and_tables_have_no_english(
    zh, no_latin, chart_texts, table_headers
):
    no_latin(zh.headings(), "headings")
    no_latin(chart_texts(zh), "chart labels")
    no_latin(table_headers(zh), "table headers")


def test_unknown_claim_status_is_refused():
    with pytest.raises(ValueError):
        SummaryReport(lang="en", claim_status=["maybe"], show=False)
