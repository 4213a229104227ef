"""Report 4, ``summary``: a two-page executive brief of the three analyses and the claims check.

``SummaryReport(lang, focus_region, claim_status)``; sections: ``intro`` (key figures of the
three reports), ``rd_intensity``, ``cross_border_funding``, ``cluster_rankings`` (each: a
heading stating the finding, the report's headline chart, caption and source line),
``claims`` (the "claims checked" table of the source article), ``sources``.

The three analyses come from their own report classes (``summary_points()``,
``summary_chart()`` and ``key_figures()``), so a figure in the brief is always the figure in
the full report.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import pandas as pd

from gba_report import data, narrative
from gba_report.reports import get
from gba_report.reports.base import BaseReport

SUMMARY_CSS = (
    "<style>.jp-RenderedSVG svg, .jp-RenderedSVG img, .jp-RenderedImage img "
    "{ width: 80% !important; height: auto !important; }</style>"
)

#: Claim statuses, in display order.
STATUSES = ("confirmed", "corrected", "unverified")


class SummaryReport(BaseReport):
    """Executive brief: key figures, one chart per analysis, the source article's claims checked.

    Args:
        lang: ``en`` or ``zh-Hant``.
        focus_region: Focus region of the R&D analysis (default Guangdong).
        claim_status: Claim statuses shown in the claims table.
        show: Display outputs (False in tests).
    """

    name = "summary"
    datasets = (
        "rd_intensity",
        "crossborder_funding",
        "shared_facilities",
        "gii_cluster_ranks",
        "article_claims",
    )

    def __init__(
        self,
        lang: str = "en",
        focus_region: str = "GD",
        claim_status: Sequence[str] = STATUSES,
        show: bool = True,
    ) -> None:
        super().__init__(lang=lang, show=show)
        unknown = [s for s in claim_status if s not in STATUSES]
        if unknown:
            raise ValueError(f"Unknown claim status {unknown}: use {', '.join(STATUSES)}")
        self.focus = focus_region
        self.claim_status = list(claim_status)
        # a brief: charts at 80 % of the text width so each analysis fits a third of a page
        self._keep(narrative.raw_html(SUMMARY_CSS, show=show))

    # ------------------------------------------------------------------ the three analyses
    @cached_property
    def rd(self) -> BaseReport:
        """The R&D-intensity report for the focus region."""
        return get("rd_intensity")(lang=self.lang, focus_region=self.focus, show=self.show)

    @cached_property
    def funding(self) -> BaseReport:
        """The cross-border funding report with its defaults."""
        return get("cross_border_funding")(lang=self.lang, show=self.show)

    @cached_property
    def clusters(self) -> BaseReport:
        """The cluster-rankings report with its defaults."""
        return get("cluster_rankings")(lang=self.lang, show=self.show)

    def _section(self, report: BaseReport, number: int) -> None:
        points = report.summary_points()
        if points:
            self.heading(points[0])
            rest = points[1:]
            if rest:
                self.para(
                    (" " if self.lang == "en" else "").join(_sentence(p, self.lang) for p in rest)
                )
        fig = report.summary_chart()
        if fig is not None:
            self.outputs.append(fig)
        # the sub-report displayed its caption/source; keep them for tests and the sources list
        self.outputs += [o for o in report.outputs if isinstance(o, narrative.Output)]
        self.cite(report.cited)

    # ------------------------------------------------------------------ sections
    def intro(self) -> None:
        """The brief's question and its key figures (one bullet per analysis)."""
        self.para(self.t("question"))
        items = []
        for report in (self.rd, self.funding, self.clusters):
            points = report.summary_points()
            if points:
                items.append(_sentence(points[0], self.lang))
        counts = self.claim_counts
        items.append(_sentence(self._claims_sentence(counts), self.lang))
        self.bullets(items)

    def rd_intensity(self) -> None:
        """R&D intensity: headline finding and chart."""
        self._section(self.rd, 1)

    def cross_border_funding(self) -> None:
        """Cross-border funding: headline finding and chart."""
        self._section(self.funding, 2)

    def cluster_rankings(self) -> None:
        """Cluster rankings: headline finding and chart."""
        self._section(self.clusters, 3)

    @cached_property
    def claims_frame(self) -> pd.DataFrame:
        """The article's claims in numeric order (C1, C2, ... C23)."""
        claims = data.load_article_claims()
        order = claims["claim_id"].str.extract(r"(\d+)")[0].astype(int)
        return claims.assign(_n=order).sort_values("_n").drop(columns="_n")

    @cached_property
    def claim_counts(self) -> dict[str, int]:
        """Number of claims per status."""
        counts = self.claims_frame["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    def _claims_sentence(self, counts: dict[str, int]) -> str:
        return self.t(
            "claims_heading",
            n=sum(counts.values()),
            confirmed=counts["confirmed"],
            corrected=counts["corrected"],
            unverified=counts["unverified"],
        )

    def claims(self) -> None:
        """The "claims checked" table: every claim, its status and what the data says."""
        self.heading(self._claims_sentence(self.claim_counts))
        frame = self.claims_frame[self.claims_frame["status"].isin(self.claim_status)]
        if frame.empty:
            self.note(self.t("claims_none"))
            return
        en = self.lang == "en"
        # the claimed value is part of the wording, so the table shows the claim, the status
        # and what the data says
        rows = pd.DataFrame(
            {
                "claim_id": frame["claim_id"],
                "claim": frame["claim_en"] if en else frame["wording_zh_hant"],
                "value": frame["claimed_value"],
                "status": [
                    f'<span class="gba-status-{s}">{html.escape(self.t(f"status.{s}"))}</span>'
                    for s in frame["status"]
                ],
                "finding": frame["finding_en"] if en else frame["finding_zh_hant"],
                "confidence": frame["confidence"],
            }
        )
        columns = {
            "claim_id": self.t("col_id"),
            "claim": self.t("col_claim"),
            "status": self.t("col_status"),
            "finding": self.t("col_finding"),
        }
        self.table(
            rows,
            columns,
            sources="article_claims",
            caption=self.t("claims_caption"),
            html_cols=("status",),
            css_class="gba-claims",
        )

    def sources(self, max_data_age_days: int | None = None) -> None:
        """Sources of the brief (caveats are in each full report)."""
        self._keep(
            narrative.sources_section(
                list(self.datasets),
                self.lang,
                max_data_age_days,
                show=self.show,
                used_sources=self.cited or None,
                caveats=False,
                intro=self.t("sources_intro"),
                compact=True,
            )
        )

    # ------------------------------------------------------------------ manifest
    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Key figures of the three analyses plus the claim counts."""
        out: dict[str, dict[str, Any]] = {}
        for report in (self.rd, self.funding, self.clusters):
            try:
                out.update(report.key_figures())
            except NotImplementedError:  # pragma: no cover - every report implements it
                continue
        for status, n in self.claim_counts.items():
            out[f"claims_{status}"] = {
                "value": n,
                "unit": "claims",
                "label": self.t(f"kf_claims.{status}"),
            }
        return out


def _sentence(text: str, lang: str) -> str:
    """End a heading-style text with a full stop (``.`` / ``。``) for running text."""
    text = str(text).strip()
    if re.search(r"[.。!?！？]$", text):
        return text
    return text + ("." if lang == "en" else "。")
