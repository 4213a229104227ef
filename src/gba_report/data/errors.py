"""Errors raised when a curated dataset or its metadata sidecar breaks a rule."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

#: What a user can do about each rule, used when the raiser gives no specific hint.
DEFAULT_HINTS: dict[str, str] = {
    "file-exists": "Create the file (see the codebook in the README) or point --data-dir at "
    "the right folder.",
    "encoding": "Save the file as UTF-8.",
    "csv-syntax": "Fix the quoting on that line (a field with a comma or line break must be "
    'wrapped in double quotes, and a quote inside it doubled: "").',
    "field-count": "Make the row have exactly as many comma-separated fields as the header "
    "(quote fields that contain commas).",
    "required-column": "Add the column to the header, or undo the rename.",
    "duplicate-column": "Remove or rename the repeated column in the header.",
    "empty-table": "Add the data rows.",
    "required": "Fill in the value; this column may not be empty.",
    "numeric": "Fix the value or leave it empty if the figure is unknown (use a dot as "
    "decimal separator, no thousands separators or units).",
    "integer": "Write a whole number without decimals or thousands separators.",
    "boolean": "Write True or False.",
    "range": "Check the figure against its source; fix it or the unit it is written in.",
    "allowed-values": "Use one of the allowed codes listed in the codebook.",
    "foreign-key": "Use a code that exists in the code list, or add it there first.",
    "pattern": "Write the value in the expected format.",
    "unique-key": "Remove the duplicate row or correct its key columns.",
    "sidecar-exists": "Write the metadata sidecar next to the CSV (see the format in the "
    "README's Data section).",
    "sidecar-yaml": "Fix the YAML syntax of the sidecar.",
    "sidecar-key": "Add the missing key to the sidecar.",
    "sidecar-column": "Document the column in the sidecar's columns: mapping with description, "
    "unit and type.",
    "sidecar-extra-column": "Remove the entry from the sidecar, or add the column to the CSV.",
    "sidecar-type": "Set the column's type to the one the schema expects.",
    "source-exists": "Add the source to data/sources.csv, or correct the source_id.",
}


def display_path(path: str | os.PathLike[str]) -> str:
    """Return ``path`` relative to the working directory when it lies below it.

    Args:
        path: A file path.

    Returns:
        A short, readable form of the path.
    """
    p = Path(path)
    try:
        rel = os.path.relpath(p.resolve(), Path.cwd())
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(p)
    return str(p) if rel.startswith("..") else rel


class DataError(ValueError):
    """A dataset or sidecar breaks a rule; the message says where, which rule, and what to do.

    Attributes:
        file: The offending file (as given).
        row: 1-based data row number (the header is not a row; 0 means the header itself), or
            None for file-level problems.
        column: The column (or sidecar key) concerned, or None.
        rule: Short name of the rule that failed (e.g. ``numeric``, ``unique-key``).
        hint: What the user can do about it.
        line: 1-based line number in the file, when known.
        detail: What is wrong, in words (e.g. ``value "abc" is not a number``).
        errors: Every problem found (``[self]`` for a single problem).
    """

    def __init__(
        self,
        file: str | os.PathLike[str],
        row: int | None = None,
        column: str | None = None,
        rule: str = "",
        hint: str | None = None,
        *,
        detail: str = "",
        line: int | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.rule = rule
        self.hint = hint if hint is not None else DEFAULT_HINTS.get(rule, "")
        self.line = line
        self.detail = detail or f"breaks rule {rule}"
        self.errors: list[DataError] = [self]
        super().__init__(self.format())

    def location(self) -> str:
        """Return where the problem is: file, row (with file line) and column."""
        parts = [display_path(self.file)]
        if self.row == 0:
            parts.append(f"header row (line {self.line or 1})")
        elif self.row is not None:
            parts.append(f"row {self.row} (line {self.line})" if self.line else f"row {self.row}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def format(self) -> str:
        """Return the one-line message for this problem."""
        text = f"{self.location()}: {self.detail} (rule: {self.rule})."
        return f"{text} {self.hint}" if self.hint else text


class DataErrors(DataError):
    """Several problems at once; behaves like its first problem and lists all in its message."""

    def __init__(self, errors: Iterable[DataError]) -> None:
        flat: list[DataError] = []
        for err in errors:
            flat.extend(err.errors)
        if not flat:
            raise ValueError("DataErrors needs at least one error")
        first = flat[0]
        super().__init__(
            first.file,
            first.row,
            first.column,
            first.rule,
            first.hint,
            detail=first.detail,
            line=first.line,
        )
        self.errors = flat
        self.args = (self.format(),)

    def format(self) -> str:
        """Return one line per problem (with a count when there are several)."""
        errors = getattr(self, "errors", [self])
        if len(errors) <= 1:
            return super().format()
        lines = [f"{len(errors)} problems:"]
        lines += [DataError.format(err) for err in errors]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def raise_if_any(errors: list[DataError]) -> None:
    """Raise the problems collected in ``errors`` (one DataError, or DataErrors for several).

    Args:
        errors: Problems found so far.

    Raises:
        DataError: When ``errors`` is not empty.
    """
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DataErrors(errors)
