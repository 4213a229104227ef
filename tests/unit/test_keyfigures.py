"""Key figures: what a notebook records, how it travels in the executed notebook, and back."""

import math

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

from gba_report import keyfigures

# Guangdong's R&D intensity in 2024 as NBS published it, and Macao–Zhuhai's GII 2025 rank.
GD = {"value": 3.6, "unit": "%", "label": "Guangdong R&D intensity 2024"}
MZ = {"value": 98, "unit": "rank", "label": "Macao–Zhuhai"}


def test_payload_cleans_numpy_and_nan_and_sorts_keys():
    data = keyfigures.payload(
        "rd_intensity",
        "en",
        {"b": {"value": np.float64(3.6), "unit": "%"}, "a": {"value": math.nan, "unit": "x"}},
    )
    assert list(data["figures"]) == ["a", "b"]
    assert data["figures"]["a"]["value"] is None
    assert type(data["figures"]["b"]["value"]) is float and data["figures"]["b"]["value"] == 3.6


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """An IPython shell like a kernel's (no history file), for what a cell displays."""
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path))
    cfg = Config()
    cfg.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    yield InteractiveShell.instance(config=cfg)
    InteractiveShell.clear_instance()


def test_record_as_a_cells_last_line_displays_the_figures_once(shell):
    with capture_output() as captured:
        result = shell.run_cell(
            "from gba_report import keyfigures\n"
            f"keyfigures.record('rd_intensity', 'en', {{'gd_rd_intensity_pct_2024': {GD!r}}})"
        )
    assert result.success, result.error_in_exec
    # One display output with the machine-readable figures and an empty text form ...
    [output] = captured.outputs
    assert output.data == {
        keyfigures.MIME_TYPE: {
            "report": "rd_intensity",
            "lang": "en",
            "figures": {"gd_rd_intensity_pct_2024": GD},
        },
        "text/plain": "",
    }
    # ... and no echo of a return value (an "Out[1]: {...}" would show the figures twice).
    assert captured.stdout == ""


def test_extract_reads_figures_back_from_an_executed_notebook():
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "x"},
            {"cell_type": "code", "outputs": [{"output_type": "stream", "text": "hi"}]},
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {keyfigures.MIME_TYPE: keyfigures.payload("c", "en", {"mz": MZ})},
                    }
                ],
            },
        ]
    }
    assert keyfigures.extract(nb) == {"mz": MZ}
    assert keyfigures.extract({"cells": []}) == {}


def test_figures_recorded_in_several_cells_are_merged_later_ones_winning():
    def cell(figures: dict) -> dict:
        data = {keyfigures.MIME_TYPE: keyfigures.payload("r", "en", figures)}
        return {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": data}]}

    nb = {"cells": [cell({"gd": GD, "mz": MZ}), cell({"mz": {**MZ, "value": 100}})]}
    assert keyfigures.extract(nb) == {"gd": GD, "mz": {**MZ, "value": 100}}
