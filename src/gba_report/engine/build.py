"""Build the reports: papermill per report x language, HTML via nbconvert, A4 PDF via Chromium.

A build writes into ``<builds>/.tmp-<run id>/`` and, only when every report succeeded, renames
it to ``<builds>/<run id>/`` and repoints the ``latest`` symlink (both atomic). Executions and
exports are cached by content (notebook, parameters, data files, package code, template), so a
rebuild with nothing changed copies files instead of running kernels or Chromium.

Exit codes: see :data:`EXIT_CODES`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import html
import json
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from gba_report import data, keyfigures, paths
from gba_report.engine import params
from gba_report.engine.progress import Progress

EXIT_OK = 0
EXIT_REPORT_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_CHROMIUM = 3
EXIT_PUBLISH = 4
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

#: Exit codes of ``gba-report build`` and what they mean.
EXIT_CODES = {
    EXIT_OK: "success: the build was published and `latest` points at it",
    EXIT_REPORT_FAILED: "a report failed (cell error, cell timeout, kernel died, export error)",
    EXIT_USAGE: "bad usage: unknown report or language, bad parameter, unreadable manifest",
    EXIT_NO_CHROMIUM: "PDF requested but no Chromium found (use --format html or install it)",
    EXIT_PUBLISH: "the build could not be published (lock timeout, file system error)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C / SIGINT)",
    EXIT_TERMINATED: "terminated (SIGTERM)",
}

LANGUAGES = ("en", "zh-Hant")
FORMATS = ("html", "pdf")
#: Part of every cache key: bump to invalidate all caches after a change in semantics.
CACHE_VERSION = "engine-v1"
#: Packages whose versions go into manifest.json.
KEY_PACKAGES = (
    "gba-report",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "pandera",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "playwright",
)
_LOCK_TIMEOUT_S = 120.0


class BuildError(Exception):
    """A build problem with a message for the user and an exit code."""

    def __init__(self, message: str, code: int = EXIT_REPORT_FAILED):
        super().__init__(message)
        self.code = code


class BuildInterrupted(BaseException):  # noqa: N818 - mirrors KeyboardInterrupt
    """Raised in the main thread when the build receives SIGTERM or SIGINT."""

    def __init__(self, code: int):
        super().__init__(f"interrupted by signal (exit {code})")
        self.code = code


# --------------------------------------------------------------------------- manifest


@dataclass
class ReportSpec:
    """One report of ``report/reports.yml``."""

    name: str
    notebook: Path
    title: dict[str, str]
    defaults: dict[str, Any]


@dataclass
class Manifest:
    """The parsed report manifest."""

    path: Path
    settings: dict[str, Any]
    reports: dict[str, ReportSpec]


def load_manifest(path: Path | None = None) -> Manifest:
    """Read the report manifest (``paths.manifest_file()`` unless ``path`` is given).

    Notebook paths are relative to ``GBA_REPORT_NOTEBOOKS_DIR`` when set, else to the
    manifest's ``settings.notebooks_dir`` (relative to the manifest file), else to
    ``paths.notebooks_dir()``.

    Raises:
        BuildError: The file is missing or malformed (exit code 2).
    """
    import yaml

    path = Path(path or paths.manifest_file())
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"cannot read the report manifest {path}: {exc}", EXIT_USAGE) from exc
    settings = dict(raw.get("settings") or {})
    if os.environ.get("GBA_REPORT_NOTEBOOKS_DIR") or not settings.get("notebooks_dir"):
        nb_dir = paths.notebooks_dir()
    else:
        nb_dir = (path.parent / settings["notebooks_dir"]).resolve()
    reports: dict[str, ReportSpec] = {}
    for name, entry in (raw.get("reports") or {}).items():
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise BuildError(f"{path}: report {name!r} needs a 'notebook' entry", EXIT_USAGE)
        title = entry.get("title") or {}
        if isinstance(title, str):
            title = {lang: title for lang in LANGUAGES}
        reports[str(name)] = ReportSpec(
            name=str(name),
            notebook=nb_dir / entry["notebook"],
            title={lang: str(title.get(lang) or title.get("en") or name) for lang in LANGUAGES},
            defaults=dict(entry.get("defaults") or {}),
        )
    if not reports:
        raise BuildError(f"{path}: no reports listed under 'reports:'", EXIT_USAGE)
    return Manifest(path=path, settings=settings, reports=reports)


def declared_parameters(manifest: Manifest, names: list[str]) -> dict[str, dict]:
    """Read the ``parameters`` cell of each named report's notebook.

    Raises:
        BuildError: A notebook is missing or its parameters cell is malformed (exit code 2).
    """
    declared, problems = {}, []
    for name in names:
        spec = manifest.reports[name]
        if not spec.notebook.exists():
            problems.append(f"{name}: notebook {spec.notebook} does not exist")
            continue
        try:
            declared[name] = params.notebook_parameters(spec.notebook)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    if problems:
        raise BuildError("\n".join(problems), EXIT_USAGE)
    return declared


# --------------------------------------------------------------------------- hashing


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_json(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tree_hashes(root: Path, suffixes: tuple[str, ...] | None = None) -> dict[str, str]:
    out = {}
    if not root.exists():
        return out
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        out[rel.as_posix()] = sha256_file(path)
    return out


def data_file_hashes() -> dict[str, str]:
    """sha256 of every file in the data folder, keyed ``data/<relative path>``."""
    return {f"data/{rel}": digest for rel, digest in _tree_hashes(paths.data_dir()).items()}


def package_hash() -> str:
    """Hash of the package's source (code, locales, styles): part of the execution cache key."""
    return _sha256_json(_tree_hashes(paths.package_dir(), (".py", ".yml", ".yaml", ".css")))


_SVG_VOLATILE = [
    (re.compile(r"<dc:date>.*?</dc:date>", re.S), ""),
    (re.compile(r'\bid="[^"]*"'), ""),
    (re.compile(r"url\(#[^)]*\)"), "url(#)"),
    (re.compile(r'xlink:href="#[^"]*"'), ""),
    (re.compile(r'href="#[^"]*"'), ""),
]


def content_hash(nb: dict[str, Any]) -> str:
    """Hash of what a reader sees in an executed notebook: sources and outputs only.

    Execution counts, timestamps, cell metadata and SVG ids/dates are left out, so two runs
    over the same inputs give the same hash.
    """

    def norm_data(bundle: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for mime, value in bundle.items():
            text = "".join(value) if isinstance(value, list) else value
            if mime == "image/svg+xml" and isinstance(text, str):
                for pattern, repl in _SVG_VOLATILE:
                    text = pattern.sub(repl, text)
            out[mime] = text
        return out

    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        outputs = []
        for output in cell.get("outputs", []) or []:
            outputs.append(
                {
                    "type": output.get("output_type"),
                    "name": output.get("name"),
                    "text": output.get("text"),
                    "data": norm_data(output.get("data") or {}),
                    "ename": output.get("ename"),
                    "evalue": output.get("evalue"),
                }
            )
        cells.append(
            {
                "type": cell.get("cell_type"),
                "source": "".join(source) if isinstance(source, list) else source,
                "outputs": outputs,
            }
        )
    return _sha256_json(cells)


# --------------------------------------------------------------------------- jobs


@dataclass
class Job:
    """One report in one language."""

    report: str
    lang: str
    notebook: Path
    parameters: dict[str, Any]
    title: str
    exec_key: str = ""
    html_key: str = ""
    exec_cached: bool = False
    html_cached: bool = False
    duration_s: float = 0.0
    failure: dict[str, Any] | None = None
    html_file: Path | None = None
    started: float = 0.0
    proc: Any = None
    workdir: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        """``<report>.<lang>``: the base name of every output of this job."""
        return f"{self.report}.{self.lang}"


@dataclass
class BuildOptions:
    """Options of ``gba-report build`` (see :mod:`gba_report.commands.build`)."""

    reports: list[str] = field(default_factory=list)
    langs: list[str] | None = None
    formats: list[str] | None = None
    params: list[str] = field(default_factory=list)
    params_file: Path | None = None
    out: Path | None = None
    jobs: int | None = None
    force: bool = False
    cell_timeout: float | None = None
    quiet: bool = False


@dataclass
class BuildResult:
    """What a successful build produced."""

    run_id: str
    build_dir: Path
    manifest: dict[str, Any]


def _parse_list(values: list[str] | None, allowed: tuple[str, ...], what: str) -> list[str]:
    out: list[str] = []
    for value in values or []:
        for item in str(value).split(","):
            item = item.strip()
            if not item:
                continue
            if item == "all":
                out += [a for a in allowed if a not in out]
                continue
            match = {a.lower(): a for a in allowed}.get(item.lower())
            if match is None:
                raise BuildError(
                    f"unknown {what} {item!r}; choose from {', '.join(allowed)} or all",
                    EXIT_USAGE,
                )
            if match not in out:
                out.append(match)
    return out


def _select_reports(manifest: Manifest, names: list[str]) -> list[str]:
    if not names:
        return list(manifest.reports)
    unknown = [n for n in names if n not in manifest.reports]
    if unknown:
        import difflib

        msgs = []
        for name in unknown:
            close = difflib.get_close_matches(name, manifest.reports, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            msgs.append(f"unknown report {name!r}{hint}")
        raise BuildError("; ".join(msgs) + f". Reports: {', '.join(manifest.reports)}", EXIT_USAGE)
    return list(dict.fromkeys(names))


# --------------------------------------------------------------------------- helpers


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(ts: dt.datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=paths.PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in KEY_PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    return versions


def _atomic_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def _touch(path: Path) -> bool:
    """Mark a cache entry as used (for pruning); return whether it exists."""
    try:
        os.utime(path)
    except OSError:
        return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(builds: Path) -> None:
    """Remove temp folders and links left by builds that were killed outright (SIGKILL)."""
    for path in builds.glob(".tmp-*"):
        try:
            pid = int((path / ".pid").read_text().strip())
        except (OSError, ValueError):
            pid = 0
        if path.is_dir() and (pid == 0 or not _pid_alive(pid)):
            if pid == 0 and time.time() - path.stat().st_mtime < 3600:
                continue  # very new and no pid file yet: another build is starting
            shutil.rmtree(path, ignore_errors=True)
    for link in builds.glob(".latest-*"):
        with contextlib.suppress(OSError):
            if time.time() - link.lstat().st_mtime > 60:
                link.unlink()


@contextlib.contextmanager
def publish_lock(builds: Path, timeout_s: float = _LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive ``fcntl`` lock on ``<builds>/.publish.lock`` (short: publish only).

    Raises:
        BuildError: The lock was not obtained within ``timeout_s`` (exit code 4).
    """
    lock_path = builds / ".publish.lock"
    with open(lock_path, "a+") as fh:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildError(
                        f"another build has held {lock_path} for over {timeout_s:.0f} s; "
                        "nothing was published",
                        EXIT_PUBLISH,
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _kill_tree(proc: subprocess.Popen, grace_s: float = 3.0) -> None:
    """Stop a worker and everything it started (its kernel runs in a session of its own)."""
    try:
        import psutil

        parent = psutil.Process(proc.pid)
        procs = [parent, *parent.children(recursive=True)]
    except Exception:  # noqa: BLE001 - psutil missing or process gone
        procs = []
    if procs:
        for p in procs:
            with contextlib.suppress(Exception):
                p.terminate()
        _, alive = psutil.wait_procs(procs, timeout=grace_s)
        for p in alive:
            with contextlib.suppress(Exception):
                p.kill()
        psutil.wait_procs(alive, timeout=grace_s)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.wait(timeout=grace_s)


def describe_failure(job: Job, failed_nb: Path | None) -> str:
    """One actionable message for a failed report x language."""
    f = job.failure or {}
    where = f"{job.report} ({job.lang})"
    cell = f.get("cell")
    cell_txt = f"cell {cell}" if cell else "a cell"
    if f.get("cell_source"):
        cell_txt += f" [{f['cell_source']}]"
    kind = f.get("kind")
    if kind == "cell_error":
        msg = f"{where} failed at {cell_txt}: {f.get('ename')}: {f.get('evalue')}"
    elif kind == "timeout":
        msg = f"{where}: {cell_txt} {f.get('evalue')} (--cell-timeout); the report was stopped"
    elif kind == "kernel_died":
        msg = f"{where}: the kernel died while running {cell_txt} ({f.get('evalue')})"
    else:
        msg = f"{where}: {f.get('ename', 'error')}: {f.get('evalue', 'the worker stopped')}"
    if failed_nb is not None:
        msg += f"\n  executed notebook kept for debugging: {failed_nb}"
    if f.get("log"):
        msg += f"\n  worker log: {f['log']}"
    return msg


# --------------------------------------------------------------------------- the build


class Builder:
    """One run of ``gba-report build``; use :func:`run_build`."""

    def __init__(self, opts: BuildOptions, progress: Progress):
        self.opts = opts
        self.progress = progress
        self.builds = Path(opts.out).resolve() if opts.out else paths.builds_dir()
        self.cache = paths.cache_dir()
        self.started = _utcnow()
        self.run_id = f"{self.started:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        self.tmp = self.builds / f".tmp-{self.run_id}"
        self.published = False
        self.jobs: list[Job] = []
        self.declared: dict[str, dict[str, Any]] = {}
        self.printer: Any = None
        self.pdf_error: BuildError | None = None
        self.chromium: str | None = None

    # -- preparation ---------------------------------------------------------------

    def prepare(self) -> None:
        """Read the manifest, resolve and validate parameters, check tools (no kernel yet)."""
        opts = self.opts
        self.manifest = load_manifest()
        settings = self.manifest.settings
        names = _select_reports(self.manifest, opts.reports)
        self.langs = _parse_list(opts.langs or ["all"], LANGUAGES, "language")
        self.formats = _parse_list(opts.formats or ["html,pdf"], FORMATS, "format")
        if not self.langs or not self.formats:
            raise BuildError("choose at least one language and one format", EXIT_USAGE)
        self.cell_timeout = (
            opts.cell_timeout if opts.cell_timeout is not None else settings.get("cell_timeout")
        )
        if self.cell_timeout is not None and float(self.cell_timeout) <= 0:
            raise BuildError("--cell-timeout must be a positive number of seconds", EXIT_USAGE)
        self.n_jobs = max(1, int(opts.jobs or os.cpu_count() or 1))

        declared = declared_parameters(self.manifest, names)
        self.declared = declared
        overrides: list[tuple[str | None, str, Any]] = []
        try:
            if opts.params_file:
                overrides += params.load_params_file(Path(opts.params_file))
            overrides += params.parse_assignments(opts.params)
            for name in names:
                if "lang" not in declared[name]:
                    raise params.ParameterError(
                        [f"{name}: the notebook's parameters cell declares no 'lang'"]
                    )
            final = params.resolve(
                declared,
                {n: self.manifest.reports[n].defaults for n in names},
                overrides,
            )
            for name in names:
                for lang in self.langs:
                    problems = params.validate(name, declared[name], {"lang": lang})
                    if problems:
                        raise params.ParameterError(problems)
        except params.ParameterError as exc:
            problems = "\n  ".join(exc.problems)
            raise BuildError(f"invalid parameters:\n  {problems}", EXIT_USAGE) from None

        if "pdf" in self.formats:
            from gba_report.engine import pdf

            try:
                self.chromium = pdf.find_chromium()
            except pdf.ChromiumNotFoundError as exc:
                raise BuildError(str(exc), EXIT_NO_CHROMIUM) from exc

        for name in names:
            spec = self.manifest.reports[name]
            for lang in self.langs:
                self.jobs.append(
                    Job(
                        report=name,
                        lang=lang,
                        notebook=spec.notebook,
                        parameters={"lang": lang, **final[name]},
                        title=spec.title[lang],
                    )
                )

    def compute_keys(self) -> None:
        """Hash the inputs and look each job up in the cache."""
        from gba_report.engine import title as build_title

        self.data_files = data_file_hashes()
        self.data_version = data.data_version()
        pkg = package_hash()
        template = _sha256_json(_tree_hashes(paths.templates_dir()))
        self.date = self.started.strftime("%Y-%m-%d")
        kernel = self.manifest.settings.get("kernel", "python3")
        for job in self.jobs:
            components = {
                "engine": CACHE_VERSION,
                "notebook": sha256_file(job.notebook),
                "parameters": _sha256_json(job.parameters),
                "data files": _sha256_json(self.data_files),
                "package code": pkg,
                "kernel": kernel,
                "python": sys.version,
            }
            job.extra["components"] = components
            job.exec_key = _sha256_json(components)
            job.extra["metadata"] = {
                "report": job.report,
                "lang": job.lang,
                "title": job.title,
                "date": self.date,
                "data_version": self.data_version,
                # exact values (lists stay lists); readers see parameter_rows instead
                "parameters": dict(job.parameters),
                "parameter_rows": build_title.display_parameters(
                    job.parameters, job.lang, self.declared.get(job.report)
                ),
            }
            job.html_key = _sha256_json(
                {"exec": job.exec_key, "template": template, "meta": job.extra["metadata"]}
            )
            force = self.opts.force
            job.exec_cached = not force and _touch(self._exec_cache(job))
            job.html_cached = not force and _touch(self._html_cache(job))
            if not job.exec_cached:
                self.progress.info(f"{job.stem}: will execute ({self._miss_reason(job)})")

    def _last_keys_file(self, job: Job) -> Path:
        return self.cache / "last" / f"{job.stem}.json"

    def _miss_reason(self, job: Job) -> str:
        """Say which input changed since this report x language was last built."""
        if self.opts.force:
            return "--force"
        try:
            last = json.loads(self._last_keys_file(job).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "not in the cache"
        changed = [k for k, v in job.extra["components"].items() if last.get(k) != v]
        return "changed: " + ", ".join(changed) if changed else "cache entry missing"

    def _prune_cache(self, max_age_days: float = 30.0) -> None:
        """Delete cache entries no build has used for ``max_age_days`` (hits refresh mtime)."""
        cutoff = time.time() - max_age_days * 86400
        for sub in ("exec", "html", "pdf"):
            for path in (self.cache / sub).glob("*"):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()

    def _remember_keys(self) -> None:
        for job in self.jobs:
            path = self._last_keys_file(job)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(job.extra["components"]), encoding="utf-8")
            os.replace(tmp, path)

    def _exec_cache(self, job: Job) -> Path:
        return self.cache / "exec" / f"{job.exec_key}.ipynb"

    def _html_cache(self, job: Job) -> Path:
        return self.cache / "html" / f"{job.html_key}.html"

    # -- execution -----------------------------------------------------------------

    def _html_target(self, job: Job) -> Path:
        if "html" in self.formats:
            return self.tmp / f"{job.stem}.html"
        return self.tmp / ".work" / job.stem / f"{job.stem}.html"

    def _start_worker(self, job: Job, events: queue.Queue) -> None:
        workdir = self.tmp / ".work" / job.stem
        workdir.mkdir(parents=True, exist_ok=True)
        job.workdir = workdir
        job.html_file = self._html_target(job)
        job.html_file.parent.mkdir(parents=True, exist_ok=True)
        spec = {
            "report": job.report,
            "lang": job.lang,
            "notebook": str(job.notebook),
            "parameters": job.parameters,
            "kernel": self.manifest.settings.get("kernel", "python3"),
            "cwd": str(job.notebook.parent),
            "cell_timeout": float(self.cell_timeout) if self.cell_timeout else None,
            "use_cache": job.exec_cached,
            "exec_cache": str(self._exec_cache(job)),
            "executed_out": str(workdir / f"{job.stem}.ipynb"),
            "html_out": str(job.html_file),
            "html_cache": str(self._html_cache(job)),
            "template_dir": str(paths.templates_dir()),
            "metadata": job.extra["metadata"],
        }
        job_file = workdir / "job.json"
        job_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        env = dict(os.environ)
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        env["PYTHONUNBUFFERED"] = "1"
        log = open(workdir / "worker.log", "wb")  # noqa: SIM115 - closed in _finish_worker
        job.extra["log"] = log
        job.started = time.monotonic()
        job.proc = subprocess.Popen(
            [sys.executable, "-m", "gba_report.engine.worker", str(job_file)],
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
            text=True,
        )

        def pump(job: Job = job) -> None:
            for line in job.proc.stdout:
                if line.startswith("@stage "):
                    events.put((job, line.split(None, 1)[1].strip()))

        threading.Thread(target=pump, daemon=True).start()

    def _finish_worker(self, job: Job) -> None:
        job.duration_s = time.monotonic() - job.started
        job.extra.pop("log").close()
        result_file = job.workdir / "result.json"
        try:
            result = json.loads(result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            code = job.proc.returncode
            tail = (job.workdir / "worker.log").read_text("utf-8", "replace")[-1500:]
            result = {
                "status": "failed",
                "kind": "internal",
                "ename": "WorkerDied",
                "evalue": f"the worker process exited with code {code}\n{tail}",
            }
        if result.get("status") != "ok":
            job.failure = result

    def execute(self) -> None:
        """Run every job that is not fully cached, ``--jobs`` at a time.

        PDFs are printed by one browser (in its own thread) once no kernel is running any
        more: Chromium printing a chart-heavy report takes as much memory as two kernels, and
        keeping the phases apart keeps the build's peak memory well under 1.5 GiB.
        """
        pending = []
        steps = 2 if "pdf" in self.formats else 1
        self.progress.start([j.stem for j in self.jobs], steps)
        events: queue.Queue = queue.Queue()
        self._events = events
        self._pdf_outstanding: set[str] = set()
        self._to_print: list[Job] = []
        for job in self.jobs:
            if job.exec_cached and job.html_cached:
                t0 = time.monotonic()
                job.html_file = self._html_target(job)
                _atomic_copy(self._html_cache(job), job.html_file)
                job.duration_s = time.monotonic() - t0
                self.progress.stage(job.stem, "cached", advance=1)
                self._after_html(job)
            else:
                pending.append(job)
        running: list[Job] = []
        failed = False
        while pending or running or self._pdf_outstanding or self._to_print:
            while pending and len(running) < self.n_jobs:
                job = pending.pop(0)
                self._start_worker(job, events)
                running.append(job)
                note = " (exporting cached run)" if job.exec_cached else ""
                self.progress.stage(job.stem, "started" + note)
            for job in list(running):
                if job.proc.poll() is not None:
                    running.remove(job)
                    self._finish_worker(job)
                    if job.failure:
                        failed = True
                        self.progress.stage(job.stem, "FAILED")
                    else:
                        self.progress.stage(job.stem, f"done in {job.duration_s:.1f} s", advance=1)
                        if not failed:
                            self._after_html(job)
            if not pending and not running and self._to_print:
                if failed:
                    self._to_print.clear()
                else:
                    self._print_queued()
            with contextlib.suppress(queue.Empty):
                while True:
                    event = events.get(timeout=0.05)
                    self._on_event(event)

    def _on_event(self, event: tuple) -> None:
        if event[0] == "pdf":
            _, job, error = event
            self._pdf_outstanding.discard(job.stem)
            target = self.tmp / f"{job.stem}.pdf"
            if error is not None:
                if self.pdf_error is None:
                    self.pdf_error = BuildError(
                        f"{job.report} ({job.lang}): printing the PDF with {self.chromium} "
                        f"failed: {type(error).__name__}: {_first_line(error)}",
                        EXIT_REPORT_FAILED,
                    )
                self.progress.stage(job.stem, "PDF FAILED")
                return
            _atomic_copy(target, self.cache / "pdf" / f"{job.extra['pdf_key']}.pdf")
            self.progress.stage(job.stem, "pdf done", advance=1)
        else:
            job, stage = event
            self.progress.stage(job.stem, stage)

    def _after_html(self, job: Job) -> None:
        """Copy the job's PDF from the cache or hand its HTML to the print thread."""
        if "pdf" not in self.formats or self.pdf_error is not None:
            return
        from gba_report.engine import pdf

        html_bytes = job.html_file.read_bytes()
        key = hashlib.sha256(html_bytes + pdf.PRINT_SETTINGS_VERSION.encode()).hexdigest()
        job.extra["pdf_key"] = key
        cached = self.cache / "pdf" / f"{key}.pdf"
        target = self.tmp / f"{job.stem}.pdf"
        if not self.opts.force and _touch(cached):
            _atomic_copy(cached, target)
            self.progress.stage(job.stem, "pdf (cached)", advance=1)
            return
        self._to_print.append(job)
        self.progress.stage(job.stem, "waiting to print")

    def _print_queued(self) -> None:
        """Hand every HTML waiting for its PDF to the print thread (started on first use)."""
        from gba_report.engine import pdf

        if self.printer is None:
            events = self._events
            concurrency = int(self.manifest.settings.get("pdf_concurrency", 1))
            self.printer = pdf.PrintService(
                self.chromium,
                lambda token, error: events.put(("pdf", token, error)),
                concurrency=min(concurrency, self.n_jobs),
            )
            self.printer.start()
        for job in self._to_print:
            self._pdf_outstanding.add(job.stem)
            self.progress.stage(job.stem, "pdf")
            self.printer.submit(job, job.html_file, self.tmp / f"{job.stem}.pdf")
        self._to_print = []

    def kill_workers(self) -> None:
        """Stop every running worker and its kernel."""
        for job in self.jobs:
            if job.proc is not None and job.proc.poll() is None:
                _kill_tree(job.proc)

    # -- failures ------------------------------------------------------------------

    def keep_failures(self) -> list[str]:
        """Move failed executed notebooks to ``<builds>/failed/<run id>/``; return messages."""
        messages = []
        failed_dir = self.builds / "failed" / self.run_id
        for job in self.jobs:
            if not job.failure:
                continue
            kept = None
            src = job.failure.get("notebook")
            if src and Path(src).exists():
                failed_dir.mkdir(parents=True, exist_ok=True)
                kept = failed_dir / f"{job.stem}.ipynb"
                shutil.move(src, kept)
            if job.failure.get("kind") == "internal" and job.workdir is not None:
                log = job.workdir / "worker.log"
                if log.exists():
                    failed_dir.mkdir(parents=True, exist_ok=True)
                    shutil.move(log, failed_dir / f"{job.stem}.log")
                    job.failure["log"] = str(failed_dir / f"{job.stem}.log")
            messages.append(describe_failure(job, kept))
        return messages

    # -- manifest, index, publish --------------------------------------------------

    def write_outputs(self) -> dict[str, Any]:
        """Write executed notebooks, manifest.json and index.html into the temp folder."""
        from gba_report.engine import history

        executed_dir = self.tmp / "executed"
        executed_dir.mkdir(parents=True, exist_ok=True)
        reports: dict[str, Any] = {}
        for job in self.jobs:
            nb = json.loads(self._exec_cache(job).read_text(encoding="utf-8"))
            nb.setdefault("metadata", {})["gba_report"] = job.extra["metadata"]
            (executed_dir / f"{job.stem}.ipynb").write_text(
                json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            entry = reports.setdefault(
                job.report,
                {
                    "title": self.manifest.reports[job.report].title,
                    "notebook": _display_path(job.notebook),
                    "langs": {},
                },
            )
            outputs = {fmt: f"{job.stem}.{fmt}" for fmt in self.formats}
            outputs["executed"] = f"executed/{job.stem}.ipynb"
            entry["langs"][job.lang] = {
                "parameters": job.parameters,
                "duration_s": round(job.duration_s, 3),
                "cached": job.exec_cached,
                "content_sha256": content_hash(nb),
                "key_figures": keyfigures.extract(nb),
                "outputs": outputs,
            }
        shutil.rmtree(self.tmp / ".work", ignore_errors=True)

        manifest: dict[str, Any] = {
            "run_id": self.run_id,
            "status": "success",
            "started": _iso(self.started),
            "finished": None,
            "git_commit": _git_commit(),
            "versions": _versions(),
            "data_version": self.data_version,
            "data_files": self.data_files,
            "settings": {
                "languages": self.langs,
                "formats": self.formats,
                "cell_timeout": self.cell_timeout,
                "jobs": self.n_jobs,
                "forced": self.opts.force,
            },
            "outputs": {},
            "reports": reports,
        }
        if self.printer is not None and self.printer.version:
            manifest["versions"]["chromium"] = self.printer.version
        try:
            previous = history.previous_manifest(self.builds)
            changes = history.compare_manifests(previous, manifest)
            changes_html = history.render_changes_html(changes)
        except Exception as exc:  # noqa: BLE001 - history is informative, never fatal
            self.progress.warning(f"could not compare with the previous build: {exc}")
            changes_html = ""
        manifest["finished"] = _iso(_utcnow())
        (self.tmp / "index.html").write_text(
            render_index(manifest, self.formats, changes_html), encoding="utf-8"
        )
        manifest["outputs"] = {
            rel: digest
            for rel, digest in _tree_hashes(self.tmp).items()
            if rel not in ("manifest.json",)
        }
        (self.tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return manifest

    def publish(self) -> Path:
        """Rename the temp folder into place and repoint ``latest`` (under a short lock)."""
        from gba_report.engine import history

        (self.tmp / ".pid").unlink(missing_ok=True)
        final = self.builds / self.run_id
        with publish_lock(self.builds):
            try:
                os.rename(self.tmp, final)
                self.published = True
                link_tmp = self.builds / f".latest-{self.run_id}"
                link_tmp.unlink(missing_ok=True)
                os.symlink(self.run_id, link_tmp)
                os.replace(link_tmp, self.builds / "latest")
            except OSError as exc:
                raise BuildError(f"publishing {final} failed: {exc}", EXIT_PUBLISH) from exc
            try:
                history.write_history_index(self.builds)
            except Exception as exc:  # noqa: BLE001 - the build itself is published
                self.progress.warning(f"could not rewrite the build history index: {exc}")
        return final

    def cleanup(self) -> None:
        """Stop workers and the browser; remove the temp folder unless it was published."""
        self.kill_workers()
        for job in self.jobs:
            log = job.extra.pop("log", None)
            if log is not None:
                log.close()
        if self.printer is not None:
            with contextlib.suppress(Exception):
                self.printer.stop()
            self.printer = None
        if not self.published:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self) -> BuildResult:
        """Do the whole build (see :func:`run_build`)."""
        self.prepare()
        self.builds.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.builds)
        self.tmp.mkdir(parents=True)
        (self.tmp / ".pid").write_text(str(os.getpid()))
        self.compute_keys()
        self._freshness()
        cached = sum(j.exec_cached for j in self.jobs)
        self.progress.info(
            f"build {self.run_id}: {len(self.jobs)} report x language runs "
            f"({cached} cached), formats {','.join(self.formats)}, {self.n_jobs} jobs"
        )
        try:
            self.execute()
        finally:
            self.progress.close()
        failures = self.keep_failures()
        if failures:
            raise BuildError(
                "\n".join(failures)
                + "\nNothing was published; `latest` still points at the previous build.",
                EXIT_REPORT_FAILED,
            )
        if self.pdf_error is not None:
            raise self.pdf_error
        if self.printer is not None:
            self.printer.stop()
        manifest = self.write_outputs()
        final = self.publish()
        self._remember_keys()
        self._prune_cache()
        return BuildResult(run_id=self.run_id, build_dir=final, manifest=manifest)

    def _freshness(self) -> None:
        """Log one warning per release expected to exist but missing from the data."""
        for line in data.freshness_warnings():
            self.progress.warning(line)


def _display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def render_index(manifest: dict[str, Any], formats: list[str], changes_html: str = "") -> str:
    """Render a build's ``index.html``: every report x language x format, time, data version.

    Args:
        manifest: The build manifest (as written to manifest.json).
        formats: Formats built.
        changes_html: "What changed" fragment from :mod:`gba_report.engine.history`.
    """
    esc = html.escape
    rows = []
    for report in manifest["reports"].values():
        for lang, info in report["langs"].items():
            links = " · ".join(
                f'<a href="{esc(info["outputs"][fmt])}">{fmt.upper()}</a>'
                for fmt in formats
                if fmt in info["outputs"]
            )
            params_txt = ", ".join(
                f"{k}={', '.join(v) if isinstance(v, list) else v}"
                for k, v in info["parameters"].items()
                if k != "lang"
            )
            run_time = "cached" if info["cached"] else f"{info['duration_s']:.1f} s"
            rows.append(
                f'<tr><td lang="{esc(lang)}">{esc(report["title"][lang])}</td>'
                f"<td>{esc(lang)}</td><td>{links} · "
                f'<a href="{esc(info["outputs"]["executed"])}">notebook</a></td>'
                f'<td class="params">{esc(params_txt)}</td>'
                f"<td>{run_time}</td></tr>"
            )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>GBA innovation reports · 大灣區創新報告 — {esc(manifest["run_id"])}</title>
<style>
body {{ font-family: "Noto Sans", "Noto Sans CJK TC", Arial, sans-serif; max-width: 60rem;
  margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }}
h1 {{ color: #1f4e79; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.95rem; }}
th, td {{ border-bottom: 1px solid #d0d7de; padding: 0.4rem 0.5rem; text-align: left;
  vertical-align: top; }}
td.params {{ font-size: 0.8rem; color: #555; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }}
dt {{ font-weight: 600; }} dd {{ margin: 0; }}
code {{ font-size: 0.9em; }}
</style>
</head>
<body>
<h1>GBA innovation reports · 大灣區創新報告</h1>
<dl>
<dt>Generated · 生成時間</dt><dd>{esc(manifest["finished"] or manifest["started"])}</dd>
<dt>Data version · 數據版本</dt><dd><code>{esc(manifest["data_version"])}</code></dd>
<dt>Build · 版本</dt><dd><code>{esc(manifest["run_id"])}</code> (git
<code>{esc((manifest.get("git_commit") or "unknown")[:12])}</code>) ·
<a href="manifest.json">manifest.json</a></dd>
</dl>
<table>
<thead><tr><th>Report · 報告</th><th>Language · 語言</th><th>Files · 檔案</th>
<th>Parameters · 參數</th><th>Run time · 執行時間</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<section class="changes">
{changes_html}
</section>
</body>
</html>
"""


def run_build(opts: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build, export and publish the reports.

    SIGTERM (and Ctrl-C) stop the workers and kernels, remove the temp folder and raise
    :class:`BuildInterrupted`; ``latest`` is only ever repointed after a complete build.

    Args:
        opts: What to build.
        progress: Where progress goes (default: stderr, terminal-aware).

    Returns:
        The published build.

    Raises:
        BuildError: With a message and an exit code from :data:`EXIT_CODES`.
        BuildInterrupted: On SIGTERM / SIGINT (exit code 143 / 130).
    """
    progress = progress or Progress(quiet=opts.quiet)
    builder = Builder(opts, progress)

    def on_signal(signum: int, _frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough: we are cleaning up
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise BuildInterrupted(128 + signum)

    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            handlers[sig] = signal.signal(sig, on_signal)
    try:
        try:
            return builder.run()
        except KeyboardInterrupt:
            raise BuildInterrupted(EXIT_INTERRUPTED) from None
        finally:
            builder.cleanup()
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
