"""The build's own pages, from the templates in ``report/templates/build/``.

* ``<build>/index.html``: every report x language x format of one build, its data version and
  what changed since the previous build (``index.html.j2`` including ``changes.html.j2``);
* ``<builds>/index.html``: the history page, every kept build and the failed runs
  (``history.html.j2``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from gba_report import paths
from gba_report.engine import history
from gba_report.engine.layout import HISTORY_INDEX, INDEX_FILE
from gba_report.fileio import atomic_write_text


def fmt_figure(value: Any, unit: str = "") -> str:
    """A key figure or parameter value as the pages show it (``—`` for none).

    Args:
        value: The value.
        unit: Its unit, appended after a space.
    """
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.4g}" if abs(value) >= 1e6 else f"{value:,.6g}"
    else:
        text = str(value)
    return f"{text} {unit}".strip() if unit else text


def _utc(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _parameters(values: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{k}={', '.join(v) if isinstance(v, list) else v}"
        for k, v in values.items()
        if k != "lang"
    )


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.pages_template_dir())),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        figure=fmt_figure,
        utc=_utc,
        plural=_plural,
        parameters=_parameters,
        run_time=history.stamp_of,
    )
    return env


def render_changes_html(changes: Mapping[str, Any]) -> str:
    """Render :func:`gba_report.engine.history.compare_manifests` as an HTML fragment.

    The fragment is a ``<div class="changes-since-previous" id="changes">`` in English with
    Traditional Chinese labels alongside, ending with a link to the history page
    (``../index.html``); every value taken from a manifest is HTML-escaped.
    """
    return _environment().get_template("changes.html.j2").render(changes=changes).strip()


def report_groups(reports: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The manifest's report entries grouped by report: a report's variants under it.

    Args:
        reports: ``reports`` of manifest.json.

    Returns:
        One group per report in manifest order: ``report``, ``title``, ``variants`` (whether
        its entries are variants) and ``entries`` (the report entries).
    """
    groups: dict[str, dict[str, Any]] = {}
    for name, info in reports.items():
        key = info.get("variant_of") or name
        group = groups.setdefault(
            key, {"report": key, "title": info["title"], "variants": False, "entries": []}
        )
        group["variants"] = group["variants"] or "variant" in info
        group["entries"].append(info)
    return list(groups.values())


def render_index(manifest: Mapping[str, Any], changes: Mapping[str, Any]) -> str:
    """Render a build's ``index.html``.

    Args:
        manifest: The build manifest (as written to manifest.json, ``finished`` set).
        changes: What changed since the previous build.
    """
    groups = report_groups(manifest.get("reports") or {})
    return (
        _environment()
        .get_template("index.html.j2")
        .render(manifest=manifest, changes=changes, groups=groups)
    )


def write_index(build_dir: Path, manifest: Mapping[str, Any], changes: Mapping[str, Any]) -> Path:
    """Write ``index.html`` into a build folder; return its path."""
    return atomic_write_text(build_dir / INDEX_FILE, render_index(manifest, changes))


@dataclass(frozen=True)
class HistoryRow:
    """One build as the history page lists it."""

    build: history.BuildInfo
    summary: str | None
    has_index: bool

    @property
    def run_id(self) -> str:
        """The manifest's run id, else the folder name."""
        return str((self.build.manifest or {}).get("run_id") or self.build.name)

    @property
    def data_version(self) -> str:
        """The data version, or ``—``."""
        return str((self.build.manifest or {}).get("data_version") or "—")

    @property
    def status_class(self) -> str:
        """CSS class suffix of the status."""
        return re.sub(r"[^a-z]", "", self.build.status.lower()) or "unknown"

    @property
    def reports(self) -> int:
        """Number of reports."""
        return len((self.build.manifest or {}).get("reports") or {})

    @property
    def files(self) -> int:
        """Number of output files."""
        return len((self.build.manifest or {}).get("outputs") or {})


def render_history_html(
    builds: list[history.BuildInfo],
    generated: datetime | None = None,
    failed: list[tuple[str, list[str]]] | None = None,
) -> str:
    """Render the history page for a list of builds (oldest first; shown newest first).

    Args:
        builds: Output of :func:`gba_report.engine.history.list_builds`.
        generated: Time to print as "generated at" (defaults to now).
        failed: Output of :func:`gba_report.engine.history.list_failed_runs`.

    Returns:
        A complete, self-contained HTML document.
    """
    summaries: dict[str, str] = {}
    previous_ok: dict[str, Any] | None = None
    for build in builds:  # oldest first, so each build is compared with the one before it
        if build.ok and build.manifest is not None:
            changes = history.compare_manifests(previous_ok, build.manifest)
            summaries[build.name] = history.summarize_changes(changes)
            previous_ok = build.manifest
    rows = [
        HistoryRow(build, summaries.get(build.name), (build.path / INDEX_FILE).is_file())
        for build in reversed(builds)
    ]
    return (
        _environment()
        .get_template("history.html.j2")
        .render(
            rows=rows,
            kept=len(builds),
            latest=next((b for b in builds if b.is_latest), None),
            failed=failed or [],
            generated=generated or datetime.now(UTC),
        )
    )


def write_history_index(builds_root: Path) -> Path | None:
    """Rewrite ``builds_root/index.html`` listing every kept build (time, data version, status).

    The page is written to a temporary file and renamed into place, so a reader never sees a
    half-written page.

    Args:
        builds_root: Folder holding the build folders and the ``latest`` symlink.

    Returns:
        The path of the page, or None when ``builds_root`` does not exist.
    """
    root = Path(builds_root)
    if not root.is_dir():
        return None
    page = render_history_html(history.list_builds(root), failed=history.list_failed_runs(root))
    return atomic_write_text(root / HISTORY_INDEX, page)
