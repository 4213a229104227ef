"""The curated datasets in data/ load, validate, are documented and say what the sources say.

Expected figures are typed from the publications (the NBS/MOST/MOF 2024 communique's 附表2, the
NBS 2025 statistical communique, Xinhua on C&SD's 2024 statistics, WIPO's GII 2023 Appendix
Table 3, HKMA and SAFE rates), never computed with the code under test.
"""

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


@pytest.mark.parametrize("name", NAMES)
def test_dataset_loads_with_rows_and_types(name: str, frames) -> None:
    frame = data.load(name)
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
def test_sidecar_complete(name: str, frames) -> None:
    meta = data.load_metadata(name)
    assert set(metadata.REQUIRED_KEYS) <= set(meta)
    assert list(meta["columns"]) == list(data.load(name).columns)
    for col, entry in meta["columns"].items():
        assert entry["description"].strip(), col
        assert "unit" in entry, col
    assert set(meta["sources"]) <= set(frames["sources"]["source_id"])
    assert meta["release_calendar"], f"{name}: no release calendar"


def test_validate_command_passes_on_real_data() -> None:
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
    # curation files are data too: an edit there changes the version
    second = data.data_version()
    with (target / "curation" / "regions.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert data.data_version() != second
    files = {p.relative_to(target).as_posix() for p in data.data_files()}
    assert {"rd_intensity.csv", "curation/sources.yml", "datapackage.json"} <= files


# --------------------------------------------------------------------------- R&D: 31 provinces


def _provinces(frames) -> set[str]:
    regions = frames["regions"]
    return set(regions.loc[regions.region_type == "province", "region_code"])


def _rd(frames, region: str, year: int, series: str, vintage: str) -> pd.Series:
    rd = frames["rd_intensity"]
    rows = rd[
        (rd.region_code == region)
        & (rd.year == year)
        & (rd.series == series)
        & (rd.vintage == vintage)
    ]
    assert len(rows) == 1, (region, year, series, vintage)
    return rows.iloc[0]


def _provinces_2024(frames) -> pd.DataFrame:
    """The 31 provinces in 2024, one vintage and one basis (the 2024 communique's 附表2)."""
    rd = frames["rd_intensity"]
    part = rd[
        rd.region_code.isin(_provinces(frames))
        & (rd.year == 2024)
        & (rd.series == "nbs_first_release")
    ]
    assert set(part.vintage) == {"first_release"} and set(part.basis) == {"cn_gdp_census5"}
    return part


def test_all_31_provinces_2024_sum_to_the_national_total(frames) -> None:
    part = _provinces_2024(frames)
    assert len(part) == 31 and set(part.region_code) == _provinces(frames)
    assert part.rd_expenditure_rmb_100m.notna().all() and part.rd_intensity_pct_gdp.notna().all()
    # 附表2: the provinces add up to the national 36,326.8 亿元 exactly
    assert part.rd_expenditure_rmb_100m.sum() == pytest.approx(36326.8, abs=1e-6)
    china = _rd(frames, "CN", 2024, "nbs_first_release", "first_release")
    assert china.rd_expenditure_rmb_100m == pytest.approx(36326.8, abs=1e-9)
    assert china.rd_intensity_pct_gdp == pytest.approx(2.69, abs=1e-9)


def test_guangdong_2024_first_of_31_by_spending_third_by_intensity(frames) -> None:
    part = _provinces_2024(frames).set_index("region_code")
    by_spend = part.rd_expenditure_rmb_100m.sort_values(ascending=False)
    assert by_spend.index[0] == "GD"
    assert by_spend.iloc[0] == pytest.approx(5099.6, abs=1e-9)  # RMB 509.96 bn
    by_intensity = part.rd_intensity_pct_gdp.sort_values(ascending=False)
    assert list(by_intensity.index[:3]) == ["BJ", "SH", "GD"]
    assert list(by_intensity.iloc[:3]) == [
        pytest.approx(6.58, abs=1e-9),
        pytest.approx(4.35, abs=1e-9),
        pytest.approx(3.60, abs=1e-9),
    ]


def _change_pp(frames, region: str, basis: str, first: int, last: int) -> float:
    rd = frames["rd_intensity"]
    part = rd[(rd.region_code == region) & (rd.basis == basis) & rd.year.isin([first, last])]
    part = part[part.series.isin(["nbs_first_release", "nbs_revised"])]
    assert sorted(part.year) == [first, last], part
    values = part.set_index("year").rd_intensity_pct_gdp
    return float(values[last] - values[first])


def test_2023_to_2024_changes_on_the_revised_basis(frames) -> None:
    gd_2023 = _rd(frames, "GD", 2023, "nbs_revised", "revised")
    assert gd_2023.rd_intensity_pct_gdp == pytest.approx(3.48, abs=1e-9)
    assert gd_2023.basis == "cn_gdp_census5" and pd.isna(gd_2023.rd_expenditure_rmb_100m)
    assert _change_pp(frames, "GD", "cn_gdp_census5", 2023, 2024) == pytest.approx(0.12, abs=1e-9)
    assert _rd(frames, "CN", 2023, "nbs_revised", "revised").rd_intensity_pct_gdp == 2.58
    assert _change_pp(frames, "CN", "cn_gdp_census5", 2023, 2024) == pytest.approx(0.11, abs=1e-9)
    # the first release of 2023 stays, on its own (pre-census) basis
    first = _rd(frames, "GD", 2023, "nbs_first_release", "first_release")
    assert first.rd_intensity_pct_gdp == pytest.approx(3.54, abs=1e-9)
    assert first.basis == "cn_gdp_pre_census5"


def test_every_region_year_has_one_value_per_series_and_vintage(frames) -> None:
    rd = frames["rd_intensity"]
    assert not rd.duplicated(["region_code", "year", "series", "vintage"]).any()
    # 32 revised 2023 intensities (31 provinces + China), none in the first-release series
    revised = rd[rd.series == "nbs_revised"]
    assert len(revised) == 32 and set(revised.year) == {2023}
    assert set(revised.vintage) == {"revised"}


def test_basis_change_in_2024_is_marked_as_a_series_break(frames) -> None:
    rd = frames["rd_intensity"]
    first = rd[rd.series == "nbs_first_release"]
    assert first[first.year == 2024].is_series_break.all()
    assert not first[first.year == 2023].is_series_break.any()


def test_china_2025_preliminary_is_provisional(frames) -> None:
    row = _rd(frames, "CN", 2025, "nbs_preliminary", "provisional")
    assert row.rd_intensity_pct_gdp == pytest.approx(2.80, abs=1e-9)
    assert row.rd_expenditure_rmb_100m == pytest.approx(39262, abs=1e-9)
    assert row.confidence == "verified"
    rd = frames["rd_intensity"]
    assert set(rd[rd.year == 2025].vintage) == {"provisional", "estimate"}
    estimates = rd[(rd.year == 2025) & (rd.vintage == "estimate")]
    assert set(estimates.region_code) == {"JS", "ZJ"}
    assert (estimates.uncertainty == "approximate").all()
    assert (estimates.confidence == "unverified").all()


def test_hong_kong_2023_gerd_and_ratio(frames) -> None:
    gerd = frames["hk_gerd_by_sector"]
    row = gerd[(gerd.year == 2023) & (gerd.sector == "total")]
    assert row.gerd_hkd_million.tolist() == [pytest.approx(33006, abs=1e-9)]
    assert gerd[(gerd.year == 2023)].sector.tolist() == ["total"]  # no sector split found
    rd = frames["rd_intensity"]
    ratio = rd[(rd.region_code == "HK") & (rd.year == 2023) & (rd.series == "csd")]
    assert ratio.rd_intensity_pct_gdp.tolist() == [pytest.approx(1.11, abs=1e-9)]


def test_hong_kong_2018_series_break(frames) -> None:
    rd = frames["rd_intensity"]
    breaks = rd[rd.is_series_break]
    assert ("HK", 2018) in set(zip(breaks.region_code, breaks.year, strict=True))
    gerd = frames["hk_gerd_by_sector"]
    assert gerd[(gerd.year == 2018)].is_series_break.all()


def test_shenzhen_city_points(frames) -> None:
    rd = frames["rd_intensity"]
    sz = rd[(rd.region_code == "SZ") & (rd.series == "city_release")].set_index("year")
    assert list(sz.index) == [2012, 2013, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
    assert sz.loc[2024, "rd_expenditure_rmb_100m"] == pytest.approx(2453.1, abs=1e-9)
    assert sz.loc[2024, "rd_intensity_pct_gdp"] == pytest.approx(6.67, abs=1e-9)
    assert sz.loc[2012, "rd_intensity_pct_gdp"] == pytest.approx(3.81, abs=1e-9)
    # 2022's year is inferred, 2018's amount approximate: both unverified
    assert sz.loc[2022, "uncertainty"] == "inferred"
    assert sz.loc[2018, "uncertainty"] == "approximate"
    assert set(sz.loc[[2018, 2022], "confidence"]) == {"unverified"}


def test_world_bank_rows_live_in_their_own_table(frames) -> None:
    curated = data.load("rd_intensity")
    assert "worldbank_wdi" not in set(curated.series)
    wb = data.load_rd_intensity_worldbank()
    assert set(wb.series) == {"worldbank_wdi"} and set(wb.basis) == {"wdi"}
    combined = frames["rd_intensity"]
    assert len(combined) == len(curated) + len(wb)


# --------------------------------------------------------------------------- exchange rates


def test_every_fx_rate_row_has_its_own_year(frames) -> None:
    fx = frames["fx_year_end"]
    assert (fx.date.str[:4].astype(int) == fx.year).all()
    assert not fx.duplicated(["year", "rate_type"]).any()
    pairs = frames["exchange_rates"]
    assert (pairs.date.str[:4].astype(int) == pairs.year).all()


def test_official_year_end_rates(frames) -> None:
    fx = frames["fx_year_end"].set_index(["rate_type", "year"])
    hkma = fx.loc["hkma_closing"]
    assert list(hkma.index) == [2018, 2019, 2020]
    assert hkma.loc[2019, "quote_amount"] == pytest.approx(1.1175, abs=1e-12)
    assert set(hkma.base_currency) == {"RMB"} and set(hkma.base_amount) == {1}
    parity = fx.loc["pboc_central_parity"]
    assert list(parity.index) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert parity.loc[2024, "quote_amount"] == pytest.approx(92.604, abs=1e-12)
    assert set(parity.base_currency) == {"HKD"} and set(parity.base_amount) == {100}
    assert set(hkma.confidence) == {"verified"} and set(parity.confidence) == {"secondary"}
    caveats = " ".join(data.load_metadata("fx_year_end")["caveats"])
    assert "No official annual average rate was found" in caveats


# --------------------------------------------------------------------------- GII


def _rank(frames, cluster: str, edition: int) -> pd.Series:
    ranks = frames["gii_cluster_ranks"]
    rows = ranks[(ranks.cluster_code == cluster) & (ranks.edition == edition)]
    assert len(rows) == 1, (cluster, edition)
    return rows.iloc[0]


def test_shenzhen_hong_kong_guangzhou_second_in_gii_2023_from_wipo_table(frames) -> None:
    row = _rank(frames, "shenzhen_hong_kong_guangzhou", 2023)
    assert row["rank"] == 2
    assert row.pct_applications_count == 113482
    assert row.scientific_publications_count == 153180
    assert "gii-wipo-2023-table3" in row.source_id.split(";")
    assert row.confidence == "verified"


def test_gii_2023_ranks_1_to_35(frames) -> None:
    ranks = frames["gii_cluster_ranks"]
    part = ranks[ranks.edition == 2023]
    assert set(range(1, 36)) <= set(part["rank"])
    wipo = part[part.source_id.str.contains("gii-wipo-2023-table3")]
    assert set(wipo["rank"]) == set(range(1, 36))
    assert _rank(frames, "tokyo_yokohama", 2023).pct_applications_count == 127418


def test_shenzhen_hong_kong_guangzhou_first_in_2025_second_2017_to_2024(frames) -> None:
    assert _rank(frames, "shenzhen_hong_kong_guangzhou", 2025)["rank"] == 1
    for edition in range(2017, 2025):
        assert _rank(frames, "shenzhen_hong_kong_guangzhou", edition)["rank"] == 2, edition
    assert _rank(frames, "shenzhen_hong_kong_guangzhou", 2019).name_as_ranked == (
        "Shenzhen–Hong Kong"
    )
    for edition in (2023, 2024, 2025):  # WIPO's own table and pages
        assert _rank(frames, "shenzhen_hong_kong_guangzhou", edition).confidence == "verified"


def test_macao_zhuhai_2024_now_read_not_inferred(frames) -> None:
    row = _rank(frames, "macao_zhuhai", 2025)
    assert row["rank"] == 98 and not row.is_inferred
    read = _rank(frames, "macao_zhuhai", 2024)
    assert read["rank"] == 100 and not read.is_inferred
    assert "gii-cpahk-clusters-2024" in read.source_id
    assert read.confidence == "secondary"  # not seen on a WIPO page


def test_conflicts_stay_visible(frames) -> None:
    nanjing = _rank(frames, "nanjing", 2022)
    assert nanjing["rank"] == 13 and nanjing.uncertainty == "conflicting"
    assert "gives 12" in nanjing.note and nanjing.confidence == "unverified"
    wuhan = _rank(frames, "wuhan", 2022)
    assert wuhan["rank"] == 16 and "gives 15" in wuhan.note


def test_one_rank_per_edition_and_cluster(frames) -> None:
    ranks = frames["gii_cluster_ranks"]
    assert not ranks.duplicated(["edition", "cluster_code"]).any()
    assert not ranks.duplicated(["edition", "rank"]).any()


def test_inferred_ranks_are_unverified(frames) -> None:
    ranks = frames["gii_cluster_ranks"]
    inferred = ranks[ranks.is_inferred]
    assert set(zip(inferred.cluster_code, inferred.edition, strict=True)) == {
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
    ranked = set(frames["gii_cluster_ranks"].cluster_code)
    assert ranked == set(clusters.index)


def test_methodology_milestones(frames) -> None:
    method = frames["gii_methodology"]
    pairs = set(zip(method.edition, method.change_code, strict=True))
    assert {
        (2017, "first_ranking_pct_only"),
        (2018, "publications_added"),
        (2020, "shenzhen_hong_kong_guangzhou_merged"),
        (2025, "vc_deals_added"),
    } <= pairs


def test_economy_ranks(frames) -> None:
    econ = frames["gii_economy_ranks"].set_index(["edition", "economy_code"])
    assert econ.loc[(2025, "CHN"), "gii_rank"] == 10
    assert econ.loc[(2025, "HKG"), "gii_rank"] == 15
    assert econ.loc[(2023, "CHE"), "gii_score"] == 67.6


def test_economy_rank_additions(frames) -> None:
    # gii_economy_ranks_additions.csv (57 rows): 40 new ranks, 17 more sources for ranks held
    econ = frames["gii_economy_ranks"]
    assert len(econ) == 81
    by = econ.set_index(["edition", "economy_code"])
    # 'GII 2017 at a glance' (Science|Business): China 22nd, Hong Kong 16th; JST: Japan 16th 2020
    assert by.loc[(2017, "CHN"), "gii_rank"] == 22 and by.loc[(2017, "HKG"), "gii_rank"] == 16
    assert by.loc[(2020, "JPN"), "gii_rank"] == 16
    # the 2018 top ten of the co-publisher's release (INSEAD) is verified: UK 4th, US 6th
    row = by.loc[(2018, "USA")]
    assert (row["gii_rank"], row["confidence"]) == (6, "verified")
    # the GII 2019 export confirms China 14th; the unrounded 67.24 for Switzerland is kept
    assert by.loc[(2019, "CHN"), "source_id"].startswith("gii-usstudies-2019-export")
    assert by.loc[(2019, "CHE"), "gii_score"] == 67.24
    assert (by.loc[(2024, "SGP"), "gii_rank"], by.loc[(2025, "DEU"), "gii_rank"]) == (4, 11)


# --------------------------------------------------------------------------- funding, claims


def test_guangdong_cumulative_crossborder_over_460m_dated_2024_inferred(frames) -> None:
    funding = frames["crossborder_funding"]
    rows = funding[
        funding.is_cumulative
        & (funding.currency == "RMB")
        & (funding.amount == 460)
        & funding.payer.str.contains("Guangdong")
    ]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row.is_lower_bound and row.amount_unit == "million"
    assert row.date == "2024-11-06" and row.is_date_inferred


def test_article_claims(frames) -> None:
    claims = frames["article_claims"].set_index("claim_id")
    assert list(claims.index) == [f"C{i}" for i in range(1, 24)]
    assert claims.loc["C4", "status"] == "corrected"
    assert "5,099.61" in claims.loc["C4", "finding_en"]
    assert claims.loc["C1", "status"] == claims.loc["C15", "status"] == "confirmed"
    assert claims.loc["C6", "status"] == "unverified"
    assert claims.finding_zh_hant.str.contains(r"[\u4e00-\u9fff]").all()
    assert not claims.finding_zh_hant.str.contains("广东|数据|来源").any()  # simplified forms
