"""End-to-end: ``kill -9`` of a build leaves no process behind, and the next build sweeps up.

A real build runs in a subprocess whose environment carries a token no other process has;
every process it starts (workers, kernels, Playwright's driver, Chromium) inherits it. The
build is killed with SIGKILL while a kernel runs, or while Chromium prints; within a few
seconds no process with the token is left, ``latest`` is unchanged, and the next build
succeeds and says which leftovers of the killed one it removed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time

import psutil
import pytest
from engine_helpers import (
    build_args,
    chromium_wrapper,
    cli_env,
    fake_previous_build,
    latest_state,
    run_cli,
    start_cli,
    wait_for_file,
)

pytestmark = pytest.mark.slow

TOKEN_VAR = "GBA_TEST_BUILD_TOKEN"
#: Seconds the processes of a killed build may take to notice and exit.
GRACE_S = 10


def _processes_with(token: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.status() != psutil.STATUS_ZOMBIE and proc.environ().get(TOKEN_VAR) == token:
                found.append(proc)
        except psutil.Error:
            continue  # gone meanwhile, or not ours to read
    return found


def _kill_and_check(proc: subprocess.Popen, token: str, expect: str) -> None:
    started = [" ".join(p.cmdline()) for p in _processes_with(token)]
    assert any(expect in cmd for cmd in started), started
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + GRACE_S
    left = _processes_with(token)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = _processes_with(token)
    names = [" ".join(p.cmdline())[:100] for p in left]
    for p in left:  # do not leave them to the next test
        p.kill()
    assert not names, f"processes of the killed build still running: {names}"


@pytest.fixture()
def token() -> str:
    return secrets.token_hex(8)


def test_kill_9_while_kernels_run(tmp_path, token):
    builds = tmp_path / "builds"
    before = fake_previous_build(builds)
    env = cli_env(tmp_path, **{TOKEN_VAR: token})
    pid_file = tmp_path / "kernel.pid"
    args = ["build", "sleeping", "--lang", "all", "--format", "html", "--out", str(builds)]
    proc = start_cli([*args, "-p", f"pid_file={pid_file}"], env, stdout=subprocess.DEVNULL)
    wait_for_file(pid_file, proc, "a kernel started")
    (staging,) = builds.glob(".tmp-*")
    _kill_and_check(proc, token, "ipykernel")
    assert latest_state(builds) == before
    assert staging.exists(), "the killed build could not have removed its folder"

    after = run_cli(build_args("fixture", builds), env)
    assert after.returncode == 0, after.stderr
    (swept,) = [line for line in after.stderr.splitlines() if "swept:" in line]
    assert f"removed {staging.name}, left by a build that was killed" in swept
    assert f"pid {proc.pid}, no longer running" in swept
    assert not staging.exists() and not list(builds.glob(".tmp-*"))
    assert latest_state(builds) != before


def test_kill_9_while_chromium_prints(tmp_path, token):
    builds = tmp_path / "builds"
    before = fake_previous_build(builds)
    _, marker, env = chromium_wrapper(tmp_path, **{TOKEN_VAR: token})
    proc = start_cli(
        build_args("fixture", builds, lang="all", fmt="html,pdf"), env, stdout=subprocess.DEVNULL
    )
    wait_for_file(marker, proc, "Chromium started")
    _kill_and_check(proc, token, "chrom")
    assert latest_state(builds) == before
