"""Freshness as publishers define it: each dataset's release calendar, and what is overdue.

A sidecar's ``release_calendar`` lists the publications its rows come from, each with the
publisher's own rhythm:

- ``kind: annual``: the edition for period *P* appears by ``expected`` (month-day) of year
  *P* + ``lag_years`` (NBS R&D communique: 09-30, lag 1, "about late September for the year
  before"; WIPO GII: 09-30, lag 0; C&SD: 12-31, lag 1). ``applies_to`` restricts it to rows
  (e.g. ``series: [nbs_first_release]``).
- ``kind: database``: a database whose version (``vintage``, YYYY-MM) should be refreshed every
  ``refresh_months`` (the World Bank's WDI).
- ``kind: none``: irregular (events, claims, code lists, figures from secondary sources): shown,
  never warned about.

:func:`release_status` gives "latest in the data / next expected" per calendar;
:func:`freshness_warnings` lists the releases expected to exist that are not in the data. Both
take ``today`` so a test can set the clock. This replaces a rule on the age of
``date_accessed``, which says nothing about whether newer figures exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gba_report import paths
from gba_report.data.errors import DataError
from gba_report.data.metadata import read_sidecar
from gba_report.data.schemas import DATASET_ORDER, TABLES
from gba_report.data.tables import read_table

CALENDAR_KINDS = ("annual", "database", "none")


@dataclass(frozen=True)
class ReleaseStatus:
    """Where one publication of a dataset stands on its release calendar.

    Attributes:
        dataset: Dataset name.
        calendar_id: Id of the calendar entry in the sidecar.
        kind: ``annual``, ``database`` or ``none``.
        publisher: Who publishes it (English); ``publisher_zh_hant`` in Traditional Chinese.
        publication: What is published; ``publication_zh_hant`` in Traditional Chinese.
        typical: The publisher's rhythm in words; ``typical_zh_hant`` in Traditional Chinese.
        latest_period: Latest period of the rows it governs (or the database version).
        next_period: The period (or version) expected next; None for ``none``.
        next_expected: The date by which it is expected; None for ``none``.
        is_overdue: ``today`` is on or after ``next_expected`` and it is not in the data.
    """

    dataset: str
    calendar_id: str
    kind: str
    publisher: str
    publisher_zh_hant: str
    publication: str
    publication_zh_hant: str
    typical: str
    typical_zh_hant: str
    latest_period: str | None
    next_period: str | None
    next_expected: dt.date | None
    is_overdue: bool

    def warning(self) -> str:
        """The one-line warning for an overdue release (English, for logs)."""
        return (
            f"{self.dataset}: a newer release is expected but not in the data: {self.publisher}, "
            f"{self.publication} for {self.next_period}, expected by "
            f"{self.next_expected.isoformat() if self.next_expected else '?'} ({self.typical}); "
            f"latest in the data: {self.latest_period}"
        )


def _month_day(value: Any, where: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in str(value).split("-"))
        dt.date(2000, month, day)
    except ValueError:
        raise DataError(
            where,
            column="release_calendar",
            rule="sidecar-key",
            detail=f"expected {value!r} is not MM-DD",
        ) from None
    return month, day


def _latest_year(frame: Any, name: str, applies_to: dict[str, list[str]] | None) -> int | None:
    column = TABLES[name].period_column
    if column is None or frame.empty:
        return None
    for col, values in (applies_to or {}).items():
        frame = frame[frame[col].astype(str).isin([str(v) for v in values])]
    if frame.empty:
        return None
    return max(int(str(v)[:4]) for v in frame[column] if str(v)[:4].isdigit())


def _add_months(year: int, month: int, months: int) -> dt.date:
    total = year * 12 + (month - 1) + months
    return dt.date(total // 12, total % 12 + 1, 1)


def release_status(
    name: str, today: dt.date | None = None, data_dir: Path | None = None
) -> list[ReleaseStatus]:
    """Return the release status of every calendar entry of dataset ``name``.

    Args:
        name: Dataset name.
        today: The date to judge by (default: today, UTC).
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).

    Returns:
        One status per entry of the sidecar's ``release_calendar`` (none when it has none).

    Raises:
        DataError: When the sidecar or the table cannot be read, or a calendar entry is malformed.
    """
    data_dir = data_dir or paths.data_dir()
    today = today or dt.datetime.now(dt.UTC).date()
    meta = read_sidecar(name, data_dir)
    where = str(data_dir / f"{name}.meta.yml")
    frame = None
    out = []
    for entry in meta.get("release_calendar") or []:
        kind = entry.get("kind", "")
        if kind not in CALENDAR_KINDS:
            raise DataError(
                where,
                column="release_calendar",
                rule="sidecar-key",
                detail=f"calendar {entry.get('id')!r}: kind {kind!r} not in {CALENDAR_KINDS}",
            )
        latest: str | None = None
        next_period: str | None = None
        due: dt.date | None = None
        if kind == "annual":
            if frame is None:
                frame = read_table(name, data_dir)
            year = _latest_year(frame, name, entry.get("applies_to"))
            month, day = _month_day(entry.get("expected"), where)
            if year is not None:
                latest, next_period = str(year), str(year + 1)
                due = dt.date(year + 1 + int(entry.get("lag_years", 0)), month, day)
        elif kind == "database":
            vintage = str(entry.get("vintage", ""))
            try:
                y, m = (int(x) for x in vintage.split("-"))
            except ValueError:
                raise DataError(
                    where,
                    column="release_calendar",
                    rule="sidecar-key",
                    detail=f"calendar {entry.get('id')!r}: vintage {vintage!r} is not YYYY-MM",
                ) from None
            latest = vintage
            due = _add_months(y, m, int(entry.get("refresh_months", 12)))
            next_period = f"a version newer than {vintage}"
        out.append(
            ReleaseStatus(
                dataset=name,
                calendar_id=str(entry.get("id", "")),
                kind=kind,
                publisher=str(entry.get("publisher", "")),
                publisher_zh_hant=str(entry.get("publisher_zh_hant", "")),
                publication=str(entry.get("publication", "")),
                publication_zh_hant=str(entry.get("publication_zh_hant", "")),
                typical=str(entry.get("typical", "")),
                typical_zh_hant=str(entry.get("typical_zh_hant", "")),
                latest_period=latest,
                next_period=next_period,
                next_expected=due,
                is_overdue=due is not None and today >= due,
            )
        )
    return out


def freshness_warnings(
    today: dt.date | None = None,
    data_dir: Path | None = None,
    names: list[str] | None = None,
) -> list[str]:
    """List the releases expected to exist by ``today`` that are not in the data.

    Args:
        today: The date to judge by (default: today, UTC).
        data_dir: Folder of the data (default: :func:`gba_report.paths.data_dir`).
        names: Datasets to check (default: every dataset present).

    Returns:
        One line per overdue release, e.g. ``rd_intensity: a newer release is expected but not
        in the data: National Bureau of Statistics of China, MOST, MOF, ... for 2025, expected by
        2026-09-30 ...``; a dataset whose calendar cannot be read gives a line saying so.
    """
    data_dir = data_dir or paths.data_dir()
    lines: list[str] = []
    overdue: dict[str, list[ReleaseStatus]] = {}
    for name in names if names is not None else DATASET_ORDER:
        if not (data_dir / f"{name}.csv").exists():
            continue
        try:
            statuses = release_status(name, today=today, data_dir=data_dir)
        except DataError as exc:
            lines.append(f"{name}: release calendar could not be checked: {exc.format()}")
            continue
        for status in statuses:
            if status.is_overdue:
                overdue.setdefault(status.calendar_id, []).append(status)
    # one line per publication, naming every dataset it feeds (GII feeds four tables)
    for group in overdue.values():
        names_text = ", ".join(s.dataset for s in group)
        lines.append(names_text + group[0].warning()[len(group[0].dataset) :])
    return lines
