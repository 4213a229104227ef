"""cross_border_funding: the notebook runs in both languages with defaults and other parameters;
the output holds the key figures of the sources; zh-Hant has no English in headings, chart
labels or table headers.

Expected values are typed from the sources: > RMB 300 m by June 2022 (Science and Technology
Daily, 30 Jun 2022), > RMB 460 m (China News Service, 6 Nov, year inferred 2024), > RMB 750 m
from all Mainland sources by 15 Apr 2023 (Eric Chan, Global Times), official year-end rates
(PBoC central parity: HK$100 = RMB 90.622 at end-2023, RMB 92.604 at end-2024; SCMP's RMB 38 m =
HK$42.27 m is the newspaper's conversion, never used as a rate), C&SD / HKSAR figures for Hong
Kong GERD 2024 (HK$35,772 m, higher education HK$20,054 m = 56.1 %).
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

from gba_report.reports.cross_border_funding import CrossBorderFundingReport

NOTEBOOK = "02_cross_border_funding.ipynb"


en, zh, reports = report_fixtures(CrossBorderFundingReport)


def _report(lang, **kw):
    return run_report(CrossBorderFundingReport, lang, **kw)


def test_cumulative_milestones_and_honest_growth(reports):
    en = reports["en"]
    assert (
        "Cumulative cross-border disbursements had reached over RMB 460 m by 6 November 2024 "
        "(year inferred), up from over RMB 300 m in June 2022" in en.headings()
    )
    text = " ".join(en.texts())
    # mid-June (15 Jun) 2022 -> 6 Nov 2024 = 874 days = 2.39 years; (460/300)^(1/2.39) - 1 = 19.6 %
    assert "20% a year compounded" in text
    # the duration printed and the rate agree: RMB 160 m in 2.4 years is about RMB 67 m a year
    assert "rose by RMB 160 m in 2.4 years: about RMB 67 m a year" in text
    assert "approximation, not a bound" in text
    assert "at least RMB 460 m had been disbursed" in text
    # the year of the RMB 460 m briefing is inferred, so the rate's sensitivity to it is shown
    # (6 Nov 2025 instead: 1239 days = 3.39 years, (460/300)^(1/3.39) - 1 = 13.4 %)
    assert "The year of the second figure is inferred" in text
    assert "about 13% a year" in text
    # the all-Mainland totals are another scope: shown, never joined to the Guangdong series
    assert "over RMB 750 m† (15 April 2023) has another scope (all Mainland sources" in text
    zh = " ".join(reports["zh-Hant"].headings())
    assert "超過4.6億元人民幣" in zh and "超過3億元人民幣" in zh
    assert "2024年11月6日（年份屬推斷）" in zh
    figs = en.key_figures()
    assert figs["crossborder_cumulative_rmb_million_latest"]["value"] == 460
    assert figs["crossborder_implied_growth_pct_per_year"]["value"] == pytest.approx(19.6, abs=0.1)


def test_largest_single_grant_and_unverified_article_figures_flagged(reports):
    en = reports["en"]
    assert any(
        h.startswith("The largest single payment with a sourced amount: RMB 38 m in August 2019")
        for h in en.headings()
    )
    text = " ".join(en.texts())
    assert "RMB 3.1696 m" in text  # the article's first transfer, shown ...
    assert "‡ unverified" in text  # ... with the unverified legend


def test_shared_facilities_marked_unverified(reports):
    en = reports["en"].headings()
    assert any("over 280 million core-hours" in h and "(unverified)" in h for h in en)
    # the article: "為230個港澳及海外科研團隊提供超過2.8億核時" (overseas teams included)
    assert any("core-hours to Hong Kong, Macao and overseas research teams" in h for h in en)
    zh = reports["zh-Hant"].headings()
    assert any("超過2.8億核時" in h and "未經核實" in h for h in zh)
    assert any("為港澳及海外科研團隊提供了超過2.8億核時" in h for h in zh)


def test_hong_kong_gerd_structure_2024(reports):
    en = " ".join(reports["en"].headings())
    assert "Higher education performed 56.1% of Hong Kong's R&D spending in 2024" in en
    assert "HK$35.772 bn" in en
    zh = " ".join(reports["zh-Hant"].headings())
    assert "高等教育機構佔56.1%" in zh and "357.72億港元" in zh


def test_hkd_states_the_rate_used():
    report = _report("en", currency="HKD")
    text = " ".join(report.texts())
    # each amount at the official year-end rate of its own year: the 2024 figure at the PBoC
    # central parity of 31 Dec 2024 (HK$100 = RMB 92.604): 460 / 0.92604 = HK$496.7 m
    headings = " ".join(report.headings())
    assert "had reached over HK$496.7 m by 6 November 2024 (year inferred)" in headings
    assert "RMB 92.604 per HK$100 (PBoC central parity, 31 December 2024" in text
    assert "official year-end rate of each amount's own year" in text
    assert "1.1124" not in text  # SCMP's 2019 pair (42.27 / 38) is never a rate
    assert report.key_figures()["hkd_per_rmb_latest_year"]["value"] == pytest.approx(1.0799)
    zh = _report("zh-Hant", currency="HKD")
    assert "每100港元兌92.604元人民幣" in " ".join(zh.texts())


def test_without_unverified_and_earlier_cutoff():
    report = _report("en", include_unverified=False, as_of="2022-12-31")
    # the sections' own texts (the closing section's caveats describe the whole dataset)
    text = " ".join(
        t for name, s in report.sections.items() if name != "sources" for t in s.texts()
    )
    heads = report.headings()
    assert "Cumulative cross-border disbursements had reached over RMB 300 m by June 2022" in heads
    assert "460" not in text and "560" not in text and "3.1696" not in text
    assert "Shared facilities: no independently confirmed figures" in heads


def test_every_chart_has_caption_and_source(reports):
    for report in reports.values():
        texts = report.texts()
        n_sources = sum(t.startswith(("Source", "資料來源")) for t in texts)
        assert len(report.figures()) == 3
        # + the milestones, grants and facilities tables; + the closing section's sources
        assert n_sources == len(report.figures()) + 3


def test_zh_hant_has_no_english_in_headings_charts_or_table_headers(reports):
    report = reports["zh-Hant"]
    for heading in report.headings():
        assert not LATIN.search(heading), heading
    for header in table_headers(report.outputs):
        assert not LATIN.search(header), header
    for fig in report.figures():
        strict, loose = chart_label_texts(fig)
        for text in strict:
            assert not LATIN.search(text), text
        for text in loose:  # data labels: single letters of proper names (C類) allowed
            assert not LATIN_WORD.search(text), text


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="currency"):
        build(CrossBorderFundingReport, "en", currency="USD")
    with pytest.raises(ValueError, match="as_of"):
        build(CrossBorderFundingReport, "en", as_of="mid-2023")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "params"),
    [
        ("en", {}),
        ("zh-Hant", {}),
        ("en", {"currency": "HKD", "include_unverified": False}),
        ("zh-Hant", {"currency": "HKD", "as_of": "2023-06-30"}),
    ],
)
def test_notebook_runs_and_shows_key_figures(tmp_path, lang, params):
    text, heads, figs = run_checked_notebook(
        NOTEBOOK, CrossBorderFundingReport, tmp_path, lang, **params
    )
    as_of = params.get("as_of", "2025-12-31")
    hkd = params.get("currency") == "HKD"
    if as_of >= "2024-11-06":
        assert figs["crossborder_cumulative_rmb_million_latest"]["value"] == 460
        expected = {
            ("en", False): "over RMB 460 m",
            ("zh-Hant", False): "超過4.6億元人民幣",
            # at the end-2024 central parity: 460 / 0.92604 = 496.74
            ("en", True): "over HK$496.7 m",
            ("zh-Hant", True): "超過4.967億港元",
        }
    else:
        # by mid-2023 the best-reported series is the all-Mainland one (> RMB 440 m by June
        # 2021, > RMB 750 m by April 2023); at the end-2023 central parity 750 / 0.90622 = 827.61
        assert figs["crossborder_cumulative_rmb_million_latest"]["value"] == 750
        expected = {
            ("en", False): "over RMB 750 m",
            ("zh-Hant", False): "超過7.5億元人民幣",
            ("en", True): "over HK$827.6 m",
            ("zh-Hant", True): "超過8.276億港元",
        }
    assert expected[(lang, hkd)] in text
    assert figs["hk_gerd_hkd_million_latest"]["value"] == 35772


def test_as_of_hides_facility_figures_dated_later():
    # the CSNS figures are dated only by the article's year (2025): hidden at the end of 2024
    section = build(CrossBorderFundingReport, "en", as_of="2024-12-31").shared_facilities()
    text = " ".join(section.texts())
    assert "China Spallation Neutron Source" not in text
    assert "over 280 million" in text  # Nansha figures, 31 October 2024
