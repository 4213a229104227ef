"""Validated tables kept between kernels: each table validated once per data version.

A build runs eight or more kernels that load the same CSVs; parsing and validating them with
pandera in every kernel is the same work each time. The engine names a folder in
``GBA_REPORT_VALIDATED_TABLES`` (:func:`gba_report.paths.validated_tables_dir`); a table that
passed validation there is stored as a pickle under a key made of the sha256 of its CSV, of the
code lists it refers to, and of the code that parses and validates it, and the next kernel
reads the pickle instead. Any change to any of those is a new key, so the table is parsed and
validated again. A table that fails validation is never stored. Without the variable nothing
is stored or read (``gba-report validate``, JupyterLab).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from functools import cache
from pathlib import Path

import pandas as pd

from gba_report import paths
from gba_report.fileio import atomic_write_bytes

#: Bump when the stored form changes.
FORMAT = "validated-v1"
#: The modules whose code decides what a validated table is: a change to one is a new key.
_CODE_FILES = ("tables.py", "schemas.py", "validated_cache.py")


def store() -> Path | None:
    """The folder of stored tables, or None when tables are validated on every load."""
    return paths.validated_tables_dir()


@cache
def _code_digest() -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{pd.__version__}\0".encode())
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def key(name: str, data_dir: Path, refs: list[str]) -> str | None:
    """The key of table ``name`` as it is now, or None when a file is missing.

    Args:
        name: Dataset name.
        data_dir: Folder of the data.
        refs: The code lists the table refers to (their contents are part of the key).
    """
    digest = hashlib.sha256(_code_digest().encode())
    for table in [name, *refs]:
        try:
            content = (data_dir / f"{table}.csv").read_bytes()
        except OSError:
            return None  # the loader reports the missing file
        digest.update(f"\0{table}\0".encode())
        digest.update(hashlib.sha256(content).digest())
    return f"{name}-{digest.hexdigest()[:24]}"


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def lock(entry: str) -> threading.Lock:
    """The lock of ``entry`` in this process: held while it is read, or validated and stored."""
    with _LOCKS_LOCK:
        return _LOCKS.setdefault(entry, threading.Lock())


#: Tables already read by this process, by entry: a report's source lines look the source
#: catalogue up a hundred times or more.
_READ: dict[str, pd.DataFrame] = {}


def read(folder: Path, entry: str) -> pd.DataFrame | None:
    """The stored table ``entry`` (a copy of its own), or None when it is not stored.

    A hit refreshes the file's mtime, so the build cache's pruning keeps tables in use.
    """
    if entry in _READ:
        return _READ[entry].copy()
    path = folder / f"{entry}.pkl"
    try:
        value = pickle.loads(path.read_bytes())  # noqa: S301 - our own cache
        os.utime(path)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    if not isinstance(value, pd.DataFrame):
        return None
    _READ[entry] = value
    return value.copy()


def write(folder: Path, entry: str, frame: pd.DataFrame) -> None:
    """Store a validated table (atomically, so a kernel never reads half a file)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(folder / f"{entry}.pkl", pickle.dumps(frame, protocol=5))
    except OSError:
        return  # a full or read-only disk costs the next kernel a validation, nothing else
