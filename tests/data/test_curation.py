"""Curation lives in data files: the build scripts read -> check -> write, the same bytes each time.

The scripts are run on copies (never into data/): their output must equal the committed tables,
twice in a row; event ids are assigned in the curation file and survive an inserted event.
"""

from __future__ import annotations

import ast
import csv
import filecmp
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gba_report import paths

ROOT = paths.PROJECT_ROOT
REFERENCE = ROOT / "data" / "reference"  # the committed snapshot of ../shared/reference-data
SCRIPTS = ("build_datasets.py", "build_gii_tables.py")


def _build(out: Path, curation: Path | None = None) -> None:
    assert REFERENCE.is_dir(), f"the reference compilation is expected at {REFERENCE}"
    cur = ["--curation", str(curation)] if curation else []
    commands = [
        [sys.executable, str(ROOT / "scripts" / "build_datasets.py"), str(REFERENCE), "--out"],
        [
            sys.executable,
            str(ROOT / "scripts" / "build_gii_tables.py"),
            "--reference",
            str(REFERENCE),
            "--out",
        ],
    ]
    for command in commands:
        result = subprocess.run(
            [*command, str(out), *cur], capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    for out in (first, second):
        # the World Bank table is not the build's: it comes along as data
        for name in ("rd_intensity_worldbank.csv", "rd_intensity_worldbank.meta.yml"):
            shutil.copy(paths.data_dir() / name, out / name)
        _build(out)
    return first, second


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def test_build_is_byte_identical_when_run_twice(built) -> None:
    first, second = built
    assert _files(first) == _files(second)
    _, mismatch, errors = filecmp.cmpfiles(first, second, _files(first), shallow=False)
    assert mismatch == errors == []


def test_committed_data_is_what_the_build_writes(built) -> None:
    first, _ = built
    committed = [n for n in _files(paths.data_dir())]
    assert set(_files(first)) == set(committed)
    _, mismatch, errors = filecmp.cmpfiles(first, paths.data_dir(), committed, shallow=False)
    assert mismatch == errors == [], (
        "rebuild data/ with scripts/build_datasets.py and build_gii_tables.py"
    )


def test_event_ids_are_stable_after_an_insert(tmp_path: Path) -> None:
    cur = tmp_path / "curation"
    shutil.copytree(paths.data_dir() / "curation", cur)
    before = {
        r["event_id"]: r["title_en"] for r in _read(paths.data_dir() / "crossborder_funding.csv")
    }
    events = cur / "crossborder_funding.csv"
    rows = _read(events)
    earliest = dict(rows[0]) | {
        "event_id": "CB90",
        "date": "2017-01",
        "title_en": "An inserted event, earlier than all others",
    }
    _write(events, [earliest, *rows])
    out = tmp_path / "out"
    out.mkdir()
    for name in ("rd_intensity_worldbank.csv", "rd_intensity_worldbank.meta.yml"):
        shutil.copy(paths.data_dir() / name, out / name)
    _build(out, cur)
    after = {r["event_id"]: r["title_en"] for r in _read(out / "crossborder_funding.csv")}
    assert {k: after[k] for k in before} == before
    assert after["CB90"] == "An inserted event, earlier than all others"
    assert _read(out / "crossborder_funding.csv")[0]["event_id"] == "CB90"  # shown in date order


def test_an_event_id_used_twice_stops_the_build(tmp_path: Path) -> None:
    cur = tmp_path / "curation"
    shutil.copytree(paths.data_dir() / "curation", cur)
    rows = _read(cur / "crossborder_funding.csv")
    rows[1]["event_id"] = rows[0]["event_id"]
    _write(cur / "crossborder_funding.csv", rows)
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_datasets.py"), str(REFERENCE), "--out",
         str(tmp_path / "out"), "--curation", str(cur)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "event ids used twice: ['CB01']" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("script", SCRIPTS)
def test_build_scripts_hold_no_table_literals(script: str) -> None:
    """No collection of literal values (a table in code), no long prose outside docstrings."""
    tree = ast.parse((ROOT / "scripts" / script).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            items = node.values if isinstance(node, ast.Dict) else node.elts
            literals = [n for n in items if isinstance(n, ast.Constant) and n.value is not None]
            assert len(literals) <= 10, f"{script} line {node.lineno}: a table literal"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert len(node.value) < 200 or id(node) in docstrings, (script, node.lineno)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_reference_snapshot_is_unchanged():
    # data/reference is the raw input: immutable, byte for byte what SNAPSHOT.md lists
    listed = dict(
        reversed(line.split(None, 1))
        for line in (REFERENCE / "SNAPSHOT.md").read_text(encoding="utf-8").splitlines()
        if re.fullmatch(r"[0-9a-f]{64}  \S.*", line)
    )
    files = {
        f"./{p.relative_to(REFERENCE).as_posix()}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(REFERENCE.rglob("*"))
        if p.is_file() and p.name != "SNAPSHOT.md"
    }
    assert files == listed
    assert len(files) >= 20
