"""End-to-end: every failure mode exits non-zero with its message and leaves ``latest`` alone."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from engine_helpers import (
    build_args,
    build_dirs,
    cli_env,
    fake_previous_build,
    latest_state,
    run_cli,
    start_cli,
    wait_for_file,
)

pytestmark = pytest.mark.slow


def _assert_untouched(builds: Path, before: tuple[str, str], entries_before: list[str]) -> None:
    assert latest_state(builds) == before, "`latest` changed after a failed build"
    after = [e for e in build_dirs(builds) if e != "failed"]
    assert after == [e for e in entries_before if e != "failed"], "a build folder was published"
    assert not list(builds.glob(".tmp-*")), "temporary build folder left behind"


@pytest.fixture()
def builds(tmp_path):
    path = tmp_path / "builds"
    path.mkdir()
    return path


def test_failing_cell(tmp_path, builds):
    before = fake_previous_build(builds)
    entries = build_dirs(builds)
    result = run_cli(build_args("failing", builds), cli_env(tmp_path))
    assert result.returncode == 1
    err = result.stderr
    assert "failing (en) failed at cell 4" in err
    assert "ValueError: boom from fixture" in err
    kept = next((builds / "failed").glob("*/failing.en.ipynb"))
    assert f"executed notebook kept for debugging: {kept}" in err
    assert json.loads(kept.read_text())["cells"], "kept notebook is readable"
    _assert_untouched(builds, before, entries)


def test_cell_timeout(tmp_path, builds):
    before = fake_previous_build(builds)
    entries = build_dirs(builds)
    t0 = time.monotonic()
    result = run_cli(build_args("sleeping", builds, "--cell-timeout", "2"), cli_env(tmp_path))
    assert result.returncode == 1
    assert time.monotonic() - t0 < 60
    assert "sleeping (en): cell 4 [time.sleep(120)] ran longer than the cell timeout of 2 s" in (
        result.stderr
    )
    assert "executed notebook kept for debugging" in result.stderr
    _assert_untouched(builds, before, entries)


def test_kernel_death(tmp_path, builds):
    before = fake_previous_build(builds)
    entries = build_dirs(builds)
    result = run_cli(build_args("dying", builds), cli_env(tmp_path))
    assert result.returncode == 1
    assert "dying (en): the kernel died while running cell 3" in result.stderr
    _assert_untouched(builds, before, entries)


def test_chromium_missing(tmp_path, builds):
    before = fake_previous_build(builds)
    entries = build_dirs(builds)
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    # Neither the variable, nor PATH, nor a Playwright-managed browser can provide Chromium.
    env = cli_env(
        tmp_path,
        GBA_REPORT_CHROMIUM="/nonexistent/chromium",
        PATH=str(empty_bin),
        PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "no-browsers"),
    )
    result = run_cli(["build", "fixture", "--out", str(builds)], env, timeout=60)
    assert result.returncode == 3
    assert "GBA_REPORT_CHROMIUM='/nonexistent/chromium' is not an executable" in result.stderr
    assert "apt-get install chromium" in result.stderr
    _assert_untouched(builds, before, entries)

    del env["GBA_REPORT_CHROMIUM"]
    result = run_cli(["build", "fixture", "--out", str(builds)], env, timeout=60)
    assert result.returncode == 3
    assert "Chromium was not found" in result.stderr
    _assert_untouched(builds, before, entries)

    # HTML needs no browser.
    result = run_cli(build_args("fixture", builds), env)
    assert result.returncode == 0, result.stderr
    assert (builds / "latest" / "fixture.en.html").exists()
    assert not (builds / "latest" / "fixture.en.pdf").exists()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_build_stops_kernels_and_cleans_up(tmp_path, builds, sig, code):
    before = fake_previous_build(builds)
    entries = build_dirs(builds)
    pid_file = tmp_path / "kernel.pid"
    proc = start_cli(
        build_args("sleeping", builds, "-p", f"pid_file={pid_file}"), cli_env(tmp_path)
    )
    wait_for_file(pid_file, proc, "the kernel started", timeout=120, poll=0.2)
    kernel_pid = int(pid_file.read_text())
    assert list(builds.glob(".tmp-*")), "the build should be writing to a temp folder"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "build interrupted" in err
    deadline = time.monotonic() + 10
    while _pid_alive(kernel_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _pid_alive(kernel_pid), "the kernel survived the interrupted build"
    _assert_untouched(builds, before, entries)


def test_two_builds_at_once(tmp_path, builds):
    env = cli_env(tmp_path)
    procs = [start_cli(build_args("fixture", builds, "--jobs", "1"), env) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    runs = [e for e in build_dirs(builds) if e[0].isdigit()]
    assert len(runs) == 2, runs
    assert os.readlink(builds / "latest") in runs
    for run in runs:
        manifest = json.loads((builds / run / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["run_id"] == run
        assert (builds / run / "fixture.en.html").stat().st_size > 1000
    assert not list(builds.glob(".tmp-*"))
    assert not list(builds.glob(".latest-*"))


def test_browser_that_will_not_start(tmp_path, builds):
    before = fake_previous_build(builds)
    entries = build_dirs(builds)
    env = cli_env(tmp_path, GBA_REPORT_CHROMIUM="/bin/false")
    result = run_cli(["build", "fixture", "--lang", "en", "--out", str(builds)], env)
    assert result.returncode == 1
    assert "fixture (en): printing the PDF with /bin/false failed" in result.stderr
    _assert_untouched(builds, before, entries)
