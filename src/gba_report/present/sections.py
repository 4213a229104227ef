"""A report section as an object: the tidy data behind it, its chart, caption, sources and blocks.

A report's section method computes its data through :mod:`gba_report.analysis`, builds its
blocks with a :class:`SectionBuilder` and returns a :class:`Section`. Nothing is displayed
while it is built: Jupyter displays a section returned by a cell (``_ipython_display_``) exactly
as the report shows it, and an analyst can use it as an object instead::

    section = report.intensity_over_time()
    section.data        # the tidy frame behind the chart (units in column names)
    section.figure      # the matplotlib Figure (None for a text or table section)
    section.caption, section.sources

``data`` is what a download of the chart or table holds: one row per figure drawn or listed,
codes and names in the report's language, ``source_id`` and ``confidence`` per row, flags as
``is_*`` columns. Under the caption of each chart and table a :class:`Downloads` block shows
the payload the build turns into files and a link row (:mod:`gba_report.present.downloads`):
the CSV is ``data`` itself, the SVG the chart as shown, the PNG the same chart at 2x.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from gba_report.present import downloads, narrative
from gba_report.present.charts import svg
from gba_report.present.narrative import Output


@dataclass(frozen=True, eq=False)
class Chart:
    """A chart block: the figure and its text alternative (stored in the output's metadata).

    Attributes:
        figure: The chart.
        alt: Its text alternative (also the SVG's ``<title>``).
        download_id: File stem of its SVG and PNG downloads ("" for none).
    """

    figure: Figure
    alt: str
    download_id: str = ""


@dataclass(frozen=True, eq=False)
class Downloads:
    """Where the downloads of a chart or table go: under its caption, source line and legend.

    Attributes:
        kind: ``chart`` (CSV, SVG, PNG) or ``table`` (CSV).
        download_id: File stem of the downloads.
        figure: The chart (for its PNG), None for a table.
    """

    kind: str
    download_id: str
    figure: Figure | None = None


Block = Output | Chart | Downloads


def show_block(block: Block) -> None:
    """Display one block in the running notebook (charts as inline-safe SVG with alt text).

    A :class:`Downloads` block is shown by its section (:meth:`Section.show`): it needs the data.
    """
    if isinstance(block, Downloads):
        return
    if isinstance(block, Chart):
        meta: dict[str, str] = {"alt": block.alt} if block.alt else {}
        if block.download_id:
            meta[downloads.SVG_KEY] = block.download_id
        prefix = block.download_id or f"chart{id(block.figure):x}"
        bundle = {
            "image/svg+xml": svg.render_svg(block.figure, block.alt, prefix),
            "text/plain": repr(block.figure),
        }
        display(bundle, raw=True, metadata={"image/svg+xml": meta} if meta else None)
        return
    display(
        {"text/html": block.html, "text/markdown": block.markdown, "text/plain": block.markdown},
        raw=True,
    )


class Page:
    """One report's page in a notebook: its stylesheet is displayed once, before its first block."""

    def __init__(self) -> None:
        self.styled = False

    def open(self) -> None:
        """Display the report stylesheet unless this page already has it."""
        if not self.styled:
            show_block(narrative.styles())
            self.styled = True


@dataclass(frozen=True, eq=False)
class Section:
    """One section of a report.

    Attributes:
        name: The section's name (its method on the report).
        data: The tidy frame behind its chart or table (for a text section: the figures its
            sentences state).
        blocks: What the report shows, in order (text blocks and the chart).
        figure: The chart (None when the section has none).
        caption: Caption of its chart or table ("" when none).
        sources: Source ids (``data/sources.csv``) named in its source lines.
        page: The report page it belongs to (its stylesheet goes first when shown).
    """

    name: str
    data: pd.DataFrame
    blocks: tuple[Block, ...]
    figure: Figure | None = None
    caption: str = ""
    sources: tuple[str, ...] = ()
    page: Page | None = field(default=None, repr=False)

    def show(self) -> None:
        """Display the section in the running notebook as the report shows it."""
        if self.page is not None:
            self.page.open()
        for block in self.blocks:
            if isinstance(block, Downloads):
                display(
                    {downloads.MIME_TYPE: self.payload(block).to_dict(), "text/plain": ""}, raw=True
                )
            else:
                show_block(block)

    def payload(self, block: Downloads) -> downloads.DownloadPayload:
        """The downloads of one chart or table of this section: ``data`` as CSV, the PNG."""
        headings = self.headings()
        png = svg.render_png(block.figure) if block.figure is not None else b""
        return downloads.DownloadPayload(
            id=block.download_id,
            kind=block.kind,
            section=self.name,
            title=headings[0] if headings else "",
            caption=self.caption,
            sources=list(self.sources),
            csv=downloads.csv_text(self.data),
            fields=downloads.table_fields(self.data),
            png=base64.b64encode(png).decode("ascii"),
        )

    def _ipython_display_(self) -> None:
        self.show()

    def __repr__(self) -> str:
        rows, cols = self.data.shape
        chart = "a chart" if self.figure is not None else "no chart"
        return f"<Section {self.name}: data {rows} rows x {cols} columns, {chart}>"

    def texts(self) -> list[str]:
        """Plain text of every text block, in order."""
        return [b.markdown for b in self.blocks if isinstance(b, Output)]

    def headings(self) -> list[str]:
        """Text of every heading, in order."""
        found: list[str] = []
        for block in self.blocks:
            if isinstance(block, Output):
                for inner in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", block.html, flags=re.S):
                    found.append(html.unescape(re.sub(r"<[^>]+>", "", inner)))
        return found

    def html(self) -> str:
        """HTML of every text block, joined (charts left out)."""
        return "".join(b.html for b in self.blocks if isinstance(b, Output))


class SectionBuilder:
    """Collects a section's blocks in display order, then makes the :class:`Section`.

    Args:
        name: Section name.
        lang: ``en`` or ``zh-Hant`` (source lines and legends).
        page: The report's page.
        cite: Called with the dataset names or source ids of every source line, so the
            report's closing section lists what was cited.
    """

    def __init__(
        self, name: str, lang: str, page: Page, cite: Callable[[Iterable[str]], None]
    ) -> None:
        self.name = name
        self.lang = lang
        self.page = page
        self._cite = cite
        self.blocks: list[Block] = []
        self.figure: Figure | None = None
        self.caption = ""
        self._sources: list[str] = []
        self._charts = 0

    def add(self, block: Block) -> SectionBuilder:
        """Add a ready-made block."""
        self.blocks.append(block)
        return self

    def heading(self, text: str, level: int = 2) -> SectionBuilder:
        """Add a heading (stating a finding)."""
        return self.add(narrative.heading(text, level))

    def para(self, text: str) -> SectionBuilder:
        """Add a paragraph."""
        return self.add(narrative.para(text))

    def note(self, text: str) -> SectionBuilder:
        """Add a caveat."""
        return self.add(narrative.note(text))

    def bullets(self, items: Iterable[str]) -> SectionBuilder:
        """Add a bulleted list."""
        return self.add(narrative.bullets(items))

    def cite(self, sources: str | Iterable[str]) -> list[str]:
        """Record sources shown (dataset names or source ids); return their source ids."""
        items = [sources] if isinstance(sources, str) else list(sources)
        self._cite(items)
        ids = narrative.source_ids(items)
        self._sources += [s for s in ids if s not in self._sources]
        return ids

    def chart(
        self,
        fig: Figure,
        caption: str,
        sources: str | Iterable[str],
        confidences: Iterable[str] = (),
    ) -> SectionBuilder:
        """Add a chart, then its caption, source line and the † / ‡ legend if needed.

        Args:
            fig: The chart.
            caption: Caption text (also the chart's text alternative).
            sources: Dataset names or source ids for the source line.
            confidences: Confidence values of the figures shown (for the legend).
        """
        self.plain_chart(fig, caption)
        self.caption = self.caption or caption
        self.cite(sources)
        self.add(narrative.caption(caption))
        self.add(narrative.source_line(sources, self.lang))
        legend = narrative.confidence_note(list(confidences), self.lang)
        if legend is not None:
            self.add(legend)
        return self.downloads()

    def plain_chart(self, fig: Figure, alt: str) -> SectionBuilder:
        """Add a chart alone (its caption and sources added by the caller).

        Its downloads go at the end of the section unless the caller adds them
        (:meth:`downloads`) after the caption.
        """
        self.figure = fig
        self._charts += 1
        stem = self.name if self._charts == 1 else f"{self.name}-{self._charts}"
        return self.add(Chart(fig, alt, stem))

    def downloads(self, kind: str = "chart") -> SectionBuilder:
        """Add the downloads of the last chart (``kind="chart"``) or of a table (``"table"``)."""
        if kind == "chart":
            chart = next(b for b in reversed(self.blocks) if isinstance(b, Chart))
            return self.add(Downloads("chart", chart.download_id, chart.figure))
        return self.add(Downloads("table", self.name))

    def table(
        self,
        rows: pd.DataFrame,
        columns: Mapping[str, str],
        *,
        sources: str | Iterable[str] | None = None,
        caption: str = "",
        confidence_col: str | None = "confidence",
        align: Mapping[str, str] | None = None,
        css_class: str = "",
        html_cols: Iterable[str] = (),
    ) -> SectionBuilder:
        """Add a table, then its caption and source line.

        Args:
            rows: Rows as shown (values formatted as text).
            columns: ``{column: translated header}`` in display order.
            sources: Dataset names or source ids for the source line.
            caption: Caption shown under the table.
            confidence_col: Column with confidence values (marks † / ‡).
            align: Column alignments.
            css_class: Extra CSS class.
            html_cols: Columns whose values are already HTML.
        """
        self.add(
            narrative.table(
                rows,
                self.lang,
                columns=columns,
                confidence_col=confidence_col,
                align=align,
                css_class=css_class,
                html_cols=html_cols,
            )
        )
        if caption:
            self.caption = self.caption or caption
            self.add(narrative.caption(caption))
        if sources:
            self.cite(sources)
            self.add(narrative.source_line(sources, self.lang))
        return self.downloads("table")

    def _missing_downloads(self) -> list[Downloads]:
        """Downloads of charts and tables the section's own code did not place."""
        placed = {(b.kind, b.download_id) for b in self.blocks if isinstance(b, Downloads)}
        missing = [
            Downloads("chart", b.download_id, b.figure)
            for b in self.blocks
            if isinstance(b, Chart) and ("chart", b.download_id) not in placed
        ]
        has_table = any(isinstance(b, Output) and 'class="gba-table' in b.html for b in self.blocks)
        if has_table and not any(kind == "table" for kind, _ in placed):
            missing.append(Downloads("table", self.name))
        return missing

    def done(self, data: pd.DataFrame) -> Section:
        """The finished section with ``data`` (the tidy frame behind it).

        Every chart and table gets its downloads: those not placed under a caption go last.
        """
        return Section(
            name=self.name,
            data=data.reset_index(drop=True),
            blocks=(*self.blocks, *self._missing_downloads()),
            figure=self.figure,
            caption=self.caption,
            sources=tuple(self._sources),
            page=self.page,
        )
