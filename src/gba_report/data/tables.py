"""Loaders of the curated datasets: one function per table, each returning a validated frame.

Every loader reads ``paths.data_dir()`` at call time, parses each cell into its declared type
(integers as ``Int64``, numbers as ``Float64``, flags as ``bool``, codes and text as ``str``,
empty text as ``""``), checks the table with its pandera schema (:mod:`gba_report.data.schemas`) and
raises :class:`gba_report.data.errors.DataError` naming file, row (and file line), column, rule and
what to do. No pandas or pandera traceback reaches the user.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from gba_report import paths
from gba_report.data import metadata, validated_cache
from gba_report.data.errors import DataError, raise_if_any
from gba_report.data.schemas import (
    DATASET_ORDER,
    PANDAS_DTYPES,
    TABLES,
    VINTAGES,
    Col,
    build_schema,
    describe_check,
)
from gba_report.timing import timed

__all__ = [
    "data_files",
    "data_version",
    "dataset_names",
    "load",
    "load_article_claims",
    "load_clusters",
    "load_crossborder_funding",
    "load_gii_cluster_ranks",
    "load_gii_clusters_per_economy",
    "load_gii_economy_ranks",
    "load_gii_methodology",
    "load_hk_gerd_by_sector",
    "load_metadata",
    "load_rd_intensity",
    "load_regions",
    "load_shared_facilities",
    "load_sources",
    "load_targets",
    "load_exchange_rates",
    "load_fx_year_end",
    "load_rd_intensity_worldbank",
    "read_table",
    "validate_all",
]

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
_INT = re.compile(r"^[+-]?\d+$")
#: How many problems of one table are reported before the rest are summarised.
MAX_ERRORS = 50


def dataset_names() -> list[str]:
    """Return the names of every curated dataset, code lists first (``sources`` included)."""
    return list(DATASET_ORDER)


def data_files(data_dir: Path | None = None) -> list[Path]:
    """Return every file in the data folder (CSVs, sidecars, anything else), sorted."""
    data_dir = data_dir or paths.data_dir()
    if not data_dir.is_dir():
        return []
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and not _ignored(p))


def _ignored(path: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in path.parts[-2:])


def data_version(data_dir: Path | None = None) -> str:
    """Return a short sha256 over the names and contents of every file in the data folder.

    Args:
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).

    Returns:
        12 hexadecimal characters; any change to any data file changes it.
    """
    data_dir = data_dir or paths.data_dir()
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def load_metadata(name: str) -> dict[str, Any]:
    """Return the checked metadata sidecar of dataset ``name`` (:mod:`gba_report.data.metadata`).

    Args:
        name: Dataset name, e.g. ``rd_intensity``.

    Returns:
        The sidecar as a dict.

    Raises:
        DataError: When the sidecar is missing or incomplete.
    """
    if name not in TABLES:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(dataset_names())}")
    return metadata.load_metadata(name, paths.data_dir())


# --------------------------------------------------------------------------- CSV parsing


def _read_records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read a CSV strictly; return its header and (start line, fields) of each data row."""
    if not path.is_file():
        raise DataError(path, rule="file-exists", detail="file is missing")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataError(path, rule="encoding", line=line, detail="is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    next_line = 1
    try:
        for fields in reader:
            start, next_line = next_line, reader.line_num + 1
            if not fields or all(f.strip() == "" for f in fields) and len(fields) <= 1:
                continue  # blank line
            if header is None:
                header = [f.strip() for f in fields]
            else:
                records.append((start, fields))
    except csv.Error as exc:
        raw_lines = text.splitlines()
        raw = raw_lines[next_line - 1] if next_line - 1 < len(raw_lines) else ""
        column = None
        if header is not None and '"' in raw:
            position = raw[: raw.index('"')].count(",")
            column = header[position] if position < len(header) else None
        raise DataError(
            path,
            len(records) + 1 if header is not None else 0,
            column,
            rule="csv-syntax",
            line=next_line,
            detail=f"the CSV cannot be parsed from this row on ({exc}; a quote opened here "
            "may never be closed)",
        ) from None
    if header is None:
        raise DataError(path, rule="empty-table", line=1, detail="file has no header row")
    return header, records


def _check_header(path: Path, name: str, header: list[str]) -> list[DataError]:
    table = TABLES[name]
    errors: list[DataError] = []
    seen: set[str] = set()
    for position, col in enumerate(header, start=1):
        if col == "":
            errors.append(
                DataError(
                    path,
                    0,
                    f"#{position} (no name)",
                    rule="column-name",
                    line=1,
                    hint="Remove the stray comma from the header and the rows, or name the column.",
                    detail="header has a column without a name (a trailing comma?)",
                )
            )
            continue
        if col in seen:
            errors.append(
                DataError(
                    path, 0, col, rule="duplicate-column", line=1, detail="column appears twice"
                )
            )
        seen.add(col)
    unknown = [c for c in header if c not in table.column_names]
    for col in table.columns:
        if col.name in seen or col.optional:
            continue
        close = difflib.get_close_matches(col.name, unknown, n=1, cutoff=0.6)
        hint = (
            f'The header has "{close[0]}" instead: rename it back to "{col.name}".'
            if close
            else None
        )
        errors.append(
            DataError(
                path,
                0,
                col.name,
                rule="required-column",
                line=1,
                hint=hint,
                detail="required column is missing from the header"
                + (f' (renamed to "{close[0]}"?)' if close else ""),
            )
        )
    return errors


def _parse_cell(col: Col, value: str) -> tuple[Any, str | None]:
    """Parse one cell; return (value, problem) where problem is (rule) on failure."""
    text = value.strip()
    if col.type in ("string", "date"):
        return text, None
    if text == "":
        if col.type == "boolean":
            return False, "required"
        return None, ("required" if col.required else None)
    if col.type == "boolean":
        low = text.lower()
        if low in _TRUE:
            return True, None
        if low in _FALSE:
            return False, None
        return False, "boolean"
    if col.type == "integer":
        if _INT.match(text):
            number = int(text)
            return (number, None) if abs(number) < 2**63 else (None, "range")
        return None, "integer"
    try:
        number = float(text)
    except ValueError:
        return None, "numeric"
    if math.isnan(number) or math.isinf(number):
        return None, "numeric"
    return number, None


_PARSE_DETAIL = {
    "numeric": 'value "{v}" is not a number',
    "integer": 'value "{v}" is not a whole number',
    "boolean": 'value "{v}" is not True or False',
    "required": "value is empty but this column is required",
    "range": 'value "{v}" is far outside the allowed range',
}


def read_table(
    name: str, data_dir: Path | None = None, codes: dict[str, set[str]] | None = None
) -> pd.DataFrame:
    """Read, type and validate table ``name``.

    Args:
        name: Dataset name (a key of :data:`gba_report.data.schemas.TABLES`).
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).
        codes: Codes of the code lists for foreign keys (default: read ``regions.csv`` and
            ``clusters.csv`` when the table refers to them).

    Returns:
        The validated frame, columns in schema order (plus any extra documented columns).

    Raises:
        DataError: Naming file, row (and line), column and rule of every problem found.
    """
    if name not in TABLES:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(dataset_names())}")
    data_dir = data_dir or paths.data_dir()
    path = data_dir / f"{name}.csv"
    store = validated_cache.store() if codes is None else None
    key = validated_cache.key(name, data_dir, _refs(name)) if store is not None else None
    if store is None or key is None:
        return _read_and_validate(name, data_dir, path, codes)
    # One thread validates a table; another loading it meanwhile (the build's freshness check
    # and its validating thread) waits and reads the result instead of validating it again.
    with validated_cache.lock(key):
        with timed("data_cached", name):
            frame = validated_cache.read(store, key)
        if frame is None:
            frame = _read_and_validate(name, data_dir, path, codes)
            validated_cache.write(store, key, frame)
    return frame


def _read_and_validate(
    name: str, data_dir: Path, path: Path, codes: dict[str, set[str]] | None
) -> pd.DataFrame:
    """Parse, type and validate table ``name`` (see :func:`read_table`)."""
    with timed("data_parse", name):
        frame, lines = _parse_table(name, path)
    if codes is None:
        codes = _codes_for(name, data_dir, path)
    if name == "regions":
        codes = {**codes, "regions": set(frame["region_code"])}
    with timed("data_validate", name):
        _validate(frame, name, path, lines, codes)
    return frame


def _parse_table(name: str, path: Path) -> tuple[pd.DataFrame, list[int]]:
    """Read and type table ``name`` from ``path``; return the frame and each row's file line."""
    table = TABLES[name]
    header, records = _read_records(path)
    errors = _check_header(path, name, header)
    if any(e.rule in ("required-column", "duplicate-column", "column-name") for e in errors):
        raise_if_any(errors)

    width = len(header)
    specs = {c.name: c for c in table.columns}
    columns: dict[str, list[Any]] = {c: [] for c in header}
    lines: list[int] = []
    for row_number, (line, fields) in enumerate(records, start=1):
        if len(fields) != width:
            errors.append(
                DataError(
                    path,
                    row_number,
                    header[len(fields)] if len(fields) < width else f"(beyond {header[-1]})",
                    rule="field-count",
                    line=line,
                    detail=f"row has {len(fields)} fields but the header has {width}",
                )
            )
            continue
        lines.append(line)
        for col_name, value in zip(header, fields, strict=True):
            spec = specs.get(col_name, Col(col_name))
            parsed, problem = _parse_cell(spec, value)
            if problem:
                errors.append(
                    DataError(
                        path,
                        row_number,
                        col_name,
                        problem,
                        line=line,
                        detail=_PARSE_DETAIL[problem].format(v=value),
                    )
                )
            columns[col_name].append(parsed)
    raise_if_any(_truncate(errors))
    if not lines:
        raise DataError(path, rule="empty-table", line=2, detail="table has no data rows")

    try:
        frame = pd.DataFrame(
            {
                c: pd.Series(v, dtype=PANDAS_DTYPES[specs[c].type] if c in specs else "str")
                for c, v in columns.items()
            }
        )
    except (ValueError, TypeError, OverflowError) as exc:  # pragma: no cover - cells are parsed
        raise DataError(
            path, rule="type", detail=f"values cannot be read into typed columns ({exc})"
        ) from None
    ordered = [c for c in table.column_names if c in frame.columns]
    return frame[ordered + [c for c in frame.columns if c not in ordered]], lines


def _refs(name: str) -> list[str]:
    """The code lists table ``name`` refers to (foreign keys), sorted."""
    return sorted({c.ref for c in TABLES[name].columns if c.ref and c.ref != name})


def _truncate(errors: list[DataError]) -> list[DataError]:
    if len(errors) <= MAX_ERRORS:
        return errors
    rest = len(errors) - MAX_ERRORS
    first = errors[0]
    return errors[:MAX_ERRORS] + [
        DataError(
            first.file,
            rule="more-errors",
            hint="Fix the problems above and validate again.",
            detail=f"{rest} more problem(s) not shown",
        )
    ]


def _codes_for(name: str, data_dir: Path, path: Path) -> dict[str, set[str]]:
    """Read the code lists that table ``name`` refers to."""
    codes: dict[str, set[str]] = {}
    for ref in _refs(name):
        key_col = TABLES[ref].keys[0][0]
        try:
            codes[ref] = set(read_table(ref, data_dir, codes={})[key_col])
        except DataError as exc:
            raise DataError(
                path,
                column=next(c.name for c in TABLES[name].columns if c.ref == ref),
                rule="foreign-key",
                hint=f"Fix {ref}.csv first.",
                detail=f"cannot check codes against {ref}.csv: {exc.detail} "
                f"({exc.location()}, rule {exc.rule})",
            ) from None
    return codes


def _validate(
    frame: pd.DataFrame, name: str, path: Path, lines: list[int], codes: dict[str, set[str]]
) -> None:
    """Run the pandera schema; turn its failure cases into DataErrors."""
    # Deferred like pandera itself (schemas.build_schema): tables read from the validated
    # cache never import it.
    import pandera.errors as pa_errors

    schema, index = build_schema(name, list(frame.columns), codes)
    try:
        schema.validate(frame, lazy=True)
        return
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
    except (pa_errors.SchemaError, pa_errors.SchemaDefinitionError) as exc:
        raise DataError(path, rule="schema", detail=f"schema check failed ({exc})") from None
    errors: list[DataError] = []
    table = TABLES[name]
    for case in cases.to_dict("records"):
        idx = case.get("index")
        row = int(idx) + 1 if idx is not None and not pd.isna(idx) else None
        line = lines[row - 1] if row is not None and row <= len(lines) else None
        column = case.get("column")
        check = str(case.get("check") or "")
        value = case.get("failure_case")
        if check.startswith("unique_key:"):
            key = check.split(":", 1)[1].split(",")
            if row is None:
                continue
            values = ", ".join(f"{k}={frame.iloc[row - 1][k]}" for k in key)
            errors.append(
                DataError(
                    path,
                    row,
                    ", ".join(key),
                    "unique-key",
                    line=line,
                    detail=f"duplicate key ({values}) already appears in an earlier row",
                )
            )
            continue
        number = case.get("check_number")
        spec_kind = None
        if column is not None and number is not None and not pd.isna(number):
            spec_kind = index.get((column, int(number)))
        if spec_kind is None or spec_kind[0] is None:
            rule, what = "type", f"fails check {check}"
            if "dtype" in check:
                rule = "type"
        else:
            rule, what = describe_check(spec_kind[0], spec_kind[1])
        shown = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        detail = (
            f"value is empty but {what}" if rule == "required" else f'value "{_fmt(shown)}" {what}'
        )
        errors.append(DataError(path, row, column, rule, line=line, detail=detail))
    unique: dict[tuple[Any, ...], DataError] = {}
    for err in errors:
        unique.setdefault((err.row, err.column, err.rule, err.detail), err)
    errors = list(unique.values())
    if not errors:  # pragma: no cover - pandera reported something we could not place
        errors.append(DataError(path, rule="schema", detail=f"schema check failed: {cases}"))
    errors.sort(
        key=lambda e: (
            (e.row or 0, table.column_names.index(e.column))
            if e.column in table.column_names
            else (e.row or 0, 999)
        )
    )
    raise_if_any(_truncate(errors))


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)


# --------------------------------------------------------------------------- loaders


def load(name: str) -> pd.DataFrame:
    """Load dataset ``name`` from ``paths.data_dir()``, typed and validated.

    Args:
        name: One of :func:`dataset_names`.

    Returns:
        The validated frame.

    Raises:
        DataError: When the file breaks a rule.
    """
    return read_table(name, paths.data_dir())


def validate_all() -> list[str]:
    """Load every dataset once, so the validated cache holds each (see :mod:`.validated_cache`).

    Run by the build engine while its first kernels start. A table that fails is left out:
    the kernel that loads it reports the problem (file, row, column, rule) as usual.

    Returns:
        The datasets now stored.
    """
    done = []
    for name in dataset_names():
        if validated_cache.store() is None:  # the build is over: nothing would be kept
            break
        try:
            load(name)
        except DataError:
            continue
        done.append(name)
    return done


def load_sources() -> pd.DataFrame:
    """Source catalogue: source_id, publisher, title, url, date_accessed, licence_note, note."""
    return load("sources")


def load_regions() -> pd.DataFrame:
    """Region code list: region_code, region_type, name_en, name_zh_hant, parent_code, is_gba."""
    return load("regions")


def load_rd_intensity() -> pd.DataFrame:
    """R&D expenditure (RMB 100 m) and intensity (% of GDP) by region, year, series and vintage.

    The curated table and the World Bank table (``rd_intensity_worldbank``, written only by the
    World Bank refresh) together, sorted by region, series and year. Compare values only within
    one ``basis``; ``vintage`` says first release, revised, provisional, estimate or latest.
    """
    frames = [load("rd_intensity")]
    if (paths.data_dir() / "rd_intensity_worldbank.csv").is_file():
        frames.append(load("rd_intensity_worldbank"))
    frame = pd.concat(frames, ignore_index=True)
    order = frame["vintage"].map({v: i for i, v in enumerate(VINTAGES)})
    return (
        frame.assign(_order=order)
        .sort_values(["region_code", "series", "year", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def load_rd_intensity_worldbank() -> pd.DataFrame:
    """World Bank WDI R&D intensity rows only (also part of :func:`load_rd_intensity`)."""
    return load("rd_intensity_worldbank")


def load_hk_gerd_by_sector() -> pd.DataFrame:
    """Hong Kong gross domestic expenditure on R&D (HK$ million) by performing sector."""
    return load("hk_gerd_by_sector")


def load_crossborder_funding() -> pd.DataFrame:
    """Dated milestones of research funding crossing from the mainland to Hong Kong and Macao."""
    return load("crossborder_funding")


def load_shared_facilities() -> pd.DataFrame:
    """Figures on big facilities shared with Hong Kong and Macao (core-hours, experiments...)."""
    return load("shared_facilities")


def load_clusters() -> pd.DataFrame:
    """Cluster code list: cluster_code, name_en, name_zh_hant, economy_codes, is_gba."""
    return load("clusters")


def load_gii_cluster_ranks() -> pd.DataFrame:
    """WIPO GII cluster ranks, one row per edition and cluster, with counts and shares."""
    return load("gii_cluster_ranks")


def load_gii_methodology() -> pd.DataFrame:
    """Changes to the GII cluster method by edition (bilingual descriptions)."""
    return load("gii_methodology")


def load_gii_economy_ranks() -> pd.DataFrame:
    """Economy-level GII rank and score by edition."""
    return load("gii_economy_ranks")


def load_gii_clusters_per_economy() -> pd.DataFrame:
    """Number of top-100 GII clusters per economy and edition."""
    return load("gii_clusters_per_economy")


def load_article_claims() -> pd.DataFrame:
    """The source article's claims C1-C23 with their status and what the data says."""
    return load("article_claims")


def load_targets() -> pd.DataFrame:
    """Quantified policy targets for R&D (e.g. Guangdong's 14th Five-Year Plan)."""
    return load("targets")


def load_exchange_rates() -> pd.DataFrame:
    """Currency pairs stated by sources (not official rates), for converting quoted amounts."""
    return load("exchange_rates")


def load_fx_year_end() -> pd.DataFrame:
    """Official year-end RMB-HKD rates (HKMA closing, PBoC central parity), one row per year."""
    return load("fx_year_end")
