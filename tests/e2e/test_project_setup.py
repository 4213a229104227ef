"""The project's own set-up contract: one dependency list, two commands, CI runs make test.

End to end because it runs `make` and the set-up script (the unit tier starts no process).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_installs_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    assert "python=3.11" in deps, "environment.yml must pin conda-forge python=3.11"
    assert "conda-forge" in env["channels"]
    pip_lists = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert pip_lists == [["-r requirements.lock"]], "environment.yml installs exactly the lock"


def test_required_dependencies_are_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~\[ ]", r, maxsplit=1)[0].lower() for r in project["dependencies"]}
    for name in [
        "jupyter", "pandas", "seaborn", "papermill", "nbconvert", "ipykernel",
        "matplotlib", "pandera", "pyyaml", "playwright",
    ]:  # fmt: skip
        assert name in names, f"{name} missing from pyproject.toml dependencies"
    mpl = next(r for r in project["dependencies"] if r.lower().startswith("matplotlib"))
    assert ">=3.11" in mpl, "matplotlib >= 3.11 is needed to see the TC face of Noto CJK"
    assert project["scripts"]["gba-report"] == "gba_report.cli:main"


def test_readme_shows_the_two_commands_first():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    first_screen = "\n".join(lines[:40])
    assert "make report" in first_screen and "make test" in first_screen
    # It opens with a paragraph on what the project is, before any command.
    first_text = next(line for line in lines[1:] if line.strip() and not line.startswith("#"))
    assert "make " not in first_text and len(first_text) > 80


def test_ci_runs_exactly_make_test():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in script.splitlines()
        if line.strip() and not line.strip().startswith(("#", "set ", "cd "))
    ]
    assert commands == ["make test"]


def _setup_check(env: dict | None = None) -> subprocess.CompletedProcess:
    """``scripts/setup_system.sh --check`` (reports, never installs), its output captured."""
    return subprocess.run(
        ["/bin/bash", "scripts/setup_system.sh", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_setup_is_idempotent_once_installed():
    # make test ran `setup` before pytest, so a second run must find nothing to do.
    out = subprocess.run(
        ["make", "--question", "venv"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, "make venv would reinstall: the stamp is older than pyproject"
    sysdeps = _setup_check()
    assert sysdeps.returncode == 0, sysdeps.stderr
    assert "installing" not in sysdeps.stdout
    assert "present" in sysdeps.stdout


def test_setup_check_names_what_is_missing_and_installs_nothing(tmp_path):
    # A PATH with none of the tools: everything is reported missing, and --check never installs.
    (tmp_path / "grep").symlink_to(shutil.which("grep"))
    out = _setup_check(env={"PATH": str(tmp_path)})
    assert out.returncode == 1
    for package in ("chromium", "fonts-noto-cjk", "poppler-utils"):
        assert package in out.stderr
    assert "installing" not in out.stdout + out.stderr
