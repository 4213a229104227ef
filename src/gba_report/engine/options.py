"""The one declaration of the build options: ``gba-report build``, ``scheduled`` and the engine.

:class:`BuildOptions` is what to build. Each field carries its command-line form in its
metadata, so the same declaration makes the parser of ``gba-report build``
(:func:`add_arguments`), the pass-through group of ``gba-report scheduled``, the options
object the engine runs on (:func:`from_namespace`) and the command line a scheduled run hands
to the build process (:meth:`BuildOptions.to_argv`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

#: The end of every ``--out`` help: where the builds folder is when none is given.
BUILDS_DEFAULT = "(default: report/build, or GBA_REPORT_BUILD_DIR)"


def positive_int(text: str) -> int:
    """Parse a whole number of at least 1 (argparse type).

    Raises:
        argparse.ArgumentTypeError: The value is below 1.
    """
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_seconds(text: str) -> float:
    """Parse a positive number of seconds (argparse type).

    Raises:
        argparse.ArgumentTypeError: The value is not above 0.
    """
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _option(default: Any, *flags: str, absolute: bool = False, **argparse_kwargs: Any) -> Any:
    """A field of :class:`BuildOptions` with its command-line form in the metadata.

    Args:
        default: The field's default (also the option's when it is not given).
        flags: The option's flags (the first is the one :meth:`BuildOptions.to_argv` writes);
            none for the positional argument.
        absolute: :meth:`BuildOptions.to_argv` writes the path made absolute.
        argparse_kwargs: The rest of the ``add_argument`` call.
    """
    metadata = {"flags": flags, "absolute": absolute, "argparse": argparse_kwargs}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class BuildOptions:
    """What ``gba-report build`` builds; every field is one command-line option.

    Attributes:
        reports: Report names (empty: every report in ``report/reports.yml``).
        langs: ``--lang`` values, each a language, ``all`` or a comma-separated list
            (None: every language in ``settings.languages``).
        formats: ``--format`` values (None: every format in ``settings.formats``).
        params: ``-p NAME=VALUE`` assignments, in order.
        params_file: ``--params FILE.yml``.
        jobs: Report x language runs at a time (None: the number of CPUs).
        force: Ignore the cache.
        cell_timeout: Seconds one cell may run (None: ``settings.cell_timeout``).
        out: Builds folder (None: :func:`gba_report.paths.builds_dir`); with ``shard`` the
            part folder.
        matrix: ``--matrix [REPORT.]NAME=V1,V2`` axes (:mod:`gba_report.engine.variants`).
        variants: ``--variants NAME``: a named variant set of ``report/reports.yml``.
        shard: ``--shard I/N``: build only slice I of N of the jobs into ``out`` as a part
            (:mod:`gba_report.engine.shards`), published later with ``gba-report publish``.
        executor: ``local`` (the worker pool, default) or ``dask``.
        scheduler: ``--scheduler tcp://HOST:8786`` for ``--executor dask`` (None:
            ``DASK_SCHEDULER_ADDRESS``, else a LocalCluster of ``--jobs`` workers).
    """

    reports: tuple[str, ...] = _option(
        (), nargs="*", metavar="REPORT", help="reports to build (default: all)"
    )
    langs: tuple[str, ...] | None = _option(
        None,
        "--lang",
        action="append",
        metavar="LANG",
        help="en, zh-Hant or all (default: all; repeat or comma-separate for several)",
    )
    formats: tuple[str, ...] | None = _option(
        None,
        "--format",
        action="append",
        metavar="FMT",
        help="html, pdf or a comma-separated list (default: html,pdf)",
    )
    params: tuple[str, ...] = _option(
        (),
        "-p",
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="set a parameter (REPORT.NAME=VALUE for one report only); repeatable. "
        "Lists: comma-separated; booleans: true/false/yes/no/1/0",
    )
    params_file: Path | None = _option(
        None,
        "--params",
        type=Path,
        metavar="FILE.yml",
        help="YAML file of parameters (NAME: VALUE, or REPORT: {NAME: VALUE}); -p wins",
    )
    jobs: int | None = _option(
        None,
        "--jobs",
        "-j",
        type=positive_int,
        metavar="N",
        help="reports run in parallel (default: CPU count)",
    )
    force: bool = _option(
        False, "--force", action="store_true", help="re-execute and re-export, ignoring the cache"
    )
    cell_timeout: float | None = _option(
        None,
        "--cell-timeout",
        type=positive_seconds,
        metavar="S",
        help="stop a report when one cell runs longer than S seconds (default: reports.yml)",
    )
    out: Path | None = _option(
        None,
        "--out",
        absolute=True,
        type=Path,
        metavar="DIR",
        help=f"builds folder holding <run id>/ and latest {BUILDS_DEFAULT}; "
        "with --shard: the part folder",
    )
    matrix: tuple[str, ...] = _option(
        (),
        "--matrix",
        action="append",
        metavar="[REPORT.]NAME=V1,V2",
        help="build one variant per value (@provinces, @gba_cities, ... expand to code "
        "lists; ';' separates list values); several --matrix make a product",
    )
    variants: str | None = _option(
        None,
        "--variants",
        metavar="NAME",
        help="build a named variant set from report/reports.yml (variants:)",
    )
    shard: str | None = _option(
        None,
        "--shard",
        metavar="I/N",
        help="build slice I of N of the jobs (stable order) into --out as a part; "
        "join the parts with `gba-report publish`",
    )
    executor: str | None = _option(
        None,
        "--executor",
        choices=("local", "dask"),
        help="where jobs run: local worker processes (default) or a Dask cluster "
        "(needs the [dask] extra)",
    )
    scheduler: str | None = _option(
        None,
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler for --executor dask, e.g. tcp://HOST:8786 (default: "
        "DASK_SCHEDULER_ADDRESS, else a LocalCluster of --jobs worker processes)",
    )

    def to_argv(self) -> list[str]:
        """Return these options as ``gba-report build`` arguments (reports last).

        Options left at their default are not written; ``--out`` is made absolute.
        """
        argv: list[str] = []
        for spec in fields(self):
            flags, value = spec.metadata["flags"], getattr(self, spec.name)
            if not flags or value is None or value is False or value == ():
                continue
            if value is True:
                argv.append(flags[0])
                continue
            for item in value if isinstance(value, tuple) else (value,):
                argv += [flags[0], _argv_value(item, spec.metadata["absolute"])]
        return argv + list(self.reports)


def _argv_value(value: Any, absolute: bool) -> str:
    if isinstance(value, Path):
        return str(value.expanduser().absolute() if absolute else value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def add_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add every build option to a parser (or an argument group of one).

    Args:
        parser: The parser of ``gba-report build``, or a group of ``gba-report scheduled``.
    """
    for spec in fields(BuildOptions):
        flags, kwargs = spec.metadata["flags"], dict(spec.metadata["argparse"])
        if flags:
            parser.add_argument(*flags, dest=spec.name, **kwargs)
        else:
            parser.add_argument(spec.name, **kwargs)


def from_namespace(args: argparse.Namespace) -> BuildOptions:
    """Return the build options parsed by a parser set up with :func:`add_arguments`.

    Args:
        args: The parsed command line.
    """
    values: dict[str, Any] = {}
    for spec in fields(BuildOptions):
        value = getattr(args, spec.name)
        values[spec.name] = tuple(value) if isinstance(value, list) else value
    for name in ("params", "matrix"):
        if values[name] is None:
            values[name] = ()
    return BuildOptions(**values)
