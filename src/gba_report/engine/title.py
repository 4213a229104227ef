"""The title block of a built report: title, date, data version and parameters, in its language.

The build (main process) makes a :class:`ReportMeta` for each report x language; it travels to
the worker and into ``nb.metadata.gba_report`` of the executed notebook, and the HTML template
renders it with :func:`title_block_html` (the Jinja filter ``gba_title_block``, registered by
:func:`gba_report.engine.export.export_html`).

Readers see a label per parameter (``common.params.<name>`` in the locale files) and a readable
value: region and cluster names, dates, Yes/No, currency and claim-status names. The exact
machine-readable ``name=value`` pairs stay in the page as the ``data-params`` attribute of the
parameters line (and in manifest.json), not shown. Every other word comes from
``locales/<lang>/engine.yml``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from gba_report.engine.params import Param
from gba_report.present import i18n

#: Parameters not shown to readers (the document language is obvious).
HIDDEN_PARAMETERS = frozenset({"lang"})

#: Parameters whose values are labelled by an existing locale mapping: name -> key prefix.
VALUE_LABELS = {
    "claim_status": "summary.status",
    "currency": "common.param_values.currency",
}


@dataclass(frozen=True)
class ReportMeta:
    """What the title block shows, stored as ``nb.metadata.gba_report``.

    Attributes:
        report: Report name.
        lang: Report language.
        title: Report title in that language.
        date: Build date (ISO).
        data_version: :func:`gba_report.data.data_version` of the build.
        parameters: The exact values the notebook ran with (lists stay lists).
        parameter_rows: ``[[label, value], ...]`` as readers see them.
    """

    report: str
    lang: str
    title: str
    date: str
    data_version: str
    parameters: dict[str, Any]
    parameter_rows: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON mapping the notebook metadata and the template hold."""
        return asdict(self)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> ReportMeta:
        """Read a mapping written by :meth:`to_dict`."""
        return cls(**{k: value[k] for k in cls.__dataclass_fields__})


def _text(lang: str, key: str) -> str:
    return str(i18n.tr(lang, f"engine.title_block.{key}"))


def param_label(name: str, lang: str) -> str:
    """Return the reader-facing label of a parameter (``focus_region`` -> ``焦點地區``).

    Args:
        name: Parameter name as declared in the notebook.
        lang: ``en`` or ``zh-Hant``.

    Returns:
        ``common.params.<name>`` from the locale files, else the name itself.
    """
    key = f"common.params.{name}"
    return str(i18n.tr(lang, key)) if i18n.has(lang, key) else name


def _provider(name: str, param: Param | None) -> str | None:
    if param is not None and param.provider:
        return param.provider
    if name == "currency":
        return "currencies"
    return None


def _name_or_none(lookup: Any, code: str, lang: str) -> str | None:
    """A code's name from a code list, or None when the list does not have the code.

    Only "not in the code list" falls back; an unreadable code list is an error.
    """
    try:
        return str(lookup(code, lang))
    except i18n.TranslationKeyError:
        return None


def _one_value(name: str, value: Any, param: Param | None, lang: str) -> str:
    if isinstance(value, bool):
        return str(i18n.tr(lang, f"common.param_values.{'true' if value else 'false'}"))
    if value is None:
        return str(i18n.tr(lang, "common.not_available"))
    text = str(value)
    provider = _provider(name, param)
    if provider == "regions":
        return _name_or_none(i18n.region_name, text, lang) or text
    if provider == "clusters":
        return _name_or_none(i18n.cluster_name, text, lang) or text
    prefix = VALUE_LABELS["currency"] if provider == "currencies" else None
    prefix = prefix or VALUE_LABELS.get(name, f"common.param_values.{name}")
    if i18n.has(lang, f"{prefix}.{text}"):
        return str(i18n.tr(lang, f"{prefix}.{text}"))
    if (param is not None and param.is_date) or (param is None and name == "as_of"):
        return _date(text, lang)
    if isinstance(value, str) and (param is None or param.choices):
        # a code from a literal list (or an undeclared value): a known code reads as a name
        for lookup in (i18n.region_name, i18n.cluster_name):
            named = _name_or_none(lookup, text, lang)
            if named is not None:
                return named
    return text


def param_value(name: str, value: Any, lang: str, param: Param | None = None) -> str:
    """Return a parameter value as readers should see it.

    Args:
        name: Parameter name.
        value: The value the notebook ran with (lists of codes allowed).
        lang: ``en`` or ``zh-Hant``.
        param: The declared parameter (its provider and date flag say how to read the
            value), or ``None``.

    Returns:
        Region and cluster names, ``是``/``否`` (``Yes``/``No``), currency and claim-status
        names, dates as ``2025年12月31日`` / ``31 December 2025``; list items joined with
        ``engine.title_block.list_separator`` (``、`` / ``, ``).
    """
    if isinstance(value, list | tuple):
        return _text(lang, "list_separator").join(_one_value(name, v, param, lang) for v in value)
    return _one_value(name, value, param, lang)


def display_parameters(
    parameters: Mapping[str, Any], lang: str, declared: Mapping[str, Param] | None = None
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
    if not iso:
        return ""
    try:
        return i18n.fmt_date(str(iso), "day", lang)
    except (ValueError, IndexError):  # not an ISO date: show it as given
        return str(iso)


def title_block_html(meta: Mapping[str, Any]) -> str:
    """Render the title block (``<header class="gba-title-block">``) of a report.

    Args:
        meta: ``nb.metadata.gba_report`` (:meth:`ReportMeta.to_dict`); ``parameter_rows`` may be
            left out, then they are made from ``parameters``.

    Returns:
        HTML. Only the ``data-params`` attribute holds the raw parameter names and codes.
    """
    esc = html.escape
    lang = str(meta["lang"])
    parameters = meta.get("parameters") or {}
    rows = meta.get("parameter_rows")
    if rows is None:
        rows = display_parameters(parameters, lang)
    colon = _text(lang, "label_separator")
    items = _text(lang, "item_separator").join(
        f'<span class="gba-param"><span class="gba-param-label">{esc(str(label))}</span>'
        f"{colon}{esc(str(value))}</span>"
        for label, value in rows
    )
    return (
        '<header class="gba-title-block">\n'
        f'  <h1 class="gba-title">{esc(str(meta.get("title", "")))}</h1>\n'
        '  <dl class="gba-meta">\n'
        f"    <div><dt>{esc(_text(lang, 'date'))}</dt>"
        f"<dd>{esc(_date(meta.get('date'), lang))}</dd></div>\n"
        f"    <div><dt>{esc(_text(lang, 'data_version'))}</dt>"
        f'<dd><code class="gba-data-version">{esc(str(meta.get("data_version", "")))}</code>'
        "</dd></div>\n"
        f'    <div class="gba-params"><dt>{esc(_text(lang, "parameters"))}</dt>'
        f'<dd data-params="{esc(raw_parameters(parameters))}">{items}</dd></div>\n'
        "  </dl>\n"
        "</header>"
    )
