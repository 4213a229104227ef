"""The report manifest ``report/reports.yml``: which reports exist, in which languages and formats.

``settings`` holds what every build shares (languages, formats, cell timeout, kernel, PDF
concurrency, the cache's size cap); ``reports`` one entry per report (notebook, title per
language, parameter defaults, other notebooks it reads). The engine reads nothing about
reports from anywhere else.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gba_report import paths
from gba_report.engine import exitcodes
from gba_report.engine.errors import BuildError
from gba_report.fileio import SAFE_YAML
from gba_report.present import i18n

#: Output formats the engine can produce (``settings.formats`` chooses among them).
SUPPORTED_FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class ReportSpec:
    """One report of the manifest.

    Attributes:
        name: Report name (the key under ``reports:``).
        notebook: The report notebook.
        title: Title per language.
        title_variant: Title per language naming parameter values (``{focus_region}``: its
            name as readers see it), used for the built report's title block and PDF title;
            ``title`` stays the report's name in lists and the index.
        defaults: Parameter values that override the notebook's own defaults.
        reads: Other notebooks the report reads while it runs (``reads:``, names in the
            notebooks folder); they are part of its cache key.
        variants: Named variant sets of this report: ``{set: {parameter: values}}``.
        requires_rows: ``{parameter: dataset or [datasets]}``: a variant is built only when
            one of the datasets has rows whose ``region_code`` (or ``cluster_code``) is the
            variant's value; others are skipped with a log line.
    """

    name: str
    notebook: Path
    title: dict[str, str]
    defaults: dict[str, Any]
    reads: tuple[Path, ...] = ()
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)
    requires_rows: dict[str, Any] = field(default_factory=dict)
    title_variant: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """``settings:`` of the manifest.

    Attributes:
        languages: Languages a build makes by default (and the only ones allowed).
        formats: Formats a build makes by default (and the only ones allowed).
        cell_timeout: Seconds one notebook cell may run (None: no limit).
        pdf_concurrency: PDFs printed at the same time by the one browser.
        kernel: Jupyter kernel the notebooks run in.
        cache_max_mb: Size cap of the build cache in MB (None: no cap); after a build the
            least recently used entries go until the cache fits.
        publisher: The publisher line of the reports' citations, per language.
        publish_url: Where the builds are published ("" when not), for the citations.
    """

    languages: tuple[str, ...]
    formats: tuple[str, ...]
    cell_timeout: float | None = None
    pdf_concurrency: int = 1
    kernel: str = "python3"
    cache_max_mb: float | None = None

    @property
    def cache_max_bytes(self) -> int | None:
        """:attr:`cache_max_mb` in bytes (None: no cap)."""
        return None if self.cache_max_mb is None else int(self.cache_max_mb * 1024 * 1024)

    publisher: dict[str, str] = field(default_factory=dict)
    publish_url: str = ""


@dataclass(frozen=True)
class ReportConfig:
    """The parsed manifest.

    Attributes:
        path: The manifest file.
        settings: Its ``settings``.
        reports: Its reports, in manifest order.
        variant_sets: Top-level named variant sets: ``{set: {report: {parameter: values}}}``.
    """

    path: Path
    settings: Settings
    reports: dict[str, ReportSpec]
    variant_sets: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)


def _fail(path: Path, message: str) -> BuildError:
    return BuildError(f"{path}: {message}", exitcodes.USAGE)


def _choices(path: Path, raw: dict[str, Any], key: str, allowed: tuple[str, ...]) -> tuple:
    values = raw.get(key)
    if not isinstance(values, list) or not values:
        raise _fail(path, f"settings.{key} must list at least one of {', '.join(allowed)}")
    unknown = [str(v) for v in values if v not in allowed]
    if unknown:
        raise _fail(path, f"settings.{key}: unknown {', '.join(unknown)}; use {', '.join(allowed)}")
    return tuple(str(v) for v in values)


def _number(path: Path, raw: dict[str, Any], key: str, kind: type) -> Any:
    value = raw.get(key)
    if value is None:
        return None
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise _fail(path, f"settings.{key} must be a number, got {value!r}") from None
    if not number > 0:
        raise _fail(path, f"settings.{key} must be positive, got {value!r}")
    return number


def _settings(path: Path, raw: dict[str, Any]) -> Settings:
    return Settings(
        languages=_choices(path, raw, "languages", i18n.LANGS),
        formats=_choices(path, raw, "formats", SUPPORTED_FORMATS),
        cell_timeout=_number(path, raw, "cell_timeout", float),
        pdf_concurrency=_number(path, raw, "pdf_concurrency", int) or 1,
        kernel=str(raw.get("kernel") or "python3"),
        cache_max_mb=_number(path, raw, "cache_max_mb", float),
        publisher=_per_language(raw.get("publisher")),
        publish_url=str(raw.get("publish_url") or ""),
    )


def _per_language(value: Any) -> dict[str, str]:
    """A text given once or per language, in every language (English as the fallback)."""
    if not isinstance(value, dict):
        value = {"en": str(value or "")}
    return {lang: str(value.get(lang) or value.get("en") or "") for lang in i18n.LANGS}


def _notebooks_dir(path: Path, raw: dict[str, Any]) -> Path:
    if os.environ.get("GBA_REPORT_NOTEBOOKS_DIR") or not raw.get("notebooks_dir"):
        return paths.notebooks_dir()
    return (path.parent / raw["notebooks_dir"]).resolve()


def load_config(path: Path | None = None) -> ReportConfig:
    """Read the report manifest (``paths.manifest_file()`` unless ``path`` is given).

    Notebook paths are relative to ``GBA_REPORT_NOTEBOOKS_DIR`` when set, else to the
    manifest's ``settings.notebooks_dir`` (relative to the manifest file), else to
    ``paths.notebooks_dir()``.

    Raises:
        BuildError: The file is missing or malformed (exit code 2).
    """
    path = Path(path or paths.manifest_file())
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_YAML) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"cannot read the report manifest {path}: {exc}", exitcodes.USAGE) from exc
    if not isinstance(raw, dict):
        raise _fail(path, "expected a mapping with 'settings:' and 'reports:'")
    raw_settings = raw.get("settings") or {}
    nb_dir = _notebooks_dir(path, raw_settings)
    reports: dict[str, ReportSpec] = {}
    for name, entry in (raw.get("reports") or {}).items():
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise _fail(path, f"report {name!r} needs a 'notebook' entry")
        reads = entry.get("reads") or []
        if not isinstance(reads, list) or not all(isinstance(r, str) for r in reads):
            raise _fail(path, f"report {name!r}: 'reads' must list notebook file names")
        reports[str(name)] = ReportSpec(
            name=str(name),
            notebook=nb_dir / entry["notebook"],
            title=entry.get("title") or {},
            defaults=dict(entry.get("defaults") or {}),
            reads=tuple(nb_dir / r for r in reads),
            variants=_mapping(path, entry, "variants", f"reports.{name}.variants"),
            requires_rows=_mapping(path, entry, "requires_rows", f"reports.{name}.requires_rows"),
            title_variant=_mapping(path, entry, "title_variant", f"reports.{name}.title_variant"),
        )
    if not reports:
        raise _fail(path, "no reports listed under 'reports:'")
    settings = _settings(path, raw_settings)
    sets = _mapping(path, raw, "variants", "variants")
    for set_name, per_report in sets.items():
        if not isinstance(per_report, dict):
            raise _fail(path, f"variants.{set_name} must map report names to parameters")
        unknown = [r for r in per_report if r not in reports]
        if unknown:
            raise _fail(path, f"variants.{set_name}: unknown report(s) {', '.join(unknown)}")
    return ReportConfig(
        path=path,
        settings=settings,
        reports={name: _with_titles(spec) for name, spec in reports.items()},
        variant_sets=sets,
    )


def _mapping(path: Path, raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise _fail(path, f"{where} must be a mapping")
    return {str(k): v for k, v in value.items()}


def _with_titles(spec: ReportSpec) -> ReportSpec:
    """Give the report a title in every language (one string for all; English as fallback)."""
    title = spec.title
    if isinstance(title, str):
        title = {lang: title for lang in i18n.LANGS}
    titles = {lang: str(title.get(lang) or title.get("en") or spec.name) for lang in i18n.LANGS}
    return dataclasses.replace(spec, title=titles)
