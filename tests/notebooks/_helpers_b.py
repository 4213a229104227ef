"""Shared helpers of the cross_border_funding and cluster_rankings notebook tests."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import papermill as pm

from gba_report import keyfigures, paths

LATIN = re.compile(r"[A-Za-z]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


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
