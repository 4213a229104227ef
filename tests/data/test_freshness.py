"""Freshness as the publishers define it: release calendars, judged on a clock the test sets."""

from __future__ import annotations

import datetime as dt

from gba_report import data
from gba_report.present import narrative

DEC = dt.date(2026, 12, 1)
JUN = dt.date(2026, 6, 1)


def _overdue(today: dt.date) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name in data.dataset_names():
        for status in data.release_status(name, today=today):
            if status.is_overdue:
                out.setdefault(status.calendar_id, set()).add(name)
    return out


def test_on_1_december_2026_the_2025_communique_and_gii_2026_are_flagged() -> None:
    lines = data.freshness_warnings(today=DEC)
    nbs = [
        ln for ln in lines if ln.startswith("rd_intensity:") and "全国科技经费投入统计公报" in ln
    ]
    assert len(nbs) == 1 and "for 2025, expected by 2026-09-30" in nbs[0]
    assert "latest in the data: 2024" in nbs[0]
    gii = [ln for ln in lines if "gii_cluster_ranks" in ln.split(":")[0]]
    assert len(gii) == 1 and "Global Innovation Index for 2026, expected by 2026-09-30" in gii[0]
    # one line for the publication, naming every table it feeds
    assert gii[0].startswith("gii_cluster_ranks, gii_methodology, gii_economy_ranks")
    overdue = _overdue(DEC)
    assert {"nbs_rd_communique", "wipo_gii"} <= set(overdue)
    # C&SD publishes about late December: not yet due on 1 December
    assert "csd_innovation" not in overdue


def test_on_1_june_2026_neither_is_flagged() -> None:
    lines = data.freshness_warnings(today=JUN)
    assert not any("全国科技经费投入统计公报" in ln for ln in lines)
    assert not any("Global Innovation Index" in ln for ln in lines)
    assert lines == []


def test_last_updated_and_next_expected_per_dataset() -> None:
    statuses = {s.calendar_id: s for s in data.release_status("rd_intensity", today=JUN)}
    nbs = statuses["nbs_rd_communique"]
    assert (nbs.latest_period, nbs.next_period) == ("2024", "2025")
    assert nbs.next_expected == dt.date(2026, 9, 30) and not nbs.is_overdue
    assert statuses["other_releases"].kind == "none" and not statuses["other_releases"].is_overdue
    hk = data.release_status("hk_gerd_by_sector", today=DEC)[0]
    assert (hk.latest_period, hk.next_expected) == ("2024", dt.date(2025 + 1, 12, 31))
    wb = data.release_status("rd_intensity_worldbank", today=DEC)[0]
    assert wb.kind == "database" and wb.latest_period == "2025-07"
    assert wb.next_expected == dt.date(2026, 7, 1) and wb.is_overdue


def test_sources_section_shows_the_calendar_and_the_overdue_release() -> None:
    en = narrative.sources_section(["rd_intensity"], "en", today=DEC).html
    assert "the 2025 edition was expected by" in en and "gba-warning" in en
    calm = narrative.sources_section(["rd_intensity"], "en", today=JUN).html
    assert "the 2025 edition is expected by" in calm and "gba-warning" not in calm
    zh = narrative.sources_section(["rd_intensity"], "zh-Hant", today=DEC).html
    assert "2025年版預計已於" in zh
