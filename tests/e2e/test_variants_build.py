"""End-to-end: a small matrix (two variants x two languages, HTML + PDF) built by the local pool,
by a Dask LocalCluster of two worker processes and by three shards published together: the three
builds agree, and on Dask the workers printed the PDFs. Dask: a worker killed during a job (the
job is retried elsewhere), a worker with other data (refused), an unreachable scheduler (exit 2).
Shards of different plans refuse; a variant without data is skipped and a thin-data variant says
so in its language; a variant build is reproduced."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engine_helpers import FIXTURES, ROOT, cli_env, require_tool, run_cli
from filelock import FileLock

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
    text = re.sub(r"\b\d{8}T\d{6}Z-[0-9a-f]{6}\b", "RUN-ID", text)  # the citation box
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


def _make_builds(tmp: Path) -> dict:
    """Build the matrix three ways into ``tmp``; return where (as JSON-ready values)."""
    pool = run_cli([*MATRIX, "--out", str(tmp / "pool")], cli_env(tmp / "a"))
    assert pool.returncode == 0, pool.stderr
    dask_args = [*MATRIX, "--executor", "dask", "--jobs", "2", "--out", str(tmp / "dask")]
    on_dask = run_cli(dask_args, cli_env(tmp / "c"))
    assert on_dask.returncode == 0, on_dask.stderr
    shard_env = cli_env(tmp / "b")  # a cache of its own: the shards execute for themselves
    part_dirs = []
    for i in (1, 2, 3):
        part = tmp / "parts" / f"shard-{i}"
        done = run_cli([*MATRIX, "--shard", f"{i}/3", "--out", str(part)], shard_env)
        assert done.returncode == 0, done.stderr
        part_dirs.append(str(part))
    published = run_cli(["publish", *part_dirs, "--out", str(tmp / "sharded")], shard_env)
    assert published.returncode == 0, published.stderr
    return {
        "tmp": str(tmp),
        "pool": str((tmp / "pool" / "latest").resolve()),
        "dask": str((tmp / "dask" / "latest").resolve()),
        "dask_log": on_dask.stderr,
        "sharded": str((tmp / "sharded" / "latest").resolve()),
        "parts": part_dirs,
        "env": shard_env,
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory, worker_id):
    """The matrix built once by the local pool, once on a Dask LocalCluster of two worker
    processes, and once as three shards then published (each with a cache of its own).

    Built once per test run: under pytest-xdist the first worker to need it builds it and
    the others wait for it and read what it recorded (the session's shared temporary folder).
    """
    require_tool("chromium")
    if worker_id == "master":  # no xdist
        found = _make_builds(tmp_path_factory.mktemp("variants"))
    else:
        shared = tmp_path_factory.getbasetemp().parent  # this run's, shared by its workers
        with FileLock(str(shared / "variants-builds.lock")):
            record = shared / "variants-builds.json"
            if not record.exists():
                made = _make_builds(shared / "variants")
                record.write_text(json.dumps(made), encoding="utf-8")
            found = json.loads(record.read_text(encoding="utf-8"))
    paths = {k: Path(found[k]) for k in ("tmp", "pool", "dask", "sharded")}
    return {**found, **paths, "parts": [Path(p) for p in found["parts"]]}


def test_variant_files_have_stable_readable_names(builds):
    names = {p.relative_to(builds["pool"]).as_posix() for p in builds["pool"].rglob("*.*")}
    for stem in STEMS:
        assert {f"{stem}.html", f"{stem}.pdf", f"executed/{stem}.ipynb"} <= names
    assert not any(n.startswith("fixture.") for n in names), "no default-set files in a matrix"


# ------------------------------------------------------------- tests that need no `builds`
# They come right after the first test that needs `builds`: pytest-xdist hands tests out in
# file order, one at a time to each worker, so one worker makes the builds while the other
# runs these (with `-n 2`); the rest of the tests that read the builds follow them.


def _dask(*args: str, env: dict, log: Path) -> subprocess.Popen:
    dask = Path(sys.executable).with_name("dask")
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(dask), *args], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
        )


def _cluster(folder: Path, env: dict, workers: int) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and ``workers`` single-process workers on 127.0.0.1; returns the address."""
    folder.mkdir(parents=True, exist_ok=True)
    info = folder / "scheduler.json"
    procs = [
        _dask(
            "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(info), env=env, log=folder / "scheduler.log",
        )
    ]  # fmt: skip
    deadline = time.monotonic() + 120
    while not info.exists():
        assert time.monotonic() < deadline, (folder / "scheduler.log").read_text()
        time.sleep(0.5)
    for i in range(workers):
        procs.append(
            _dask(
                "worker", "--scheduler-file", str(info), "--nworkers", "1", "--nthreads", "1",
                "--no-dashboard", "--name", f"w{i}", env=env, log=folder / f"worker{i}.log",
            )
        )  # fmt: skip
    return json.loads(info.read_text())["address"], procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_dask_worker_killed_during_a_job_is_retried_elsewhere(tmp_path):
    env = cli_env(tmp_path)
    address, procs = _cluster(tmp_path / "cluster", env, workers=2)
    args = ["build", "fixture", "--matrix", "message=kill", "--lang", "en", "--format", "html"]
    args += ["--executor", "dask", "--scheduler", address, "--out", str(tmp_path / "b")]
    try:
        build = subprocess.Popen(
            [sys.executable, "-m", "gba_report.cli", *args],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert build.stderr is not None
        log = []
        for line in build.stderr:
            log.append(line)
            found = re.search(r"fixture--kill\.en: started on \S+ \(pid (\d+)\)", line)
            if found:
                os.kill(int(found[1]), signal.SIGKILL)  # the worker process running the job
                break
        _, rest = build.communicate(timeout=600)
        text = "".join(log) + rest
    finally:
        _stop(procs)
    assert build.returncode == 0, text
    assert re.search(
        r"fixture--kill\.en: retried on tcp://\S+ \(pid \d+\): the worker that "
        r"was running it, tcp://\S+, was lost",
        text,
    ), text
    assert (tmp_path / "b" / "latest" / "fixture--kill.en.html").exists()


def test_an_unreachable_dask_scheduler_is_exit_2_naming_it(tmp_path):
    args = ["build", "fixture", "--lang", "en", "--format", "html", "--executor", "dask"]
    args += ["--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "b")]
    done = run_cli(args, cli_env(tmp_path))
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_dask_worker_with_other_data_refuses_the_job(tmp_path):
    env = cli_env(tmp_path)
    other = tmp_path / "other-data"
    other.mkdir()
    regions = (FIXTURES / "regions.csv").read_text(encoding="utf-8")
    (other / "regions.csv").write_text(regions + "MO2,sar,Macao 2,澳門二,CN,True\n", "utf-8")
    address, procs = _cluster(
        tmp_path / "cluster", {**env, "GBA_REPORT_DATA_DIR": str(other)}, workers=1
    )
    args = ["build", "fixture", "--matrix", "message=x", "--lang", "en", "--format", "html"]
    args += ["--executor", "dask", "--scheduler", address, "--out", str(tmp_path / "b")]
    try:
        done = run_cli(args, env)
    finally:
        _stop(procs)
    assert done.returncode == 1, done.stderr
    assert "WorkerMismatch: worker tcp://127.0.0.1:" in done.stderr
    assert re.search(
        r"refuses fixture--x\.en: its data_version [0-9a-f]{12} differs from the build's "
        r"[0-9a-f]{12}; start the worker from the same checkout and data",
        done.stderr,
    ), done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "b" / "latest").exists()


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


# ------------------------------------------------------------- the builds, compared


def test_every_link_of_a_variant_page_resolves_in_each_build(builds):
    # a variant's files sit beside it as <report>--<variant>.<lang>.* (.bib, .files/, .data.zip)
    for path in ("pool", "dask", "sharded"):
        for stem in STEMS:
            html = (builds[path] / f"{stem}.html").read_text(encoding="utf-8")
            links = [
                h
                for h in re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
                if not h.startswith(("http:", "https:", "mailto:", "data:"))
            ]
            assert f"{stem}.bib" in links, (path, stem)  # the variant's own citation file
            for href in links:
                assert (builds[path] / href).is_file(), (path, stem, href)


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
    assert "<code>regions=GD, SZ, HK</code>" in html
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


def test_pool_dask_and_shards_make_the_same_build(builds):
    pool, sharded = _summary(builds["pool"]), _summary(builds["sharded"])
    on_dask = _summary(builds["dask"])
    assert sorted(pool) == sorted(STEMS)
    for stem in STEMS:
        assert pool[stem]["pages"] >= 1
        assert pool[stem] == sharded[stem], stem
        assert pool[stem] == on_dask[stem], stem


def test_dask_jobs_ran_on_two_local_workers(builds):
    started = re.findall(
        r"(\S+): started on (tcp://127\.0\.0\.1:\d+) \(pid (\d+)\)", builds["dask_log"]
    )
    assert sorted(stem for stem, _, _ in started) == sorted(STEMS)
    assert len({worker for _, worker, _ in started}) == 2
    assert "retried" not in builds["dask_log"]


def _printed_where(build: Path) -> dict[str, list[str]]:
    timings = json.loads((build / "timings.json").read_text(encoding="utf-8"))
    return {
        stem: [step["where"] for step in steps if step["stage"] == "pdf_print"]
        for stem, steps in timings["steps"].items()
    }


def test_on_dask_each_worker_printed_its_own_pdf(builds):
    # The job contract: a Dask worker executes, exports and prints its job and sends the PDF
    # back; the building machine prints nothing. The local pool prints in the build process.
    log = builds["dask_log"]
    ran_on = dict(re.findall(r"(\S+): started on (tcp://\S+) \(pid \d+\)", log))
    printed_on = dict(re.findall(r"(\S+): pdf printed on (tcp://\S+)", log))
    assert printed_on == ran_on and sorted(printed_on) == sorted(STEMS), log
    assert _printed_where(builds["dask"]) == {stem: [ran_on[stem]] for stem in STEMS}
    assert _printed_where(builds["pool"]) == {stem: ["build"] for stem in STEMS}
    pool = json.loads((builds["pool"] / "manifest.json").read_text(encoding="utf-8"))
    on_dask = json.loads((builds["dask"] / "manifest.json").read_text(encoding="utf-8"))
    assert on_dask["versions"]["chromium"] == pool["versions"]["chromium"]  # the workers' browser
    from pypdf import PdfReader

    keys = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer")
    for stem in STEMS:  # the workers' PDFs carry the same document information (pdfmeta)
        info = {p: PdfReader(builds[p] / f"{stem}.pdf").metadata for p in ("pool", "dask")}
        assert info["pool"]["/Title"], stem
        assert {k: info["dask"][k] for k in keys} == {k: info["pool"][k] for k in keys}, stem


def test_reproduce_a_variant_build_that_has_no_html(builds, tmp_path):
    # A kept variant build without HTML (as a PDF-only build): reproduce exports each variant's
    # page from its notebook under the variant's own name, and re-runs the variants themselves.
    shutil.copytree(builds["pool"].parent, tmp_path / "builds", symlinks=True)
    run_id = builds["pool"].name
    kept = tmp_path / "builds" / run_id
    manifest = json.loads((kept / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["reports"].values():
        for info in entry["langs"].values():
            (kept / info["outputs"].pop("html")).unlink()
    (kept / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    done = run_cli(["reproduce", run_id, "--out", str(tmp_path / "builds")], cli_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(
        f"reproduce {run_id}: identical (4 report x language runs: "
        "every key figure and every report's text)"
    ), done.stdout + done.stderr
    for stem in STEMS:
        assert f"{stem}: will execute (--force)" in done.stderr, done.stderr


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
