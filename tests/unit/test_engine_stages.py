"""The build engine's pieces without a kernel, a browser or a process: hashing, the contents
list, option parsing, the report manifest, messages between engine and worker, failures."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from gba_report import cli
from gba_report.commands import absolute_folder, builds_folder
from gba_report.engine import config, digest, exitcodes, export, failures, options, plan
from gba_report.engine.errors import BuildError
from gba_report.engine.messages import (
    Failure,
    FailureKind,
    MessageError,
    Stage,
    StageMessage,
    WorkerRequest,
    WorkerResult,
)
from gba_report.engine.title import ReportMeta
from gba_report.fileio import atomic_copy, atomic_write_text


def _nb(svg_id: str, count: int, date: str) -> dict:
    svg = (
        f"<svg><metadata><dc:date>{date}</dc:date></metadata>"
        f'<clipPath id="{svg_id}"/><path clip-path="url(#{svg_id})"/></svg>'
    )
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": count,
                "metadata": {"papermill": {"start_time": date}},
                "source": "plot()",
                "outputs": [
                    {"output_type": "display_data", "data": {"image/svg+xml": svg}, "metadata": {}}
                ],
            }
        ],
        "metadata": {"papermill": {"start_time": date}},
    }


def test_content_hash_ignores_timestamps_counts_and_svg_ids():
    a = digest.content_hash(_nb("p1a2", 3, "2026-01-01T00:00:00"))
    b = digest.content_hash(_nb("zz99", 7, "2026-02-02T00:00:00"))
    assert a == b


def test_content_hash_sees_changed_output():
    nb = _nb("p1", 1, "x")
    other = _nb("p1", 1, "x")
    other["cells"][0]["outputs"].append({"output_type": "stream", "name": "stdout", "text": "2"})
    assert digest.content_hash(nb) != digest.content_hash(other)


def test_add_toc_lists_h2_h3_with_anchors():
    html = (
        "<header>t</header><!--GBA-TOC--><h2 id='x'>skip</h2>"
        '<h2 id="first">First<a class="anchor-link" href="#first">¶</a></h2>'
        "<h3>Sub <em>part</em></h3><h4>not listed</h4>"
    )
    out = export.add_toc(html, "zh-Hant")
    assert '<nav class="gba-toc" aria-label="目錄">' in out
    assert '<a href="#first">First</a>' in out
    assert 'href="#gba-sec-' in out and "Sub part" in out
    assert "not listed</a>" not in out
    assert '<nav class="gba-toc" aria-label="Contents"><h2>Contents</h2>' in export.add_toc(
        html, "en"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, ["en", "zh-Hant"]),
        (["all"], ["en", "zh-Hant"]),
        (["zh-hant"], ["zh-Hant"]),
        (["en,zh-Hant"], ["en", "zh-Hant"]),
        (["zh-Hant", "en", "zh-Hant"], ["zh-Hant", "en"]),
    ],
)
def test_parse_languages(values, expected):
    assert plan.parse_list(values, ("en", "zh-Hant"), "language") == expected


def test_all_means_what_reports_yml_allows():
    assert plan.parse_list(["all"], ("en",), "language") == ["en"]
    with pytest.raises(BuildError, match="unknown language 'zh-Hant'; choose from en or all"):
        plan.parse_list(["zh-Hant"], ("en",), "language")


def test_unknown_format_is_a_usage_error():
    with pytest.raises(BuildError) as err:
        plan.parse_list(["docx"], ("html", "pdf"), "format")
    assert err.value.code == exitcodes.USAGE


# --------------------------------------------------------------------------- report manifest


def _manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reports.yml"
    path.write_text(text, encoding="utf-8")
    return path


SETTINGS = "settings:\n  languages: [zh-Hant]\n  formats: [html]\n  cell_timeout: 30\n"


def test_manifest_errors_are_usage_errors(tmp_path):
    with pytest.raises(BuildError, match="needs a 'notebook'") as err:
        config.load_config(_manifest(tmp_path, "reports:\n  a: {title: x}\n"))
    assert err.value.code == exitcodes.USAGE


def test_languages_and_formats_come_from_the_manifest(tmp_path, monkeypatch):
    monkeypatch.delenv("GBA_REPORT_NOTEBOOKS_DIR", raising=False)
    path = _manifest(
        tmp_path,
        SETTINGS + "  notebooks_dir: nb\nreports:\n  a:\n    notebook: a.ipynb\n    title: Tiny\n",
    )
    loaded = config.load_config(path)
    assert loaded.settings.languages == ("zh-Hant",)
    assert loaded.settings.formats == ("html",)
    assert loaded.settings.cell_timeout == 30.0
    assert loaded.settings.pdf_concurrency == 1 and loaded.settings.kernel == "python3"
    assert loaded.reports["a"].notebook == (tmp_path / "nb" / "a.ipynb").resolve()
    assert loaded.reports["a"].title == {"en": "Tiny", "zh-Hant": "Tiny"}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("settings:\n  formats: [html]\n", "settings.languages must list at least one of"),
        ("settings:\n  languages: [fr]\n  formats: [html]\n", "settings.languages: unknown fr"),
        ("settings:\n  languages: [en]\n  formats: [docx]\n", "settings.formats: unknown docx"),
        (SETTINGS.replace("30", "0"), "settings.cell_timeout must be positive"),
        (SETTINGS.replace("30", "soon"), "settings.cell_timeout must be a number"),
    ],
)
def test_bad_settings_are_usage_errors_naming_the_key(tmp_path, settings, message):
    path = _manifest(tmp_path, settings + "reports:\n  a: {notebook: a.ipynb}\n")
    with pytest.raises(BuildError, match=message) as err:
        config.load_config(path)
    assert err.value.code == exitcodes.USAGE and str(path) in str(err.value)


def test_the_project_manifest_builds_both_languages_and_formats():
    loaded = config.load_config(Path(__file__).resolve().parents[2] / "report" / "reports.yml")
    assert loaded.settings.languages == ("en", "zh-Hant")
    assert loaded.settings.formats == ("html", "pdf")


# --------------------------------------------------------------------------- options


def _parse(*argv: str) -> options.BuildOptions:
    parser = argparse.ArgumentParser()
    options.add_arguments(parser)
    return options.from_namespace(parser.parse_args(argv))


def test_options_parse_and_pass_through_unchanged(tmp_path, build_options_example):
    expected, argv = build_options_example(out=tmp_path)
    parsed = _parse(*argv)
    assert parsed == expected
    assert parsed.to_argv() == argv
    assert _parse().to_argv() == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--jobs", "0"], "must be at least 1, got 0"),
        (["--cell-timeout", "0"], "must be a positive number of seconds, got 0"),
        (["--cell-timeout", "-3"], "must be a positive number of seconds, got -3"),
    ],
)
def test_bad_option_values_are_refused_by_the_parser(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        _parse(*argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


# --------------------------------------------------------------------------- exit codes


def test_every_exit_code_is_documented():
    assert set(exitcodes.BUILD) == {0, 1, 2, 3, 4, 130, 143}
    assert set(exitcodes.SCHEDULED) == {0, 1, 2, 3, 75, 78, 130, 143}
    assert exitcodes.build_meaning(4) == "the build could not be published"
    assert exitcodes.build_meaning(-9).startswith("the build was killed (SIGKILL")
    assert exitcodes.SCHEDULED_FROM_BUILD == {2: 2, 3: 78}
    help_text = exitcodes.epilog(exitcodes.BUILD)
    assert "    3  PDF requested but no Chromium found (use --format html or install it)" in (
        help_text
    )


# --------------------------------------------------------------------------- messages


def _request(tmp_path: Path) -> WorkerRequest:
    return WorkerRequest(
        stem="rd_intensity.zh-Hant",
        lang="zh-Hant",
        notebook=tmp_path / "01_rd_intensity.ipynb",
        parameters={"lang": "zh-Hant", "comparators": ["HK", "MO"], "end_year": 2024},
        kernel="python3",
        cell_timeout=None,
        use_cached_execution=True,
        exec_cache=tmp_path / "cache" / "exec" / "k.ipynb",
        executed_out=tmp_path / "work" / "rd.ipynb",
        html_out=tmp_path / "rd.html",
        html_cache=tmp_path / "cache" / "html" / "h.html",
        template_dir=tmp_path / "templates" / "gba",
        meta=ReportMeta(
            report="rd_intensity",
            lang="zh-Hant",
            title="研發投入強度",
            date="2026-11-29",
            data_version="0123456789ab",
            parameters={"lang": "zh-Hant", "comparators": ["HK", "MO"]},
            parameter_rows=[["比較對象", "香港、澳門"]],
        ),
    )


def test_worker_request_round_trips(tmp_path):
    request = _request(tmp_path)
    assert WorkerRequest.from_json(request.to_json()) == request
    assert "研發投入強度" in request.to_json()  # readable, not \\u escapes


def test_worker_result_round_trips_with_and_without_failure(tmp_path):
    assert WorkerResult.from_json(WorkerResult().to_json()) == WorkerResult()
    failed = WorkerResult(
        Failure(
            kind=FailureKind.CELL_ERROR,
            ename="KeyError",
            evalue="'GD'",
            cell=7,
            cell_source="report.headline()",
            notebook=tmp_path / "rd.ipynb",
        )
    )
    back = WorkerResult.from_json(failed.to_json())
    assert back == failed and not back.ok and back.failure.kind is FailureKind.CELL_ERROR


def test_stage_lines_are_recognised_and_other_output_is_not():
    line = StageMessage(Stage.EXECUTING).to_line()
    assert StageMessage.from_line(line + "\n") == StageMessage(Stage.EXECUTING)
    assert StageMessage.from_line("some library printing\n") is None
    with pytest.raises(MessageError):
        StageMessage.from_line("@gba {not json")


def test_a_result_file_of_another_kind_is_refused():
    with pytest.raises(MessageError, match="not a result message"):
        WorkerResult.from_json(json.dumps({"type": "request"}))
    with pytest.raises(MessageError):
        WorkerResult.from_json('{"status": "ok"')  # truncated


# --------------------------------------------------------------------------- failures


def test_failure_message_names_report_language_cell_error_and_path(tmp_path):
    failure = Failure(
        kind=FailureKind.CELL_ERROR,
        ename="KeyError",
        evalue="'GD'",
        cell=7,
        cell_source="plots.trend(df)",
    )
    msg = failures.describe_failure("rd_intensity", "zh-Hant", failure, tmp_path / "kept.ipynb")
    assert msg.startswith("rd_intensity (zh-Hant) failed at cell 7 [plots.trend(df)]: KeyError")
    assert f"executed notebook kept for debugging: {tmp_path / 'kept.ipynb'}" in msg


def test_timeout_and_dead_kernel_messages():
    timeout = Failure(FailureKind.TIMEOUT, "CellTimeoutError", "ran longer than 2 s", cell=4)
    assert failures.describe_failure("s", "en", timeout) == (
        "s (en): cell 4 ran longer than 2 s (--cell-timeout); the report was stopped"
    )
    died = Failure(FailureKind.KERNEL_DIED, "DeadKernelError", "Kernel died", cell=3)
    assert failures.describe_failure("d", "en", died) == (
        "d (en): the kernel died while running cell 3 (Kernel died)"
    )


# --------------------------------------------------------------------------- fileio


def test_atomic_writes_leave_no_temporary_files(tmp_path):
    target = atomic_write_text(tmp_path / "a" / "b.txt", "香港")
    assert target.read_text(encoding="utf-8") == "香港"
    copy = atomic_copy(target, tmp_path / "c" / "d.txt")
    assert copy.read_bytes() == target.read_bytes()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["b.txt", "d.txt"]


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path):
    target = atomic_write_text(tmp_path / "x.txt", "old")
    with pytest.raises(FileNotFoundError):
        atomic_copy(tmp_path / "missing", target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_folder_options_are_expanded_and_absolute(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GBA_REPORT_BUILD_DIR", str(tmp_path / "env-builds"))
    parse = cli.make_parser().parse_args
    assert builds_folder(parse(["history", "--out", "link"])) == tmp_path / "link"
    assert builds_folder(parse(["reproduce", "R1", "--out", "~/b"])) == tmp_path / "home" / "b"
    assert builds_folder(parse(["history"])) == tmp_path / "env-builds"
    published = parse(["publish", "part1", "--out", "link"])
    assert builds_folder(published, resolve=True) == tmp_path / "real"
    assert absolute_folder(parse(["cache", "info", "--cache-dir", "c"]).cache_dir) == tmp_path / "c"
    assert absolute_folder(parse(["cache", "info"]).cache_dir) is None
