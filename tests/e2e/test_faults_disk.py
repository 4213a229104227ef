"""End-to-end: a full disk, a permission problem, a read-only builds folder.

Each gives exit code 4 and one line naming the path and what to do, no traceback (``--debug``
shows it), nothing published (``latest`` and the earlier build untouched, no ``.tmp-*`` left)
and a cache with no damaged entry. The full disk is a real small tmpfs (we run as root);
where ``mount`` is not allowed, a ``sitecustomize`` makes every write below the builds folder
fail with ENOSPC instead (``GBA_TEST_NO_MOUNT=1`` takes that route on purpose). Permission
denied is real too: the build runs as root without the capability to override file
permissions (``setpriv``), on a folder it may not write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_helpers import ROOT, cli_env, fake_previous_build, latest_state, require_tool, run_cli

from gba_report.engine.cache import check_entry

pytestmark = pytest.mark.slow

BUILD = ["build", "fixture", "--lang", "en"]

FAKE_ENOSPC = """
import errno, os
_replace = os.replace
def replace(src, dst, *a, **k):
    if str(dst).startswith(os.environ["FAKE_ENOSPC_UNDER"]):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
    return _replace(src, dst, *a, **k)
os.replace = replace
"""


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture()
def small_disk(tmp_path) -> Iterator[tuple[Path, dict]]:
    """A builds folder with room for an earlier build but not for this one, and extra env."""
    builds = tmp_path / "builds"
    if os.environ.get("GBA_TEST_NO_MOUNT") is None and _mount(builds, "size=100k,mode=0755"):
        try:
            yield builds, {}
        finally:
            subprocess.run(["umount", str(builds)], check=True)
        return
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FAKE_ENOSPC)
    yield builds, {"PYTHONPATH": str(hook), "FAKE_ENOSPC_UNDER": str(builds / ".tmp-")}


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " error: " in line or line.startswith("error")]


def _assert_one_line(result, path_part: str, fault: str, todo: str, verb: str = "write") -> None:
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    (line,) = _error_lines(result.stderr)
    assert f"cannot {verb} {path_part}" in line, line
    assert fault in line and todo in line, line
    assert "Nothing was published" in line


def _cache_state(cache: Path) -> dict[str, bytes]:
    return {
        p.relative_to(cache).as_posix(): p.read_bytes() for p in cache.rglob("*") if p.is_file()
    }


def _assert_cache_sound(cache: Path) -> None:
    for entry in cache.glob("*/*"):
        if entry.parent.name in ("exec", "html", "pdf") and entry.suffix != ".sha256":
            assert check_entry(entry)[1] is None, f"damaged cache entry left: {entry}"
    assert not list(cache.rglob(".*.tmp")), "temporary cache file left behind"


def test_disk_full_cold_cache(tmp_path, small_disk):
    builds, extra = small_disk
    before = fake_previous_build(builds)
    env = cli_env(tmp_path, **extra)
    result = run_cli([*BUILD, "--format", "html", "--out", str(builds)], env)
    _assert_one_line(result, str(builds / ".tmp-"), "no space left", "free some space there")
    assert latest_state(builds) == before
    assert not list(builds.glob(".tmp-*"))
    _assert_cache_sound(tmp_path / "cache")

    debug = run_cli(["--debug", *BUILD, "--format", "html", "--out", str(builds)], env)
    assert debug.returncode == 4
    assert "Traceback" in debug.stderr and "No space left on device" in debug.stderr
    assert latest_state(builds) == before


def test_disk_full_warm_cache_leaves_the_cache_untouched(tmp_path, small_disk, warm):
    builds, extra = small_disk
    # the cache of a good English HTML + PDF build of the same report, on the same data
    shutil.copytree(warm["tmp"] / "cache", tmp_path / "cache")
    shutil.copytree(warm["tmp"] / "data", tmp_path / "data")
    env = cli_env(tmp_path, **extra)
    cache_before = _cache_state(tmp_path / "cache")
    assert {name.split("/")[0] for name in cache_before} >= {"exec", "html", "pdf"}
    before = fake_previous_build(builds)
    result = run_cli([*BUILD, "--out", str(builds)], env)
    _assert_one_line(result, str(builds / ".tmp-"), "no space left", "free some space there")
    assert latest_state(builds) == before
    assert not list(builds.glob(".tmp-*"))
    assert _cache_state(tmp_path / "cache") == cache_before


def test_read_only_builds_folder(tmp_path):
    builds = tmp_path / "builds"
    assert _mount(builds, "size=1m,mode=0755"), "mount -t tmpfs needs root"
    try:
        before = fake_previous_build(builds)
        subprocess.run(["mount", "-o", "remount,ro", str(builds)], check=True)
        result = run_cli([*BUILD, "--format", "html", "--out", str(builds)], cli_env(tmp_path))
        _assert_one_line(result, str(builds), "read-only file system", "writable folder")
        assert latest_state(builds) == before
    finally:
        subprocess.run(["umount", str(builds)], check=True)


def test_permission_denied(tmp_path):
    setpriv = require_tool("setpriv")
    builds = tmp_path / "builds"
    builds.mkdir()
    before = fake_previous_build(builds)
    builds.chmod(0o555)
    try:
        result = subprocess.run(
            # Root without CAP_DAC_OVERRIDE obeys the folder's mode like any user.
            [setpriv, "--bounding-set=-dac_override,-dac_read_search", sys.executable]
            + ["-m", "gba_report.cli", *BUILD, "--format", "html", "--out", str(builds)],
            env=cli_env(tmp_path),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        _assert_one_line(
            result, str(builds / ".tmp-"), "permission denied", "fix its permissions", "access"
        )
        assert latest_state(builds) == before
        assert not list(builds.glob(".tmp-*"))
    finally:
        builds.chmod(0o755)
    shutil.rmtree(builds)
