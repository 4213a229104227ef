"""One-defect copies of data/ for the validation tests (used by conftest.broken_data)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from gba_report import paths

#: The table every broken copy is broken in, and the sidecar of it.
TABLE = "rd_intensity"


@dataclass(frozen=True)
class Broken:
    """A copy of data/ with one defect, and where the error message must point.

    Attributes:
        path: The copied data folder.
        case: Name of the defect.
        file: File the message must name.
        row: Row text the message must contain (``row 2 (line 3)``), or None.
        column: Column text the message must contain, or None.
        rule: The rule the message must name.
    """

    path: Path
    case: str
    file: str
    row: str | None
    column: str | None
    rule: str


def _rewrite_csv(path: Path, edit) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _set_cell(column: str, row_number: int, value: str):
    def edit(rows: list[list[str]]) -> list[list[str]]:
        rows[row_number][rows[0].index(column)] = value
        return rows

    return edit


def _drop_column(column: str):
    def edit(rows: list[list[str]]) -> list[list[str]]:
        i = rows[0].index(column)
        return [r[:i] + r[i + 1 :] for r in rows]

    return edit


def _rename_header(old: str, new: str):
    def edit(rows: list[list[str]]) -> list[list[str]]:
        rows[0][rows[0].index(old)] = new
        return rows

    return edit


def _duplicate_row(source: int, target: int):
    def edit(rows: list[list[str]]) -> list[list[str]]:
        rows[target] = list(rows[source])
        return rows

    return edit


def _unclosed_quote(path: Path) -> None:
    """Open a quote in the ``series`` field of data row 2 that is never closed."""
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[2].split(",")
    header = lines[0].split(",")
    fields[header.index("series")] = '"' + fields[header.index("series")]
    lines[2] = ",".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")


def _sidecar_column_line(path: Path, column: str) -> int:
    """1-based line of ``columns.<column>`` in the sidecar (read from the file, not the code)."""
    in_columns = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(r"^columns:", line):
            in_columns = True
        elif in_columns and re.match(rf"^\s+{column}:\s*$", line):
            return number
    raise AssertionError(f"{column} not documented in {path}")


def _drop_description(path: Path, column: str) -> int:
    line = _sidecar_column_line(path, column)
    lines = path.read_text(encoding="utf-8").split("\n")
    # the entry's "description:" line (and its continuation lines) follow the column key
    i = line
    assert lines[i].strip().startswith("description:"), lines[i]
    j = i + 1
    while lines[j].startswith(" " * 6) and not lines[j].strip().startswith(("unit:", "type:")):
        j += 1
    del lines[i:j]
    path.write_text("\n".join(lines), encoding="utf-8")
    return line


#: case -> (what the message names: file, row, column, rule)
CASES: dict[str, tuple[str, str | None, str | None, str]] = {
    "malformed_csv": (f"{TABLE}.csv", "row 2 (line 3)", "column series", "csv-syntax"),
    "missing_column": (
        f"{TABLE}.csv",
        "header row (line 1)",
        "column rd_intensity_pct_gdp",
        "required-column",
    ),
    "renamed_column": (
        f"{TABLE}.csv",
        "header row (line 1)",
        "column rd_intensity_pct_gdp",
        "required-column",
    ),
    "non_numeric": (f"{TABLE}.csv", "row 2 (line 3)", "column rd_intensity_pct_gdp", "numeric"),
    "duplicate_key": (
        f"{TABLE}.csv",
        "row 3 (line 4)",
        "column region_code, year, series, vintage",
        "unique-key",
    ),
    "out_of_range": (f"{TABLE}.csv", "row 2 (line 3)", "column rd_intensity_pct_gdp", "range"),
    # a missing file has no row or column: the message names the file and the rule
    "missing_sidecar": (f"{TABLE}.meta.yml", None, None, "sidecar-exists"),
    # a sidecar has no data rows: the message names the YAML line and the column documented there
    "incomplete_sidecar": (
        f"{TABLE}.meta.yml",
        "line ?",
        "column rd_intensity_pct_gdp",
        "sidecar-column",
    ),
}


def make_broken(target: Path, case: str) -> Broken:
    """Copy data/ to ``target`` and apply the one defect ``case``."""
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("curation"))
    csv_path, sidecar = target / f"{TABLE}.csv", target / f"{TABLE}.meta.yml"
    file, row, column, rule = CASES[case]
    if case == "malformed_csv":
        _unclosed_quote(csv_path)
    elif case == "missing_column":
        _rewrite_csv(csv_path, _drop_column("rd_intensity_pct_gdp"))
    elif case == "renamed_column":
        _rewrite_csv(csv_path, _rename_header("rd_intensity_pct_gdp", "rd_intensity_pct"))
    elif case == "non_numeric":
        _rewrite_csv(csv_path, _set_cell("rd_intensity_pct_gdp", 2, "abc"))
    elif case == "duplicate_key":
        _rewrite_csv(csv_path, _duplicate_row(2, 3))
    elif case == "out_of_range":
        _rewrite_csv(csv_path, _set_cell("rd_intensity_pct_gdp", 2, "42"))
    elif case == "missing_sidecar":
        sidecar.unlink()
    elif case == "incomplete_sidecar":
        row = f"line {_drop_description(sidecar, 'rd_intensity_pct_gdp')}"
    return Broken(target, case, file, row, column, rule)
