"""Stage timestamps for the benchmark: where a build's time goes, written as JSON lines.

The engine sets ``GBA_REPORT_TIMINGS_FILE`` for a worker (and so for its kernel); every
process that runs a timed step then appends one line per step to that file. Without the
variable (an analyst in JupyterLab, a test) :func:`timed` measures nothing and writes nothing.
A line is ``{"stage": ..., "name": ..., "start": epoch s, "s": seconds}``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The environment variable naming the file timed steps are appended to.
ENV_VAR = "GBA_REPORT_TIMINGS_FILE"


def timings_file() -> Path | None:
    """The file timed steps go to, or None when nothing is timed."""
    value = os.environ.get(ENV_VAR)
    return Path(value) if value else None


def write(stage: str, name: str, start: float, seconds: float) -> None:
    """Append one timed step to :func:`timings_file` (no-op when unset).

    Args:
        stage: What kind of step (``data_parse``, ``chart_render``, ``html_export``, ...).
        name: Which one (a table, a section, a job).
        start: When it started (epoch seconds, ``time.time()``).
        seconds: How long it took.
    """
    target = timings_file()
    if target is None:
        return
    line = json.dumps({"stage": stage, "name": name, "start": start, "s": seconds})
    # One short line per write in append mode: lines from one process never interleave.
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


@contextmanager
def timed(stage: str, name: str = "") -> Iterator[None]:
    """Time the ``with`` block as one step (see :func:`write`); no-op when nothing is timed."""
    if timings_file() is None:
        yield
        return
    start, t0 = time.time(), time.perf_counter()
    try:
        yield
    finally:
        write(stage, name, start, time.perf_counter() - t0)


def read(path: Path) -> list[dict[str, Any]]:
    """Read the steps written to ``path`` (``[]`` when it does not exist; bad lines skipped)."""
    if not path.is_file():
        return []
    steps = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            step = json.loads(line)
        except ValueError:
            continue
        if isinstance(step, dict) and {"stage", "s"} <= step.keys():
            steps.append(step)
    return steps
