"""``gba-report reproduce RUN_ID``: re-run a kept build and say whether it came out the same."""

from __future__ import annotations

import argparse

from gba_report.commands import add_builds_option, builds_folder, run_engine
from gba_report.engine import exitcodes, options
from gba_report.engine.progress import Progress

HELP = "re-run a kept build with its parameters and data; say whether it came out the same"

EPILOG = """\
The kept build's data files must still match the sha256 recorded in its manifest.json; the
re-run ignores the cache, builds HTML into a temporary folder (`latest` is never touched) and
compares every key figure and every report's text (tags stripped, run id and date aside).

exit codes:
    0  identical
    1  differences found (listed), the data files differ (named), or the re-run failed
    2  no such kept build, or its manifest cannot be read
  130  interrupted (Ctrl-C / SIGINT);  143  terminated (SIGTERM)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``gba-report reproduce``.

    Args:
        parser: The sub-command's parser.
    """
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument("run_id", metavar="RUN_ID", help="a kept build (`gba-report history`)")
    add_builds_option(parser, "builds folder holding RUN_ID")
    parser.add_argument(
        "--jobs", "-j", type=options.positive_int, metavar="N", help="reports run in parallel"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary builds folder and print its path"
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print the verdict only")


def run(args: argparse.Namespace) -> int:
    """Reproduce the build; print "identical" or every difference.

    Args:
        args: Parsed options.

    Returns:
        0 when identical, else an exit code listed in the epilog.
    """
    # Imported here, not at the top: it brings nbformat and jsonschema (~1.4 s of CPU on this
    # machine, most of it rfc3987-syntax building its grammars), which every other command
    # (a no-change ``gba-report build`` above all) would pay at start-up for nothing.
    from gba_report.engine.reproduce import reproduce

    progress = Progress(quiet=args.quiet)
    builds = builds_folder(args)
    result = run_engine(
        args,
        progress,
        lambda: reproduce(builds, args.run_id, progress, jobs=args.jobs, keep=args.keep),
        "reproduce interrupted: the re-run was stopped, its folder removed",
    )
    if isinstance(result, int):
        return result
    if result.kept is not None:
        print(f"re-run kept in {result.kept}")
    if result.identical:
        print(
            f"reproduce {result.run_id}: identical ({result.runs} report x language runs: "
            "every key figure and every report's text)"
        )
        return exitcodes.OK
    print(f"reproduce {result.run_id}: {len(result.differences)} difference(s):")
    for line in result.differences:
        print(f"  {line}")
    return exitcodes.FAILED
