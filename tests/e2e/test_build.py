"""End-to-end: ``gba-report build`` on the fixture notebooks (HTML + A4 PDF, both languages)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from engine_helpers import build_args, cli_env, require_tool, run_cli, shared_once

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One cold build of the fixture report, then a second build with nothing changed.

    Made once per session (``shared_once``) and only read by the tests.
    """
    require_tool("chromium")

    def make(tmp: Path) -> dict:
        builds = tmp / "builds"
        env = cli_env(tmp)
        first = run_cli(build_args("fixture", builds, lang="all", fmt="html,pdf"), env)
        assert first.returncode == 0, first.stderr
        first_target = (builds / "latest").resolve()
        second = run_cli(["build", "fixture", "--out", str(builds)], env)
        assert second.returncode == 0, second.stderr
        return {
            "builds": str(builds),
            "first": str(first_target),
            "second_stdout": second.stdout,
            "first_stderr": first.stderr,
        }

    info = shared_once(tmp_path_factory, "fixture-all-langs", make)
    return {**info, "builds": Path(info["builds"]), "first": Path(info["first"])}


def test_layout_and_latest_symlink(built):
    latest = built["builds"] / "latest"
    assert latest.is_symlink()
    out = latest.resolve()
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", out.name)
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for lang in ("en", "zh-Hant"):
        assert {
            f"fixture.{lang}.html",
            f"fixture.{lang}.pdf",
            f"executed/fixture.{lang}.ipynb",
        } <= names
    assert {"index.html", "manifest.json"} <= names
    assert not list(built["builds"].glob(".tmp-*")), "temporary build folder left behind"


def test_every_pdf_is_a4(built):
    from pypdf import PdfReader

    for pdf in (built["builds"] / "latest").glob("*.pdf"):
        for page in PdfReader(pdf).pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert abs(width - 595) <= 1 and abs(height - 842) <= 1, (pdf.name, width, height)


def _pdf_text(path: Path) -> str:
    pdftotext = require_tool("pdftotext")
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_text_layer_in_both_languages(built):
    latest = built["builds"] / "latest"
    zh = _pdf_text(latest / "fixture.zh-Hant.pdf")
    assert "灣區" in zh
    assert "測試灣區報告" in zh  # the zh-Hant title from the manifest
    en = _pdf_text(latest / "fixture.en.pdf")
    assert "Fixture Bay Area Report" in en
    # the one-page fixture report and its "How to cite" box: pages "1 / 2" and "2 / 2"
    pages = en.count("\f")
    for n in range(1, pages + 1):
        footer = rf"^\s*{n}\s*/\s*{pages}\s*$"
        assert re.search(footer, en, re.M), f"page number footer '{n} / {pages}' missing"
    assert "How to cite" in en
    assert "A tiny report used by the engine tests." in en  # markdown cells are kept


def test_html_is_self_contained_without_code(built):
    latest = built["builds"] / "latest"
    for lang in ("en", "zh-Hant"):
        html = (latest / f"fixture.{lang}.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html
        assert '"Noto Sans CJK TC"' in html
        # no code input areas or prompts (markdown cells render inside jp-InputArea too,
        # so look for code cells' editors and highlighted source)
        body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
        assert not re.search(r'class="[^"]*\b(jp-CodeMirrorEditor|jp-Editor|input_area)\b', body)
        assert not re.search(r'class="[^"]*\bhighlight\b', body)
        assert not re.search(r'class="[^"]*\bjp-InputPrompt\b', body)
        assert "set_matplotlib_formats" not in html  # code never shown
        assert "A tiny report used by the engine tests." in html
        # nothing fetched from the network
        tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html, flags=re.I)
        for tag in tags:
            assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', tag, re.I), tag
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", html)
        assert not re.search(r"url\(\s*['\"]?https?://", html)
        # title block, contents, chart embedded
        assert 'class="gba-title-block"' in html
        assert 'class="gba-toc"' in html
        assert "data:image/svg+xml" in html or "<svg" in html
        # chart alt text from the output metadata (or empty), never nbconvert's placeholder
        assert "No description has been provided" not in html
        assert not re.search(r"<img\b(?![^>]*\balt=)[^>]*>", html)
        # parameters: labels in the reader's language, exact values only in data-params
        assert 'data-params="lang=' + lang + "; " in html and "start_year=2016" in html
        assert "start_year&nbsp;=" not in html and "<code>start_year</code>" not in html
    zh = (latest / "fixture.zh-Hant.html").read_text(encoding="utf-8")
    assert "大灣區研發概況" in zh and "目錄" in zh
    assert "起始年份</span>：2016" in zh and "截至</span>：2024年12月31日" in zh
    en = (latest / "fixture.en.html").read_text(encoding="utf-8")
    assert "First year</span>: 2016" in en


def test_index_and_manifest(built):
    latest = built["builds"] / "latest"
    index = (latest / "index.html").read_text(encoding="utf-8")
    for lang in ("en", "zh-Hant"):
        for fmt in ("html", "pdf"):
            assert f'href="fixture.{lang}.{fmt}"' in index
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == latest.resolve().name
    assert manifest["status"] == "success"
    assert manifest["started"] <= manifest["finished"]
    assert manifest["versions"]["python"] and manifest["versions"]["papermill"]
    assert manifest["data_version"] in index
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in manifest["data_files"].values())
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((latest / name).read_bytes()).hexdigest() == digest, name
    assert "fixture.zh-Hant.pdf" in manifest["outputs"]
    langs = manifest["reports"]["fixture"]["langs"]
    assert set(langs) == {"en", "zh-Hant"}
    en = langs["en"]
    assert en["parameters"]["lang"] == "en"
    assert en["parameters"]["start_year"] == 2016  # default from the fixture manifest
    assert re.fullmatch(r"[0-9a-f]{64}", en["content_sha256"])
    assert en["key_figures"]["bars"]["value"] == 2
    assert en["duration_s"] >= 0


def test_second_build_reuses_the_cache(built):
    latest = (built["builds"] / "latest").resolve()
    assert latest != built["first"], "the rebuild must publish a new build folder"
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    first = json.loads((built["first"] / "manifest.json").read_text(encoding="utf-8"))
    for lang, info in manifest["reports"]["fixture"]["langs"].items():
        assert info["cached"] is True, lang
        old = first["reports"]["fixture"]["langs"][lang]
        assert old["cached"] is False
        assert info["content_sha256"] == old["content_sha256"]
    assert "2 from cache" in built["second_stdout"]


def test_plain_log_lines_when_not_a_terminal(built):
    err = built["first_stderr"]
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ fixture\.en: ", err, re.M)


def test_injection_string_arrives_as_literal_data(tmp_path):
    builds = tmp_path / "builds"
    echo = tmp_path / "echo.txt"
    marker = tmp_path / "pwned"
    payload = f'x"); import os; os.system("touch {marker}") #'
    result = run_cli(
        build_args("fixture", builds, "-p", f"message={payload}", "-p", f"echo_file={echo}"),
        cli_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert echo.read_text(encoding="utf-8") == payload
    assert not marker.exists(), "the parameter value was executed as code"
    executed = (builds / "latest" / "executed" / "fixture.en.ipynb").read_text(encoding="utf-8")
    assert "received:" in executed


def test_bad_parameters_exit_2_before_any_kernel(tmp_path):
    builds = tmp_path / "builds"
    result = run_cli(
        [
            "build",
            "fixture",
            "--format",
            "html",
            "--out",
            str(builds),
            "-p",
            "regions=HK,XX",
            "-p",
            "start_year=2025",
            "-p",
            "end_year=2020",
            "-p",
            "scael=2",
        ],
        cli_env(tmp_path),
        timeout=60,
    )
    assert result.returncode == 2
    assert "did you mean 'scale'" in result.stderr
    assert "'XX' is not an allowed value; valid: HK, MO, GD, SZ" in result.stderr
    assert "start_year=2025 is after end_year=2020" in result.stderr
    assert not builds.exists() or not list(builds.iterdir())


def test_unknown_report_and_language_exit_2(tmp_path):
    result = run_cli(["build", "fixtrue", "--out", str(tmp_path)], cli_env(tmp_path), timeout=60)
    assert result.returncode == 2
    assert "did you mean 'fixture'" in result.stderr
    result = run_cli(
        ["build", "fixture", "--lang", "fr", "--out", str(tmp_path)], cli_env(tmp_path), timeout=60
    )
    assert result.returncode == 2
    assert "unknown language 'fr'" in result.stderr


def test_list_shows_parameters(tmp_path):
    result = run_cli(["list"], cli_env(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "fixture: Fixture Bay Area Report / 測試灣區報告" in out
    assert re.search(r"start_year\s+int\s+default 2016", out)
    assert "First year shown" in out and "allowed: 2000..2030" in out
    assert "allowed: one of: HK, MO, GD, SZ" in out
