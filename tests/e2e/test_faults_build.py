"""End-to-end: a build on broken data, and a browser that crashes while it prints.

Both stop the build with one line and a non-zero exit code, no traceback, nothing published.
(Each kind of broken data is checked on its own by ``gba-report validate`` in
tests/data/test_validation_errors.py; here the build itself meets it.)
"""

from __future__ import annotations

import os
import signal

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

DEFECTS = {
    "not UTF-8": (b"GD,\xff\xfe broken\n", "line 7: is not UTF-8 text (rule: encoding)"),
    "unclosed quote": (b'"GD,province\n', "(rule: csv-syntax)"),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_build_on_broken_data_stops_in_one_line(tmp_path, defect):
    env = cli_env(tmp_path)
    builds = tmp_path / "builds"
    before = fake_previous_build(builds)
    regions = tmp_path / "data" / "regions.csv"
    appended, message = DEFECTS[defect]
    regions.write_bytes(regions.read_bytes() + appended)
    result = run_cli(build_args("fixture", builds), env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = [ln for ln in result.stderr.splitlines() if " error: " in ln]
    assert f"{regions}" in line and message in line, line
    assert latest_state(builds) == before
    assert not list(builds.glob(".tmp-*"))


def test_chromium_crashing_while_it_prints(tmp_path):
    builds = tmp_path / "builds"
    before = fake_previous_build(builds)
    wrapper, marker, env = chromium_wrapper(tmp_path)
    proc = start_cli(["build", "fixture", "--out", str(builds)], env)
    chromium_pid = wait_for_file(marker, proc, "Chromium started", poll=0.05)
    os.kill(int(chromium_pid), signal.SIGKILL)  # the browser dies under the build
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    (line,) = [ln for ln in err.splitlines() if " error: " in ln]
    assert f"printing the PDF with {wrapper} failed" in line, line
    assert latest_state(builds) == before
    assert not list(builds.glob(".tmp-*"))
