"""Every path the project uses, in one place (overridable through environment variables)."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the project checkout (the folder holding pyproject.toml).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def data_dir() -> Path:
    """Folder of curated datasets (``GBA_REPORT_DATA_DIR`` overrides, e.g. for a test copy)."""
    return _env_path("GBA_REPORT_DATA_DIR", PROJECT_ROOT / "data")


def notebooks_dir() -> Path:
    """Folder of the report notebooks."""
    return _env_path("GBA_REPORT_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks")


def report_dir() -> Path:
    """Folder holding the report manifest, templates and builds."""
    return PROJECT_ROOT / "report"


def manifest_file() -> Path:
    """The report manifest (``report/reports.yml``)."""
    return _env_path("GBA_REPORT_MANIFEST", report_dir() / "reports.yml")


def templates_dir() -> Path:
    """Folder of the templates: the reports' nbconvert template and the build pages'."""
    return report_dir() / "templates"


def report_template_dir() -> Path:
    """The nbconvert template of every report (``report/templates/gba``)."""
    return templates_dir() / "gba"


def pages_template_dir() -> Path:
    """Templates of the build's own pages: index, what changed, history (``templates/build``)."""
    return templates_dir() / "build"


def builds_dir() -> Path:
    """Folder where published builds live (``GBA_REPORT_BUILD_DIR`` overrides)."""
    return _env_path("GBA_REPORT_BUILD_DIR", report_dir() / "build")


def cache_dir() -> Path:
    """Folder of cached notebook executions (``GBA_REPORT_CACHE_DIR`` overrides)."""
    return _env_path("GBA_REPORT_CACHE_DIR", report_dir() / ".cache")


def package_dir() -> Path:
    """The installed package's own folder (its code is part of the build cache key)."""
    return Path(__file__).resolve().parent


def validated_tables_dir() -> Path | None:
    """Folder of validated tables reused across kernels (``GBA_REPORT_VALIDATED_TABLES``).

    Set by the build engine for its kernels only (a folder in its cache); unset, every load
    parses and validates its CSV, as ``gba-report validate`` and JupyterLab do.
    """
    value = os.environ.get("GBA_REPORT_VALIDATED_TABLES")
    return Path(value).expanduser().resolve() if value else None
