"""Where a build's time goes, and the work it no longer repeats.

Timed steps (``gba_report.timing``) and the stage table summed over jobs
(``engine.timings``); the role of a notebook cell; validated tables reused across kernels only
when the engine asks for it, and never after any input changed (``data.validated_cache``).
"""

from __future__ import annotations

import json

import pytest

from gba_report import timing
from gba_report.data import tables, validated_cache
from gba_report.data.errors import DataError
from gba_report.engine import kernel
from gba_report.engine.timings import BuildTimings, section_table, stage_table

# ------------------------------------------------------------------ timed steps


def test_timed_writes_nothing_unless_the_engine_asks(tmp_path, monkeypatch):
    monkeypatch.delenv(timing.ENV_VAR, raising=False)
    with timing.timed("data_parse", "regions"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_timed_appends_one_line_per_step_and_read_skips_garbage(tmp_path, monkeypatch):
    target = tmp_path / "timings.jsonl"
    monkeypatch.setenv(timing.ENV_VAR, str(target))
    with timing.timed("data_parse", "regions"):
        pass
    timing.write("html_export", "summary.en", 100.0, 1.25)
    with target.open("a", encoding="utf-8") as fh:
        fh.write("not json\n" + json.dumps({"no": "stage"}) + "\n")
    steps = timing.read(target)
    assert [(s["stage"], s["name"]) for s in steps] == [
        ("data_parse", "regions"),
        ("html_export", "summary.en"),
    ]
    assert steps[0]["s"] >= 0 and steps[1] == {
        "stage": "html_export",
        "name": "summary.en",
        "start": 100.0,
        "s": 1.25,
    }


def test_read_of_a_missing_file_is_empty(tmp_path):
    assert timing.read(tmp_path / "none.jsonl") == []


# ------------------------------------------------------------------ stage table


def _step(stage, start, seconds, name=""):
    return {"stage": stage, "name": name, "start": start, "s": seconds}


#: One job: a 4 s section cell holding 1.5 s of chart and 0.5 s of CSV parsing.
JOB = [
    _step("worker_python_start", 0.0, 0.5),
    _step("worker_imports", 0.5, 2.0),
    _step("kernel_start", 3.0, 1.0),
    _step("cell:imports", 10.0, 3.0),
    _step("cell:section", 20.0, 4.0, "headline+growth"),
    _step("data_parse", 20.5, 0.5, "regions"),
    _step("chart_render", 21.0, 1.5, "growth"),
    _step("html_export", 30.0, 1.0, "x.en"),
    _step("worker_wall", 0.0, 12.0),
    _step("pdf_print", 40.0, 2.0),
]


def test_stage_table_takes_data_and_charts_out_of_their_cells_and_finds_idle_cores():
    doc = {"slots": 2, "phases": {"build": {"start": 0.0, "s": 10.0}}, "steps": {"r.en": JOB}}
    rows = {key: seconds for key, _, seconds in stage_table(doc)}
    assert rows["worker_start"] == pytest.approx(2.5)
    assert rows["imports"] == pytest.approx(3.0)
    assert rows["data_parse"] == pytest.approx(0.5)
    assert rows["chart_render"] == pytest.approx(1.5)
    assert rows["section_compute"] == pytest.approx(2.0)  # 4 - 0.5 - 1.5
    assert rows["pdf_print"] == pytest.approx(2.0)
    # Timed inside the worker: 2.5 + 1 + 3 + 4 + 1 = 11.5 of its 12 s.
    assert rows["worker_other"] == pytest.approx(0.5)
    # 2 cores x 10 s, less 12 s of worker and 2 s of printing.
    assert rows["idle_cores"] == pytest.approx(6.0)
    assert rows["wall"] == pytest.approx(10.0)


def test_stage_table_sums_over_jobs():
    doc = {"slots": 2, "phases": {"build": {"s": 30.0}}, "steps": {"a.en": JOB, "a.zh": JOB}}
    rows = {key: seconds for key, _, seconds in stage_table(doc)}
    assert rows["section_compute"] == pytest.approx(4.0)
    assert rows["idle_cores"] == pytest.approx(60.0 - 28.0)


def test_section_table_names_the_cell_by_its_report_calls_and_counts_its_charts():
    doc = {"steps": {"rd_intensity.en": JOB, "rd_intensity.zh-Hant": JOB}}
    assert section_table(doc) == [("rd_intensity.headline+growth", 8.0, 3.0)]


def test_build_timings_round_trip_through_timings_json(tmp_path):
    built = BuildTimings(slots=2, jobs=2)
    built.phase_started("build")
    built.add("r.en", JOB)
    built.phase_done("build")
    path = built.write(tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["slots"] == 2 and doc["steps"]["r.en"] == JOB
    assert doc["phases"]["build"]["s"] >= 0


def _cell(source, tags=()):
    return {"metadata": {"tags": list(tags)}, "source": source}


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        (_cell('lang = "en"', ["parameters"]), ("parameters", "")),
        (_cell("from gba_report import keyfigures\n"), ("imports", "")),
        (_cell("report = RDIntensityReport(\n    lang=lang)"), ("report_setup", "")),
        (_cell(["report.headline()"]), ("section", "headline")),
        (
            _cell("display(report.rd_intensity(), report.cross_border_funding())"),
            ("section", "rd_intensity+cross_border_funding"),
        ),
        (_cell('keyfigures.record("x", lang, report.key_figures())'), ("key_figures", "")),
    ],
)
def test_cell_role(cell, role):
    assert kernel.cell_role(cell) == role


# ------------------------------------------------------------------ validated tables

# Two rows of data/regions.csv as published there.
REGIONS = (
    "region_code,region_type,name_en,name_zh_hant,parent_code,is_gba,note\n"
    "CN,country,China,中國,,False,\n"
    "GD,province,Guangdong,廣東,CN,False,\n"
)


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "regions.csv").write_text(REGIONS, encoding="utf-8")
    return folder


def test_without_the_variable_every_load_parses_and_stores_nothing(data_dir, monkeypatch):
    monkeypatch.delenv("GBA_REPORT_VALIDATED_TABLES", raising=False)
    frame = tables.read_table("regions", data_dir)
    assert list(frame["region_code"]) == ["CN", "GD"]
    assert validated_cache.store() is None


def test_a_validated_table_is_read_back_without_parsing(data_dir, tmp_path, monkeypatch):
    store = tmp_path / "validated"
    monkeypatch.setenv("GBA_REPORT_VALIDATED_TABLES", str(store))
    first = tables.read_table("regions", data_dir)
    assert len(list(store.glob("regions-*.pkl"))) == 1

    def no_parse(*args):
        raise AssertionError("parsed again although nothing changed")

    monkeypatch.setattr(tables, "_parse_table", no_parse)
    again = tables.read_table("regions", data_dir)
    assert again.equals(first) and list(again.dtypes) == list(first.dtypes)


def test_a_changed_csv_is_parsed_and_validated_again(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GBA_REPORT_VALIDATED_TABLES", str(tmp_path / "validated"))
    tables.read_table("regions", data_dir)
    (data_dir / "regions.csv").write_text(REGIONS + "HK,sar,Hong Kong,香港,CN,True,\n", "utf-8")
    assert list(tables.read_table("regions", data_dir)["region_code"]) == ["CN", "GD", "HK"]


def test_an_invalid_table_is_reported_and_never_stored(data_dir, tmp_path, monkeypatch):
    store = tmp_path / "validated"
    monkeypatch.setenv("GBA_REPORT_VALIDATED_TABLES", str(store))
    bad = REGIONS.replace("GD,province", "GD,planet")
    (data_dir / "regions.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        tables.read_table("regions", data_dir)
    assert "region_type" in str(err.value)
    assert not list(store.glob("*.pkl"))
    # Still reported on the next load: a failure is not remembered as a pass.
    with pytest.raises(DataError):
        tables.read_table("regions", data_dir)


def test_the_key_covers_the_code_lists_a_table_refers_to(data_dir):
    (data_dir / "clusters.csv").write_text("cluster_code\nX\n", encoding="utf-8")
    before = validated_cache.key("gii_cluster_ranks", data_dir, ["clusters", "regions"])
    assert before is None  # gii_cluster_ranks.csv is missing: the loader reports it
    (data_dir / "gii_cluster_ranks.csv").write_text("edition\n2025\n", encoding="utf-8")
    one = validated_cache.key("gii_cluster_ranks", data_dir, ["clusters", "regions"])
    (data_dir / "clusters.csv").write_text("cluster_code\nY\n", encoding="utf-8")
    two = validated_cache.key("gii_cluster_ranks", data_dir, ["clusters", "regions"])
    assert one is not None and two is not None and one != two
