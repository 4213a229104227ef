"""History and "what changed": previous build, manifest comparison, the pages showing them."""

from __future__ import annotations

import copy
import csv
import hashlib
import json
from pathlib import Path

from gba_report.engine import digest, history, index


def _manifest(run_id: str, value: float = 3.6, status: str = "success", **extra) -> dict:
    manifest = {
        "run_id": run_id,
        "status": status,
        "started": f"2026-11-{run_id[6:8]}T{run_id[9:11]}:00:00+00:00",
        "finished": f"2026-11-{run_id[6:8]}T{run_id[9:11]}:01:00+00:00",
        "data_version": f"dv-{value}",
        "data_files": {"data/rd_intensity.csv": f"sha-{value}", "data/regions.csv": "sha-r"},
        "outputs": {"rd_intensity.en.html": "o1"},
        "reports": {
            "rd_intensity": {
                "title": {"en": "R&D intensity", "zh-Hant": "研發投入強度"},
                "langs": {
                    lang: {
                        "parameters": {"lang": lang},
                        "content_sha256": f"content-{lang}-{value}",
                        "key_figures": {
                            "gd_rd_intensity_pct_2024": {
                                "value": value,
                                "unit": "%",
                                "label": "Guangdong R&D intensity 2024",
                            },
                            "hk_rank": {"value": 2, "unit": "", "label": "HK rank"},
                        },
                    }
                    for lang in ("en", "zh-Hant")
                },
            }
        },
    }
    manifest.update(extra)
    return manifest


def _make_build(root: Path, name: str, manifest: dict | None, latest: bool = False) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<html></html>", encoding="utf-8")
    if manifest is not None:
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if latest:
        _point_latest(root, name)
    return folder


def _point_latest(root: Path, name: str) -> None:
    link = root / "latest"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(name)


# --------------------------------------------------------------------------- previous_manifest


def test_previous_manifest_is_none_without_builds(tmp_path):
    assert history.previous_manifest(tmp_path) is None
    assert history.previous_manifest(tmp_path / "missing") is None


def test_previous_manifest_newest_success_skipping_tmp_failed_and_latest(tmp_path):
    _make_build(tmp_path, "20261101T060000Z-aaaaaa", _manifest("20261101T06-a", 1.0))
    _make_build(tmp_path, "20261102T060000Z-bbbbbb", _manifest("20261102T06-b", 2.0), latest=True)
    # Newer, but failed / incomplete / in progress / not a build folder: all skipped.
    _make_build(tmp_path, "20261103T060000Z-cccccc", _manifest("20261103T06-c", status="failed"))
    _make_build(tmp_path, "20261104T060000Z-dddddd", None)
    _make_build(tmp_path, ".tmp-20261105T060000Z-eeeeee", _manifest("20261105T06-e", 5.0))
    _make_build(tmp_path, "notes", _manifest("20261106T06-n", 6.0))
    (tmp_path / "20261107T060000Z-broken").mkdir()
    (tmp_path / "20261107T060000Z-broken" / "manifest.json").write_text("{not json")

    assert history.previous_manifest(tmp_path)["run_id"] == "20261102T06-b"


def test_previous_manifest_excludes_the_build_being_published(tmp_path):
    _make_build(tmp_path, "20261101T060000Z-aaaaaa", _manifest("20261101T06-a", 1.0))
    new = _make_build(tmp_path, "20261102T060000Z-bbbbbb", _manifest("20261102T06-b", 2.0))
    assert history.previous_manifest(tmp_path, exclude=new)["run_id"] == "20261101T06-a"
    # The excluded folder may be given through the latest symlink too.
    _point_latest(tmp_path, new.name)
    prev = history.previous_manifest(tmp_path, exclude=tmp_path / "latest")
    assert prev["run_id"] == "20261101T06-a"


def test_list_builds_orders_by_time_and_marks_latest(tmp_path):
    _make_build(tmp_path, "20261102T060000Z-bbbbbb", _manifest("20261102T06-b"), latest=True)
    _make_build(tmp_path, "20261101T060000Z-aaaaaa", _manifest("20261101T06-a"))
    builds = history.list_builds(tmp_path)
    assert [b.name for b in builds] == ["20261101T060000Z-aaaaaa", "20261102T060000Z-bbbbbb"]
    assert [b.is_latest for b in builds] == [False, True]
    assert history.latest_target(tmp_path) == (tmp_path / "20261102T060000Z-bbbbbb").resolve()


# --------------------------------------------------------------------------- compare_manifests


def test_compare_first_build():
    changes = history.compare_manifests(None, _manifest("20261101T06-a"))
    assert changes["first_build"] is True
    assert changes["previous_run_id"] is None
    assert changes["data_files"] == changes["key_figures"] == changes["reports"] == []
    assert history.summarize_changes(changes) == "first build"


def test_compare_identical_builds_reports_nothing():
    old = _manifest("20261101T06-a", 3.6)
    new = copy.deepcopy(old)
    new["run_id"] = "20261102T06-b"
    changes = history.compare_manifests(old, new)
    assert changes["first_build"] is False
    assert changes["previous_run_id"] == "20261101T06-a"
    assert changes["data_files"] == changes["key_figures"] == changes["reports"] == []
    assert history.summarize_changes(changes).startswith("no changes")


def test_compare_changed_value_names_file_figure_and_reports():
    old = _manifest("20261101T06-a", 3.6)
    new = _manifest("20261102T06-b", 3.7)
    changes = history.compare_manifests(old, new)

    assert changes["data_files"] == [
        {
            "path": "data/rd_intensity.csv",
            "change": "changed",
            "old_sha256": "sha-3.6",
            "new_sha256": "sha-3.7",
        }
    ]
    figs = {(f["lang"], f["key"]): f for f in changes["key_figures"]}
    key = "gd_rd_intensity_pct_2024"
    assert set(figs) == {("en", key), ("zh-Hant", key)}
    fig = figs[("en", "gd_rd_intensity_pct_2024")]
    assert (fig["old"], fig["new"], fig["unit"], fig["change"]) == (3.6, 3.7, "%", "changed")
    assert fig["label"] == "Guangdong R&D intensity 2024"
    assert {(r["report"], r["lang"], r["change"]) for r in changes["reports"]} == {
        ("rd_intensity", "en", "changed"),
        ("rd_intensity", "zh-Hant", "changed"),
    }
    assert "1 data file, 2 key figures, 1 report" in history.summarize_changes(changes)


def test_compare_names_parameters_that_changed():
    old = _manifest("20261101T06-a", 3.6)
    new = _manifest("20261102T06-b", 3.6)
    entry = new["reports"]["rd_intensity"]["langs"]["en"]
    entry["parameters"] = {"lang": "en", "focus_region": "HK"}
    entry["content_sha256"] = "different"
    [report] = history.compare_manifests(old, new)["reports"]
    assert report["parameters"] == {"focus_region": [None, "HK"]}
    page = index.render_changes_html(history.compare_manifests(old, new))
    assert "parameters changed" in page and "focus_region — → HK" in page


def test_compare_added_and_removed_files_figures_and_reports():
    old = _manifest("20261101T06-a")
    new = copy.deepcopy(old)
    new["run_id"] = "20261102T06-b"
    del new["data_files"]["data/regions.csv"]
    new["data_files"]["data/clusters.csv"] = "sha-c"
    langs = new["reports"]["rd_intensity"]["langs"]
    del langs["en"]["key_figures"]["hk_rank"]
    langs["en"]["key_figures"]["new_fig"] = {"value": "CN/HK", "unit": "", "label": "New"}
    del langs["zh-Hant"]
    new["reports"]["summary"] = {
        "title": {"en": "Summary"},
        "langs": {"en": {"content_sha256": "s", "key_figures": {}}},
    }
    changes = history.compare_manifests(old, new)

    assert {(d["path"], d["change"]) for d in changes["data_files"]} == {
        ("data/clusters.csv", "added"),
        ("data/regions.csv", "removed"),
    }
    kf = {(f["lang"], f["key"], f["change"]) for f in changes["key_figures"]}
    assert ("en", "hk_rank", "removed") in kf
    assert ("en", "new_fig", "added") in kf
    # A report language that disappeared takes its figures with it.
    assert ("zh-Hant", "gd_rd_intensity_pct_2024", "removed") in kf
    reports = {(r["report"], r["lang"], r["change"]) for r in changes["reports"]}
    assert reports == {("rd_intensity", "zh-Hant", "removed"), ("summary", "en", "added")}


def test_compare_ignores_float_noise_but_not_unit_changes():
    old = _manifest("20261101T06-a", 0.1 + 0.2)
    new = _manifest("20261102T06-b", 0.3)
    for m in (old, new):  # same data and content: only the figures are under test
        m["data_files"] = {}
        for entry in m["reports"]["rd_intensity"]["langs"].values():
            entry["content_sha256"] = "same"
    assert history.compare_manifests(old, new)["key_figures"] == []
    new["reports"]["rd_intensity"]["langs"]["en"]["key_figures"]["hk_rank"]["unit"] = "th"
    changed = history.compare_manifests(old, new)["key_figures"]
    assert [(f["key"], f["change"]) for f in changed] == [("hk_rank", "changed")]


# A tiny data folder: two rows of Guangdong's R&D intensity as NBS published them
# (2023: 3.39 % of GDP; 2024: 3.60 %).
RD_CSV = (
    "region_code,year,series,rd_intensity_pct_gdp,source_id,confidence\n"
    "GD,2023,nbs_bulletin,3.39,nbs-2023,verified\n"
    "GD,2024,nbs_bulletin,3.60,nbs-2024,verified\n"
)
REGIONS_CSV = "region_code,name_en,name_zh_hant\nGD,Guangdong,廣東\n"


def _manifest_from_data(run_id: str, data_dir: Path) -> dict:
    """A manifest as the build would write it: file hashes from the engine, one figure."""
    with (data_dir / "rd_intensity.csv").open(encoding="utf-8", newline="") as handle:
        row = list(csv.DictReader(handle))[1]
    figure = {"value": float(row["rd_intensity_pct_gdp"]), "unit": "%", "label": "GD 2024"}
    return {
        "run_id": run_id,
        "status": "success",
        "data_version": digest.sha256_json(digest.data_file_hashes())[:12],
        "data_files": digest.data_file_hashes(),
        "reports": {
            "rd_intensity": {
                "title": {"en": "R&D"},
                "langs": {
                    "en": {
                        "content_sha256": hashlib.sha256(json.dumps(figure).encode()).hexdigest(),
                        "key_figures": {"gd_rd_intensity_pct_2024": figure},
                    }
                },
            }
        },
    }


def test_what_changed_after_editing_a_value_in_a_data_copy(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "rd_intensity.csv").write_text(RD_CSV, encoding="utf-8")
    (data_dir / "regions.csv").write_text(REGIONS_CSV, encoding="utf-8")
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(data_dir))
    old = _manifest_from_data("20261101T060000Z-old", data_dir)

    # A revision: 3.60 becomes 3.62 (an edit of the kind a producer's revision brings).
    (data_dir / "rd_intensity.csv").write_text(RD_CSV.replace(",3.60,", ",3.62,"), "utf-8")
    new = _manifest_from_data("20261102T060000Z-new", data_dir)
    changes = history.compare_manifests(old, new)

    assert [(d["path"], d["change"]) for d in changes["data_files"]] == [
        ("data/rd_intensity.csv", "changed")
    ]
    assert changes["data_version"] != changes["previous_data_version"]
    [figure] = changes["key_figures"]
    assert (figure["old"], figure["new"]) == (3.60, 3.62)
    assert [(r["report"], r["change"]) for r in changes["reports"]] == [("rd_intensity", "changed")]

    page = index.render_changes_html(changes)
    assert "rd_intensity.csv" in page
    assert "gd_rd_intensity_pct_2024" in page and "3.6 %" in page and "3.62 %" in page


def test_malformed_previous_manifest_is_skipped_not_compared(tmp_path):
    _make_build(tmp_path, "20261101T060000Z-aaaaaa", _manifest("20261101T06-a", 1.0))
    broken = _manifest("20261102T06-b", 2.0)
    broken["reports"]["rd_intensity"]["langs"]["en"]["key_figures"] = ["not", "a", "mapping"]
    _make_build(tmp_path, "20261102T060000Z-bbbbbb", broken)
    assert history.read_manifest(tmp_path / "20261102T060000Z-bbbbbb") is None
    assert history.previous_manifest(tmp_path)["run_id"] == "20261101T06-a"
    statuses = {b.name: b.status for b in history.list_builds(tmp_path)}
    assert statuses["20261102T060000Z-bbbbbb"] == "incomplete"


# --------------------------------------------------------------------------- render_changes_html


def test_render_first_build_and_no_changes():
    first = index.render_changes_html(history.compare_manifests(None, _manifest("20261101T06-a")))
    assert "First build" in first and "首次建置" in first
    same = index.render_changes_html(
        history.compare_manifests(_manifest("20261101T06-a"), _manifest("20261102T06-b"))
    )
    assert "No changes" in same and "20261101T06-a" in same


def test_render_changes_lists_old_and_new_values_and_escapes_everything():
    old = _manifest("20261101T06-a", 3.6)
    new = _manifest("20261102T06-b", 3.7)
    fig = new["reports"]["rd_intensity"]["langs"]["en"]["key_figures"]["gd_rd_intensity_pct_2024"]
    fig["label"] = "<script>alert('x')</script> R&D"
    new["data_files"]['data/"evil<b>.csv'] = "sha"
    new["reports"]["rd_intensity"]["title"]["en"] = "<img src=x onerror=alert(1)>"
    page = index.render_changes_html(history.compare_manifests(old, new))

    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "R&amp;D" in page
    assert "3.6 %" in page and "3.7 %" in page
    assert page.startswith('<div class="changes-since-previous"') and page.endswith("</div>")
    assert 'href="../index.html"' in page
    assert page.count("<tr>") == page.count("</tr>")


# --------------------------------------------------------------------------- write_history_index


def test_history_index_lists_every_kept_build_and_marks_latest(tmp_path):
    _make_build(tmp_path, "20261101T060000Z-aaaaaa", _manifest("20261101T06-a", 1.0))
    _make_build(tmp_path, "20261102T060000Z-bbbbbb", _manifest("20261102T06-b", 2.0), latest=True)
    _make_build(tmp_path, "20261103T060000Z-cccccc", _manifest("20261103T06-c", status="failed"))
    _make_build(tmp_path, ".tmp-20261104T060000Z-dddddd", _manifest("20261104T06-d"))

    written = index.write_history_index(tmp_path)
    assert written == tmp_path / "index.html"
    page = written.read_text(encoding="utf-8")
    for name in ("20261101T060000Z-aaaaaa", "20261102T060000Z-bbbbbb", "20261103T060000Z-cccccc"):
        assert f'href="{name}/index.html"' in page
    assert ".tmp-" not in page
    assert "20261101T06-a" in page and "dv-1.0" in page and "dv-2.0" in page
    assert "failed" in page and "first build" in page
    assert "2026-11-02 06:01:00 UTC" in page
    # Newest first; the latest one is marked.
    assert page.index("20261103T06-c") < page.index("20261102T06-b") < page.index("20261101T06-a")
    latest_row = next(line for line in page.splitlines() if "20261102T06-b" in line)
    assert "latest" in latest_row
    assert 'href="latest/index.html"' in page
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_history_index_lists_failed_runs_kept_by_the_engine(tmp_path):
    _make_build(tmp_path, "20261101T060000Z-aaaaaa", _manifest("20261101T06-a"), latest=True)
    failed = tmp_path / "failed" / "20261102T060000Z-ffffff"
    failed.mkdir(parents=True)
    (failed / "rd_intensity.en.ipynb").write_text("{}", encoding="utf-8")
    (failed / "rd_intensity.en.log").write_text("boom", encoding="utf-8")
    assert history.list_failed_runs(tmp_path) == [
        ("20261102T060000Z-ffffff", ["rd_intensity.en.ipynb", "rd_intensity.en.log"])
    ]
    page = index.write_history_index(tmp_path).read_text(encoding="utf-8")
    assert "Failed runs" in page
    assert 'href="failed/20261102T060000Z-ffffff/rd_intensity.en.ipynb"' in page
    assert "2026-11-02 06:00:00 UTC" in page


def test_history_index_escapes_manifest_values(tmp_path):
    _make_build(
        tmp_path,
        "20261101T060000Z-aaaaaa",
        _manifest("<script>x</script>", data_version="<b>dv</b>"),
        latest=True,
    )
    page = index.write_history_index(tmp_path).read_text(encoding="utf-8")
    assert "<script>x" not in page and "<b>dv" not in page
    assert "&lt;script&gt;x" in page


def test_history_index_without_builds(tmp_path):
    assert index.write_history_index(tmp_path / "missing") is None
    page = index.write_history_index(tmp_path).read_text(encoding="utf-8")
    assert "No builds yet" in page
    assert "Failed runs" not in page
