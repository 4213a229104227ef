"""The two report languages: translated strings, place and cluster names, number formats.

API (used by every report module):

- ``LANGS = ("en", "zh-Hant")``.
- ``tr(lang, "<section>.<key>", **fmt)``: the string ``key`` of ``section`` in ``lang``,
  formatted with ``str.format(**fmt)``. Strings live in
  ``src/gba_report/present/locales/<lang>/<section>.yml`` (one YAML mapping per language and
  section; nested mappings give dotted keys, e.g. ``tr("en", "common.confidence.secondary")``).
  A missing key raises :class:`TranslationKeyError` (a ``KeyError``) naming key and language.
- ``keys(lang)``, ``has(lang, key)``: every dotted key of a language / whether one exists.
- ``region_name(code, lang)``, ``cluster_name(code, lang)``: names from ``data/regions.csv`` and
  ``data/clusters.csv`` (``name_en`` / ``name_zh_hant``).
- Number formats (all return ``str``):
  ``fmt_pct(3.6, lang) == "3.60%"``, ``fmt_pct(1.714, lang) == "1.714%"`` (keeps the precision the
  source gave, at least 2 decimals by default);
  ``fmt_pp(0.06, lang)`` percentage points (``"0.06 pp"`` / ``"0.06個百分點"``);
  ``fmt_rmb_100m(5099.6, "en") == "RMB 509.96 bn"``, ``fmt_rmb_100m(5099.6, "zh-Hant") ==
  "5,099.6億元"`` (exact decimal shift, never more or fewer significant decimals than the source);
  ``fmt_money(460, "RMB", "million", lang, lower_bound=True)`` -> ``"over RMB 460 m"`` /
  ``"超過4.6億元人民幣"``; ``fmt_hkd_million(35772, lang)`` -> ``"HK$35.772 bn"`` /
  ``"357.72億港元"``;
  ``fmt_int``, ``fmt_number``, ``fmt_year``, ``fmt_date(iso, precision, lang)``,
  ``confidence_mark(conf)``, ``join_names(names, lang)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gba_report import data, paths
from gba_report.fileio import SAFE_YAML

#: Languages every report is produced in.
LANGS: tuple[str, ...] = ("en", "zh-Hant")

LOCALES_DIR = Path(__file__).resolve().parent / "locales"


class TranslationKeyError(KeyError):
    """A translation key (or language) that the locale files do not define."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise TranslationKeyError(
            f"Unknown language {lang!r}: use one of {', '.join(LANGS)} (the `lang` parameter)."
        )


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = node


@cache
def _strings(lang: str) -> dict[str, Any]:
    _check_lang(lang)
    out: dict[str, Any] = {}
    folder = LOCALES_DIR / lang
    for path in sorted(folder.glob("*.yml")):
        with path.open(encoding="utf-8") as fh:
            content = yaml.load(fh, Loader=SAFE_YAML) or {}
        if not isinstance(content, dict):
            raise ValueError(f"{path}: expected a YAML mapping of keys to strings")
        _flatten(path.stem, content, out)
    return out


def keys(lang: str) -> set[str]:
    """Return every dotted key defined for ``lang``.

    Args:
        lang: ``en`` or ``zh-Hant``.
    """
    return set(_strings(lang))


def has(lang: str, key: str) -> bool:
    """Return whether ``key`` is defined in ``lang``.

    Args:
        lang: ``en`` or ``zh-Hant``.
        key: Dotted key ``"<section>.<key>"``.
    """
    return key in _strings(lang)


def tr(lang: str, key: str, **fmt: Any) -> Any:
    """Return the string ``key`` in ``lang``, formatted with ``fmt``.

    Args:
        lang: ``en`` or ``zh-Hant``.
        key: Dotted key ``"<section>.<key>"`` (``section`` = the YAML file's stem).
        **fmt: Values for ``{placeholders}`` in the string.

    Returns:
        The formatted string (lists and mappings in the YAML are returned as they are).

    Raises:
        TranslationKeyError: The key is not defined for this language, or a placeholder has
            no value.
    """
    strings = _strings(lang)
    try:
        value = strings[key]
    except KeyError:
        section = key.split(".", 1)[0]
        raise TranslationKeyError(
            f"Missing translation key {key!r} for language {lang!r}: add it to "
            f"src/gba_report/present/locales/{lang}/{section}.yml"
        ) from None
    if isinstance(value, str) and fmt:
        try:
            return value.format(**fmt)
        except KeyError as exc:
            raise TranslationKeyError(
                f"Translation {key!r} ({lang}) needs a value for placeholder {exc.args[0]!r}"
            ) from None
    return value


# --------------------------------------------------------------------------- names


def _names(frame: pd.DataFrame, code_col: str) -> dict[str, dict[str, str]]:
    return {
        str(row[code_col]): {"en": str(row["name_en"]), "zh-Hant": str(row["name_zh_hant"])}
        for _, row in frame.iterrows()
    }


@lru_cache(maxsize=4)
def _region_names(_data_dir: str) -> dict[str, dict[str, str]]:
    return _names(data.load_regions(), "region_code")


@lru_cache(maxsize=4)
def _cluster_names(_data_dir: str) -> dict[str, dict[str, str]]:
    return _names(data.load_clusters(), "cluster_code")


def _codelist_name(
    names_in: Callable[[str], dict[str, dict[str, str]]], what: str, csv: str, code: str, lang: str
) -> str:
    """The ``lang`` name of ``code`` in a code list of ``data/`` (``names_in(data folder)``)."""
    _check_lang(lang)
    names = names_in(str(paths.data_dir()))
    if code not in names:
        raise TranslationKeyError(
            f"{what} code {code!r} is not in data/{csv} (needed for its {lang} name)"
        )
    return names[code][lang]


def region_name(code: str, lang: str) -> str:
    """Return the name of a region (province, city, economy...) in ``lang``.

    Args:
        code: ``region_code`` from ``data/regions.csv`` (e.g. ``GD``, ``HK``, ``KOR``).
        lang: ``en`` or ``zh-Hant``.

    Raises:
        TranslationKeyError: The code is not in the region codelist.
    """
    return _codelist_name(_region_names, "Region", "regions.csv", code, lang)


def cluster_name(code: str, lang: str) -> str:
    """Return the name of a GII cluster in ``lang``.

    Args:
        code: ``cluster_code`` from ``data/clusters.csv``.
        lang: ``en`` or ``zh-Hant``.

    Raises:
        TranslationKeyError: The code is not in the cluster codelist.
    """
    return _codelist_name(_cluster_names, "Cluster", "clusters.csv", code, lang)


def join_names(names: Iterable[str], lang: str) -> str:
    """Join names as a list in running text ("A, B and C" / "A、B和C").

    Args:
        names: The names, in order.
        lang: ``en`` or ``zh-Hant``.
    """
    items = [str(n) for n in names]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if lang == "en":
        return ", ".join(items[:-1]) + " and " + items[-1]
    return "、".join(items[:-1]) + "和" + items[-1]


# --------------------------------------------------------------------------- numbers


def _decimal(x: float | int | str | Decimal) -> Decimal:
    """Shortest exact decimal for a number as the source gave it (``3.6`` -> ``3.6``)."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, float):  # also numpy floats, whose repr is "np.float64(...)"
        return Decimal(repr(float(x)))
    if hasattr(x, "item"):  # numpy integers
        x = x.item()
    return Decimal(str(x))


def source_decimals(x: float | int | str | Decimal) -> int:
    """Return how many decimals a value carries as given (``3.6`` -> 1, ``1.714`` -> 3).

    Args:
        x: The value, as read from the data.
    """
    d = _decimal(x).normalize()
    exp = d.as_tuple().exponent
    return max(0, -int(exp)) if isinstance(exp, int) else 0


def _group(d: Decimal, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return f"{d.quantize(q):,}" if decimals > 0 else f"{d.quantize(q):,.0f}"


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x: float | int, lang: str, decimals: int | None = None) -> str:
    """Format a number with thousands separators (same style in both languages).

    Args:
        x: The number.
        lang: ``en`` or ``zh-Hant``.
        decimals: Decimals to show; ``None`` keeps the decimals the value carries.
    """
    _check_lang(lang)
    if _is_missing(x):
        return tr(lang, "common.not_available")
    d = _decimal(x)
    return _group(d, source_decimals(d) if decimals is None else decimals)


def fmt_int(x: float | int, lang: str) -> str:
    """Format a whole number with thousands separators (``12,345``).

    Args:
        x: The number (rounded to an integer).
        lang: ``en`` or ``zh-Hant``.
    """
    return fmt_number(round(x) if not _is_missing(x) else x, lang, 0)


def fmt_year(year: int | float, lang: str) -> str:
    """Format a year (``2024`` / ``2024年``).

    Args:
        year: The year.
        lang: ``en`` or ``zh-Hant``.
    """
    _check_lang(lang)
    return str(int(year)) if lang == "en" else f"{int(year)}年"


def fmt_pct(x: float, lang: str, decimals: int | None = None, min_decimals: int = 2) -> str:
    """Format a percentage, keeping the precision the source gave.

    ``fmt_pct(3.6, "en") == "3.60%"`` and ``fmt_pct(1.714, "en") == "1.714%"``.

    Args:
        x: The value in percent (``3.6`` means 3.6 %).
        lang: ``en`` or ``zh-Hant`` (same format in both).
        decimals: Fixed number of decimals; ``None`` keeps the source's decimals.
        min_decimals: Fewest decimals when ``decimals`` is ``None`` (2 suits R&D intensities).
    """
    _check_lang(lang)
    if _is_missing(x):
        return tr(lang, "common.not_available")
    d = _decimal(x)
    n = max(source_decimals(d), min_decimals) if decimals is None else decimals
    return f"{_group(d, n)}%"


def fmt_pp(x: float, lang: str, decimals: int = 2) -> str:
    """Format a difference in percentage points (``+0.06 pp`` / ``0.06個百分點``).

    Args:
        x: The difference in percentage points (sign kept in English).
        lang: ``en`` or ``zh-Hant``.
        decimals: Decimals shown.
    """
    _check_lang(lang)
    value = _group(abs(_decimal(round(x, decimals))), decimals)
    if lang == "en":
        return f"{value} pp"
    return f"{value}個百分點"


def _shift(d: Decimal, places: int) -> Decimal:
    """Exact decimal shift (``places`` > 0 multiplies by 10**places)."""
    return d.scaleb(places)


def fmt_rmb_100m(x: float, lang: str, decimals: int | None = None) -> str:
    """Format an amount in RMB 100 million (億元) for a reader.

    English uses billions (1 bn = 10 億), shifting the decimal point exactly, so the result
    carries the same digits as the source: 5099.6 -> ``RMB 509.96 bn``; zh-Hant keeps 億元:
    ``5,099.6億元``.

    Args:
        x: Amount in RMB 100 million (億元), as in ``rd_expenditure_rmb_100m``.
        lang: ``en`` or ``zh-Hant``.
        decimals: Decimals of the source value; ``None`` infers them from the value.
    """
    _check_lang(lang)
    if _is_missing(x):
        return tr(lang, "common.not_available")
    d = _decimal(x)
    n = source_decimals(d) if decimals is None else decimals
    if lang == "en":
        return f"RMB {_group(_shift(d, -1), n + 1)} bn"
    return f"{_group(d, n)}億元"


_CURRENCY = {
    "en": {"RMB": "RMB {v}", "HKD": "HK${v}", "MOP": "MOP {v}", "": "{v}"},
    "zh-Hant": {"RMB": "{v}元人民幣", "HKD": "{v}港元", "MOP": "{v}澳門元", "": "{v}"},
}
_ZH_UNIT = {"RMB": "元人民幣", "HKD": "港元", "MOP": "澳門元", "": ""}


def _plain(d: Decimal) -> str:
    """Decimal without exponent or trailing zeros, with thousands separators."""
    d = d.normalize()
    n = source_decimals(d)
    return _group(d, n)


def fmt_money(
    amount: float,
    currency: str,
    unit: str,
    lang: str,
    lower_bound: bool = False,
) -> str:
    """Format a money amount idiomatically (``over RMB 460 m`` / ``超過4.6億元人民幣``).

    Digits are shifted exactly (no rounding): RMB 3.1696 m is ``316.96萬元人民幣``; RMB 38 m is
    ``3,800萬元人民幣``; RMB 1,000 m is ``RMB 1 bn`` / ``10億元人民幣``.

    Args:
        amount: The amount in ``unit``.
        currency: ``RMB``, ``HKD``, ``MOP`` or ``""``.
        unit: ``million`` (as in the data), ``100m`` (億) or ``one``.
        lang: ``en`` or ``zh-Hant``.
        lower_bound: The source says "over" (adds "over" / "超過").
    """
    _check_lang(lang)
    if _is_missing(amount):
        return tr(lang, "common.not_available")
    scale = {"million": 6, "100m": 8, "one": 0, "": 0}.get(unit)
    if scale is None:
        raise ValueError(f"Unknown amount unit {unit!r}: use million, 100m or one")
    ones = _shift(_decimal(amount), scale)
    if lang == "en":
        if abs(ones) >= Decimal(10) ** 9:
            text = f"{_plain(_shift(ones, -9))} bn"
        elif abs(ones) >= Decimal(10) ** 6:
            text = f"{_plain(_shift(ones, -6))} m"
        else:
            text = _plain(ones)
        text = _CURRENCY["en"][currency].format(v=text)
        return f"over {text}" if lower_bound else text
    if abs(ones) >= Decimal(10) ** 8:
        text = f"{_plain(_shift(ones, -8))}億"
    elif abs(ones) >= Decimal(10) ** 4:
        text = f"{_plain(_shift(ones, -4))}萬"
    else:
        text = _plain(ones)
    text += _ZH_UNIT[currency]
    return f"超過{text}" if lower_bound else text


def fmt_hkd_million(x: float, lang: str) -> str:
    """Format an amount in HK$ million (``HK$35.772 bn`` / ``357.72億港元``).

    Args:
        x: Amount in HK$ million, as in ``gerd_hkd_million``.
        lang: ``en`` or ``zh-Hant``.
    """
    return fmt_money(x, "HKD", "million", lang)


_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


def fmt_date(iso: str, precision: str, lang: str) -> str:
    """Format a date of given precision (``July 2019`` / ``2019年7月``).

    Args:
        iso: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        precision: ``year``, ``month`` or ``day``.
        lang: ``en`` or ``zh-Hant``.
    """
    _check_lang(lang)
    parts = str(iso).strip().split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 and precision in ("month", "day") else None
    day = int(parts[2]) if len(parts) > 2 and precision == "day" else None
    if lang == "en":
        if day is not None and month is not None:
            return f"{day} {_MONTHS_EN[month - 1]} {year}"
        if month is not None:
            return f"{_MONTHS_EN[month - 1]} {year}"
        return str(year)
    text = f"{year}年"
    if month is not None:
        text += f"{month}月"
    if day is not None:
        text += f"{day}日"
    return text


#: Marks put beside figures whose confidence is not "verified".
CONFIDENCE_MARKS = {"verified": "", "secondary": "†", "unverified": "‡"}


def confidence_mark(conf: str) -> str:
    """Return the mark for a confidence level (``""``, ``"†"`` secondary, ``"‡"`` unverified).

    Args:
        conf: ``verified``, ``secondary`` or ``unverified``.
    """
    return CONFIDENCE_MARKS.get(str(conf), "‡")
