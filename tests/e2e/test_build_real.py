"""End-to-end: build the real reports (all four, both languages, HTML and A4 PDF), once.

The one build (made once per session) is checked for the reports themselves, then for what makes
every figure reusable: the downloads beside each chart and table (CSV equal to the section's
``.data``, SVG and PNG), every link of the HTML, the data archives (Frictionless), the PDFs'
structure and document information (pikepdf), and the "How to cite" box (its run id and data
version read from the build's manifest).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from engine_helpers import ROOT, require_tool, run_cli, shared_once

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


@pytest.fixture(scope="session")
def real_build(tmp_path_factory):
    """The published folder of one real build (every report, both languages, HTML + PDF).

    Made once per session (``shared_once``), whichever worker asks first; the tests below
    only read it, so they may run on different workers at once.
    """
    require_tool("chromium")

    def make(tmp_path: Path) -> dict:
        builds = tmp_path / "builds"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GBA_REPORT_")}
        env["GBA_REPORT_CACHE_DIR"] = str(tmp_path / "cache")
        result = run_cli(
            ["build", "--lang", "all", "--format", "html,pdf", "--out", str(builds)],
            env,
            timeout=540,
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return {"latest": str(builds / "latest")}

    return Path(shared_once(tmp_path_factory, "real-build", make)["latest"])


def _manifest(latest: Path) -> dict:
    return json.loads((latest / "manifest.json").read_text(encoding="utf-8"))


def test_real_reports_build_in_both_languages(real_build):
    pdftotext = require_tool("pdftotext")
    from pypdf import PdfReader

    latest = real_build
    manifest = _manifest(latest)
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


# The checks of what makes every figure reusable, each its own test so that the workers share
# them out (the build they read is made once).
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
@pytest.mark.parametrize("name", REPORTS)
def test_downloads_equal_the_sections(real_build, name, lang):
    _check_downloads(real_build, _manifest(real_build), name, lang)


def test_every_link_resolves(real_build):
    _check_links(real_build)


def test_data_archives_are_valid_data_packages(real_build, tmp_path):
    _check_archives(real_build, _manifest(real_build), tmp_path)


def test_pdf_structure_outline_and_document_information(real_build):
    _check_pdfs(real_build, _manifest(real_build))


def test_how_to_cite_box_bibtex_and_citation_cff(real_build):
    _check_citations(real_build, _manifest(real_build))


# --------------------------------------------------------------------------- reuse checks
AUTHOR = {"en": "GBA innovation report", "zh-Hant": "粵港澳大灣區創新報告"}
LINK_RE = re.compile(r'(?:href|src)="([^"]*)"')
HEADING_RE = re.compile(r"<h([1-3])[^>]*>(.*?)</h\1>", re.S)


def _report_sections(name, lang):
    """Every section the report's notebook shows, built in this process, by section name."""
    import importlib

    import nbformat

    from gba_report import paths

    module = importlib.import_module(f"gba_report.reports.{name}")
    cls = next(
        v
        for k, v in vars(module).items()
        if k.endswith("Report") and getattr(v, "__module__", "") == module.__name__
    )
    report = cls.from_notebook(lang)
    nb = nbformat.read(paths.notebooks_dir() / cls.notebook, as_version=4)
    calls = [
        m
        for cell in nb.cells
        if cell.cell_type == "code"
        for m in re.findall(r"\breport\.(\w+)\(", cell.source)
        if m != "key_figures"
    ]
    found = {}
    for method in calls:
        section = getattr(report, method)()
        found[section.name] = section
    return found


def _same_value(expected, text):
    """Whether a CSV cell (text) holds the frame's value (typed comparison, not to_csv)."""
    import math

    import pandas as pd

    if expected is None or (not isinstance(expected, str) and pd.isna(expected)):
        return text == ""
    if isinstance(expected, bool) or type(expected).__name__ == "bool_":
        return text == str(bool(expected))
    if isinstance(expected, int | float) or hasattr(expected, "dtype"):
        return text != "" and math.isclose(float(text), float(expected), rel_tol=0, abs_tol=0)
    return text == str(expected)


def _check_downloads(latest, manifest, name, lang):
    import io

    import pandas as pd
    from PIL import Image

    info = manifest["reports"][name]["langs"][lang]["downloads"]
    files = info["files"]
    csvs = [f for f in files if f.endswith(".csv")]
    assert csvs, (name, lang)
    sections = _report_sections(name, lang)
    for rel in csvs:
        section = sections[rel.rsplit("/", 1)[1].removesuffix(".csv")]
        text = (latest / rel).read_text(encoding="utf-8")
        got = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        data = section.data
        assert list(got.columns) == [str(c) for c in data.columns], rel
        assert len(got) == len(data) > 0, rel
        for col in data.columns:
            for i, value in enumerate(data[col].tolist()):
                assert _same_value(value, got.iloc[i][str(col)]), (rel, col, i)
    charts = [s for s in sections.values() if s.figure is not None]
    svgs = [f for f in files if f.endswith(".svg")]
    assert len(svgs) == len(charts) > 0, (name, lang)
    for rel in svgs:
        svg = (latest / rel).read_text(encoding="utf-8")
        assert "<svg" in svg and 'role="img"' in svg, rel
        alt = re.search(r'<title id="[^"]+-alt">([^<]+)</title>', svg)
        assert alt and alt.group(1).strip(), rel
        if lang == "zh-Hant":
            assert re.search(r"[\u4e00-\u9fff]", alt.group(1)), rel
        png = latest / rel.replace(".svg", ".png")
        width_pt = float(re.search(r'width="([\d.]+)pt"', svg).group(1))
        with Image.open(png) as image:  # 2x the screen chart (100 px per inch)
            assert abs(image.width - width_pt / 72 * 200) <= 3, (rel, image.width)


def _check_links(latest):
    for page in sorted(latest.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for href in LINK_RE.findall(html):
            if href.startswith(("#", "http:", "https:", "mailto:", "data:")) or not href:
                continue
            target = (page.parent / href.split("#", 1)[0]).resolve()
            assert target.is_file(), (page.name, href)
        if page.name != "index.html":
            assert 'class="gba-downloads"' in html, page.name


def _check_archives(latest, manifest, unzip_to):
    import zipfile

    from frictionless import validate

    index = (latest / "index.html").read_text(encoding="utf-8")
    for name in REPORTS:
        for lang in ("en", "zh-Hant"):
            info = manifest["reports"][name]["langs"][lang]
            archive = latest / info["downloads"]["archive"]
            assert f'href="{archive.name}"' in index
            target = unzip_to / f"unzipped-{name}.{lang}"
            with zipfile.ZipFile(archive) as zipped:
                names = set(zipped.namelist())
                zipped.extractall(target)
            csvs = {f.rsplit("/", 1)[1] for f in info["downloads"]["files"] if f.endswith(".csv")}
            assert names == csvs | {"datapackage.json", "README.md"}, (name, lang)
            report = validate(str(target / "datapackage.json"))
            assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
            package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
            assert package["version"] == manifest["data_version"]
            assert all(r["sources"] for r in package["resources"]), (name, lang)
            units = [f.get("unit") for r in package["resources"] for f in r["schema"]["fields"]]
            assert any(units), (name, lang)
            readme = (target / "README.md").read_text(encoding="utf-8")
            assert manifest["data_version"] in readme
            if lang == "zh-Hant":
                assert "數據" in readme and "授權" in readme


def _check_pdfs(latest, manifest):
    import html as html_lib

    import pikepdf

    for name in REPORTS:
        for lang in ("en", "zh-Hant"):
            page = (latest / f"{name}.{lang}.html").read_text(encoding="utf-8")
            headings = [
                html_lib.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
                for _, inner in HEADING_RE.findall(page)
            ]
            with pikepdf.open(latest / f"{name}.{lang}.pdf") as pdf:
                assert "/StructTreeRoot" in pdf.Root, name
                assert bool(pdf.Root.MarkInfo.Marked) is True
                assert str(pdf.Root.Lang) == lang
                with pdf.open_outline() as outline:
                    titles = []

                    def walk(items, titles=titles):
                        for item in items:
                            titles.append(item.title.strip())
                            walk(item.children)

                    walk(outline.root)
                # Chromium drops the space where a heading wraps ("needs\ncorrecting")
                flat = [re.sub(r"\s+", "", h) for h in headings if h]
                assert [re.sub(r"\s+", "", t) for t in titles] == flat, (name, lang)
                info = pdf.docinfo
                assert str(info.Title) == manifest["reports"][name]["title"][lang]
                assert str(info.Author) == AUTHOR[lang]
                assert manifest["data_version"] in str(info.Subject)
                assert str(info.Keywords)
                assert re.fullmatch(r"gba-report \d+\.\d+\.\d+\S*", str(info.Creator))
                assert str(info.Producer).startswith(str(info.Creator))
                with pdf.open_metadata() as xmp:
                    assert xmp["dc:title"] == str(info.Title)
                charts = [f for f in info_files(manifest, name, lang) if f.endswith(".svg")]
                alts = _figure_alts(pdf.Root.StructTreeRoot)
                assert len(alts) == len(charts) and all(a.strip() for a in alts), (name, lang)


def info_files(manifest, name, lang):
    """The download files of one report x language, from the manifest."""
    return manifest["reports"][name]["langs"][lang]["downloads"]["files"]


def _figure_alts(node, depth=0):
    """``/Alt`` of every ``/Figure`` element of a PDF structure tree."""
    import pikepdf

    found = []
    if depth > 80:
        return found
    if isinstance(node, pikepdf.Dictionary):
        if str(node.get("/S", "")) == "/Figure":
            found.append(str(node.get("/Alt", "")))
        if "/K" in node:
            found += _figure_alts(node.K, depth + 1)
    elif isinstance(node, pikepdf.Array):
        for child in node:
            found += _figure_alts(child, depth + 1)
    return found


def _check_citations(latest, manifest):
    cff = yaml.safe_load((latest / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == manifest["run_id"]
    assert len(cff["references"]) == 2 * len(REPORTS)
    for name in REPORTS:
        for lang in ("en", "zh-Hant"):
            page = (latest / f"{name}.{lang}.html").read_text(encoding="utf-8")
            box = re.search(r'<section class="gba-cite".*?</section>', page, re.S)
            assert box, (name, lang)
            assert manifest["run_id"] in box.group(0)
            assert manifest["data_version"] in box.group(0)
            bib = (latest / f"{name}.{lang}.bib").read_text(encoding="utf-8")
            assert bib.startswith("@techreport{") and manifest["run_id"] in bib
