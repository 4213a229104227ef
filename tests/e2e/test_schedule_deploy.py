"""Ready-to-use schedules: GitHub Actions workflow, systemd units, crontab line, wrapper."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "scheduled-report.yml"
DEPLOY = ROOT / "scripts" / "deploy"
PLACEHOLDER = "/opt/gba-report"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as True.
    return workflow.get("on", workflow.get(True))


def _steps(workflow: dict) -> list[dict]:
    [job] = workflow["jobs"].values()
    return job["steps"]


def test_workflow_runs_the_readme_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make report" in readme
    runs = [step.get("run", "") for step in _steps(_workflow())]
    assert any(
        re.match(r"^make report\b", line.strip()) for run in runs for line in run.splitlines()
    )


def test_workflow_schedule_is_utc_with_hong_kong_time_in_a_comment():
    triggers = _triggers(_workflow())
    [entry] = triggers["schedule"]
    fields = entry["cron"].split()
    assert len(fields) == 5
    hour_utc = int(fields[1])
    # The comment beside the cron line gives the Hong Kong time (UTC+8).
    line = next(line for line in WORKFLOW.read_text("utf-8").splitlines() if "cron:" in line)
    match = re.search(r"#.*?(\d{2}):(\d{2}) HKT", line)
    assert match, f"no HKT comment on {line!r}"
    assert int(match[1]) == (hour_utc + 8) % 24
    assert int(match[2]) == int(fields[0])


def test_workflow_dispatch_inputs_for_the_main_parameters():
    inputs = _triggers(_workflow())["workflow_dispatch"]["inputs"]
    assert {"reports", "lang", "focus_region", "format"} <= set(inputs)
    assert set(inputs["lang"]["options"]) == {"all", "en", "zh-Hant"}
    for spec in inputs.values():
        assert spec.get("required") is False, "a scheduled run has no inputs: all optional"


def test_workflow_sets_up_python_311_and_uploads_latest_named_by_date():
    steps = _steps(_workflow())
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    upload = next(
        step
        for step in steps
        if step.get("uses", "").startswith("actions/upload-artifact@") and "if" not in step
    )
    assert "date" in upload["with"]["name"] and "run_id" in upload["with"]["name"]
    locate = next(step for step in steps if "report/build/latest" in step.get("run", ""))
    assert locate["id"] in upload["with"]["path"]
    # Inputs never get pasted into a shell script (injection): only through env.
    for step in steps:
        assert "${{ inputs." not in step.get("run", ""), step.get("name")


def test_makefile_report_target_installs_chromium_and_fonts():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^report: .*setup", makefile, re.M)
    setup = (ROOT / "scripts" / "setup_system.sh").read_text(encoding="utf-8")
    assert "chromium" in setup and "fonts-noto-cjk" in setup


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in systemd
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def test_systemd_units_have_the_required_keys():
    service = _unit("gba-report.service")
    assert service["Service"]["Type"] == "oneshot"
    exec_start = service["Service"]["ExecStart"]
    assert exec_start.startswith(PLACEHOLDER + "/scripts/scheduled_build.sh")
    assert service["Service"]["WorkingDirectory"] == PLACEHOLDER
    assert "75" in service["Service"]["SuccessExitStatus"].split()
    assert service["Unit"]["Description"]

    timer = _unit("gba-report.timer")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "gba-report.service"
    assert timer["Timer"]["OnCalendar"].endswith("Asia/Hong_Kong")
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    """Verify with systemd-analyze where installed; the structural test above always runs."""
    for name in ("gba-report.service", "gba-report.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(PLACEHOLDER, str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        # No systemd here: parse the units as INI and check every line is `Key=Value`.
        for name in ("gba-report.service", "gba-report.timer"):
            for raw in (tmp_path / name).read_text("utf-8").splitlines():
                line = raw.strip()
                if line and not line.startswith(("#", ";", "[")):
                    assert re.match(r"^[A-Za-z]+=", line), f"{name}: bad line {raw!r}"
        exec_start = _unit("gba-report.service")["Service"]["ExecStart"].split()[0]
        assert Path(exec_start.replace(PLACEHOLDER, str(ROOT))).is_file()
        return
    proc = subprocess.run(
        [
            analyze,
            "verify",
            str(tmp_path / "gba-report.service"),
            str(tmp_path / "gba-report.timer"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line
        for line in (proc.stdout + proc.stderr).splitlines()
        if "gba-report" in line and "Unit is bound to inactive unit" not in line
    ]
    assert proc.returncode == 0 and not problems, proc.stdout + proc.stderr


def test_crontab_line_calls_the_wrapper_in_hong_kong_time():
    lines = [
        line
        for line in (DEPLOY / "crontab").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "CRON_TZ=Asia/Hong_Kong" in lines
    [job] = [line for line in lines if "=" not in line.split()[0]]
    fields = job.split()
    assert len(fields) >= 6
    for field in fields[:5]:
        assert re.fullmatch(r"[\d*/,-]+", field), field
    assert fields[5] == PLACEHOLDER + "/scripts/scheduled_build.sh"


@pytest.mark.parametrize("script", ["scheduled_build.sh"])
def test_wrapper_is_executable_strict_bash_and_thin(script):
    path = ROOT / "scripts" / script
    assert path.stat().st_mode & 0o111
    text = path.read_text("utf-8")
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    assert "exec .venv/bin/gba-report scheduled" in text
    subprocess.run(["bash", "-n", str(path)], check=True)


def _run_args_step(tmp_path: Path, **inputs: str) -> tuple[int, dict[str, str], str]:
    script = next(step for step in _steps(_workflow()) if step.get("id") == "args")["run"]
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(output)}
    for name in ("REPORTS", "LANG", "FORMAT", "FOCUS_REGION", "END_YEAR", "FORCE"):
        env[f"IN_{name}"] = inputs.get(name.lower(), "")
    proc = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    values = dict(
        line.split("=", 1) for line in output.read_text("utf-8").splitlines() if "=" in line
    )
    return proc.returncode, values, proc.stdout


def test_workflow_inputs_become_make_variables_and_build_arguments(tmp_path):
    code, out, _ = _run_args_step(tmp_path)  # a scheduled run: no inputs
    assert code == 0 and out["make_vars"] == "" and out["make_args"] == ""
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", out["date"])

    code, out, _ = _run_args_step(
        tmp_path,
        reports="rd_intensity summary",
        lang="zh-Hant",
        format="html",
        focus_region="HK",
        force="true",
    )
    assert code == 0
    assert out["make_vars"] == "LANGS=zh-Hant FORMATS=html"
    assert out["make_args"] == "-p focus_region=HK --force rd_intensity summary"
    build = next(step for step in _steps(_workflow()) if "make report" in step.get("run", ""))
    assert build["run"] == 'make report $MAKE_VARS ARGS="$MAKE_ARGS"'


def test_workflow_rejects_inputs_that_could_run_as_shell(tmp_path):
    for bad in ("x; rm -rf ~", "$(id)", "`id`", "a|b", "GD' -p x='y"):
        code, _out, stdout = _run_args_step(tmp_path, focus_region=bad)
        assert code == 2, bad
        assert "::error::" in stdout


def test_ci_workflow_runs_the_ci_entry_point():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    triggers = _triggers(workflow)
    assert "push" in triggers and "pull_request" in triggers
    [job] = workflow["jobs"].values()
    runs = [step.get("run", "").strip() for step in job["steps"]]
    assert ".ci/run" in runs
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"


def test_timer_crontab_and_workflow_agree_on_monday_0600_hong_kong():
    # Workflow: Sunday 22:00 UTC. Crontab: Monday 06:00 in CRON_TZ=Asia/Hong_Kong.
    [entry] = _triggers(_workflow())["schedule"]
    assert entry["cron"].split() == ["0", "22", "*", "*", "0"]
    lines = (DEPLOY / "crontab").read_text("utf-8").splitlines()
    jobs = [line for line in lines if line.strip() and not line.startswith(("#", "CRON_TZ="))]
    assert [line.split()[:5] for line in jobs] == [["0", "6", "*", "*", "1"]]
    on_calendar = _unit("gba-report.timer")["Timer"]["OnCalendar"]
    assert on_calendar == "Mon *-*-* 06:00:00 Asia/Hong_Kong"
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return  # the strings above are the whole check without systemd
    out = subprocess.run(
        [analyze, "calendar", on_calendar],
        capture_output=True,
        text=True,
        timeout=30,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
    ).stdout
    match = re.search(r"Next elapse: (\w{3}) \d{4}-\d{2}-\d{2} (\d{2}:\d{2}:\d{2}) UTC", out)
    assert match, out
    assert match.groups() == ("Sun", "22:00:00")
