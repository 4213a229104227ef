"""End-to-end: build the real reports (all four, both languages, HTML and A4 PDF)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from urllib.parse import urlparse

import pytest
import yaml
from engine_helpers import ROOT, require_tool, run_cli

from gba_report import data

pytestmark = pytest.mark.slow

MANIFEST = ROOT / "report" / "reports.yml"
REPORTS = ["summary", "rd_intensity", "cross_border_funding", "cluster_rankings"]


def test_manifest_lists_the_four_reports():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert sorted(manifest["reports"]) == sorted(REPORTS)
    for name, entry in manifest["reports"].items():
        assert (ROOT / "notebooks" / entry["notebook"]).exists(), name
        assert entry["title"]["en"] and entry["title"]["zh-Hant"], name
    assert "max_data_age_days" not in manifest["settings"]  # freshness: release calendars


def test_real_reports_build_in_both_languages(tmp_path):
    require_tool("chromium")
    pdftotext = require_tool("pdftotext")
    from pypdf import PdfReader

    builds = tmp_path / "builds"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GBA_REPORT_")}
    env["GBA_REPORT_CACHE_DIR"] = str(tmp_path / "cache")
    result = run_cli(
        ["build", "--lang", "all", "--format", "html,pdf", "--out", str(builds)],
        env,
        timeout=540,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    latest = builds / "latest"
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    titles = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["reports"]
    assert sorted(manifest["reports"]) == sorted(REPORTS)
    for name in REPORTS:
        for lang in ("en", "zh-Hant"):
            html = (latest / f"{name}.{lang}.html").read_text(encoding="utf-8")
            assert f'<html lang="{lang}">' in html
            assert not re.search(r'<script[^>]+src=["\']?(https?:)?//', html)
            pdf = latest / f"{name}.{lang}.pdf"
            pages = PdfReader(pdf).pages
            if name == "summary":  # an executive brief: about two A4 pages, three at most
                assert len(pages) <= 3, (lang, len(pages))
            for page in pages:
                assert abs(float(page.mediabox.width) - 595) <= 1
                assert abs(float(page.mediabox.height) - 842) <= 1
            text = subprocess.run(
                [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            title = titles[name]["title"][lang]
            flat = re.sub(r"\s+", "", text)  # titles may wrap across lines
            assert re.sub(r"\s+", "", title) in flat, (name, lang)
            if lang == "zh-Hant":
                assert re.search(r"[\u4e00-\u9fff]{4}", text), name
            info = manifest["reports"][name]["langs"][lang]
            assert info["parameters"]["lang"] == lang
            assert info["cached"] is False
    zh_text = "".join(
        subprocess.run(
            [pdftotext, str(latest / f"{name}.zh-Hant.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name in REPORTS
    )
    assert "灣區" in zh_text
    # no reader-facing text (HTML or PDF, either language) names the host of a copy, mirror or
    # blog the project read a figure in (retrieval_location hosts other than the origin's)
    hosts = set()
    for row in data.load_sources().itertuples():
        location = str(row.retrieval_location)
        host = urlparse(location).netloc.lower().removeprefix("www.")
        origin = urlparse(str(row.origin_url or "")).netloc.lower().removeprefix("www.")
        if location.startswith("http") and host and host != origin:
            hosts.add(host)
    assert "l4.net.cn" in hosts
    for name in REPORTS:
        for lang in ("en", "zh-Hant"):
            html = (latest / f"{name}.{lang}.html").read_text(encoding="utf-8").lower()
            text = subprocess.run(
                [pdftotext, str(latest / f"{name}.{lang}.pdf"), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.lower()
            for where, body in (("html", html), ("pdf", re.sub(r"\s+", "", text))):
                named = [h for h in hosts if h in body]
                assert not named, (name, lang, where, named)
