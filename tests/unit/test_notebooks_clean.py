"""Notebooks are committed without outputs or execution counts (nbstripout keeps them so)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def dirt(nb: nbformat.NotebookNode) -> list[str]:
    """Everything that should have been stripped before committing ``nb``."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index}: {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index}: execution_count {cell.execution_count}")
        for key in ("execution", "collapsed", "scrolled"):
            if key in cell.get("metadata", {}):
                problems.append(f"cell {index}: metadata.{key}")
    for key in ("widgets", "papermill"):
        if key in nb.metadata:
            problems.append(f"notebook metadata.{key}")
    return problems


def test_the_check_finds_outputs_and_counts() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.execution_count = 3
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=3)
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    assert dirt(nb) == ["cell 1: 1 output(s)", "cell 1: execution_count 3"]
    cell.outputs, cell.execution_count = [], None
    assert dirt(nb) == []


def test_no_checkpoints_committed_beside_notebooks() -> None:
    assert not list(NOTEBOOKS_DIR.rglob("*-checkpoint.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert dirt(nb) == [], f"{path.name}: run nbstripout (pre-commit install does it for you)"
