"""The built report's title names the variant's focus (report/reports.yml ``title_variant``)."""

from pathlib import Path

import pytest

from gba_report.engine import config, plan
from gba_report.engine.errors import BuildError
from gba_report.engine.params import Param

DECLARED = {"focus_region": Param("focus_region", "str", "GD", provider="regions")}


@pytest.fixture(scope="module")
def spec():
    return config.load_config().reports["rd_intensity"]


@pytest.mark.parametrize(
    ("code", "lang", "expected"),
    [
        ("SZ", "en", "R&D intensity: Shenzhen and comparators"),
        ("GZ", "en", "R&D intensity: Guangzhou and comparators"),
        # Hong Kong or Macao as the focus: named once (not "Hong Kong, Hong Kong, Macao")
        ("HK", "en", "R&D intensity: Hong Kong and comparators"),
        ("MO", "zh-Hant", "研發投入強度：澳門與比較對象"),
        # the default focus keeps the report's own title (reports.yml `title`)
        ("GD", "en", "R&D intensity: Guangdong, Hong Kong, Macao and comparators"),
        ("GD", "zh-Hant", "研發投入強度：廣東、香港、澳門與比較對象"),
        ("SZ", "zh-Hant", "研發投入強度：深圳與比較對象"),
    ],
)
def test_title_names_the_focus(spec, code, lang, expected):
    params = {"lang": lang, "focus_region": code, "top_provinces": 3}
    assert plan._title(spec, lang, params, DECLARED) == expected


def test_a_report_without_title_variant_keeps_its_title():
    spec = config.ReportSpec("x", Path("x.ipynb"), {"en": "Plain"}, {})
    assert plan._title(spec, "en", {"focus_region": "SZ"}, DECLARED) == "Plain"


def test_an_unknown_placeholder_is_one_clear_error():
    spec = config.ReportSpec("x", Path("x.ipynb"), {"en": "P"}, {}, title_variant={"en": "{y}"})
    with pytest.raises(BuildError, match="title_variant.en names a parameter"):
        plan._title(spec, "en", {"focus_region": "SZ"}, DECLARED)
