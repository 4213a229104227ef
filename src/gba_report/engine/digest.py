"""Content hashes: files, folders, JSON values, and what a reader sees in an executed notebook."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from gba_report import paths


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_json(obj: Any) -> str:
    """Return the hex sha256 of a JSON value (keys sorted, so equal values hash equal)."""
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_hashes(root: Path, suffixes: tuple[str, ...] | None = None) -> dict[str, str]:
    """Return ``{relative path: sha256}`` of every file below ``root``.

    Hidden files and folders and ``__pycache__`` are left out.

    Args:
        root: The folder (missing: ``{}``).
        suffixes: Only files with these suffixes (None: every file).
    """
    out: dict[str, str] = {}
    if not root.exists():
        return out
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        out[rel.as_posix()] = sha256_file(path)
    return out


def data_file_hashes() -> dict[str, str]:
    """sha256 of every file in the data folder, keyed ``data/<relative path>``."""
    return {f"data/{rel}": digest for rel, digest in tree_hashes(paths.data_dir()).items()}


def package_hash() -> str:
    """Hash of the package's source (code, locales, styles): part of the execution cache key."""
    return sha256_json(tree_hashes(paths.package_dir(), (".py", ".yml", ".yaml", ".css")))


_SVG_VOLATILE = [
    (re.compile(r"<dc:date>.*?</dc:date>", re.S), ""),
    (re.compile(r'\bid="[^"]*"'), ""),
    (re.compile(r"url\(#[^)]*\)"), "url(#)"),
    (re.compile(r'xlink:href="#[^"]*"'), ""),
    (re.compile(r'href="#[^"]*"'), ""),
]


def _norm_data(bundle: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for mime, value in bundle.items():
        text = "".join(value) if isinstance(value, list) else value
        if mime == "image/svg+xml" and isinstance(text, str):
            for pattern, repl in _SVG_VOLATILE:
                text = pattern.sub(repl, text)
        out[mime] = text
    return out


def content_hash(nb: dict[str, Any]) -> str:
    """Hash of what a reader sees in an executed notebook: sources and outputs only.

    Execution counts, timestamps, cell metadata and SVG ids/dates are left out, so two runs
    over the same inputs give the same hash.
    """
    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        outputs = [
            {
                "type": output.get("output_type"),
                "name": output.get("name"),
                "text": output.get("text"),
                "data": _norm_data(output.get("data") or {}),
                "ename": output.get("ename"),
                "evalue": output.get("evalue"),
            }
            for output in cell.get("outputs", []) or []
        ]
        cells.append(
            {
                "type": cell.get("cell_type"),
                "source": "".join(source) if isinstance(source, list) else source,
                "outputs": outputs,
            }
        )
    return sha256_json(cells)
