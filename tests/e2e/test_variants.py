"""End-to-end: a small matrix (two variants x two languages, HTML + PDF) built by the local pool
and by three shards published together; the two builds agree; shards of different plans refuse;
a variant without data is skipped and a thin-data variant says so in its language."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from engine_helpers import FIXTURES, cli_env, require_tool, run_cli

pytestmark = pytest.mark.slow

#: Two variants of the fixture report: one bar, three bars (its key figure ``bars``).
MATRIX = [
    "build",
    "fixture",
    "--matrix",
    "regions=GD;GD,SZ,HK",
    "--lang",
    "all",
    "--format",
    "html,pdf",
]
STEMS = [f"fixture--{v}.{lang}" for v in ("GD", "GD+SZ+HK") for lang in ("en", "zh-Hant")]


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _text(html: str) -> str:
    """The HTML's visible text without what legitimately differs between builds."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'data:image/svg\+xml;base64,[^"]+', "", html)  # charts: ids and dates
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?", "DATE", text)
    return " ".join(text.split())


def _summary(build: Path) -> dict:
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    out = {}
    for name, info in manifest["reports"].items():
        for lang, entry in info["langs"].items():
            stem = f"{name}.{lang}"
            out[stem] = {
                "variant": info.get("variant"),
                "parameters": entry["parameters"],
                "key_figures": entry["key_figures"],
                "content": entry["content_sha256"],
                "pages": _pages(build / entry["outputs"]["pdf"]),
                "text": _text((build / entry["outputs"]["html"]).read_text(encoding="utf-8")),
            }
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The matrix built once by the local pool, and once as three shards then published."""
    require_tool("chromium")
    tmp = tmp_path_factory.mktemp("variants")
    pool = run_cli([*MATRIX, "--out", str(tmp / "pool")], cli_env(tmp / "a"))
    assert pool.returncode == 0, pool.stderr
    shard_env = cli_env(tmp / "b")  # a cache of its own: the shards execute for themselves
    part_dirs = []
    for i in (1, 2, 3):
        part = tmp / "parts" / f"shard-{i}"
        done = run_cli([*MATRIX, "--shard", f"{i}/3", "--out", str(part)], shard_env)
        assert done.returncode == 0, done.stderr
        part_dirs.append(part)
    published = run_cli(["publish", *map(str, part_dirs), "--out", str(tmp / "sharded")], shard_env)
    assert published.returncode == 0, published.stderr
    return {
        "tmp": tmp,
        "pool": (tmp / "pool" / "latest").resolve(),
        "sharded": (tmp / "sharded" / "latest").resolve(),
        "parts": part_dirs,
        "env": shard_env,
        "pool_run": pool,
    }


def test_variant_files_have_stable_readable_names(builds):
    names = {p.relative_to(builds["pool"]).as_posix() for p in builds["pool"].rglob("*.*")}
    for stem in STEMS:
        assert {f"{stem}.html", f"{stem}.pdf", f"executed/{stem}.ipynb"} <= names
    assert not any(n.startswith("fixture.") for n in names), "no default-set files in a matrix"


def test_manifest_names_each_variant_and_its_parameters(builds):
    manifest = json.loads((builds["pool"] / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["fixture--GD+SZ+HK"]
    assert entry["variant_of"] == "fixture"
    assert entry["variant"] == {"regions": ["GD", "SZ", "HK"]}
    assert entry["langs"]["zh-Hant"]["parameters"]["regions"] == ["GD", "SZ", "HK"]
    assert entry["langs"]["en"]["key_figures"]["bars"]["value"] == 3
    one = manifest["reports"]["fixture--GD"]["langs"]["en"]["key_figures"]["bars"]["value"]
    assert one == 1


def test_index_groups_the_variants_under_their_report(builds):
    html = (builds["pool"] / "index.html").read_text(encoding="utf-8")
    assert html.count('class="variant-group"') == 1
    assert 'Fixture Bay Area Report · <span lang="zh-Hant">測試灣區報告</span> — 2 variants' in html
    group_at = html.index('class="variant-group"')
    rows = [m.start() for m in re.finditer(r'<tr class="variant">', html)]
    assert len(rows) == 4 and all(r > group_at for r in rows)
    assert "<code>regions=GD,SZ,HK</code>" in html
    assert 'href="fixture--GD+SZ+HK.zh-Hant.pdf"' in html


def test_shards_split_the_jobs_and_publish_one_build(builds):
    held = []
    for part in builds["parts"]:
        info = json.loads((part / "part.json").read_text(encoding="utf-8"))
        held.append(sorted(f"{r['name']}.{r['lang']}" for r in info["records"]))
    assert held == [[sorted(STEMS)[0], sorted(STEMS)[3]], [sorted(STEMS)[1]], [sorted(STEMS)[2]]]
    sharded = builds["sharded"]
    assert (sharded.parent / "index.html").exists(), "the history page is written too"
    manifest = json.loads((sharded / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "success"
    assert list(manifest["reports"]) == ["fixture--GD", "fixture--GD+SZ+HK"]  # plan order
    assert sorted(manifest["outputs"]) == sorted(
        json.loads((builds["pool"] / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    )


def test_pool_and_shards_make_the_same_build(builds):
    pool, sharded = _summary(builds["pool"]), _summary(builds["sharded"])
    assert sorted(pool) == sorted(STEMS)
    for stem in STEMS:
        assert pool[stem]["pages"] >= 1
        assert pool[stem] == sharded[stem], stem


def test_parts_of_different_plans_refuse_to_publish(builds):
    other = builds["tmp"] / "parts" / "other-3"
    args = ["build", "fixture", "--matrix", "regions=GD;GD,SZ,HK", "--lang", "all"]
    args += ["--format", "html", "-p", "start_year=2017", "--shard", "3/3", "--out", str(other)]
    done = run_cli(args, builds["env"])
    assert done.returncode == 0, done.stderr
    parts = [*map(str, builds["parts"][:2]), str(other)]
    refused = run_cli(["publish", *parts, "--out", str(builds["tmp"] / "mixed")], builds["env"])
    assert refused.returncode == 2
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert "parts of different plans" in lines[0]
    assert lines[0].endswith(
        "differ in formats, jobs; rebuild them from the same checkout, data and options"
    )
    assert not (builds["tmp"] / "mixed" / "latest").exists()


def test_missing_shards_refuse_to_publish(builds):
    refused = run_cli(
        ["publish", str(builds["parts"][0]), "--out", str(builds["tmp"] / "partial")],
        builds["env"],
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "the parts do not cover the plan: 2 of 4 jobs missing" in refused.stderr
    assert "shards given: 1/3 of 3" in refused.stderr


def test_a_variant_without_data_is_skipped_with_a_log_line(tmp_path):
    folder = tmp_path / "nb"
    shutil.copytree(FIXTURES, folder)
    text = (folder / "reports.yml").read_text(encoding="utf-8")
    text = text.replace(
        "      start_year: 2016\n",
        "      start_year: 2016\n    requires_rows: {message: regions}\n",
    )
    (folder / "reports.yml").write_text(text, encoding="utf-8")
    env = cli_env(tmp_path, manifest=folder / "reports.yml")
    args = ["build", "fixture", "--matrix", "message=SZ,JM", "--lang", "en", "--format", "html"]
    done = run_cli([*args, "--out", str(tmp_path / "b")], env)
    assert done.returncode == 0, done.stderr
    assert "fixture--JM: skipped: data/regions.csv has no rows for message=JM" in done.stderr
    latest = tmp_path / "b" / "latest"
    assert (latest / "fixture--SZ.en.html").exists()
    assert not (latest / "fixture--JM.en.html").exists()
    index = (latest / "index.html").read_text(encoding="utf-8")
    assert "fixture--JM: skipped: data/regions.csv has no rows for message=JM" in index


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Not enough data for Dongguan: the growth rate of R&D spending needs figures for "
            "at least two years, and the data has one (2019).",
        ),
        (
            "zh-Hant",
            "東莞的數據不足：研發經費增長率需要至少兩個年份的數字，數據中只有一個（2019年）。",
        ),
    ],
)
def test_a_thin_data_variant_says_so_in_its_language(lang, expected):
    # Dongguan has R&D figures for one year only (2019, data/rd_intensity.csv): no growth rate,
    # and no line of its share over time; the report says so instead of an empty chart.
    from gba_report.reports.rd_intensity import RDIntensityReport

    report = RDIntensityReport.from_notebook(lang, focus_region="DG")
    growth = report.growth()
    assert growth.figure is None and growth.data.empty
    assert expected in " ".join(growth.texts())
    share = report.share_of_china()
    assert share.figure is None and len(share.data) == 1
    assert ("Not enough data for Dongguan" if lang == "en" else "東莞的數據不足") in " ".join(
        share.texts()
    )
    if lang == "zh-Hant":
        for html in (growth.html(), share.html()):
            assert not re.search(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>", "", html)), html
