"""Every report notebook is thin: after the parameters cell, only short calls into the package.

Checked with ``ast`` on every notebook in ``notebooks/`` (all reports, whoever wrote them):
no ``def``/``class``/``lambda``, no ``for``/``while`` loops or comprehensions, no numeric
literals, no file paths, 1-5 lines per cell; the first cell is markdown, the second the
``parameters`` cell (literal defaults with type hints and a help comment), the last code cell
records key figures; notebooks import only the report classes and ``keyfigures``; committed
without outputs.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))

FORBIDDEN = {
    ast.FunctionDef: "function definition (def)",
    ast.AsyncFunctionDef: "function definition (async def)",
    ast.ClassDef: "class definition",
    ast.Lambda: "lambda",
    ast.For: "for loop",
    ast.AsyncFor: "for loop",
    ast.While: "while loop",
    ast.ListComp: "list comprehension (a loop)",
    ast.SetComp: "set comprehension (a loop)",
    ast.DictComp: "dict comprehension (a loop)",
    ast.GeneratorExp: "generator expression (a loop)",
}
PATH_LIKE = re.compile(r"(^\.{0,2}/)|(/[\w.-]+/)|(\\)|(\.(csv|ya?ml|json|ipynb|html|pdf|png|svg)$)")
PARAM_LINE = re.compile(r"^(\w+)\s*:\s*(str|int|float|bool|list)\s*=\s*(.+?)\s+#\s*\S.*$")


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _problems(source: str) -> list[str]:
    problems = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for kind, what in FORBIDDEN.items():
            if isinstance(node, kind):
                problems.append(f"line {node.lineno}: {what}")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float, complex)) and not isinstance(node.value, bool):
                problems.append(f"line {node.lineno}: numeric literal {node.value!r}")
            if isinstance(node.value, str) and PATH_LIKE.search(node.value):
                problems.append(f"line {node.lineno}: file path {node.value!r}")
    return problems


def test_there_are_report_notebooks():
    assert NOTEBOOKS, "no notebooks in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_after_parameters_are_thin(path):
    cells = _cells(path)
    code = [c for c in cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one code cell must be tagged `parameters`"
    after = code[code.index(params[0]) + 1 :]
    assert after, "no code after the parameters cell"
    report = []
    for i, cell in enumerate(after, start=1):
        src = cell.source.strip()
        lines = [ln for ln in src.splitlines() if ln.strip() and not ln.strip().startswith("#")]
        if not 1 <= len(lines) <= 5:
            report.append(f"cell {i} after parameters: {len(lines)} lines (1-5 allowed)")
        report += [f"cell {i} after parameters, {p}" for p in _problems(src)]
    assert not report, f"{path.name}:\n" + "\n".join(report)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_shape(path):
    cells = _cells(path)
    assert cells[0].cell_type == "markdown", "first cell: markdown with title and question"
    assert cells[0].source.lstrip().startswith("#"), "first cell starts with a title"
    code = [c for c in cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell is `parameters`"
    assert cells.index(code[0]) == 1, "the parameters cell comes right after the title"
    assert "keyfigures.record(" in code[-1].source, "last code cell records key figures"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_format(path):
    code = [c for c in _cells(path) if c.cell_type == "code"]
    params = next(c for c in code if "parameters" in c.metadata.get("tags", []))
    names = []
    for line in params.source.splitlines():
        if not line.strip():
            continue
        m = PARAM_LINE.match(line)
        assert m, f"{path.name}: parameter line not `name: type = literal  # help`: {line!r}"
        ast.literal_eval(m.group(3))
        names.append(m.group(1))
    assert "lang" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in _cells(path):
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: outputs present (run nbstripout)"
            assert cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_reports_and_keyfigures_only(path):
    imported = []
    for cell in _cells(path):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom):
                imported += [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                imported += [a.name for a in node.names]
    assert imported, "the notebook imports its report"
    allowed = ("gba_report.keyfigures", "gba_report.reports.")
    assert [name for name in imported if not name.startswith(allowed)] == []
