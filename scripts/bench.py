"""Benchmark the report build (``make bench``): where a cold build's time goes, and the ratios.

In one run on the same machine, for the same outputs (every report x language, HTML + PDF):

(a) cold build: ``gba-report build --lang all --format html,pdf`` with an empty cache and an
    empty output folder; its ``timings.json`` gives the stage table (summed over jobs);
(b) the same build again with nothing changed (cache reused);
(c) the by-hand chain per output, ``papermill`` -> ``jupyter nbconvert --to html --no-input``
    -> ``chromium --headless --print-to-pdf``, one output after another;
(d) the same chains ``nproc`` at a time (``xargs -P nproc``);
(e) a 16-output matrix, ``rd_intensity`` for 8 provinces x 2 languages, cold, when
    ``gba-report build --help`` offers ``--matrix`` (else "n/a");
(f) the same cold build as (a) by the code of ``--baseline REV`` (default: the last commit
    before the reusable-figures work of issue 10, :data:`BASELINE_REV`), extracted with
    ``git archive`` into the work folder and run with this environment's Python
    (``PYTHONPATH=<extracted>/src``), its own data, notebooks and ``reports.yml``: issue 10
    asks that the cold build with the downloads, tagged PDFs and citations be no more than
    15 % slower than before. "n/a" where the revision is not in this clone (a shallow one).

Wall time is measured around each step. Peak memory is the highest sum of PSS (proportional
set size: shared pages split between the processes sharing them) over the whole process tree
(the build, its workers, kernels, Playwright and every Chromium process), sampled every 0.1 s
with psutil. The machine's load (``uptime``) is printed before and after: the figures of a
loaded machine are slow and noisy.

Usage: python scripts/bench.py [--fixtures] [--jobs N] [--keep] [--steps cold,rebuild,...]
Results are printed and written to report/bench/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from gba_report.engine.config import load_config
from gba_report.engine.timings import section_table, stage_table

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: The issue's targets (issue 12, point 2): ratio -> upper bound.
TARGETS = {
    "cold_vs_by_hand_parallel": 0.5,
    "cold_vs_by_hand_sequential": 0.3,
    "matrix_vs_cold": 2.1,
    "rebuild_vs_cold": 0.05,
    "peak_gib": 1.5,
    "cold_vs_baseline_cold": 1.15,
}
#: (f): the last commit before issue 10 (downloads, tagged PDFs, citation). It also predates
#: issue 12's engine work, so (a) / (f) shows both issues' net effect on a cold build.
BASELINE_REV = "6989eec"
#: The matrix of (e): 8 provinces (codes in data/regions.csv), both languages.
MATRIX_REPORT = "rd_intensity"
MATRIX_PROVINCES = ("GD", "SH", "BJ", "JS", "ZJ", "SD", "HB", "SC")
STEPS = ("cold", "baseline", "rebuild", "by_hand_sequential", "by_hand_parallel", "matrix")


class TreeSampler:
    """Sample the summed PSS (and RSS) of a process and all its descendants."""

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.peak = 0
        self.peak_rss = 0
        self._stop = threading.Event()
        self._root: psutil.Process | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, pid: int) -> None:
        self._root = psutil.Process(pid)

    def _run(self) -> None:
        while not self._stop.is_set():
            root = self._root
            if root is not None:
                total_rss = total_pss = 0
                try:
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    procs = []
                for proc in procs:
                    try:
                        info = proc.memory_full_info()
                    except psutil.Error:
                        continue
                    total_rss += info.rss
                    total_pss += getattr(info, "pss", info.rss)
                self.peak = max(self.peak, total_pss)
                self.peak_rss = max(self.peak_rss, total_rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def uptime() -> str:
    """The machine's load, as ``uptime`` prints it."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(label: str, cmd: list[str], env: dict) -> dict:
    """Run ``cmd``; return its wall and CPU time, peak summed PSS / RSS and its stderr.

    CPU time (user + system of every process of the tree that was waited for) is the
    steadier figure on a shared machine: other users' load stretches wall time, not it.
    """
    print(f"-- {label}", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with TreeSampler() as sampler:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        sampler.watch(proc.pid)
        _, err = proc.communicate()
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stderr = err.decode(errors="replace")
    if proc.returncode != 0:
        sys.stderr.write(stderr[-3000:])
        raise SystemExit(f"bench: command failed ({proc.returncode}): {shlex.join(cmd)}")
    print(
        f"   wall {wall:.1f} s, CPU {cpu:.1f} s, peak PSS {sampler.peak / 2**20:.0f} MiB "
        f"(sum of RSS {sampler.peak_rss / 2**20:.0f} MiB)",
        flush=True,
    )
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_pss_tree_mib": round(sampler.peak / 2**20, 1),
        "peak_rss_sum_tree_mib": round(sampler.peak_rss / 2**20, 1),
        "stderr": stderr,
    }


def by_hand_chains(reports: list[tuple[str, Path]], langs: list[str], out: Path, chromium: str):
    """One shell line per output: papermill, then nbconvert, then Chromium."""
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    for name, notebook in reports:
        for lang in langs:
            stem = out / f"{name}.{lang}"
            chain = [
                [str(BIN / "papermill"), str(notebook), f"{stem}.ipynb", "-r", "lang", lang,
                 "--cwd", str(notebook.parent)],
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                 f"{stem}.ipynb", "--output", f"{stem}.html"],
                [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                 "--no-pdf-header-footer", f"--print-to-pdf={stem}.pdf", f"file://{stem}.html"],
            ]  # fmt: skip
            lines.append(" && ".join(shlex.join(c) for c in chain))
    return lines


def run_chains(label: str, lines: list[str], parallel: int, env: dict, work: Path) -> dict:
    """Run the by-hand chains ``parallel`` at a time through ``xargs -P``."""
    listing = work / f"chains-{parallel}.txt"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = ["xargs", "-P", str(parallel), "-d", "\n", "-n", "1", "bash", "-c"]
    cmd = ["bash", "-c", f"{shlex.join(cmd)} < {shlex.quote(str(listing))}"]
    return measure(label, cmd, env)


def has_matrix_option(env: dict) -> bool:
    """Whether ``gba-report build`` offers ``--matrix`` (the variants of issue 12, point 1)."""
    result = subprocess.run(
        [str(BIN / "gba-report"), "build", "--help"], env=env, capture_output=True, text=True
    )
    return "--matrix" in result.stdout


def extract_revision(rev: str, dest: Path) -> str | None:
    """Extract the tree of ``rev`` into ``dest`` (``git archive``); None, or why it cannot."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"revision {rev} is not in this clone (a shallow clone? `git fetch --unshallow`)"
    dest.mkdir(parents=True)
    archive = subprocess.Popen(["git", "archive", sha], cwd=ROOT, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True)
    archive.wait()
    return None if archive.returncode == 0 else f"git archive {rev} failed"


def build_timings(builds: Path) -> dict | None:
    """The ``timings.json`` of the latest build in ``builds`` (None if the build has none)."""
    path = builds / "latest" / "timings.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def print_stage_table(doc: dict) -> None:
    """Print where the cold build's time went, per stage summed over jobs, and per section."""
    rows = stage_table(doc)
    jobs = len(doc.get("steps", {}))
    total = sum(s for key, _, s in rows if key != "wall")
    print(f"\nwhere the cold build's time goes ({jobs} jobs, {doc.get('slots')} cores, "
          f"--jobs {doc.get('jobs')}; seconds summed over jobs):")  # fmt: skip
    print(f"  {'stage':<56}{'s':>8}{'share':>8}")
    for key, label, seconds in rows:
        share = "" if key == "wall" else f"{100 * seconds / total:.0f}%" if total else ""
        print(f"  {label:<56}{seconds:>8.1f}{share:>8}")
    print(f"\n  {'section cell (summed over languages)':<56}{'cell s':>8}{'chart s':>9}")
    for name, cell, chart in section_table(doc):
        print(f"  {name:<56}{cell:>8.1f}{chart:>9.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", action="store_true", help="bench the fixture report")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the build")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"subset of {','.join(STEPS)}")
    parser.add_argument(
        "--baseline",
        default=BASELINE_REV,
        metavar="REV",
        help=f"revision for step (f) (default: {BASELINE_REV})",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "report" / "bench" / "latest.json")
    args = parser.parse_args()
    steps = [s for s in args.steps.split(",") if s]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {unknown}; known: {', '.join(STEPS)}")

    manifest = (
        ROOT / "tests" / "fixtures" / "notebooks" / "reports.yml"
        if args.fixtures
        else Path(os.environ.get("GBA_REPORT_MANIFEST") or ROOT / "report" / "reports.yml")
    )
    config = load_config(manifest)
    reports = [(name, spec.notebook) for name, spec in config.reports.items()]
    if args.fixtures:
        reports = [r for r in reports if r[0] == "fixture"]
    langs = list(config.settings.languages)
    names = [name for name, _ in reports]
    chromium = os.environ.get("GBA_REPORT_CHROMIUM") or shutil.which("chromium")
    chromium = chromium or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        raise SystemExit("bench: chromium not found (apt-get install chromium)")
    nproc = os.cpu_count() or 1

    work = Path(tempfile.mkdtemp(prefix="gba-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GBA_REPORT_")}
    env.update(GBA_REPORT_MANIFEST=str(manifest), PYTHONUNBUFFERED="1")
    build_env = {**env, "GBA_REPORT_CACHE_DIR": str(work / "cache")}

    def build_cmd(*extra: str, out: Path = work / "builds") -> list[str]:
        cmd = [str(BIN / "gba-report"), "build", *extra, "--lang", "all",
               "--format", "html,pdf", "--out", str(out)]  # fmt: skip
        return cmd + (["--jobs", str(args.jobs)] if args.jobs else [])

    load_before = uptime()
    print(f"machine: {nproc} cores; {load_before}", flush=True)
    results: dict = {}
    timings = None
    try:
        if "cold" in steps:
            results["cold"] = measure("(a) cold build", build_cmd(*names), build_env)
            timings = build_timings(work / "builds")
        if "baseline" in steps:
            results["baseline"] = None
            base = work / "baseline"
            why = "--fixtures" if args.fixtures else extract_revision(args.baseline, base)
            if why:
                print(f"-- (f) cold build at {args.baseline}: n/a: {why}")
            else:
                base_env = {**env, "PYTHONPATH": str(base / "src"),
                            "GBA_REPORT_MANIFEST": str(base / "report" / "reports.yml"),
                            "GBA_REPORT_CACHE_DIR": str(work / "cache-baseline")}  # fmt: skip
                cli = "import sys; from gba_report.cli import main; sys.exit(main())"
                cmd = [sys.executable, "-c", cli, "build", *names, "--lang", "all",
                       "--format", "html,pdf", "--out", str(work / "builds-baseline")]  # fmt: skip
                cmd += ["--jobs", str(args.jobs)] if args.jobs else []
                results["baseline"] = measure(f"(f) cold build at {args.baseline}", cmd, base_env)
        if "rebuild" in steps:
            results["rebuild"] = measure("(b) rebuild, nothing changed", build_cmd(*names),
                                         build_env)  # fmt: skip
            misses = [
                line.split(" ", 1)[-1]
                for line in results["rebuild"]["stderr"].splitlines()
                if "will execute" in line
            ]
            results["rebuild"]["cache_misses"] = misses
            for line in misses:
                print(f"   cache miss: {line}")
        lines = by_hand_chains(reports, langs, work / "by-hand", chromium)
        if "by_hand_sequential" in steps:
            results["by_hand_sequential"] = run_chains(
                "(c) by hand, one output after another", lines, 1, env, work
            )
        if "by_hand_parallel" in steps:
            results["by_hand_parallel"] = run_chains(
                f"(d) by hand, {nproc} at a time (xargs -P {nproc})", lines, nproc, env, work
            )
        if "matrix" in steps:
            if args.fixtures or not has_matrix_option(env):
                results["matrix"] = None
                print("-- (e) matrix: n/a: --matrix not available")
            else:
                matrix_env = {**env, "GBA_REPORT_CACHE_DIR": str(work / "cache-matrix")}
                cmd = build_cmd(MATRIX_REPORT, "--matrix",
                                "focus_region=" + ",".join(MATRIX_PROVINCES),
                                out=work / "builds-matrix")  # fmt: skip
                results["matrix"] = measure(
                    f"(e) matrix: {MATRIX_REPORT} x {len(MATRIX_PROVINCES)} provinces x "
                    f"{len(langs)} languages, cold",
                    cmd,
                    matrix_env,
                )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work folder kept: {work}")
    load_after = uptime()

    for value in results.values():
        if value:
            value.pop("stderr", None)
    if timings is not None:
        print_stage_table(timings)

    def wall(key: str) -> float | None:
        return results[key]["wall_s"] if results.get(key) else None

    def ratio(a: str, b: str) -> float | None:
        x, y = wall(a), wall(b)
        return round(x / y, 3) if x is not None and y else None

    peaks = [
        r["peak_pss_tree_mib"]
        for k, r in results.items()
        if r and k in ("cold", "rebuild", "matrix")
    ]
    ratios = {
        "cold_vs_by_hand_parallel": ratio("cold", "by_hand_parallel"),
        "cold_vs_by_hand_sequential": ratio("cold", "by_hand_sequential"),
        "matrix_vs_cold": ratio("matrix", "cold"),
        "rebuild_vs_cold": ratio("rebuild", "cold"),
        "peak_gib": round(max(peaks) / 1024, 3) if peaks else None,
        "cold_vs_baseline_cold": ratio("cold", "baseline"),
    }
    verdict = {k: (None if v is None else v <= TARGETS[k]) for k, v in ratios.items()}

    print(f"\n{'step':<44}{'wall (s)':>10}{'CPU (s)':>9}{'peak PSS (MiB)':>16}"
          f"{'peak sum RSS (MiB)':>20}")  # fmt: skip
    labels = {
        "cold": "(a) cold build",
        "rebuild": "(b) rebuild, nothing changed",
        "by_hand_sequential": "(c) by hand, sequential",
        "by_hand_parallel": f"(d) by hand, {nproc}-way parallel",
        "matrix": "(e) matrix 8 provinces x 2 languages",
        "baseline": f"(f) cold build at {args.baseline}",
    }
    for key, label in labels.items():
        r = results.get(key)
        if r:
            pss, rss = r["peak_pss_tree_mib"], r["peak_rss_sum_tree_mib"]
            print(f"{label:<44}{r['wall_s']:>10.1f}{r['cpu_s']:>9.1f}{pss:>16.0f}{rss:>20.0f}")
        elif key in results:
            why = "--matrix not available" if key == "matrix" else "revision not available"
            print(f"{label:<44}{'n/a: ' + why:>46}")
    print()
    names_of = {
        "cold_vs_by_hand_parallel": "cold / by hand parallel",
        "cold_vs_by_hand_sequential": "cold / by hand sequential",
        "matrix_vs_cold": "16-output matrix / cold",
        "rebuild_vs_cold": "rebuild / cold",
        "peak_gib": "peak summed PSS (GiB)",
        "cold_vs_baseline_cold": f"cold / cold at {args.baseline}",
    }
    for key, label in names_of.items():
        value, ok = ratios[key], verdict[key]
        shown = "n/a" if value is None else f"{value:.3f}"
        if key == "matrix_vs_cold" and key in results and results[key] is None:
            shown = "n/a: --matrix not available"
        state = "" if ok is None else ("OK" if ok else "MISSED")
        print(f"{label:<28}= {shown:<28} (target <= {TARGETS[key]})  {state}")
    print(f"\nload before: {load_before}\nload after:  {load_after}")

    record = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reports": names,
        "languages": langs,
        "fixtures": args.fixtures,
        "baseline": args.baseline,
        "runs": len(names) * len(langs),
        "machine": {
            "cpus": nproc,
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "uptime_before": load_before,
            "uptime_after": load_after,
        },
        "memory_method": "peak of the summed PSS of the process tree, sampled every 0.1 s "
        "(psutil memory_full_info); summed RSS also given",
        "results": results,
        "stages": None if timings is None else [
            {"stage": k, "label": label, "s": round(s, 2)} for k, label, s in stage_table(timings)
        ],
        "sections": None if timings is None else [
            {"cell": n, "s": round(c, 2), "chart_s": round(ch, 2)}
            for n, c, ch in section_table(timings)
        ],
        "ratios": ratios,
        "targets": TARGETS,
        "meets_targets": verdict,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
