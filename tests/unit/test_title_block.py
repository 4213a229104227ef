"""Title block: parameters in the reader's language, raw values kept but not shown."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from gba_report.engine import params
from gba_report.engine import title as build_title
from gba_report.present import i18n

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Names of the codes the notebooks' defaults use, as data/regions.csv and data/clusters.csv
# give them (the unit tier reads no data files; tests/data checks the code lists themselves).
REGIONS = {
    "CN": ("China", "中國"),
    "GD": ("Guangdong", "廣東"),
    "HK": ("Hong Kong", "香港"),
    "MO": ("Macao", "澳門"),
    "KOR": ("Korea", "韓國"),
    "ISR": ("Israel", "以色列"),
    "USA": ("United States", "美國"),
    "JPN": ("Japan", "日本"),
    "DEU": ("Germany", "德國"),
    "GBR": ("United Kingdom", "英國"),
}
CLUSTERS = {
    "shenzhen_hong_kong_guangzhou": ("Shenzhen–Hong Kong–Guangzhou", "深圳—香港—廣州"),
    "macao_zhuhai": ("Macao–Zhuhai", "澳門—珠海"),
    "tokyo_yokohama": ("Tokyo–Yokohama", "東京—橫濱"),
    "beijing": ("Beijing", "北京"),
    "seoul": ("Seoul", "首爾"),
    "san_jose_san_francisco": ("San Jose–San Francisco", "聖荷西—舊金山"),
    "shanghai_suzhou": ("Shanghai–Suzhou", "上海—蘇州"),
}


def _lookup(names: dict[str, tuple[str, str]], what: str):
    def name(code: str, lang: str) -> str:
        if code not in names:
            raise i18n.TranslationKeyError(f"{what} code {code!r} is not in the code list")
        return names[code][i18n.LANGS.index(lang)]

    return name


@pytest.fixture(autouse=True)
def codelists(monkeypatch):
    """Region and cluster names from the tables above instead of data/."""
    monkeypatch.setattr(i18n, "region_name", _lookup(REGIONS, "Region"))
    monkeypatch.setattr(i18n, "cluster_name", _lookup(CLUSTERS, "Cluster"))


def _declared(notebook: Path) -> dict[str, params.Param]:
    return params.notebook_parameters(notebook)


def _defaults(declared: dict[str, params.Param], lang: str) -> dict:
    return {name: (lang if name == "lang" else p.default) for name, p in declared.items()}


def _meta(notebook: Path, lang: str) -> dict:
    declared = _declared(notebook)
    values = _defaults(declared, lang)
    return {
        "title": "標題" if lang == "zh-Hant" else "Title",
        "lang": lang,
        "date": "2026-11-29",
        "data_version": "0123456789ab",
        "parameters": values,
        "parameter_rows": build_title.display_parameters(values, lang, declared),
    }


def _shown_text(block: str) -> str:
    """Text a reader sees: no tags or attributes, no data-version code."""
    block = re.sub(r'<code class="gba-data-version">.*?</code>', "", block)
    return html.unescape(re.sub(r"<[^>]*>", " ", block))


def test_every_notebook_parameter_has_a_label_in_both_languages():
    assert NOTEBOOKS
    for notebook in NOTEBOOKS:
        for name in _declared(notebook):
            for lang in i18n.LANGS:
                assert i18n.has(lang, f"common.params.{name}"), (notebook.name, name, lang)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_zh_hant_title_block_shows_no_ascii_letters(notebook):
    block = build_title.title_block_html(_meta(notebook, "zh-Hant"))
    shown = _shown_text(block)
    assert not re.search(r"[A-Za-z]", shown), shown
    # the exact machine-readable values stay in the page, hidden in data-params
    raw = html.unescape(re.search(r'data-params="([^"]*)"', block).group(1))
    assert "lang=zh-Hant" in raw
    for name in _declared(notebook):
        assert f"{name}=" in raw


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_english_title_block_shows_labels_not_names(notebook):
    block = build_title.title_block_html(_meta(notebook, "en"))
    shown = _shown_text(block)
    assert "lang" not in shown
    for name in _declared(notebook):
        if name != "lang":
            assert i18n.tr("en", f"common.params.{name}") in shown
            assert f"{name} =" not in shown and f"{name}=" not in shown


def test_values_are_readable():
    rows = dict(
        build_title.display_parameters(
            {
                "lang": "zh-Hant",
                "focus_region": "GD",
                "claim_status": ["confirmed", "corrected", "unverified"],
                "currency": "HKD",
                "include_unverified": False,
                "as_of": "2025-12-31",
                "highlight": ["shenzhen_hong_kong_guangzhou", "macao_zhuhai"],
            },
            "zh-Hant",
            {"focus_region": params.Param("focus_region", "str", "GD", provider="regions")},
        )
    )
    assert rows == {
        "焦點地區": "廣東",
        "列出的論述核查結果": "證實、更正、未能核實",
        "貨幣": "港元",
        "包括未經核實數字": "否",
        "截至": "2025年12月31日",
        "重點標示的集群": "深圳—香港—廣州、澳門—珠海",
    }
    en = dict(
        build_title.display_parameters(
            {"focus_region": "GD", "include_unverified": True, "as_of": "2025-12-31"}, "en"
        )
    )
    assert en == {
        "Focus region": "Guangdong",
        "Unverified figures included": "Yes",
        "Up to": "31 December 2025",
    }


def test_title_block_escapes_and_dates():
    block = build_title.title_block_html(
        {"title": "A <b> & C", "lang": "zh-Hant", "date": "2026-11-29", "parameters": {}}
    )
    assert "A &lt;b&gt; &amp; C" in block
    assert "2026年11月29日" in block


def test_a_code_outside_the_code_lists_is_shown_as_given():
    assert build_title.param_value("regions", ["HK", "XX"], "zh-Hant") == "香港、XX"
    assert build_title.param_value("regions", ["HK", "MO"], "en") == "Hong Kong, Macao"


def test_an_unreadable_code_list_is_an_error_not_a_fallback(monkeypatch):
    def broken(code: str, lang: str) -> str:
        raise ValueError("data/regions.csv: file is missing (rule: file-exists)")

    monkeypatch.setattr(i18n, "region_name", broken)
    focus = params.Param("focus_region", "str", "GD", provider="regions")
    with pytest.raises(ValueError, match="file is missing"):
        build_title.param_value("focus_region", "GD", "en", focus)


def test_title_block_words_come_from_the_engine_locale():
    meta = {"title": "T", "lang": "zh-Hant", "date": "2026-11-29", "parameters": {}}
    block = build_title.title_block_html(meta)
    for key in ("date", "data_version", "parameters"):
        assert f"<dt>{i18n.tr('zh-Hant', f'engine.title_block.{key}')}</dt>" in block
    assert i18n.tr("en", "engine.toc_title") == "Contents"
    assert i18n.tr("zh-Hant", "engine.toc_title") == "目錄"


def test_report_meta_round_trips_through_notebook_metadata():
    meta = build_title.ReportMeta(
        report="rd_intensity",
        lang="en",
        title="R&D",
        date="2026-11-29",
        data_version="0123456789ab",
        parameters={"lang": "en", "comparators": ["HK", "MO"]},
        parameter_rows=[["Comparators", "Hong Kong, Macao"]],
    )
    assert build_title.ReportMeta.from_dict(json.loads(json.dumps(meta.to_dict()))) == meta
