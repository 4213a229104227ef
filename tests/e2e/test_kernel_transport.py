"""Kernels talk over ZeroMQ ipc sockets in a private folder, never over TCP ports.

With the tcp transport, kernels started at the same moment on one machine can be handed the
same "free" port (jupyter_client picks it by binding port 0 and closing the socket before the
kernel binds it); the loser dies with ``ZMQError: Address already in use`` before it replies
to ``kernel_info`` (seen here under a loaded machine; papermill issue 511). ipc sockets live in
a folder of the job's own, so they cannot collide.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from gba_report.engine import kernel

PROBE = """\
import json, os
from ipykernel import get_connection_info
info = json.loads(get_connection_info())
sockets = [info["ip"] + "-" + str(info[p]) for p in ("shell_port", "iopub_port", "hb_port")]
print(json.dumps({"transport": info["transport"], "ip": info["ip"],
                  "exist": [os.path.exists(s) for s in sockets]}))
"""


def _probe_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PROBE)]
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = spec
    path = folder / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _run(notebook: Path, out: Path) -> dict:
    nb = kernel.run_notebook(notebook, out, {}, "python3", 120)
    assert not isinstance(nb, kernel.Failure), nb
    return json.loads(nb.cells[0].outputs[0]["text"])


def test_kernels_use_ipc_sockets_in_a_private_folder_removed_afterwards(tmp_path):
    notebook = _probe_notebook(tmp_path)
    seen = _run(notebook, tmp_path / "out.ipynb")
    assert seen["transport"] == "ipc"
    folder = Path(seen["ip"]).parent
    assert folder.name.startswith("gba-kernel-")
    assert seen["exist"] == [True, True, True]  # the kernel's sockets were files in that folder
    assert len(seen["ip"]) + 6 < 107  # a Unix socket path holds at most 107 bytes
    assert not folder.exists()  # removed with the kernel


def test_kernels_started_together_each_get_their_own_folder(tmp_path):
    notebook = _probe_notebook(tmp_path)
    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda i: _run(notebook, tmp_path / f"out{i}.ipynb"), range(3)))
    folders = {Path(r["ip"]).parent for r in runs}
    assert len(folders) == 3
    assert all(r["transport"] == "ipc" and all(r["exist"]) for r in runs)
