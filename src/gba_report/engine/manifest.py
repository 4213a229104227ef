"""The build manifest ``manifest.json``: what was built, from what, and what each report says.

Each job contributes a :class:`JobRecord` (its manifest fragment: parameters, timing, cache
use, content hash, key figures, files, downloads); :class:`BuildManifest` gathers them with the
run id, times, versions and the sha256 of every data file and output. Recording a job also
writes its downloads (:mod:`.downloads`) from its executed notebook; writing the manifest puts
the run id into every report's "How to cite" box and writes the build's citation files
(:mod:`.citation`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from gba_report import keyfigures, lockfile, paths
from gba_report.engine import citation, digest, downloads
from gba_report.engine.config import load_config
from gba_report.engine.execute import ExecutedJob, executed_file
from gba_report.engine.layout import EXECUTED_DIR, MANIFEST_FILE
from gba_report.engine.plan import Plan
from gba_report.fileio import atomic_write_text

#: Packages whose versions go into manifest.json.
KEY_PACKAGES = (
    "gba-report",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "pandera",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "playwright",
)


def iso(ts: dt.datetime) -> str:
    """``2026-11-29T16:06:56Z``."""
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class JobRecord:
    """The manifest fragment of one report x language.

    Attributes:
        report: Report name.
        lang: Language.
        parameters: The values it ran with.
        duration_s: Time its execute stage took.
        cached: Its execution came from the cache.
        content_sha256: :func:`gba_report.engine.digest.content_hash` of the executed notebook.
        key_figures: What the report recorded about itself (:mod:`gba_report.keyfigures`).
        outputs: Its files in the build, by format (``executed``: the notebook; ``data``: the
            data archive; ``bib``: its BibTeX entry).
        downloads: Its download files (``files``: every CSV, SVG and PNG; ``archive``).
    """

    report: str
    lang: str
    parameters: dict[str, Any]
    duration_s: float
    cached: bool
    content_sha256: str
    key_figures: dict[str, dict]
    outputs: dict[str, str]
    downloads: dict[str, Any] = field(default_factory=dict)

    def entry(self) -> dict[str, Any]:
        """The ``reports.<report>.langs.<lang>`` entry of manifest.json."""
        return {
            "parameters": self.parameters,
            "duration_s": round(self.duration_s, 3),
            "cached": self.cached,
            "content_sha256": self.content_sha256,
            "key_figures": self.key_figures,
            "outputs": self.outputs,
            "downloads": self.downloads,
        }


def record_job(item: ExecutedJob, formats: Sequence[str], staging: Path) -> JobRecord:
    """Write a job's executed notebook into the build and return its manifest fragment.

    Args:
        item: The job after the execute stage (it succeeded).
        formats: Formats built.
        staging: The build's temporary folder.
    """
    job = item.job
    # The copy in the job's work folder: executed by this build, or checked when copied from
    # the cache (the cache entry itself may have changed since).
    nb = json.loads(executed_file(staging, job).read_text(encoding="utf-8"))
    nb.setdefault("metadata", {})["gba_report"] = job.meta.to_dict()
    executed = f"{EXECUTED_DIR}/{job.stem}.ipynb"
    atomic_write_text(staging / executed, json.dumps(nb, ensure_ascii=False, indent=1) + "\n")
    outputs = {fmt: f"{job.stem}.{fmt}" for fmt in formats}
    outputs["executed"] = executed
    files = downloads.publish(
        nb, job.stem, job.meta.title, job.lang, job.meta.data_version, staging
    )
    if files:
        outputs["data"] = files["archive"]
    outputs["bib"] = citation.bib_name(job.stem)
    return JobRecord(
        report=job.report,
        lang=job.lang,
        parameters=job.parameters,
        duration_s=item.duration_s,
        cached=job.exec_cached,
        content_sha256=digest.content_hash(nb),
        key_figures=keyfigures.extract(nb),
        outputs=outputs,
        downloads=files,
    )


@dataclass(frozen=True)
class BuildManifest:
    """``manifest.json`` of one build (field order is the file's key order)."""

    run_id: str
    status: str
    started: str
    finished: str | None
    git_commit: str | None
    #: sha256 of ``requirements.lock`` (:func:`gba_report.lockfile.lock_sha256`), None without.
    lock_sha256: str | None
    versions: dict[str, str]
    data_version: str
    data_files: dict[str, str]
    settings: dict[str, Any]
    outputs: dict[str, str] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON mapping written to manifest.json."""
        return dataclasses.asdict(self)


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=paths.PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):  # no git, or not a checkout: unknown
        return None
    return out.stdout.strip() or None


def _versions(chromium_version: str | None) -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in KEY_PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    if chromium_version:
        versions["chromium"] = chromium_version
    return versions


def _display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def build_manifest(
    plan: Plan, records: Sequence[JobRecord], chromium_version: str | None
) -> BuildManifest:
    """Gather the job records of a successful build (``finished`` and ``outputs`` still empty).

    Args:
        plan: The build.
        records: One record per job, in plan order.
        chromium_version: Version of the browser that printed, if one was started.
    """
    reports: dict[str, Any] = {}
    notebooks = {job.report: job.notebook for job in plan.jobs}
    for record in records:
        entry = reports.setdefault(
            record.report,
            {
                "title": plan.config.reports[record.report].title,
                "notebook": _display_path(notebooks[record.report]),
                "langs": {},
            },
        )
        entry["langs"][record.lang] = record.entry()
    return BuildManifest(
        run_id=plan.run_id,
        status="success",
        started=iso(plan.started),
        finished=None,
        git_commit=_git_commit(),
        lock_sha256=lockfile.lock_sha256(),
        versions=_versions(chromium_version),
        data_version=plan.inputs.data_version,
        data_files=plan.inputs.data_files,
        settings={
            "languages": list(plan.langs),
            "formats": list(plan.formats),
            "cell_timeout": plan.cell_timeout,
            "jobs": plan.n_jobs,
            "forced": plan.force,
        },
        reports=reports,
    )


def finished(manifest: BuildManifest) -> BuildManifest:
    """The manifest with ``finished`` set to now."""
    return dataclasses.replace(manifest, finished=iso(dt.datetime.now(dt.UTC)))


def _write_citations(manifest: BuildManifest, staging: Path) -> None:
    """Run id into every HTML's "How to cite" box; a BibTeX file per report; CITATION.cff."""
    settings = load_config().settings
    built = manifest.to_dict()
    for name, entry in manifest.reports.items():
        for lang, job in entry["langs"].items():
            stem = f"{name}.{lang}"
            page = staging / job["outputs"].get("html", f"{stem}.html")
            if page.is_file():
                text = page.read_text(encoding="utf-8")
                atomic_write_text(page, citation.fill_run_id(text, manifest.run_id))
            title = citation.load_title(entry, lang)
            bib = citation.bibtex(stem, title, lang, built, settings)
            atomic_write_text(staging / citation.bib_name(stem), bib)
    atomic_write_text(staging / citation.CFF_FILE, citation.citation_cff(built, settings))


def write_manifest(manifest: BuildManifest, staging: Path) -> BuildManifest:
    """Hash every file of the build into ``outputs`` and write ``manifest.json``.

    Args:
        manifest: The finished manifest.
        staging: The build's temporary folder (complete but for the manifest).

    Returns:
        The manifest as written.
    """
    _write_citations(manifest, staging)
    outputs = {rel: sha for rel, sha in digest.tree_hashes(staging).items() if rel != MANIFEST_FILE}
    manifest = dataclasses.replace(manifest, outputs=outputs)
    text = json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(staging / MANIFEST_FILE, text)
    return manifest
