"""The zh-Hant reports name sources, licences and caveats in Traditional Chinese.

An English word left in a zh-Hant source line or "注意事項與資料來源" section is a bug: publisher
names, titles, licence notes and caveats come from the ``*_zh_hant`` columns and keys of the data
(``data/sources.csv``: publisher_zh_hant, title_zh_hant, licence_note_zh_hant; every sidecar:
title_zh_hant, licence_zh_hant, caveats_zh_hant). Only URLs and the tokens listed below may keep
Latin letters.
"""

from __future__ import annotations

import re

import pytest

from gba_report import data
from gba_report.present import narrative

CJK = re.compile(r"[\u3400-\u9fff]")

#: Latin words (3+ letters) allowed in caveats_zh_hant / licence_zh_hant: codes the regions
#: codelist's caveats are about (CHN, HKG) and an algorithm's proper name (DBSCAN).
CAVEAT_TOKENS = {"CHN", "HKG", "DBSCAN"}

#: Latin tokens allowed in the rendered zh-Hant source lines and sources sections (outside URLs):
#: claim ids (C15 -> "C"), region codes discussed by the regions caveats, the brand IT之家, and
#: the caveat tokens above.
OUTPUT_TOKENS = CAVEAT_TOKENS | {"C", "CN", "HK", "QN", "GZ", "IT"}

DATASETS = data.dataset_names()


def _latin_words(text: str, min_len: int = 1) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= min_len}


def _visible_text(markup: str) -> str:
    """Text a reader sees, without links (URLs may stay Latin) and tags."""
    text = re.sub(r"<a\b[^>]*>.*?</a>", " ", markup, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"https?://\S+", " ", text)


def test_every_source_has_chinese_publisher_title_and_licence():
    sources = data.load_sources()
    for column in ("publisher_zh_hant", "title_zh_hant"):
        bad = sources.loc[~sources[column].fillna("").astype(str).str.contains(CJK), "source_id"]
        assert bad.empty, f"{column} without Chinese text: {list(bad)}"
    noted = sources[sources["licence_note"].fillna("").astype(str).str.strip() != ""]
    bad = noted.loc[
        ~noted["licence_note_zh_hant"].fillna("").astype(str).str.contains(CJK), "source_id"
    ]
    assert bad.empty, f"licence_note without a zh-Hant rendering: {list(bad)}"


def test_no_copy_suffix_in_chinese_publishers():
    sources = data.load_sources()
    for value in sources["publisher_zh_hant"].astype(str):
        assert not _latin_words(value, 3), value


@pytest.mark.parametrize("name", DATASETS)
def test_sidecar_has_chinese_title_licence_and_caveats(name):
    meta = data.load_metadata(name)
    for key in ("title_zh_hant", "licence_zh_hant"):
        assert CJK.search(str(meta.get(key) or "")), f"{name}: {key} missing or not Chinese"
    words = _latin_words(str(meta["licence_zh_hant"]), 3) - CAVEAT_TOKENS
    assert not words, f"{name}: licence_zh_hant has English words {sorted(words)}"
    for caveat in meta.get("caveats_zh_hant") or []:
        words = _latin_words(str(caveat), 3) - CAVEAT_TOKENS
        assert not words, f"{name}: caveats_zh_hant has English words {sorted(words)}: {caveat}"
    if meta.get("caveats"):
        assert len(meta.get("caveats_zh_hant") or []) > 0, f"{name}: caveats not translated"


@pytest.mark.parametrize(
    "names", [["rd_intensity"], ["crossborder_funding", "shared_facilities"], ["gii_cluster_ranks"]]
)
def test_zh_source_line_has_no_english(names):
    for detail in (False, True):
        text = narrative.source_text(names, "zh-Hant", detail=detail)
        assert text.startswith("資料來源：")
        words = _latin_words(text) - OUTPUT_TOKENS
        assert not words, f"English in zh-Hant source line: {sorted(words)}"
    out = narrative.source_line(names, "zh-Hant")
    assert not _latin_words(_visible_text(out.html)) - OUTPUT_TOKENS
    assert ", copy" not in out.html


@pytest.mark.parametrize("compact", [False, True])
def test_zh_sources_section_has_no_english(compact):
    out = narrative.sources_section(DATASETS, "zh-Hant", compact=compact)
    words = _latin_words(_visible_text(out.html)) - OUTPUT_TOKENS
    assert not words, f"English in the zh-Hant sources section: {sorted(words)}"
    assert "《" in out.html and "授權：" in out.html


def test_en_sources_section_keeps_english():
    out = narrative.sources_section(["rd_intensity"], "en")
    assert "World Bank" in out.html and "<em>" in out.html
    assert "世界銀行（" not in out.html
