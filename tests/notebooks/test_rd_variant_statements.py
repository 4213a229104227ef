"""rd_intensity: ranks, bases, growth and city comparisons stated like for like, in the variants.

Expected figures are typed from the sources (../shared/reference-data/): NBS communiqués (China
2023 first release 2.65 %, revised 2.58 % in the 2024 communiqué's 附表2), the GBA city table
(Shenzhen 2019 1,328.28 / 2021 1,682 / 2024 2,453.1 亿元, 2023 6.46 %; Guangzhou 2021 881.72
亿元, 2023 3.44 %; Zhuhai 2019 3.15 %, Dongguan 2019 3.06 %).
"""

import pytest
from notebook_runs import Run, build

from gba_report.reports.rd_intensity import RDIntensityReport


def run(lang="en", **params):
    return Run(build(RDIntensityReport, lang, **params))


@pytest.fixture(scope="module")
def gd():
    return run()


@pytest.fixture(scope="module")
def gz():
    return run(focus_region="GZ")


@pytest.fixture(scope="module")
def gz_zh():
    return run(lang="zh-Hant", focus_region="GZ")


@pytest.fixture(scope="module")
def sz():
    return run(focus_region="SZ")


def _intro(r):
    return r.sections["intro"].blocks[-1].markdown


def _facts(r):
    frame = r.sections["headline"].data
    return frame.set_index(["region_code", "measure"])


def test_each_rank_has_its_own_year(gz):
    # Guangzhou has spending for 2021 (881.72, after Shenzhen's 1,682) and intensity for 2023
    # (3.44, after Shenzhen's 6.46): two ranks of two years, never "Rank in 2021 ... by intensity"
    intro = _intro(gz)
    assert "Rank by R&D spending in 2021: **No. 2** of the 2 cities" in intro
    assert "Rank by R&D intensity in 2023: **No. 2** of the 2 cities" in intro
    assert "by intensity, of the" not in intro
    text = " ".join(gz.texts())
    assert "ranks No. 2 by R&D spending and No. 2 by intensity" not in text


def test_each_rank_has_its_own_year_in_chinese(gz_zh):
    intro = _intro(gz_zh)
    assert "2021年研發經費排名：在有公佈數字的2個城市中居**第2位**" in intro
    assert "2023年研發投入強度排名：在有公佈數字的2個城市中居**第2位**" in intro


def test_no_rank_among_one(sz):
    # 2024: Shenzhen is the only city with a figure (2,453.1 / 6.67 %): no rank "of the 1 cities"
    text = " ".join(sz.texts() + sz.headings())
    assert "of the 1 " not in text and "No. 1 of 1" not in text
    assert "Rank" not in _intro(sz)
    assert "rank_by_rd_expenditure" not in set(_facts(sz).index.get_level_values("measure"))
    assert "focus_rank_expenditure_latest" not in sz.key_figures()


def test_rank_among_provinces_stays_one_statement(gd):
    # NBS 2024 communiqué: of 31 provinces Guangdong is 1st by spending and 3rd by intensity
    assert (
        "Rank in 2024: **No. 1** by spending and No. 3 by intensity, of the 31 provincial-level"
        in _intro(gd)
    )


def test_china_is_compared_on_the_focus_basis(gz):
    # Guangzhou's 3.44 % (2023) is on the pre-census GDP; China on that basis is 2.65 % (2023
    # communiqué), not the revised 2.58 %
    assert (
        gz.headings()[0] == "Guangzhou's R&D intensity reached 3.44% in 2023, above China's 2.65%"
    )
    assert _facts(gz).loc[("CN", "rd_intensity_pct_gdp"), "value"] == 2.65
    text = " ".join(gz.texts())
    assert "Both intensities are on one basis (GDP before the 5th national economic census" in text
    assert "China's 2023 figure was later revised to 2.58%" in text


def test_intensity_chart_says_the_focus_is_on_the_earlier_basis(gz, gd):
    # the chart draws Guangdong's revised 2023 (3.48 %) beside Guangzhou's 3.44 % (pre-census)
    caption = gz.sections["intensity_over_time"].caption
    assert "Guangzhou 2023 (3.44%) is on GDP before the 5th national economic census" in caption
    assert "is on GDP before" not in gd.sections["intensity_over_time"].caption


def test_china_on_the_same_revised_basis_for_guangdong(gd):
    # Guangdong 2024 (3.60 %) and China 2024 (2.69 %) are both on the census-revised GDP
    assert _facts(gd).loc[("CN", "rd_intensity_pct_gdp"), "value"] == 2.69


def test_growth_across_two_releases_says_so(gd):
    # 5,099.6 (2024 communiqué) on 4,802.6 (2023 communiqué, not restated in 2024)
    text = " ".join(gd.texts())
    assert "That is 6.2% more than a year earlier" not in text
    assert "6.2% more than the 2023 level as first released" in text
    assert "**6.2%** on the 2023 level as first released" in _intro(gd)


def test_growth_does_not_start_from_an_approximate_figure(sz):
    # 2018's '约1000亿元' is approximate (unverified): the average growth starts in 2019
    # (1,328.28) and ends in 2024 (2,453.1)
    growth = sz.sections["growth"].data.set_index("region_code")
    assert growth.loc["SZ", "first_year"] == 2019
    assert growth.loc["SZ", "rd_expenditure_first_rmb_100m"] == 1328.28
    assert growth.loc["SZ", "rd_expenditure_last_rmb_100m"] == 2453.1
    assert "2018" not in _intro(sz).split("Average annual growth")[-1]
    assert "from 2019 to 2024" in sz.sections["growth"].headings()[0]


def test_cities_are_compared_within_one_year(gd):
    # 2024 has only Shenzhen; 2023 has Shenzhen 6.46 % and Guangzhou 3.44 %
    heading = gd.sections["cities"].headings()[0]
    assert heading == (
        "Shenzhen had the highest R&D intensity of the Greater Bay Area's mainland cities with"
        " figures for 2023: 6.46%, against Guangzhou's 3.44%; its latest figure is 6.67% for 2024"
    )


def test_brief_chart_caption_names_the_series_breaks(gd):
    # the brief's chart draws dotted segments at Guangdong's and China's 2023 (GDP revision)
    # and Hong Kong's 2018 (C&SD method): its short caption must explain them
    caption = gd.report.summary_chart(compact=True).caption
    assert "Dotted segments: series breaks (" in caption
    assert "Guangdong 2023" in caption and "China 2023" in caption
    assert "Hong Kong 2018" in caption


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def _ticks(fig, axis="x"):
    ax = fig.axes[0]
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in labels]


def test_international_bars_as_the_source_states_them(gd):
    # Visual Capitalist (OECD MSTI, rounded): Israel 6.3, Korea 5.0, Japan 3.4; secondary (†)
    fig = gd.sections["international"].figure
    texts = _texts(fig)
    assert "6.3%" in texts and "5.0%" in texts and "6.30%" not in texts and "5.00%" not in texts
    assert "3.48%" in texts  # Guangdong's revised 2023 (NBS 2024 communiqué), two decimals
    labels = _ticks(fig, "y")
    assert "Israel†" in labels and "Korea†" in labels and "Guangdong" in labels


def test_hong_kong_total_only_years_are_drawn(gd):
    # C&SD totals without a sector split: 2021 HK$27,827 m, 2023 HK$33,006 m (drawn hatched)
    fig = gd.sections["hk_by_sector"].figure
    heights = {round(p.get_height()) for p in fig.axes[0].patches if p.get_hatch()}
    assert heights == {27827, 33006}
    assert "2023†" in _ticks(fig) and "2019" in _ticks(fig)  # 2020+ from secondary copies


def test_coincident_city_points_stay_visible(gd):
    # Dongguan 3.06 and Zhuhai 3.15 (2019) nearly coincide: drawn in different sizes
    fig = gd.sections["cities"].figure
    sizes = {}
    for c in fig.axes[0].collections:
        offsets = c.get_offsets()
        if len(offsets) and len(c.get_sizes()):
            for x, y in offsets:
                if int(x) == 2019 and float(y) in (3.06, 3.15):
                    sizes[float(y)] = float(c.get_sizes()[0])
    assert len(sizes) == 2 and sizes[3.06] != sizes[3.15]
