"""Two levels of provenance: a source's origin (shown to readers) and its retrieval (kept here).

Every source in ``data/sources.csv`` has an *origin*: who published the figure, the title of the
publication, its official URL where one is known and the date it was published. Reader-facing
text (source lines, sources sections, citations) is built from the origin only, through
:func:`origin_citation`. The *retrieval* says where the project actually read it: the kind of
copy (``retrieval_kind``), its location (a URL, an archived copy, ``owner/repo@commit:path``),
the date read and a sha256 where there is a file. It appears in the data package and the
codebook, never on a reader's page.

The confidence of a row follows from the retrieval by one rule (:func:`expected_confidence`):

- an official page, official data (API, database) or a verbatim copy of an official
  publication (an archived copy, a repository that saved the official file) -> ``verified``;
- a news report, a mirror of someone else's page or a third party quoting the figure ->
  ``secondary``;
- the source article itself -> ``unverified``; and any row whose value is approximate,
  conflicting or inferred (its ``uncertainty`` column, or the table's own ``is_inferred`` and
  ``is_derived`` flags) -> ``unverified``. An inferred *date* (``is_date_inferred``) does not
  lower the confidence of an amount that was read: the date is flagged on its own.

A row with several sources is as good as the best of them (a rank read on WIPO's own page and
shares quoted by a newspaper: verified). Validation checks every row against the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from gba_report.data.errors import DataError
from gba_report.data.tables import load_sources

#: Highest confidence a row can have when the project read its figure this way.
CONFIDENCE_CEILING: dict[str, str] = {
    "official_page": "verified",
    "official_data": "verified",
    "verbatim_copy": "verified",
    "mirror": "secondary",
    "news": "secondary",
    "third_party": "secondary",
    "article": "unverified",
}
_ORDER = {"verified": 0, "secondary": 1, "unverified": 2}
#: Boolean columns that, when True, make a row's figure inferred (hence unverified).
DOUBT_FLAGS = ("is_inferred", "is_derived")


def split_ids(value: Any) -> list[str]:
    """Return the source ids of a ``;``-joined ``source_id`` cell, in order, each once."""
    ids: list[str] = []
    for part in str(value or "").split(";"):
        part = part.strip()
        if part and part not in ids:
            ids.append(part)
    return ids


def expected_confidence(
    source_ids: Iterable[str], retrieval_kinds: Mapping[str, str], doubtful: bool = False
) -> str | None:
    """Return the confidence the rule gives a row.

    Args:
        source_ids: The row's source ids.
        retrieval_kinds: ``retrieval_kind`` of every source in the catalogue.
        doubtful: The row's value is approximate, conflicting or inferred.

    Returns:
        ``verified``, ``secondary`` or ``unverified``; None when a source id is not in the
        catalogue (that is reported by the source-id check).
    """
    ceilings = []
    for sid in source_ids:
        kind = retrieval_kinds.get(sid)
        if kind is None or kind not in CONFIDENCE_CEILING:
            return None
        ceilings.append(CONFIDENCE_CEILING[kind])
    if not ceilings:
        return None
    if doubtful:
        return "unverified"
    return min(ceilings, key=_ORDER.__getitem__)


def is_doubtful(row: Mapping[str, Any]) -> bool:
    """Whether a row's value is approximate, conflicting or inferred (see the module doc)."""
    if str(row.get("uncertainty", "") or "").strip():
        return True
    return any(_true(row.get(flag)) for flag in DOUBT_FLAGS)


def _true(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value) if value is not None and not pd.isna(value) else False


def check_confidence(
    name: str, frame: pd.DataFrame, sources: pd.DataFrame, path: Path
) -> list[DataError]:
    """Check every row's ``confidence`` against the rule; one error per row that breaks it.

    Args:
        name: Dataset name (for the message).
        frame: The loaded table (with ``source_id`` and ``confidence`` columns).
        sources: The loaded source catalogue.
        path: The table's file (for the message).

    Returns:
        The problems found (empty when every row follows the rule or the table has no
        confidence column).
    """
    if "confidence" not in frame.columns or "source_id" not in frame.columns:
        return []
    kinds = dict(zip(sources["source_id"], sources["retrieval_kind"], strict=True))
    errors = []
    for number, row in enumerate(frame.to_dict("records"), start=1):
        given = str(row.get("confidence") or "")
        if not given:
            continue
        expected = expected_confidence(split_ids(row["source_id"]), kinds, is_doubtful(row))
        if expected is None or expected == given:
            continue
        kinds_used = ", ".join(f"{s}: {kinds.get(s)}" for s in split_ids(row["source_id"]))
        errors.append(
            DataError(
                path,
                number,
                "confidence",
                "confidence-rule",
                hint="Set confidence to what the rule gives, or correct the source's "
                "retrieval_kind in data/curation/sources.yml, or the row's uncertainty.",
                detail=f'value "{given}" but the rule gives "{expected}" (sources {kinds_used}; '
                f"doubtful: {is_doubtful(row)}) in {name}",
            )
        )
    return errors


# --------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class Citation:
    """The reader-facing origin of a source, in one language.

    Attributes:
        source_id: The catalogue id.
        publisher: Who published the figure (never the copy the project read).
        title: Title of the publication.
        url: Official URL, or "" when none is known.
        date_published: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or "" when not known.
    """

    source_id: str
    publisher: str
    title: str
    url: str
    date_published: str


def _text(row: Mapping[str, Any], column: str, lang: str) -> str:
    keys = (f"{column}_zh_hant", column) if lang != "en" else (column,)
    for key in keys:
        value = row.get(key, "")
        if value is not None and not (isinstance(value, float) and pd.isna(value)):
            text = str(value).strip()
            if text:
                return text
    return ""


def origin_citation(source_id: str, lang: str, sources: pd.DataFrame | None = None) -> Citation:
    """Return the reader-facing origin of ``source_id`` in ``lang``.

    Args:
        source_id: An id of ``data/sources.csv``.
        lang: ``en`` or ``zh-Hant`` (publisher and title from the ``*_zh_hant`` columns).
        sources: The loaded catalogue (default: load it).

    Returns:
        Publisher, title, official URL and date published; nothing about the copy read.

    Raises:
        KeyError: When the id is not in the catalogue.
    """
    if sources is None:
        sources = load_sources()
    rows = sources[sources["source_id"] == source_id]
    if rows.empty:
        raise KeyError(f"source {source_id!r} is not in data/sources.csv")
    row = rows.iloc[0].to_dict()
    return Citation(
        source_id=source_id,
        publisher=_text(row, "publisher", lang),
        title=_text(row, "title", lang),
        url=str(row.get("origin_url", "") or ""),
        date_published=str(row.get("date_published", "") or ""),
    )
