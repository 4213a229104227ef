"""Where a build's time went: each job's timed steps and the build's phases, in ``timings.json``.

Workers and their kernels append timed steps to a file per job (:mod:`gba_report.timing`);
the execute stage reads it back into :attr:`ExecutedJob.timings
<gba_report.engine.execute.ExecutedJob>`; the PDF stage adds one ``pdf_print`` step per
printed file; the build adds its phases and writes everything to ``timings.json`` beside
``manifest.json``. :func:`stage_table` sums the steps over jobs (``make bench`` prints it).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gba_report.fileio import atomic_write_text

#: The file in a published build.
FILE = "timings.json"

#: Stage rows of the table, in pipeline order: (key, label).
STAGES: tuple[tuple[str, str], ...] = (
    ("worker_start", "worker start (python + papermill/nbconvert imports)"),
    ("kernel_start", "kernel start"),
    ("imports", "imports in the kernel (first cell)"),
    ("data_parse", "data: CSV parse"),
    ("data_validate", "data: pandera validation"),
    ("data_cached", "data: validated tables reused"),
    ("report_setup", "report object (excluding data)"),
    ("section_compute", "sections: compute (excluding data, charts)"),
    ("chart_render", "sections: chart rendering (SVG)"),
    ("key_figures", "key figures + parameters cells"),
    ("kernel_finish", "kernel shutdown, notebook written"),
    ("html_export", "HTML export (nbconvert)"),
    ("pdf_print", "PDF printing (Chromium)"),
)


@dataclass
class BuildTimings:
    """The build's phases (wall time) and each job's timed steps, collected as the build runs.

    Attributes:
        slots: Cores the build may use (``os.cpu_count()``).
        jobs: Workers at a time (``--jobs``).
        phases: Phase name -> (start, seconds).
        steps: Job stem -> its timed steps.
    """

    slots: int = field(default_factory=lambda: os.cpu_count() or 1)
    jobs: int = 1
    phases: dict[str, tuple[float, float]] = field(default_factory=dict)
    steps: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def phase_started(self, name: str) -> None:
        """Mark the start of phase ``name``."""
        self.phases[name] = (time.time(), 0.0)

    def phase_done(self, name: str) -> None:
        """Mark the end of phase ``name`` (started with :meth:`phase_started`)."""
        start, _ = self.phases[name]
        self.phases[name] = (start, time.time() - start)

    def add(self, stem: str, steps: Iterable[Mapping[str, Any]]) -> None:
        """Add timed steps of job ``stem``."""
        self.steps[stem].extend(dict(s) for s in steps)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``timings.json`` holds)."""
        return {
            "slots": self.slots,
            "jobs": self.jobs,
            "phases": {k: {"start": s, "s": round(d, 4)} for k, (s, d) in self.phases.items()},
            "steps": {stem: list(steps) for stem, steps in self.steps.items()},
        }

    def write(self, folder: Path) -> Path:
        """Write ``timings.json`` into ``folder``."""
        return atomic_write_text(folder / FILE, json.dumps(self.to_dict(), indent=1) + "\n")


def _job_stages(steps: list[Mapping[str, Any]]) -> dict[str, float]:
    """One job's seconds per stage (:data:`STAGES`); data and chart time taken out of cells."""
    out: dict[str, float] = defaultdict(float)
    cells: list[tuple[str, float, float]] = []  # (stage, start, end)
    inner: list[tuple[str, float, float]] = []
    for step in steps:
        stage, seconds = str(step["stage"]), float(step["s"])
        start = float(step.get("start") or 0.0)
        if stage in ("worker_python_start", "worker_imports"):
            out["worker_start"] += seconds
        elif stage.startswith("cell:"):
            cells.append((stage[5:], start, start + seconds))
        elif stage in ("data_parse", "data_validate", "data_cached", "chart_render"):
            out[stage] += seconds
            inner.append((stage, start, start + seconds))
        else:
            out[stage] += seconds
    for stage, start, end in cells:
        inside = sum(e - s for _, s, e in inner if s >= start and e <= end + 1e-3)
        own = max(0.0, end - start - inside)
        if stage == "section":
            out["section_compute"] += own
        elif stage in ("parameters", "key_figures"):
            out["key_figures"] += own
        else:  # imports, report_setup
            out[stage] += own
    return dict(out)


def stage_table(doc: Mapping[str, Any]) -> list[tuple[str, str, float]]:
    """Seconds per stage summed over the jobs of a ``timings.json``, plus the idle cores.

    ``worker_other`` is the workers' wall time no timed step covers (files, messages).
    Idle core-seconds: ``slots`` x the build's wall time, less every second a worker ran or
    the printer printed (the engine's own planning and publishing count as idle).

    Returns:
        ``(key, label, seconds)`` rows in pipeline order, then ``worker_other``,
        ``idle_cores`` and ``wall``.
    """
    totals: dict[str, float] = defaultdict(float)
    for steps in doc.get("steps", {}).values():
        for stage, seconds in _job_stages(steps).items():
            totals[stage] += seconds
    worker_wall = totals.pop("worker_wall", 0.0)
    rows = [(key, label, totals.get(key, 0.0)) for key, label in STAGES]
    known = {key for key, _ in STAGES}
    rows += [(key, key, s) for key, s in sorted(totals.items()) if key not in known]
    in_workers = sum(s for key, _, s in rows if key != "pdf_print")
    printing = totals.get("pdf_print", 0.0)
    rows.append(
        ("worker_other", "worker: other (files, messages)", max(0.0, worker_wall - in_workers))
    )
    wall = float(doc.get("phases", {}).get("build", {}).get("s", 0.0))
    slots = int(doc.get("slots", 1))
    busy = max(worker_wall, in_workers) + printing
    rows.append(
        ("idle_cores", f"idle cores ({slots} x wall - busy)", max(0.0, slots * wall - busy))
    )
    rows.append(("wall", "build wall time", wall))
    return rows


def section_table(doc: Mapping[str, Any]) -> list[tuple[str, float, float]]:
    """Per notebook cell of a section (``report.cell``): seconds, and chart seconds inside.

    Summed over the jobs (languages); cell seconds include any data the section loaded.
    """
    cell: dict[str, float] = defaultdict(float)
    chart: dict[str, float] = defaultdict(float)
    for stem, steps in doc.get("steps", {}).items():
        report = stem.split(".", 1)[0]
        charts = [
            (float(s["start"]), float(s["start"]) + float(s["s"]))
            for s in steps
            if s["stage"] == "chart_render" and s.get("start")
        ]
        for step in steps:
            if step["stage"] != "cell:section":
                continue
            name = f"{report}.{step.get('name') or 'cell'}"
            start = float(step.get("start") or 0.0)
            end = start + float(step["s"])
            cell[name] += float(step["s"])
            chart[name] += sum(e - s for s, e in charts if s >= start and e <= end + 1e-3)
    return [(name, cell[name], chart[name]) for name in sorted(cell)]
