"""Fixtures of the data tier: the loaded tables, and copies of data/ with exactly one defect."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from data_defects import Broken, make_broken

from gba_report import data


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    """Every curated table as loaded from data/ (rd_intensity as load_rd_intensity gives it)."""
    out = {name: data.load(name) for name in data.dataset_names()}
    out["rd_intensity"] = data.load_rd_intensity()
    return out


@pytest.fixture
def broken_data(request: pytest.FixtureRequest, tmp_path: Path) -> Broken:
    """A copy of data/ with the one defect named by the test's parameter (indirect)."""
    return make_broken(tmp_path / f"data_broken_{request.param}", request.param)
