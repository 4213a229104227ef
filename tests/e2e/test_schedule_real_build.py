"""Done-when check, for real: change a figure in a copy of the data, and the next scheduled
build's index names the change (real ``gba-report build``: papermill + nbconvert, HTML only)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from gba_report.engine import history

ROOT = Path(__file__).resolve().parents[2]
GBA_REPORT = Path(sys.executable).with_name("gba-report")

pytestmark = pytest.mark.slow

# A one-cell report whose key figure comes from the data, the way the real reports do it.
REPORT_CELL = """from IPython.display import Markdown, display
from gba_report import data, keyfigures

row = data.load_rd_intensity().dropna(subset=["rd_intensity_pct_gdp"]).iloc[0]
value = float(row["rd_intensity_pct_gdp"])
display(Markdown(f"## First R&D intensity: {value}"))
figure = {"value": value, "unit": "%", "label": "First R&D intensity"}
keyfigures.record("tiny", lang, {"first_rd_intensity_pct": figure})"""

MANIFEST = """settings:
  notebooks_dir: .
  languages: [en]
  formats: [html]
  max_data_age_days: 365
  cell_timeout: 120
  kernel: python3
reports:
  tiny:
    notebook: tiny.ipynb
    title: {en: "Tiny data report", zh-Hant: "小型數據報告"}
    defaults: {}
"""


def _write_fixture(folder: Path) -> None:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Tiny data report"),
            new_code_cell('lang: str = "en"  # Language of the report [choices: en, zh-Hant]'),
            new_code_cell(REPORT_CELL),
        ]
    )
    nb.cells[1].metadata["tags"] = ["parameters"]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = kernel
    nbformat.write(nb, folder / "tiny.ipynb")
    (folder / "reports.yml").write_text(MANIFEST, encoding="utf-8")


def _bump_first_intensity(csv_path: Path) -> tuple[float, float]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    index = next(i for i, r in enumerate(rows) if r["rd_intensity_pct_gdp"].strip())
    old = float(rows[index]["rd_intensity_pct_gdp"])
    new = round(old + 0.25, 2)
    rows[index]["rd_intensity_pct_gdp"] = f"{new}"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return old, new


def test_next_build_after_a_data_change_names_the_change(tmp_path):
    source = ROOT / "data"
    if not (source / "rd_intensity.csv").is_file():
        source = ROOT / "tests" / "fixtures" / "data_minimal"
    data = tmp_path / "data"
    shutil.copytree(source, data)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _write_fixture(notebooks)
    builds = tmp_path / "build"
    env = {
        **os.environ,
        "GBA_REPORT_DATA_DIR": str(data),
        "GBA_REPORT_BUILD_DIR": str(builds),
        "GBA_REPORT_CACHE_DIR": str(tmp_path / "cache"),
        "GBA_REPORT_MANIFEST": str(notebooks / "reports.yml"),
        "GBA_REPORT_NOTEBOOKS_DIR": str(notebooks),
    }
    env.pop("GBA_REPORT_SCHEDULED_BUILD_CMD", None)
    command = [str(GBA_REPORT), "scheduled", "--lang", "en", "--format", "html", "tiny"]

    def run() -> None:
        proc = subprocess.run(
            command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, proc.stderr[-3000:]

    run()
    first = history.latest_target(builds)
    first_index = (first / "index.html").read_text(encoding="utf-8")
    assert "First build" in first_index

    old, new = _bump_first_intensity(data / "rd_intensity.csv")
    run()

    second = history.latest_target(builds)
    assert second != first
    index = (second / "index.html").read_text(encoding="utf-8")
    assert "What changed since the previous build" in index
    assert first.name in index
    assert "data/rd_intensity.csv" in index
    assert "First R&amp;D intensity" in index
    assert f"{old:g} %" in index and f"{new:g} %" in index
    assert "Tiny data report" in index  # the report whose content changed

    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    figure = manifest["reports"]["tiny"]["langs"]["en"]["key_figures"]["first_rd_intensity_pct"]
    assert figure["value"] == pytest.approx(new)

    page = (builds / "index.html").read_text(encoding="utf-8")
    assert first.name in page and second.name in page
    log = (builds / "logs" / "scheduled.log").read_text(encoding="utf-8")
    assert f"changed key figure tiny/en first_rd_intensity_pct: {old} -> {new}" in log
