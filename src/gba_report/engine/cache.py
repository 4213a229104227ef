"""The build cache: executed notebooks, HTML and PDFs stored under the hash of their inputs.

An execution is reused when the notebook, the final parameters, every data file, the package
code, the kernel and the Python version are unchanged; an HTML export when, in addition, the
nbconvert template and the title block are; a PDF when its HTML is byte for byte the same
(:func:`gba_report.engine.pdf.pdf_key`). Entries live in ``<cache>/exec``, ``html`` and
``pdf``; ``<cache>/last/<report>.<lang>.json`` remembers the inputs of the last build, so the
log can say which one changed. Every hit refreshes the entry's mtime; entries unused for 30
days are deleted after a successful build.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gba_report import data, paths
from gba_report.engine import digest
from gba_report.fileio import atomic_write_text

#: Part of every cache key: bump to invalidate all caches after a change in semantics.
CACHE_VERSION = "engine-v1"
#: Entries no build has used for this long are deleted.
MAX_UNUSED_DAYS = 30.0


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
    notebook: Path, parameters: dict[str, Any], meta: dict[str, Any], inputs: BuildInputs
) -> CacheKeys:
    """Return the cache keys of one report x language.

    Args:
        notebook: The report notebook.
        parameters: Final parameter values (``lang`` included).
        meta: The title block's metadata (part of the HTML, not of the execution).
        inputs: Hashes of data, code and template.
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
    execution = digest.sha256_json(components)
    html = digest.sha256_json({"exec": execution, "template": inputs.template, "meta": meta})
    return CacheKeys(components, execution, html)


class Cache:
    """The cache folder (``paths.cache_dir()`` unless given).

    Args:
        root: The cache folder.
        force: Treat every entry as missing (``--force``); entries are still written.
    """

    def __init__(self, root: Path | None = None, force: bool = False):
        self.root = Path(root or paths.cache_dir())
        self.force = force

    def execution(self, key: str) -> Path:
        """The entry of an executed notebook."""
        return self.root / "exec" / f"{key}.ipynb"

    def html(self, key: str) -> Path:
        """The entry of an exported HTML."""
        return self.root / "html" / f"{key}.html"

    def pdf(self, key: str) -> Path:
        """The entry of a printed PDF."""
        return self.root / "pdf" / f"{key}.pdf"

    def hit(self, entry: Path) -> bool:
        """Whether ``entry`` can be used; a hit refreshes its mtime (for pruning)."""
        if self.force:
            return False
        try:
            os.utime(entry)
        except OSError:
            return False
        return True

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
        changed = [k for k, v in components.items() if last.get(k) != v]
        return "changed: " + ", ".join(changed) if changed else "cache entry missing"

    def remember(self, stem: str, components: dict[str, str]) -> None:
        """Record the inputs ``stem`` was built from (for :meth:`miss_reason`)."""
        atomic_write_text(self._last(stem), json.dumps(components))

    def prune(self, max_unused_days: float = MAX_UNUSED_DAYS) -> None:
        """Delete entries no build has used for ``max_unused_days`` (hits refresh mtime)."""
        cutoff = time.time() - max_unused_days * 86400
        for sub in ("exec", "html", "pdf", "validated-tables"):
            for path in (self.root / sub).glob("*"):
                # Housekeeping after a published build: an entry that a concurrent build just
                # removed, or that we may not delete, stays for the next prune.
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
