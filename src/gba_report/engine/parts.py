"""Parts of a sharded build: written by ``build --shard I/N``, joined by ``gba-report publish``.

A part folder holds its jobs' files exactly as a build folder would (``<stem>.html``,
``<stem>.pdf``, ``executed/<stem>.ipynb``) and ``part.json`` (:class:`PartManifest`): the
shard, the plan's fingerprint and what it is made of (code, lock, data, template, languages,
formats and every job of the whole plan with its parameters), and one manifest fragment
(:class:`~gba_report.engine.manifest.JobRecord`) per job of the part. ``part.json`` is written
last, so a part without it is unfinished.

Publishing checks that every part has the same fingerprint and that together they hold every
job of the plan once, then writes one build exactly as ``gba-report build`` does (manifest,
index with what changed, history page, ``latest``), under the same publish lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from gba_report import lockfile
from gba_report.engine import digest, exitcodes, history, index, manifest, publish
from gba_report.engine.errors import BuildError
from gba_report.engine.layout import FAILED_DIR
from gba_report.engine.plan import Plan
from gba_report.fileio import atomic_write_text

#: The part manifest, in a part folder.
PART_FILE = "part.json"


def _package_version() -> str:
    try:
        return importlib_metadata.version("gba-report")
    except importlib_metadata.PackageNotFoundError:  # run from a source tree without install
        return "unknown"


def plan_identity(plan: Plan) -> dict[str, Any]:
    """What makes two shards parts of the same build: code, environment, data and every job.

    Machine-local choices (``--jobs``, ``--out``, the cache) are not part of it.
    """
    return {
        "package_version": _package_version(),
        "package_code": plan.inputs.package,
        "lock_sha256": lockfile.lock_sha256(),
        "python": ".".join(str(v) for v in sys.version_info[:2]),
        "kernel": plan.inputs.kernel,
        "template": plan.inputs.template,
        "data_version": plan.inputs.data_version,
        "data_files": digest.sha256_json(plan.inputs.data_files),
        "languages": list(plan.langs),
        "formats": list(plan.formats),
        "cell_timeout": plan.cell_timeout,
        "jobs": {job.stem: job.parameters for job in sorted(plan.all_jobs, key=lambda j: j.stem)},
    }


@dataclass(frozen=True)
class PartManifest:
    """``part.json``: one shard of a build.

    Attributes:
        shard: ``I/N``.
        fingerprint: sha256 of :attr:`identity`.
        identity: :func:`plan_identity` of the plan.
        jobs: Every job stem of the whole plan, in plan order.
        run_id: The shard's own run id.
        started: When the shard's plan was made (UTC, ISO).
        git_commit: The checkout's commit, if known.
        versions: Python, package and browser versions.
        data_files: sha256 of every data file.
        settings: The manifest's ``settings`` of the plan.
        titles: Title per language, per report.
        notebooks: Each report's notebook as the manifest shows it.
        records: The manifest fragment of each job of this part.
    """

    shard: str
    fingerprint: str
    identity: dict[str, Any]
    jobs: list[str]
    run_id: str
    started: str
    git_commit: str | None
    versions: dict[str, str]
    data_files: dict[str, str]
    settings: dict[str, Any]
    titles: dict[str, dict[str, str]]
    notebooks: dict[str, str]
    records: list[manifest.JobRecord]

    def to_json(self) -> str:
        """Serialise."""
        body = dataclasses.asdict(self)
        body["records"] = [r.to_dict() for r in self.records]
        return json.dumps({"type": "part", **body}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def read(cls, folder: Path) -> PartManifest:
        """Read ``folder/part.json``.

        Raises:
            BuildError: Missing, unreadable or not a part manifest (exit code 2).
        """
        path = Path(folder) / PART_FILE
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            if value.get("type") != "part":
                raise ValueError("not a part manifest")
            fields = {k: value[k] for k in cls.__dataclass_fields__}
            fields["records"] = [manifest.JobRecord.from_dict(r) for r in fields["records"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BuildError(
                f"{folder}: not a finished part of `gba-report build --shard` ({path}: {exc})",
                exitcodes.USAGE,
            ) from None
        return cls(**fields)


def make_part(plan: Plan, shard: str, built: manifest.BuildManifest) -> PartManifest:
    """The part manifest of a shard whose jobs are recorded in ``built``."""
    identity = plan_identity(plan)
    records = [
        manifest.JobRecord.from_dict(
            {
                **entry,
                "report": info.get("variant_of") or name,
                "lang": lang,
                "name": name,
                "variant": info.get("variant"),
            }
        )
        for name, info in built.reports.items()
        for lang, entry in info["langs"].items()
    ]
    return PartManifest(
        shard=shard,
        fingerprint=digest.sha256_json(identity),
        identity=identity,
        jobs=[job.stem for job in plan.all_jobs],
        run_id=plan.run_id,
        started=built.started,
        git_commit=built.git_commit,
        versions=built.versions,
        data_files=built.data_files,
        settings=built.settings,
        titles={r: info["title"] for r, info in _by_report(built.reports).items()},
        notebooks={r: info["notebook"] for r, info in _by_report(built.reports).items()},
        records=records,
    )


def _by_report(reports: dict[str, Any]) -> dict[str, Any]:
    return {info.get("variant_of") or name: info for name, info in reports.items()}


def write_part(staging: Path, part_dir: Path, part: PartManifest) -> None:
    """Move a shard's finished files from ``staging`` into ``part_dir``, ``part.json`` last.

    A previous part in ``part_dir`` is replaced; a folder holding anything else is refused.

    Raises:
        BuildError: ``part_dir`` holds files that are not a part (exit code 2).
    """
    check_part_dir(part_dir)
    old = part_dir / PART_FILE
    if old.exists():
        old.unlink()
    for entry in part_dir.iterdir():
        if entry.name.startswith(".") or entry.name == FAILED_DIR:
            continue
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for entry in staging.iterdir():
        if entry.name.startswith("."):
            continue
        entry.rename(part_dir / entry.name)
    atomic_write_text(part_dir / PART_FILE, part.to_json())


def check_part_dir(part_dir: Path) -> None:
    """Refuse a ``--shard`` output folder that holds something other than a part.

    Raises:
        BuildError: ``part_dir`` exists, is not empty and has no ``part.json`` (exit code 2).
    """
    if not part_dir.is_dir():
        return
    visible = [p for p in part_dir.iterdir() if not p.name.startswith(".") and p.name != FAILED_DIR]
    if visible and not (part_dir / PART_FILE).exists():
        raise BuildError(
            f"--out {part_dir}: the folder holds files and no {PART_FILE}; give --shard an "
            "empty folder (or the folder of an earlier part)",
            exitcodes.USAGE,
        )


def check_parts(folders: Sequence[Path], parts: Sequence[PartManifest]) -> list[str]:
    """Check that the parts belong to one plan and cover it; return the job stems in order.

    Raises:
        BuildError: Parts of different plans, a job in two parts, or jobs no part holds
            (one line each; exit code 2).
    """
    first, first_dir = parts[0], folders[0]
    for folder, part in zip(folders, parts, strict=True):
        if part.fingerprint != first.fingerprint:
            differ = sorted(
                k
                for k in {**first.identity, **part.identity}
                if first.identity.get(k) != part.identity.get(k)
            )
            raise BuildError(
                f"parts of different plans: {first_dir} (shard {first.shard}) and {folder} "
                f"(shard {part.shard}) differ in {', '.join(differ)}; rebuild them from the "
                "same checkout, data and options",
                exitcodes.USAGE,
            )
    seen: dict[str, Path] = {}
    for folder, part in zip(folders, parts, strict=True):
        for record in part.records:
            stem = f"{record.entry_name}.{record.lang}"
            if stem in seen:
                raise BuildError(
                    f"{stem} is in two parts: {seen[stem]} and {folder} (give each shard once)",
                    exitcodes.USAGE,
                )
            seen[stem] = folder
    missing = [stem for stem in first.jobs if stem not in seen]
    if missing:
        count = first.shard.partition("/")[2]
        given = sorted({p.shard for p in parts})
        raise BuildError(
            f"the parts do not cover the plan: {len(missing)} of {len(first.jobs)} jobs missing "
            f"(e.g. {missing[0]}); shards given: {', '.join(given)} of {count}",
            exitcodes.USAGE,
        )
    return list(first.jobs)


def publish_parts(folders: Sequence[Path], builds: Path) -> tuple[Path, manifest.BuildManifest]:
    """Publish the parts of one plan as one build in ``builds`` (atomically, ``latest``).

    Returns:
        The published build folder and its manifest.

    Raises:
        BuildError: The parts do not make one build (exit code 2) or publishing failed (4).
    """
    folders = [Path(f).resolve() for f in folders]
    if not folders:
        raise BuildError("give at least one part folder", exitcodes.USAGE)
    parts = [PartManifest.read(f) for f in folders]
    order = check_parts(folders, parts)
    by_stem = {
        f"{r.entry_name}.{r.lang}": (folder, r)
        for folder, part in zip(folders, parts, strict=True)
        for r in part.records
    }
    started = min(p.started for p in parts)
    run_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{parts[0].fingerprint[:6]}"
    builds.mkdir(parents=True, exist_ok=True)
    with publish.Staging(builds, run_id) as staging:
        records = []
        for stem in order:
            folder, record = by_stem[stem]
            # the BibTeX entry is written when the joined build's manifest is (its run id)
            files = [rel for kind, rel in record.outputs.items() if kind != "bib"]
            for rel in [*files, *record.downloads.get("files", [])]:
                target = staging.path / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / rel, target)
            records.append(record)
        first = parts[0]
        versions = dict(first.versions)
        for part in parts:  # the browser version of whichever shard printed
            versions.update({k: v for k, v in part.versions.items() if k not in versions})
        built = manifest.BuildManifest(
            run_id=run_id,
            status="success",
            started=started,
            finished=None,
            git_commit=first.git_commit,
            lock_sha256=first.identity.get("lock_sha256"),
            versions=versions,
            data_version=first.identity["data_version"],
            data_files=first.data_files,
            settings=first.settings,
            reports=manifest.report_entries(records, first.titles, first.notebooks),
        )
        changes = history.compare_manifests(history.previous_manifest(builds), built.to_dict())
        built = manifest.finished(built)
        index.write_index(staging.path, built.to_dict(), changes)
        built = manifest.write_manifest(built, staging.path)
        with publish.publish_lock(builds):
            final = publish.publish(staging)
            # Published already: a history page that cannot be written is rewritten next time.
            with contextlib.suppress(OSError):
                index.write_history_index(builds)
    return final, built
