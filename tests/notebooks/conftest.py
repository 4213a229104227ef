"""Fixtures of the report tests: Latin-letter checks, table headers and chart texts."""

import re

import pytest

from gba_report.present.charts import theme

LATIN = re.compile(r"[A-Za-z]")


def _table_headers(report):
    headers = []
    for out in report.outputs:
        html = getattr(out, "html", "")
        headers += [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", html)]
    return headers


def _chart_texts(report):
    texts = []
    for fig in report.figures():
        texts += theme.figure_texts(fig)
    return texts


@pytest.fixture
def table_headers():
    """Function: every <th> text of the tables a report displayed."""
    return _table_headers


@pytest.fixture
def chart_texts():
    """Function: every visible text of every chart a report displayed."""
    return _chart_texts


@pytest.fixture
def no_latin():
    """Function asserting that none of the given texts holds a Latin letter."""

    def check(texts, what):
        bad = [t for t in texts if LATIN.search(t)]
        assert not bad, f"English left in zh-Hant {what}: {bad}"

    return check
