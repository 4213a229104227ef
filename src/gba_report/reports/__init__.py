"""One module per report; each exposes a class built from the notebook's parameters.

``REPORTS`` maps a report name to ``"module:Class"`` (imported lazily by :func:`get`).
Every class derives from :class:`gba_report.reports.base.BaseReport`: construct it with the
notebook parameters (``lang`` first), call its section methods one per notebook cell, then
``key_figures()`` for :func:`gba_report.keyfigures.record`.
"""

from __future__ import annotations

import importlib

REPORTS: dict[str, str] = {
    "rd_intensity": "gba_report.reports.rd_intensity:RDIntensityReport",
    "cross_border_funding": "gba_report.reports.cross_border_funding:CrossBorderFundingReport",
    "cluster_rankings": "gba_report.reports.cluster_rankings:ClusterRankingsReport",
    "summary": "gba_report.reports.summary:SummaryReport",
}


def get(name: str) -> type:
    """Return the report class registered under ``name``.

    Args:
        name: Report name (``rd_intensity``, ``cross_border_funding``, ``cluster_rankings``,
            ``summary``).

    Raises:
        KeyError: Unknown report name.
    """
    try:
        module_name, cls_name = REPORTS[name].split(":")
    except KeyError:
        raise KeyError(f"Unknown report {name!r}: choose from {', '.join(REPORTS)}") from None
    return getattr(importlib.import_module(module_name), cls_name)
