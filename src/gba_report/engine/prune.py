"""Pruning old builds: exactly N kept, never the one ``latest`` points at, never one in progress."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from gba_report.engine import history
from gba_report.engine.layout import BUILD_NAME_RE, FAILED_DIR


def prune_builds(builds_root: Path, keep: int, logger: logging.Logger | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` builds; never the one ``latest`` points at.

    Exactly ``keep`` builds remain when there were at least that many: when ``latest`` points
    at an older build, that build and the newest ``keep - 1`` others are kept. Temporary
    folders of builds in progress (``.tmp-*``), ``logs/`` and anything that is not a build
    folder are never touched. The notebooks the engine keeps from failed builds
    (``failed/<run id>/``) are pruned to the newest ``keep`` too.

    Args:
        builds_root: Folder holding the build folders.
        keep: Number of builds to keep (at least 1).
        logger: Where to log each deletion.

    Returns:
        The folders that were deleted, oldest first.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    builds = history.list_builds(builds_root)
    latest = history.latest_target(builds_root)
    newest_first = list(reversed(builds))
    kept: list[history.BuildInfo] = [b for b in newest_first if b.is_latest]
    for build in newest_first:
        if len(kept) >= keep:
            break
        if not build.is_latest:
            kept.append(build)
    kept_paths = {b.path for b in kept}
    removed = []
    for build in builds:
        if build.path in kept_paths:
            continue
        if latest is not None and build.path.resolve() == latest:  # belt and braces
            continue
        # Rename first (atomic), then delete: a reader never sees a half-deleted build under a
        # build name, and an interrupted deletion leaves only a hidden .tmp-prune-* folder.
        doomed = builds_root / f".tmp-prune-{build.name}"
        try:
            build.path.rename(doomed)
        except OSError as exc:
            if logger:
                logger.warning("prune: could not remove %s: %s", build.path, exc)
            continue
        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(build.path)
        if logger:
            logger.info("prune: removed old build %s (%s)", build.name, build.status)
    # The engine keeps the notebooks of failed builds in failed/<run id>/: keep the newest few.
    failed_root = builds_root / FAILED_DIR
    if failed_root.is_dir():
        failed = sorted(
            (p for p in failed_root.iterdir() if p.is_dir() and BUILD_NAME_RE.match(p.name)),
            key=lambda p: p.name,
        )
        for old_failure in failed[: max(len(failed) - keep, 0)]:
            shutil.rmtree(old_failure, ignore_errors=True)
            if logger:
                logger.info("prune: removed failed-build notebooks %s", old_failure.name)
    # Leftovers of interrupted deletions (never a build in progress: those are .tmp-<other>).
    for leftover in builds_root.glob(".tmp-prune-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return removed
