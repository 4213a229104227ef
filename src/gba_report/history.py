"""Build history and "what changed since the previous build" (interface; filled in by issue 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def previous_manifest(builds_root: Path, exclude: Path | None = None) -> dict[str, Any] | None:
    """Return the manifest of the newest successful build under ``builds_root`` (or None).

    Args:
        builds_root: Folder holding ``<timestamp>/`` build folders.
        exclude: A build folder to ignore (the one being published).
    """
    return None


def compare_manifests(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Describe what changed between two build manifests.

    Returns:
        ``{"previous_run_id": str | None, "data_files": [...], "key_figures": [...],
        "reports": [...]}``: data files changed by sha256, key figures changed (old -> new) and
        reports whose content changed.
    """
    return {"previous_run_id": None, "data_files": [], "key_figures": [], "reports": []}


def render_changes_html(changes: dict[str, Any]) -> str:
    """Render the output of :func:`compare_manifests` as an HTML fragment for a build's index."""
    return ""


def write_history_index(builds_root: Path) -> Path | None:
    """Rewrite ``builds_root/index.html`` listing every kept build (time, data version, status)."""
    return None
