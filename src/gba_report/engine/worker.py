"""One report x language in its own process: execute with papermill, export HTML.

Run by :mod:`gba_report.engine.build` as ``python -m gba_report.engine.worker JOB.json`` in a new
process group (so the build can stop it and its kernel together). The job file names every
input and output; the worker writes ``result.json`` next to it and prints one progress line
per stage (``@stage <name>``) on stdout.
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Any

# jsonschema (imported by nbformat) builds a large grammar when the optional rfc3987_syntax
# package is importable: 1.5 s per process, only used for "iri" format checks that notebook
# validation never needs. Hide it so every worker starts faster.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

_HEADING_RE = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S | re.I)
_ID_RE = re.compile(r'\bid="([^"]*)"')
_TAG_RE = re.compile(r"<[^>]+>")
_TOC_TITLE = {"en": "Contents", "zh-Hant": "目錄"}


def _stage(name: str) -> None:
    print(f"@stage {name}", flush=True)


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _failed_cell(nb: dict[str, Any]) -> tuple[int | None, str]:
    """Return the 1-based index (in the source notebook) and first line of the cell that stopped.

    Papermill marks a cell that raised as ``failed``; after a timeout or a dead kernel the
    stopped cell is the last one that started.
    """
    numbered: list[tuple[int, dict[str, Any]]] = []
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            continue
        numbered.append((len(numbered) + 1, cell))

    def pm(cell: dict[str, Any]) -> dict[str, Any]:
        return cell.get("metadata", {}).get("papermill", {}) or {}

    found = next(
        ((i, c) for i, c in numbered if pm(c).get("status") in ("failed", "running")), None
    )
    if found is None:
        started = [
            (i, c) for i, c in numbered if c.get("cell_type") == "code" and pm(c).get("start_time")
        ]
        found = started[-1] if started else None
    if found is None:
        return None, ""
    index, cell = found
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    lines = [line for line in source.strip().splitlines() if line.strip()]
    return index, (lines[-1] if lines else "")[:120]


def add_toc(html: str, lang: str) -> str:
    """Give every h2/h3 an id and replace the ``<!--GBA-TOC-->`` marker with a contents list.

    Args:
        html: The exported HTML.
        lang: Report language (for the heading of the list).
    """
    entries: list[tuple[str, str, str]] = []
    used: set[str] = set()

    def repl(match: re.Match[str]) -> str:
        level, attrs, inner = match.group(1), match.group(2), match.group(3)
        text = _TAG_RE.sub("", inner).replace("¶", "").strip()
        found = _ID_RE.search(attrs)
        anchor = found.group(1) if found else ""
        if not anchor or anchor in used:
            anchor = f"gba-sec-{len(entries) + 1}"
            attrs = _ID_RE.sub("", attrs) + f' id="{anchor}"'
        used.add(anchor)
        if text:
            entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    marker = "<!--GBA-TOC-->"
    head, sep, body = html.partition(marker)
    if not sep:
        return html
    body = _HEADING_RE.sub(repl, body)
    if not entries:
        return head + body
    items = "\n".join(
        f'<li class="gba-toc-h{level}"><a href="#{anchor}">{text}</a></li>'
        for level, anchor, text in entries
    )
    title = _TOC_TITLE.get(lang, "Contents")
    toc = f'<nav class="gba-toc" aria-label="{title}"><h2>{title}</h2>\n<ol>\n{items}\n</ol></nav>'
    return head + toc + body


def _without_key_figures(nb: Any) -> Any:
    """Copy of ``nb`` without the outputs of the cell that records the key figures.

    That cell feeds manifest.json (``keyfigures.record``); its outputs, including the echo of
    the returned payload when the call is a cell's last expression, are not for readers.
    """
    import copy

    from gba_report.keyfigures import MIME_TYPE

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        outputs = cell.get("outputs") or []
        if any(MIME_TYPE in (out.get("data") or {}) for out in outputs):
            cell.outputs = []
    return nb


def export_html(nb: Any, template_dir: Path, lang: str) -> str:
    """Export an executed notebook to self-contained HTML with the GBA template.

    Args:
        nb: The executed notebook (``nbformat`` node) with ``metadata.gba_report`` set.
        template_dir: Folder holding the ``gba`` template folder.
        lang: Report language.
    """
    from markupsafe import Markup
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from gba_report.engine import title as build_title

    exporter = HTMLExporter(
        template_name="gba",
        extra_template_basedirs=[str(template_dir)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    # Cells meant for notebook readers only (e.g. a bilingual lede) carry these tags.
    # The title block shows the parameters in the reader's language (build_title).
    exporter.register_filter(
        "gba_title_block", lambda meta: Markup(build_title.title_block_html(meta))
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={"remove-cell", "remove_cell", "hide-cell"},
            remove_input_tags={"remove-input", "remove_input", "hide-input"},
            remove_all_outputs_tags={"remove-output", "remove_output", "hide-output"},
            enabled=True,
        ),
        enabled=True,
    )
    body, _ = exporter.from_notebook_node(
        _without_key_figures(nb), resources={"language_code": lang}
    )
    return add_toc(body, lang)


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Execute (unless cached) and export one report x language as described by ``job``.

    Returns:
        ``{"status": "ok"}`` or ``{"status": "failed", "kind": ..., "cell": ..., ...}``.
    """
    import nbformat

    exec_cache = Path(job["exec_cache"])
    executed = Path(job["executed_out"])
    if job.get("use_cache") and exec_cache.exists():
        nb = nbformat.read(exec_cache, as_version=4)
    else:
        import papermill as pm
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        _stage("executing")
        failure: dict[str, Any] | None = None
        try:
            pm.execute_notebook(
                job["notebook"],
                str(executed),
                parameters=job["parameters"],
                kernel_name=job.get("kernel") or None,
                cwd=job.get("cwd"),
                execution_timeout=job.get("cell_timeout"),
                progress_bar=False,
                log_output=False,
                report_mode=False,
            )
        except pm.PapermillExecutionError as exc:
            failure = {"kind": "cell_error", "ename": exc.ename, "evalue": exc.evalue}
        except CellTimeoutError:
            failure = {
                "kind": "timeout",
                "ename": "CellTimeoutError",
                "evalue": f"ran longer than the cell timeout of {job.get('cell_timeout'):g} s",
            }
        except DeadKernelError as exc:
            failure = {"kind": "kernel_died", "ename": "DeadKernelError", "evalue": str(exc)}
        if failure is not None:
            cell, first_line = (None, "")
            if executed.exists():
                try:
                    cell, first_line = _failed_cell(json.loads(executed.read_text("utf-8")))
                except (OSError, ValueError):
                    pass
            failure.update(
                status="failed",
                cell=cell,
                cell_source=first_line,
                notebook=str(executed) if executed.exists() else None,
            )
            return failure
        nb = nbformat.read(executed, as_version=4)
        exec_cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = exec_cache.with_name(f".{exec_cache.name}.{os.getpid()}.tmp")
        nbformat.write(nb, tmp)
        os.replace(tmp, exec_cache)

    if job.get("html_out"):
        _stage("html")
        nb.metadata["gba_report"] = job["metadata"]
        html = export_html(nb, Path(job["template_dir"]), job["lang"])
        html_cache = Path(job["html_cache"])
        html_cache.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write_text(html_cache, html)
        _atomic_write_text(Path(job["html_out"]), html)
    return {"status": "ok"}


def main(argv: list[str] | None = None) -> int:
    """Run the job file given as the only argument; write ``result.json`` beside it."""
    argv = sys.argv[1:] if argv is None else argv
    job_file = Path(argv[0])
    job = json.loads(job_file.read_text(encoding="utf-8"))
    try:
        result = run_job(job)
    except Exception as exc:  # noqa: BLE001 - reported to the build, which decides
        result = {
            "status": "failed",
            "kind": "internal",
            "ename": type(exc).__name__,
            "evalue": str(exc),
            "traceback": traceback.format_exc(),
        }
    _atomic_write_text(job_file.with_name("result.json"), json.dumps(result))
    return 0 if result["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
