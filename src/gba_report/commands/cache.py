"""``gba-report cache info`` / ``cache clear``: what the build cache holds, and emptying it."""

from __future__ import annotations

import argparse
import datetime as dt

from gba_report.commands import absolute_folder, add_folder_option
from gba_report.engine.cache import KINDS, Cache
from gba_report.engine.config import load_config
from gba_report.engine.errors import BuildError

HELP = "show what the build cache holds (info) or empty it (clear)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the actions and options of ``gba-report cache``.

    Args:
        parser: The sub-command's parser.
    """
    parser.add_argument(
        "action",
        choices=("info", "clear"),
        help="info: entries, size, oldest entry and the size cap; clear: delete every entry",
    )
    add_folder_option(
        parser, "--cache-dir", "the cache folder (default: report/.cache, or GBA_REPORT_CACHE_DIR)"
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _cap() -> str:
    try:
        cap = load_config().settings.cache_max_mb
    except BuildError as exc:
        return f"unknown ({exc})"
    return "none" if cap is None else f"{cap:g} MB (settings.cache_max_mb in reports.yml)"


def run(args: argparse.Namespace) -> int:
    """Print the cache's contents, or empty it.

    Args:
        args: Parsed options (``action``, ``cache_dir``).

    Returns:
        0.
    """
    cache = Cache(absolute_folder(args.cache_dir))
    if args.action == "clear":
        removed = cache.clear()
        print(f"cache cleared: {removed} entries deleted from {cache.root}")
        return 0
    info = cache.info()
    total = sum(info.entries.values())
    names = {"exec": "executed notebooks", "html": "HTML pages", "pdf": "PDFs"}
    kinds = ", ".join(f"{info.entries[sub]} {names[sub]}" for sub in KINDS)
    oldest = "-"
    if info.oldest is not None:
        when = dt.datetime.fromtimestamp(info.oldest, dt.UTC)
        oldest = f"{when:%Y-%m-%d %H:%M} UTC (last used)"
    print(f"cache:   {info.root}")
    print(f"entries: {total} ({kinds})")
    print(f"size:    {_mb(info.size_bytes)}; cap {_cap()}")
    print(f"oldest:  {oldest}")
    return 0
