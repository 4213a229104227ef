"""The title block of a built report: parameters shown in the reader's language.

The build (main process) calls :func:`display_parameters` for each report x language and puts
the result in ``nb.metadata.gba_report["parameter_rows"]``; the HTML template renders the
title block with :func:`title_block_html` (registered as the Jinja filter ``gba_title_block``
by :func:`gba_report.engine.worker.export_html`).

Readers see a label per parameter (``common.params.<name>`` in the locale files) and a readable
value: region and cluster names, dates, Yes/No, currency and claim-status names. The exact
machine-readable ``name=value`` pairs stay in the page as the ``data-params`` attribute of the
parameters line (and in manifest.json), not shown.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from gba_report.present import i18n

#: Parameters not shown to readers (the document language is obvious).
HIDDEN_PARAMETERS = frozenset({"lang"})

#: Parameters whose values are labelled by an existing locale mapping: name -> key prefix.
VALUE_LABELS = {
    "claim_status": "summary.status",
    "currency": "common.param_values.currency",
}

#: Titles of the title block's lines when the build gives none.
DEFAULT_LABELS = {
    "en": {"date": "Date", "data_version": "Data version", "parameters": "Parameters"},
    "zh-Hant": {"date": "日期", "data_version": "數據版本", "parameters": "參數"},
}


def _lang(lang: str) -> str:
    return lang if lang in i18n.LANGS else "en"


def param_label(name: str, lang: str) -> str:
    """Return the reader-facing label of a parameter (``focus_region`` -> ``焦點地區``).

    Args:
        name: Parameter name as declared in the notebook.
        lang: ``en`` or ``zh-Hant``.

    Returns:
        ``common.params.<name>`` from the locale files, else the name itself.
    """
    key = f"common.params.{name}"
    lang = _lang(lang)
    return str(i18n.tr(lang, key)) if i18n.has(lang, key) else name


def _provider(name: str, param: Any) -> str | None:
    provider = getattr(param, "provider", None)
    if provider:
        return str(provider)
    if name == "currency":
        return "currencies"
    return None


def _lookup(lookup: Any, code: str, lang: str) -> str | None:
    try:
        return str(lookup(code, lang))
    except (KeyError, ValueError, OSError):  # unknown code, or no such codelist (DataError)
        return None


def _one_value(name: str, value: Any, param: Any, lang: str) -> str:
    if isinstance(value, bool):
        return str(i18n.tr(lang, f"common.param_values.{'true' if value else 'false'}"))
    if value is None:
        return str(i18n.tr(lang, "common.not_available"))
    text = str(value)
    provider = _provider(name, param)
    if provider == "regions":
        return _lookup(i18n.region_name, text, lang) or text
    if provider == "clusters":
        return _lookup(i18n.cluster_name, text, lang) or text
    prefix = VALUE_LABELS["currency"] if provider == "currencies" else None
    prefix = prefix or VALUE_LABELS.get(name, f"common.param_values.{name}")
    if i18n.has(lang, f"{prefix}.{text}"):
        return str(i18n.tr(lang, f"{prefix}.{text}"))
    if getattr(param, "is_date", False) or (param is None and name == "as_of"):
        try:
            return i18n.fmt_date(text, "day", lang)
        except (ValueError, IndexError):
            return text
    if isinstance(value, str) and (param is None or getattr(param, "choices", None)):
        # a code from a literal list (or an undeclared value): a known code reads as a name
        for lookup in (i18n.region_name, i18n.cluster_name):
            named = _lookup(lookup, text, lang)
            if named is not None:
                return named
    return text


def param_value(name: str, value: Any, lang: str, param: Any = None) -> str:
    """Return a parameter value as readers should see it.

    Args:
        name: Parameter name.
        value: The value the notebook ran with (lists of codes allowed).
        lang: ``en`` or ``zh-Hant``.
        param: The declared :class:`gba_report.engine.params.Param` (its provider and date flag say
            how to read the value), or ``None``.

    Returns:
        Region and cluster names, ``是``/``否`` (``Yes``/``No``), currency and claim-status
        names, dates as ``2025年12月31日`` / ``31 December 2025``; list items joined with
        ``、`` (zh-Hant) or ``, `` (en).
    """
    lang = _lang(lang)
    if isinstance(value, list | tuple):
        sep = "、" if lang == "zh-Hant" else ", "
        return sep.join(_one_value(name, v, param, lang) for v in value)
    return _one_value(name, value, param, lang)


def display_parameters(
    parameters: Mapping[str, Any], lang: str, declared: Mapping[str, Any] | None = None
) -> list[list[str]]:
    """Return ``[[label, value], ...]`` for the title block, in declaration order.

    Args:
        parameters: The values the notebook ran with (``lang`` is left out).
        lang: ``en`` or ``zh-Hant``.
        declared: The notebook's declared parameters (``name -> Param``), or ``None``.
    """
    declared = declared or {}
    return [
        [param_label(name, lang), param_value(name, value, lang, declared.get(name))]
        for name, value in parameters.items()
        if name not in HIDDEN_PARAMETERS
    ]


def raw_parameters(parameters: Mapping[str, Any]) -> str:
    """Return the exact ``name=value`` pairs (lists comma-joined), ``; ``-separated.

    Args:
        parameters: Parameter values, or the build's already comma-joined strings.
    """
    return "; ".join(
        f"{k}={','.join(map(str, v)) if isinstance(v, list | tuple) else v}"
        for k, v in parameters.items()
    )


def _date(iso: Any, lang: str) -> str:
    try:
        return i18n.fmt_date(str(iso), "day", lang)
    except (ValueError, IndexError):
        return "" if iso is None else str(iso)


def _date(iso: Any, lang: str) -> str:
    if not iso:
        return ""
    try:
        return i18n.fmt_date(str(iso), "day", lang)
    except (ValueError, IndexError):
        return str(iso)


def title_block_html(meta: Mapping[str, Any]) -> str:
    """Render the title block (``<header class="gba-title-block">``) of a report.

    Args:
        meta: ``nb.metadata.gba_report``: ``title``, ``lang``, ``date``, ``data_version``,
            ``parameters`` (machine values), ``parameter_rows`` (``[[label, value], ...]``
            from :func:`display_parameters`); ``labels`` optionally overrides the defaults.

    Returns:
        HTML. Only the ``data-params`` attribute holds the raw parameter names and codes.
    """
    esc = html.escape
    lang = _lang(str(meta.get("lang", "en")))
    labels = {**DEFAULT_LABELS[lang], **(meta.get("labels") or {})}
    parameters = meta.get("parameters") or {}
    rows = meta.get("parameter_rows")
    if rows is None:
        rows = display_parameters(parameters, lang)
    colon = "：" if lang == "zh-Hant" else ": "
    sep = "；" if lang == "zh-Hant" else "; "
    items = sep.join(
        f'<span class="gba-param"><span class="gba-param-label">{esc(str(label))}</span>'
        f"{colon}{esc(str(value))}</span>"
        for label, value in rows
    )
    return (
        '<header class="gba-title-block">\n'
        f'  <h1 class="gba-title">{esc(str(meta.get("title", "")))}</h1>\n'
        '  <dl class="gba-meta">\n'
        f"    <div><dt>{esc(labels['date'])}</dt>"
        f"<dd>{esc(_date(meta.get('date'), lang))}</dd></div>\n"
        f"    <div><dt>{esc(labels['data_version'])}</dt>"
        f'<dd><code class="gba-data-version">{esc(str(meta.get("data_version", "")))}</code>'
        "</dd></div>\n"
        f'    <div class="gba-params"><dt>{esc(labels["parameters"])}</dt>'
        f'<dd data-params="{esc(raw_parameters(parameters))}">{items}</dd></div>\n'
        "  </dl>\n"
        "</header>"
    )
