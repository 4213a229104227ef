"""Fast checks of the build engine's pure helpers (no kernel, no browser)."""

from __future__ import annotations

import pytest

from gba_report.engine import build
from gba_report.engine import worker as build_worker


def _nb(svg_id: str, count: int, date: str) -> dict:
    svg = (
        f"<svg><metadata><dc:date>{date}</dc:date></metadata>"
        f'<clipPath id="{svg_id}"/><path clip-path="url(#{svg_id})"/></svg>'
    )
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": count,
                "metadata": {"papermill": {"start_time": date}},
                "source": "plot()",
                "outputs": [
                    {"output_type": "display_data", "data": {"image/svg+xml": svg}, "metadata": {}}
                ],
            }
        ],
        "metadata": {"papermill": {"start_time": date}},
    }


def test_content_hash_ignores_timestamps_counts_and_svg_ids():
    a = build.content_hash(_nb("p1a2", 3, "2026-01-01T00:00:00"))
    b = build.content_hash(_nb("zz99", 7, "2026-02-02T00:00:00"))
    assert a == b


def test_content_hash_sees_changed_output():
    nb = _nb("p1", 1, "x")
    other = _nb("p1", 1, "x")
    other["cells"][0]["outputs"].append({"output_type": "stream", "name": "stdout", "text": "2"})
    assert build.content_hash(nb) != build.content_hash(other)


def test_add_toc_lists_h2_h3_with_anchors():
    html = (
        "<header>t</header><!--GBA-TOC--><h2 id='x'>skip</h2>"
        '<h2 id="first">First<a class="anchor-link" href="#first">¶</a></h2>'
        "<h3>Sub <em>part</em></h3><h4>not listed</h4>"
    )
    out = build_worker.add_toc(html, "zh-Hant")
    assert '<nav class="gba-toc" aria-label="目錄">' in out
    assert '<a href="#first">First</a>' in out
    assert 'href="#gba-sec-' in out and "Sub part" in out
    assert "not listed</a>" not in out


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["all"], ["en", "zh-Hant"]), (["zh-hant"], ["zh-Hant"]), (["en,zh-Hant"], ["en", "zh-Hant"])],
)
def test_parse_languages(values, expected):
    assert build._parse_list(values, build.LANGUAGES, "language") == expected


def test_unknown_format_is_a_usage_error():
    with pytest.raises(build.BuildError) as err:
        build._parse_list(["docx"], build.FORMATS, "format")
    assert err.value.code == build.EXIT_USAGE


def test_manifest_errors_are_usage_errors(tmp_path):
    path = tmp_path / "reports.yml"
    path.write_text("reports:\n  a: {title: x}\n", encoding="utf-8")
    with pytest.raises(build.BuildError, match="needs a 'notebook'") as err:
        build.load_manifest(path)
    assert err.value.code == build.EXIT_USAGE


def test_failure_message_names_report_language_cell_error_and_path(tmp_path):
    job = build.Job("rd_intensity", "zh-Hant", tmp_path / "nb.ipynb", {}, "t")
    job.failure = {
        "kind": "cell_error",
        "cell": 7,
        "cell_source": "plots.trend(df)",
        "ename": "KeyError",
        "evalue": "'GD'",
    }
    msg = build.describe_failure(job, tmp_path / "kept.ipynb")
    assert msg.startswith("rd_intensity (zh-Hant) failed at cell 7 [plots.trend(df)]: KeyError")
    assert str(tmp_path / "kept.ipynb") in msg


def test_every_exit_code_is_documented():
    assert set(build.EXIT_CODES) == {0, 1, 2, 3, 4, 130, 143}
