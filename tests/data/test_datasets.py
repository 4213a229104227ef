"""The curated datasets in data/ load, validate, are documented and say what the brief says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from gba_report import data, paths
from gba_report.commands import validate
from gba_report.data import metadata
from gba_report.data.schemas import TABLES

NAMES = data.dataset_names()


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {name: data.load(name) for name in NAMES}


def test_the_spec_tables_are_all_listed() -> None:
    spec = {
        "sources", "regions", "rd_intensity", "hk_gerd_by_sector", "crossborder_funding",
        "shared_facilities", "clusters", "gii_cluster_ranks", "gii_methodology",
        "gii_economy_ranks", "gii_clusters_per_economy", "article_claims",
    }  # fmt: skip
    assert spec <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_dataset_loads_with_rows_and_types(name: str, frames) -> None:
    frame = frames[name]
    assert len(frame) > 0
    for col in TABLES[name].columns:
        if col.name not in frame.columns:
            assert col.optional, col.name
            continue
        dtype = str(frame[col.name].dtype)
        assert dtype == {"integer": "Int64", "number": "Float64", "boolean": "bool"}.get(
            col.type, "str"
        ), (col.name, dtype)


@pytest.mark.parametrize("name", NAMES)
def test_loader_function_exists(name: str) -> None:
    loader = getattr(data, f"load_{name}")
    assert callable(loader)


@pytest.mark.parametrize("name", NAMES)
def test_sidecar_complete(name: str, frames) -> None:
    meta = data.load_metadata(name)
    assert set(metadata.REQUIRED_KEYS) <= set(meta)
    assert list(meta["columns"]) == list(frames[name].columns)
    for col, entry in meta["columns"].items():
        assert entry["description"].strip(), col
        assert "unit" in entry, col
    sources = set(frames["sources"]["source_id"])
    assert set(meta["sources"]) <= sources


def test_validate_command_passes_on_real_data(capsys) -> None:
    ok_lines, errors = validate.validate_dir(paths.data_dir())
    assert errors == [], "\n".join(e.format() for e in errors)
    assert len(ok_lines) == len(NAMES)
    assert any(line.startswith("ok  rd_intensity  ") for line in ok_lines)


def test_source_catalogue_covers_every_source_id(frames) -> None:
    known = set(frames["sources"]["source_id"])
    missing = {}
    for name, frame in frames.items():
        if name == "sources" or "source_id" not in frame.columns:
            continue
        for value in frame["source_id"]:
            for sid in (s.strip() for s in value.split(";")):
                if sid not in known:
                    missing.setdefault(name, set()).add(sid)
    assert missing == {}


def test_every_catalogued_source_has_publisher_title_and_date(frames) -> None:
    sources = frames["sources"]
    assert sources["publisher"].str.len().gt(0).all()
    assert sources["title"].str.len().gt(0).all()
    assert sources["date_accessed"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    assert sources["source_id"].is_unique


def test_data_version_is_stable_and_changes_with_any_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(target))
    first = data.data_version()
    assert first == data.data_version() == data.data_version(paths.data_dir())
    assert len(first) == 12 and int(first, 16) >= 0
    with (target / "regions.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert data.data_version() != first
    assert [p.name for p in data.data_files()] == sorted(p.name for p in target.iterdir())


def test_freshness_warnings(monkeypatch) -> None:
    import datetime as dt

    assert data.freshness_warnings(10_000) == []
    later = metadata.freshness_warnings(30, today=dt.date(2027, 6, 1))
    # 2026-11-29 -> 2027-06-01 is 184 days
    assert "rd_intensity: data accessed 2026-11-29, 184 days ago (limit 30)" in later
    # one rule for the log and the reports: the same datasets, restricted on request
    stale = metadata.stale_datasets(30, ["rd_intensity", "clusters"], today=dt.date(2027, 6, 1))
    assert stale == [("rd_intensity", "2026-11-29"), ("clusters", "2026-11-29")]
    assert metadata.stale_datasets(184, ["rd_intensity"], today=dt.date(2027, 6, 1)) == []


# --------------------------------------------------------------------------- headline facts
# Issue 2, item 8: the figures the reports stand on, as the loaded data says them.


def _rd(frames, region: str, year: int, series: str = "nbs_first_release") -> pd.Series:
    rd = frames["rd_intensity"]
    rows = rd[(rd.region_code == region) & (rd.year == year) & (rd.series == series)]
    assert len(rows) == 1, (region, year, series)
    return rows.iloc[0]


def test_guangdong_2024(frames) -> None:
    row = _rd(frames, "GD", 2024)
    assert row.rd_expenditure_rmb_100m == pytest.approx(5099.6, abs=1e-9)
    assert row.rd_intensity_pct_gdp == pytest.approx(3.60, abs=1e-9)


def test_china_2024(frames) -> None:
    row = _rd(frames, "CN", 2024)
    assert row.rd_expenditure_rmb_100m == pytest.approx(36326.8, abs=1e-9)
    assert row.rd_intensity_pct_gdp == pytest.approx(2.69, abs=1e-9)


def test_guangdong_2023(frames) -> None:
    row = _rd(frames, "GD", 2023)
    assert row.rd_expenditure_rmb_100m == pytest.approx(4802.6, abs=1e-9)
    assert row.rd_intensity_pct_gdp == pytest.approx(3.54, abs=1e-9)


def test_hong_kong_2024(frames) -> None:
    rd = frames["rd_intensity"]
    rows = rd[(rd.region_code == "HK") & (rd.year == 2024)]
    assert rows.rd_intensity_pct_gdp.dropna().tolist() == [pytest.approx(1.13, abs=1e-9)]


def test_hong_kong_2018_series_break(frames) -> None:
    rd = frames["rd_intensity"]
    breaks = rd[rd.is_series_break]
    assert ("HK", 2018) in set(zip(breaks.region_code, breaks.year, strict=True))
    gerd = frames["hk_gerd_by_sector"]
    assert gerd[(gerd.year == 2018)].is_series_break.all()


def _rank(frames, cluster: str, edition: int) -> pd.Series:
    ranks = frames["gii_cluster_ranks"]
    rows = ranks[(ranks.cluster_code == cluster) & (ranks.edition == edition)]
    assert len(rows) == 1, (cluster, edition)
    return rows.iloc[0]


def test_shenzhen_hong_kong_guangzhou_first_in_2025_second_2017_to_2024(frames) -> None:
    assert _rank(frames, "shenzhen_hong_kong_guangzhou", 2025)["rank"] == 1
    for edition in range(2017, 2025):
        assert _rank(frames, "shenzhen_hong_kong_guangzhou", edition)["rank"] == 2, edition
    assert _rank(frames, "shenzhen_hong_kong_guangzhou", 2019).name_as_ranked == (
        "Shenzhen–Hong Kong"
    )
    assert _rank(frames, "shenzhen_hong_kong_guangzhou", 2025).confidence == "verified"


def test_tokyo_yokohama_second_in_2025_first_before(frames) -> None:
    assert _rank(frames, "tokyo_yokohama", 2025)["rank"] == 2
    for edition in range(2017, 2025):
        assert _rank(frames, "tokyo_yokohama", edition)["rank"] == 1


def test_macao_zhuhai(frames) -> None:
    row = _rank(frames, "macao_zhuhai", 2025)
    assert row["rank"] == 98 and not row.is_inferred
    inferred = _rank(frames, "macao_zhuhai", 2024)
    assert inferred["rank"] == 100
    assert inferred.is_inferred and inferred.confidence == "unverified"
    ranks = frames["gii_cluster_ranks"]
    assert set(ranks[ranks.cluster_code == "macao_zhuhai"].edition) == {2024, 2025}


def test_inferred_ranks_are_unverified(frames) -> None:
    ranks = frames["gii_cluster_ranks"]
    inferred = ranks[ranks.is_inferred]
    assert set(zip(inferred.cluster_code, inferred.edition, strict=True)) == {
        ("macao_zhuhai", 2024),
        ("shanghai_suzhou", 2018),
        ("london", 2024),
        ("bengaluru", 2024),
    }
    assert (inferred.confidence == "unverified").all()


def test_vc_shares_2025_support_claim_c23(frames) -> None:
    assert _rank(frames, "shenzhen_hong_kong_guangzhou", 2025).vc_deals_share_pct == 2.9
    assert _rank(frames, "tokyo_yokohama", 2025).vc_deals_share_pct == 2.2


def test_gba_clusters_and_names(frames) -> None:
    clusters = frames["clusters"].set_index("cluster_code")
    assert set(clusters.index[clusters.is_gba]) == {"shenzhen_hong_kong_guangzhou", "macao_zhuhai"}
    assert clusters.loc["shenzhen_hong_kong_guangzhou", "name_zh_hant"] == "深圳—香港—廣州"
    assert clusters.loc["tokyo_yokohama", "name_zh_hant"] == "東京—橫濱"
    assert clusters.loc["macao_zhuhai", "name_zh_hant"] == "澳門—珠海"
    assert clusters.loc["san_jose_san_francisco", "name_zh_hant"] == "聖荷西—舊金山"
    assert clusters.loc["shanghai_suzhou", "name_zh_hant"] == "上海—蘇州"


def test_methodology_milestones(frames) -> None:
    method = frames["gii_methodology"]
    pairs = set(zip(method.edition, method.change_code, strict=True))
    assert {
        (2017, "first_ranking_pct_only"),
        (2018, "publications_added"),
        (2020, "shenzhen_hong_kong_guangzhou_merged"),
        (2025, "vc_deals_added"),
    } <= pairs


def test_guangdong_cumulative_crossborder_over_460m(frames) -> None:
    funding = frames["crossborder_funding"]
    rows = funding[
        funding.is_cumulative
        & (funding.currency == "RMB")
        & (funding.amount == 460)
        & funding.payer.str.contains("Guangdong")
    ]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row.is_lower_bound
    assert row.amount_unit == "million"


def test_article_claims(frames) -> None:
    claims = frames["article_claims"].set_index("claim_id")
    assert list(claims.index) == [f"C{i}" for i in range(1, 24)]
    assert claims.loc["C4", "status"] == "corrected"
    assert "5,099.61" in claims.loc["C4", "finding_en"]
    assert claims.loc["C1", "status"] == claims.loc["C15", "status"] == "confirmed"
    assert claims.loc["C6", "status"] == "unverified"
    # findings exist in real Traditional Chinese (a Han character in every row)
    assert claims.finding_zh_hant.str.contains(r"[\u4e00-\u9fff]").all()
    assert not claims.finding_zh_hant.str.contains("广东|数据|来源").any()  # simplified forms


def test_economy_ranks(frames) -> None:
    econ = frames["gii_economy_ranks"].set_index(["edition", "economy_code"])
    assert econ.loc[(2025, "CHN"), "gii_rank"] == 10
    assert econ.loc[(2025, "HKG"), "gii_rank"] == 15
    assert econ.loc[(2023, "CHE"), "gii_score"] == 67.6
    assert econ.loc[(2023, "CHE"), "confidence"] == "verified"


def test_codebook_is_up_to_date() -> None:
    codebook = (paths.data_dir() / "CODEBOOK.md").read_text(encoding="utf-8")
    assert codebook == metadata.codebook_markdown(), "run scripts/write_codebook.py"
    for name in NAMES:
        assert f"## {name}" in codebook
