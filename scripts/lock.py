"""``make lock`` writes requirements.lock from pyproject.toml; ``make setup`` then prunes the venv.

``python scripts/lock.py`` (needs PyPI) resolves the project's dependencies, its locked extras
(``dev``, ``dask``: ``lockfile.LOCKED_EXTRAS``), its build requirements and pip with uv, for
CPython 3.11 on Linux, into ``requirements.lock``: every package at one exact version, with the
sha256 of each of its files. pyproject.toml keeps its ranges. ``python scripts/lock.py prune``
removes every installed package the lock does not list (``make setup`` installs the lock with
``pip install --require-hashes --no-deps``, the project with ``--no-deps``, then prunes), so
the venv is exactly the lock.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from gba_report import lockfile

PYTHON_VERSION = "3.11"
PLATFORM = "x86_64-unknown-linux-gnu"


def lock() -> int:
    """Resolve with uv (a dev dependency, next to this interpreter) and write the lock."""
    root = lockfile.PROJECT_ROOT
    pyproject = tomllib.loads(lockfile.PYPROJECT.read_text(encoding="utf-8"))
    extra = [*pyproject["build-system"]["requires"], *lockfile.TOOLING]
    uv = Path(sys.executable).with_name("uv")
    with tempfile.NamedTemporaryFile("w", suffix=".in", encoding="utf-8") as inputs:
        inputs.write("\n".join(extra) + "\n")
        inputs.flush()
        cmd = [
            str(uv), "pip", "compile", "pyproject.toml", inputs.name,
            *(arg for name in lockfile.LOCKED_EXTRAS for arg in ("--extra", name)),
            "--generate-hashes", "--python-version", PYTHON_VERSION,
            "--python-platform", PLATFORM, "--custom-compile-command", "make lock",
            "--quiet", "-o", str(lockfile.LOCK_FILE),
        ]  # fmt: skip
        if subprocess.run(cmd, cwd=root, check=False).returncode:
            print("make lock: uv could not resolve the dependencies (see above)", file=sys.stderr)
            return 1
    text = lockfile.LOCK_FILE.read_text(encoding="utf-8")
    # uv names the temporary input file in the annotations: keep the lock byte-stable.
    text = text.replace(f"-r {inputs.name}", "build requirements and pip (pyproject.toml)")
    lockfile.LOCK_FILE.write_text(text, encoding="utf-8")
    print(f"wrote requirements.lock: {len(lockfile.parse_lock(text))} packages")
    return 0


def prune() -> int:
    """Uninstall what the lock does not list (the editable project itself stays)."""
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    extra = lockfile.unlocked(freeze, lockfile.LOCK_FILE.read_text(encoding="utf-8"))
    if extra:
        print(f"make setup: removing packages that requirements.lock does not list: {extra}")
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "uninstall", "-yq"]
        subprocess.run([*pip, *extra], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(prune() if sys.argv[1:] == ["prune"] else lock())
