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
import string
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gba_report import paths
from gba_report.data import load as load_dataset
from gba_report.data.errors import DataError
from gba_report.engine import chromium, exitcodes, params, shards, title, variants
from gba_report.engine.cache import BuildInputs, Cache, CacheKeys, cache_keys
from gba_report.engine.config import ReportConfig, ReportSpec
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
        variant: The variant it builds (None: the report's one default parameter set).
        variant_label: The variant's parameters as the reader's language names them
            (``Focus region: Shanghai``), for the index; None without a variant.
    """

    report: str
    lang: str
    notebook: Path
    parameters: dict[str, Any]
    meta: title.ReportMeta
    keys: CacheKeys
    exec_cached: bool
    html_cached: bool
    variant: variants.Variant | None = None
    variant_label: str | None = None

    @property
    def name(self) -> str:
        """``<report>`` or ``<report>--<variant>``: the job's entry in the manifest."""
        return self.report + (self.variant.suffix if self.variant else "")

    @property
    def stem(self) -> str:
        """``<report>.<lang>`` (``<report>--SH.<lang>``): the base name of its outputs."""
        return f"{self.name}.{self.lang}"


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
        jobs: Every report x variant x language, reports in the requested order, then
            variants, then languages (a shard: its slice only).
        skipped: Variants not built, each with why (no rows in the data they need).
        all_jobs: Every job of the whole plan (a shard's plan holds its slice in ``jobs``).
        shard: ``I/N`` when only a shard of the jobs is built (into a part folder).
        executor: ``local`` (worker pool) or ``dask``.
        scheduler: The Dask scheduler's address (None: a LocalCluster, or not Dask).
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
    skipped: tuple[str, ...] = ()
    all_jobs: tuple[Job, ...] = ()
    shard: str | None = None
    executor: str = "local"
    scheduler: str | None = None


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


def _title(
    spec: ReportSpec, lang: str, parameters: dict[str, Any], declared: dict[str, params.Param]
) -> str:
    """The report's title in ``lang``, naming its parameter values where ``title_variant`` does.

    With every parameter the template names at its default, the report's own ``title``.
    """
    template = spec.title_variant.get(lang)
    if not template:
        return spec.title[lang]
    named = {f for _, f, _, _ in string.Formatter().parse(str(template)) if f}
    if all(n in declared and parameters.get(n, declared[n].default) == declared[n].default
           for n in named):  # fmt: skip
        return spec.title[lang]
    shown = {n: title.param_value(n, v, lang, declared.get(n)) for n, v in parameters.items()}
    try:
        return str(template).format_map(shown)
    except (KeyError, IndexError, ValueError):
        raise BuildError(
            f"report/reports.yml: reports.{spec.name}.title_variant.{lang} names a parameter "
            f"the report does not have: {template!r} (known: {', '.join(shown)})",
            exitcodes.USAGE,
        ) from None


def _variant_label(
    variant: variants.Variant | None, lang: str, declared: dict[str, params.Param]
) -> str | None:
    """``Focus region: Shanghai`` (``重點地區：上海``): what the variant sets, in ``lang``."""
    if variant is None:
        return None
    rows = title.display_parameters(variant.assignments, lang, declared)
    colon = "：" if lang.startswith("zh") else ": "
    return "; ".join(f"{label}{colon}{value}" for label, value in rows)


def _scheduler(options: BuildOptions) -> str | None:
    """The Dask scheduler's address (``--scheduler``, else ``DASK_SCHEDULER_ADDRESS``).

    Raises:
        BuildError: ``--scheduler`` without ``--executor dask`` (exit code 2).
    """
    if options.executor != "dask":
        if options.scheduler:
            raise BuildError("--scheduler needs --executor dask", exitcodes.USAGE)
        return None
    return options.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None


def _set_reports(config: ReportConfig, set_name: str | None) -> list[str]:
    """The reports a named variant set covers (when no report is named on the command line)."""
    if not set_name:
        return []
    covered = set(config.variant_sets.get(set_name) or {})
    covered |= {n for n, spec in config.reports.items() if set_name in spec.variants}
    if not covered:
        raise BuildError(_unknown_set(config, set_name), exitcodes.USAGE)
    return [n for n in config.reports if n in covered]


def _unknown_set(config: ReportConfig, set_name: str) -> str:
    known = set(config.variant_sets) | {v for s in config.reports.values() for v in s.variants}
    return (
        f"--variants {set_name}: no variant set of that name in {config.path} "
        f"(known: {', '.join(sorted(known)) or 'none'})"
    )


def _axes(
    config: ReportConfig,
    names: list[str],
    declared: dict[str, dict[str, params.Param]],
    options: BuildOptions,
) -> list[variants.Axis]:
    """The matrix axes of ``--matrix`` and ``--variants``, checked against the reports."""
    try:
        axes = [variants.parse_axis(text) for text in options.matrix]
        if options.variants:
            found = False
            top = config.variant_sets.get(options.variants) or {}
            for name in names:
                mappings = [(f"variants.{options.variants}.{name}", top.get(name))]
                own = config.reports[name].variants.get(options.variants)
                mappings.append((f"reports.{name}.variants.{options.variants}", own))
                for where, mapping in mappings:
                    if mapping is None:
                        continue
                    found = True
                    if mapping:  # an empty mapping: the report with its defaults only
                        scoped = variants.axes_from_mapping(where, mapping)
                        axes += [variants.Axis(name, a.name, a.values) for a in scoped]
            if not found:
                raise variants.VariantError(_unknown_set(config, options.variants))
    except variants.VariantError as exc:
        raise BuildError(str(exc), exitcodes.USAGE) from None
    problems = variants.unmatched_axes(axes, declared)
    if problems:
        raise BuildError("invalid variants:\n  " + "\n  ".join(problems), exitcodes.USAGE)
    return axes


VariantSet = list[tuple[variants.Variant | None, dict[str, Any]]]


def _variant_sets(
    config: ReportConfig,
    names: list[str],
    declared: dict[str, dict[str, params.Param]],
    final: dict[str, dict[str, Any]],
    axes: list[variants.Axis],
) -> tuple[dict[str, VariantSet], list[str]]:
    """Each report's parameter sets (one per variant), validated; and the variants skipped.

    Raises:
        BuildError: Invalid variant values (every problem listed) or two variants whose file
            names would collide (exit code 2).
    """
    out: dict[str, VariantSet] = {}
    problems: list[str] = []
    skipped: list[str] = []
    providers: dict[str, list[str]] = {}
    frames: dict[str, Any] = {}
    for name in names:
        mine = variants.axes_for(name, declared[name], axes)
        combos = variants.combinations(mine)
        if not combos:
            out[name] = [(None, final[name])]
            continue
        out[name] = []
        seen: dict[str, str] = {}
        for combo in combos:
            values = dict(final[name])
            coerced = []
            for pname, raw in combo:
                try:
                    value = params.coerce(declared[name][pname], raw)
                except ValueError as exc:
                    typ = declared[name][pname].type
                    problems.append(f"{name}: --matrix {pname} ({typ}): {exc}")
                    continue
                values[pname] = value
                coerced.append((pname, value))
            variant = variants.Variant(tuple(coerced), named=len(mine) > 1)
            problems += params.validate(name, declared[name], values, providers)
            label = name + variant.suffix
            if label in seen and seen[label] != variant.label:
                problems.append(
                    f"{name}: variants {seen[label]} and {variant.label} share the name {label}"
                )
            seen[label] = variant.label
            reason = _missing_rows(config, name, variant, frames)
            if reason:
                skipped.append(f"{label}: skipped: {reason}")
                continue
            out[name].append((variant, values))
    if problems:
        raise BuildError("invalid parameters:\n  " + "\n  ".join(problems), exitcodes.USAGE)
    return out, skipped


def _codes(name: str, dataset: str, frames: dict[str, Any]) -> set[str]:
    """The region (or cluster) codes that have rows in ``dataset`` (read once per plan)."""
    if dataset not in frames:
        try:
            frame = load_dataset(dataset)
        except (DataError, KeyError, ValueError) as exc:
            raise BuildError(
                f"reports.yml: {name}.requires_rows: cannot read dataset {dataset!r}: {exc}",
                exitcodes.USAGE,
            ) from None
        column = next((c for c in ("region_code", "cluster_code") if c in frame.columns), None)
        if column is None:
            raise BuildError(
                f"reports.yml: {name}.requires_rows: dataset {dataset!r} has no region_code "
                "or cluster_code column",
                exitcodes.USAGE,
            )
        frames[dataset] = set(frame[column].dropna().astype(str))
    return frames[dataset]


def _missing_rows(
    config: ReportConfig, name: str, variant: variants.Variant, frames: dict[str, Any]
) -> str | None:
    """Why ``variant`` has no data to build from (``requires_rows`` in reports.yml), or None."""
    for pname, datasets in config.reports[name].requires_rows.items():
        value = variant.assignments.get(pname)
        if value is None:
            continue
        names = [datasets] if isinstance(datasets, str) else [str(d) for d in datasets]
        if not any(str(value) in _codes(name, d, frames) for d in names):
            files = " or ".join(f"data/{d}.csv" for d in names)
            return f"{files} has no rows for {pname}={variants.display_value(value)}"
    return None


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
    names = select_reports(config, options.reports or _set_reports(config, options.variants))
    langs = parse_list(options.langs, settings.languages, "language")
    formats = parse_list(options.formats, settings.formats, "format")
    if not langs or not formats:
        raise BuildError("choose at least one language and one format", exitcodes.USAGE)
    cell_timeout = _cell_timeout(config, options)
    shard = shards.parse_shard(options.shard)
    if shard is not None and options.out is None:
        raise BuildError("--shard needs --out PART_DIR (the part's own folder)", exitcodes.USAGE)
    declared = declared_parameters(config, names)
    final = _resolve_parameters(config, names, langs, declared, options)
    axes = _axes(config, names, declared, options)
    sets, skipped = _variant_sets(config, names, declared, final, axes)
    browser = _chromium(formats)

    inputs = BuildInputs.read(settings.kernel)
    jobs = []
    for name in names:
        spec = config.reports[name]
        for variant, values in sets[name]:
            for lang in langs:
                parameters = {"lang": lang, **values}
                try:
                    rows = title.display_parameters(parameters, lang, declared[name])
                except DataError as exc:
                    raise BuildError(
                        f"{name} ({lang}): cannot name the parameter values: {exc}",
                        exitcodes.USAGE,
                    ) from None
                meta = title.ReportMeta(
                    report=name,
                    lang=lang,
                    title=_title(spec, lang, parameters, declared[name]),
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
                        variant=variant,
                        variant_label=_variant_label(variant, lang, declared[name]),
                    )
                )
    if not jobs:
        raise BuildError(
            "nothing to build: every variant was skipped\n  " + "\n  ".join(skipped),
            exitcodes.USAGE,
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
        jobs=tuple(shards.select(jobs, shard)),
        skipped=tuple(skipped),
        all_jobs=tuple(jobs),
        shard=None if shard is None else str(shard),
        executor=options.executor or "local",
        scheduler=_scheduler(options),
    )
