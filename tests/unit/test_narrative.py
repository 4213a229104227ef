"""Report blocks: tables with confidence marks, source lines, the closing sources section."""

import pandas as pd

from gba_report.present import narrative


def test_table_marks_secondary_and_unverified_rows_and_adds_legend():
    df = pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "value": ["1", "2", "3"],
            "confidence": ["verified", "secondary", "unverified"],
        }
    )
    out = narrative.table(df, "en", {"name": "Name", "value": "Value"}, show=False)
    assert out.html.count("<tr>") == 4
    assert "b<sup" in out.html and "†</sup>" in out.html
    assert "‡</sup>" in out.html
    assert "secondary source" in out.html  # the legend
    assert "<th" in out.html and ">Name</th>" in out.html


def test_table_escapes_text_but_keeps_declared_html_columns():
    df = pd.DataFrame({"a": ["<b>x</b>"], "b": ['<span class="s">ok</span>']})
    out = narrative.table(
        df, "en", {"a": "A", "b": "B"}, confidence_col=None, html_cols=["b"], show=False
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in out.html
    assert '<span class="s">ok</span>' in out.html
    assert "secondary source" not in out.html  # no legend without marks


def test_source_line_names_each_publisher_once():
    text = narrative.source_text(["rd_intensity"], "en")
    assert text.startswith("Sources: ")
    parts = text.removeprefix("Sources: ").split("; ")
    assert len(parts) == len(set(parts))
    assert narrative.source_text(["rd_intensity"], "zh-Hant").startswith("資料來源：")


def test_sources_section_lists_caveats_sources_and_freshness():
    out = narrative.sources_section(["rd_intensity", "targets"], "zh-Hant", show=False)
    assert "注意事項與資料來源" in out.html
    assert "數據時效" in out.html
    assert "https://" in out.html


def test_sources_section_warns_about_an_overdue_release():
    # on 1 Dec 2026 the GII 2026 edition is due (about September) but not in the data
    import datetime as dt

    today = dt.date(2026, 12, 1)
    en = narrative.sources_section(["gii_cluster_ranks"], "en", today=today, show=False)
    assert "gba-warning" in en.html and "the 2026 edition was expected by" in en.html
    zh = narrative.sources_section(["gii_cluster_ranks"], "zh-Hant", today=today, show=False)
    assert "gba-warning" in zh.html and "2026年版預計已於" in zh.html
