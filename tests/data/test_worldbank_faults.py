"""World Bank refresh, offline: a malformed, partial or invalid answer changes no data file.

The recorded two-page answer of tests/fixtures/worldbank/ is injected as the fetch function,
altered one way per test. Every data file is compared byte for byte before and after.
"""

from __future__ import annotations

import copy
import datetime as dt
import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from gba_report import paths
from gba_report.data import worldbank
from gba_report.data.errors import DataError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "worldbank"
ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2027, 1, 15)


def _pages() -> dict[int, list]:
    return {n: json.loads((FIXTURES / f"page{n}.json").read_text("utf-8")) for n in (1, 2)}


def _answer(pages: dict[int, object]):
    def fetch(url: str):
        return copy.deepcopy(pages[int(parse_qs(urlparse(url).query)["page"][0])])

    return fetch


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    monkeypatch.setenv("GBA_REPORT_DATA_DIR", str(target))
    # A change the refresh would write, so an answer that got through would show.
    table = target / "rd_intensity_worldbank.csv"
    old = "HK,2022,worldbank_wdi,latest,wdi,,1.073,"
    assert old in table.read_text("utf-8")
    table.write_text(table.read_text("utf-8").replace(old, old.replace("1.073", "0.5")), "utf-8")
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _obs(pages, page: int, index: int) -> dict:
    return pages[page][1][index]


def _set(page: int, index: int, key: str, value):
    def alter(pages):
        _obs(pages, page, index)[key] = value

    return alter


def _drop_page_two_observations(pages):
    pages[2] = [pages[2][0]]  # page info only: three of the six observations are missing


def _error_on_page_two(pages):
    pages[2] = json.loads((FIXTURES / "error.json").read_text("utf-8"))


def _not_a_list(pages):
    pages[1] = {"page": 1}


def _observation_not_an_object(pages):
    pages[2][1][0] = "KOR 2023"


MALFORMED = {
    "value not a number": (
        _set(2, 1, "value", "n/a"),
        "page 2, observation 2: value 'n/a' is not a number",
    ),
    "value not finite": (
        _set(1, 0, "value", "NaN"),
        "page 1, observation 1: value 'NaN' is not a finite number",
    ),
    "year not a year": (
        _set(1, 1, "date", "20x2"),
        "page 1, observation 2: date '20x2' is not a year",
    ),
    "no economy code": (
        _set(2, 0, "countryiso3code", None),
        "page 2, observation 1: no countryiso3code",
    ),
    "no indicator": (_set(1, 2, "indicator", None), "page 1, observation 3: no indicator id"),
    "observation not an object": (
        _observation_not_an_object,
        "page 2, observation 1: expected an object",
    ),
    "partial answer": (
        _drop_page_two_observations,
        "is partial: 3 observations on 2 page(s), the API announced 6",
    ),
    "error page": (_error_on_page_two, "World Bank API error: Invalid value"),
    "not [page-info, observations]": (_not_a_list, "is not [page-info, observations]"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_or_partial_answer_changes_nothing(data_copy: Path, case: str) -> None:
    alter, message = MALFORMED[case]
    pages = _pages()
    alter(pages)
    before = _files(data_copy)
    with pytest.raises(worldbank.WorldBankError) as caught:
        worldbank.refresh(start=2021, end=2023, fetch=_answer(pages), today=TODAY)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert _files(data_copy) == before


def test_answer_that_breaks_the_schema_changes_nothing(data_copy: Path) -> None:
    pages = _pages()
    _set(1, 0, "value", 12.5)(pages)  # a number, but no economy spends 12.5 % of GDP on R&D
    before = _files(data_copy)
    with pytest.raises(DataError, match="rd_intensity_pct_gdp"):
        worldbank.refresh(start=2021, end=2023, fetch=_answer(pages), today=TODAY)
    assert _files(data_copy) == before


def test_full_disk_while_replacing_changes_nothing(data_copy: Path, monkeypatch) -> None:
    real = worldbank.atomic_copy

    def copy_until_full(src, dst):
        if dst.name.endswith(".meta.yml.new"):  # the table was staged, the sidecar does not fit
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(worldbank, "atomic_copy", copy_until_full)
    before = _files(data_copy)
    with pytest.raises(OSError):
        worldbank.refresh(start=2021, end=2023, fetch=_answer(_pages()), today=TODAY)
    assert _files(data_copy) == before, "a staged file or a half refresh was left"


def test_a_good_answer_still_refreshes(data_copy: Path) -> None:
    result = worldbank.refresh(start=2021, end=2023, fetch=_answer(_pages()), today=TODAY)
    assert result.written and result.changed == [("HK", 2022, "0.5", "1.073")]
    assert "HK,2022,worldbank_wdi,latest,wdi,,1.073," in (
        data_copy / "rd_intensity_worldbank.csv"
    ).read_text("utf-8")
    assert not list(data_copy.glob(".*.new"))


def test_script_prints_one_error_line_and_changes_nothing(data_copy: Path, tmp_path: Path) -> None:
    pages = _pages()
    _drop_page_two_observations(pages)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({str(k): v for k, v in pages.items()}), "utf-8")
    code = (
        "import json, sys, runpy; from urllib.parse import parse_qs, urlparse; "
        "import gba_report.data.worldbank as wb; "
        f"answers = json.load(open({str(answers)!r})); "
        "wb.refresh.__kwdefaults__['fetch'] = "
        "lambda url: answers[parse_qs(urlparse(url).query)['page'][0]]; "
        "sys.argv = ['refresh_worldbank.py', '--start', '2021', '--end', '2023', "
        f"'--data-dir', {str(data_copy)!r}]; "
        f"runpy.run_path({str(ROOT / 'scripts' / 'refresh_worldbank.py')!r}, run_name='__main__')"
    )
    before = _files(data_copy)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("refresh_worldbank: World Bank API response is partial")
    assert _files(data_copy) == before
