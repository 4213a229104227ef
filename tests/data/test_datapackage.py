"""data/datapackage.json is a valid Frictionless Data Package, generated and kept up to date."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gba_report import data, paths
from gba_report.data import datapackage, metadata

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def test_frictionless_validate_passes() -> None:
    assert FRICTIONLESS.is_file(), "frictionless is a dev dependency: run make setup"
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=paths.data_dir(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stdout)
    errors = [e["message"] for task in report["tasks"] for e in task["errors"]][:5]
    assert report["valid"] and result.returncode == 0, errors
    assert {t["name"] for t in report["tasks"]} == set(data.dataset_names())


def test_datapackage_is_up_to_date() -> None:
    committed = (paths.data_dir() / datapackage.DESCRIPTOR).read_text(encoding="utf-8")
    assert committed == datapackage.descriptor_text(), "run scripts/write_codebook.py"


def test_codebook_is_up_to_date() -> None:
    codebook = (paths.data_dir() / "CODEBOOK.md").read_text(encoding="utf-8")
    assert codebook == metadata.codebook_markdown(), "run scripts/write_codebook.py"
    for name in data.dataset_names():
        assert f"## {name}" in codebook


def test_descriptor_has_schemas_keys_units_origins_and_licences() -> None:
    package = json.loads((paths.data_dir() / datapackage.DESCRIPTOR).read_text("utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    rd = resources["rd_intensity"]
    assert rd["schema"]["primaryKey"] == ["region_code", "year", "series", "vintage"]
    assert {
        "fields": ["region_code"],
        "reference": {"resource": "regions", "fields": ["region_code"]},
    } in rd["schema"]["foreignKeys"]  # noqa: E501
    fields = {f["name"]: f for f in rd["schema"]["fields"]}
    assert fields["rd_intensity_pct_gdp"]["unit"] == "percent of GDP"
    assert fields["rd_intensity_pct_gdp"]["constraints"] == {"minimum": 0, "maximum": 10}
    assert "cn_gdp_census5" in fields["basis"]["constraints"]["enum"]
    nbs = next(s for s in rd["sources"] if s["id"] == "nbs-communique-2024")
    assert nbs["path"].startswith("https://www.stats.gov.cn/")
    assert nbs["retrieval"]["kind"] == "verbatim_copy"
    assert all(r["licenses"] for r in package["resources"])
    ranks = resources["gii_cluster_ranks"]["schema"]
    assert {
        "fields": ["cluster_code"],
        "reference": {"resource": "clusters", "fields": ["cluster_code"]},
    } in ranks["foreignKeys"]  # noqa: E501
