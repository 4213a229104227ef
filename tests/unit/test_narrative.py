"""Report blocks and sections: tables with confidence marks, escaping, display order."""

import pandas as pd
import pytest
from matplotlib.figure import Figure

from gba_report.present import downloads, narrative, sections


def test_table_marks_secondary_and_unverified_rows_and_adds_legend():
    df = pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "value": ["1", "2", "3"],
            "confidence": ["verified", "secondary", "unverified"],
        }
    )
    out = narrative.table(df, "en", {"name": "Name", "value": "Value"})
    assert out.html.count("<tr>") == 4
    assert '<td style="text-align:left">a</td>' in out.html  # verified: no mark
    assert 'b<sup class="gba-mark">†</sup>' in out.html
    assert 'c<sup class="gba-mark">‡</sup>' in out.html
    assert "† secondary source" in out.html  # the legend
    assert ">Name</th>" in out.html and ">Value</th>" in out.html
    assert out.markdown.splitlines()[0] == "| Name | Value |"


def test_table_escapes_text_but_keeps_declared_html_columns():
    df = pd.DataFrame({"a": ["<b>x</b>"], "b": ['<span class="s">ok</span>']})
    out = narrative.table(df, "en", {"a": "A", "b": "B"}, confidence_col=None, html_cols=["b"])
    assert "&lt;b&gt;x&lt;/b&gt;" in out.html
    assert '<span class="s">ok</span>' in out.html
    assert "gba-note" not in out.html  # no legend without marks
    assert out.markdown.splitlines()[-1] == "| <b>x</b> | ok |"  # tags of HTML columns dropped


def test_text_blocks_escape_and_keep_bold():
    assert narrative.para("R&D **up** <3").html == "<p>R&amp;D <strong>up</strong> &lt;3</p>"
    h = narrative.heading("Guangdong's R&D: 3.60%", level=3)
    assert h.html == '<h3 id="guangdong-s-r-d-3-60">Guangdong\'s R&amp;D: 3.60%</h3>'
    assert h.markdown == "### Guangdong's R&D: 3.60%"
    assert narrative.note("n").html == '<p class="gba-note">n</p>'
    assert narrative.bullets(["a", "b"]).markdown == "- a\n- b"


def test_confidence_note_only_when_a_figure_is_not_verified():
    assert narrative.confidence_note(["verified", "verified"], "en") is None
    zh = narrative.confidence_note(["verified", "unverified"], "zh-Hant")
    assert "‡" in zh.html and "gba-note" in zh.html


@pytest.fixture
def shown(monkeypatch):
    """What a section displays, in order: (kind, content, metadata)."""
    calls = []

    def display(obj, raw=False, metadata=None):
        if "image/svg+xml" in obj:
            calls.append(("svg", obj["image/svg+xml"], metadata))
        elif downloads.MIME_TYPE in obj:
            calls.append(("download", obj[downloads.MIME_TYPE], metadata))
        else:
            calls.append(("html", obj["text/html"], None))

    monkeypatch.setattr(sections, "display", display)
    return calls


def _section(page, cited):
    fig = Figure()
    s = sections.SectionBuilder("demo", "en", page, cited.extend)
    s.heading("A finding").plain_chart(fig, "Chart about the finding")
    s.add(narrative.caption("Caption"))
    return s.done(pd.DataFrame({"year": [2024], "value_pct": [3.6]})), fig


def test_section_shows_its_blocks_after_the_stylesheet_once(shown):
    page, cited = sections.Page(), []
    first, fig = _section(page, cited)
    second, _ = _section(page, cited)
    first._ipython_display_()
    second._ipython_display_()
    kinds = [c[0] for c in shown]
    assert kinds == ["html", "html", "svg", "html", "download", "html", "svg", "html", "download"]
    assert shown[0][1].startswith("<style>")  # the stylesheet, once per page
    assert shown[1][1].startswith("<h2")
    svg_text, meta = shown[2][1], shown[2][2]
    assert meta == {"image/svg+xml": {"alt": "Chart about the finding", "gba_download": "demo"}}
    assert '<title id="demo-alt">Chart about the finding</title>' in svg_text
    assert 'role="img" aria-labelledby="demo-alt"' in svg_text
    assert "<dc:date>" not in svg_text  # no date: the same chart gives the same file
    payload = downloads.DownloadPayload.from_dict(shown[4][1])
    assert (payload.id, payload.kind, payload.section) == ("demo", "chart", "demo")
    assert payload.csv == "year,value_pct\n2024,3.6\n"  # exactly section.data
    assert payload.fields == [
        {"name": "year", "type": "integer"},
        {"name": "value_pct", "type": "number"},
    ]
    assert payload.png_bytes.startswith(b"\x89PNG")
    assert first.data.to_dict("list") == {"year": [2024], "value_pct": [3.6]}
    assert first.figure is fig and first.headings() == ["A finding"]
    assert repr(first) == "<Section demo: data 1 rows x 2 columns, a chart>"
