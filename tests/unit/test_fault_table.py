"""The README's fault table: every fault the issue lists has a row, every row names real tests."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADING = "### Faults and what you see"
#: Faults the table must cover (issue 11), each by a phrase its row starts with.
REQUIRED = (
    "Bad data, each kind",
    "Bad parameters",
    "A cell fails",
    "The kernel dies",
    "A cell runs past the timeout",
    "SIGTERM or Ctrl-C",
    "`kill -9` of the build",
    "Chromium missing",
    "Chromium fails to start or crashes",
    "Disk full",
    "Permission denied",
    "Read-only builds folder",
    "Damaged cache entry",
    "Two builds at once",
    "World Bank refresh with a malformed or partial answer",
)


def _rows() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert HEADING in text, f"README.md has no {HEADING!r} section"
    section = text.split(HEADING, 1)[1].split("\n### ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    assert lines[0].startswith("| Fault |") and set(lines[1]) <= {"|", "-"}
    return [[cell.strip() for cell in ln.strip("|").split(" | ")] for ln in lines[2:]]


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def test_every_listed_fault_has_a_row():
    faults = [row[0] for row in _rows()]
    missing = [f for f in REQUIRED if not any(row.startswith(f) for row in faults)]
    assert not missing, f"faults without a row in the README table: {missing}"


def test_every_row_has_an_exit_code_and_names_existing_tests():
    for fault, seen, code, tests in _rows():
        assert seen and code, fault
        refs = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", tests)
        assert refs, f"row {fault!r} names no test"
        for file, name in refs:
            path = ROOT / file
            assert path.is_file(), f"row {fault!r}: {file} does not exist"
            assert name in _test_names(path), f"row {fault!r}: {file} has no {name}"
