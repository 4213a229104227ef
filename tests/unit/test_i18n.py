"""Translations and number formats (expected strings typed from the sources)."""

import pytest

from gba_report.present import i18n


def test_both_languages_define_the_same_keys():
    en, zh = i18n.keys("en"), i18n.keys("zh-Hant")
    assert en - zh == set(), f"missing in zh-Hant: {sorted(en - zh)}"
    assert zh - en == set(), f"missing in en: {sorted(zh - en)}"


def test_both_languages_have_the_same_section_files():
    en = {p.name for p in (i18n.LOCALES_DIR / "en").glob("*.yml")}
    zh = {p.name for p in (i18n.LOCALES_DIR / "zh-Hant").glob("*.yml")}
    assert en == zh


def test_placeholders_match_between_languages():
    import string

    for key in i18n.keys("en"):
        en, zh = i18n.tr("en", key), i18n.tr("zh-Hant", key)
        if isinstance(en, str) and isinstance(zh, str):
            fields_en = {f for _, f, _, _ in string.Formatter().parse(en) if f}
            fields_zh = {f for _, f, _, _ in string.Formatter().parse(zh) if f}
            # one language may need an extra field (an English ordinal suffix), never a
            # field of its own that the other lacks on both sides
            assert fields_zh <= fields_en or fields_en <= fields_zh, key


def test_missing_key_names_key_and_language():
    with pytest.raises(KeyError) as err:
        i18n.tr("zh-Hant", "common.no_such_key")
    assert "common.no_such_key" in str(err.value)
    assert "zh-Hant" in str(err.value)


def test_unknown_language_is_refused():
    with pytest.raises(KeyError):
        i18n.tr("fr", "common.year")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3.6, "3.60%"), (1.714, "1.714%"), (2.69, "2.69%"), (0.05, "0.05%"), (6.0, "6.00%")],
)
def test_fmt_pct_keeps_source_precision(value, expected):
    assert i18n.fmt_pct(value, "en") == expected
    assert i18n.fmt_pct(value, "zh-Hant") == expected


def test_fmt_rmb_100m_guangdong_2024():
    assert i18n.fmt_rmb_100m(5099.6, "en") == "RMB 509.96 bn"
    assert i18n.fmt_rmb_100m(5099.6, "zh-Hant") == "5,099.6億元"
    assert i18n.fmt_rmb_100m(5099.61, "en") == "RMB 509.961 bn"
    assert i18n.fmt_rmb_100m(36326.8, "zh-Hant") == "36,326.8億元"
    assert i18n.fmt_rmb_100m(1000.0, "en") == "RMB 100.0 bn"


@pytest.mark.parametrize(
    ("amount", "currency", "lower", "en", "zh"),
    [
        (460, "RMB", True, "over RMB 460 m", "超過4.6億元人民幣"),
        (38, "RMB", False, "RMB 38 m", "3,800萬元人民幣"),
        (3.1696, "RMB", False, "RMB 3.1696 m", "316.96萬元人民幣"),
        (1000, "RMB", False, "RMB 1 bn", "10億元人民幣"),
        (42.27, "HKD", False, "HK$42.27 m", "4,227萬港元"),
        (35772, "HKD", False, "HK$35.772 bn", "357.72億港元"),
    ],
)
def test_fmt_money(amount, currency, lower, en, zh):
    assert i18n.fmt_money(amount, currency, "million", "en", lower) == en
    assert i18n.fmt_money(amount, currency, "million", "zh-Hant", lower) == zh


def test_fmt_date_precisions():
    assert i18n.fmt_date("2019-07-30", "day", "en") == "30 July 2019"
    assert i18n.fmt_date("2019-07-30", "day", "zh-Hant") == "2019年7月30日"
    assert i18n.fmt_date("2021-08", "month", "en") == "August 2021"
    assert i18n.fmt_date("2021-08", "month", "zh-Hant") == "2021年8月"
    assert i18n.fmt_date("2023", "year", "zh-Hant") == "2023年"


def test_fmt_int_and_pp():
    assert i18n.fmt_int(12345.4, "en") == "12,345"
    assert i18n.fmt_pp(0.12, "en") == "0.12 pp"
    assert i18n.fmt_pp(-0.12, "zh-Hant") == "0.12個百分點"


def test_confidence_marks():
    assert i18n.confidence_mark("verified") == ""
    assert i18n.confidence_mark("secondary") == "†"
    assert i18n.confidence_mark("unverified") == "‡"


def test_join_names():
    assert i18n.join_names(["A", "B", "C"], "en") == "A, B and C"
    assert i18n.join_names(["甲", "乙", "丙"], "zh-Hant") == "甲、乙和丙"


@pytest.mark.parametrize(
    ("name_of", "names_in", "missing"),
    [
        (i18n.region_name, "_region_names", "Region code 'XX' is not in data/regions.csv"),
        (i18n.cluster_name, "_cluster_names", "Cluster code 'XX' is not in data/clusters.csv"),
    ],
)
def test_code_names_come_from_their_code_list(monkeypatch, name_of, names_in, missing):
    # a stand-in code list: the lookup, not the data, is under test here
    monkeypatch.setattr(i18n, names_in, lambda data_dir: {"AB": {"en": "A B", "zh-Hant": "甲乙"}})
    assert name_of("AB", "zh-Hant") == "甲乙"
    assert name_of("AB", "en") == "A B"
    with pytest.raises(i18n.TranslationKeyError) as caught:
        name_of("XX", "zh-Hant")
    assert str(caught.value) == f"{missing} (needed for its zh-Hant name)"
    with pytest.raises(i18n.TranslationKeyError, match="Unknown language 'fr'"):
        name_of("AB", "fr")
