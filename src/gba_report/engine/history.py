"""Build history and "what changed since the previous build".

A published build is a folder ``report/build/<YYYYmmddTHHMMSSZ>-<random>/`` holding a
``manifest.json`` (written by :mod:`gba_report.engine.build`). This module reads those manifests to

* find the previous successful build (:func:`previous_manifest`),
* describe what changed between two builds: data files by sha256, key figures each report
  recorded about itself (old -> new), reports whose executed content changed
  (:func:`compare_manifests`, :func:`render_changes_html`),
* write ``report/build/index.html``, the history page listing every kept build
  (:func:`write_history_index`).

Everything here reads only ``manifest.json`` files; nothing is scraped from HTML.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: Name of a published build folder: ``20261129T153000Z-ab12cd`` (the suffix is optional).
BUILD_NAME_RE = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)(?:-[A-Za-z0-9_.-]+)?$")

#: Name of the symlink pointing at the newest good build.
LATEST = "latest"

#: File name of a build's manifest.
MANIFEST = "manifest.json"

#: File name of the history page inside the builds folder.
HISTORY_INDEX = "index.html"


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


def read_manifest(build_dir: Path) -> dict[str, Any] | None:
    """Return a build folder's parsed ``manifest.json``, or None when missing or invalid.

    Args:
        build_dir: A build folder.
    """
    try:
        data = json.loads((Path(build_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


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


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.4g}" if abs(value) >= 1e6 else f"{value:,.6g}"
    else:
        text = str(value)
    return f"{text} {unit}".strip() if unit else text


_E = html.escape


_CHANGE_LABEL = {
    "changed": "changed · 已變更",
    "added": "added · 新增",
    "removed": "removed · 移除",
}


def render_changes_html(changes: dict[str, Any]) -> str:
    """Render the output of :func:`compare_manifests` as an HTML fragment for a build's index.

    The fragment is a ``<div class="changes-since-previous" id="changes">`` in English with
    Traditional Chinese labels alongside, ending with a link to the history page
    (``../index.html``); every value taken from a manifest is HTML-escaped.

    Args:
        changes: Output of :func:`compare_manifests`.

    Returns:
        The HTML fragment (no ``<html>``/``<body>``; the caller embeds it).
    """
    out = [
        '<div class="changes-since-previous" id="changes">',
        "<h2>What changed since the previous build · 自上次建置以來的變更</h2>",
    ]
    end = '<p><a href="../index.html">All builds · 所有建置</a></p>\n</div>'
    if changes.get("first_build"):
        out.append(
            '<p class="first-build">First build: there is no previous build to compare with. '
            "· 首次建置：沒有可比較的上一次建置。</p>"
        )
        out.append(end)
        return "\n".join(out)

    prev = changes.get("previous_run_id") or "?"
    out.append(
        f"<p>Compared with build <code>{_E(str(prev))}</code> · 與上一次建置比較"
        + (
            f" (data version <code>{_E(str(changes.get('previous_data_version')))}</code> → "
            f"<code>{_E(str(changes.get('data_version')))}</code>)"
            if changes.get("previous_data_version") != changes.get("data_version")
            else ""
        )
        + ".</p>"
    )
    files, figures, reports = (
        changes.get("data_files") or [],
        changes.get("key_figures") or [],
        changes.get("reports") or [],
    )
    if not (files or figures or reports):
        out.append(
            '<p class="no-changes">No changes: same data, same key figures, same report '
            "content. · 沒有變更。</p>"
        )
        out.append(end)
        return "\n".join(out)

    if files:
        out.append(f"<h3>Data files · 數據檔案 ({len(files)})</h3>")
        out.append(
            '<table class="changes-data"><thead><tr><th>File · 檔案</th><th>Change · 變更</th>'
            "<th>Old sha256 · 舊</th><th>New sha256 · 新</th></tr></thead><tbody>"
        )
        for item in files:
            out.append(
                f"<tr><td><code>{_E(str(item['path']))}</code></td>"
                f"<td>{_E(_CHANGE_LABEL.get(item['change'], item['change']))}</td>"
                f"<td><code>{_E(str(item.get('old_sha256') or '—')[:12])}</code></td>"
                f"<td><code>{_E(str(item.get('new_sha256') or '—')[:12])}</code></td></tr>"
            )
        out.append("</tbody></table>")

    if figures:
        out.append(f"<h3>Key figures · 關鍵數字 ({len(figures)})</h3>")
        out.append(
            '<table class="changes-figures"><thead><tr><th>Report · 報告</th>'
            "<th>Language · 語言</th><th>Figure · 數字</th><th>Old · 舊</th><th></th>"
            "<th>New · 新</th></tr></thead><tbody>"
        )
        for item in figures:
            out.append(
                f"<tr><td>{_E(str(item['report']))}</td><td>{_E(str(item['lang']))}</td>"
                f"<td>{_E(str(item['label']))} <small><code>{_E(str(item['key']))}</code>"
                f"</small></td>"
                f'<td class="old">{_E(_fmt(item.get("old"), item.get("old_unit") or ""))}</td>'
                "<td>→</td>"
                f'<td class="new">{_E(_fmt(item.get("new"), item.get("unit") or ""))}</td></tr>'
            )
        out.append("</tbody></table>")

    if reports:
        out.append(f"<h3>Reports whose content changed · 內容有變更的報告 ({len(reports)})</h3>")
        out.append('<ul class="changes-reports">')
        for item in reports:
            params = "; ".join(
                f"{name} {_fmt(old)} → {_fmt(new)}"
                for name, (old, new) in (item.get("parameters") or {}).items()
            )
            out.append(
                f"<li>{_E(str(item['title']))} (<code>{_E(str(item['report']))}</code>, "
                f"{_E(str(item['lang']))}): "
                f"{_E(_CHANGE_LABEL.get(item['change'], item['change']))}"
                + (f" — parameters changed · 參數已變更: {_E(params)}" if params else "")
                + "</li>"
            )
        out.append("</ul>")
    out.append(end)
    return "\n".join(out)


_INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK TC",
  sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; } table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f4f4f4; } code { font-size: .85em; }
tr.latest { background: #eef6ee; } .status-success { color: #17692c; }
.status-failed, .status-incomplete, .status-unknown { color: #a11; font-weight: 600; }
.badge { background: #17692c; color: #fff; border-radius: .25rem; padding: 0 .35rem;
  font-size: .8em; }
"""


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _fmt_time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def list_failed_runs(builds_root: Path) -> list[tuple[str, list[str]]]:
    """List the runs whose failed notebooks the engine kept in ``failed/<run id>/``.

    Args:
        builds_root: Folder holding the build folders.

    Returns:
        ``(run id, [file names])`` pairs, newest first.
    """
    failed_root = Path(builds_root) / "failed"
    if not failed_root.is_dir():
        return []
    runs = []
    for entry in failed_root.iterdir():
        if entry.is_dir() and not entry.is_symlink() and BUILD_NAME_RE.match(entry.name):
            files = sorted(p.name for p in entry.iterdir() if p.is_file())
            runs.append((entry.name, files))
    return sorted(runs, reverse=True)


def _failed_section(failed: list[tuple[str, list[str]]]) -> str:
    if not failed:
        return ""
    rows = []
    for run_id, files in failed:
        links = " · ".join(
            f'<a href="failed/{_E(run_id, quote=True)}/{_E(name, quote=True)}">{_E(name)}</a>'
            for name in files
        )
        rows.append(
            f"<tr><td>{_E(_fmt_time(stamp_of(run_id)))}</td><td><code>{_E(run_id)}</code></td>"
            f"<td>{links or '—'}</td></tr>"
        )
    return (
        "<h2>Failed runs · 失敗的建置</h2>\n<p>Nothing of these runs was published; the "
        "executed notebooks (with the error) and worker logs are kept for debugging. · "
        "這些建置未有發佈；保留已執行的筆記本及記錄以便除錯。</p>\n"
        '<table class="failed"><thead><tr><th>Time · 時間</th><th>Run id · 編號</th>'
        "<th>Files · 檔案</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )


def render_history_html(
    builds: list[BuildInfo],
    generated: datetime | None = None,
    failed: list[tuple[str, list[str]]] | None = None,
) -> str:
    """Render the history page for a list of builds (oldest first; shown newest first).

    Args:
        builds: Output of :func:`list_builds`.
        generated: Time to print as "generated at" (defaults to now).
        failed: Output of :func:`list_failed_runs` (listed under the builds).

    Returns:
        A complete, self-contained HTML document.
    """
    generated = generated or datetime.now(UTC)
    rows = []
    previous_ok: dict[str, Any] | None = None
    summaries: dict[str, str] = {}
    for build in builds:  # oldest first, so each build is compared with the one before it
        if build.ok and build.manifest is not None:
            summaries[build.name] = summarize_changes(
                compare_manifests(previous_ok, build.manifest)
            )
            previous_ok = build.manifest
    for build in reversed(builds):
        manifest = build.manifest or {}
        reports = manifest.get("reports") or {}
        n_outputs = len(manifest.get("outputs") or {})
        link = f"{build.name}/index.html"
        has_index = (build.path / "index.html").is_file()
        latest_badge = ' <span class="badge">latest · 最新</span>' if build.is_latest else ""
        status = build.status
        rows.append(
            f'<tr class="{"latest" if build.is_latest else ""}">'
            f"<td>{_E(_fmt_time(build.time))}{latest_badge}</td>"
            f"<td><code>{_E(str(manifest.get('run_id') or build.name))}</code></td>"
            f"<td><code>{_E(str(manifest.get('data_version') or '—'))}</code></td>"
            f'<td class="status-{_E(re.sub(r"[^a-z]", "", status.lower()) or "unknown")}">'
            f"{_E(status)}</td>"
            f"<td>{_plural(len(reports), 'report')}, {_plural(n_outputs, 'file')}</td>"
            + (
                f'<td><a href="{_E(build.name, quote=True)}/index.html#changes">'
                f"{_E(summaries[build.name])}</a></td>"
                if has_index and build.name in summaries
                else f"<td>{_E(summaries.get(build.name, '—'))}</td>"
            )
            + (
                f'<td><a href="{_E(link, quote=True)}">open · 開啟</a></td>'
                if has_index
                else "<td>—</td>"
            )
            + "</tr>"
        )
    latest = next((b for b in builds if b.is_latest), None)
    latest_line = (
        f'<p><a href="latest/index.html">Latest build · 最新建置</a>: '
        f"<code>{_E(latest.name)}</code> ({_E(_fmt_time(latest.time))})</p>"
        if latest is not None
        else "<p>No build is marked <code>latest</code> yet. · 尚無最新建置。</p>"
    )
    body = "\n".join(rows) if rows else '<tr><td colspan="7">No builds yet. · 尚無建置。</td></tr>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GBA innovation report: build history · 建置紀錄</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<h1>GBA innovation report: build history · 大灣區創新報告建置紀錄</h1>
{latest_line}
<p>{len(builds)} kept build(s), newest first. Each build's page lists what changed since the
build before it. · 保留的建置（由新至舊）；每次建置的頁面列出與上一次建置相比的變更。</p>
<table class="history">
<thead><tr><th>Time · 時間</th><th>Run id · 編號</th><th>Data version · 數據版本</th>
<th>Status · 狀態</th><th>Contents · 內容</th><th>Changes · 變更</th><th>Index · 索引</th></tr>
</thead>
<tbody>
{body}
</tbody>
</table>
{_failed_section(failed or [])}
<p><small>Generated {_E(_fmt_time(generated))} by <code>gba-report history</code>.</small></p>
</body>
</html>
"""


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
    page = render_history_html(list_builds(root), failed=list_failed_runs(root))
    target = root / HISTORY_INDEX
    fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".html.tmp", dir=root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
