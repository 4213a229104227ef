"""``gba-report list``: the reports, their notebooks and parameters."""

from __future__ import annotations

import argparse
import json

from gba_report.engine import exitcodes
from gba_report.engine.config import load_config
from gba_report.engine.errors import BuildError
from gba_report.engine.params import notebook_parameters

HELP = "list the reports and their parameters"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gba-report list`` to ``parser``."""
    parser.add_argument("reports", nargs="*", metavar="REPORT", help="only these reports")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _fmt(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def run(args: argparse.Namespace) -> int:
    """Print every report with each parameter's type, default, help and constraint."""
    try:
        manifest = load_config()
    except BuildError as exc:
        print(f"error: {exc}")
        return exc.code
    names = args.reports or list(manifest.reports)
    unknown = [n for n in names if n not in manifest.reports]
    if unknown:
        print(
            f"error: unknown report(s) {', '.join(unknown)}; known: {', '.join(manifest.reports)}"
        )
        return exitcodes.USAGE
    out, status = [], 0
    for name in names:
        spec = manifest.reports[name]
        entry = {"name": name, "title": spec.title, "notebook": str(spec.notebook)}
        try:
            declared = notebook_parameters(spec.notebook)
            for pname, value in spec.defaults.items():
                if pname in declared:
                    declared[pname].default = value
            entry["parameters"] = [p.to_dict() for p in declared.values()]
        except ValueError as exc:
            entry["error"] = str(exc)
            status = 1
        out.append(entry)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return status
    for entry in out:
        print(f"{entry['name']}: {entry['title']['en']} / {entry['title']['zh-Hant']}")
        print(f"  notebook: {entry['notebook']}")
        if "error" in entry:
            print(f"  error: {entry['error']}")
            continue
        for p in entry["parameters"]:
            line = f"  {p['name']:<20} {p['type']:<6} default {_fmt(p['default'])}"
            print(line)
            if p["help"]:
                print(f"  {'':<20} {p['help']}")
            if p["constraint"]:
                print(f"  {'':<20} allowed: {p['constraint']}")
        print()
    return status
