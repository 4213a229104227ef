"""Re-run a kept build and say whether it came out the same (``gba-report reproduce``).

A kept build's ``manifest.json`` records the parameters of every report x language, the
sha256 of every data file and of the lock file. :func:`reproduce` first checks that the data
files are still the ones recorded (otherwise it names those that differ and runs nothing),
then builds the same reports, languages, parameters and variants (as ``--matrix`` axes) again,
ignoring the cache, into a
temporary builds folder (never the real one: ``latest`` is not touched), and compares what
matters to a reader: every key figure, and the text of every report (its HTML with tags,
scripts, styles and charts removed, whitespace collapsed, the build's run id and date set
aside).
"""

from __future__ import annotations

import difflib
import html
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from gba_report import lockfile, paths
from gba_report.engine import citation, digest, exitcodes, export
from gba_report.engine.build import run_build
from gba_report.engine.errors import BuildError
from gba_report.engine.layout import MANIFEST_FILE
from gba_report.engine.options import BuildOptions
from gba_report.engine.progress import Progress
from gba_report.present import i18n

_HIDDEN = re.compile(r"<(script|style|svg|head)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_RUN_ID = re.compile(r"\b\d{8}T\d{6}Z(?:-[0-9a-f]{6})?\b")


@dataclass(frozen=True)
class Reproduction:
    """What :func:`reproduce` found.

    Attributes:
        run_id: The build re-run.
        runs: Report x language runs compared.
        differences: One line per difference (empty: identical).
        warnings: What differs in the environment without making the data differ (lock
            file, git commit).
        kept: The temporary builds folder, when asked to keep it.
    """

    run_id: str
    runs: int
    differences: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept: Path | None = None

    @property
    def identical(self) -> bool:
        """Whether every key figure and every report's text came out the same."""
        return not self.differences


def load_kept_manifest(builds: Path, run_id: str) -> dict[str, Any]:
    """Read the manifest of the kept build ``run_id``.

    Raises:
        BuildError: No such build, or its manifest is unreadable (exit code 2).
    """
    path = builds / run_id / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError(
            f"no kept build {run_id!r} in {builds} ({path} is missing); "
            "`gba-report history` lists the kept builds",
            exitcodes.USAGE,
        ) from None
    except (OSError, ValueError) as exc:
        raise BuildError(f"cannot read {path}: {exc}", exitcodes.USAGE) from exc
    if not isinstance(manifest, dict) or not manifest.get("reports"):
        raise BuildError(f"{path} lists no reports: nothing to reproduce", exitcodes.USAGE)
    return manifest


def data_differences(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """Data files whose content is not what a build recorded (``data/x.csv (changed)``)."""
    out = [
        f"{name} (changed)"
        for name in recorded
        if name in current and current[name] != recorded[name]
    ]
    out += [f"{name} (missing)" for name in recorded if name not in current]
    out += [f"{name} (new)" for name in current if name not in recorded]
    return sorted(out)


def reader_text(page: str, run_id: str, date: str, lang: str) -> str:
    """The text a reader reads in an HTML page, with the build's run id and date set aside.

    Args:
        page: The HTML.
        run_id: The build's run id.
        date: The build's date (``YYYY-MM-DD``), as the title block shows it.
        lang: The page's language (how the date is written).
    """
    text = html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))
    for form in {date, i18n.fmt_date(date, "day", lang)}:
        text = text.replace(form, "<build date>")
    text = text.replace(run_id, "<run id>")
    text = _RUN_ID.sub("<run id>", text)
    return " ".join(text.split())


def text_difference(old: str, new: str, width: int = 60) -> str | None:
    """Where two texts first differ (``'...old...' became '...new...'``), or None."""
    if old == new:
        return None
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            start_old, start_new = max(0, i1 - 20), max(0, j1 - 20)
            return (
                f"{old[start_old : max(i2, i1 + 1) + 20][:width]!r} became "
                f"{new[start_new : max(j2, j1 + 1) + 20][:width]!r}"
            )
    return None  # pragma: no cover - unequal texts always have an opcode that is not equal


def _report_page(build_dir: Path, info: Mapping[str, Any], lang: str, run_id: str) -> str:
    """A build's HTML of one report x language, exported from its notebook if it has none.

    The export is the page the build would have published: it names the job's own files (a
    variant's ``<report>--<variant>.<lang>.*``, from the executed notebook's name) and its
    "How to cite" box carries the build's run id.
    """
    outputs = info.get("outputs") or {}
    if "html" in outputs and (build_dir / outputs["html"]).is_file():
        return (build_dir / outputs["html"]).read_text(encoding="utf-8")
    executed = build_dir / outputs["executed"]
    nb = nbformat.read(executed, as_version=4)
    page = export.export_html(nb, paths.report_template_dir(), lang, executed.stem)
    return citation.fill_run_id(page, run_id)


def compare_builds(
    old_dir: Path, old: Mapping[str, Any], new_dir: Path, new: Mapping[str, Any]
) -> list[str]:
    """Every difference in key figures and report text between two builds of the same runs."""
    differences = []
    old_date, new_date = str(old["started"])[:10], str(new["started"])[:10]
    for report, entry in old["reports"].items():
        for lang, info in entry["langs"].items():
            where = f"{report} ({lang})"
            again = (new["reports"].get(report) or {}).get("langs", {}).get(lang)
            if again is None:
                differences.append(f"{where}: not built again")
                continue
            before, after = info.get("key_figures") or {}, again.get("key_figures") or {}
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    was = (before.get(name) or {}).get("value", "absent")
                    now = (after.get(name) or {}).get("value", "absent")
                    differences.append(f"{where}: key figure {name} was {was}, now {now}")
            old_page = _report_page(old_dir, info, lang, old["run_id"])
            new_page = _report_page(new_dir, again, lang, new["run_id"])
            old_text = reader_text(old_page, old["run_id"], old_date, lang)
            new_text = reader_text(new_page, new["run_id"], new_date, lang)
            where_text = text_difference(old_text, new_text)
            if where_text:
                differences.append(f"{where}: the text differs: {where_text}")
    return differences


def _axis_values(values: list[Any]) -> str:
    """Values of one ``--matrix`` axis as :func:`variants.expand_values` reads them back."""

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return str(value)

    if any(isinstance(value, list | tuple) for value in values):
        joined = ";".join(text(value) for value in values)
        return joined if len(values) > 1 else joined + ";"  # ';' marks list values
    return ",".join(text(value) for value in values)


def _options(manifest: Mapping[str, Any], work: Path, jobs: int | None) -> BuildOptions:
    """The options that build the kept build's runs again (its variants as report axes).

    A variant's entry (``<report>--<variant>``) names its report (``variant_of``) and its
    assignments (``variant``); a report's variants are the product of its axes, so each axis
    is the values its variants take, in their order.
    """
    params: dict[str, dict[str, Any]] = {}
    axes: dict[str, dict[str, list[Any]]] = {}
    langs: list[str] = []
    for name, entry in manifest["reports"].items():
        report = entry.get("variant_of") or name
        variant = entry.get("variant") or {}
        for pname, value in variant.items():
            seen = axes.setdefault(report, {}).setdefault(pname, [])
            seen += [value] if value not in seen else []
        for lang, info in entry["langs"].items():
            langs += [lang] if lang not in langs else []
            params[report] = {
                k: v for k, v in info["parameters"].items() if k != "lang" and k not in variant
            }
    params_file = work / "parameters.yml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    timeout = (manifest.get("settings") or {}).get("cell_timeout")
    matrix = tuple(
        f"{report}.{pname}={_axis_values(values)}"
        for report, mine in axes.items()
        for pname, values in mine.items()
    )
    return BuildOptions(
        reports=tuple(params),
        matrix=matrix,
        langs=tuple(langs),
        formats=("html",),
        params_file=params_file,
        jobs=jobs,
        force=True,
        cell_timeout=timeout,
        out=work / "builds",
    )


def _environment_warnings(manifest: Mapping[str, Any]) -> list[str]:
    warnings = []
    recorded, current = manifest.get("lock_sha256"), lockfile.lock_sha256()
    if recorded and recorded != current:
        warnings.append(
            f"the locked environment differs: requirements.lock sha256 {recorded[:12]} then, "
            f"{(current or 'none')[:12]} now"
        )
    return warnings


def reproduce(
    builds: Path,
    run_id: str,
    progress: Progress,
    jobs: int | None = None,
    keep: bool = False,
) -> Reproduction:
    """Re-run the kept build ``run_id`` of ``builds`` and compare it with the original.

    Args:
        builds: The builds folder holding the kept build.
        run_id: The build to reproduce.
        progress: Where the re-run's progress goes.
        jobs: Report x language runs at a time (None: CPU count).
        keep: Keep the temporary builds folder (its path is in the result).

    Raises:
        BuildError: Unknown build (exit code 2); data files that differ from the recorded
            ones (exit code 1, naming them); or the re-run failed (its own code).
    """
    manifest = load_kept_manifest(builds, run_id)
    changed = data_differences(manifest.get("data_files") or {}, digest.data_file_hashes())
    if changed:
        raise BuildError(
            f"cannot reproduce {run_id}: the data files differ from the ones it was built "
            f"from: {', '.join(changed)}. Restore them (e.g. from git) and run again.",
            exitcodes.FAILED,
        )
    warnings = _environment_warnings(manifest)
    for line in warnings:
        progress.warning(line)
    work = Path(tempfile.mkdtemp(prefix=f"gba-reproduce-{run_id}-"))
    try:
        result = run_build(_options(manifest, work, jobs), progress)
        differences = compare_builds(
            builds / run_id, manifest, result.build_dir, result.manifest.to_dict()
        )
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    runs = sum(len(entry["langs"]) for entry in manifest["reports"].values())
    return Reproduction(run_id, runs, differences, warnings, work if keep else None)
