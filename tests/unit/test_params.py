"""Parameters: parsing the parameters cell, coercion, validation, injection safety."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from gba_report.data.errors import DataError
from gba_report.engine import params
from gba_report.engine.params import Param, ParameterError

CELL = """lang: str = "en"  # Language of the report [choices: en, zh-Hant]
focus_region: str = "GD"  # Region to focus on [choices: @regions]
comparators: list = ["CN", "HK"]  # Regions to compare [choices: @regions]
start_year: int = 2010  # First year shown [range: 2010..2024]
end_year: int = 2024  # Last year shown [range: 2010..2024]
share: float = 0.5  # A share [range: 0..1]
include_unverified: bool = True  # Show figures no independent source confirms
as_of: str = "2024-12-31"  # Show milestones up to this date [date]
note = "free"  # Untyped, inferred
"""


@pytest.fixture()
def declared():
    return params.parse_parameters_source(CELL)


@pytest.fixture()
def regions_csv(monkeypatch):
    """The ``@regions`` code list, as a four-code stand-in for data/regions.csv."""
    monkeypatch.setitem(params.PROVIDERS, "regions", lambda: ["CN", "GD", "HK", "MO"])


def test_parse_types_defaults_help_and_constraints(declared):
    assert list(declared) == [
        "lang",
        "focus_region",
        "comparators",
        "start_year",
        "end_year",
        "share",
        "include_unverified",
        "as_of",
        "note",
    ]
    assert declared["lang"].choices == ["en", "zh-Hant"]
    assert declared["lang"].help == "Language of the report"
    assert declared["focus_region"].provider == "regions"
    assert declared["comparators"].type == "list"
    assert declared["comparators"].default == ["CN", "HK"]
    assert declared["start_year"].range == (2010, 2024)
    assert declared["as_of"].is_date
    assert declared["note"].type == "str"
    assert declared["include_unverified"].constraint() == ""
    assert "2010..2024" in declared["start_year"].constraint()


def test_parse_rejects_non_literal_default():
    with pytest.raises(ValueError, match="literal"):
        params.parse_parameters_source("x: int = 1 + len([])  # nope\n")


def test_parse_rejects_unknown_type_hint():
    with pytest.raises(ValueError, match="type hint"):
        params.parse_parameters_source("x: dict = {}  # nope\n")


@pytest.mark.parametrize(
    ("typ", "raw", "expected"),
    [
        ("int", "2015", 2015),
        ("int", "001", 1),
        ("float", "0.25", 0.25),
        ("float", "3", 3.0),
        ("bool", "true", True),
        ("bool", "Yes", True),
        ("bool", "0", False),
        ("bool", "no", False),
        ("list", "CN, HK,MO", ["CN", "HK", "MO"]),
        ("list", "", []),
        ("list", "[CN, HK]", ["CN", "HK"]),
        ("list", ["CN", "HK"], ["CN", "HK"]),
        ("str", "001", "001"),
        ("str", "yes", "yes"),
        ("str", dt.date(2024, 1, 31), "2024-01-31"),
        ("int", 2015, 2015),
        ("bool", True, True),
    ],
)
def test_coerce(typ, raw, expected):
    result = params.coerce(Param("x", typ, None), raw)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("typ", "raw"),
    [
        ("int", "2015.5"),
        ("int", "twenty"),
        ("int", True),
        ("float", "nan"),
        ("float", "abc"),
        ("bool", "maybe"),
        ("str", True),
        ("list", "CN,,HK"),
        ("list", {"a": 1}),
    ],
)
def test_coerce_rejects(typ, raw):
    with pytest.raises(ValueError):
        params.coerce(Param("x", typ, None), raw)


def test_resolve_defaults_and_overrides(declared, regions_csv):
    final = params.resolve(
        {"rep": declared},
        {"rep": {"start_year": 2012}},
        params.parse_assignments(["end_year=2020", "comparators=HK,MO"]),
    )["rep"]
    assert final["start_year"] == 2012
    assert final["end_year"] == 2020
    assert final["comparators"] == ["HK", "MO"]
    assert "lang" not in final


def test_unknown_parameter_suggests_close_match(declared, regions_csv):
    with pytest.raises(ParameterError) as err:
        params.resolve({"rep": declared}, {}, params.parse_assignments(["strat_year=2015"]))
    assert "unknown parameter 'strat_year'" in str(err.value)
    assert "did you mean 'start_year'" in str(err.value)


def test_wrong_type_is_reported(declared, regions_csv):
    with pytest.raises(ParameterError, match=r"start_year \(int\): expected a whole number"):
        params.resolve({"rep": declared}, {}, params.parse_assignments(["start_year=soon"]))


def test_outside_literal_choices(declared, regions_csv):
    problems = params.validate("rep", declared, {"lang": "fr"})
    assert problems == ["rep: parameter lang: 'fr' is not an allowed value; valid: en, zh-Hant"]


def test_unknown_region_lists_valid_codes(declared, regions_csv):
    with pytest.raises(ParameterError) as err:
        params.resolve({"rep": declared}, {}, params.parse_assignments(["focus_region=XX"]))
    message = str(err.value)
    assert "unknown region code 'XX'; valid: CN, GD, HK, MO" in message


def test_unknown_region_in_list(declared, regions_csv):
    with pytest.raises(ParameterError, match="unknown region code 'ZZ'"):
        params.resolve({"rep": declared}, {}, params.parse_assignments(["comparators=HK,ZZ"]))


def test_outside_range(declared, regions_csv):
    with pytest.raises(ParameterError, match="2009 is outside the range 2010..2024"):
        params.resolve({"rep": declared}, {}, params.parse_assignments(["start_year=2009"]))


def test_start_after_end(declared, regions_csv):
    with pytest.raises(ParameterError, match="start_year=2020 is after end_year=2015"):
        params.resolve(
            {"rep": declared},
            {},
            params.parse_assignments(["start_year=2020", "end_year=2015"]),
        )


def test_bad_date(declared, regions_csv):
    with pytest.raises(ParameterError, match="not an ISO date"):
        params.resolve({"rep": declared}, {}, params.parse_assignments(["as_of=31/12/2024"]))


def test_lang_is_reserved(declared, regions_csv):
    with pytest.raises(ParameterError, match="use --lang"):
        params.resolve({"rep": declared}, {}, params.parse_assignments(["lang=en"]))


def test_scoped_parameter_only_applies_to_its_report(declared, regions_csv):
    other = params.parse_parameters_source('lang: str = "en"\nstart_year: int = 2000\n')
    final = params.resolve(
        {"rep": declared, "other": other},
        {},
        params.parse_assignments(["rep.start_year=2015"]),
    )
    assert final["rep"]["start_year"] == 2015
    assert final["other"]["start_year"] == 2000


def test_params_file_flat_and_per_report(tmp_path, declared, regions_csv):
    path = tmp_path / "p.yml"
    path.write_text("start_year: 2011\nrep:\n  comparators: [HK, MO]\n", encoding="utf-8")
    final = params.resolve({"rep": declared}, {}, params.load_params_file(path))["rep"]
    assert final["start_year"] == 2011
    assert final["comparators"] == ["HK", "MO"]


def test_bad_assignment_syntax():
    with pytest.raises(ParameterError, match="expected NAME=VALUE"):
        params.parse_assignments(["start_year"])


def test_injection_string_stays_a_literal_string(declared, regions_csv):
    payload = 'x"); import os; os.system("echo pwned") #'
    final = params.resolve({"rep": declared}, {}, params.parse_assignments([f"note={payload}"]))[
        "rep"
    ]
    assert final["note"] == payload
    # What papermill injects is a Python literal that evaluates back to the same string.
    from papermill.translators import PythonTranslator

    source = PythonTranslator.codify({"note": payload})
    namespace: dict = {}
    exec(compile(source, "<injected>", "exec"), {}, namespace)  # noqa: S102 - the point
    assert namespace["note"] == payload


def test_unreadable_code_list_is_a_parameter_problem_naming_it(declared, monkeypatch):
    def broken() -> list[str]:
        raise DataError(Path("data/regions.csv"), rule="file-exists", detail="file is missing")

    monkeypatch.setitem(params.PROVIDERS, "regions", broken)
    with pytest.raises(ParameterError) as err:
        params.resolve({"rep": declared}, {}, params.parse_assignments(["focus_region=GD"]))
    assert "parameter focus_region: cannot read the regions codes to check 'GD'" in str(err.value)
    assert "data/regions.csv" in str(err.value) and "file is missing" in str(err.value)


def test_region_codes_come_from_the_region_loader(monkeypatch):
    frame = pd.DataFrame({"region_code": ["HK", "GD", "HK", None]})
    monkeypatch.setattr(params, "load_regions", lambda: frame)
    assert params.region_codes() == ["GD", "HK"]
