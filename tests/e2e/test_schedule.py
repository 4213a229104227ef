"""The unattended entry point, run for real: lock, exit codes, log, pruning, history.

The build itself is replaced by a stub (GBA_REPORT_SCHEDULED_BUILD_CMD) that publishes a fake
build the way the engine does (temporary folder, rename, ``latest`` symlink swap), so these
tests exercise the real lock, log and pruning in seconds, without notebooks or Chromium.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gba_report.engine import history, schedule

ROOT = Path(__file__).resolve().parents[2]
GBA_REPORT = Path(sys.executable).with_name("gba-report")

# A stand-in for `gba-report build`: refuses to run if another copy is running (proves the
# lock works), sleeps FAKE_SLEEP seconds, optionally fails, then publishes atomically.
FAKE_BUILD = r"""
import json, os, secrets, shutil, signal, sys, time
from datetime import UTC, datetime
from pathlib import Path

# Like the real build: on SIGTERM, clean up and exit (the finally blocks run).
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

args = sys.argv[1:]
default_root = os.environ["GBA_REPORT_BUILD_DIR"]
root = Path(args[args.index("--out") + 1] if "--out" in args else default_root)
root.mkdir(parents=True, exist_ok=True)
marker = Path(os.environ["GBA_REPORT_BUILD_DIR"]).parent / "stub-running"
try:
    fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
except FileExistsError:
    print("OVERLAP: another build is running", flush=True)
    sys.exit(9)
os.write(fd, str(os.getpid()).encode())
os.close(fd)
try:
    tmp = None
    started = datetime.now(UTC)
    name = started.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    tmp = root / f".tmp-{name}"
    tmp.mkdir()
    print(f"stub build {name} args {sys.argv[1:]}", flush=True)
    for i in range(int(os.environ.get("FAKE_LINES", "0"))):
        print(f"progress line {i} " + "x" * 80, flush=True)
    time.sleep(float(os.environ.get("FAKE_SLEEP", "0")))
    if os.environ.get("FAKE_FAIL"):
        print("Error in report rd_intensity (en), cell 4: ValueError", flush=True)
        os.rename(tmp, root / f".failed-{name}")
        sys.exit(int(os.environ["FAKE_FAIL"]))
    value = float(os.environ.get("FAKE_VALUE", "3.6"))
    manifest = {
        "run_id": name, "status": "success", "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(), "data_version": f"dv{value}",
        "data_files": {"data/rd_intensity.csv": f"sha{value}"},
        "outputs": {"rd_intensity.en.html": "x"},
        "reports": {"rd_intensity": {"title": {"en": "R&D"}, "langs": {"en": {
            "content_sha256": f"c{value}",
            "key_figures": {"gd_pct": {"value": value, "unit": "%", "label": "GD"}}}}}},
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest))
    (tmp / "index.html").write_text("<html>build</html>")
    os.rename(tmp, root / name)
    link = root / f".tmp-latest-{name}"
    link.symlink_to(name)
    os.replace(link, root / "latest")
finally:
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    os.unlink(marker)
"""


@pytest.fixture
def env(tmp_path):
    stub = tmp_path / "fake_build.py"
    stub.write_text(FAKE_BUILD, encoding="utf-8")
    environment = dict(os.environ)
    environment.update(
        GBA_REPORT_BUILD_DIR=str(tmp_path / "build"),
        GBA_REPORT_SCHEDULED_BUILD_CMD=f'"{sys.executable}" "{stub}" "$@"',
        FAKE_SLEEP="0",
    )
    return environment


def _cmd(*args: str) -> list[str]:
    if GBA_REPORT.exists():
        return [str(GBA_REPORT), *args]
    return [sys.executable, "-m", "gba_report.cli", *args]


def _start(env: dict, *args: str, **extra_env: str) -> subprocess.Popen:
    return subprocess.Popen(
        _cmd("scheduled", *args),
        env={**env, **extra_env},
        cwd=ROOT,
        stdin=subprocess.DEVNULL,  # no terminal, no prompts
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(env: dict, *args: str, timeout: float = 60, **extra_env: str):
    proc = _start(env, *args, **extra_env)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def _builds(env: dict) -> list[history.BuildInfo]:
    return history.list_builds(Path(env["GBA_REPORT_BUILD_DIR"]))


def _log(env: dict) -> str:
    return (Path(env["GBA_REPORT_BUILD_DIR"]) / "logs" / "scheduled.log").read_text("utf-8")


def _wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def _assert_build_folder_sound(env: dict) -> None:
    root = Path(env["GBA_REPORT_BUILD_DIR"])
    assert not list(root.glob(".tmp-*")), "a temporary folder was left behind"
    latest = history.latest_target(root)
    assert latest is not None
    manifest = json.loads((latest / "manifest.json").read_text("utf-8"))
    assert manifest["status"] == "success"
    for build in history.list_builds(root):
        assert build.ok, f"{build.name} is not a good build"
    assert (root / "index.html").is_file()


def test_two_runs_started_at_once_one_builds_the_other_exits_75(env):
    # The build takes long enough (6 s) that the second process, however slowly it starts on a
    # loaded machine, finds the lock taken.
    first = _start(env, "--wait", "0", FAKE_SLEEP="6")
    second = _start(env, "--wait", "0", FAKE_SLEEP="6")
    results = [p.communicate(timeout=60) for p in (first, second)]
    codes = sorted([first.returncode, second.returncode])
    assert codes == [0, 75], results

    builds = _builds(env)
    assert len(builds) == 1
    _assert_build_folder_sound(env)
    log = _log(env)
    assert "OVERLAP" not in log
    assert log.count("scheduled run started") == 1
    assert "another scheduled run holds the lock" in log
    assert "exit 75" in log
    assert "published " + builds[0].name in log
    stderr_of_loser = results[[first.returncode, second.returncode].index(75)][1]
    assert "another scheduled run holds the lock" in stderr_of_loser


def test_second_run_waits_for_the_lock_then_builds(env):
    root = Path(env["GBA_REPORT_BUILD_DIR"])
    first = _start(env, FAKE_SLEEP="2", FAKE_VALUE="3.6")
    _wait_for(lambda: (root / ".scheduled.lock").is_file() and "pid" in _lock_text(root))
    holder = _lock_text(root)
    assert f"pid {first.pid}" in holder
    second = _start(env, "--wait", "30", FAKE_SLEEP="0", FAKE_VALUE="3.8")
    assert second.wait(timeout=60) == 0, second.stderr.read()
    assert first.wait(timeout=60) == 0

    builds = _builds(env)
    assert len(builds) == 2
    _assert_build_folder_sound(env)
    assert history.latest_target(root) == builds[-1].path.resolve()
    log = _log(env)
    assert "OVERLAP" not in log
    # The second run started only after the first finished.
    assert log.index("scheduled run finished") < log.rindex("scheduled run started")
    assert "changed key figure rd_intensity/en gd_pct: 3.6 -> 3.8" in log
    assert _lock_text(root) == ""  # released and cleared


def _lock_text(root: Path) -> str:
    try:
        return (root / ".scheduled.lock").read_text("utf-8")
    except FileNotFoundError:
        return ""


def test_failed_build_exits_1_and_leaves_latest_alone(env):
    assert _run(env, FAKE_VALUE="1")[0] == 0
    root = Path(env["GBA_REPORT_BUILD_DIR"])
    before = history.latest_target(root)

    code, _out, err = _run(env, FAKE_FAIL="4")
    assert code == 1
    assert history.latest_target(root) == before
    assert len(_builds(env)) == 1
    log = _log(env)
    assert "build | Error in report rd_intensity (en), cell 4: ValueError" in log
    assert "build failed with exit code 4 (the build could not be published)" in log
    assert f"latest still points at {before.name}" in log
    assert "exit 1 (build failed" in log
    assert "build failed" in err

    # The build's own usage error (bad report name or parameter) stays a usage error.
    code, _out, _err = _run(env, FAKE_FAIL="2")
    assert code == 2
    assert "bad usage" in _log(env)
    assert history.latest_target(root) == before


def test_sigterm_stops_the_build_and_releases_the_lock(env):
    root = Path(env["GBA_REPORT_BUILD_DIR"])
    proc = _start(env, FAKE_SLEEP="60")
    marker = root.parent / "stub-running"
    _wait_for(marker.exists)
    stub_pid = int(marker.read_text() or 0) if marker.read_text() else None
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    if stub_pid:
        _wait_for(lambda: not _alive(stub_pid), timeout=10)
    assert history.latest_target(root) is None
    assert _builds(env) == []
    assert "received SIGTERM" in _log(env)
    # The lock is free again: the next run goes straight through.
    assert _run(env, "--wait", "0")[0] == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose.
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def test_timeout_stops_a_hanging_build(env):
    code, _out, _err = _run(env, "--timeout", "1", FAKE_SLEEP="60")
    assert code == 1
    assert "build exceeded --timeout 1s" in _log(env)
    assert history.latest_target(Path(env["GBA_REPORT_BUILD_DIR"])) is None


def test_runs_prune_to_keep_and_write_history(env):
    for value in ("1", "2", "3"):
        code, _out, _err = _run(env, "--keep", "2", FAKE_VALUE=value)
        assert code == 0
    builds = _builds(env)
    assert len(builds) == 2
    assert builds[-1].is_latest
    assert [b.manifest["data_version"] for b in builds] == ["dv2.0", "dv3.0"]
    page = (Path(env["GBA_REPORT_BUILD_DIR"]) / "index.html").read_text("utf-8")
    assert all(b.name in page for b in builds)
    assert "dv3.0" in page and "dv1.0" not in page
    assert "prune: removed old build" in _log(env)


def _fake_published_build(root: Path, day: int) -> Path:
    folder = root / f"202611{day:02d}T060000Z-fake{day:02d}"
    folder.mkdir(parents=True)
    manifest = {"run_id": folder.name, "status": "success", "data_version": f"dv{day}"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "index.html").write_text("<html></html>", encoding="utf-8")
    link = root / "latest"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(folder.name)
    return folder


def test_prune_only_and_history_command(env):
    root = Path(env["GBA_REPORT_BUILD_DIR"])
    for day in (1, 2, 3):
        _fake_published_build(root, day)
    assert len(_builds(env)) == 3
    code, _out, _err = _run(env, "--prune-only", "--keep", "1")
    assert code == 0
    assert len(_builds(env)) == 1 and _builds(env)[0].is_latest
    assert "build |" not in _log(env).split("--prune-only")[-1]

    index = Path(env["GBA_REPORT_BUILD_DIR"]) / "index.html"
    index.unlink()
    out = subprocess.run(
        _cmd("history"), env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert index.is_file()
    assert "<- latest" in out and str(index) in out


def test_options_are_passed_through_to_the_build(env):
    code, _out, _err = _run(
        env, "rd_intensity", "--lang", "en", "--format", "html", "-p", "focus_region=HK"
    )
    assert code == 0
    assert "args ['--lang', 'en', '--format', 'html', '-p', 'focus_region=HK', 'rd_intensity']" in (
        _log(env)
    )


def test_out_moves_builds_lock_log_and_history(env, tmp_path):
    other = tmp_path / "published"
    code, _out, _err = _run(env, "--out", str(other), "--keep", "1")
    assert code == 0
    builds = history.list_builds(other)
    assert len(builds) == 1 and builds[0].is_latest
    assert (other / "logs" / "scheduled.log").is_file()
    assert (other / ".scheduled.lock").exists()
    assert (other / "index.html").is_file()
    assert "--out" in (other / "logs" / "scheduled.log").read_text("utf-8")
    assert not Path(env["GBA_REPORT_BUILD_DIR"]).exists()


def test_unusable_builds_folder_exits_78(env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _out, err = _run(env, "--out", str(blocker / "build"))
    assert code == 78
    assert "cannot use" in err


def test_runs_with_stdin_closed(env):
    proc = subprocess.run(
        " ".join(_cmd("scheduled", "--quiet")) + " 0<&-",
        shell=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    _assert_build_folder_sound(env)


def test_log_rotates(env):
    args = ["--log-max-bytes", "4000", "--log-backups", "2"]
    # One run writes ~15 kB: the log rotates several times; only 2 old files are kept.
    assert _run(env, *args, FAKE_LINES="150")[0] == 0
    logs = Path(env["GBA_REPORT_BUILD_DIR"]) / "logs"
    names = sorted(p.name for p in logs.iterdir())
    assert names == ["scheduled.log", "scheduled.log.1", "scheduled.log.2"]
    assert all(p.stat().st_size <= 4000 + 500 for p in logs.iterdir())


def test_custom_log_file_and_freshness_warning(env, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    log_file = tmp_path / "elsewhere" / "run.log"
    code, _out, err = _run(
        env,
        "--log",
        str(log_file),
        "--as-of",
        "2026-12-01",
        "--quiet",
        GBA_REPORT_DATA_DIR=str(data),
    )
    assert code == 0
    text = log_file.read_text("utf-8")
    # the publishers' calendars: NBS's 2025 R&D communique is due by 30 Sep 2026
    assert "WARNING freshness: rd_intensity: a newer release is expected" in text
    assert "for 2025, expected by 2026-09-30" in text
    # --quiet: only warnings and errors reach stderr (what cron would mail).
    assert "freshness: rd_intensity" in err
    assert "INFO" not in err


def test_usage_errors_exit_2(capsys):
    from gba_report import cli

    for argv, message in (
        (["scheduled", "--keep", "0"], "at least 1"),
        (["scheduled", "--wait", "-5"], "0 or more"),
        (["scheduled", "--no-such-option"], "unrecognized arguments"),
    ):
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 2
        assert message in capsys.readouterr().err


def test_shell_wrapper_runs_without_a_terminal(env, tmp_path):
    code = subprocess.run(
        ["bash", str(ROOT / "scripts" / "scheduled_build.sh"), "--keep", "3"],
        env=env,
        cwd=tmp_path,  # the wrapper changes to the project itself
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert code.returncode == 0, code.stderr
    assert len(_builds(env)) == 1
    _assert_build_folder_sound(env)


def test_shell_wrapper_without_venv_exits_78(tmp_path):
    fake_root = tmp_path / "checkout"
    (fake_root / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "scheduled_build.sh", fake_root / "scripts")
    proc = subprocess.run(
        ["bash", str(fake_root / "scripts" / "scheduled_build.sh")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 78
    assert "make setup" in proc.stderr


def test_run_build_process_escalates_to_sigkill_when_the_build_ignores_sigterm(monkeypatch):
    monkeypatch.setattr(schedule, "STOP_GRACE_S", 0.5)
    logger = logging.getLogger("test-run-build")
    start = time.monotonic()
    code, reason = schedule.run_build_process(
        ["/bin/sh", "-c", 'trap "" TERM; echo started; sleep 30'], logger, timeout=0.5
    )
    assert reason == "timeout"
    assert code == -signal.SIGKILL
    assert time.monotonic() - start < 10


def test_run_build_process_copies_the_build_output_into_the_log(caplog):
    logger = logging.getLogger("test-run-build-output")
    logger.propagate = True
    with caplog.at_level(logging.INFO, logger="test-run-build-output"):
        code, reason = schedule.run_build_process(
            ["/bin/sh", "-c", "echo one; echo two >&2; read x || echo no-stdin; exit 3"], logger
        )
    assert (code, reason) == (3, None)
    lines = [r.getMessage() for r in caplog.records]
    assert {"build | one", "build | two", "build | no-stdin"} <= set(lines)
