"""Bad data gets a clear error: each broken fixture fails with file, row, column and rule named.

Each tests/fixtures/data_broken_<case>/ is a full copy of tests/fixtures/data_minimal/ with one
defect (see tests/fixtures/make_data_fixtures.py). Every case is checked twice: through the
command line (``gba-report validate --data-dir``, in a subprocess) and through the loader API.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gba_report import data
from gba_report.data import metadata
from gba_report.data.errors import DataError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "data_minimal"

# case -> (file named, row text, column named, rule)
CASES = {
    "malformed_csv": ("rd_intensity.csv", "row 2 (line 3)", "column series", "csv-syntax"),
    "missing_column": (
        "rd_intensity.csv",
        "header row (line 1)",
        "column rd_intensity_pct_gdp",
        "required-column",
    ),
    "renamed_column": (
        "rd_intensity.csv",
        "header row (line 1)",
        "column rd_intensity_pct_gdp",
        "required-column",
    ),
    "non_numeric": ("rd_intensity.csv", "row 2 (line 3)", "column rd_intensity_pct_gdp", "numeric"),
    "duplicate_key": (
        "rd_intensity.csv",
        "row 3 (line 4)",
        "column region_code, year, series",
        "unique-key",
    ),
    "out_of_range": ("rd_intensity.csv", "row 2 (line 3)", "column rd_intensity_pct_gdp", "range"),
    # a missing file has no row or column: the message names the file and the rule
    "missing_sidecar": ("rd_intensity.meta.yml", None, None, "sidecar-exists"),
    # a sidecar has no data rows: the message names the YAML line and the column documented there
    "incomplete_sidecar": (
        "rd_intensity.meta.yml",
        "line 25",
        "column rd_intensity_pct_gdp",
        "sidecar-column",
    ),
}


def _cli(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GBA_REPORT_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "gba_report.cli", "validate", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _assert_names(message: str, case: str) -> None:
    file, row, column, rule = CASES[case]
    line = next((ln for ln in message.splitlines() if f"(rule: {rule})" in ln), None)
    assert line is not None, f"no line with rule {rule} in:\n{message}"
    assert f"data_broken_{case}/{file}" in line or f"data_broken_{case}{os.sep}{file}" in line
    if row is not None:
        assert row in line, line
    if column is not None:
        assert column in line, line
    assert "Traceback" not in message


def test_minimal_fixture_is_valid() -> None:
    result = _cli(MINIMAL)
    assert result.returncode == 0, result.stderr
    assert "ok  rd_intensity  4 rows  10 columns  latest 2024  accessed 2026-11-29" in result.stdout


def test_every_case_has_a_fixture() -> None:
    for case in CASES:
        assert (FIXTURES / f"data_broken_{case}").is_dir(), case


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_cli_fails_and_names_location(case: str) -> None:
    result = _cli(FIXTURES / f"data_broken_{case}")
    assert result.returncode == 1
    _assert_names(result.stdout + result.stderr, case)


@pytest.mark.parametrize("case", sorted(c for c in CASES if CASES[c][0].endswith(".csv")))
def test_loader_raises_data_error(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(FIXTURES / f"data_broken_{case}"))
    with pytest.raises(DataError) as info:
        data.load_rd_intensity()
    err = info.value
    file, _, column, rule = CASES[case]
    assert Path(err.file).name == file
    assert rule in {e.rule for e in err.errors}
    _assert_names(str(err), case)
    if column is not None:
        assert column.removeprefix("column ") in {e.column for e in err.errors}


@pytest.mark.parametrize("case", ["missing_sidecar", "incomplete_sidecar"])
def test_load_metadata_raises_data_error(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(FIXTURES / f"data_broken_{case}"))
    with pytest.raises(DataError) as info:
        data.load_metadata("rd_intensity")
    _assert_names(str(info.value), case)
    # the CSV itself is fine in these cases
    assert len(data.load_rd_intensity()) == 4


def test_other_tables_still_load_from_a_broken_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(FIXTURES / "data_broken_non_numeric"))
    assert len(data.load_regions()) == 4


def test_missing_file_is_reported(tmp_path: Path) -> None:
    result = _cli(tmp_path)
    assert result.returncode == 1
    assert "rd_intensity.csv: file is missing (rule: file-exists)" in result.stderr


def test_bad_value_in_code_column_names_foreign_key(tmp_path: Path, monkeypatch) -> None:
    import shutil

    target = tmp_path / "d"
    shutil.copytree(MINIMAL, target)
    path = target / "rd_intensity.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("HK,2024", "XX,2024"), "utf-8")
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(target))
    with pytest.raises(DataError) as info:
        data.load_rd_intensity()
    assert info.value.rule == "foreign-key"
    assert info.value.row == 4 and info.value.line == 5
    assert info.value.column == "region_code"


def test_sidecar_type_must_match_schema(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "d"
    shutil.copytree(MINIMAL, target)
    path = target / "rd_intensity.meta.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("type: integer", "type: string", 1), "utf-8")
    meta = metadata.read_sidecar("rd_intensity", target)
    errors = metadata.check_sidecar("rd_intensity", meta, list(meta["columns"]), None, target)
    assert [e.rule for e in errors] == ["sidecar-type"]
    assert errors[0].column == "year"


def test_unknown_source_id_is_reported(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "d"
    shutil.copytree(MINIMAL, target)
    path = target / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",src-a,", ",src-zz,"), "utf-8")
    result = _cli(target)
    assert result.returncode == 1
    assert 'clusters.csv, row 1, column source_id: source "src-zz" is not in sources.csv' in (
        result.stderr
    )
    assert "(rule: source-exists)" in result.stderr
