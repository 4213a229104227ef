"""Report defaults are declared once, in the notebook's parameters cell, and read from there."""

import json

import pandas as pd
import pytest

from gba_report.reports.base import insert_after, notebook_defaults


def _notebook(path, source, tags=("parameters",)):
    cell = {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": source}
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# T"}, cell]}))
    return path


def test_defaults_are_the_literals_of_the_parameters_cell(tmp_path):
    nb = _notebook(
        tmp_path / "r.ipynb",
        [
            'lang: str = "en"  # Language [choices: en, zh-Hant]\n',
            'codes: list = ["HK", "MO"]  # Regions\n',
            "start_year: int = 2010  # First year [range: 2010..2024]\n",
            "include: bool = True  # Show all\n",
        ],
    )
    assert notebook_defaults(nb) == {
        "lang": "en",
        "codes": ["HK", "MO"],
        "start_year": 2010,
        "include": True,
    }


def test_a_notebook_without_a_usable_parameters_cell_is_named(tmp_path):
    with pytest.raises(ValueError, match="no code cell is tagged 'parameters'"):
        notebook_defaults(_notebook(tmp_path / "a.ipynb", "x: int = 1", tags=()))
    with pytest.raises(ValueError, match="'x' is not a literal"):
        notebook_defaults(_notebook(tmp_path / "b.ipynb", "x: int = len('ab')"))
    with pytest.raises(ValueError, match="cannot read the notebook"):
        notebook_defaults(tmp_path / "missing.ipynb")


def test_insert_after_places_the_new_column():
    frame = pd.DataFrame({"region_code": ["GD"], "year": [2024]})
    out = insert_after(frame, "region_code", "region_name", ["Guangdong"])
    assert list(out.columns) == ["region_code", "region_name", "year"]
    assert list(frame.columns) == ["region_code", "year"]  # the input is left alone
