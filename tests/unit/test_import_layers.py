"""The package's shape: imports run one way, no circles, no oversized module or class.

Every module's imports are read with ``ast`` and checked against the layer map: a module may
import only from its own layer and the layers listed for it, and there is no import circle,
inside a layer or across. Function-local imports count like any other (they are dependencies
too). Notebooks import the reports and ``keyfigures`` only, and ``analysis`` never loads data.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = "gba_report"

#: Imported by every layer above them: where files are, and how they are written atomically.
FOUNDATION = {"paths", "fileio", "timing"}
#: The shared contracts at the bottom, importing nothing from the package.
BASE = {"paths", "fileio", "timing", "keyfigures"}
#: layer -> the other layers it may import from (besides FOUNDATION and itself).
LAYERS: dict[str, set[str]] = {
    "paths": set(),
    "fileio": set(),
    "timing": set(),
    "keyfigures": set(),
    "lockfile": set(),
    "data": set(),
    "analysis": {"data"},
    "present": {"data"},
    "reports": {"keyfigures", "data", "analysis", "present"},
    "engine": {"keyfigures", "lockfile", "data", "present"},
    "commands": {"keyfigures", "lockfile", "data", "present", "engine"},
    "cli": {"keyfigures", "lockfile", "data", "present", "engine", "commands"},
}
#: What ``analysis`` may take from ``data``: constants and types, never a loader.
ANALYSIS_DATA_MODULES = {f"{PACKAGE}.data.schemas", f"{PACKAGE}.data.errors"}

#: Upward imports that other branches of issue 9 remove (REPORTS: ``present`` no longer
#: imports ``analysis``). Listed ones must still exist: delete an entry once it is gone.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()

#: Optional extras: module -> the third-party packages only it may import. Every other module
#: imports such a module only inside a function (the one that needs the extra), so the
#: package imports and runs without the extra installed.
OPTIONAL_EXTRAS: dict[str, set[str]] = {
    f"{PACKAGE}.engine.dask_executor": {"dask", "distributed"},
}

#: "No module over ~600 lines, no class over ~200".
MAX_MODULE_LINES = 620
MAX_CLASS_LINES = 220
#: Modules the REPORTS branch of issue 9 splits (the report classes, the chart modules).
#: Listed ones must still be too big: delete an entry once it is split.
PENDING_SPLIT: set[str] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _imports(name: str) -> Iterator[tuple[str, int]]:
    """Yield ``(imported gba_report module, line)`` for every import in a module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in MODULES else base), node.lineno


def _layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def _edges() -> dict[str, set[str]]:
    return {name: {target for target, _ in _imports(name)} for name in MODULES}


def test_every_module_is_in_a_layer():
    unknown = sorted({_layer(n) for n in MODULES if n != PACKAGE} - set(LAYERS))
    assert not unknown, f"add these to the layer map (and the README's What is where): {unknown}"


def test_no_module_imports_from_a_layer_it_may_not_use():
    found = set()
    problems = []
    for name in MODULES:
        layer = _layer(name)
        allowed = LAYERS.get(layer, set()) | {layer, ""}
        if layer not in BASE:
            allowed |= FOUNDATION
        for target, line in _imports(name):
            if _layer(target) in allowed:
                continue
            if (name, target) in KNOWN_VIOLATIONS:
                found.add((name, target))
                continue
            problems.append(f"{MODULES[name].relative_to(ROOT)}:{line}: {layer} -> {target}")
    assert not problems, "imports against the layer map:\n" + "\n".join(problems)
    gone = KNOWN_VIOLATIONS - found
    assert not gone, f"no longer imported; remove from KNOWN_VIOLATIONS: {sorted(gone)}"


def test_analysis_takes_only_constants_and_types_from_data():
    problems = []
    for name in (n for n in MODULES if _layer(n) == "analysis"):
        for target, line in _imports(name):
            if _layer(target) == "data" and target not in ANALYSIS_DATA_MODULES:
                problems.append(f"{MODULES[name].relative_to(ROOT)}:{line}: imports {target}")
    assert not problems, "analysis loads no files; pass frames in instead:\n" + "\n".join(problems)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_no_import_circles():
    assert _cycles(_edges()) == []


def test_the_cycle_finder_finds_a_circle():
    # The check above could pass by finding nothing at all: show that it does find circles.
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert _cycles(edges) == [["a", "b", "c"], ["e"]]


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=str)
def test_notebooks_import_reports_and_keyfigures_only(notebook):
    nb = nbformat.read(notebook, as_version=4)
    imported = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
    allowed = (f"{PACKAGE}.reports.", f"{PACKAGE}.keyfigures")
    assert imported and all(name.startswith(allowed) for name in imported), sorted(imported)


def _too_big(name: str) -> list[str]:
    text = MODULES[name].read_text(encoding="utf-8")
    lines = len(text.splitlines())
    found = [f"{lines} lines"] if lines > MAX_MODULE_LINES else []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            if size > MAX_CLASS_LINES:
                found.append(f"class {node.name}: {size} lines")
    return found


def test_no_module_or_class_is_too_big():
    problems = {name: found for name in MODULES if (found := _too_big(name))}
    unexpected = {name: found for name, found in problems.items() if name not in PENDING_SPLIT}
    assert not unexpected, f"split these (max {MAX_MODULE_LINES}/{MAX_CLASS_LINES}): {unexpected}"
    done = sorted(PENDING_SPLIT - set(problems))
    assert not done, f"small enough now; remove from PENDING_SPLIT: {done}"


def _function_local_imports(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)}
    return found


def test_optional_extras_are_imported_only_behind_their_module():
    problems = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = _function_local_imports(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            for module, extras in OPTIONAL_EXTRAS.items():
                if roots & extras and name != module:
                    problems.append(f"{name}:{node.lineno} imports {roots & extras}: use {module}")
            targets = {t for t, line in _imports(name) if line == node.lineno}
            for module in OPTIONAL_EXTRAS.keys() & targets:
                if id(node) not in local:
                    problems.append(f"{name}:{node.lineno} imports {module} at module level")
    assert not problems, "optional extras must stay optional:\n" + "\n".join(problems)
    # The rule has something to check: the one import of the executor is function-local.
    users = [n for n in MODULES if any(t in OPTIONAL_EXTRAS for t, _ in _imports(n))]
    assert users == [f"{PACKAGE}.engine.execute"]
