"""Report blocks built from the curated data: source lines and the closing sources section.

(The pure block builders are unit-tested in tests/unit/test_narrative.py; these read the
real source catalogue and metadata sidecars.)
"""

import datetime as dt

from gba_report.present import narrative


def test_source_line_names_each_publisher_once():
    text = narrative.source_text(["rd_intensity"], "en")
    assert text.startswith("Sources: ")
    parts = text.removeprefix("Sources: ").split("; ")
    assert len(parts) == len(set(parts))
    assert "National Bureau of Statistics of China (NBS), MOST, MOF" in parts
    assert narrative.source_text(["rd_intensity"], "zh-Hant").startswith("資料來源：")
    # a source id and a dataset name resolve alike; an unknown id is named as it is
    assert narrative.source_ids("csd-table-207;no-such-source") == [
        "csd-table-207",
        "no-such-source",
    ]


def test_sources_section_lists_caveats_sources_and_freshness():
    out = narrative.sources_section(["rd_intensity", "targets"], "zh-Hant")
    assert "注意事項與資料來源" in out.html
    assert "數據時效" in out.html
    assert "https://www.stats.gov.cn/" in out.html
    listed = narrative.listed_sources(["rd_intensity", "targets"])
    assert out.html.count("<li>") >= len(listed)
    frame = narrative.source_list(listed, "zh-Hant")
    assert frame["source_id"].tolist() == listed


def test_sources_section_warns_about_an_overdue_release():
    # on 1 Dec 2026 the GII 2026 edition is due (about September) but not in the data
    today = dt.date(2026, 12, 1)
    en = narrative.sources_section(["gii_cluster_ranks"], "en", today=today)
    assert "gba-warning" in en.html and "the 2026 edition was expected by" in en.html
    zh = narrative.sources_section(["gii_cluster_ranks"], "zh-Hant", today=today)
    assert "gba-warning" in zh.html and "2026年版預計已於" in zh.html
    # on 1 Jun 2026 nothing is due yet: the 2026 edition is expected by 30 Sep 2026
    early = narrative.sources_section(["gii_cluster_ranks"], "en", today=dt.date(2026, 6, 1))
    assert "gba-warning" not in early.html
