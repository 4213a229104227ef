"""The build cache: executed notebooks, HTML and PDFs stored under the hash of their inputs.

An execution is reused when the notebook (and every notebook it reads, ``reads:`` in
``reports.yml``), the final parameters, every data file, the package code, the kernel and the
Python version are unchanged; an HTML export when, in addition, the nbconvert template and the
title block are; a PDF when its HTML is byte for byte the same
(:func:`gba_report.engine.pdf.pdf_key`). Entries live in ``<cache>/exec``, ``html`` and
``pdf``; ``<cache>/last/<report>.<lang>.json`` remembers the inputs of the last build, so the
log can say which one changed.

Every entry is recorded with its sha256 in a sidecar ``<entry>.sha256`` written after it. An
entry is served only when it is readable, parses (a notebook is JSON with cells, an HTML page
ends, a PDF has its header and end marker) and matches its checksum; anything else (the file
missing beside its record, no record, a failing checksum) is a miss: the entry is removed and
the log says so in one line, and the build re-makes it. Every hit refreshes the entry's mtime;
after a successful build, entries unused for 30 days are deleted, then the least recently
used ones until the cache is within ``settings.cache_max_mb``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from gba_report import data, paths
from gba_report.engine import digest
from gba_report.fileio import atomic_write_bytes, atomic_write_text

#: Part of every cache key: bump to invalidate all caches after a change in semantics.
#: v2: checksummed entries, and the notebooks a report reads in its key.
CACHE_VERSION = "engine-v2"
#: Entries no build has used for this long are deleted.
MAX_UNUSED_DAYS = 30.0
#: The kinds of entry, by sub-folder, as the log names them.
KINDS = {"exec": "executed notebook", "html": "HTML", "pdf": "PDF"}
#: Tables validated once per data version (:mod:`gba_report.data.validated_cache`): pruned and
#: cleared with the entries; they check themselves (keyed by the sha256 of what they were made of).
VALIDATED = "validated-tables"
#: Suffix of the file that records an entry's sha256.
CHECKSUM_SUFFIX = ".sha256"


@dataclass(frozen=True)
class BuildInputs:
    """Hashes of everything outside the notebook and its parameters that a report depends on.

    Attributes:
        data_files: sha256 of every data file (``data/<path>`` keys).
        data_version: :func:`gba_report.data.data_version`.
        package: Hash of the package's code, locales and styles.
        template: Hash of the nbconvert template folder.
        kernel: Jupyter kernel name.
        python: ``sys.version`` of the build.
    """

    data_files: dict[str, str]
    data_version: str
    package: str
    template: str
    kernel: str
    python: str

    @classmethod
    def read(cls, kernel: str) -> BuildInputs:
        """Hash the current data folder, package code and template."""
        template = paths.report_template_dir()
        return cls(
            data_files=digest.data_file_hashes(),
            data_version=data.data_version(),
            package=digest.package_hash(),
            template=digest.sha256_json(digest.tree_hashes(template)),
            kernel=kernel,
            python=sys.version,
        )


@dataclass(frozen=True)
class CacheKeys:
    """The cache keys of one report x language.

    Attributes:
        components: What the execution depends on, by name (compared with the last build to
            say what changed).
        execution: Key of the executed notebook.
        html: Key of the exported HTML.
    """

    components: dict[str, str]
    execution: str
    html: str


def cache_keys(
    notebook: Path,
    parameters: dict[str, Any],
    meta: dict[str, Any],
    inputs: BuildInputs,
    reads: Sequence[Path] = (),
) -> CacheKeys:
    """Return the cache keys of one report x language.

    Args:
        notebook: The report notebook.
        parameters: Final parameter values (``lang`` included).
        meta: The title block's metadata (part of the HTML, not of the execution).
        inputs: Hashes of data, code and template.
        reads: Other notebooks the report reads while it runs (the summary reads the
            parameters cells of the three full reports): a change in one re-executes it.
    """
    components = {
        "engine": CACHE_VERSION,
        "notebook": digest.sha256_file(notebook),
        "parameters": digest.sha256_json(parameters),
        "data files": digest.sha256_json(inputs.data_files),
        "package code": inputs.package,
        "kernel": inputs.kernel,
        "python": inputs.python,
    }
    if reads:
        components["notebooks read"] = digest.sha256_json(
            {Path(p).name: digest.sha256_file(p) for p in reads}
        )
    execution = digest.sha256_json(components)
    html = digest.sha256_json({"exec": execution, "template": inputs.template, "meta": meta})
    return CacheKeys(components, execution, html)


def checksum_file(entry: Path) -> Path:
    """The file that records ``entry``'s sha256."""
    return entry.with_name(entry.name + CHECKSUM_SUFFIX)


def store_bytes(entry: Path, content: bytes) -> Path:
    """Write a cache entry and then its checksum, each atomically.

    A reader that finds the entry without its checksum (a build killed between the two
    writes) treats it as damaged: it is never served unchecked.

    Args:
        entry: The entry (``Cache.execution(key)``, ``.html(key)`` or ``.pdf(key)``).
        content: Its bytes.

    Returns:
        ``entry``.
    """
    atomic_write_bytes(entry, content)
    try:
        atomic_write_text(checksum_file(entry), hashlib.sha256(content).hexdigest() + "\n")
    except BaseException:
        remove_entry(entry)  # no entry rather than one without its checksum
        raise
    return entry


def store_text(entry: Path, text: str) -> Path:
    """Write a text cache entry (UTF-8) and its checksum (see :func:`store_bytes`)."""
    return store_bytes(entry, text.encode("utf-8"))


def _parse_problem(entry: Path, content: bytes) -> str | None:
    """What makes ``content`` unusable as an entry of its kind, or None."""
    if entry.suffix == ".ipynb":
        try:
            nb = json.loads(content)
        except ValueError:
            return "is not valid JSON"
        return (
            None
            if isinstance(nb, dict) and isinstance(nb.get("cells"), list)
            else ("is not a notebook")
        )
    if entry.suffix == ".html":
        return None if b"</html>" in content[-4096:].lower() else "is not a complete HTML page"
    if entry.suffix == ".pdf":
        complete = content.startswith(b"%PDF-") and b"%%EOF" in content[-2048:]
        return None if complete else "is not a complete PDF"
    return None


def check_entry(entry: Path) -> tuple[bytes | None, str | None]:
    """Read a cache entry and check it against its recorded sha256.

    Args:
        entry: The entry.

    Returns:
        ``(content, None)`` for a good entry; ``(None, None)`` when neither the entry nor its
        checksum exists (a plain miss); ``(None, problem)`` for a damaged one, ``problem``
        saying what is wrong ("is missing", "fails its checksum", ...).
    """
    record = checksum_file(entry)
    if not entry.exists():
        return (None, "is missing (its checksum is recorded)") if record.exists() else (None, None)
    for attempt in range(2):
        try:
            content = entry.read_bytes()
        except OSError as exc:
            return None, f"is unreadable ({exc.strerror or exc})"
        try:
            recorded = record.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None, "has no recorded checksum"
        except (OSError, ValueError) as exc:
            return None, f"has an unreadable checksum ({exc})"
        if hashlib.sha256(content).hexdigest() == recorded:
            problem = _parse_problem(entry, content)
            return (None, problem) if problem else (content, None)
        if attempt == 0:
            # Another build may have replaced the entry between our two reads: read again.
            time.sleep(0.05)
    return None, "fails its checksum (truncated, damaged or edited)"


def remove_entry(entry: Path) -> None:
    """Delete an entry and its checksum (either may already be gone)."""
    for path in (entry, checksum_file(entry)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@dataclass(frozen=True)
class CacheInfo:
    """What ``gba-report cache info`` shows.

    Attributes:
        root: The cache folder.
        entries: Entries by kind (``exec``, ``html``, ``pdf``).
        size_bytes: Bytes of every file in the cache.
        oldest: mtime (last use) of the least recently used entry, or None when empty.
    """

    root: Path
    entries: dict[str, int]
    size_bytes: int
    oldest: float | None


class Cache:
    """The cache folder (``paths.cache_dir()`` unless given).

    Args:
        root: The cache folder.
        force: Treat every entry as missing (``--force``); entries are still written.
        log: Called with one line for every damaged entry found (and removed).
    """

    def __init__(
        self,
        root: Path | None = None,
        force: bool = False,
        log: Callable[[str], None] | None = None,
    ):
        self.root = Path(root or paths.cache_dir())
        self.force = force
        self.log = log or (lambda line: print(line, file=sys.stderr))

    def execution(self, key: str) -> Path:
        """The entry of an executed notebook."""
        return self.root / "exec" / f"{key}.ipynb"

    def html(self, key: str) -> Path:
        """The entry of an exported HTML."""
        return self.root / "html" / f"{key}.html"

    def pdf(self, key: str) -> Path:
        """The entry of a printed PDF."""
        return self.root / "pdf" / f"{key}.pdf"

    def read(self, entry: Path) -> bytes | None:
        """The checked content of ``entry``, or None for a miss.

        A damaged entry is removed and logged (one line); a hit refreshes its mtime, which
        is what least-recently-used eviction goes by.
        """
        if self.force:
            return None
        content, problem = check_entry(entry)
        if problem is not None:
            remove_entry(entry)
            kind = KINDS.get(entry.parent.name, "entry")
            self.log(
                f"cache: the cached {kind} {entry.parent.name}/{entry.name} {problem}: "
                "removed, it will be re-made"
            )
            return None
        if content is not None:
            for path in (entry, checksum_file(entry)):
                with contextlib.suppress(OSError):
                    os.utime(path)
        return content

    def hit(self, entry: Path) -> bool:
        """Whether ``entry`` can be served (see :meth:`read`)."""
        return self.read(entry) is not None

    def store(self, entry: Path, content: bytes) -> Path:
        """Write ``entry`` with its checksum (:func:`store_bytes`)."""
        return store_bytes(entry, content)

    def _last(self, stem: str) -> Path:
        return self.root / "last" / f"{stem}.json"

    def miss_reason(self, stem: str, components: dict[str, str]) -> str:
        """Say which input changed since ``stem`` (``<report>.<lang>``) was last built."""
        if self.force:
            return "--force"
        try:
            last = json.loads(self._last(stem).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "not in the cache"
        if not isinstance(last, dict):
            return "not in the cache"
        changed = [k for k, v in components.items() if last.get(k) != v]
        changed += [k for k in last if k not in components]
        return "changed: " + ", ".join(changed) if changed else "cache entry missing"

    def remember(self, stem: str, components: dict[str, str]) -> None:
        """Record the inputs ``stem`` was built from (for :meth:`miss_reason`)."""
        atomic_write_text(self._last(stem), json.dumps(components))

    def _entries(self, kinds: tuple[str, ...] = tuple(KINDS)) -> list[Path]:
        out = []
        for sub in kinds:
            for path in (self.root / sub).glob("*"):
                if not path.name.startswith(".") and path.suffix != CHECKSUM_SUFFIX:
                    out.append(path)
        return out

    @staticmethod
    def _size(entry: Path) -> int:
        total = 0
        for path in (entry, checksum_file(entry)):
            with contextlib.suppress(OSError):
                total += path.stat().st_size
        return total

    def info(self) -> CacheInfo:
        """Count the entries, their size and the last use of the oldest one."""
        entries = {sub: 0 for sub in KINDS}
        oldest: float | None = None
        for entry in self._entries():
            entries[entry.parent.name] += 1
            with contextlib.suppress(OSError):
                mtime = entry.stat().st_mtime
                oldest = mtime if oldest is None else min(oldest, mtime)
        size = 0
        if self.root.exists():
            for path in self.root.rglob("*"):
                with contextlib.suppress(OSError):
                    if path.is_file():
                        size += path.stat().st_size
        return CacheInfo(self.root, entries, size, oldest)

    def clear(self) -> int:
        """Delete every entry and the record of the last build; return the entries deleted."""
        removed = 0
        for entry in self._entries():
            remove_entry(entry)
            removed += 1
        for sub in (*KINDS, VALIDATED, "last"):  # validated tables go too, uncounted
            folder = self.root / sub
            for path in folder.glob("*") if folder.exists() else ():
                with contextlib.suppress(OSError):
                    path.unlink()  # orphaned checksums, temporary files, last-build records
        return removed

    def _sweep_temporary_files(self) -> None:
        """Delete half-written files of killed builds (``.<name>.<pid>.<hex>.tmp``)."""
        for sub in (*KINDS, "last"):
            for path in (self.root / sub).glob(".*.tmp"):
                parts = path.name.split(".")
                with contextlib.suppress(ValueError, OSError):
                    if not psutil.pid_exists(int(parts[-3])):
                        path.unlink()

    def prune(
        self, max_unused_days: float = MAX_UNUSED_DAYS, max_bytes: int | None = None
    ) -> list[Path]:
        """Delete entries unused for ``max_unused_days``, then least recently used ones.

        Housekeeping after a published build: an entry that a concurrent build just removed,
        or that we may not delete, stays for the next prune.

        Args:
            max_unused_days: Age (since last use) past which an entry goes.
            max_bytes: Size cap of the entries (None: no cap); the least recently used go
                first until the rest fits.

        Returns:
            The entries deleted.
        """
        self._sweep_temporary_files()
        cutoff = time.time() - max_unused_days * 86400
        aged: list[tuple[float, int, Path]] = []
        for entry in self._entries((*KINDS, VALIDATED)):
            with contextlib.suppress(OSError):
                aged.append((entry.stat().st_mtime, self._size(entry), entry))
        aged.sort(key=lambda item: item[0])
        removed = []
        total = sum(size for _, size, _ in aged)
        for mtime, size, entry in aged:
            over = max_bytes is not None and total > max_bytes
            if mtime >= cutoff and not over:
                continue
            with contextlib.suppress(OSError):
                remove_entry(entry)
                removed.append(entry)
                total -= size
        return removed
