import math

import numpy as np

from gba_report import keyfigures


def test_payload_cleans_numpy_and_nan_and_sorts_keys():
    data = keyfigures.payload(
        "rd_intensity",
        "en",
        {"b": {"value": np.float64(3.6), "unit": "%"}, "a": {"value": math.nan, "unit": "x"}},
    )
    assert list(data["figures"]) == ["a", "b"]
    assert data["figures"]["a"]["value"] is None
    assert type(data["figures"]["b"]["value"]) is float and data["figures"]["b"]["value"] == 3.6


def test_record_returns_nothing_so_a_notebook_shows_it_once():
    assert keyfigures.record("r", "en", {"k": {"value": 1, "unit": "", "label": "k"}}) is None


def test_extract_reads_figures_back_from_an_executed_notebook():
    fig = {"value": 98, "unit": "rank", "label": "Macao–Zhuhai"}
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "x"},
            {"cell_type": "code", "outputs": [{"output_type": "stream", "text": "hi"}]},
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {keyfigures.MIME_TYPE: keyfigures.payload("c", "en", {"mz": fig})},
                    }
                ],
            },
        ]
    }
    assert keyfigures.extract(nb) == {"mz": fig}
    assert keyfigures.extract({"cells": []}) == {}
