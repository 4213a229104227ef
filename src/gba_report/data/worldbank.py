"""Refresh ``data/rd_intensity_worldbank.csv`` from the World Bank API (v2).

Indicator GB.XPD.RSDV.GD.ZS, "Research and development expenditure (% of GDP)" (data from the
UNESCO Institute for Statistics). One writer per dataset: this refresh owns the World Bank table
and nothing else (``scripts/build_datasets.py`` never writes it, and this never writes the
curated ``rd_intensity.csv`` or the source catalogue). Rows for the economies already in the
table and for years in the requested range are replaced; every other row is kept byte for byte.
The sidecar's ``date_accessed`` and the calendar's database ``vintage`` (the API's
``lastupdated``) are updated. The fetch function is injectable, so tests run offline.

Nothing is replaced until everything fetched has been checked: every page's shape, every
observation's fields (economy code, year, numeric value), that the pages together hold as many
observations as the API's ``total`` announces (a partial answer is refused), and the new table
against its schema (:func:`gba_report.data.tables.read_table`) in a scratch folder together
with its new sidecar. Only then are the table, the sidecar and the codebook replaced, each
atomically (:mod:`gba_report.fileio`). A malformed or partial response raises
:class:`WorldBankError` and leaves the data as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gba_report import paths
from gba_report.data import curation
from gba_report.data.metadata import codebook_markdown, read_sidecar
from gba_report.data.schemas import TABLES
from gba_report.data.tables import read_table
from gba_report.fileio import atomic_copy, atomic_write_text

INDICATOR = "GB.XPD.RSDV.GD.ZS"
SERIES = "worldbank_wdi"
#: The table this refresh owns.
TABLE = "rd_intensity_worldbank"
SOURCE_ID = "worldbank-wdi-gerd"
API = "https://api.worldbank.org/v2/country/{codes}/indicator/{indicator}"
#: Region codes of this project that differ from the World Bank's ISO3 codes.
TO_WORLD_BANK = {"CN": "CHN", "HK": "HKG", "MO": "MAC"}

Fetch = Callable[[str], Any]


class WorldBankError(RuntimeError):
    """The World Bank API could not be reached or answered something unexpected."""


@dataclass
class RefreshResult:
    """What a refresh changed (or would change, in a dry run)."""

    economies: list[str]
    years: tuple[int, int]
    added: list[tuple[str, int, str]] = field(default_factory=list)
    removed: list[tuple[str, int, str]] = field(default_factory=list)
    changed: list[tuple[str, int, str, str]] = field(default_factory=list)
    unchanged: int = 0
    last_updated: str | None = None
    written: bool = False

    def summary(self) -> str:
        """Return a short human-readable account of the refresh."""
        lines = [
            f"World Bank {INDICATOR}, {self.years[0]}-{self.years[1]}, "
            f"{len(self.economies)} economies ({', '.join(self.economies)})"
            + (f"; API last updated {self.last_updated}" if self.last_updated else ""),
            f"  {len(self.changed)} changed, {len(self.added)} added, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged",
        ]
        lines += [f"  changed {r} {y}: {old} -> {new}" for r, y, old, new in self.changed]
        lines += [f"  added   {r} {y}: {v}" for r, y, v in self.added]
        lines += [f"  removed {r} {y}: {v} (no value in the API)" for r, y, v in self.removed]
        lines.append(
            "  data/rd_intensity_worldbank.csv and its sidecar rewritten"
            if self.written
            else "  nothing written"
        )
        return "\n".join(lines)


def build_url(codes: list[str], start: int, end: int, page: int = 1, per_page: int = 1000) -> str:
    """Return the API v2 URL for the indicator, economies and years.

    Args:
        codes: World Bank country or aggregate codes (ISO3, e.g. ``CHN``, ``OED``).
        start: First year.
        end: Last year.
        page: Page number (1-based).
        per_page: Observations per page.

    Returns:
        The URL (JSON format).
    """
    base = API.format(codes=";".join(codes), indicator=INDICATOR)
    return f"{base}?format=json&per_page={per_page}&date={start}:{end}&page={page}"


def fetch_json(url: str, timeout: float = 30.0) -> Any:
    """GET ``url`` and parse its JSON body.

    Args:
        url: The URL.
        timeout: Seconds before giving up.

    Returns:
        The parsed JSON.

    Raises:
        WorldBankError: When offline, on an HTTP error or on a body that is not JSON.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "gba-report data refresh"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise WorldBankError(f"World Bank API answered HTTP {exc.code} for {url}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WorldBankError(
            f"cannot reach the World Bank API ({reason}); are you offline? Nothing was changed."
        ) from None
    try:
        return json.loads(body)
    except ValueError:
        raise WorldBankError(f"World Bank API returned something that is not JSON: {url}") from None


def parse_page(payload: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Split one API response into its page information and its observations.

    Args:
        payload: Parsed JSON: ``[page-info, [observation, ...]]``.

    Returns:
        The page-info dict and the list of observations (empty when there are none).

    Raises:
        WorldBankError: On an error message or an unexpected shape.
    """
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        if "message" in payload[0]:
            messages = payload[0]["message"]
            text = "; ".join(f"{m.get('key')}: {m.get('value')}" for m in messages)
            raise WorldBankError(f"World Bank API error: {text}")
        info = payload[0]
        observations = payload[1] if len(payload) > 1 and payload[1] else []
        if not isinstance(observations, list):
            raise WorldBankError("World Bank API response: observations are not a list")
        return info, observations
    raise WorldBankError("World Bank API response is not [page-info, observations]")


def fetch_observations(
    codes: list[str], start: int, end: int, fetch: Fetch = fetch_json
) -> tuple[list[dict[str, Any]], str | None]:
    """Fetch every page of observations for ``codes`` between ``start`` and ``end``.

    Args:
        codes: World Bank codes.
        start: First year.
        end: Last year.
        fetch: Function taking a URL and returning parsed JSON (injected in tests).

    Returns:
        All observations (each checked by :func:`check_observation`) and the API's
        ``lastupdated`` date.

    Raises:
        WorldBankError: An error answer, a malformed page or observation, or fewer
            observations than the API's ``total`` (a partial answer).
    """
    observations: list[dict[str, Any]] = []
    page, pages, last_updated, total = 1, 1, None, None
    while page <= pages:
        info, items = parse_page(fetch(build_url(codes, start, end, page=page)))
        try:
            pages = int(info.get("pages") or 1)
            total = int(info["total"]) if info.get("total") is not None else total
        except (TypeError, ValueError):
            raise WorldBankError(
                f"World Bank API response, page {page}: 'pages' / 'total' are not numbers "
                f"({info.get('pages')!r}, {info.get('total')!r}); nothing was changed"
            ) from None
        last_updated = info.get("lastupdated", last_updated)
        for number, item in enumerate(items, start=1):
            check_observation(item, f"page {page}, observation {number}")
        observations.extend(items)
        page += 1
    if total is not None and len(observations) != total:
        raise WorldBankError(
            f"World Bank API response is partial: {len(observations)} observations on "
            f"{pages} page(s), the API announced {total}; nothing was changed. Try again later."
        )
    return observations, last_updated


def check_observation(obs: Any, where: str) -> None:
    """Check one observation of an API answer (shape, economy, year, value).

    Args:
        obs: The observation as parsed from JSON.
        where: Where it is (``page 1, observation 3``), for the message.

    Raises:
        WorldBankError: The observation is malformed.
    """

    def bad(what: str) -> WorldBankError:
        return WorldBankError(f"World Bank API response, {where}: {what}; nothing was changed")

    if not isinstance(obs, dict):
        raise bad(f"expected an object, got {type(obs).__name__}")
    if not isinstance(obs.get("indicator"), dict) or not obs["indicator"].get("id"):
        raise bad("no indicator id")
    if not isinstance(obs.get("countryiso3code"), str):
        raise bad("no countryiso3code")
    if not re.fullmatch(r"\d{4}", str(obs.get("date") or "")):
        raise bad(f"date {obs.get('date')!r} is not a year")
    value = obs.get("value")
    if value is not None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise bad(f"value {value!r} is not a number") from None
        if not math.isfinite(number):
            raise bad(f"value {value!r} is not a finite number")


def _format_value(value: Any) -> str:
    """Write a value as the API gives it (no rounding): shortest repr of the float."""
    number = float(value)
    return repr(number) if not number.is_integer() else f"{number:.1f}"


def refresh(
    data_dir: Path | None = None,
    *,
    start: int = 2010,
    end: int = 2024,
    fetch: Fetch = fetch_json,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> RefreshResult:
    """Replace the rows of rd_intensity_worldbank.csv with the API's current values.

    Args:
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).
        start: First year to refresh.
        end: Last year to refresh.
        fetch: Function taking a URL and returning parsed JSON.
        dry_run: Report what would change, write nothing.
        today: Date written as ``date_accessed`` (default: today, UTC).

    Returns:
        What changed.

    Raises:
        WorldBankError: When the API cannot be reached or answers unexpectedly.
        DataError: When the current or the refreshed table is invalid.
    """
    data_dir = data_dir or paths.data_dir()
    today = today or dt.datetime.now(dt.UTC).date()
    table_path = data_dir / f"{TABLE}.csv"
    read_table(TABLE, data_dir)  # refuse to refresh a table that is already broken
    text = table_path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])
    rows = list(reader)

    regions = [r["region_code"] for r in rows if r["series"] == SERIES]
    economies = list(dict.fromkeys(regions))
    wb_codes = [TO_WORLD_BANK.get(code, code) for code in economies]
    back = {TO_WORLD_BANK.get(code, code): code for code in economies}
    observations, last_updated = fetch_observations(wb_codes, start, end, fetch)

    fresh: dict[tuple[str, int], str] = {}
    for obs in observations:
        if (obs.get("indicator") or {}).get("id") != INDICATOR:
            continue
        code = back.get(obs.get("countryiso3code") or "")
        if code is None or obs.get("value") is None:
            continue
        fresh[(code, int(obs["date"]))] = _format_value(obs["value"])

    answered = {
        back[obs.get("countryiso3code")]
        for obs in observations
        if obs.get("countryiso3code") in back
    }
    result = RefreshResult(economies, (start, end), last_updated=last_updated)
    old = {
        (r["region_code"], int(r["year"])): r
        for r in rows
        if r["series"] == SERIES and start <= int(r["year"]) <= end
    }
    out_rows = []
    for row in rows:
        key = (row["region_code"], int(row["year"]))
        if row["series"] != SERIES or key not in old:
            out_rows.append(row)
            continue
        if key not in fresh:
            if key[0] in answered:  # the API knows the economy but has no value for the year
                result.removed.append((*key, row["rd_intensity_pct_gdp"]))
                continue
            out_rows.append(row)  # economy absent from the answer: keep what we have
            continue
        value = fresh[key]
        if _same(row["rd_intensity_pct_gdp"], value):
            result.unchanged += 1
            out_rows.append(row)
        else:
            result.changed.append((*key, row["rd_intensity_pct_gdp"], value))
            out_rows.append({**row, "rd_intensity_pct_gdp": value, "source_id": SOURCE_ID})
    new_rows: list[dict[str, str]] = []
    existing = {(r["region_code"], int(r["year"])) for r in rows if r["series"] == SERIES}
    for key in sorted(set(fresh) - existing):
        result.added.append((*key, fresh[key]))
        new_rows.append(
            {
                **dict.fromkeys(header, ""),
                "region_code": key[0],
                "year": str(key[1]),
                "series": SERIES,
                "vintage": "latest",
                "basis": "wdi",
                "rd_intensity_pct_gdp": fresh[key],
                "is_series_break": "False",
                "is_derived": "False",
                "source_id": SOURCE_ID,
                "confidence": "verified",
            }
        )
    if dry_run:
        return result

    out_rows = _place_new_rows(out_rows, new_rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(out_rows)
    _write_checked(data_dir, buffer.getvalue(), today, last_updated)
    result.written = True
    return result


def _place_new_rows(rows: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """Insert each new row after the last row of the same region and series (else region)."""
    out = list(rows)
    for row in new:
        same_series = [
            i
            for i, r in enumerate(out)
            if r["region_code"] == row["region_code"] and r["series"] == row["series"]
        ]
        same_region = [i for i, r in enumerate(out) if r["region_code"] == row["region_code"]]
        hits = same_series or same_region
        out.insert(hits[-1] + 1 if hits else len(out), row)
    return out


def _same(old: str, new: str) -> bool:
    try:
        return float(old) == float(new)
    except ValueError:
        return False


def _write_checked(data_dir: Path, text: str, today: dt.date, last_updated: str | None) -> None:
    """Check the new table and sidecar in a scratch folder, then replace each atomically.

    Raises:
        DataError: The new table breaks its schema (nothing is replaced then).
    """
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        shutil.copy2(data_dir / "regions.csv", scratch_dir / "regions.csv")
        (scratch_dir / f"{TABLE}.csv").write_text(text, encoding="utf-8")
        read_table(TABLE, scratch_dir)
        write_sidecar(data_dir, date_accessed=today, last_updated=last_updated, out_dir=scratch_dir)
        read_sidecar(TABLE, scratch_dir)
        _replace_together(
            [
                (scratch_dir / name, data_dir / name)
                for name in (f"{TABLE}.csv", f"{TABLE}.meta.yml")
            ]
        )
    codebook = data_dir / "CODEBOOK.md"
    if codebook.is_file():  # the codebook shows date_accessed: keep it in step
        atomic_write_text(codebook, codebook_markdown(data_dir))


def _replace_together(pairs: list[tuple[Path, Path]]) -> None:
    """Replace each target by its source: all copied beside their targets first, then renamed.

    A full disk or a permission problem shows while copying, before any target is touched;
    the renames that follow only swap directory entries.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for source, target in pairs:
            tmp = target.with_name(f".{target.name}.new")
            atomic_copy(source, tmp)
            staged.append((tmp, target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def write_sidecar(
    data_dir: Path | None = None,
    *,
    date_accessed: dt.date | None = None,
    last_updated: str | None = None,
    out_dir: Path | None = None,
) -> None:
    """Write the World Bank table's sidecar from its prose (``data/curation/sidecars``).

    The refresh date (``date_accessed``) and the database version (the calendar's ``vintage``,
    YYYY-MM of the API's ``lastupdated``) are kept from the current sidecar unless given.

    Args:
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).
        date_accessed: Date of the refresh.
        last_updated: The API's ``lastupdated`` (``YYYY-MM-DD``).
        out_dir: Where the table to describe is and the sidecar goes (default: ``data_dir``;
            the refresh writes to a scratch folder first).
    """
    data_dir = data_dir or paths.data_dir()
    out_dir = out_dir or data_dir
    current = read_sidecar(TABLE, data_dir) if (data_dir / f"{TABLE}.meta.yml").is_file() else {}
    rows = curation.read_csv(out_dir / f"{TABLE}.csv")
    columns = list(rows[0]) if rows else TABLES[TABLE].column_names
    meta = curation.write_sidecar(out_dir, TABLE, rows, columns, curation.curation_dir(data_dir))
    accessed = date_accessed.isoformat() if date_accessed else current.get("date_accessed")
    match = re.match(r"^(\d{4})-(\d{2})", str(last_updated or ""))
    old_vintage = next(
        (c.get("vintage") for c in current.get("release_calendar") or [] if "vintage" in c), None
    )
    vintage = f"{match.group(1)}-{match.group(2)}" if match else old_vintage
    if accessed:
        meta["date_accessed"] = str(accessed)
    for entry in meta.get("release_calendar") or []:
        if entry.get("kind") == "database" and vintage:
            entry["vintage"] = str(vintage)
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    atomic_write_text(out_dir / f"{TABLE}.meta.yml", text)
