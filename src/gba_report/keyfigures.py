"""Key figures a report records about itself, for the build manifest and "what changed".

A report notebook calls :func:`record` once (usually in its last cell). The figures travel
inside the executed notebook as a display output with the MIME type :data:`MIME_TYPE`; the
build engine reads them back with :func:`extract` and writes them into ``manifest.json``.
Nothing is scraped from HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

MIME_TYPE = "application/vnd.gba-report.key-figures+json"


def _clean(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def record(report: str, lang: str, figures: Mapping[str, Mapping[str, Any]]) -> None:
    """Display the report's key figures as a machine-readable output.

    Args:
        report: Report name as in ``report/reports.yml``.
        lang: Language code of this run (``en`` or ``zh-Hant``).
        figures: ``{key: {"value": number or str, "unit": str, "label": str}}``; keys are
            stable identifiers such as ``guangdong_rd_intensity_pct_2024``.

    Returns nothing on purpose: a return value would be displayed a second time, as text, when
    ``record(...)`` is the last expression of a notebook cell. Use :func:`payload` to inspect it.
    """
    # Imported here, not at the top: IPython (a dependency through ipykernel) costs ~0.4 s of
    # start-up in every process that only reads figures back (the engine, every command).
    from IPython.display import display

    display({MIME_TYPE: payload(report, lang, figures), "text/plain": ""}, raw=True)


def payload(report: str, lang: str, figures: Mapping[str, Mapping[str, Any]]) -> dict:
    """Return the JSON-ready payload :func:`record` displays (numpy scalars and NaN cleaned).

    Args:
        report: Report name as in ``report/reports.yml``.
        lang: Language code of this run.
        figures: ``{key: {"value", "unit", "label"}}`` as for :func:`record`.
    """
    return {
        "report": report,
        "lang": lang,
        "figures": {
            key: {k: _clean(v) for k, v in fig.items()} for key, fig in sorted(figures.items())
        },
    }


def extract(notebook: Mapping[str, Any]) -> dict[str, dict]:
    """Return the key figures recorded in an executed notebook (``{}`` when none).

    Args:
        notebook: The executed notebook as a dict (``nbformat`` node or parsed JSON).
    """
    figures: dict[str, dict] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if MIME_TYPE in data:
                figures.update(data[MIME_TYPE].get("figures", {}))
    return figures
