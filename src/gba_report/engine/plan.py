"""Plan a build: which report x language jobs, with which parameters, under which cache keys.

Everything that can be wrong with a request is found here, before any kernel or browser
starts: unknown reports, languages or formats, invalid parameters (every problem listed),
a missing Chromium when PDFs are wanted.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gba_report import paths
from gba_report.data.errors import DataError
from gba_report.engine import chromium, exitcodes, params, title
from gba_report.engine.cache import BuildInputs, Cache, CacheKeys, cache_keys
from gba_report.engine.config import ReportConfig
from gba_report.engine.errors import BuildError
from gba_report.engine.options import BuildOptions


@dataclass(frozen=True)
class Job:
    """One report in one language, ready to run.

    Attributes:
        report: Report name.
        lang: Language.
        notebook: The report notebook.
        parameters: Final parameter values (``lang`` first).
        meta: What its title block shows.
        keys: Its cache keys.
        exec_cached: The executed notebook is in the cache.
        html_cached: The exported HTML is in the cache too.
    """

    report: str
    lang: str
    notebook: Path
    parameters: dict[str, Any]
    meta: title.ReportMeta
    keys: CacheKeys
    exec_cached: bool
    html_cached: bool

    @property
    def stem(self) -> str:
        """``<report>.<lang>``: the base name of every output of this job."""
        return f"{self.report}.{self.lang}"


@dataclass(frozen=True)
class Plan:
    """A validated build, not started yet.

    Attributes:
        config: The report manifest.
        run_id: ``<UTC start time>-<random>``, the name of the build folder.
        started: When the build started (UTC).
        builds: The builds folder.
        langs: Languages built.
        formats: Formats built.
        cell_timeout: Seconds one cell may run (None: no limit).
        n_jobs: Report x language runs at a time.
        force: Ignore the cache.
        chromium: The browser that prints PDFs (None when no PDF is wanted).
        inputs: Hashes of data, code and template.
        jobs: Every report x language, reports in the requested order, then languages.
    """

    config: ReportConfig
    run_id: str
    started: dt.datetime
    builds: Path
    langs: tuple[str, ...]
    formats: tuple[str, ...]
    cell_timeout: float | None
    n_jobs: int
    force: bool
    chromium: str | None
    inputs: BuildInputs
    jobs: tuple[Job, ...]


def parse_list(values: Sequence[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    """Read ``--lang`` / ``--format`` values: names, comma lists or ``all`` (case-insensitive).

    Args:
        values: The option's values (None or empty: every allowed value).
        allowed: The values ``report/reports.yml`` allows, in order.
        what: ``language`` or ``format`` (for the message).

    Raises:
        BuildError: An unknown value (exit code 2).
    """
    out: list[str] = []
    by_lower = {a.lower(): a for a in allowed}
    for value in values or ["all"]:
        for item in (i.strip() for i in str(value).split(",")):
            if not item:
                continue
            if item == "all":
                out += [a for a in allowed if a not in out]
                continue
            match = by_lower.get(item.lower())
            if match is None:
                raise BuildError(
                    f"unknown {what} {item!r}; choose from {', '.join(allowed)} or all",
                    exitcodes.USAGE,
                )
            if match not in out:
                out.append(match)
    return out


def select_reports(config: ReportConfig, names: Sequence[str]) -> list[str]:
    """Return the reports to build (all when ``names`` is empty), each once.

    Raises:
        BuildError: An unknown report, with a "did you mean" (exit code 2).
    """
    if not names:
        return list(config.reports)
    unknown = [n for n in names if n not in config.reports]
    if unknown:
        msgs = []
        for name in unknown:
            close = difflib.get_close_matches(name, config.reports, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            msgs.append(f"unknown report {name!r}{hint}")
        raise BuildError(
            "; ".join(msgs) + f". Reports: {', '.join(config.reports)}", exitcodes.USAGE
        )
    return list(dict.fromkeys(names))


def declared_parameters(config: ReportConfig, names: Sequence[str]) -> dict[str, dict]:
    """Read the ``parameters`` cell of each named report's notebook.

    Raises:
        BuildError: A notebook is missing or its parameters cell is malformed (exit code 2).
    """
    declared, problems = {}, []
    for name in names:
        spec = config.reports[name]
        if not spec.notebook.exists():
            problems.append(f"{name}: notebook {spec.notebook} does not exist")
            continue
        try:
            declared[name] = params.notebook_parameters(spec.notebook)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    if problems:
        raise BuildError("\n".join(problems), exitcodes.USAGE)
    return declared


def _resolve_parameters(
    config: ReportConfig,
    names: list[str],
    langs: list[str],
    declared: dict[str, dict[str, params.Param]],
    options: BuildOptions,
) -> dict[str, dict[str, Any]]:
    try:
        overrides: list[tuple[str | None, str, Any]] = []
        if options.params_file:
            overrides += params.load_params_file(Path(options.params_file))
        overrides += params.parse_assignments(options.params)
        for name in names:
            if "lang" not in declared[name]:
                raise params.ParameterError(
                    [f"{name}: the notebook's parameters cell declares no 'lang'"]
                )
        final = params.resolve(declared, {n: config.reports[n].defaults for n in names}, overrides)
        for name in names:
            for lang in langs:
                problems = params.validate(name, declared[name], {"lang": lang})
                if problems:
                    raise params.ParameterError(problems)
    except params.ParameterError as exc:
        problems = "\n  ".join(exc.problems)
        raise BuildError(f"invalid parameters:\n  {problems}", exitcodes.USAGE) from None
    return final


def _chromium(formats: list[str]) -> str | None:
    if "pdf" not in formats:
        return None
    try:
        return chromium.find_chromium()
    except chromium.ChromiumNotFoundError as exc:
        raise BuildError(str(exc), exitcodes.NO_CHROMIUM) from exc


def _cell_timeout(config: ReportConfig, options: BuildOptions) -> float | None:
    value = options.cell_timeout
    if value is None:
        return config.settings.cell_timeout
    if not value > 0:
        raise BuildError("--cell-timeout must be a positive number of seconds", exitcodes.USAGE)
    return float(value)


def make_plan(config: ReportConfig, options: BuildOptions, cache: Cache) -> Plan:
    """Validate a build request and work out its jobs and their cache keys.

    Args:
        config: The report manifest.
        options: What to build.
        cache: The cache the jobs are looked up in.

    Raises:
        BuildError: Bad usage or parameters (exit code 2), no Chromium for PDFs (exit code 3).
    """
    started = dt.datetime.now(dt.UTC)
    settings = config.settings
    names = select_reports(config, options.reports)
    langs = parse_list(options.langs, settings.languages, "language")
    formats = parse_list(options.formats, settings.formats, "format")
    if not langs or not formats:
        raise BuildError("choose at least one language and one format", exitcodes.USAGE)
    cell_timeout = _cell_timeout(config, options)
    declared = declared_parameters(config, names)
    final = _resolve_parameters(config, names, langs, declared, options)
    browser = _chromium(formats)

    inputs = BuildInputs.read(settings.kernel)
    jobs = []
    for name in names:
        spec = config.reports[name]
        for lang in langs:
            parameters = {"lang": lang, **final[name]}
            try:
                rows = title.display_parameters(parameters, lang, declared[name])
            except DataError as exc:
                raise BuildError(
                    f"{name} ({lang}): cannot name the parameter values: {exc}", exitcodes.USAGE
                ) from None
            meta = title.ReportMeta(
                report=name,
                lang=lang,
                title=spec.title[lang],
                date=started.strftime("%Y-%m-%d"),
                data_version=inputs.data_version,
                parameters=dict(parameters),
                parameter_rows=rows,
            )
            keys = cache_keys(spec.notebook, parameters, meta.to_dict(), inputs, spec.reads)
            exec_cached = cache.hit(cache.execution(keys.execution))
            jobs.append(
                Job(
                    report=name,
                    lang=lang,
                    notebook=spec.notebook,
                    parameters=parameters,
                    meta=meta,
                    keys=keys,
                    exec_cached=exec_cached,
                    html_cached=cache.hit(cache.html(keys.html)),
                )
            )
    return Plan(
        config=config,
        run_id=f"{started:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}",
        started=started,
        builds=Path(options.out).resolve() if options.out else paths.builds_dir(),
        langs=tuple(langs),
        formats=tuple(formats),
        cell_timeout=cell_timeout,
        n_jobs=max(1, int(options.jobs or os.cpu_count() or 1)),
        force=options.force,
        chromium=browser,
        inputs=inputs,
        jobs=tuple(jobs),
    )
