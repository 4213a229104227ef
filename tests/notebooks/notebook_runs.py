"""Helpers of the report tests: reports run as their notebooks run them, in-process or by papermill.

Defaults come from the notebook's ``parameters`` cell (read with the engine's parser, so the
report classes' own reader is checked against it), and the sections are the ``report.<name>()``
calls of the notebook, in its order: a section added to a notebook is tested without editing
the tests.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from matplotlib.figure import Figure

from gba_report import keyfigures, paths
from gba_report.engine.params import notebook_parameters
from gba_report.present import downloads
from gba_report.present.narrative import Output
from gba_report.present.sections import Chart, Downloads

LATIN = re.compile(r"[A-Za-z]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def defaults(cls):
    """The defaults of a report class's notebook (``lang`` left out)."""
    declared = notebook_parameters(paths.notebooks_dir() / cls.notebook)
    return {name: p.default for name, p in declared.items() if name != "lang"}


def build(cls, lang, **overrides):
    """A report with its notebook's defaults, ``overrides`` applied."""
    return cls(lang=lang, **{**defaults(cls), **overrides})


def notebook_sections(cls):
    """The section methods the report's notebook calls, in order."""
    nb = nbformat.read(paths.notebooks_dir() / cls.notebook, as_version=4)
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            names += re.findall(r"\breport\.(\w+)\(", cell.source)
    return [n for n in names if n != "key_figures"]


class Run:
    """A report whose sections were all built, in notebook order (what the notebook shows)."""

    def __init__(self, report):
        self.report = report
        self.sections = {name: getattr(report, name)() for name in notebook_sections(type(report))}

    @property
    def outputs(self):
        """Every block shown, in order (a chart as its Figure)."""
        return [
            b.figure if isinstance(b, Chart) else b
            for s in self.sections.values()
            for b in s.blocks
        ]

    def texts(self):
        return [o.markdown for o in self.outputs if isinstance(o, Output)]

    def headings(self):
        return [h for s in self.sections.values() for h in s.headings()]

    def figures(self):
        return [o for o in self.outputs if isinstance(o, Figure)]

    def key_figures(self):
        return self.report.key_figures()


def run_report(cls, lang="en", **overrides):
    """A :class:`Run` of the report with its notebook's defaults, ``overrides`` applied."""
    return Run(build(cls, lang, **overrides))


def report_fixtures(cls):
    """Module-scoped fixtures of the report with its defaults: ``en``, ``zh`` and ``reports``.

    ``reports`` is ``{lang: Run}`` for both languages. Assign them in a test module, e.g.
    ``en, zh, reports = report_fixtures(RDIntensityReport)`` (the names are the fixtures').
    """

    @pytest.fixture(scope="module")
    def en():
        return run_report(cls, "en")

    @pytest.fixture(scope="module")
    def zh():
        return run_report(cls, "zh-Hant")

    @pytest.fixture(scope="module")
    def reports(en, zh):
        return {"en": en, "zh-Hant": zh}

    return en, zh, reports


def run_notebook(name: str, out_dir: Path, **params) -> nbformat.NotebookNode:
    """Execute a report notebook with papermill into ``out_dir`` and return the result."""
    src = paths.notebooks_dir() / name
    out = out_dir / f"{src.stem}-{params.get('lang', 'en')}.ipynb"
    pm.execute_notebook(
        str(src),
        str(out),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(out_dir),
    )
    return nbformat.read(out, as_version=4)


def rendered_text(nb) -> str:
    """Every HTML / Markdown / plain output of an executed notebook, tags stripped."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            for mime in ("text/html", "text/markdown"):
                if mime in data:
                    parts.append(html.unescape(re.sub(r"<[^>]+>", " ", str(data[mime]))))
                    break
    return "\n".join(parts)


def output_headings(nb) -> list[str]:
    """Text of the h1-h4 headings in the outputs of an executed notebook."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) or []:
            text = str((output.get("data") or {}).get("text/html", ""))
            for inner in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", text, flags=re.S):
                found.append(html.unescape(re.sub(r"<[^>]+>", "", inner)))
    return found


def table_headers(outputs) -> list[str]:
    """Text of every ``<th>`` in a report's shown blocks."""
    heads = []
    for out in outputs:
        for inner in re.findall(r"<th[^>]*>(.*?)</th>", getattr(out, "html", ""), flags=re.S):
            heads.append(html.unescape(re.sub(r"<[^>]+>", "", inner)))
    return heads


def chart_label_texts(fig) -> tuple[list[str], list[str]]:
    """(axis labels, titles, tick labels, legend entries), (annotations and other texts)."""
    fig.draw_without_rendering()
    strict, loose = [], []
    for t in fig.texts:
        loose.append(t.get_text())
    for leg in fig.legends:
        strict += [t.get_text() for t in leg.get_texts()]
    for ax in fig.axes:
        strict += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        strict += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            strict += [t.get_text() for t in legend.get_texts()]
        loose += [t.get_text() for t in ax.texts]
    return [s for s in strict if s.strip()], [s for s in loose if s.strip()]


def key_figures(nb) -> dict:
    """Key figures recorded by the notebook."""
    return keyfigures.extract(nb)


def assert_outputs_are_the_sections(nb, cls, lang, **params):
    """Each cell's outputs are exactly the blocks of the sections it calls, built in-process.

    The report's stylesheet comes first, once; a text block is shown as its HTML; a chart as
    SVG with its caption as the text alternative.
    """
    report = build(cls, lang, **params)
    styled = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        names = [n for n in re.findall(r"\breport\.(\w+)\(", cell.source) if n != "key_figures"]
        if not names:
            continue
        outputs = [o for o in cell.outputs if o.output_type == "display_data"]
        assert len(outputs) == len(cell.outputs), cell.source  # no text, no error, no stream
        if not styled:
            assert outputs.pop(0).data["text/html"].startswith("<style>")
            styled = True
        blocks = [b for name in names for b in getattr(report, name)().blocks]
        assert len(outputs) == len(blocks), cell.source
        for output, block in zip(outputs, blocks, strict=True):
            if isinstance(block, Chart):
                assert "image/svg+xml" in output.data, cell.source
                assert output.metadata["image/svg+xml"]["alt"] == block.alt
            elif isinstance(block, Downloads):
                payload = output.data[downloads.MIME_TYPE]
                assert (payload["id"], payload["kind"]) == (block.download_id, block.kind)
            else:
                assert output.data["text/html"] == block.html, cell.source


def run_checked_notebook(name, cls, out_dir, lang, **params):
    """Execute a report notebook by papermill and check what every report notebook shows.

    Its outputs are the sections built in-process (:func:`assert_outputs_are_the_sections`),
    one heading is the caveats and sources one, and no zh-Hant heading holds a Latin letter.

    Returns:
        The rendered text, the output headings and the key figures of the executed notebook.
    """
    nb = run_notebook(name, out_dir, lang=lang, **params)
    assert_outputs_are_the_sections(nb, cls, lang, **params)
    heads = output_headings(nb)
    assert any(h in ("Caveats and sources", "注意事項與資料來源") for h in heads)
    if lang == "zh-Hant":
        for h in heads:
            assert not LATIN.search(h), h
    return rendered_text(nb), heads, key_figures(nb)
