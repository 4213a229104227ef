"""File-system faults, the sweep of killed builds' leftovers, --debug: without a process."""

from __future__ import annotations

import argparse
import errno
import fcntl
import os
import time
from pathlib import Path

import psutil
import pytest

from gba_report import cli, fileio
from gba_report.commands import validate
from gba_report.engine import exitcodes, publish
from gba_report.engine.cache import Cache, checksum_file
from gba_report.engine.errors import (
    BuildError,
    BuildInterrupted,
    describe_file_system_fault,
    file_system_faults,
    is_file_system_fault,
)


@pytest.mark.parametrize(
    "code, verb, fault, todo",
    [
        (errno.ENOSPC, "write", "no space left on the device (ENOSPC)", "free some space there"),
        (errno.EACCES, "access", "permission denied (EACCES)", "fix its permissions for this user"),
        (errno.EROFS, "write", "read-only file system (EROFS)", "build to a writable folder"),
    ],
)
def test_one_line_names_path_fault_and_remedy(code, verb, fault, todo):
    exc = OSError(code, os.strerror(code), "/srv/builds/.tmp-x/summary.en.html")
    assert is_file_system_fault(exc)
    line = describe_file_system_fault(exc)
    assert "\n" not in line
    path = "/srv/builds/.tmp-x/summary.en.html"
    assert line.startswith(f"cannot {verb} {path}: {fault}; {todo}")
    assert "--out DIR" in line and "Nothing was published" in line


def test_file_system_faults_become_exit_4_and_others_pass():
    with pytest.raises(BuildError) as caught, file_system_faults():
        raise OSError(errno.ENOSPC, "No space left on device", "/x")
    assert caught.value.code == exitcodes.FILE_SYSTEM == 4
    assert isinstance(caught.value.__cause__, OSError)
    with pytest.raises(FileNotFoundError), file_system_faults():
        raise FileNotFoundError(errno.ENOENT, "No such file", "/y")
    assert "disk full" in exitcodes.BUILD[4].describe()


def _full_disk(self, data):
    raise OSError(errno.ENOSPC, "No space left on device")  # as write() raises it: no file


def test_atomic_write_names_the_destination_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(Path, "write_bytes", _full_disk)
    target = tmp_path / "out" / "index.html"
    with pytest.raises(OSError) as caught:
        fileio.atomic_write_text(target, "<html></html>")
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(target)
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize(
    ("fault", "raised"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), OSError),
        (KeyboardInterrupt(), KeyboardInterrupt),
    ],
)
def test_atomic_copy_cut_short_keeps_the_old_file_and_leaves_nothing(
    tmp_path, monkeypatch, fault, raised
):
    target = tmp_path / "out" / "report.pdf"
    fileio.atomic_write_bytes(target, b"old")
    (tmp_path / "new.pdf").write_bytes(b"new")

    def half_a_copy(src, dst):
        Path(dst).write_bytes(b"ne")
        raise fault

    monkeypatch.setattr(fileio.shutil, "copyfile", half_a_copy)
    with pytest.raises(raised) as caught:
        fileio.atomic_copy(tmp_path / "new.pdf", target)
    if raised is OSError:
        assert caught.value.filename == str(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.pdf"]


def test_cache_entry_without_room_for_its_checksum_is_not_left(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    entry = cache.html("k")
    real = fileio.atomic_write_text

    def no_room_for_checksum(path, text, encoding="utf-8"):
        if path.name.endswith(".sha256"):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, text, encoding)

    monkeypatch.setattr("gba_report.engine.cache.atomic_write_text", no_room_for_checksum)
    with pytest.raises(OSError):
        cache.store(entry, b"<html></html>")
    assert not entry.exists() and not checksum_file(entry).exists()


def _dead_pid() -> int:
    pid = 4_000_000
    while psutil.pid_exists(pid):
        pid -= 1
    return pid


def _staging(builds: Path, name: str, pid_text: str | None, age_s: float = 0) -> Path:
    path = builds / f".tmp-{name}"
    path.mkdir(parents=True)
    (path / "summary.en.html").write_text("half")
    if pid_text is not None:
        (path / ".pid").write_text(pid_text)
    when = time.time() - age_s
    os.utime(path, (when, when))
    return path


def test_sweep_removes_leftovers_of_dead_builds_only(tmp_path):
    builds = tmp_path / "builds"
    me = psutil.Process()
    dead = _staging(builds, "dead", f"{_dead_pid()} 1700000000.0")
    reused = _staging(builds, "reused", f"{os.getpid()} {me.create_time() - 3600}")
    alive = _staging(builds, "alive", f"{os.getpid()} {me.create_time()}")
    legacy_alive = _staging(builds, "legacy", f"{os.getpid()}")  # pid only, as before
    starting = _staging(builds, "starting", None)
    abandoned = _staging(builds, "abandoned", None, age_s=2 * 3600)
    link = builds / ".latest-old"
    link.symlink_to("nowhere")
    os.utime(link, (time.time() - 600, time.time() - 600), follow_symlinks=False)

    swept = publish.remove_stale(builds)

    assert [p.exists() for p in (dead, reused, alive, legacy_alive, starting, abandoned)] == [
        False,
        False,
        True,
        True,
        True,
        False,
    ]
    assert not link.is_symlink()
    assert len(swept) == 4, swept
    assert any(
        line.startswith("removed .tmp-dead, left by a build that was killed (build pid")
        for line in swept
    )
    assert "removed .tmp-abandoned, left by a build that was killed (no build recorded)" in swept
    assert "removed .latest-old, left by a build killed while publishing" in swept


def test_staging_logs_the_sweep_and_records_pid_and_start_time(tmp_path):
    builds = tmp_path / "builds"
    _staging(builds, "dead", f"{_dead_pid()} 1700000000.0")
    lines: list[str] = []
    with publish.Staging(builds, "20260101T000000Z-abcdef", lines.append) as staging:
        pid, started = (staging.path / ".pid").read_text().split()
        assert int(pid) == os.getpid()
        assert float(started) == pytest.approx(psutil.Process().create_time())
    assert len(lines) == 1 and lines[0].startswith("swept: removed .tmp-dead")
    assert not list(builds.glob(".tmp-*"))


def test_validate_reports_an_unreadable_file_in_one_line(tmp_path, monkeypatch, capsys):
    def unreadable(data_dir):
        raise PermissionError(errno.EACCES, "Permission denied", str(data_dir / "regions.csv"))

    monkeypatch.setattr(validate, "validate_dir", unreadable)
    args = argparse.Namespace(data_dir=tmp_path, freshness=False, as_of=None, debug=False)
    assert validate.run(args) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        f"gba-report validate: cannot read {tmp_path / 'regions.csv'}: Permission denied. "
        "Make it readable by this user and run again."
    )
    assert validate.run(argparse.Namespace(**{**vars(args), "debug": True})) == 1
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["--debug", "cache", "info"], ["cache", "info", "--debug"], ["cache", "info"]]
)
def test_debug_before_or_after_the_command(argv):
    args = cli.make_parser().parse_args(argv)
    assert args.debug is ("--debug" in argv)


@pytest.mark.parametrize(
    ("argv", "engine_call", "interrupted"),
    [
        (
            ["build", "--format", "html"],
            "gba_report.commands.build.run_build",
            "build interrupted: workers stopped, temporary files removed, `latest` unchanged",
        ),
        (
            ["reproduce", "20261129T101500Z-abc123"],
            "gba_report.engine.reproduce.reproduce",  # imported when the command runs
            "reproduce interrupted: the re-run was stopped, its folder removed",
        ),
    ],
)
def test_engine_faults_of_a_command_are_one_line_and_their_exit_code(
    argv, engine_call, interrupted, monkeypatch, capsys
):
    def disk_full(*args, **kwargs):
        raise BuildError("cannot write /builds/x: disk full", code=4)

    def stopped(*args, **kwargs):
        raise BuildInterrupted(143)

    monkeypatch.setattr(engine_call, disk_full)
    assert cli.main(argv) == 4
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith(" error: cannot write /builds/x: disk full")
    assert "Traceback" not in err
    assert cli.main(["--debug", *argv]) == 4
    assert "Traceback" in capsys.readouterr().err

    monkeypatch.setattr(engine_call, stopped)
    assert cli.main(argv) == 143
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith(f" error: {interrupted}")
    assert "Traceback" not in err


def test_publish_lock_held_too_long_is_exit_4(tmp_path):
    builds = tmp_path / "builds"
    builds.mkdir()
    with open(builds / ".publish.lock", "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)  # another build publishing (a separate open file)
        with pytest.raises(BuildError) as caught, publish.publish_lock(builds, timeout_s=0.3):
            pass
    assert caught.value.code == exitcodes.PUBLISH_FAILED == 4
    assert str(caught.value) == (
        f"another build has held {builds / '.publish.lock'} for over 0 s; nothing was published"
    )


def test_publish_and_reproduce_options_follow_the_build_rules(tmp_path, capsys):
    # --debug adds the traceback to publish's one-line fault too (the README: "any command")
    missing = tmp_path / "no-such-part"
    assert cli.main(["--debug", "publish", str(missing), "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and str(missing) in err.splitlines()[-1]
    assert cli.main(["publish", str(missing), "--out", str(tmp_path / "b")]) == 2
    assert "Traceback" not in capsys.readouterr().err
    # reproduce --jobs takes a whole number of at least 1, like build --jobs
    with pytest.raises(SystemExit) as stop:
        cli.main(["reproduce", "20261129T101500Z-abc123", "--jobs", "0"])
    assert stop.value.code == 2
    assert "--jobs" in capsys.readouterr().err
