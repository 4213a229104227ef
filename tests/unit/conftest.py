"""The unit tier's rule, enforced: no subprocess and no read of the project's ``data/``.

Unit tests work on tiny inline inputs (or files they write to ``tmp_path``). A test that
starts a process (``subprocess``, ``os.system``, ``os.fork``, ``os.exec*``, ``posix_spawn``) or
opens or lists anything under the checkout's ``data/`` folder fails, naming what it did; such a
test belongs in ``tests/data`` (curated data) or ``tests/e2e`` (processes). The guard is a
Python audit hook (``sys.addaudithook``), so it sees every ``open``, however it is reached
(``open``, ``Path.read_text``, ``os.open``, pandas), and records violations even when the code
under test swallows the error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from gba_report.engine.options import BuildOptions

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = str(ROOT / "data")

#: Audit events that start another process.
PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.fork"}
)
#: Audit events that read a path (first argument).
PATH_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})

#: Unit tests of other layers that still read the real data: each is being moved or rewritten
#: on its owner's branch (issue 9: REPORTS for analysis/present, issue 8: DATA for the source
#: catalogue). Delete an entry when its file no longer trips the guard; add none.
PENDING_MOVE = {
    "test_zh_sources.py": "DATA (issue 8) moves it to tests/data",
}


class UnitTierViolation(RuntimeError):
    """A unit test started a process or read the project's data."""


class _Guard:
    active = False
    violations: list[str] = []

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if not cls.active:
            return
        message = None
        if event in PROCESS_EVENTS:
            message = f"started a process ({event} {args[:2]!r})"
        elif event in PATH_EVENTS and args and isinstance(args[0], str | bytes | os.PathLike):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path == DATA_DIR or path.startswith(DATA_DIR + os.sep):
                message = f"read the project's data ({event} {path})"
        if message is None:
            return
        cls.active = False  # report once; the test is failing anyway
        cls.violations.append(message)
        raise UnitTierViolation(
            f"tests/unit may not {message}: use inline inputs or tmp_path, or move the test to "
            "tests/data (curated data) or tests/e2e (processes)"
        )


sys.addaudithook(_Guard.hook)


@pytest.fixture(autouse=True)
def _unit_tier_guard(request):
    """Fail the test if it started a process or read data/, even if the error was caught."""
    if request.path.name in PENDING_MOVE:
        yield
        return
    _Guard.violations = []
    _Guard.active = True
    try:
        yield
    finally:
        _Guard.active = False
    if _Guard.violations:
        pytest.fail(f"tests/unit may not have {_Guard.violations[0]}", pytrace=False)


@pytest.fixture
def build_options_example():
    """Function ``out -> (BuildOptions, argv)``: most build options set, and their command line.

    The command line is typed here, in the order :meth:`BuildOptions.to_argv` writes it
    (reports last); ``out`` adds ``--out``.
    """

    def example(out: Path | None = None) -> tuple[BuildOptions, list[str]]:
        options = BuildOptions(
            reports=("rd_intensity", "summary"),
            langs=("zh-Hant",),
            formats=("html",),
            params=("focus_region=HK", "end_year=2023"),
            params_file=Path("p.yml"),
            jobs=2,
            force=True,
            cell_timeout=120.0,
            out=out,
        )
        argv = [
            "--lang", "zh-Hant", "--format", "html", "-p", "focus_region=HK", "-p", "end_year=2023",
            "--params", "p.yml", "--jobs", "2", "--force", "--cell-timeout", "120",
            *(["--out", str(out)] if out is not None else []), "rd_intensity", "summary",
        ]  # fmt: skip
        return options, argv

    return example
