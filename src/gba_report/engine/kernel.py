"""Run one notebook in a Jupyter kernel (papermill) and say precisely how it failed, if it did."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
from jupyter_client import AsyncKernelManager  # nbclient's default kernel manager class
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from gba_report import timing
from gba_report.engine.messages import Failure, FailureKind

_SECTION_CALL = re.compile(r"\breport\.(\w+)\(")


def failed_cell(nb: dict[str, Any]) -> tuple[int | None, str]:
    """Return the 1-based index (in the source notebook) and last line of the cell that stopped.

    Papermill marks a cell that raised as ``failed``; after a timeout or a dead kernel the
    stopped cell is the last one that started.

    Args:
        nb: The executed notebook as parsed JSON.
    """
    numbered: list[tuple[int, dict[str, Any]]] = []
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            continue
        numbered.append((len(numbered) + 1, cell))

    def pm_meta(cell: dict[str, Any]) -> dict[str, Any]:
        return cell.get("metadata", {}).get("papermill", {}) or {}

    found = next(
        ((i, c) for i, c in numbered if pm_meta(c).get("status") in ("failed", "running")), None
    )
    if found is None:
        started = [
            (i, c)
            for i, c in numbered
            if c.get("cell_type") == "code" and pm_meta(c).get("start_time")
        ]
        found = started[-1] if started else None
    if found is None:
        return None, ""
    index, cell = found
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    lines = [line for line in source.strip().splitlines() if line.strip()]
    return index, (lines[-1] if lines else "")[:120]


def run_notebook(
    notebook: Path,
    out: Path,
    parameters: dict[str, Any],
    kernel: str,
    cell_timeout: float | None,
) -> nbformat.NotebookNode | Failure:
    """Execute ``notebook`` with ``parameters`` into ``out``.

    The kernel's working folder is the notebook's folder.

    Args:
        notebook: The report notebook.
        out: Where the executed notebook is written (also when a cell fails).
        parameters: Values injected by papermill (as Python literals).
        kernel: Jupyter kernel name.
        cell_timeout: Seconds one cell may run (None: no limit).

    Returns:
        The executed notebook, or the :class:`Failure` of a failing cell, a cell timeout or a
        dead kernel (other errors propagate).
    """
    try:
        with tempfile.TemporaryDirectory(prefix="gba-kernel-") as sockets:
            _execute(notebook, out, parameters, kernel, cell_timeout, Path(sockets))
    except pm.PapermillExecutionError as exc:
        return _failure(out, FailureKind.CELL_ERROR, exc.ename, exc.evalue)
    except CellTimeoutError:
        why = f"ran longer than the cell timeout of {cell_timeout:g} s"
        return _failure(out, FailureKind.TIMEOUT, "CellTimeoutError", why)
    except DeadKernelError as exc:
        return _failure(out, FailureKind.KERNEL_DIED, "DeadKernelError", str(exc))
    return nbformat.read(out, as_version=4)


def ipc_kernel_manager(sockets: Path) -> type:
    """A kernel manager class whose kernels talk over ZeroMQ ``ipc`` sockets in ``sockets``.

    jupyter_client's default ``tcp`` transport picks free ports by binding to port 0 and closing
    the socket again; the kernel binds them a moment later. Kernels started at the same time on
    one machine (a build's workers, other builds, tests) can be handed the same port, and the
    loser dies with ``ZMQError: Address already in use`` before it replies to ``kernel_info``
    (papermill issue 511). Socket files in a folder of the job's own cannot collide.

    Args:
        sockets: An empty private folder (short: a socket path has at most 107 bytes).
    """

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(sockets / "kernel"))
            super().__init__(**kwargs)

    return IpcKernelManager


def _execute(
    notebook: Path,
    out: Path,
    parameters: dict[str, Any],
    kernel: str,
    cell_timeout: float | None,
    sockets: Path,
) -> None:
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters=parameters,
        kernel_name=kernel or None,
        cwd=str(notebook.parent),
        execution_timeout=cell_timeout,
        progress_bar=False,
        log_output=False,
        report_mode=False,
        # Every cell has finished and its outputs are in: stop the kernel at once rather
        # than asking it to shut down and waiting (nbclient's "graceful" default).
        shutdown_kernel="immediate",
        kernel_manager_class=ipc_kernel_manager(sockets),
    )


def _failure(out: Path, kind: FailureKind, ename: str, evalue: str) -> Failure:
    cell, source = None, ""
    if out.exists():
        try:
            cell, source = failed_cell(json.loads(out.read_text("utf-8")))
        except (OSError, ValueError):  # a half-written notebook: the message still stands
            pass
    return Failure(
        kind=kind,
        ename=ename,
        evalue=evalue,
        cell=cell,
        cell_source=source,
        notebook=out if out.exists() else None,
    )


def cell_role(cell: dict[str, Any]) -> tuple[str, str]:
    """What a report notebook's code cell does, for the stage table: ``(stage, name)``.

    Stages: ``parameters``, ``imports``, ``report_setup`` (the report object: its data),
    ``key_figures``, ``section`` (named by the report methods it calls, e.g. ``headline``).
    """
    tags = cell.get("metadata", {}).get("tags", [])
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    if "parameters" in tags or "injected-parameters" in tags:
        return "parameters", ""
    if "keyfigures.record" in source:
        return "key_figures", ""
    if re.search(r"^\s*(from|import)\s", source, re.M):
        return "imports", ""
    if re.search(r"^\s*report\s*=", source, re.M):
        return "report_setup", ""
    return "section", "+".join(_SECTION_CALL.findall(source)) or "cell"


def _when(value: str | None) -> float | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def write_cell_timings(nb: dict[str, Any], started: float, finished: float) -> None:
    """Write each code cell's run time (papermill's metadata) as timed steps.

    Also ``kernel_start`` (from ``started``, when papermill was called, to the first cell)
    and ``kernel_finish`` (from the last cell to ``finished``: shutdown, notebook written).
    No-op unless timings are wanted (:mod:`gba_report.timing`).
    """
    if timing.timings_file() is None:
        return
    first: float | None = None
    last: float | None = None
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("papermill", {}) or {}
        start, end = _when(meta.get("start_time")), _when(meta.get("end_time"))
        if cell.get("cell_type") != "code" or start is None or end is None:
            continue
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
        stage, name = cell_role(cell)
        timing.write(f"cell:{stage}", name, start, end - start)
    if first is not None and last is not None:
        timing.write("kernel_start", "", started, max(0.0, first - started))
        timing.write("kernel_finish", "", last, max(0.0, finished - last))
