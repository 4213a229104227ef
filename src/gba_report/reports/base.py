"""Base class of every report: language, strings, number formats, sections, the sources section.

A report subclass sets ``name`` (report name = its locale section), ``notebook`` (its notebook
in ``notebooks/``, whose ``parameters`` cell declares its parameters and their defaults) and
``datasets`` (the datasets it reads, for the closing section); its section methods each return
a :class:`~gba_report.present.sections.Section`. In a notebook::

    report = RDIntensityReport(lang=lang, focus_region=focus_region, ...)
    report.intro()                       # a cell's last value: Jupyter shows the section
    report.intensity_over_time()
    ...
    report.sources()
    keyfigures.record("rd_intensity", lang, report.key_figures())

and in a scratch cell ``report.intensity_over_time().data`` is the frame behind the chart.
Outside a notebook, :meth:`BaseReport.from_notebook` builds a report with the notebook's
defaults (the one place they are declared).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple, Self

import pandas as pd

from gba_report import paths
from gba_report.present import i18n, narrative
from gba_report.present.charts import theme
from gba_report.present.sections import Page, Section, SectionBuilder


def notebook_defaults(path: Path) -> dict[str, Any]:
    """The defaults declared in a notebook's ``parameters`` cell (literal values, never run).

    Args:
        path: The ``.ipynb`` file.

    Raises:
        ValueError: The notebook cannot be read, has no ``parameters`` cell, or a default is
            not a literal (the message names the notebook).
    """
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the notebook: {exc}") from exc
    cells = [
        c
        for c in notebook.get("cells", [])
        if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if not cells:
        raise ValueError(f"{path}: no code cell is tagged 'parameters'")
    source = cells[0].get("source", "")
    tree = ast.parse("".join(source) if isinstance(source, list) else source)
    defaults: dict[str, Any] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            try:
                defaults[stmt.target.id] = ast.literal_eval(stmt.value)
            except ValueError as exc:
                raise ValueError(
                    f"{path}: the default of {stmt.target.id!r} is not a literal"
                ) from exc
    return defaults


def insert_after(
    frame: pd.DataFrame, after: str, column: str, values: Iterable[Any]
) -> pd.DataFrame:
    """A copy of ``frame`` with ``column`` inserted right after ``after``.

    Args:
        frame: The frame.
        after: Existing column.
        column: New column name.
        values: Its values, one per row.
    """
    out = frame.copy()
    out.insert(out.columns.get_loc(after) + 1, column, list(values))
    return out


class BriefPoint(NamedTuple):
    """A sentence of the executive brief, with the confidence and sources of its figures."""

    text: str
    confidence: str
    source_id: str


class BaseReport:
    """Common machinery of the report classes.

    Args:
        lang: ``en`` or ``zh-Hant``.
    """

    #: Report name (also its locale section).
    name: str = ""
    #: The report's notebook in the notebooks folder (its parameters cell holds the defaults).
    notebook: str = ""
    #: Datasets the report reads (listed in the closing section).
    datasets: tuple[str, ...] = ()

    def __init__(self, lang: str) -> None:
        if lang not in i18n.LANGS:
            raise ValueError(f"lang must be one of {', '.join(i18n.LANGS)}, got {lang!r}")
        self.lang = lang
        self.cited: list[str] = []
        self.said: set[str] = set()
        self.page = Page()
        theme.setup()

    @classmethod
    def from_notebook(cls, lang: str, **parameters: Any) -> Self:
        """Build the report with its notebook's defaults, overridden by ``parameters``.

        Args:
            lang: ``en`` or ``zh-Hant``.
            **parameters: Parameters that differ from the notebook's defaults.
        """
        defaults = notebook_defaults(paths.notebooks_dir() / cls.notebook)
        defaults.pop("lang", None)
        return cls(lang=lang, **{**defaults, **parameters})

    # ------------------------------------------------------------------ strings and formats
    def text_fields(self) -> dict[str, Any]:
        """Placeholders every string of this report may use (none by default)."""
        return {}

    def t(self, key: str, **fmt: Any) -> Any:
        """Return this report's string ``key`` (section = report name)."""
        return i18n.tr(self.lang, f"{self.name}.{key}", **{**self.text_fields(), **fmt})

    def c(self, key: str, **fmt: Any) -> Any:
        """Return the common string ``key``."""
        return i18n.tr(self.lang, f"common.{key}", **fmt)

    def region(self, code: str) -> str:
        """Return the name of region ``code`` in the report language."""
        return i18n.region_name(code, self.lang)

    def region_in_text(self, code: str) -> str:
        """Return the name of region ``code`` as it reads in a sentence ("the United States")."""
        key = f"common.region_in_text.{code}"
        return i18n.tr(self.lang, key) if i18n.has(self.lang, key) else self.region(code)

    def cluster(self, code: str) -> str:
        """Return the name of cluster ``code`` in the report language."""
        return i18n.cluster_name(code, self.lang)

    def pct(self, x: float, decimals: int | None = None) -> str:
        """Format a percentage (source precision, at least 2 decimals)."""
        return i18n.fmt_pct(x, self.lang, decimals)

    def pp(self, x: float, decimals: int = 2) -> str:
        """Format percentage points."""
        return i18n.fmt_pp(x, self.lang, decimals)

    def rmb(self, x: float) -> str:
        """Format an amount in RMB 100 million (億元)."""
        return i18n.fmt_rmb_100m(x, self.lang)

    def money(self, amount: float, currency: str, unit: str, lower_bound: bool = False) -> str:
        """Format a money amount."""
        return i18n.fmt_money(amount, currency, unit, self.lang, lower_bound)

    def num(self, x: float, decimals: int | None = None) -> str:
        """Format a number with thousands separators."""
        return i18n.fmt_number(x, self.lang, decimals)

    def year(self, y: int | float) -> str:
        """Format a year for running text (``2024`` / ``2024年``)."""
        return i18n.fmt_year(y, self.lang)

    def names(self, names: Iterable[str]) -> str:
        """Join names for running text."""
        return i18n.join_names(names, self.lang)

    def with_region_names(self, frame: pd.DataFrame, code: str = "region_code") -> pd.DataFrame:
        """``frame`` with ``region_name`` (in the report language) after its ``code`` column."""
        return insert_after(frame, code, "region_name", (self.region(c) for c in frame[code]))

    def with_cluster_names(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with ``cluster_name`` (in the report language) after ``cluster_code``."""
        names = (self.cluster(c) for c in frame["cluster_code"])
        return insert_after(frame, "cluster_code", "cluster_name", names)

    # ------------------------------------------------------------------ sections
    def cite(self, sources: str | Iterable[str]) -> None:
        """Remember sources cited (the closing section lists only those)."""
        for item in [sources] if isinstance(sources, str) else sources:
            for sid in str(item).split(";"):
                if sid.strip() and sid.strip() not in self.cited:
                    self.cited.append(sid.strip())

    def first_time(self, key: str) -> bool:
        """True the first time it is asked about ``key`` (a note the report says only once)."""
        if key in self.said:
            return False
        self.said.add(key)
        return True

    def source_text(self, sources: str | Iterable[str]) -> str:
        """The source line's text for dataset names or source ids."""
        return narrative.source_text(sources, self.lang)

    def section(self, name: str) -> SectionBuilder:
        """Start building the section ``name`` of this report."""
        return SectionBuilder(name, self.lang, self.page, self.cite)

    def title(self) -> str:
        """Return the report title in the report language."""
        return self.t("title")

    def sources(self, today: dt.date | None = None) -> Section:
        """The closing "Caveats and sources" section for ``self.datasets``.

        Its data lists the sources it names (see :func:`gba_report.present.narrative.source_list`).

        Args:
            today: Date the publishers' release calendars are judged by (default: today).
        """
        used = self.cited or None
        block = narrative.sources_section(list(self.datasets), self.lang, today, used_sources=used)
        listed = narrative.listed_sources(list(self.datasets), narrative.cited_sources(used))
        return self.section("sources").add(block).done(narrative.source_list(listed, self.lang))

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Return ``{key: {"value", "unit", "label"}}`` for ``keyfigures.record``."""
        raise NotImplementedError

    def summary_points(self) -> list[BriefPoint]:
        """Two or three sentences with the key numbers, for the executive brief."""
        raise NotImplementedError

    def summary_chart(self, compact: bool = False) -> Section | None:
        """The report's headline chart for the executive brief (None when it has no data).

        Args:
            compact: The brief's size (half or full width, short).
        """
        raise NotImplementedError
