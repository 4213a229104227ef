"""Benchmark the report build (``make bench``): cold build, no-change rebuild, by-hand commands.

In one run on the same machine:

(a) cold full build: ``gba-report build --lang all --format html,pdf`` with an empty cache and
    an empty output folder;
(b) the same build again with nothing changed (cache reused);
(c) the by-hand way for the same outputs, one command after another for every report and
    language: ``papermill``, ``jupyter nbconvert --to html --no-input``, then
    ``chromium --headless --print-to-pdf``.

Wall time is measured around each step. Peak memory is the highest sum of PSS (proportional
set size: shared pages split between the processes sharing them) over the whole process tree
(the build, its workers, kernels, Playwright and every Chromium process), sampled every 0.1 s
with psutil. The sum of RSS (which counts shared pages once per process, so overstates) and the
largest single process (``getrusage(RUSAGE_CHILDREN).ru_maxrss``) are reported too.

Usage: python scripts/bench.py [--fixtures] [--jobs N] [--keep]
Results are printed and written to report/bench/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGETS = {"cold_vs_by_hand": 0.5, "rebuild_vs_cold": 0.1, "peak_gib": 1.5}


class TreeSampler:
    """Sample the summed RSS of a process and all its descendants."""

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


MISSES: list[str] = []


def run_measured(cmd: list[str], env: dict, cwd: Path, sampler: TreeSampler) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler.watch(proc.pid)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    MISSES.extend(
        line.split(" ", 1)[-1]
        for line in err.decode(errors="replace").splitlines()
        if "will execute" in line
    )
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-3000:])
        raise SystemExit(f"bench: command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed


def measure(label: str, commands: list[tuple[list[str], Path]], env: dict) -> dict:
    print(f"-- {label}: {len(commands)} command(s)", flush=True)
    with TreeSampler() as sampler:
        wall = sum(run_measured(cmd, env, cwd, sampler) for cmd, cwd in commands)
    print(
        f"   wall {wall:.1f} s, peak PSS {sampler.peak / 2**20:.0f} MiB "
        f"(sum of RSS {sampler.peak_rss / 2**20:.0f} MiB)",
        flush=True,
    )
    return {
        "wall_s": round(wall, 2),
        "peak_pss_tree_mib": round(sampler.peak / 2**20, 1),
        "peak_rss_sum_tree_mib": round(sampler.peak_rss / 2**20, 1),
    }


def load_reports(manifest_path: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["GBA_REPORT_MANIFEST"] = str(manifest_path)
    from gba_report.engine.config import load_config

    config = load_config(manifest_path)
    return [(name, spec.notebook) for name, spec in config.reports.items()], list(
        config.settings.languages
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", action="store_true", help="bench the fixture report")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the build")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--out", type=Path, default=ROOT / "report" / "bench" / "latest.json")
    args = parser.parse_args()

    manifest = (
        ROOT / "tests" / "fixtures" / "notebooks" / "reports.yml"
        if args.fixtures
        else Path(os.environ.get("GBA_REPORT_MANIFEST") or ROOT / "report" / "reports.yml")
    )
    reports, langs = load_reports(manifest)
    if args.fixtures:
        reports = [r for r in reports if r[0] == "fixture"]
    names = [name for name, _ in reports]
    chromium = os.environ.get("GBA_REPORT_CHROMIUM") or shutil.which("chromium")
    chromium = chromium or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        raise SystemExit("bench: chromium not found (apt-get install chromium)")

    work = Path(tempfile.mkdtemp(prefix="gba-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GBA_REPORT_")}
    env.update(
        GBA_REPORT_MANIFEST=str(manifest),
        GBA_REPORT_CACHE_DIR=str(work / "cache"),
        PYTHONUNBUFFERED="1",
    )
    build_cmd = [
        str(BIN / "gba-report"), "build", *names, "--lang", "all", "--format", "html,pdf",
        "--out", str(work / "builds"),
    ]  # fmt: skip
    if args.jobs:
        build_cmd += ["--jobs", str(args.jobs)]
    results: dict = {}
    try:
        results["cold"] = measure("(a) cold build", [(build_cmd, ROOT)], env)
        MISSES.clear()
        results["rebuild"] = measure("(b) rebuild, nothing changed", [(build_cmd, ROOT)], env)
        results["rebuild"]["cache_misses"] = list(MISSES)
        for line in MISSES:
            print(f"   cache miss: {line}")
        manual = work / "by-hand"
        manual.mkdir()
        commands = []
        for name, notebook in reports:
            for lang in langs:
                stem = manual / f"{name}.{lang}"
                commands += [
                    (
                        [
                            str(BIN / "papermill"), str(notebook), f"{stem}.ipynb",
                            "-r", "lang", lang, "--cwd", str(notebook.parent),
                        ],
                        ROOT,
                    ),
                    (
                        [
                            str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                            f"{stem}.ipynb", "--output", f"{stem}.html",
                        ],
                        ROOT,
                    ),
                    (
                        [
                            chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-pdf-header-footer", f"--print-to-pdf={stem}.pdf",
                            f"file://{stem}.html",
                        ],
                        ROOT,
                    ),
                ]  # fmt: skip
        results["by_hand"] = measure("(c) by hand", commands, env)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work folder kept: {work}")

    max_single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
    cold, rebuild, by_hand = results["cold"], results["rebuild"], results["by_hand"]
    ratios = {
        "cold_vs_by_hand": round(cold["wall_s"] / by_hand["wall_s"], 3),
        "rebuild_vs_cold": round(rebuild["wall_s"] / cold["wall_s"], 3),
        "peak_gib": round(max(cold["peak_pss_tree_mib"], rebuild["peak_pss_tree_mib"]) / 1024, 3),
    }
    verdict = {key: ratios[key] <= target for key, target in TARGETS.items()}
    record = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reports": names,
        "languages": langs,
        "fixtures": args.fixtures,
        "runs": len(names) * len(langs),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        },
        "memory_method": "peak of the summed PSS of the process tree, sampled every 0.1 s "
        "(psutil memory_full_info); summed RSS also given",
        "largest_single_process_mib": round(max_single, 1),
        "results": results,
        "ratios": ratios,
        "targets": TARGETS,
        "meets_targets": verdict,
    }
    print()
    print(f"{'step':<32}{'wall (s)':>10}{'peak PSS (MiB)':>16}{'peak sum RSS (MiB)':>20}")
    for key, label in (("cold", "(a) cold build"), ("rebuild", "(b) rebuild, no change"),
                       ("by_hand", "(c) by hand")):  # fmt: skip
        r = results[key]
        print(
            f"{label:<32}{r['wall_s']:>10.1f}{r['peak_pss_tree_mib']:>16.0f}"
            f"{r['peak_rss_sum_tree_mib']:>20.0f}"
        )
    print()
    print(f"cold / by hand   = {ratios['cold_vs_by_hand']:.3f}  (target <= 0.5)  "
          f"{'OK' if verdict['cold_vs_by_hand'] else 'MISSED'}")  # fmt: skip
    print(f"rebuild / cold   = {ratios['rebuild_vs_cold']:.3f}  (target <= 0.1)  "
          f"{'OK' if verdict['rebuild_vs_cold'] else 'MISSED'}")  # fmt: skip
    print(f"peak memory      = {ratios['peak_gib']:.2f} GiB (target <= 1.5)  "
          f"{'OK' if verdict['peak_gib'] else 'MISSED'}")  # fmt: skip
    print(f"largest single process (ru_maxrss) = {max_single:.0f} MiB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
