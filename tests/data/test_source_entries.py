"""Source entries and lists as readers see them: brackets, each publication once, publishers.

Titles and publishers typed from data/sources.csv (WIPO GII 2025 copies; Global Times; Yicai
Global).
"""

from gba_report import data
from gba_report.present import narrative
from gba_report.reports import summary_sections

#: Six catalogue ids that are copies of one publication: WIPO, "Global Innovation Index 2025:
#: innovation clusters" (no official URL), read on third-party pages and mirrors.
GII_2025_COPIES = [
    "gii-qqdbkk-blog-2025",
    "gii-rapmd-2025",
    "gii-kimbellard-blog-2025",
    "gii-jphome-2025",
    "gii-networkofcenters-2025",
    "gii-zhuhai-macao-mirror-2025",
]


def test_zh_title_that_marks_its_work_name_is_not_wrapped_again():
    entry = narrative._source_entry(
        "世界知識產權組織", "《2025年全球創新指數》：創新集群", "zh-Hant"
    )
    assert entry == "世界知識產權組織《2025年全球創新指數》：創新集群"
    assert narrative._source_entry("新華社", "2024年報道", "zh-Hant") == "新華社《2024年報道》"
    markup = narrative._source_entry("世界知識產權組織", "《2025年全球創新指數》", "zh-Hant", True)
    assert "《《" not in markup and markup.count("《") == 1


def test_sources_section_lists_each_origin_publication_once():
    for lang, title in (
        ("en", "Global Innovation Index 2025: innovation clusters"),
        ("zh-Hant", "2025年全球創新指數"),
    ):
        html = narrative.sources_section(["gii_cluster_ranks"], lang, used_sources=GII_2025_COPIES)
        items = html.html.split("<li>")[1:]
        entries = [i.split("</li>")[0] for i in items if title in i and "gba-caveats" not in i]
        assert len(entries) == 1, entries
        assert "《《" not in html.html


def test_publishers_are_counted_by_identity_in_both_languages():
    # Global Times: 環球時報 and 《環球時報》 were the same publisher shown twice in zh-Hant;
    # Yicai Global: 第一財經（英文版） and 第一財經環球
    ids = ["globaltimes-2019-10-23", "globaltimes-2023-04-16"]
    ids += ["gii-yicaiglobal-2025", "gii-yicaiglobal-fink-2024"]
    en = summary_sections.publishers("en", ids)
    zh = summary_sections.publishers("zh-Hant", ids)
    assert en == ["Global Times", "Yicai Global"]
    assert zh == ["環球時報", "第一財經（英文版）"]


def test_catalogue_publishers_one_to_one_and_titles_not_wholly_bracketed():
    sources = data.load_sources()
    pairs = sources[["publisher", "publisher_zh_hant"]].drop_duplicates()
    assert not pairs["publisher"].duplicated().any(), "one publisher, two zh-Hant names"
    assert not pairs["publisher_zh_hant"].duplicated().any(), "two publishers, one zh-Hant name"
    # title_zh_hant is the bare title; 《》 only mark a work named inside a longer title
    wrapped = sources["title_zh_hant"].astype(str).str.fullmatch(r"《[^《》]*》")
    assert not wrapped.any(), list(sources.loc[wrapped, "source_id"])
    assert not sources["publisher_zh_hant"].astype(str).str.contains("政府政府").any()


def test_methodology_table_has_no_2024_change_beside_no_change_in_2024():
    # WIPO GII 2024 Appendix IV: "Since 2016, the GII has sought to identify S&T clusters using a
    # bottom-up approach": the method of every edition, not a 2024 change
    meth = data.load_gii_methodology()
    bottom_up = meth.loc[meth["change_code"] == "bottom_up_density_method", "edition"]
    assert bottom_up.tolist() == [2017]
