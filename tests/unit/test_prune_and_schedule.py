"""Pruning old builds (exactly N kept, never latest's target, never one in progress); the
scheduled run's build command and lock."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from gba_report.engine import history, schedule
from gba_report.engine.options import BuildOptions
from gba_report.engine.prune import prune_builds


def _build(root: Path, day: int, status: str = "success") -> Path:
    folder = root / f"202611{day:02d}T060000Z-b{day:02d}"
    folder.mkdir(parents=True)
    manifest = {"run_id": folder.name, "status": status, "data_version": f"v{day}"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "index.html").write_text("ok", encoding="utf-8")
    return folder


def _latest(root: Path, folder: Path) -> None:
    link = root / "latest"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(folder.name)


def _names(root: Path) -> list[str]:
    return [b.name for b in history.list_builds(root)]


def test_prune_keeps_exactly_the_newest_n(tmp_path):
    builds = [_build(tmp_path, day) for day in range(1, 8)]
    _latest(tmp_path, builds[-1])
    removed = prune_builds(tmp_path, keep=3)
    assert _names(tmp_path) == [b.name for b in builds[-3:]]
    assert removed == builds[:4]
    assert (tmp_path / "latest").resolve() == builds[-1].resolve()


def test_prune_never_removes_latest_even_when_it_is_old(tmp_path):
    builds = [_build(tmp_path, day) for day in range(1, 8)]
    _latest(tmp_path, builds[1])  # e.g. an operator pointed latest back at an older build
    prune_builds(tmp_path, keep=3)
    kept = _names(tmp_path)
    assert len(kept) == 3
    assert builds[1].name in kept
    assert kept == [builds[1].name, builds[5].name, builds[6].name]
    assert (tmp_path / "latest" / "manifest.json").is_file()


def test_prune_keep_one_leaves_only_latest(tmp_path):
    builds = [_build(tmp_path, day) for day in range(1, 5)]
    _latest(tmp_path, builds[2])
    prune_builds(tmp_path, keep=1)
    assert _names(tmp_path) == [builds[2].name]


def test_prune_counts_failed_builds_and_works_without_latest(tmp_path):
    _build(tmp_path, 1)
    _build(tmp_path, 2, status="failed")
    newest = _build(tmp_path, 3)
    prune_builds(tmp_path, keep=2)
    assert _names(tmp_path) == ["20261102T060000Z-b02", newest.name]


def test_prune_leaves_builds_in_progress_logs_and_other_files_alone(tmp_path):
    builds = [_build(tmp_path, day) for day in range(1, 5)]
    _latest(tmp_path, builds[-1])
    in_progress = tmp_path / ".tmp-20261101T000000Z-running"
    in_progress.mkdir()
    (in_progress / "partial.html").write_text("...", encoding="utf-8")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "scheduled.log").write_text("log", encoding="utf-8")
    (tmp_path / "index.html").write_text("history", encoding="utf-8")
    (tmp_path / ".scheduled.lock").write_text("", encoding="utf-8")
    (tmp_path / "my-notes").mkdir()

    prune_builds(tmp_path, keep=1)

    assert _names(tmp_path) == [builds[-1].name]
    assert (in_progress / "partial.html").is_file()
    assert (tmp_path / "logs" / "scheduled.log").is_file()
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / ".scheduled.lock").exists()
    assert (tmp_path / "my-notes").is_dir()
    assert not list(tmp_path.glob(".tmp-prune-*"))


def test_prune_trims_the_engines_failed_notebooks_too(tmp_path):
    builds = [_build(tmp_path, day) for day in range(1, 3)]
    _latest(tmp_path, builds[-1])
    failed = tmp_path / "failed"
    for day in range(1, 6):
        (failed / f"202611{day:02d}T070000Z-f{day:02d}").mkdir(parents=True)
    (failed / "README").write_text("not a run", encoding="utf-8")
    prune_builds(tmp_path, keep=2)
    assert sorted(p.name for p in failed.iterdir()) == [
        "20261104T070000Z-f04",
        "20261105T070000Z-f05",
        "README",
    ]
    assert _names(tmp_path) == [b.name for b in builds]


def test_prune_with_fewer_builds_than_keep_removes_nothing(tmp_path, caplog):
    builds = [_build(tmp_path, day) for day in range(1, 3)]
    logger = logging.getLogger("test-prune")
    assert prune_builds(tmp_path, keep=5, logger=logger) == []
    assert _names(tmp_path) == [b.name for b in builds]


def test_prune_rejects_keep_zero(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        prune_builds(tmp_path, keep=0)


def test_build_command_passes_options_through(monkeypatch, build_options_example):
    monkeypatch.delenv(schedule.BUILD_CMD_ENV, raising=False)
    build_options, argv = build_options_example()
    command = schedule.build_command(schedule.ScheduledOptions(build_options))
    assert command[1:4] == ["-m", "gba_report.cli", "build"]
    assert command[4:] == argv
    with_out = schedule.build_command(schedule.ScheduledOptions(BuildOptions(out=Path("rel/out"))))
    assert with_out[-2:] == ["--out", str(Path("rel/out").absolute())]
    monkeypatch.setenv(schedule.BUILD_CMD_ENV, "echo stub")
    stub = schedule.build_command(schedule.ScheduledOptions(BuildOptions(langs=("en",))))
    assert stub == ["/bin/sh", "-c", "echo stub", "gba-report-build", "--lang", "en"]


def test_lock_is_exclusive_and_names_its_holder(tmp_path):
    lock = tmp_path / ".scheduled.lock"
    with schedule.scheduled_lock(lock):
        with pytest.raises(schedule.LockBusy) as busy:
            with schedule.scheduled_lock(lock, wait=0.3, poll=0.05):
                pass  # pragma: no cover
        assert busy.value.waited >= 0.25
        assert "pid" in busy.value.holder
    with schedule.scheduled_lock(lock):  # released
        pass
