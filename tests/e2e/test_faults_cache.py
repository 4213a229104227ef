"""End-to-end: a damaged cache entry (notebook, HTML, PDF) is a miss: removed, re-made, logged.

One build fills a cache (``warm``, tests/e2e/conftest.py); each test copies it, corrupts,
truncates or deletes one entry, and builds again: the build succeeds, says in one line what it
removed, publishes good files (never the damaged entry) and leaves a good entry behind, so a
third build is served from the cache.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from engine_helpers import cli_env, run_cli

from gba_report.engine.cache import check_entry, checksum_file

pytestmark = pytest.mark.slow

ARGS = ["build", "fixture", "--lang", "en", "--format", "html,pdf"]
REMOVED = "removed, it will be re-made"
KIND_NAMES = {"exec": "executed notebook", "html": "HTML", "pdf": "PDF"}


def _no_run_id(page: bytes) -> bytes:
    return re.sub(rb"\d{8}T\d{6}Z-[0-9a-f]{6}", b"<run id>", page)


def _entry(cache: Path, kind: str) -> Path:
    (entry,) = [p for p in (cache / kind).iterdir() if p.suffix != ".sha256"]
    return entry


def _flip_middle_byte(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x20
    path.write_bytes(bytes(content))


DAMAGES = {
    "corrupt": (_flip_middle_byte, "fails its checksum"),
    "truncate": (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 3]), "fails"),
    "delete": (Path.unlink, "is missing"),
}


@pytest.mark.parametrize("kind", ["exec", "html", "pdf"])
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_cache_entry_is_remade(warm, tmp_path, kind, damage):
    shutil.copytree(warm["tmp"] / "cache", tmp_path / "cache")
    shutil.copytree(warm["tmp"] / "data", tmp_path / "data")
    env = cli_env(tmp_path)
    builds = tmp_path / "builds"
    entry = _entry(tmp_path / "cache", kind)
    damage_it, problem = DAMAGES[damage]
    damage_it(entry)

    result = run_cli([*ARGS, "--out", str(builds)], env)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if REMOVED in line]
    assert len(lines) == 1, result.stderr
    assert f"cached {KIND_NAMES[kind]} {kind}/{entry.name} {problem}" in lines[0]
    assert "Traceback" not in result.stderr

    out = (builds / "latest").resolve()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["reports"]["fixture"]["langs"]["en"]["cached"] is (kind != "exec")
    html = (out / "fixture.en.html").read_bytes()
    assert html.rstrip().endswith(b"</html>") and b"Bay Area R&amp;D at a glance" in html
    if kind == "html":  # the same page, but for the run id each build fills in
        assert _no_run_id(html) == _no_run_id(warm["html"]), "the re-made HTML differs"
    pdf = out / "fixture.en.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Bay Area R&D at a glance" in text

    remade = _entry(tmp_path / "cache", kind)
    content, why = check_entry(remade)
    assert why is None and content is not None, f"the {kind} entry was not re-made"
    assert checksum_file(remade).exists()

    again = run_cli([*ARGS, "--out", str(builds)], env)
    assert again.returncode == 0, again.stderr
    assert REMOVED not in again.stderr
    assert "1 from cache" in again.stdout and "pdf (cached)" in again.stderr


def test_cache_info_and_clear(warm, tmp_path):
    shutil.copytree(warm["tmp"] / "cache", tmp_path / "cache")
    env = cli_env(tmp_path)
    info = run_cli(["cache", "info"], env)
    assert info.returncode == 0, info.stderr
    lines = info.stdout.splitlines()
    assert lines[0] == f"cache:   {tmp_path / 'cache'}"
    assert lines[1] == "entries: 3 (1 executed notebooks, 1 HTML pages, 1 PDFs)"
    size = sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert lines[2].startswith(f"size:    {size / 1048576:.1f} MB; cap none")
    assert lines[3].startswith("oldest:  20") and lines[3].endswith("UTC (last used)")

    cleared = run_cli(["cache", "clear"], env)
    assert cleared.stdout.strip() == f"cache cleared: 3 entries deleted from {tmp_path / 'cache'}"
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    after = run_cli(["cache", "info"], env)
    assert "entries: 0 (0 executed notebooks, 0 HTML pages, 0 PDFs)" in after.stdout
    assert "oldest:  -" in after.stdout
