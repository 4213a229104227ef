"""Base class of every report: language, strings, display helpers, sources section.

A report subclass sets ``name`` (report name = its locale section) and ``datasets`` (dataset
names it reads, for the closing section) and implements section methods and
``key_figures()``. Usage in a notebook::

    report = RDIntensityReport(lang=lang, focus_region=focus_region, ...)
    report.intro()
    report.intensity_over_time()
    ...
    report.sources()
    keyfigures.record("rd_intensity", lang, report.key_figures())

Helpers for subclasses:

- ``self.t(key, **fmt)``: string ``<name>.<key>``; ``self.c(key, **fmt)``: ``common.<key>``.
- ``self.region(code)``, ``self.cluster(code)``: names in the report language.
- ``self.pct(x)``, ``self.rmb(x)``, ``self.money(...)``, ``self.num(x)``, ``self.year(y)``.
- ``self.heading(text)``, ``self.para(text)``, ``self.note(text)``, ``self.bullets(items)``,
  ``self.figure(fig, caption, sources, confidences)`` (displays chart + caption + source
  line + † / ‡ legend when needed), ``self.table(df, columns, sources, ...)``.
- ``self.outputs``: every block shown, in order (``narrative.Output`` or Figure), so tests can
  check texts and chart labels without executing a notebook (construct with ``show=False``).
- ``intro()``: the lede (the question and the short answer); ``sources()``: the closing
  "Caveats and sources" section.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from gba_report.present import i18n, narrative, plots


class BaseReport:
    """Common machinery of the report classes.

    Args:
        lang: ``en`` or ``zh-Hant``.
        show: Display outputs (False in tests: blocks are only collected in ``outputs``).
    """

    #: Report name (also its locale section).
    name: str = ""
    #: Datasets the report reads (listed in the closing section).
    datasets: tuple[str, ...] = ()

    def __init__(self, lang: str = "en", show: bool = True) -> None:
        if lang not in i18n.LANGS:
            raise ValueError(f"lang must be one of {', '.join(i18n.LANGS)}, got {lang!r}")
        self.lang = lang
        self.show = show
        self.outputs: list[Any] = []
        self.cited: list[str] = []
        plots.setup(lang)
        narrative.styles(show=show)

    # ------------------------------------------------------------------ strings and formats
    def t(self, key: str, **fmt: Any) -> Any:
        """Return this report's string ``key`` (section = report name)."""
        return i18n.tr(self.lang, f"{self.name}.{key}", **fmt)

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

    # ------------------------------------------------------------------ display helpers
    def _keep(self, out: Any) -> Any:
        self.outputs.append(out)
        return out

    def heading(self, text: str, level: int = 2) -> narrative.Output:
        """Display a heading (stating a finding)."""
        return self._keep(narrative.heading(text, level, show=self.show))

    def para(self, text: str) -> narrative.Output:
        """Display a paragraph."""
        return self._keep(narrative.para(text, show=self.show))

    def note(self, text: str) -> narrative.Output:
        """Display a caveat."""
        return self._keep(narrative.note(text, show=self.show))

    def bullets(self, items: Iterable[str]) -> narrative.Output:
        """Display a bulleted list."""
        return self._keep(narrative.bullets(items, show=self.show))

    def source_text(self, sources: str | Iterable[str]) -> str:
        """Return the source line for dataset names or source ids."""
        return narrative.source_text(sources, self.lang)

    def cite(self, sources: str | Iterable[str]) -> None:
        """Remember sources cited (the closing section lists only those)."""
        for item in [sources] if isinstance(sources, str) else sources:
            for sid in str(item).split(";"):
                if sid.strip() and sid.strip() not in self.cited:
                    self.cited.append(sid.strip())

    def figure(
        self,
        fig: Figure,
        caption: str,
        sources: str | Iterable[str],
        confidences: Iterable[str] = (),
    ) -> Figure:
        """Display a chart once, then its caption, source line and † / ‡ legend if needed.

        Args:
            fig: The chart.
            caption: Caption text.
            sources: Dataset names or source ids for the source line.
            confidences: Confidence values of the figures shown (for the legend).

        Returns:
            The figure.
        """
        self._keep(fig)
        self.cite(sources)
        narrative.figure(fig, show=self.show, alt=caption)
        self._keep(narrative.caption(caption, show=self.show))
        self._keep(narrative.source_line(sources, self.lang, show=self.show))
        legend = narrative.confidence_note(list(confidences), self.lang, show=self.show)
        if legend is not None:
            self._keep(legend)
        return fig

    def table(
        self,
        df: pd.DataFrame,
        columns: Mapping[str, str],
        sources: str | Iterable[str] | None = None,
        caption: str = "",
        confidence_col: str | None = "confidence",
        align: Mapping[str, str] | None = None,
        css_class: str = "",
        html_cols: Iterable[str] = (),
    ) -> narrative.Output:
        """Display a table with caption and source line.

        Args:
            df: Rows (values formatted as text).
            columns: ``{column: translated header}`` in display order.
            sources: Dataset names or source ids for the source line.
            caption: Caption shown under the table.
            confidence_col: Column with confidence values (marks † / ‡).
            align: Column alignments.
            css_class: Extra CSS class.
            html_cols: Columns whose values are already HTML.
        """
        out = self._keep(
            narrative.table(
                df,
                self.lang,
                columns=columns,
                confidence_col=confidence_col,
                align=align,
                css_class=css_class,
                show=self.show,
                html_cols=html_cols,
            )
        )
        if caption:
            self._keep(narrative.caption(caption, show=self.show))
        if sources:
            self.cite(sources)
            self._keep(narrative.source_line(sources, self.lang, show=self.show))
        return out

    # ------------------------------------------------------------------ common sections
    def title(self) -> str:
        """Return the report title in the report language."""
        return self.t("title")

    def sources(self, today: dt.date | None = None) -> None:
        """Display the closing "Caveats and sources" section for ``self.datasets``."""
        self._keep(
            narrative.sources_section(
                list(self.datasets),
                self.lang,
                today,
                show=self.show,
                used_sources=self.cited or None,
            )
        )

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Return ``{key: {"value", "unit", "label"}}`` for ``keyfigures.record``."""
        raise NotImplementedError

    # ------------------------------------------------------------------ for tests
    def texts(self) -> list[str]:
        """Return the plain text of every block shown so far (charts excluded)."""
        return [o.markdown for o in self.outputs if isinstance(o, narrative.Output)]

    def headings(self) -> list[str]:
        """Return the text of every heading shown so far."""
        found: list[str] = []
        for o in self.outputs:
            if isinstance(o, narrative.Output):
                for inner in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", o.html, flags=re.S):
                    found.append(html.unescape(re.sub(r"<[^>]+>", "", inner)))
        return found

    def figures(self) -> list[Figure]:
        """Return every chart shown so far."""
        return [o for o in self.outputs if isinstance(o, Figure)]


def figure_label_texts(figs: Sequence[Figure]) -> list[str]:
    """Return every visible text of the given charts (see :func:`plots.figure_texts`).

    Args:
        figs: Figures.
    """
    out: list[str] = []
    for fig in figs:
        out += plots.figure_texts(fig)
    return out
