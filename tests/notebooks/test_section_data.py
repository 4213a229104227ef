"""Every section of the four reports returns its data: ``report.<section>().data``.

For each section of each notebook (the calls the notebook makes, in both languages): the data
is a non-empty tidy frame with the columns declared here (units in the column names, codes and
names in the report's language, source ids and confidence per row), and it holds what the chart
or table shows (as many lines, bars, points or rows). Values are typed from the sources: NBS
communiqués (Guangdong 2024: RMB 509.96 bn, 3.60 %; China 2.69 %), C&SD (Hong Kong GERD 2024
HK$35,772 m, of which higher education HK$20,054 m), WIPO GII (2025: Shenzhen–Hong Kong–
Guangzhou 1st with 9.0 % of PCT applications, 2.4 % of publications, 2.9 % of VC deals; Macao–
Zhuhai 98th, 100th in 2024 worked back), Science and Technology Daily and China News Service
(cumulative cross-border disbursements over RMB 300 m by June 2022, over RMB 460 m by 6 Nov).
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation
from notebook_runs import Run, build, defaults, notebook_sections

from gba_report import data, paths
from gba_report.reports.base import notebook_defaults
from gba_report.reports.cluster_rankings import ClusterRankingsReport
from gba_report.reports.cross_border_funding import CrossBorderFundingReport
from gba_report.reports.rd_intensity import RDIntensityReport
from gba_report.reports.summary import SummaryReport

PROVENANCE = ["source_id", "confidence"]
FACTS = ["region_code", "region_name", "measure", "since_year", "year", "value", *PROVENANCE]
INTENSITY = [
    "region_code",
    "region_name",
    "year",
    "rd_intensity_pct_gdp",
    "series",
    "basis",
    "is_series_break",
    "is_revised",
    "first_release_rd_intensity_pct_gdp",
    "is_provisional",
    *PROVENANCE,
]
COMPARISON = [
    "region_code",
    "region_name",
    "year",
    "rd_intensity_pct_gdp",
    "series",
    "basis",
    "is_like_for_like",
    *PROVENANCE,
]
SOURCES = ["source_id", "publisher", "title", "url", "date_accessed", "licence_note"]
CUMULATIVE = [
    "event_id",
    "date",
    "is_date_inferred",
    "title",
    "amount_million",
    "currency",
    "is_lower_bound",
    "amount_display_million",
    "display_currency",
    *PROVENANCE,
]
BUMP = [
    "edition",
    "rank",
    "cluster_code",
    "cluster_name",
    "is_highlighted",
    "is_inferred",
    *PROVENANCE,
]

#: Columns of every section's data, typed here (not read from the code).
COLUMNS = {
    RDIntensityReport: {
        "intro": FACTS,
        "headline": FACTS,
        "intensity_over_time": INTENSITY,
        "international": COMPARISON,
        "spend_by_province": [
            "region_code",
            "region_name",
            "year",
            "rd_expenditure_rmb_100m",
            "rank",
            "series",
            *PROVENANCE,
        ],
        "share_of_china": [
            "region_code",
            "region_name",
            "year",
            "share_of_china_rd_expenditure_pct",
            *PROVENANCE,
        ],
        "growth": [
            "region_code",
            "region_name",
            "first_year",
            "last_year",
            "rd_expenditure_first_rmb_100m",
            "rd_expenditure_last_rmb_100m",
            "rd_expenditure_cagr_pct",
            *PROVENANCE,
        ],
        "target": [
            "region_code",
            "region_name",
            "year",
            "rd_intensity_pct_gdp",
            "is_target",
            *PROVENANCE,
        ],
        "cities": [
            "region_code",
            "region_name",
            "year",
            "rd_intensity_pct_gdp",
            "is_reference",
            "is_derived",
            *PROVENANCE,
        ],
        "hk_by_sector": [
            "region_code",
            "region_name",
            "year",
            "sector",
            "sector_name",
            "gerd_hkd_million",
            "is_series_break",
            *PROVENANCE,
        ],
        "sources": SOURCES,
    },
    CrossBorderFundingReport: {
        "intro": ["measure", "value", *PROVENANCE],
        "timeline": [
            "event_id",
            "date",
            "date_precision",
            "is_date_inferred",
            "event_type",
            "event_type_name",
            "title",
            "amount_million",
            "currency",
            "is_lower_bound",
            "is_cumulative",
            *PROVENANCE,
        ],
        "cumulative": CUMULATIVE,
        "single_grants": [
            "event_id",
            "date",
            "event_type",
            "title",
            "amount_million",
            "currency",
            "is_lower_bound",
            "amount_rmb_million",
            "amount_display_million",
            "display_currency",
            *PROVENANCE,
        ],
        "shared_facilities": [
            "facility_code",
            "facility_name",
            "metric",
            "metric_name",
            "value",
            "unit",
            "as_of",
            "is_lower_bound",
            *PROVENANCE,
        ],
        "hk_rd_structure": [
            "region_code",
            "year",
            "sector",
            "sector_name",
            "gerd_hkd_million",
            "is_series_break",
            *PROVENANCE,
        ],
        "sources": SOURCES,
    },
    ClusterRankingsReport: {
        "intro": ["measure", "value", *PROVENANCE],
        "rank_trajectories": BUMP,
        "methodology": ["edition", "change_code", "description", *PROVENANCE],
        "top_table": [
            "edition",
            "rank",
            "cluster_code",
            "cluster_name",
            "economy_codes",
            "economy_names",
            "pct_share_pct",
            "publications_share_pct",
            "vc_deals_share_pct",
            "pct_applications_count",
            "scientific_publications_count",
            "is_inferred",
            *PROVENANCE,
        ],
        "patents_vs_publications": [
            "edition",
            "rank",
            "cluster_code",
            "cluster_name",
            "pct_applications_count",
            "scientific_publications_count",
            "is_highlighted",
            *PROVENANCE,
        ],
        "metric_shares": [
            "edition",
            "rank",
            "cluster_code",
            "cluster_name",
            "metric",
            "metric_name",
            "share_pct",
            *PROVENANCE,
        ],
        "clusters_per_economy": [
            "edition",
            "economy_code",
            "economy_name",
            "clusters_in_top100",
            "counts_with",
            *PROVENANCE,
        ],
        "macao_zhuhai": [
            "edition",
            "rank",
            "cluster_code",
            "cluster_name",
            "is_inferred",
            *PROVENANCE,
        ],
        "economy_ranks": [
            "edition",
            "economy_code",
            "economy_name",
            "gii_rank",
            *PROVENANCE,
        ],
        "sources": SOURCES,
    },
    SummaryReport: {
        "intro": ["box", "statement", *PROVENANCE],
        "rd_intensity": INTENSITY,
        "cross_border_funding": CUMULATIVE,
        "cluster_rankings": BUMP,
        "claims": [
            "claim_id",
            "claim",
            "claimed_value",
            "status",
            "status_name",
            "verdict",
            "verdict_name",
            "finding",
            "figure_dates",
            *PROVENANCE,
        ],
        "sources": SOURCES,
    },
}

CASES = [(cls, name) for cls in COLUMNS for name in COLUMNS[cls]]
LANGS = ("en", "zh-Hant")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def runs():
    return {(cls, lang): Run(build(cls, lang)) for cls in COLUMNS for lang in LANGS}


@pytest.fixture(scope="module")
def catalogue():
    return set(data.load_sources()["source_id"])


def section(runs, cls, name, lang="en"):
    return runs[(cls, lang)].sections[name]


@pytest.mark.parametrize("cls", list(COLUMNS), ids=lambda c: c.name)
def test_every_section_of_the_notebook_is_declared_here(cls):
    assert notebook_sections(cls) == list(COLUMNS[cls])


@pytest.mark.parametrize("cls", list(COLUMNS), ids=lambda c: c.name)
def test_reports_read_the_defaults_the_engine_reads(cls):
    # one declaration (the notebook's parameters cell), two readers: the engine's and the report's
    own = notebook_defaults(paths.notebooks_dir() / cls.notebook)
    assert own.pop("lang") == "en"
    assert own == defaults(cls)
    assert cls.from_notebook("zh-Hant").lang == "zh-Hant"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("cls", "name"), CASES, ids=[f"{c.name}.{n}" for c, n in CASES])
def test_section_data_is_a_tidy_frame_with_provenance(runs, catalogue, cls, name, lang):
    frame = section(runs, cls, name, lang).data
    assert isinstance(frame, pd.DataFrame) and not frame.empty
    assert list(frame.columns) == COLUMNS[cls][name]
    assert isinstance(frame.index, pd.RangeIndex)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in frame.columns)
    assert not frame.astype(str).duplicated().any(), "one row per figure"
    if "confidence" in frame:
        levels = set(frame["confidence"])
        if (cls, name) == (SummaryReport, "intro"):  # the claims count is the project's own
            levels -= {""}
        assert levels <= {"verified", "secondary", "unverified"}
    ids = {i for sids in frame["source_id"] for i in str(sids).split(";")}
    assert ids and ids <= catalogue, ids - catalogue
    for col in [c for c in frame.columns if c.endswith(("_name", "_names"))]:
        names = frame[col].dropna().astype(str)
        assert (names != "").all(), col
        if lang == "zh-Hant":
            assert not [n for n in names if LATIN.search(n)], (col, list(names))


# ------------------------------------------------------------------ what the charts draw


def _end_labels(fig):
    return {t.get_text() for ax in fig.axes for t in ax.texts if isinstance(t, Annotation)}


def _points(fig):
    return sum(
        len(c.get_offsets())
        for ax in fig.axes
        for c in ax.collections
        if isinstance(c, PathCollection)
    )


def _bars(fig):
    return [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle) and p.get_width()]


def _table_rows(sec):
    table = next(b.html for b in sec.blocks if "gba-table" in getattr(b, "html", ""))
    return table.count("<tr>") - 1  # the header row


def test_rd_headline_facts(runs):
    frame = section(runs, RDIntensityReport, "headline").data
    facts = frame.set_index(["region_code", "measure"])["value"]
    assert facts[("GD", "rd_expenditure_rmb_100m")] == 5099.6
    assert facts[("GD", "rd_intensity_pct_gdp")] == 3.6
    assert facts[("CN", "rd_intensity_pct_gdp")] == 2.69
    assert facts[("GD", "rd_expenditure_growth_pct")] == pytest.approx(6.18, abs=0.01)  # /4802.6
    # NBS 2024 communique, 附表2: of all 31 provinces, 1st by spending, 3rd by intensity (after
    # Beijing 6.58 % and Shanghai 4.35 %)
    assert facts[("GD", "rank_by_rd_expenditure")] == 1
    assert facts[("GD", "regions_ranked_by_rd_expenditure")] == 31
    assert facts[("GD", "rank_by_rd_intensity")] == 3
    assert facts[("GD", "regions_ranked_by_rd_intensity")] == 31
    # within one basis (GDP after the 5th economic census): 3.48 (revised 2023) -> 3.60, +0.12 pp
    # as the communiques say; China 2.58 -> 2.69; never the first-released 3.54 (+0.06 pp)
    assert facts[("GD", "rd_intensity_change_pp")] == pytest.approx(0.12, abs=1e-9)
    assert facts[("CN", "rd_intensity_change_pp")] == pytest.approx(0.11, abs=1e-9)
    since = frame.set_index(["region_code", "measure"])["since_year"]
    assert since[("GD", "rd_intensity_change_pp")] == 2023
    # (5099.6 / 808.7) ** (1 / 14) = 1.1406: 14.06 % a year since 2010
    assert facts[("GD", "rd_expenditure_cagr_pct")] == pytest.approx(14.06, abs=0.01)
    assert facts[("GD", "share_of_china_rd_expenditure_pct")] == pytest.approx(14.04, abs=0.01)
    assert section(runs, RDIntensityReport, "intro").data.equals(frame)
    text = " ".join(section(runs, RDIntensityReport, "headline").texts())
    assert "up 0.12 pp on 2023 (3.48%)" in text and "3.54%" in text


def test_rd_intensity_lines_draw_the_latest_vintage(runs):
    sec = section(runs, RDIntensityReport, "intensity_over_time")
    frame = sec.data
    assert _end_labels(sec.figure) == set(frame["region_name"])  # one labelled line each
    assert _points(sec.figure) == len(frame)  # one marker per figure
    by = frame.set_index(["region_code", "year"])
    assert by.loc[("GD", 2024), "rd_intensity_pct_gdp"] == 3.6
    # 2023 drawn as revised in the 2024 communique (3.48), its first release (3.54) kept as a note
    gd23 = by.loc[("GD", 2023)]
    assert (gd23["rd_intensity_pct_gdp"], gd23["first_release_rd_intensity_pct_gdp"]) == (
        3.48,
        3.54,
    )
    assert bool(gd23["is_revised"]) and gd23["basis"] == "cn_gdp_census5"
    assert "Guangdong 2023: 3.48% revised (first release 3.54%)" in sec.caption
    # NBS 2025 statistical communique: 2.80 %, preliminary, drawn hollow and named in the caption
    cn25 = by.loc[("CN", 2025)]
    assert cn25["rd_intensity_pct_gdp"] == 2.8 and bool(cn25["is_provisional"])
    assert frame["is_provisional"].sum() == 1
    hollow = [
        c
        for ax in sec.figure.axes
        for c in ax.collections
        if isinstance(c, PathCollection) and len(c.get_offsets()) and c.get_facecolor()[0][0] == 1
    ]
    assert sum(len(c.get_offsets()) for c in hollow) == 1
    assert "provisional figures (China 2025: 2.80%)" in sec.caption
    # the break is where the GDP basis changes: at the revised 2023 (C&SD's 2018 for Hong Kong)
    breaks = frame.loc[frame["is_series_break"], ["region_code", "year"]].values.tolist()
    assert sorted(breaks) == sorted(
        [["GD", 2023], ["CN", 2023], ["BJ", 2023], ["SH", 2023], ["TJ", 2023], ["HK", 2018]]
    )


def test_rd_international_comparison_is_like_for_like(runs):
    sec = section(runs, RDIntensityReport, "international")
    frame = sec.data
    same = frame.loc[frame["is_like_for_like"]]
    # OECD MSTI, 2023 (Visual Capitalist's table, rounded): every comparator has a figure
    assert set(same["basis"]) == {"oecd_msti"} and set(same["year"]) == {2023}
    values = same.set_index("region_code")["rd_intensity_pct_gdp"]
    assert values.to_dict() == {
        "ISR": 6.3,
        "KOR": 5.0,
        "JPN": 3.4,
        "USA": 3.4,
        "DEU": 3.1,
        "GBR": 2.8,
        "CN": 2.6,
    }
    focus = frame.loc[frame["region_code"] == "GD"].iloc[0]
    assert (focus["year"], focus["rd_intensity_pct_gdp"], focus["basis"]) == (
        2023,
        3.48,
        "cn_gdp_census5",
    )
    assert len(_bars(sec.figure)) == len(same) + 1
    # national definitions listed apart: MSIT's 5.13 % for Korea 2024, Japan's fiscal year 3.70
    national = frame.loc[~frame["is_like_for_like"] & (frame["region_code"] != "GD")]
    nat = national.set_index("region_code")
    assert (nat.loc["KOR", "year"], nat.loc["KOR", "rd_intensity_pct_gdp"]) == (2024, 5.13)
    assert nat.loc["JPN", "basis"] == "national_fy"
    assert "on the OECD MSTI basis" in " ".join(sec.texts())


def test_rd_spending_bars_are_the_data(runs):
    sec = section(runs, RDIntensityReport, "spend_by_province")
    frame = sec.data
    assert len(_bars(sec.figure)) == len(frame) == 15
    assert set(frame["year"]) == {2024}  # the 2024 communique's table has all 31 provinces
    top = frame.iloc[:2][["region_code", "rd_expenditure_rmb_100m", "rank"]].values.tolist()
    assert top == [["GD", 5099.6, 1], ["JS", 4597.5, 2]]  # NBS 2024 communique, 附表2


def test_rd_share_growth_and_target(runs):
    share = section(runs, RDIntensityReport, "share_of_china")
    last = share.data.iloc[-1]
    assert (last["year"], round(last["share_of_china_rd_expenditure_pct"], 2)) == (2024, 14.04)
    assert _points(share.figure) == len(share.data)
    growth = section(runs, RDIntensityReport, "growth")
    assert _table_rows(growth) == len(growth.data)
    gd = growth.data.set_index("region_code").loc["GD"]
    assert (gd["rd_expenditure_first_rmb_100m"], gd["rd_expenditure_last_rmb_100m"]) == (
        808.7,
        5099.6,
    )
    target = section(runs, RDIntensityReport, "target").data
    goal = target.loc[target["is_target"]]
    assert goal[["year", "rd_intensity_pct_gdp"]].values.tolist() == [[2025, 3.5]]
    assert _points(section(runs, RDIntensityReport, "target").figure) == len(target) - 1
    # 3.5 % first reached in 2024 on the revised basis (2023 revised: 3.48); "2023 (3.54 %)"
    # holds only on the old basis, and the report says so
    text = " ".join(section(runs, RDIntensityReport, "target").texts())
    assert "it was first reached in 2024, at 3.60%" in text
    assert "reached in 2023 (3.54%) holds only on the earlier basis" in text


def test_rd_cities_are_points_beside_the_province_line(runs):
    sec = section(runs, RDIntensityReport, "cities")
    cities = sec.data.loc[~sec.data["is_reference"]]
    assert _points(sec.figure) == len(cities)
    assert set(sec.data.loc[sec.data["is_reference"], "region_code"]) == {"GD"}
    assert "SZ" in set(cities["region_code"])


def test_rd_hong_kong_sectors(runs):
    sec = section(runs, RDIntensityReport, "hk_by_sector")
    values = sec.data.set_index(["year", "sector"])["gerd_hkd_million"]
    assert values[(2024, "higher_education")] == 20054 and values[(2024, "total")] == 35772
    assert values[(2023, "total")] == 33006  # C&SD via Xinhua / China News Service, Dec 2025
    parts = sec.data.loc[sec.data["sector"] != "total"]
    drawn = [b for b in _bars(sec.figure) if b.get_height()]
    assert len([b for b in drawn if not b.get_hatch()]) == len(parts)
    # the years with a total only (2021, 2023) are drawn as hatched totals
    assert sorted(round(b.get_height()) for b in drawn if b.get_hatch()) == [27827, 33006]


def test_sources_sections_list_what_they_name(runs):
    for cls in (RDIntensityReport, CrossBorderFundingReport, ClusterRankingsReport):
        sec = section(runs, cls, "sources")
        listed = re.search(r'<ul class="gba-sources">(.*?)</ul>', sec.html(), flags=re.S).group(1)
        entries = re.findall(r"<li>(.*?)</li>", listed, flags=re.S)
        # the data has every source id; the reader's list names each origin publication once
        # (copies of one publication, read in several places, are one entry)
        assert len(entries) == len(set(entries)), cls.name
        assert 0 < len(entries) <= len(sec.data), cls.name
        for sid in sec.data["source_id"]:
            title = html.escape(data.origin_citation(sid, "en").title, quote=False)
            assert any(title in e for e in entries), (cls.name, sid)
    rd = section(runs, RDIntensityReport, "sources").data
    assert "National Bureau of Statistics of China (NBS), MOST, MOF" in set(rd["publisher"])


class _Blocks(HTMLParser):
    """The blocks of a sources section in order: ``("heading", text)`` or ``("body", tag)``."""

    HEADINGS = {"h2", "h3", "h4"}
    BODY = {"p", "ul", "ol", "table", "div"}

    def __init__(self):
        super().__init__()
        self.blocks, self.depth, self.heading = [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            return
        if self.depth == 0:
            label = "gba-caveats-label" in (dict(attrs).get("class") or "")
            if tag in self.HEADINGS or label:
                self.heading = [tag, ""]
            elif tag in self.BODY:
                self.blocks.append(("body", tag))
        if tag not in {"br", "img", "hr"}:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "section":
            return
        self.depth -= 1
        if self.depth == 0 and self.heading is not None:
            self.blocks.append(("heading", self.heading[1].strip()))
            self.heading = None

    def handle_data(self, text):
        if self.heading is not None:
            self.heading[1] += text


@pytest.mark.parametrize("lang", LANGS)
def test_no_sources_page_has_a_heading_with_nothing_under_it(runs, lang):
    # every heading (and the "Caveats" label) of a closing section is followed by its content,
    # never by the next heading or the end of the section
    for cls in COLUMNS:
        page = section(runs, cls, "sources", lang).html()
        parser = _Blocks()
        parser.feed(page)
        # a label is a heading too, kept on the page of its list when printed
        assert "<p><strong>" not in page, cls.name
        labels = re.findall(r'<p class="gba-caveats-label"[^>]*>', page)
        assert all("break-after: avoid" in tag for tag in labels), cls.name
        blocks = parser.blocks
        assert blocks and blocks[0][0] == "heading", cls.name
        for (kind, text), (after, _) in zip(blocks, [*blocks[1:], ("end", "")], strict=True):
            assert kind != "heading" or after == "body", (cls.name, lang, text)
        if cls is not SummaryReport:  # the brief's compact list has no caveats
            assert labels and sum(kind == "heading" for kind, _ in blocks) > len(labels), cls.name


def test_funding_milestones(runs):
    intro = section(runs, CrossBorderFundingReport, "intro").data
    assert intro[["measure", "value"]].values.tolist() == [["first_milestone_year", 2018]]
    timeline = section(runs, CrossBorderFundingReport, "timeline")
    assert _table_rows(timeline) == len(timeline.data)
    assert _points(timeline.figure) == len(timeline.data)
    cumulative = section(runs, CrossBorderFundingReport, "cumulative")
    rows = cumulative.data[["date", "amount_million", "currency", "is_lower_bound"]]
    assert rows.values.tolist() == [["2022-06", 300, "RMB", True], ["2024-11-06", 460, "RMB", True]]
    assert cumulative.data["is_date_inferred"].tolist() == [False, True]
    assert _points(cumulative.figure) == len(cumulative.data)


def test_funding_grants_facilities_and_hong_kong(runs):
    grants = section(runs, CrossBorderFundingReport, "single_grants")
    assert _table_rows(grants) == len(grants.data)
    amounts = grants.data.set_index("date")["amount_million"]
    assert amounts["2019-08"] == 38 and amounts["2019-07-30"] == 3.1696  # SCMP; the article
    facilities = section(runs, CrossBorderFundingReport, "shared_facilities")
    assert _table_rows(facilities) == len(facilities.data)
    core = facilities.data.set_index("metric").loc["core_hours"]
    assert (core["value"], core["unit"], core["is_lower_bound"]) == (
        280,
        "million core-hours",
        True,
    )
    hk = section(runs, CrossBorderFundingReport, "hk_rd_structure").data
    values = hk.set_index(["year", "sector"])["gerd_hkd_million"]
    assert values[(2024, "higher_education")] == 20054 and values[(2021, "total")] == 27827
    assert (2021, "business") not in values.index  # 2021: total only
    hkd = build(CrossBorderFundingReport, "en", currency="HKD").cumulative().data
    # the 2024 figure at the 2024 year-end central parity (HK$100 = RMB 92.604): 460 / 0.92604
    assert hkd["amount_display_million"].iloc[-1] == pytest.approx(496.74, abs=0.01)
    # the 2022 figure at the 2022 one (HK$100 = RMB 89.327): 300 / 0.89327 = HK$335.84 m
    assert hkd["amount_display_million"].iloc[0] == pytest.approx(335.84, abs=0.01)
    assert set(hkd["display_currency"]) == {"HKD"}


#: Official year-end rates, HK$ per RMB 1, typed from fx_year_end's sources: HKMA closing rates
#: (2018-2020, HK$ per RMB) and PBoC central parity (2021-2025, RMB per HK$100).
YEAR_END_HKD_PER_RMB = {
    2018: 1.1386,
    2019: 1.1175,
    2020: 1.1919,
    2021: 100 / 81.76,
    2022: 100 / 89.327,
    2023: 100 / 90.622,
    2024: 100 / 92.604,
    2025: 100 / 90.322,
}
SCMP_PAIR = 42.27 / 38  # the newspaper's own 2019 conversion, never a rate for conversions


@pytest.mark.parametrize("currency", ["HKD", "RMB"])
def test_every_conversion_uses_its_own_years_official_rate(currency):
    report = build(CrossBorderFundingReport, "en", currency=currency)
    converted = 0
    for name in ("cumulative", "single_grants"):
        frame = getattr(report, name)().data
        rows = frame.loc[frame["amount_million"].notna() & (frame["currency"] != currency)]
        for r in rows.itertuples():
            year = int(str(r.date)[:4])
            per_rmb = YEAR_END_HKD_PER_RMB[year]
            rate = per_rmb if currency == "HKD" else 1 / per_rmb
            assert r.amount_display_million == pytest.approx(r.amount_million * rate, rel=1e-9)
            assert r.amount_display_million != pytest.approx(
                r.amount_million * (SCMP_PAIR if currency == "HKD" else 1 / SCMP_PAIR), rel=1e-4
            )
            converted += 1
    assert converted >= (4 if currency == "HKD" else 0)
    text = " ".join(t for s in Run(report).sections.values() for t in s.texts())
    if currency == "HKD":
        assert "HK$1.1175 per RMB 1 (HKMA closing rate, 31 December 2019" in text
        assert "RMB 92.604 per HK$100 (PBoC central parity, 31 December 2024" in text
    assert "42.27" not in text.replace("HK$42.27 m", "")  # only as SCMP reported the grant


def test_cluster_ranks(runs):
    bump = section(runs, ClusterRankingsReport, "rank_trajectories")
    ranks = bump.data.set_index(["edition", "cluster_code"])
    assert ranks.loc[(2025, "shenzhen_hong_kong_guangzhou"), "rank"] == 1
    # 100th in 2024, now read in a source (China Patent Agent (H.K.)), no longer inferred
    assert ranks.loc[(2024, "macao_zhuhai"), ["rank", "is_inferred"]].tolist() == [100, False]
    assert _points(bump.figure) == len(bump.data)
    top = section(runs, ClusterRankingsReport, "top_table")
    latest = top.data.loc[top.data["edition"] == 2025]
    assert _table_rows(top) == len(latest) == 10
    # the deepest table: GII 2023 ranks 1-35 (WIPO, GII 2023 Appendix Table 3)
    deep = top.data.loc[top.data["edition"] == 2023].set_index("rank")
    assert list(deep.index) == list(range(1, 36))
    assert deep.loc[2, "cluster_code"] == "shenzhen_hong_kong_guangzhou"
    assert deep.loc[2, "pct_applications_count"] == 113482
    assert deep.loc[35, "cluster_code"] == "philadelphia"
    first = top.data.iloc[0]
    shares = first[["pct_share_pct", "publications_share_pct", "vc_deals_share_pct"]].tolist()
    assert (first["cluster_code"], shares) == ("shenzhen_hong_kong_guangzhou", [9.0, 2.4, 2.9])
    macao = section(runs, ClusterRankingsReport, "macao_zhuhai")
    assert macao.data[["edition", "rank"]].values.tolist() == [[2024, 100], [2025, 98]]
    assert _table_rows(macao) == 2
    method = section(runs, ClusterRankingsReport, "methodology")
    assert _table_rows(method) == len(method.data)
    assert "vc_deals_added" in set(method.data["change_code"])


def test_cluster_counts_shares_and_economies(runs):
    counts = section(runs, ClusterRankingsReport, "patents_vs_publications")
    assert _points(counts.figure) == len(counts.data)
    by = counts.data.set_index("cluster_code")
    assert by.loc["tokyo_yokohama", "pct_applications_count"] == 127418  # Visual Capitalist
    assert by.loc["beijing", "scientific_publications_count"] == 279485
    shares = section(runs, ClusterRankingsReport, "metric_shares")
    vc = shares.data.loc[shares.data["metric"] == "vc_deals_share_pct"].set_index("cluster_code")
    assert vc.loc["shenzhen_hong_kong_guangzhou", "share_pct"] == 2.9
    assert vc.loc["tokyo_yokohama", "share_pct"] == 2.2
    per = section(runs, ClusterRankingsReport, "clusters_per_economy")
    n = per.data.set_index(["edition", "economy_code"])
    assert (
        n.loc[(2025, "CN"), "clusters_in_top100"],
        n.loc[(2025, "US"), "clusters_in_top100"],
    ) == (24, 22)
    assert n.loc[(2019, "CN"), "counts_with"] == "HK/TW"
    assert _points(per.figure) == len(per.data)
    economy = section(runs, ClusterRankingsReport, "economy_ranks")
    r = economy.data.set_index(["edition", "economy_code"])["gii_rank"]
    assert (r[(2019, "CHN")], r[(2025, "CHN")], r[(2025, "HKG")]) == (14, 10, 15)
    # the 2026-12 additions: 2017 (China 22nd), and Singapore, the UK and Germany
    assert (r[(2017, "CHN")], r[(2024, "SGP")], r[(2025, "GBR")], r[(2025, "DEU")]) == (
        22,
        4,
        6,
        11,
    )
    assert _points(economy.figure) == len(economy.data)


def test_brief_sections_are_the_full_reports_data(runs):
    brief = runs[(SummaryReport, "en")].report
    intro = section(runs, SummaryReport, "intro").data
    assert intro["box"].tolist().count("claims") == 1
    assert set(intro["box"]) == {
        "rd_intensity",
        "cross_border_funding",
        "cluster_rankings",
        "claims",
    }
    rd = section(runs, SummaryReport, "rd_intensity").data
    assert rd.equals(brief.rd.summary_chart(compact=True).data)
    assert set(rd["region_code"]) == {"GD", "CN", "HK", "MO"}
    funding = section(runs, SummaryReport, "cross_border_funding").data
    assert funding["amount_million"].tolist() == [300, 460]
    claims = section(runs, SummaryReport, "claims")
    assert len(claims.data) == 23 == _table_rows(claims)
    by = claims.data.set_index("claim_id")
    assert by.loc["C4", "status"] == "corrected"
    # C9: 'over 100' not found, lower figures at earlier dates (60 by Dec 2023, 76 by Oct 2024)
    assert (by.loc["C9", "status"], by.loc["C9", "verdict"]) == ("unverified", "lower_figure_found")
    assert "Dec 2023" in by.loc["C9", "finding"]
    assert by.loc["C6", "verdict"] == "different_scope"
    assert "figure of a different scope" in claims.html()


def _copy_hosts():
    """Hosts where the project read a copy (retrieval_location) that is not the origin's host."""
    hosts = set()
    for row in data.load_sources().itertuples():
        location = str(row.retrieval_location)
        if not location.startswith("http"):
            continue
        host = urlparse(location).netloc.lower().removeprefix("www.")
        if host and host != urlparse(str(row.origin_url or "")).netloc.lower().removeprefix("www."):
            hosts.add(host)
    return hosts


@pytest.mark.parametrize("lang", LANGS)
def test_no_section_names_a_copy_host(runs, lang):
    hosts = _copy_hosts()
    assert {"l4.net.cn", "272t.com", "zerohedge.com"} <= hosts  # typed from issue 8
    for cls in COLUMNS:
        for name, sec in runs[(cls, lang)].sections.items():
            text = html.unescape(sec.html()).lower()
            named = [h for h in hosts if h in text]
            assert not named, (cls.name, name, lang, named)
