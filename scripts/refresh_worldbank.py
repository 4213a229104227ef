"""Refresh the World Bank R&D-intensity rows (GB.XPD.RSDV.GD.ZS) of data/rd_intensity.csv.

Usage:
    .venv/bin/python scripts/refresh_worldbank.py [--dry-run] [--start 2010] [--end 2024]
        [--data-dir DIR]

Needs network access to api.worldbank.org. Rewrites only the rows of
data/rd_intensity_worldbank.csv for the economies already in it (other rows unchanged) and
sets date_accessed in its sidecar. What was fetched is checked first (every page and
observation, the announced total, the new table's schema); a malformed or partial answer
changes nothing and prints one error line. The logic lives in gba_report.data.worldbank.

Exit codes: 0 done; 1 the new table would be invalid, or a file could not be written
(nothing replaced); 2 the API could not be reached or answered something malformed or partial.
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
        first = exc.errors[0].format() if exc.errors else str(exc)
        more = f" (and {len(exc.errors) - 1} more problems)" if len(exc.errors) > 1 else ""
        print(
            f"refresh_worldbank: the refreshed table would be invalid, nothing was changed: "
            f"{first}{more}",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(
            f"refresh_worldbank: cannot write {exc.filename or 'the data folder'}: "
            f"{exc.strerror or exc}; the data files were left as they were",
            file=sys.stderr,
        )
        return 1
    print(result.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
