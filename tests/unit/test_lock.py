"""requirements.lock is in step with pyproject.toml (make test fails until `make lock` is run)."""

from __future__ import annotations

from gba_report import lockfile

PYPROJECT = lockfile.PYPROJECT.read_text(encoding="utf-8")
LOCK = lockfile.LOCK_FILE.read_text(encoding="utf-8")


def test_lock_is_in_step_with_pyproject():
    found = lockfile.problems(PYPROJECT, LOCK)
    assert not found, (
        "requirements.lock is out of step with pyproject.toml; run `make lock`:\n"
        + "\n".join(found)
    )


def test_lock_pins_every_package_with_hashes_for_python_311_on_linux():
    pins = lockfile.parse_lock(LOCK)
    assert "make lock" in LOCK.splitlines()[1]
    # a few packages typed from pyproject.toml's ranges, each pinned exactly and hashed
    for name in ("pandas", "papermill", "nbconvert", "playwright", "setuptools", "pip", "pytest"):
        assert name in pins and pins[name].hashes, name
        assert all(len(h) == 64 for h in pins[name].hashes)
    assert "pywin32" not in pins and "appnope" not in pins  # Windows/macOS-only packages left out


def test_a_new_dependency_is_reported():
    changed = PYPROJECT.replace('"psutil>=5.9",', '"psutil>=5.9",\n    "not-a-locked-package>=1",')
    assert lockfile.problems(changed, LOCK) == ["not-a-locked-package>=1: not in requirements.lock"]


def test_a_range_the_pin_does_not_meet_is_reported():
    version = lockfile.parse_lock(LOCK)["pandas"].version
    major = int(version.split(".")[0])
    changed = PYPROJECT.replace('"pandas>=2.2"', f'"pandas>={major + 1}"')
    assert lockfile.problems(changed, LOCK) == [
        f"pandas>={major + 1}: requirements.lock pins {version}, outside that range"
    ]


def test_a_removed_dependency_is_reported():
    changed = PYPROJECT.replace('    "tqdm>=4.66",\n', "")
    assert lockfile.problems(changed, LOCK) == [
        "tqdm: in requirements.lock as a dependency of pyproject.toml, which no longer lists it"
    ]


def test_unlocked_names_what_pip_freeze_has_beyond_the_lock():
    freeze = ["pandas==" + lockfile.parse_lock(LOCK)["pandas"].version, "Some_Extra==1.0"]
    assert lockfile.unlocked(freeze, LOCK) == ["Some_Extra"]
