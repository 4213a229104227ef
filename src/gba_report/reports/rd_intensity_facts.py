"""Sentences of the ``rd_intensity`` lede and headline that need care: ranks, growth, basis.

Part of :mod:`gba_report.reports.rd_intensity_sections`. A rank is stated with its own year and
number of peers (spending and intensity can be of different years; a rank among fewer than two
is no rank), a growth rate across two releases says so, and China's intensity beside the
focus's is named with its basis.
"""

from __future__ import annotations

from gba_report.analysis import rd
from gba_report.reports.base import BaseReport


def rank_texts(report: BaseReport, f: rd.FocusFacts, prefix: str) -> list[str]:
    """The focus's ranks as key-figure bullets (``prefix`` ``kf``) or sentences (``headline``).

    One text for both ranks when they are of one year among the same number of peers.
    """
    spend = (f.rank_spend, f.n_spend, f.spend.year) if f.rank_spend and f.spend else None
    inten = None
    if f.rank_intensity and f.intensity is not None:
        inten = (f.rank_intensity, f.n_intensity, f.intensity.year)
    if spend and inten and spend[1:] == inten[1:]:
        key = "kf_rank" if prefix == "kf" else "headline_rank"
        rank, n, year = spend
        return [report.t(key, year=report.year(year), rank=rank, n=n, rank_intensity=inten[0])]
    texts = []
    for kind, rank in (("spend", spend), ("intensity", inten)):
        if rank is not None:
            texts.append(
                report.t(
                    f"{prefix}_rank_{kind}", rank=rank[0], n=rank[1], year=report.year(rank[2])
                )
            )
    return texts


def growth_text(report: BaseReport, f: rd.FocusFacts, prefix: str) -> str:
    """Growth of spending on the year before; across two releases it says so ("" without)."""
    if f.growth_pct is None or f.spend is None or f.spend_previous is None:
        return ""
    key = f"{prefix}_growth_mixed" if f.growth_mixed else f"{prefix}_growth"
    return report.t(
        key,
        value=report.pct(f.growth_pct, 1),
        year=report.year(f.spend.year),
        prev_year=report.year(f.spend_previous.year),
    )


def basis_text(report: BaseReport, f: rd.FocusFacts) -> str:
    """The basis on which the focus and China are compared ("" when the change states it)."""
    if f.cn_intensity is None or not f.basis:
        return ""
    if f.change is not None and f.change.basis == f.basis and f.cn_revised is None:
        return ""  # the change sentence names the basis
    text = report.t("cn_same_basis", basis=report.t(f"basis.{f.basis}"))
    if f.cn_revised is not None:
        sep = " " if report.lang == "en" else ""
        text += sep + report.t(
            "cn_revised",
            year=report.year(f.cn_revised.year),
            value=report.pct(f.cn_revised.value),
            basis=report.t(f"basis.{f.cn_revised_basis}"),
        )
    return text
