"""``gba-report reproduce``: the options that build a kept build's runs again, variants included."""

from __future__ import annotations

import yaml

from gba_report.engine import reproduce, variants


def _entry(parameters: dict, variant_of: str | None = None, variant: dict | None = None) -> dict:
    entry = {"langs": {lang: {"parameters": {"lang": lang, **parameters}} for lang in ("en",)}}
    if variant_of is not None:
        entry |= {"variant_of": variant_of, "variant": variant}
    return entry


def test_a_variant_build_is_rebuilt_from_its_report_and_axes(tmp_path):
    manifest = {
        "reports": {
            "fixture--GD": _entry(
                {"regions": ["GD"], "start_year": 2016}, "fixture", {"regions": ["GD"]}
            ),
            "fixture--GD+SZ+HK": _entry(
                {"regions": ["GD", "SZ", "HK"], "start_year": 2016},
                "fixture",
                {"regions": ["GD", "SZ", "HK"]},
            ),
            "summary": _entry({"focus_region": "GD"}),
        },
        "settings": {"cell_timeout": 300},
    }
    options = reproduce._options(manifest, tmp_path, jobs=2)
    assert options.reports == ("fixture", "summary")  # never a variant's name
    assert options.matrix == ("fixture.regions=GD;GD,SZ,HK",)
    assert options.langs == ("en",)
    assert options.force and options.formats == ("html",) and options.cell_timeout == 300
    written = yaml.safe_load(options.params_file.read_text(encoding="utf-8"))
    assert written == {"fixture": {"start_year": 2016}, "summary": {"focus_region": "GD"}}


def test_axis_values_read_back_as_the_same_variants():
    # expand_values is what --matrix reads: the values must come back one per variant
    cases = [
        (["SH", "BJ"], ["SH", "BJ"]),
        ([["GD", "SZ", "HK"]], ["GD,SZ,HK"]),  # one list-valued variant: not three
        ([["HK", "MO"], ["KOR"]], ["HK,MO", "KOR"]),
        ([2022, 2024], ["2022", "2024"]),
        ([True, False], ["true", "false"]),
    ]
    for values, expected in cases:
        assert variants.expand_values(reproduce._axis_values(values)) == expected, values


def test_two_axes_of_one_report_keep_their_order(tmp_path):
    def variant(region: str, year: int) -> dict:
        assignments = {"focus_region": region, "end_year": year}
        return _entry(assignments, "rd_intensity", assignments)

    manifest = {
        "reports": {
            f"rd_intensity--focus_region={r}--end_year={y}": variant(r, y)
            for r in ("SH", "BJ")
            for y in (2022, 2024)
        }
    }
    options = reproduce._options(manifest, tmp_path, jobs=None)
    assert options.reports == ("rd_intensity",)
    assert options.matrix == (
        "rd_intensity.focus_region=SH,BJ",
        "rd_intensity.end_year=2022,2024",
    )
