"""Helpers for the engine's end-to-end tests: run the CLI against the fixture manifest."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
FIXTURE_MANIFEST = FIXTURES / "reports.yml"


def require_tool(name: str) -> str:
    """Return the tool's path; fail (never skip) with an install hint when it is missing."""
    path = shutil.which(name)
    if not path:
        pytest.fail(
            f"{name} is required by the end-to-end tests but is not on PATH; "
            "run `make system-deps` (Debian: apt-get install chromium poppler-utils "
            "fonts-noto-cjk)"
        )
    return path


def cli_env(tmp_path: Path, manifest: Path | None = FIXTURE_MANIFEST, **extra: str) -> dict:
    """Environment for a CLI run: fixture manifest, cache in tmp, no inherited overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GBA_REPORT_")}
    if manifest is not None:
        env["GBA_REPORT_MANIFEST"] = str(manifest)
    env["GBA_REPORT_CACHE_DIR"] = str(tmp_path / "cache")
    # The fixture notebooks read no data; a private copy of one codelist keeps the cache key
    # (which covers every data file) independent of edits elsewhere in the checkout.
    data = tmp_path / "data"
    if not data.exists():
        data.mkdir(parents=True)
        shutil.copy(FIXTURES / "regions.csv", data / "regions.csv")
    env["GBA_REPORT_DATA_DIR"] = str(data)
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict, timeout: float = 300, **kwargs
) -> subprocess.CompletedProcess:
    """Run ``gba-report ARGS`` in a subprocess (stdout/stderr captured as text)."""
    return subprocess.run(
        [sys.executable, "-m", "gba_report.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=kwargs.pop("cwd", ROOT),
        **kwargs,
    )


def start_cli(args: list[str], env: dict, stdout: int = subprocess.PIPE) -> subprocess.Popen:
    """Start ``gba-report ARGS`` without waiting (stderr, and stdout unless told, piped as text)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gba_report.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_file(
    path: Path, proc: subprocess.Popen, what: str, timeout: float = 180, poll: float = 0.1
) -> str:
    """Wait until the running ``proc`` has written ``path``; its text (a pid). Fails if the
    process ends first, naming ``what`` it was waiting for."""
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.read_text().strip()):
        assert proc.poll() is None, f"the build ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(poll)
    return path.read_text().strip()


def build_args(report: str, builds: Path, *more: str, lang: str = "en", fmt: str = "html") -> list:
    """``build REPORT --lang LANG --format FMT --out BUILDS MORE...`` (English HTML by default)."""
    return ["build", report, "--lang", lang, "--format", fmt, "--out", str(builds), *more]


def chromium_wrapper(tmp_path: Path, **extra: str) -> tuple[Path, Path, dict]:
    """The real Chromium behind a script that first writes its pid to a marker file.

    Returns (wrapper, marker, environment of a fixture build that prints with the wrapper).
    """
    chromium = require_tool("chromium")
    marker = tmp_path / "chromium.pid"
    wrapper = tmp_path / "chromium-wrapper"
    # exec keeps the pid, so the marker names the browser itself
    wrapper.write_text(f'#!/bin/sh\necho $$ > "{marker}"\nexec "{chromium}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper, marker, cli_env(tmp_path, GBA_REPORT_CHROMIUM=str(wrapper), **extra)


def shared_once(tmp_path_factory, name: str, make: Callable[[Path], dict]) -> dict:
    """What ``make(folder)`` returns, run once per test session however many xdist workers ask.

    The first worker to ask runs it, under an exclusive lock, in a folder beside the workers'
    own temporary folders; the others wait for the lock and read the JSON it left. ``make``
    returns JSON values. The folder is shared: a test that changes it works on a copy.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's folder, above popen-gw0, popen-gw1, ...
    folder = base / f"shared-{name}"
    done = base / f"shared-{name}.json"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.is_file():
            return json.loads(done.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)  # an earlier attempt that failed
        folder.mkdir()
        result = make(folder)
        done.write_text(json.dumps(result), encoding="utf-8")
        return result


def fake_previous_build(builds: Path) -> tuple[str, str]:
    """Publish a stand-in earlier build; return (latest target, sha256 of its index.html)."""
    run = builds / "20000101T000000Z-000000"
    run.mkdir(parents=True)
    (run / "index.html").write_text("<html>previous good build</html>", encoding="utf-8")
    (run / "manifest.json").write_text('{"run_id": "20000101T000000Z-000000"}', encoding="utf-8")
    (builds / "latest").symlink_to(run.name)
    return latest_state(builds)


def latest_state(builds: Path) -> tuple[str, str]:
    """What ``latest`` points at, and the hash of the index.html it shows."""
    link = builds / "latest"
    target = os.readlink(link)
    digest = hashlib.sha256((link / "index.html").read_bytes()).hexdigest()
    return target, digest


def build_dirs(builds: Path) -> list[str]:
    """Names of every entry in the builds folder except bookkeeping (lock, history index)."""
    return sorted(p.name for p in builds.iterdir() if p.name not in (".publish.lock", "index.html"))
