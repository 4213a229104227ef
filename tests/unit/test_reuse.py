"""Reuse of the figures: chart SVG (alt text, hover titles, ids), link rows, citation run id."""

from __future__ import annotations

import re

import numpy as np
from matplotlib.figure import Figure

from gba_report.engine import citation, export
from gba_report.present.charts import svg
from gba_report.present.downloads import DownloadPayload


def _chart() -> Figure:
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    xs, ys = [2022, 2023, 2024], [3.42, np.nan, 3.6]
    dots = ax.scatter(xs, ys)
    svg.tip(dots, "Guangdong", xs, ys)
    ax.set_ylabel("R&D intensity, % of GDP")
    return fig


def test_svg_has_alt_title_and_one_hover_title_per_drawn_point():
    text = svg.render_svg(_chart(), "Guangdong's R&D intensity", "demo")
    assert re.search(
        r'<svg [^>]*role="img" aria-labelledby="demo-alt"><title id="demo-alt">'
        r"Guangdong&#x27;s R&amp;D intensity</title>",
        text,
    )
    titles = re.findall(r"<use [^>]*><title>([^<]*)</title></use>", text)
    # the missing 2023 value is not drawn, so it has no title
    assert titles == [
        "Guangdong · 2022: 3.42 (R&amp;D intensity, % of GDP)",
        "Guangdong · 2024: 3.6 (R&amp;D intensity, % of GDP)",
    ]
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert ids and all(i.startswith("demo-") for i in ids)
    refs = re.findall(r'(?:url\(#|href="#)([^)"]+)', text)
    assert refs and all(r in ids for r in refs)  # every reference points at a renamed id
    assert "<dc:date>" not in text


def test_png_is_twice_the_screen_resolution():
    fig = _chart()
    png = svg.render_png(fig)
    width = int.from_bytes(png[16:20], "big")  # IHDR width
    screen = svg.render_svg(fig, "", "x")
    width_pt = float(re.search(r'width="([\d.]+)pt"', screen).group(1))
    assert abs(width - width_pt / 72 * 200) <= 2


def test_link_row_is_relative_and_in_the_report_language():
    payload = DownloadPayload("cities", "chart", "cities", "", "", [], "a\n1\n")
    zh = export.link_row(payload, "rd_intensity.zh-Hant", "zh-Hant")
    assert 'href="rd_intensity.zh-Hant.files/cities.csv"' in zh
    assert 'href="rd_intensity.zh-Hant.files/cities.svg"' in zh
    assert 'href="rd_intensity.zh-Hant.files/cities.png"' in zh
    assert ">數據 (CSV)</a> · <a" in zh
    table = DownloadPayload("growth", "table", "growth", "", "", [], "a\n1\n")
    en = export.link_row(table, "rd_intensity.en", "en")
    assert re.findall(r">([^<]+)</a>", en) == ["Data (CSV)"]


def test_download_payloads_join_the_html_output_before_them():
    import nbformat

    payload = DownloadPayload("growth", "table", "growth", "", "", [], "a\n1\n").to_dict()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report.growth()")
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/html": "<p>caption</p>"}),
        nbformat.v4.new_output(
            "display_data", {"application/vnd.gba-report.download+json": payload}
        ),
    ]
    alone = nbformat.v4.new_code_cell("report.growth()")
    alone.outputs = [
        nbformat.v4.new_output(
            "display_data", {"application/vnd.gba-report.download+json": payload}
        )
    ]
    nb.cells = [cell, alone]
    shown = export.with_download_links(nb, "rd_intensity.en", "en")
    outputs = shown.cells[0].outputs
    assert len(outputs) == 1  # the row joined the caption's output
    assert outputs[0].data["text/html"].startswith('<p>caption</p><p class="gba-downloads"')
    assert list(shown.cells[1].outputs[0].data) == ["text/html"]  # nothing before: its own


def test_run_id_is_filled_into_the_citation_box():
    page = '<p>run <span class="gba-run-id">(given in manifest.json)</span>.</p>' * 2
    filled = citation.fill_run_id(page, "20261201T000000Z-abc123")
    assert filled.count('<span class="gba-run-id">20261201T000000Z-abc123</span>') == 2
    assert "manifest.json" not in filled
