"""World Bank refresh, offline: the recorded API answer is injected as the fetch function."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from gba_report import data, paths
from gba_report.data import worldbank

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "worldbank"
ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2027, 1, 15)


def recorded(url: str):
    """Answer like the API: the page asked for in the URL, from tests/fixtures/worldbank/."""
    query = parse_qs(urlparse(url).query)
    assert query["format"] == ["json"]
    assert "/indicator/GB.XPD.RSDV.GD.ZS" in url
    page = int(query.get("page", ["1"])[0])
    return json.loads((FIXTURES / f"page{page}.json").read_text(encoding="utf-8"))


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(target))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_url_has_indicator_codes_years_and_page() -> None:
    url = worldbank.build_url(["CHN", "HKG"], 2010, 2024, page=2, per_page=500)
    assert url == (
        "https://api.worldbank.org/v2/country/CHN;HKG/indicator/GB.XPD.RSDV.GD.ZS"
        "?format=json&per_page=500&date=2010:2024&page=2"
    )


def test_pages_are_all_fetched() -> None:
    seen = []

    def fetch(url):
        seen.append(url)
        return recorded(url)

    observations, updated = worldbank.fetch_observations(["HKG", "KOR"], 2021, 2023, fetch)
    assert len(seen) == 2 and len(observations) == 6
    assert updated == "2025-07-01"


def test_api_error_message_is_raised() -> None:
    payload = json.loads((FIXTURES / "error.json").read_text(encoding="utf-8"))
    with pytest.raises(worldbank.WorldBankError, match="Invalid value"):
        worldbank.fetch_observations(["XXX"], 2021, 2023, lambda url: payload)


def test_unchanged_data_is_left_byte_for_byte(data_copy: Path) -> None:
    before = (data_copy / "rd_intensity_worldbank.csv").read_bytes()
    curated = {n: (data_copy / n).read_bytes() for n in ("rd_intensity.csv", "sources.csv")}
    result = worldbank.refresh(start=2021, end=2023, fetch=recorded, today=TODAY)
    assert result.changed == result.added == result.removed == []
    assert result.unchanged == 5  # HK 2021-2023, KOR 2021-2022
    assert (data_copy / "rd_intensity_worldbank.csv").read_bytes() == before
    sidecar = data.load_metadata("rd_intensity_worldbank")
    assert sidecar["date_accessed"] == "2027-01-15"
    # the recorded answer says lastupdated 2025-07-01: the database version of the calendar
    assert [c["vintage"] for c in sidecar["release_calendar"]] == ["2025-07"]
    # one writer per dataset: the curated table and the catalogue are not touched
    assert {n: (data_copy / n).read_bytes() for n in curated} == curated


def test_changed_and_missing_rows_are_rewritten(data_copy: Path) -> None:
    table = data_copy / "rd_intensity_worldbank.csv"
    _edit(
        table, "HK,2022,worldbank_wdi,latest,wdi,,1.073,", "HK,2022,worldbank_wdi,latest,wdi,,0.5,"
    )
    _edit(
        table,
        "HK,2023,worldbank_wdi,latest,wdi,,1.103,False,False,worldbank-wdi-gerd,verified,,\n",
        "",
    )
    curated_before = (data_copy / "rd_intensity.csv").read_bytes()
    result = worldbank.refresh(start=2021, end=2023, fetch=recorded, today=TODAY)
    assert result.changed == [("HK", 2022, "0.5", "1.073")]
    assert result.added == [("HK", 2023, "1.103")]
    assert result.written
    rd = data.load_rd_intensity()
    hk = rd[(rd.region_code == "HK") & (rd.series == "worldbank_wdi")].set_index("year")
    assert hk.loc[2022, "rd_intensity_pct_gdp"] == 1.073
    assert hk.loc[2023, "rd_intensity_pct_gdp"] == 1.103
    assert hk.loc[2023, "confidence"] == "verified"
    assert list(hk.index) == sorted(hk.index)  # the new row sits with its series
    # economies the answer does not cover (e.g. Macao, China) keep their rows
    assert len(rd[(rd.region_code == "MO") & (rd.series == "worldbank_wdi")]) == 23
    assert (data_copy / "rd_intensity.csv").read_bytes() == curated_before


def test_year_without_value_is_removed(data_copy: Path) -> None:
    # KOR 2023 is null in the answer: add a row for it first, then check it goes
    table = data_copy / "rd_intensity_worldbank.csv"
    row = "KOR,2022,worldbank_wdi,latest,wdi,,5.211,False,False,worldbank-wdi-gerd,verified,,\n"
    _edit(table, row, row + row.replace("2022", "2023"))
    result = worldbank.refresh(start=2021, end=2023, fetch=recorded, today=TODAY)
    assert result.removed == [("KOR", 2023, "5.211")]
    assert "KOR,2023,worldbank_wdi" not in table.read_text("utf-8")


def test_dry_run_writes_nothing(data_copy: Path) -> None:
    table = data_copy / "rd_intensity_worldbank.csv"
    _edit(
        table, "HK,2022,worldbank_wdi,latest,wdi,,1.073,", "HK,2022,worldbank_wdi,latest,wdi,,0.5,"
    )
    before = {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()}
    result = worldbank.refresh(start=2021, end=2023, fetch=recorded, dry_run=True, today=TODAY)
    assert result.changed == [("HK", 2022, "0.5", "1.073")] and not result.written
    assert {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()} == before
    assert "nothing written" in result.summary()


def test_offline_gives_a_clear_error(data_copy: Path) -> None:
    def offline(url):
        return worldbank.fetch_json("http://127.0.0.1:9/unreachable", timeout=2)

    before = (data_copy / "rd_intensity_worldbank.csv").read_bytes()
    with pytest.raises(worldbank.WorldBankError, match="cannot reach the World Bank API"):
        worldbank.refresh(fetch=offline)
    assert (data_copy / "rd_intensity_worldbank.csv").read_bytes() == before


def test_script_reports_offline_without_traceback(data_copy: Path) -> None:
    # port 9 on localhost refuses at once: the script's own fetch path, no outside network
    code = (
        "import sys, runpy; import gba_report.data.worldbank as wb; "
        "wb.API = 'http://127.0.0.1:9/v2/country/{codes}/indicator/{indicator}'; "
        f"sys.argv = ['refresh_worldbank.py', '--dry-run', '--data-dir', {str(data_copy)!r}]; "
        f"runpy.run_path({str(ROOT / 'scripts' / 'refresh_worldbank.py')!r}, run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "cannot reach the World Bank API" in result.stderr
    assert "Traceback" not in result.stderr
