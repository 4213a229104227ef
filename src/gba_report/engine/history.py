"""Build history and "what changed since the previous build", read from the manifests.

A published build is a folder ``report/build/<YYYYmmddTHHMMSSZ>-<random>/`` holding a
``manifest.json`` (:mod:`gba_report.engine.manifest`). This module reads those manifests to

* list the kept builds and failed runs (:func:`list_builds`, :func:`list_failed_runs`),
* find the previous successful build (:func:`previous_manifest`),
* describe what changed between two builds: data files by sha256, key figures each report
  recorded about itself (old -> new), reports whose executed content changed
  (:func:`compare_manifests`, :func:`summarize_changes`).

The pages showing all this are rendered by :mod:`gba_report.engine.index`. Everything here
reads only ``manifest.json`` files; nothing is scraped from HTML.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gba_report.engine.layout import BUILD_NAME_RE, FAILED_DIR, LATEST, MANIFEST_FILE


@dataclass(frozen=True)
class BuildInfo:
    """One build folder under the builds root, as the history sees it.

    Attributes:
        path: The build folder.
        name: Folder name (starts with the UTC timestamp of the build).
        manifest: Parsed ``manifest.json``, or None when missing or unreadable.
        is_latest: Whether ``latest`` points at this folder.
    """

    path: Path
    name: str
    manifest: dict[str, Any] | None
    is_latest: bool

    @property
    def status(self) -> str:
        """``success``, ``failed``, ... as the manifest says; ``incomplete`` without one."""
        if self.manifest is None:
            return "incomplete"
        return str(self.manifest.get("status") or "unknown")

    @property
    def ok(self) -> bool:
        """Whether the build finished successfully."""
        return self.status == "success"

    @property
    def time(self) -> datetime | None:
        """When the build finished (or started), from the manifest or else the folder name."""
        for key in ("finished", "started"):
            value = (self.manifest or {}).get(key)
            if isinstance(value, str):
                try:
                    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
                except ValueError:
                    continue
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return stamp_of(self.name)


def stamp_of(name: str) -> datetime | None:
    """Return the UTC time encoded in a build folder name, or None if it is not a build name.

    Args:
        name: A folder name such as ``20261129T153000Z-ab12cd``.
    """
    match = BUILD_NAME_RE.match(name)
    if not match:
        return None
    return datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def latest_target(builds_root: Path) -> Path | None:
    """Return the build folder ``builds_root/latest`` points at (resolved), or None.

    Args:
        builds_root: Folder holding the build folders and the ``latest`` symlink.
    """
    link = Path(builds_root) / LATEST
    if not link.is_symlink() and not link.is_dir():
        return None
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return target if target.is_dir() else None


def _well_formed(manifest: Any) -> bool:
    """Whether a parsed manifest has the shape :func:`compare_manifests` reads."""
    if not isinstance(manifest, dict):
        return False
    if any(not isinstance(manifest.get(k) or {}, dict) for k in ("data_files", "outputs")):
        return False
    reports = manifest.get("reports") or {}
    if not isinstance(reports, dict):
        return False
    for info in reports.values():
        if not isinstance(info, dict) or not isinstance(info.get("langs") or {}, dict):
            return False
        for entry in (info.get("langs") or {}).values():
            if not isinstance(entry, dict):
                return False
            if any(not isinstance(entry.get(k) or {}, dict) for k in ("key_figures", "parameters")):
                return False
    return True


def read_manifest(build_dir: Path) -> dict[str, Any] | None:
    """Return a build folder's parsed ``manifest.json``, or None when missing or malformed.

    A manifest that is not JSON, or whose ``reports``, ``data_files`` or key figures are not
    mappings, counts as missing: the build shows as ``incomplete`` and is never compared with.

    Args:
        build_dir: A build folder.
    """
    try:
        data = json.loads((Path(build_dir) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if _well_formed(data) else None


def list_builds(builds_root: Path) -> list[BuildInfo]:
    """List the published build folders under ``builds_root``, oldest first.

    Only real folders whose name starts with a build timestamp count: temporary folders of a
    build in progress (``.tmp-*``), the ``latest`` symlink, ``logs/`` and any other file are
    ignored.

    Args:
        builds_root: Folder holding ``<timestamp>/`` build folders.
    """
    root = Path(builds_root)
    if not root.is_dir():
        return []
    latest = latest_target(root)
    builds = []
    for entry in root.iterdir():
        if entry.is_symlink() or not entry.is_dir() or not BUILD_NAME_RE.match(entry.name):
            continue
        builds.append(
            BuildInfo(
                path=entry,
                name=entry.name,
                manifest=read_manifest(entry),
                is_latest=latest is not None and entry.resolve() == latest,
            )
        )
    # The folder name starts with the UTC timestamp, so name order is time order; the manifest's
    # start time breaks ties between builds started in the same second.
    builds.sort(key=lambda b: (b.name[:16], str((b.manifest or {}).get("started", "")), b.name))
    return builds


def previous_manifest(builds_root: Path, exclude: Path | None = None) -> dict[str, Any] | None:
    """Return the manifest of the newest successful build under ``builds_root`` (or None).

    Temporary folders (``.tmp-*``), failed or incomplete builds and the ``latest`` symlink
    itself are skipped.

    Args:
        builds_root: Folder holding ``<timestamp>/`` build folders.
        exclude: A build folder to ignore (the one being published).
    """
    excluded = Path(exclude).resolve() if exclude is not None else None
    for build in reversed(list_builds(builds_root)):
        if excluded is not None and build.path.resolve() == excluded:
            continue
        if build.ok:
            return build.manifest
    return None


def _same_value(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old == new
    if isinstance(old, int | float) and isinstance(new, int | float):
        if isinstance(old, float) and isinstance(new, float) and math.isnan(old):
            return math.isnan(new)
        return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12)
    return old == new


def _figure(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return {"value": value}


def _report_langs(manifest: dict[str, Any] | None) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for report, info in ((manifest or {}).get("reports") or {}).items():
        for lang, entry in ((info or {}).get("langs") or {}).items():
            out[(report, lang)] = entry or {}
    return out


def _title(manifest: dict[str, Any] | None, report: str, lang: str) -> str:
    title = (((manifest or {}).get("reports") or {}).get(report) or {}).get("title")
    if isinstance(title, dict):
        return str(title.get(lang) or title.get("en") or report)
    return str(title or report)


def compare_manifests(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Describe what changed between two build manifests.

    Args:
        old: Manifest of the previous successful build, or None for a first build.
        new: Manifest of the build being described.

    Returns:
        ``{"previous_run_id": str | None, "data_files": [...], "key_figures": [...],
        "reports": [...]}``: data files changed by sha256, key figures changed (old -> new) and
        reports whose content changed. Extra keys: ``first_build`` (bool), ``run_id``,
        ``previous_data_version`` and ``data_version``. Each list item is a dict with a
        ``change`` of ``"changed"``, ``"added"`` or ``"removed"``:

        * data files: ``path``, ``old_sha256``, ``new_sha256``;
        * key figures: ``report``, ``lang``, ``key``, ``label``, ``unit``, ``old``, ``new``;
        * reports: ``report``, ``lang``, ``title`` and, for a changed report, ``parameters``
          (``{name: [old, new]}`` for each parameter that differs).
    """
    changes: dict[str, Any] = {
        "previous_run_id": (old or {}).get("run_id"),
        "run_id": new.get("run_id"),
        "first_build": old is None,
        "previous_data_version": (old or {}).get("data_version"),
        "data_version": new.get("data_version"),
        "data_files": [],
        "key_figures": [],
        "reports": [],
    }
    if old is None:
        return changes

    old_files = old.get("data_files") or {}
    new_files = new.get("data_files") or {}
    for path in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(path), new_files.get(path)
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        changes["data_files"].append(
            {"path": path, "change": change, "old_sha256": before, "new_sha256": after}
        )

    old_langs, new_langs = _report_langs(old), _report_langs(new)
    for report, lang in sorted(set(old_langs) | set(new_langs)):
        before, after = old_langs.get((report, lang)), new_langs.get((report, lang))
        if before is None or after is None:
            changes["reports"].append(
                {
                    "report": report,
                    "lang": lang,
                    "title": _title(new if after is not None else old, report, lang),
                    "change": "added" if before is None else "removed",
                }
            )
        elif before.get("content_sha256") != after.get("content_sha256"):
            old_params = before.get("parameters") or {}
            new_params = after.get("parameters") or {}
            changes["reports"].append(
                {
                    "report": report,
                    "lang": lang,
                    "title": _title(new, report, lang),
                    "change": "changed",
                    # Different parameters explain a change as much as different data do.
                    "parameters": {
                        name: [old_params.get(name), new_params.get(name)]
                        for name in sorted(set(old_params) | set(new_params))
                        if old_params.get(name) != new_params.get(name)
                    },
                }
            )

        old_figs = (before or {}).get("key_figures") or {}
        new_figs = (after or {}).get("key_figures") or {}
        for key in sorted(set(old_figs) | set(new_figs)):
            fig_old = _figure(old_figs[key]) if key in old_figs else None
            fig_new = _figure(new_figs[key]) if key in new_figs else None
            if fig_old is not None and fig_new is not None:
                if _same_value(fig_old.get("value"), fig_new.get("value")) and fig_old.get(
                    "unit"
                ) == fig_new.get("unit"):
                    continue
                change = "changed"
            else:
                change = "added" if fig_old is None else "removed"
            shown = fig_new if fig_new is not None else fig_old or {}
            changes["key_figures"].append(
                {
                    "report": report,
                    "lang": lang,
                    "key": key,
                    "label": shown.get("label") or key,
                    "unit": shown.get("unit") or "",
                    "old": (fig_old or {}).get("value"),
                    "new": (fig_new or {}).get("value"),
                    "old_unit": (fig_old or {}).get("unit") or "",
                    "change": change,
                }
            )
    return changes


def summarize_changes(changes: dict[str, Any]) -> str:
    """One-line plain-text summary of :func:`compare_manifests` output (for logs and tables).

    Args:
        changes: Output of :func:`compare_manifests`.
    """
    if changes.get("first_build"):
        return "first build"
    counts = [
        (len(changes.get("data_files", [])), "data file"),
        (len(changes.get("key_figures", [])), "key figure"),
        (len({r["report"] for r in changes.get("reports", [])}), "report"),
    ]
    parts = [f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts if n]
    if not parts:
        return f"no changes since {changes.get('previous_run_id')}"
    return f"changed since {changes.get('previous_run_id')}: " + ", ".join(parts)


def list_failed_runs(builds_root: Path) -> list[tuple[str, list[str]]]:
    """List the runs whose failed notebooks the engine kept in ``failed/<run id>/``.

    Args:
        builds_root: Folder holding the build folders.

    Returns:
        ``(run id, [file names])`` pairs, newest first.
    """
    failed_root = Path(builds_root) / FAILED_DIR
    if not failed_root.is_dir():
        return []
    runs = []
    for entry in failed_root.iterdir():
        if entry.is_dir() and not entry.is_symlink() and BUILD_NAME_RE.match(entry.name):
            files = sorted(p.name for p in entry.iterdir() if p.is_file())
            runs.append((entry.name, files))
    return sorted(runs, reverse=True)
