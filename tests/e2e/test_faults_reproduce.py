"""End-to-end: the lock hash in every manifest and index, and ``gba-report reproduce``.

A build made here is reproduced: "identical", ``latest`` untouched. A kept build whose text or
key figure was altered afterwards is reported with each difference; data files that changed
since stop the re-run, named; an unknown run id is a usage error.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from engine_helpers import (
    ROOT,
    build_args,
    build_dirs,
    cli_env,
    latest_state,
    run_cli,
    shared_once,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def kept(tmp_path_factory):
    """One English HTML build of the fixture report, kept in a builds folder (made once)."""

    def make(tmp: Path) -> dict:
        builds = tmp / "builds"
        result = run_cli(build_args("fixture", builds), cli_env(tmp))
        assert result.returncode == 0, result.stderr
        return {"tmp": str(tmp), "run_id": (builds / "latest").resolve().name}

    info = shared_once(tmp_path_factory, "fixture-en-html", make)
    tmp = Path(info["tmp"])
    return {"tmp": tmp, "builds": tmp / "builds", "run_id": info["run_id"]}


def _copy(kept, tmp_path):
    shutil.copytree(kept["builds"], tmp_path / "builds", symlinks=True)
    shutil.copytree(kept["tmp"] / "data", tmp_path / "data")
    return tmp_path / "builds", cli_env(tmp_path)


def test_manifest_and_index_carry_the_lock_hash(kept):
    build = kept["builds"] / kept["run_id"]
    expected = hashlib.sha256((ROOT / "requirements.lock").read_bytes()).hexdigest()
    manifest = json.loads((build / "manifest.json").read_text())
    assert manifest["lock_sha256"] == expected
    index = (build / "index.html").read_text()
    assert f'sha256 <code title="{expected}">{expected[:12]}</code>' in index


def test_reproduce_a_build_made_here_is_identical(kept, tmp_path):
    builds, env = _copy(kept, tmp_path)
    before, entries = latest_state(builds), build_dirs(builds)
    result = run_cli(["reproduce", kept["run_id"], "--out", str(builds)], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        f"reproduce {kept['run_id']}: identical (1 report x language runs: "
        "every key figure and every report's text)"
    )
    assert "will execute (--force)" in result.stderr, "the re-run must not come from the cache"
    assert latest_state(builds) == before and build_dirs(builds) == entries


def test_reproduce_lists_every_difference(kept, tmp_path):
    builds, env = _copy(kept, tmp_path)
    build = builds / kept["run_id"]
    page = build / "fixture.en.html"
    text = page.read_text()
    assert "Years 2016-2020" in text
    page.write_text(text.replace("Years 2016-2020", "Years 2016-2021"))
    manifest = json.loads((build / "manifest.json").read_text())
    figures = manifest["reports"]["fixture"]["langs"]["en"]["key_figures"]
    assert figures["bars"]["value"] == 2
    figures["bars"]["value"] = 3
    (build / "manifest.json").write_text(json.dumps(manifest))

    result = run_cli(["reproduce", kept["run_id"], "--out", str(builds), "-q"], env)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"reproduce {kept['run_id']}: 2 difference(s):"
    assert "  fixture (en): key figure bars was 3, now 2" in lines
    (text_line,) = [line for line in lines if "the text differs" in line]
    assert "2016-2021" in text_line and "2016-2020" in text_line


def test_reproduce_refuses_when_the_data_differ(kept, tmp_path):
    builds, env = _copy(kept, tmp_path)
    regions = tmp_path / "data" / "regions.csv"
    regions.write_text(regions.read_text() + "\n")
    result = run_cli(["reproduce", kept["run_id"], "--out", str(builds)], env)
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "error:" in line]
    assert f"cannot reproduce {kept['run_id']}: the data files differ" in line
    assert "data/regions.csv (changed)" in line
    assert "will execute" not in result.stderr, "nothing may run on different data"


def test_reproduce_unknown_build(kept, tmp_path):
    builds, env = _copy(kept, tmp_path)
    result = run_cli(["reproduce", "20000101T000000Z-000000", "--out", str(builds)], env)
    assert result.returncode == 2
    assert "no kept build '20000101T000000Z-000000'" in result.stderr
    assert "Traceback" not in result.stderr
