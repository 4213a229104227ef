"""Refresh the World Bank R&D-intensity rows (GB.XPD.RSDV.GD.ZS) of data/rd_intensity.csv.

Usage:
    .venv/bin/python scripts/refresh_worldbank.py [--dry-run] [--start 2010] [--end 2024]
        [--data-dir DIR]

Needs network access to api.worldbank.org. Rewrites only the rows with series worldbank_wdi for
the economies already in the table (other rows unchanged), validates the result, then sets
date_accessed in data/rd_intensity.meta.yml and for worldbank-wdi-gerd in data/sources.csv.
The logic lives in gba_report.data.worldbank.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gba_report.data.errors import DataError
from gba_report.data.worldbank import WorldBankError, refresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    parser.add_argument("--start", type=int, default=2010, help="first year (default 2010)")
    parser.add_argument("--end", type=int, default=2024, help="last year (default 2024)")
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder (default data/)")
    args = parser.parse_args(argv)
    try:
        result = refresh(args.data_dir, start=args.start, end=args.end, dry_run=args.dry_run)
    except WorldBankError as exc:
        print(f"refresh_worldbank: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"refresh_worldbank: data problem, nothing written:\n{exc}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
