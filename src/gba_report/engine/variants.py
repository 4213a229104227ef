"""Parameter variants: one report built once per parameter set (``--matrix``, ``--variants``).

A *matrix* is a list of axes, each a parameter and the values it takes::

    --matrix focus_region=GD,SH,BJ            # three variants
    --matrix focus_region=@gba_cities         # a code list from data/regions.csv
    --matrix focus_region=GD,SH --matrix end_year=2022,2024   # a product: four variants
    --matrix rd_intensity.focus_region=SH,BJ  # only that report

Values are comma-separated; for a list-typed parameter separate the variants with ``;``
(``--matrix comparators=HK,MO;KOR,JPN``: two variants). ``@name`` expands to a code list
(:data:`CODE_LISTS`). Named sets live in ``report/reports.yml`` (``variants:``, see there) and
are built with ``--variants NAME``.

Every variant is a :class:`Variant`: its assignments in axis order, and the suffix its files
carry: ``rd_intensity--SH.en.pdf`` for one axis, ``rd_intensity--focus_region=SH--end_year=2022``
for several. The default build (no matrix) has no variant, and its names are unchanged.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gba_report.data import load_clusters, load_regions

#: Separator between the report name and a variant's suffix in file names.
SEPARATOR = "--"
#: Characters kept as they are in a file name; anything else becomes ``_``.
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+-]")


class VariantError(ValueError):
    """A matrix axis or a named variant set that cannot be read."""


def _regions(predicate: Callable[[pd.DataFrame], pd.Series]) -> Callable[[], list[str]]:
    def codes() -> list[str]:
        frame = load_regions()
        return [str(code) for code in frame.loc[predicate(frame), "region_code"]]

    return codes


def _gba_clusters() -> list[str]:
    frame = load_clusters()
    return [str(code) for code in frame.loc[frame["is_gba"].astype(bool), "cluster_code"]]


#: ``@name`` expansions, read from ``data/regions.csv`` (``region_type``, ``is_gba``) and
#: ``data/clusters.csv``, in the file's order.
CODE_LISTS: dict[str, Callable[[], list[str]]] = {
    "provinces": _regions(lambda f: f["region_type"] == "province"),
    # The GBA's eleven cities: the nine mainland cities and the two SARs ("9 + 2").
    "gba_cities": _regions(
        lambda f: f["is_gba"].astype(bool) & f["region_type"].isin(["city", "sar"])
    ),
    "cities": _regions(lambda f: f["region_type"] == "city"),
    "sars": _regions(lambda f: f["region_type"] == "sar"),
    "economies": _regions(lambda f: f["region_type"] == "economy"),
    "gba_clusters": _gba_clusters,
}


@dataclass(frozen=True)
class Axis:
    """One ``--matrix`` axis.

    Attributes:
        report: The report it applies to (None: every selected report declaring ``name``).
        name: The parameter.
        values: Its values, raw (coerced and validated with the report's other parameters).
    """

    report: str | None
    name: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Variant:
    """One parameter set of a report beyond its defaults.

    Attributes:
        values: ``(name, value)`` in axis order (values as coerced for the report).
        named: Whether the suffix names the parameters (several axes).
    """

    values: tuple[tuple[str, Any], ...]
    named: bool = False

    @property
    def assignments(self) -> dict[str, Any]:
        """The parameters this variant sets."""
        return dict(self.values)

    @property
    def suffix(self) -> str:
        """``--SH`` (one axis) or ``--focus_region=SH--end_year=2022`` (several)."""
        parts = []
        for name, value in self.values:
            text = safe_text(value)
            parts.append(f"{name}={text}" if self.named else text)
        return "".join(SEPARATOR + part for part in parts)

    @property
    def label(self) -> str:
        """The variant as the index shows it: ``focus_region=SH, end_year=2022``."""
        return ", ".join(f"{n}={display_value(v)}" for n, v in self.values)


def display_value(value: Any) -> str:
    """A parameter value as text (lists comma-joined)."""
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def safe_text(value: Any) -> str:
    """A value as a file-name part: lists joined with ``+``, unsafe characters as ``_``."""
    if isinstance(value, list | tuple):
        text = "+".join(str(v) for v in value)
    else:
        text = str(value)
    return _UNSAFE.sub("_", text) or "_"


def expand_values(raw: str) -> list[str]:
    """Split one axis' values and expand ``@code_list`` items.

    Args:
        raw: ``GD,SH``, ``@provinces``, ``HK,MO;KOR`` (``;`` separates list values).

    Raises:
        VariantError: An unknown code list, or no value at all.
    """
    items = [i.strip() for i in raw.split(";" if ";" in raw else ",")]
    out: list[str] = []
    for item in items:
        if not item:
            continue
        if item.startswith("@"):
            name = item[1:]
            if name not in CODE_LISTS:
                known = ", ".join("@" + k for k in CODE_LISTS)
                raise VariantError(f"unknown code list {item!r}; known: {known}")
            out += [c for c in CODE_LISTS[name]() if c not in out]
        elif item not in out:
            out.append(item)
    if not out:
        raise VariantError(f"no values in {raw!r}")
    return out


def parse_axis(text: str) -> Axis:
    """Read one ``--matrix [REPORT.]NAME=V1,V2`` argument.

    Raises:
        VariantError: No ``=``, an empty name, no values or an unknown code list.
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise VariantError(f"--matrix {text!r}: expected NAME=V1,V2,... (e.g. focus_region=GD,SH)")
    scope, dot, bare = name.rpartition(".")
    try:
        values = expand_values(raw)
    except VariantError as exc:
        raise VariantError(f"--matrix {text!r}: {exc}") from None
    return Axis(scope if dot else None, bare if dot else name, tuple(values))


def axes_from_mapping(where: str, mapping: Any) -> list[Axis]:
    """Read a named variant set of ``reports.yml``: ``{NAME: [values] | "V1,V2" | "@list"}``.

    Raises:
        VariantError: Not a mapping, or an axis without values (the message names ``where``).
    """
    if not isinstance(mapping, dict) or not mapping:
        raise VariantError(f"{where}: expected a mapping of parameter: values")
    axes = []
    for name, values in mapping.items():
        try:
            if isinstance(values, list):
                expanded: list[Any] = []
                for value in values:
                    is_list = isinstance(value, str) and value.startswith("@")
                    expanded += expand_values(value) if is_list else [value]
            else:
                expanded = expand_values(str(values))
        except VariantError as exc:
            raise VariantError(f"{where}: {name}: {exc}") from None
        if not expanded:
            raise VariantError(f"{where}: {name}: no values")
        scope, dot, bare = str(name).rpartition(".")
        axes.append(Axis(scope if dot else None, bare if dot else str(name), tuple(expanded)))
    return axes


def axes_for(report: str, declared: Iterable[str], axes: Sequence[Axis]) -> list[Axis]:
    """The axes that apply to one report (scoped to it, or unscoped and declared by it)."""
    names = set(declared)
    return [a for a in axes if a.report == report or (a.report is None and a.name in names)]


def combinations(axes: Sequence[Axis]) -> list[tuple[tuple[str, Any], ...]]:
    """Every combination of the axes' values (the product, first axis slowest)."""
    if not axes:
        return []
    return [
        tuple(zip([a.name for a in axes], combo, strict=True))
        for combo in itertools.product(*(a.values for a in axes))
    ]


def unmatched_axes(axes: Sequence[Axis], declared: Mapping[str, Iterable[str]]) -> list[str]:
    """Problems with axes no selected report can take (unknown report or parameter)."""
    problems = []
    for axis in axes:
        if axis.report is not None:
            if axis.report not in declared:
                problems.append(
                    f"--matrix {axis.report}.{axis.name}: {axis.report!r} is not a selected report"
                )
            elif axis.name not in set(declared[axis.report]):
                problems.append(f"--matrix {axis.report}.{axis.name}: no such parameter")
        elif not any(axis.name in set(names) for names in declared.values()):
            problems.append(f"--matrix {axis.name}: no selected report declares {axis.name!r}")
        if axis.name == "lang":
            problems.append("--matrix lang: use --lang for languages")
    return problems
