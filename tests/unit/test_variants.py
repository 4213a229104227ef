"""Variants and shards without a kernel: matrix axes, code lists, file names, the plan's jobs,
named sets in the manifest, shard slices and the part checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gba_report.engine import config, options, parts, plan, shards, variants
from gba_report.engine.cache import Cache
from gba_report.engine.errors import BuildError
from gba_report.engine.manifest import JobRecord

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"

REGIONS = """region_code,region_type,name_en,name_zh_hant,parent_code,is_gba,note
CN,country,China,中國,,False,
BJ,province,Beijing,北京,CN,False,
GD,province,Guangdong,廣東,CN,True,
SH,province,Shanghai,上海,CN,False,
HK,sar,Hong Kong,香港,CN,True,
MO,sar,Macao,澳門,CN,True,
SZ,city,Shenzhen,深圳,GD,True,
JM,city,Jiangmen,江門,GD,True,
PRD9,city_group,Pearl River Delta,珠三角九市,GD,True,
KOR,economy,Korea,韓國,,False,
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder with a tiny regions.csv (the unit tier never reads data/)."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "regions.csv").write_text(REGIONS, encoding="utf-8")
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(folder))
    return folder


def test_axis_values_are_comma_separated_and_scoped():
    axis = variants.parse_axis("focus_region=GD, SH,BJ")
    assert axis == variants.Axis(None, "focus_region", ("GD", "SH", "BJ"))
    scoped = variants.parse_axis("rd_intensity.end_year=2022,2024")
    assert (scoped.report, scoped.name, scoped.values) == (
        "rd_intensity",
        "end_year",
        ("2022", "2024"),
    )


def test_list_parameters_take_semicolon_separated_variants():
    assert variants.parse_axis("comparators=HK,MO;KOR").values == ("HK,MO", "KOR")


@pytest.mark.parametrize("text", ["focus_region", "=GD", "focus_region=", "focus_region= , "])
def test_a_malformed_axis_is_refused(text):
    with pytest.raises(variants.VariantError, match="--matrix"):
        variants.parse_axis(text)


def test_code_lists_come_from_the_regions_table(data_dir):
    assert variants.expand_values("@provinces") == ["BJ", "GD", "SH"]
    # The GBA's cities are its mainland cities and the two SARs, not groups or provinces.
    assert variants.expand_values("@gba_cities") == ["HK", "MO", "SZ", "JM"]
    assert variants.expand_values("@sars,SH,HK") == ["HK", "MO", "SH"]
    with pytest.raises(variants.VariantError, match="unknown code list '@nowhere'"):
        variants.expand_values("@nowhere")


def test_file_names_of_variants():
    one = variants.Variant((("focus_region", "SH"),))
    assert one.suffix == "--SH"
    two = variants.Variant((("focus_region", "SH"), ("end_year", 2022)), named=True)
    assert two.suffix == "--focus_region=SH--end_year=2022"
    assert two.label == "focus_region=SH, end_year=2022"
    listed = variants.Variant((("comparators", ["HK", "MO"]),))
    assert listed.suffix == "--HK+MO"
    assert variants.Variant((("message", "a b/c"),)).suffix == "--a_b_c"


def test_several_axes_make_their_product_first_axis_slowest():
    axes = [variants.Axis(None, "a", ("1", "2")), variants.Axis(None, "b", ("x", "y"))]
    assert variants.combinations(axes) == [
        (("a", "1"), ("b", "x")),
        (("a", "1"), ("b", "y")),
        (("a", "2"), ("b", "x")),
        (("a", "2"), ("b", "y")),
    ]


def test_axes_no_report_takes_are_problems():
    declared = {"fixture": ["message", "lang"], "other": ["x"]}
    axes = [
        variants.Axis(None, "nope", ("1",)),
        variants.Axis("missing", "message", ("1",)),
        variants.Axis("other", "message", ("1",)),
        variants.Axis(None, "message", ("1",)),
    ]
    problems = variants.unmatched_axes(axes, declared)
    assert problems == [
        "--matrix nope: no selected report declares 'nope'",
        "--matrix missing.message: 'missing' is not a selected report",
        "--matrix other.message: no such parameter",
    ]


# --------------------------------------------------------------------------- the plan


@pytest.fixture
def fixture_env(tmp_path, monkeypatch, data_dir):
    """The fixture manifest (its notebooks read no data), a private cache."""
    monkeypatch.setenv("GBA_REPORT_MANIFEST", str(FIXTURES / "reports.yml"))
    monkeypatch.delenv("GBA_REPORT_NOTEBOOKS_DIR", raising=False)
    return Cache(tmp_path / "cache")


def _plan(cache: Cache, **kwargs) -> plan.Plan:
    opts = options.BuildOptions(formats=("html",), **kwargs)
    return plan.make_plan(config.load_config(), opts, cache)


def test_the_default_plan_keeps_its_names(fixture_env):
    built = _plan(fixture_env, reports=("fixture",))
    assert [job.stem for job in built.jobs] == ["fixture.en", "fixture.zh-Hant"]
    assert all(job.variant is None and job.name == "fixture" for job in built.jobs)


def test_a_matrix_makes_one_job_per_variant_and_language(fixture_env):
    built = _plan(
        fixture_env, reports=("fixture",), matrix=("message=a,b", "fixture.end_year=2021,2022")
    )
    stems = [job.stem for job in built.jobs]
    assert stems[:3] == [
        "fixture--message=a--end_year=2021.en",
        "fixture--message=a--end_year=2021.zh-Hant",
        "fixture--message=a--end_year=2022.en",
    ]
    assert len(stems) == 8
    job = built.jobs[2]
    assert job.parameters["message"] == "a" and job.parameters["end_year"] == 2022  # coerced
    assert job.parameters["start_year"] == 2016  # the manifest default still applies
    keys = {job.keys.execution for job in built.jobs}
    assert len(keys) == 8, "every variant x language is cached on its own key"


def test_variant_values_are_validated_before_any_kernel(fixture_env):
    with pytest.raises(BuildError) as err:
        _plan(fixture_env, reports=("fixture",), matrix=("end_year=2021,1999,abc",))
    assert err.value.code == 2
    assert "fixture: parameter end_year: 1999 is outside the range 2000..2030" in str(err.value)
    assert "fixture: --matrix end_year (int): expected a whole number, got 'abc'" in str(err.value)


def _manifest_with_sets(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "nb"
    shutil.copytree(FIXTURES, folder)
    text = (FIXTURES / "reports.yml").read_text(encoding="utf-8")
    text = text.replace(
        "    defaults:\n      start_year: 2016\n",
        "    defaults:\n      start_year: 2016\n"
        "    requires_rows: {message: regions}\n"
        "    variants:\n      sars: {message: '@sars'}\n",
    )
    (folder / "reports.yml").write_text(text + extra, encoding="utf-8")
    return folder / "reports.yml"


def test_named_sets_and_variants_without_data(tmp_path, monkeypatch, fixture_env):
    extra = "variants:\n  nightly:\n    fixture: {message: 'HK,XX'}\n    failing: {}\n"
    monkeypatch.setenv("GBA_REPORT_MANIFEST", str(_manifest_with_sets(tmp_path, extra)))
    own = _plan(fixture_env, reports=("fixture",), variants="sars", langs=("en",))
    assert [job.stem for job in own.jobs] == ["fixture--HK.en", "fixture--MO.en"]
    nightly = _plan(fixture_env, variants="nightly", langs=("en",))
    # No REPORT named: the reports the set covers; XX has no row in regions: skipped, said why.
    assert [job.stem for job in nightly.jobs] == ["fixture--HK.en", "failing.en"]
    assert nightly.skipped == ("fixture--XX: skipped: data/regions.csv has no rows for message=XX",)
    with pytest.raises(BuildError, match=r"no variant set of that name .*\(known: nightly, sars\)"):
        _plan(fixture_env, variants="weekly")


def test_shards_are_round_robin_slices_of_the_sorted_jobs(fixture_env):
    whole = _plan(fixture_env, reports=("fixture",), matrix=("message=c,a,b",))
    stems = sorted(job.stem for job in whole.jobs)
    slices = [
        [j.stem for j in shards.select(whole.jobs, shards.parse_shard(f"{i}/3"))] for i in (1, 2, 3)
    ]
    assert slices[0] == stems[0::3] and slices[1] == stems[1::3] and slices[2] == stems[2::3]
    assert sorted(sum(slices, [])) == stems


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(text):
    with pytest.raises(BuildError) as err:
        shards.parse_shard(text)
    assert err.value.code == 2 and "--shard" in str(err.value)


def test_a_shard_needs_its_own_folder(fixture_env):
    with pytest.raises(BuildError, match="--shard needs --out"):
        _plan(fixture_env, reports=("fixture",), shard="1/2")


# --------------------------------------------------------------------------- parts


def _part(fingerprint: str, shard: str, stems: list[str], jobs: list[str]) -> parts.PartManifest:
    records = []
    for stem in stems:
        name, _, lang = stem.rpartition(".")
        records.append(
            JobRecord(
                "fixture", lang, {}, 1.0, False, "sha", {}, {"html": f"{stem}.html"}, name=name
            )
        )
    identity = {"data_version": fingerprint, "jobs": jobs}
    return parts.PartManifest(
        shard, fingerprint, identity, jobs, "r", "t", None, {}, {}, {}, {}, {}, records
    )


def test_parts_of_one_plan_that_cover_it_pass():
    jobs = ["fixture--a.en", "fixture--b.en", "fixture--c.en"]
    given = [_part("p", "1/2", jobs[0::2], jobs), _part("p", "2/2", jobs[1::2], jobs)]
    assert parts.check_parts([Path("one"), Path("two")], given) == jobs


def test_parts_of_different_plans_refuse():
    jobs = ["fixture--a.en", "fixture--b.en"]
    given = [_part("p", "1/2", jobs[:1], jobs), _part("q", "2/2", jobs[1:], jobs)]
    with pytest.raises(BuildError) as err:
        parts.check_parts([Path("one"), Path("two")], given)
    assert err.value.code == 2
    assert str(err.value).startswith("parts of different plans: one (shard 1/2) and two")
    assert "differ in data_version" in str(err.value)


def test_parts_that_miss_jobs_or_repeat_one_refuse():
    jobs = ["fixture--a.en", "fixture--b.en", "fixture--c.en"]
    with pytest.raises(BuildError, match=r"1 of 3 jobs missing \(e.g. fixture--b.en\)"):
        parts.check_parts([Path("one")], [_part("p", "1/2", jobs[0::2], jobs)])
    twice = [_part("p", "1/2", jobs[0::2], jobs), _part("p", "1/2", jobs[0::2], jobs)]
    with pytest.raises(BuildError, match="fixture--a.en is in two parts"):
        parts.check_parts([Path("one"), Path("two")], twice)


def test_a_scheduler_needs_the_dask_executor(fixture_env):
    with pytest.raises(BuildError, match="--scheduler needs --executor dask") as err:
        _plan(fixture_env, reports=("fixture",), scheduler="tcp://127.0.0.1:8786")
    assert err.value.code == 2


def test_the_dask_scheduler_comes_from_the_option_or_the_environment(fixture_env, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://scheduler.invalid:8786")
    assert _plan(fixture_env, reports=("fixture",), executor="dask").scheduler == (
        "tcp://scheduler.invalid:8786"
    )
    given = _plan(fixture_env, reports=("fixture",), executor="dask", scheduler="tcp://h:1")
    assert given.scheduler == "tcp://h:1"
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS")
    local = _plan(fixture_env, reports=("fixture",), executor="dask")
    assert (local.executor, local.scheduler) == ("dask", None)  # a LocalCluster
    assert _plan(fixture_env, reports=("fixture",)).executor == "local"


def test_default_entries_are_unchanged_and_variants_are_grouped():
    from gba_report.engine import index, manifest

    titles = {"fixture": {"en": "F", "zh-Hant": "測"}}
    notebooks = {"fixture": "nb.ipynb"}
    plain = JobRecord(
        "fixture", "en", {"lang": "en"}, 1.0, False, "h", {}, {"html": "x"}, name="fixture"
    )
    entries = manifest.report_entries([plain], titles, notebooks)
    assert list(entries) == ["fixture"]
    assert list(entries["fixture"]) == ["title", "notebook", "langs"]
    assert list(entries["fixture"]["langs"]["en"]) == [
        "parameters", "duration_s", "cached", "content_sha256", "key_figures", "outputs",
        "downloads",
    ]  # fmt: skip
    one = JobRecord(
        "fixture", "en", {}, 1.0, False, "h", {}, {}, name="fixture--SH",
        variant={"focus_region": "SH"}, variant_label="Focus region: Shanghai",
    )  # fmt: skip
    two = JobRecord(
        "fixture", "en", {}, 1.0, False, "h", {}, {}, name="fixture--BJ", variant={"x": "BJ"}
    )
    entries = manifest.report_entries([one, two], titles, notebooks)
    assert entries["fixture--SH"]["variant_of"] == "fixture"
    assert entries["fixture--SH"]["langs"]["en"]["variant_label"] == "Focus region: Shanghai"
    groups = index.report_groups({"other": {"title": {}, "langs": {}}, **entries})
    assert [(g["report"], g["variants"], len(g["entries"])) for g in groups] == [
        ("other", False, 1),
        ("fixture", True, 2),
    ]
