"""The build cache on files in tmp_path: checksummed entries, damage as a miss, eviction, keys."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from gba_report.engine import cache as cache_mod
from gba_report.engine import config
from gba_report.engine.cache import BuildInputs, Cache, cache_keys, check_entry, store_bytes

ROOT = Path(__file__).resolve().parents[2]

NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
HTML = "<!DOCTYPE html>\n<html><body><p>report</p></body></html>\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture()
def logged():
    return []


@pytest.fixture()
def cache(tmp_path, logged):
    return Cache(tmp_path / "cache", log=logged.append)


def _entries(cache: Cache) -> dict[str, tuple[Path, bytes]]:
    return {
        "exec": (cache.execution("k1"), NOTEBOOK.encode()),
        "html": (cache.html("k2"), HTML.encode()),
        "pdf": (cache.pdf("k3"), PDF),
    }


def test_stored_entry_records_its_sha256_and_is_served(cache, logged):
    for entry, content in _entries(cache).values():
        cache.store(entry, content)
        recorded = cache_mod.checksum_file(entry).read_text().strip()
        assert recorded == hashlib.sha256(content).hexdigest()
        assert cache.read(entry) == content
    assert logged == []


def test_plain_miss_is_not_logged(cache, logged):
    assert cache.read(cache.html("absent")) is None
    assert logged == []


def _flip_middle_byte(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x20
    path.write_bytes(bytes(content))


DAMAGES = {
    "corrupt": _flip_middle_byte,
    "truncate": lambda p: p.write_bytes(p.read_bytes()[:10]),
    "delete": lambda p: p.unlink(),
    "unreadable checksum record": lambda p: cache_mod.checksum_file(p).write_bytes(b"\xff\xfe"),
    "no checksum record": lambda p: cache_mod.checksum_file(p).unlink(),
}
PROBLEMS = {
    "corrupt": "fails its checksum",
    "truncate": "fails its checksum",
    "delete": "is missing",
    "unreadable checksum record": "has an unreadable checksum",
    "no checksum record": "has no recorded checksum",
}


@pytest.mark.parametrize("kind", ["exec", "html", "pdf"])
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_entry_is_a_miss_removed_and_logged_once(cache, logged, kind, damage):
    entry, content = _entries(cache)[kind]
    cache.store(entry, content)
    DAMAGES[damage](entry)
    assert cache.read(entry) is None
    assert not entry.exists() and not cache_mod.checksum_file(entry).exists()
    assert len(logged) == 1, logged
    assert f"{kind}/{entry.name} {PROBLEMS[damage]}" in logged[0]
    assert logged[0].endswith("removed, it will be re-made")
    assert cache.read(entry) is None and len(logged) == 1  # gone now: a plain miss


@pytest.mark.parametrize(
    "kind, content, problem",
    [
        ("exec", b'{"cells": [', "is not valid JSON"),
        ("exec", b'{"metadata": {}}', "is not a notebook"),
        ("html", b"<html><body>half a page", "is not a complete HTML page"),
        ("pdf", b"%PDF-1.4\n1 0 obj<<>>", "is not a complete PDF"),
    ],
)
def test_entry_that_does_not_parse_is_a_miss_despite_its_checksum(cache, kind, content, problem):
    entry = _entries(cache)[kind][0]
    store_bytes(entry, content)  # the checksum matches what was stored
    assert check_entry(entry) == (None, problem)


def test_unreadable_entry(cache, logged):
    entry = cache.html("k")
    cache.store(entry, HTML.encode())
    entry.unlink()
    entry.mkdir()  # reading a folder raises IsADirectoryError
    content, problem = check_entry(entry)
    assert content is None and problem.startswith("is unreadable")


def test_force_serves_nothing(tmp_path):
    forced = Cache(tmp_path / "cache", force=True)
    forced.store(forced.html("k"), HTML.encode())
    assert forced.read(forced.html("k")) is None
    assert Cache(tmp_path / "cache").read(forced.html("k")) == HTML.encode()


def _age(entry: Path, seconds_ago: float) -> None:
    when = time.time() - seconds_ago
    for path in (entry, cache_mod.checksum_file(entry)):
        os.utime(path, (when, when))


def test_prune_by_age_then_least_recently_used_within_the_cap(cache):
    a, b, c, d = (cache.html(k) for k in "abcd")
    for entry in (a, b, c, d):
        cache.store(entry, HTML.encode())
    _age(a, 40 * 86400)  # unused for 40 days
    _age(b, 300)
    _age(c, 200)
    _age(d, 100)
    size = len(HTML.encode()) + 65  # entry + its sha256 line
    assert cache.prune(max_bytes=2 * size) == [a, b]
    assert [e.exists() for e in (a, b, c, d)] == [False, False, True, True]
    assert not cache_mod.checksum_file(b).exists()


def test_a_hit_protects_an_entry_from_eviction(cache):
    old, new = cache.html("old"), cache.html("new")
    for entry in (old, new):
        cache.store(entry, HTML.encode())
    _age(old, 500)
    _age(new, 100)
    assert cache.read(old) is not None  # used now: the most recent
    assert cache.prune(max_bytes=len(HTML.encode()) + 65) == [new]


def test_info_and_clear(cache):
    for entry, content in _entries(cache).values():
        cache.store(entry, content)
    _age(cache.pdf("k3"), 3600)
    cache.remember("fixture.en", {"engine": "x"})
    info = cache.info()
    assert info.entries == {"exec": 1, "html": 1, "pdf": 1}
    total = sum(len(c) + 65 for _, c in _entries(cache).values())
    assert info.size_bytes == total + len(json.dumps({"engine": "x"}))
    assert info.oldest == pytest.approx(time.time() - 3600, abs=5)
    assert cache.clear() == 3
    assert cache.info().entries == {"exec": 0, "html": 0, "pdf": 0}
    assert cache.info().size_bytes == 0
    assert cache.miss_reason("fixture.en", {"engine": "x"}) == "not in the cache"


def _inputs() -> BuildInputs:
    return BuildInputs({"data/a.csv": "1"}, "v1", "pkg", "tpl", "python3", "3.11")


def test_a_notebook_the_report_reads_is_part_of_its_key(tmp_path):
    own, other = tmp_path / "00.ipynb", tmp_path / "01.ipynb"
    own.write_text("{}")
    other.write_text('{"a": 1}')
    before = cache_keys(own, {"lang": "en"}, {}, _inputs(), [other])
    other.write_text('{"a": 2}')
    after = cache_keys(own, {"lang": "en"}, {}, _inputs(), [other])
    assert before.execution != after.execution
    assert before.components["notebooks read"] != after.components["notebooks read"]
    alone = cache_keys(own, {"lang": "en"}, {}, _inputs())
    assert "notebooks read" not in alone.components


def test_summary_declares_every_notebook_it_reads():
    """The summary's ``reads:`` lists the notebook of every report class it builds."""
    source = (ROOT / "src" / "gba_report" / "reports" / "summary.py").read_text()
    called = {
        node.func.value.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "from_notebook"
        and isinstance(node.func.value, ast.Name)
    }
    assert called == {"RDIntensityReport", "CrossBorderFundingReport", "ClusterRankingsReport"}
    from gba_report.reports import summary

    notebooks = {getattr(summary, name).notebook for name in called}
    spec = config.load_config(ROOT / "report" / "reports.yml").reports["summary"]
    assert {p.name for p in spec.reads} == notebooks
    assert all(p.exists() for p in spec.reads)


def test_cache_cap_setting(tmp_path):
    manifest = tmp_path / "reports.yml"
    manifest.write_text(
        "settings: {languages: [en], formats: [html], cache_max_mb: 1.5}\n"
        "reports:\n  r: {notebook: r.ipynb, reads: [s.ipynb]}\n"
    )
    loaded = config.load_config(manifest)
    assert loaded.settings.cache_max_bytes == 1572864
    assert loaded.reports["r"].reads[0].name == "s.ipynb"
    manifest.write_text(
        "settings: {languages: [en], formats: [html], cache_max_mb: -1}\n"
        "reports:\n  r: {notebook: r.ipynb}\n"
    )
    with pytest.raises(config.BuildError, match="cache_max_mb must be positive"):
        config.load_config(manifest)
