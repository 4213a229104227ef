"""``gba-report validate``: check every dataset, its sidecar and the source catalogue."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from gba_report import paths
from gba_report.commands import show_traceback
from gba_report.data import freshness, metadata, provenance, read_table
from gba_report.data.errors import DataError, display_path
from gba_report.data.schemas import DATASET_ORDER, TABLES

HELP = "check every dataset and its metadata sidecar"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``validate`` to ``parser``."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder of the curated data (default: data/ or $GBA_REPORT_DATA_DIR)",
    )
    parser.add_argument(
        "--freshness",
        action="store_true",
        help="also list releases expected by the publishers' calendars but missing from the "
        "data (a warning, no failure)",
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="date --freshness judges by (default: today)",
    )


def validate_dir(data_dir: Path) -> tuple[list[str], list[DataError]]:
    """Check every dataset and sidecar in ``data_dir``.

    Args:
        data_dir: Folder of the curated data.

    Returns:
        The summary lines of datasets that passed, and every problem found.
    """
    ok_lines: list[str] = []
    errors: list[DataError] = []
    frames = {}
    codes: dict[str, set[str]] = {}
    for name in DATASET_ORDER:
        table_errors: list[DataError] = []
        frame = None
        try:
            refs = {c.ref for c in TABLES[name].columns if c.ref and c.ref != name}
            missing = [r for r in sorted(refs) if r not in codes]
            if missing and (data_dir / f"{name}.csv").is_file():
                table_errors.append(
                    DataError(
                        data_dir / f"{name}.csv",
                        column=next(c.name for c in TABLES[name].columns if c.ref == missing[0]),
                        rule="foreign-key",
                        hint=f"Fix {missing[0]}.csv first.",
                        detail=f"codes cannot be checked because {missing[0]}.csv did not load",
                    )
                )
            frame = read_table(name, data_dir, codes={k: codes[k] for k in refs if k in codes})
            frames[name] = frame
            if TABLES[name].keys and name in ("regions", "clusters", "sources"):
                codes[name] = set(frame[TABLES[name].keys[0][0]])
        except DataError as exc:
            table_errors.extend(exc.errors)
        meta = None
        try:
            meta = metadata.read_sidecar(name, data_dir)
        except DataError as exc:
            table_errors.extend(exc.errors)
        if meta is not None:
            header = list(frame.columns) if frame is not None else _header(data_dir, name)
            table_errors.extend(
                metadata.check_sidecar(name, meta, header, codes.get("sources"), data_dir)
            )
        if frame is not None and "source_id" in frame.columns and name != "sources":
            table_errors.extend(_check_source_ids(data_dir, name, frame, codes.get("sources")))
            if "sources" in frames:  # the confidence rule of gba_report.data.provenance
                table_errors.extend(
                    provenance.check_confidence(
                        name, frame, frames["sources"], data_dir / f"{name}.csv"
                    )
                )
        if table_errors:
            errors.extend(table_errors)
            continue
        assert frame is not None and meta is not None
        ok_lines.append(
            f"ok  {name}  {len(frame)} rows  {len(frame.columns)} columns  "
            f"latest {meta.get('latest_period', '?')}  accessed {meta.get('date_accessed', '?')}"
        )
    for path in sorted(data_dir.glob("*.csv")):
        if path.stem in TABLES:
            continue
        # a table without a schema here: check at least its sidecar against its header
        try:
            meta = metadata.read_sidecar(path.stem, data_dir)
        except DataError as exc:
            errors.extend(exc.errors)
            continue
        problems = metadata.check_sidecar(
            path.stem, meta, _header(data_dir, path.stem), codes.get("sources"), data_dir
        )
        if problems:
            errors.extend(problems)
        else:
            ok_lines.append(
                f"ok  {path.stem}  (no schema in gba_report.data.schemas: sidecar checked only)  "
                f"latest {meta.get('latest_period', '?')}  "
                f"accessed {meta.get('date_accessed', '?')}"
            )
    return ok_lines, errors


def _header(data_dir: Path, name: str) -> list[str] | None:
    return metadata._csv_header(data_dir / f"{name}.csv")


def _check_source_ids(data_dir: Path, name: str, frame, known: set[str] | None) -> list[DataError]:
    if known is None:
        return []
    path = data_dir / f"{name}.csv"
    rows_by_id: dict[str, list[int]] = {}
    for row, value in enumerate(frame["source_id"], start=1):
        for sid in (s.strip() for s in str(value).split(";")):
            if sid and sid not in known:
                rows_by_id.setdefault(sid, []).append(row)
    errors: list[DataError] = []
    for sid, rows in rows_by_id.items():
        more = f" (also rows {', '.join(map(str, rows[1:6]))}" if len(rows) > 1 else ""
        more += ", ...)" if len(rows) > 6 else (")" if more else "")
        errors.append(
            DataError(
                path,
                rows[0],
                "source_id",
                "source-exists",
                line=None,
                detail=f'source "{sid}" is not in sources.csv{more}',
            )
        )
    return errors


def run(args: argparse.Namespace) -> int:
    """Validate the data folder; print one line per dataset or every problem.

    Args:
        args: Parsed options (``data_dir``, ``freshness``, ``as_of``).

    Returns:
        0 when every dataset and sidecar passes, 1 otherwise.
    """
    data_dir = (args.data_dir or paths.data_dir()).expanduser().resolve()
    if not data_dir.is_dir():
        print(
            f"gba-report validate: data folder {display_path(data_dir)} does not exist (rule: "
            "file-exists). Pass --data-dir DIR.",
            file=sys.stderr,
        )
        return 1
    try:
        ok_lines, errors = validate_dir(data_dir)
    except OSError as exc:  # a file that exists but cannot be read (permissions, I/O error)
        show_traceback(args, exc)
        print(
            f"gba-report validate: cannot read {exc.filename or data_dir}: "
            f"{exc.strerror or exc}. Make it readable by this user and run again.",
            file=sys.stderr,
        )
        return 1
    for line in ok_lines:
        print(line)
    if args.freshness:
        for warning in freshness.freshness_warnings(today=args.as_of, data_dir=data_dir):
            print(f"warning: {warning}")
    if errors:
        print(f"\n{len(errors)} problem(s) found:", file=sys.stderr)
        for err in errors:
            print(f"ERROR {err.format()}", file=sys.stderr)
        return 1
    print(f"all {len(ok_lines)} datasets valid ({display_path(data_dir)})")
    return 0
