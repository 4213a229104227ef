"""Atomic file writes for the whole package (never half a file), and the one YAML loader."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

#: The YAML loader of every project file: ``yaml.safe_load``'s rules, parsed by libyaml (C)
#: when PyYAML has it (the wheels do): the pure-Python parser took ~0.2 s per sidecar, read
#: by every kernel for its sources section.
SAFE_YAML: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _temp_beside(path: Path) -> Path:
    # Same folder, so the final os.replace is a rename within one file system (atomic).
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")


def _named(exc: OSError, path: Path) -> OSError:
    """``exc`` with the destination as its filename (a failed ``write`` names no file)."""
    if exc.filename is not None:
        return exc
    named = type(exc)(exc.errno, exc.strerror, str(path))
    named.__cause__ = exc
    return named


def _replace(path: Path, write: Callable[[Path], object]) -> Path:
    """Let ``write`` fill a temporary file beside ``path``, then rename it into place.

    Missing parent folders are created. On any error the temporary file is removed; an
    ``OSError`` is raised again naming ``path`` (:func:`_named`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _named(exc, path) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place.

    Args:
        path: The file to (re)write; missing parent folders are created.
        data: The complete new content.

    Returns:
        ``path``.
    """
    return _replace(Path(path), lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Args:
        path: The file to (re)write.
        text: The complete new content.
        encoding: Text encoding.

    Returns:
        ``path``.
    """
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_copy(src: Path, dst: Path) -> Path:
    """Copy ``src`` to ``dst`` atomically: ``dst`` is complete or untouched.

    Args:
        src: The file to copy.
        dst: The destination file; missing parent folders are created.

    Returns:
        ``dst``.
    """
    return _replace(Path(dst), lambda tmp: shutil.copyfile(src, tmp))
