"""HTML export of an executed notebook: the ``gba`` nbconvert template, a title block, contents.

No code, no prompts, cells tagged ``remove-cell`` dropped, the key-figures cell's output left
out, and a table of contents built from the h2/h3 headings. Charts are inline SVG (their
``<title>`` is the text alternative; hovering a point shows its value); each chart's and table's
download payload becomes the link row under its caption (files written by
:mod:`gba_report.engine.downloads`); the report ends with its "How to cite" box
(:mod:`gba_report.engine.citation`). The result is self-contained but for the download links,
which are relative (``<report>.<lang>.files/...``).
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from gba_report import keyfigures
from gba_report.engine import citation, downloads, title
from gba_report.present import i18n
from gba_report.present.downloads import MIME_TYPE, DownloadPayload

#: Longest heading id kept as nbconvert made it (UTF-8 bytes).
MAX_ID_BYTES = 64
#: Where the template puts the table of contents.
TOC_MARKER = "<!--GBA-TOC-->"

_HEADING_RE = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S | re.I)
_ID_RE = re.compile(r'\bid="([^"]*)"')
_TAG_RE = re.compile(r"<[^>]+>")
_PROLOG_RE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.S)


def add_toc(html: str, lang: str) -> str:
    """Give every h2/h3 an id and replace the ``<!--GBA-TOC-->`` marker with a contents list.

    Args:
        html: The exported HTML.
        lang: Report language (for the heading of the list, ``engine.toc_title``).
    """
    entries: list[tuple[str, str, str]] = []
    used: set[str] = set()

    def repl(match: re.Match[str]) -> str:
        level, attrs, inner = match.group(1), match.group(2), match.group(3)
        text = _TAG_RE.sub("", inner).replace("¶", "").strip()
        found = _ID_RE.search(attrs)
        anchor = found.group(1) if found else ""
        # long ids (nbconvert's ids are the heading text) become PDF names over the 127-byte
        # limit when Chromium writes the bookmarks: short ids instead
        if not anchor or anchor in used or len(anchor.encode("utf-8")) > MAX_ID_BYTES:
            anchor = f"gba-sec-{len(entries) + 1}"
            attrs = _ID_RE.sub("", attrs) + f' id="{anchor}"'
        used.add(anchor)
        if text:
            entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    head, sep, body = html.partition(TOC_MARKER)
    if not sep:
        return html
    body = _HEADING_RE.sub(repl, body)
    if not entries:
        return head + body
    items = "\n".join(
        f'<li class="gba-toc-h{level}"><a href="#{anchor}">{text}</a></li>'
        for level, anchor, text in entries
    )
    heading = i18n.tr(lang, "engine.toc_title")
    toc = (
        f'<nav class="gba-toc" aria-label="{heading}"><h2>{heading}</h2>\n'
        f"<ol>\n{items}\n</ol></nav>"
    )
    return head + toc + body


def without_key_figures(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Copy of ``nb`` without the outputs of the cell that records the key figures.

    That cell feeds manifest.json (``keyfigures.record``); its outputs, including the echo of
    the returned payload when the call is a cell's last expression, are not for readers.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        outputs = cell.get("outputs") or []
        if any(keyfigures.MIME_TYPE in (out.get("data") or {}) for out in outputs):
            cell.outputs = []
    return nb


def inline_svg(svg: str) -> str:
    """An SVG output as an element to inline in HTML (XML declaration and doctype removed)."""
    return _PROLOG_RE.sub("", svg, count=1)


def link_row(payload: DownloadPayload, stem: str, lang: str) -> str:
    """The link row under a chart's or table's caption ("Data (CSV) · SVG · PNG")."""
    links = downloads.links(payload, stem)
    sep = html.escape(str(i18n.tr(lang, "reuse.downloads.separator")))
    items = sep.join(
        f'<a href="{html.escape(href)}" download>'
        f"{html.escape(str(i18n.tr(lang, f'reuse.downloads.{fmt}')))}</a>"
        for fmt, href in links.items()
    )
    label = html.escape(str(i18n.tr(lang, "reuse.downloads.label")))
    return f'<p class="gba-downloads" aria-label="{label}">{items}</p>'


def with_download_links(nb: nbformat.NotebookNode, stem: str, lang: str) -> nbformat.NotebookNode:
    """Copy of ``nb`` with each download payload turned into its link row (HTML).

    The row joins the HTML output just before it (the caption, source line or legend it
    belongs under), so a cell's layout (the brief's two charts side by side) keeps its outputs;
    a payload with no HTML output before it becomes an HTML output of its own.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        kept: list = []
        for output in cell.get("outputs") or []:
            data = output.get("data") or {}
            if MIME_TYPE not in data:
                kept.append(output)
                continue
            row = link_row(DownloadPayload.from_dict(data[MIME_TYPE]), stem, lang)
            before = kept[-1] if kept else None
            if before is not None and "text/html" in (before.get("data") or {}):
                text = before["data"]["text/html"]
                before["data"]["text/html"] = (
                    "".join(text) if isinstance(text, list) else text
                ) + row
            else:
                output["data"] = nbformat.from_dict({"text/html": row})
                kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept
    return nb


def export_html(nb: nbformat.NotebookNode, template_dir: Path, lang: str) -> str:
    """Export an executed notebook to self-contained HTML with the GBA template.

    Args:
        nb: The executed notebook with ``metadata.gba_report`` set (a
            :class:`gba_report.engine.title.ReportMeta` mapping).
        template_dir: The nbconvert template folder (``paths.report_template_dir()``).
        lang: Report language.
    """
    exporter = HTMLExporter(
        template_name=template_dir.name,
        extra_template_basedirs=[str(template_dir.parent)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_filter("gba_title_block", title.title_block_html)
    exporter.register_filter("gba_inline_svg", inline_svg)
    # Cells meant for notebook readers only (e.g. a bilingual lede) carry these tags.
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={"remove-cell", "remove_cell", "hide-cell"},
            remove_input_tags={"remove-input", "remove_input", "hide-input"},
            remove_all_outputs_tags={"remove-output", "remove_output", "hide-output"},
            enabled=True,
        ),
        enabled=True,
    )
    meta = nb.metadata.get("gba_report", {})
    stem = f"{meta.get('report', 'report')}.{lang}"
    found = downloads.ReportDownloads.from_notebook(nb)
    _, licence = downloads.licence(downloads.source_ids(found.payloads), lang)
    shown = with_download_links(without_key_figures(nb), stem, lang)
    body, _ = exporter.from_notebook_node(shown, resources={"language_code": lang})
    return add_toc(citation.add_box(body, meta, stem, lang, licence), lang)
