"""The venv that `make setup` made holds exactly the versions of requirements.lock."""

from __future__ import annotations

import subprocess
import sys

from gba_report import lockfile


def test_pip_freeze_equals_the_lock():
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    installed = {
        lockfile.normalise(line.split("==")[0]): line.split("==")[1]
        for line in freeze
        if "==" in line
    }
    locked = {
        name: pin.version
        for name, pin in lockfile.parse_lock(lockfile.LOCK_FILE.read_text()).items()
    }
    assert installed == locked, (
        f"not as locked: {sorted(set(installed.items()) ^ set(locked.items()))}; run `make setup`"
    )
