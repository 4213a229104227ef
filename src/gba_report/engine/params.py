"""Report parameters: read the notebook's ``parameters`` cell, coerce and validate values.

The ``parameters`` cell holds one annotated assignment per line::

    focus_region: str = "GD"  # Region to focus on [choices: @regions]
    start_year: int = 2010  # First year shown [range: 2010..2024]
    as_of: str = "2024-12-31"  # Show milestones up to this date [date]

The cell is parsed with :mod:`ast` (never executed). Values given on the command line
(``-p NAME=VALUE``) or in a YAML file (``--params FILE.yml``) are coerced to the declared
type and validated before any kernel starts; they reach the notebook only as data
(papermill injects Python literals), so a string such as ``x"); import os #`` arrives as
that literal string.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import io
import json
import math
import re
import tokenize
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gba_report.data import load_clusters, load_regions
from gba_report.data.errors import DataError

#: Types a parameter may declare.
TYPES = ("str", "int", "float", "bool", "list")

#: Parameters the build sets itself (``--lang``); users may not override them with ``-p``.
RESERVED = ("lang",)

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}
_CONSTRAINT_RE = re.compile(r"\[\s*(choices|range)\s*:\s*([^\]]*)\]|\[\s*(date)\s*\]", re.I)
_PAIRS = (("start_", "end_"), ("first_", "last_"))


class ParameterError(ValueError):
    """One or more parameter values are unknown, of the wrong type or not allowed."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Param:
    """One declared parameter of a report notebook."""

    name: str
    type: str
    default: Any
    help: str = ""
    choices: list[str] | None = None
    provider: str | None = None
    range: tuple[float, float] | None = None
    is_date: bool = False

    def constraint(self) -> str:
        """Describe the allowed values in words (``""`` when anything of the type goes)."""
        parts = []
        if self.provider:
            kind = self.provider[:-1] if self.provider.endswith("s") else self.provider
            parts.append(f"a known {kind} code (@{self.provider})")
        elif self.choices is not None:
            parts.append("one of: " + ", ".join(self.choices))
        if self.range is not None:
            lo, hi = (_fmt_number(v) for v in self.range)
            parts.append(f"{lo}..{hi}")
        if self.is_date:
            parts.append("ISO date YYYY-MM-DD")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly description (for ``gba-report list --json``)."""
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "help": self.help,
            "constraint": self.constraint(),
        }


def _fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --------------------------------------------------------------------------- parsing


def _comments_by_line(source: str) -> dict[int, str]:
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return comments


def _annotation_type(node: ast.expr | None, default: Any) -> str:
    if node is None:  # plain assignment: infer from the literal
        for name, typ in (("bool", bool), ("int", int), ("float", float), ("list", list)):
            if isinstance(default, typ):
                return name
        return "str"
    if isinstance(node, ast.Subscript):  # list[str]
        node = node.value
    if isinstance(node, ast.Name) and node.id in TYPES:
        return node.id
    if isinstance(node, ast.Constant) and node.value in TYPES:
        return node.value
    raise ValueError(f"unsupported type hint {ast.unparse(node)!r} (use one of {', '.join(TYPES)})")


def _parse_constraints(comment: str, param: Param) -> None:
    for match in _CONSTRAINT_RE.finditer(comment):
        kind = (match.group(1) or match.group(3)).lower()
        body = (match.group(2) or "").strip()
        if kind == "date":
            param.is_date = True
        elif kind == "choices":
            if body.startswith("@"):
                param.provider = body[1:].strip()
            else:
                param.choices = [c.strip() for c in body.split(",") if c.strip()]
        elif kind == "range":
            lo, _, hi = body.partition("..")
            param.range = (float(lo), float(hi))
    param.help = _CONSTRAINT_RE.sub("", comment).strip()


def parse_parameters_source(source: str) -> dict[str, Param]:
    """Parse the source of a ``parameters`` cell into declared parameters.

    Args:
        source: The cell's Python source.

    Returns:
        ``{name: Param}`` in declaration order.

    Raises:
        ValueError: The cell is not valid Python, a default is not a literal or a type hint is
            not one of ``str``, ``int``, ``float``, ``bool``, ``list``.
    """
    tree = ast.parse(source)
    comments = _comments_by_line(source)
    declared: dict[str, Param] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, annotation, value = stmt.target.id, stmt.annotation, stmt.value
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            name, annotation, value = stmt.targets[0].id, None, stmt.value
        else:
            continue
        if value is None:
            raise ValueError(f"line {stmt.lineno}: parameter {name!r} has no default")
        try:
            default = ast.literal_eval(value)
        except ValueError as exc:
            raise ValueError(
                f"line {stmt.lineno}: the default of {name!r} must be a literal, "
                f"not {ast.unparse(value)!r}"
            ) from exc
        try:
            typ = _annotation_type(annotation, default)
        except ValueError as exc:
            raise ValueError(f"line {stmt.lineno}: parameter {name!r}: {exc}") from exc
        param = Param(name=name, type=typ, default=default)
        _parse_constraints(comments.get(stmt.lineno, ""), param)
        declared[name] = param
    return declared


def parameters_cell_source(notebook: Mapping[str, Any]) -> str | None:
    """Return the source of the cell tagged ``parameters`` (None when there is none)."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    return None


def notebook_parameters(path: Path) -> dict[str, Param]:
    """Read the declared parameters of a notebook file.

    Args:
        path: The ``.ipynb`` file.

    Raises:
        ValueError: The notebook cannot be read, has no ``parameters`` cell or the cell does
            not follow the format (the message names the notebook and line).
    """
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read notebook: {exc}") from exc
    source = parameters_cell_source(notebook)
    if source is None:
        raise ValueError(f"{path}: no code cell is tagged 'parameters'")
    try:
        return parse_parameters_source(source)
    except (SyntaxError, ValueError) as exc:
        raise ValueError(f"{path}: parameters cell: {exc}") from exc


# --------------------------------------------------------------------------- providers


def region_codes() -> list[str]:
    """Valid region codes (``data/regions.csv`` column ``region_code``)."""
    return sorted(str(code) for code in load_regions()["region_code"].dropna().unique())


def cluster_codes() -> list[str]:
    """Valid cluster codes (``data/clusters.csv`` column ``cluster_code``)."""
    return sorted(str(code) for code in load_clusters()["cluster_code"].dropna().unique())


def currency_codes() -> list[str]:
    """Currencies used by the cross-border funding table."""
    return ["HKD", "MOP", "RMB"]


#: ``[choices: @name]`` providers.
PROVIDERS: dict[str, Callable[[], list[str]]] = {
    "regions": region_codes,
    "clusters": cluster_codes,
    "currencies": currency_codes,
}


# --------------------------------------------------------------------------- coercion


def coerce(param: Param, value: Any) -> Any:
    """Convert a command-line string or YAML value to the parameter's declared type.

    Args:
        param: The declared parameter.
        value: A string from ``-p NAME=VALUE`` or a value read from a YAML file.

    Returns:
        The value as ``str``, ``int``, ``float``, ``bool`` or ``list`` of ``str``.

    Raises:
        ValueError: The value cannot be read as the declared type (message says why).
    """
    typ = param.type
    if typ == "str":
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"expected text, got {value!r}")
        return str(value)
    if typ == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"expected true/false (or yes/no, 1/0), got {value!r}")
    if typ == "int":
        if isinstance(value, bool):
            raise ValueError(f"expected a whole number, got {value!r}")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise ValueError(f"expected a whole number, got {value!r}") from None
    if typ == "float":
        if isinstance(value, bool):
            raise ValueError(f"expected a number, got {value!r}")
        try:
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected a number, got {value!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"expected a finite number, got {value!r}")
        return number
    if typ == "list":
        if isinstance(value, list | tuple):
            items = list(value)
        elif isinstance(value, str):
            text = value.strip()
            if text.startswith("["):  # a YAML/JSON flow list on the command line
                try:
                    parsed = yaml.safe_load(text)
                except yaml.YAMLError:
                    raise ValueError(f"expected a list, got {value!r}") from None
                if not isinstance(parsed, list):
                    raise ValueError(f"expected a list, got {value!r}")
                items = parsed
            else:
                items = [item for item in text.split(",")] if text else []
        else:
            raise ValueError(f"expected a comma-separated list, got {value!r}")
        out = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int | float | dt.date):
                raise ValueError(f"list items must be text, got {item!r}")
            text = item.isoformat() if isinstance(item, dt.date) else str(item).strip()
            if not text:
                raise ValueError(f"empty item in list {value!r}")
            out.append(text)
        return out
    raise ValueError(f"unsupported type {typ!r}")  # pragma: no cover - parse rejects it


# --------------------------------------------------------------------------- validation


def _check_value(param: Param, value: Any, providers: dict[str, list[str]]) -> list[str]:
    problems = []
    items = value if param.type == "list" else [value]
    allowed: list[str] | None = param.choices
    if param.provider:
        if param.provider not in providers:
            if param.provider not in PROVIDERS:
                return [f"unknown choices provider @{param.provider}"]
            try:
                providers[param.provider] = PROVIDERS[param.provider]()
            except DataError as exc:
                return [f"cannot read the {param.provider} codes to check {value!r}: {exc}"]
        allowed = providers[param.provider]
    if allowed is not None:
        bad = [str(item) for item in items if str(item) not in allowed]
        if bad:
            listed = ", ".join(repr(b) for b in bad)
            if param.provider:
                kind = param.provider[:-1] if param.provider.endswith("s") else param.provider
                plural = "" if len(bad) == 1 else "s"
                problems.append(
                    f"unknown {kind} code{plural} {listed}; valid: {', '.join(allowed)}"
                )
            else:
                verb = "is not an allowed value" if len(bad) == 1 else "are not allowed values"
                problems.append(f"{listed} {verb}; valid: {', '.join(allowed)}")
    if param.range is not None and param.type in ("int", "float"):
        lo, hi = param.range
        if not lo <= value <= hi:
            problems.append(f"{value!r} is outside the range {_fmt_number(lo)}..{_fmt_number(hi)}")
    if param.is_date:
        for item in items:
            try:
                dt.date.fromisoformat(str(item))
            except ValueError:
                problems.append(f"{item!r} is not an ISO date (YYYY-MM-DD)")
    return problems


def _pair_problems(values: Mapping[str, Any]) -> list[str]:
    problems = []
    for start_prefix, end_prefix in _PAIRS:
        for name, start in values.items():
            if not name.startswith(start_prefix):
                continue
            end_name = end_prefix + name[len(start_prefix) :]
            if end_name not in values:
                continue
            end = values[end_name]
            try:
                if start > end:
                    problems.append(
                        f"{name}={start!r} is after {end_name}={end!r}; "
                        f"{name} must be <= {end_name}"
                    )
            except TypeError:
                continue
    return problems


def validate(
    report: str,
    declared: Mapping[str, Param],
    values: Mapping[str, Any],
    providers: dict[str, list[str]] | None = None,
) -> list[str]:
    """Return the problems with a report's final parameter values (empty list when valid).

    Args:
        report: Report name (used in messages).
        declared: The notebook's declared parameters.
        values: Final values, already coerced.
        providers: Cache of provider codes shared between calls.
    """
    providers = {} if providers is None else providers
    problems = []
    for name, value in values.items():
        param = declared.get(name)
        if param is None:
            problems.append(f"{report}: unknown parameter {name!r}{_suggest(name, declared)}")
            continue
        for problem in _check_value(param, value, providers):
            problems.append(f"{report}: parameter {name}: {problem}")
    problems += [f"{report}: {p}" for p in _pair_problems(values)]
    return problems


def _suggest(name: str, known: Iterable[str]) -> str:
    known = sorted(set(known))
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} (known: {', '.join(known) or 'none'})"


# --------------------------------------------------------------------------- resolution


def parse_assignments(pairs: Iterable[str]) -> list[tuple[str | None, str, str]]:
    """Split ``-p NAME=VALUE`` arguments into ``(report or None, name, raw value)``.

    ``NAME`` may be scoped to one report as ``REPORT.NAME``.

    Raises:
        ParameterError: An argument has no ``=`` or an empty name.
    """
    out, problems = [], []
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(f"-p {pair!r}: expected NAME=VALUE (e.g. -p start_year=2015)")
            continue
        scope, dot, bare = name.rpartition(".")
        out.append((scope if dot else None, bare if dot else name, raw))
    if problems:
        raise ParameterError(problems)
    return out


def load_params_file(path: Path) -> list[tuple[str | None, str, Any]]:
    """Read ``--params FILE.yml``: a mapping of names to values, or of report names to such.

    Example::

        start_year: 2015              # every selected report that declares it
        rd_intensity:
          comparators: [CN, HK, KOR]  # only this report

    Raises:
        ParameterError: The file cannot be read or is not a mapping.
    """
    try:
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError([f"--params {path}: cannot read: {exc}"]) from exc
    if not isinstance(loaded, dict):
        raise ParameterError([f"--params {path}: expected a mapping of NAME: VALUE"])
    return [(None, str(k), v) for k, v in loaded.items()]


def resolve(
    declared: Mapping[str, Mapping[str, Param]],
    defaults: Mapping[str, Mapping[str, Any]] | None = None,
    overrides: Iterable[tuple[str | None, str, Any]] = (),
) -> dict[str, dict[str, Any]]:
    """Combine notebook defaults, manifest defaults and user values; coerce and validate.

    Precedence (last wins): notebook default, ``reports.yml`` defaults, user values in order
    (``--params`` file then ``-p``). An unscoped value applies to every selected report that
    declares the name; a value scoped as ``REPORT.NAME`` (or given under a report's key in the
    YAML file) to that report only.

    Args:
        declared: ``{report: {name: Param}}`` for the selected reports.
        defaults: ``{report: {name: value}}`` from the manifest.
        overrides: ``(report or None, name, value)`` triples.

    Returns:
        ``{report: {name: value}}`` with every declared parameter (``lang`` excluded).

    Raises:
        ParameterError: Listing every problem found (nothing is executed).
    """
    defaults = defaults or {}
    problems: list[str] = []
    user: dict[str, dict[str, Any]] = {report: {} for report in declared}

    expanded: list[tuple[str | None, str, Any]] = []
    for scope, name, value in overrides:
        if scope is None and name in declared and isinstance(value, dict):
            expanded += [(name, str(k), v) for k, v in value.items()]  # per-report YAML block
        else:
            expanded.append((scope, name, value))

    all_names = {n for params in declared.values() for n in params}
    for scope, name, value in expanded:
        if name in RESERVED:
            problems.append(f"parameter {name!r} is set by the build; use --lang instead")
            continue
        if scope is not None:
            if scope not in declared:
                problems.append(
                    f"{scope}.{name}: {scope!r} is not a selected report{_suggest(scope, declared)}"
                )
                continue
            targets = [scope] if name in declared[scope] else []
            if not targets:
                problems.append(
                    f"{scope}: unknown parameter {name!r}{_suggest(name, declared[scope])}"
                )
                continue
        else:
            targets = [r for r, params in declared.items() if name in params]
            if not targets:
                problems.append(f"unknown parameter {name!r}{_suggest(name, all_names)}")
                continue
        for report in targets:
            try:
                user[report][name] = coerce(declared[report][name], value)
            except ValueError as exc:
                problems.append(
                    f"{report}: parameter {name} ({declared[report][name].type}): {exc}"
                )

    providers: dict[str, list[str]] = {}
    final: dict[str, dict[str, Any]] = {}
    for report, params in declared.items():
        values = {n: p.default for n, p in params.items() if n not in RESERVED}
        for name, value in (defaults.get(report) or {}).items():
            if name not in params:
                problems.append(
                    f"reports.yml: {report}: unknown default {name!r}{_suggest(name, params)}"
                )
                continue
            try:
                values[name] = coerce(params[name], value)
            except ValueError as exc:
                problems.append(f"reports.yml: {report}: default {name}: {exc}")
        values.update(user[report])
        problems += validate(report, params, values, providers)
        final[report] = values
    if problems:
        raise ParameterError(problems)
    return final
