"""Bad data gets a clear error: each broken copy fails with file, row, column and rule named.

Each case is a copy of the real data/ with exactly one defect, made in a temporary folder by the
``broken_data`` fixture (tests/data/conftest.py). Every case is checked twice: through the
command line (``gba-report validate --data-dir``, in a subprocess) and through the loader API.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from data_defects import CASES, Broken

from gba_report import data, paths
from gba_report.data import metadata
from gba_report.data.errors import DataError


def _cli(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GBA_REPORT_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "gba_report.cli", "validate", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _assert_names(message: str, broken: Broken) -> None:
    line = next((ln for ln in message.splitlines() if f"(rule: {broken.rule})" in ln), None)
    assert line is not None, f"no line with rule {broken.rule} in:\n{message}"
    folder = broken.path.name
    assert f"{folder}/{broken.file}" in line or f"{folder}{os.sep}{broken.file}" in line, line
    if broken.row is not None:
        assert broken.row in line, line
    if broken.column is not None:
        assert broken.column in line, line
    assert "Traceback" not in message


@pytest.mark.parametrize("broken_data", sorted(CASES), indirect=True)
def test_validate_cli_fails_and_names_location(broken_data: Broken) -> None:
    result = _cli(broken_data.path)
    assert result.returncode == 1
    _assert_names(result.stdout + result.stderr, broken_data)


@pytest.mark.parametrize(
    "broken_data", sorted(c for c in CASES if CASES[c][0].endswith(".csv")), indirect=True
)
def test_loader_raises_data_error(broken_data: Broken, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(broken_data.path))
    with pytest.raises(DataError) as info:
        data.load_rd_intensity()
    err = info.value
    assert Path(err.file).name == broken_data.file
    assert broken_data.rule in {e.rule for e in err.errors}
    _assert_names(str(err), broken_data)
    assert broken_data.column.removeprefix("column ") in {e.column for e in err.errors}


@pytest.mark.parametrize("broken_data", ["missing_sidecar", "incomplete_sidecar"], indirect=True)
def test_load_metadata_raises_data_error(broken_data: Broken, monkeypatch) -> None:
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(broken_data.path))
    with pytest.raises(DataError) as info:
        data.load_metadata("rd_intensity")
    _assert_names(str(info.value), broken_data)
    # the CSV itself is fine in these cases: 566 rows written by the build, as committed
    rows = (paths.data_dir() / "rd_intensity.csv").read_text(encoding="utf-8").count("\n") - 1
    assert len(data.load("rd_intensity")) == rows


@pytest.mark.parametrize("broken_data", ["non_numeric"], indirect=True)
def test_other_tables_still_load_from_a_broken_folder(broken_data: Broken, monkeypatch) -> None:
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(broken_data.path))
    assert set(data.load_regions()["region_code"]) >= {"CN", "GD", "HK", "MO"}


def test_missing_file_is_reported(tmp_path: Path) -> None:
    result = _cli(tmp_path)
    assert result.returncode == 1
    assert "rd_intensity.csv: file is missing (rule: file-exists)" in result.stderr


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "d"
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("curation"))
    return target


def test_bad_value_in_code_column_names_foreign_key(tmp_path: Path, monkeypatch) -> None:
    target = _copy(tmp_path)
    path = target / "rd_intensity.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[4].startswith("AH,2013,")  # data row 4 is line 5
    lines[4] = "XX" + lines[4][2:]
    path.write_text("\n".join(lines), "utf-8")
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(target))
    with pytest.raises(DataError) as info:
        data.load_rd_intensity()
    assert info.value.rule == "foreign-key"
    assert info.value.row == 4 and info.value.line == 5
    assert info.value.column == "region_code"


def test_sidecar_type_must_match_schema(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    path = target / "rd_intensity.meta.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("type: integer", "type: string", 1), "utf-8")
    meta = metadata.read_sidecar("rd_intensity", target)
    errors = metadata.check_sidecar("rd_intensity", meta, list(meta["columns"]), None, target)
    assert [e.rule for e in errors] == ["sidecar-type"]
    assert errors[0].column == "year"


def test_unknown_source_id_is_reported(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    path = target / "targets.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("amcham-scc-white-paper-2023") == 3
    path.write_text(text.replace("amcham-scc-white-paper-2023", "src-zz", 1), "utf-8")
    result = _cli(target)
    assert result.returncode == 1
    assert 'targets.csv, row 1, column source_id: source "src-zz" is not in sources.csv' in (
        result.stderr
    )
    assert "(rule: source-exists)" in result.stderr


def test_confidence_against_the_rule_is_reported(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    path = target / "targets.csv"
    text = path.read_text(encoding="utf-8")
    # an AmCham white paper (third party) can give 'secondary' at most
    assert ",amcham-scc-white-paper-2023,secondary," in text
    path.write_text(text.replace(",secondary,", ",verified,", 1), "utf-8")
    result = _cli(target)
    assert result.returncode == 1
    line = next(ln for ln in result.stderr.splitlines() if "confidence-rule" in ln)
    assert "targets.csv, row 1" in line and "column confidence" in line
    assert 'value "verified" but the rule gives "secondary"' in line
