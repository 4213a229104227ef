"""Report 4, ``summary``: a two-page executive brief of the three analyses and the claims check.

``SummaryReport(lang, focus_region, claim_status)``; sections: ``intro`` (the question and the
key figures of the three reports as a grid of boxes, each figure with its confidence mark),
``rd_intensity`` and ``cross_border_funding`` (their headline charts, half width, side by side
when shown from one notebook cell), ``cluster_rankings`` (the bump chart, full width, short),
``claims`` (the "claims checked" table of the source article, findings cut to their first
sentence) and ``sources`` (the publishers of what the brief shows, in one paragraph, and a
pointer to the full reports' "Caveats and sources").

The three analyses come from their own report classes (``summary_points()``,
``summary_chart(compact=True)`` and ``key_figures()``), so a figure in the brief is always the
figure in the full report.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from gba_report import data
from gba_report.present import i18n, narrative
from gba_report.reports import get
from gba_report.reports.base import BaseReport

#: Claim statuses, in display order.
STATUSES = ("confirmed", "corrected", "unverified")

#: Confidence levels, best first (a sentence built from several figures takes the worst).
CONFIDENCES = ("verified", "secondary", "unverified")

#: Publishers named in a chart's source line before "and N more".
SOURCE_LINE_PUBLISHERS = 3

#: Abbreviations after which a full stop does not end an English sentence.
_ABBREVIATIONS = {"prof", "dr", "mr", "ms", "mrs", "no", "st", "vs", "e.g", "i.e", "etc", "inc"}


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

    # ------------------------------------------------------------------ the three analyses
    # The analyses never display anything themselves (show=False): the brief lays out their
    # figures and charts compactly and names their sources in short.
    @cached_property
    def rd(self) -> BaseReport:
        """The R&D-intensity report for the focus region."""
        return get("rd_intensity")(lang=self.lang, focus_region=self.focus, show=False)

    @cached_property
    def funding(self) -> BaseReport:
        """The cross-border funding report with its defaults."""
        return get("cross_border_funding")(lang=self.lang, show=False)

    @cached_property
    def clusters(self) -> BaseReport:
        """The cluster-rankings report with its defaults."""
        return get("cluster_rankings")(lang=self.lang, show=False)

    def _point_confidences(self, report: BaseReport) -> list[str]:
        """Confidence of each of ``report.summary_points()``, in the same order."""
        out: list[str] = []
        if report is self.rd:
            f = self.rd.facts  # type: ignore[attr-defined]
            out += [str(f["intensity_conf"])] if "intensity" in f else []
            out += [str(f["spend_conf"])] if "spend" in f else []
        elif report is self.funding:
            series = self.funding.cumulative_series  # type: ignore[attr-defined]
            if not series.empty:
                out.append(str(series.iloc[-1]["confidence"]))
                out.append(_worst([series.iloc[0]["confidence"], series.iloc[-1]["confidence"]]))
        elif report is self.clusters:
            window = self.clusters.window  # type: ignore[attr-defined]
            codes = [self.clusters.focus, self.clusters.newcomer]  # type: ignore[attr-defined]
            for code in codes:
                rows = window[window["cluster_code"] == code]
                if not rows.empty:
                    out.append(str(rows.sort_values("edition").iloc[-1]["confidence"]))
        return out

    def _box(self, title: str, points: Sequence[str], confidences: Sequence[str]) -> str:
        lines = []
        for i, point in enumerate(points):
            conf = confidences[i] if i < len(confidences) else "verified"
            mark = i18n.confidence_mark(conf) if conf != "verified" else ""
            sup = f'<sup class="gba-mark">{mark}</sup>' if mark else ""
            cls = "gba-kf-lead" if i == 0 else "gba-kf-more"
            lines.append(f'<p class="{cls}">{_text(_sentence(point, self.lang))}{sup}</p>')
        return (
            f'<div class="gba-kf"><p class="gba-kf-title">{_text(title)}</p>'
            + "".join(lines)
            + "</div>"
        )

    # ------------------------------------------------------------------ sections
    def intro(self) -> None:
        """The brief's question and its key figures: one box per analysis and the claims."""
        self.para(self.t("question"))
        boxes, md, confs = [], [], []
        for key, report in (
            ("rd_intensity", self.rd),
            ("cross_border_funding", self.funding),
            ("cluster_rankings", self.clusters),
        ):
            points = report.summary_points()
            if not points:
                continue
            point_confs = self._point_confidences(report)
            confs += point_confs
            boxes.append(self._box(self.t(f"box.{key}"), points, point_confs))
            md += [f"- {_sentence(p, self.lang)}" for p in points]
        claims = self._claims_sentence(self.claim_counts)
        counts = "".join(
            f'<span class="gba-status gba-status-{s}">'
            f"{_text(self.t(f'kf_count.{s}', n=i18n.fmt_int(n, self.lang)))}</span>"
            for s, n in self.claim_counts.items()
        )
        boxes.append(
            f'<div class="gba-kf"><p class="gba-kf-title">{_text(self.t("box.claims"))}</p>'
            f'<p class="gba-kf-lead gba-kf-counts">{counts}</p>'
            f'<p class="gba-kf-more">{_text(_sentence(claims, self.lang))}</p></div>'
        )
        md.append(f"- {_sentence(claims, self.lang)}")
        legend = ""
        if set(confs) - {"verified"}:
            legend = f'<p class="gba-note">{_text(self.c("marks_legend"))}</p>'
        self._keep(
            narrative.html_block(
                f'<div class="gba-kf-grid">{"".join(boxes)}</div>{legend}',
                "\n".join(md),
                show=self.show,
            )
        )

    def _chart(self, report: BaseReport, frame: Callable[[], pd.DataFrame], pair: bool) -> None:
        before = len(report.outputs)
        cited_before = list(report.cited)
        fig = report.summary_chart(compact=True)  # type: ignore[attr-defined]
        if fig is None:
            return
        new = [o for o in report.outputs[before:] if isinstance(o, narrative.Output)]
        caption = next(
            (o.markdown for o in new if o.html.startswith('<p class="gba-caption">')), ""
        )
        ids = narrative.source_ids([c for c in report.cited if c not in cited_before])
        self._show_chart(fig, caption, ids, frame(), pair)

    def _show_chart(
        self, fig: Figure, caption: str, ids: list[str], frame: pd.DataFrame, pair: bool
    ) -> None:
        self._keep(fig)
        self.cite(ids)
        narrative.figure(fig, show=self.show, alt=caption)
        line = self.short_source_text(ids, frame)
        cls = "gba-chart-notes gba-pair-notes" if pair else "gba-chart-notes"
        self._keep(
            narrative.html_block(
                f'<div class="{cls}"><p class="gba-caption">{_text(caption)}</p>'
                f'<p class="gba-source">{_text(line)}</p></div>',
                f"{caption}\n\n{line}",
                show=self.show,
            )
        )

    def publisher(self, source_id: str) -> str:
        """Publisher of a source in the report language (the id if it is not catalogued).

        Args:
            source_id: A ``source_id`` of ``data/sources.csv``.
        """
        catalogue = self._catalogue
        if source_id not in catalogue.index:
            return source_id
        row = catalogue.loc[source_id]
        if self.lang != "en" and str(row.get("publisher_zh_hant", "") or "").strip():
            return str(row["publisher_zh_hant"]).strip()
        return str(row.get("publisher", "") or "").strip() or source_id

    @cached_property
    def _catalogue(self) -> pd.DataFrame:
        return data.load_sources().set_index("source_id")

    def publishers(self, ids: Iterable[str], frame: pd.DataFrame | None = None) -> list[str]:
        """Publishers of the given sources, each once; the main ones first.

        Args:
            ids: Source ids.
            frame: The data table shown; publishers with more verified rows, then more rows
                in it, come first (otherwise: the order of ``ids``).
        """
        names: dict[str, tuple[int, int]] = {}
        weights = _source_weights(frame) if frame is not None else {}
        for sid in dict.fromkeys(ids):
            name = self.publisher(sid)
            v, n = weights.get(sid, (0, 0))
            old = names.get(name, (0, 0))
            names[name] = (old[0] + v, old[1] + n)
        order = list(names)
        if frame is not None:
            order.sort(key=lambda name: (-names[name][0], -names[name][1]))
        return order

    def short_source_text(self, ids: Iterable[str], frame: pd.DataFrame | None = None) -> str:
        """Source line naming the main publishers only ("... and 12 more": see the end).

        Args:
            ids: Source ids behind a chart or table.
            frame: The data table shown (orders the publishers, see :meth:`publishers`).
        """
        names = self.publishers(ids, frame)
        sep = "; " if self.lang == "en" else "；"
        if len(names) <= SOURCE_LINE_PUBLISHERS:
            key = "common.source_prefix" if len(names) == 1 else "common.sources_prefix"
            colon = ": " if self.lang == "en" else "："
            return f"{i18n.tr(self.lang, key)}{colon}{sep.join(names)}"
        return self.t(
            "sources_short",
            names=sep.join(names[:SOURCE_LINE_PUBLISHERS]),
            n=len(names) - SOURCE_LINE_PUBLISHERS,
        )

    def rd_intensity(self) -> None:
        """R&D intensity: the headline chart, half width (paired with the funding chart)."""
        self._chart(self.rd, data.load_rd_intensity, pair=True)

    def cross_border_funding(self) -> None:
        """Cross-border funding: the cumulative chart, half width (paired with R&D intensity)."""
        self._chart(self.funding, data.load_crossborder_funding, pair=True)

    def cluster_rankings(self) -> None:
        """Cluster rankings: the bump chart, full width and short."""
        self._chart(self.clusters, data.load_gii_cluster_ranks, pair=False)

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
        """The "claims checked" table: every claim, its status and what the data says (short).

        The finding is cut to its first sentence (the whole finding is the cell's tooltip in
        HTML and in ``data/article_claims.csv``); figures are never altered.
        """
        self.heading(self._claims_sentence(self.claim_counts))
        frame = self.claims_frame[self.claims_frame["status"].isin(self.claim_status)]
        if frame.empty:
            self.note(self.t("claims_none"))
            return
        en = self.lang == "en"
        findings = frame["finding_en"] if en else frame["finding_zh_hant"]
        rows = pd.DataFrame(
            {
                "claim_id": frame["claim_id"],
                "claim": frame["claim_en"] if en else frame["wording_zh_hant"],
                "value": frame["claimed_value"],
                "status": [
                    f'<span class="gba-status gba-status-{s}">{_text(self.t(f"status.{s}"))}</span>'
                    for s in frame["status"]
                ],
                "finding": [
                    f'<span title="{html.escape(str(full))}">'
                    f"{_text(first_sentence(str(full), self.lang))}</span>"
                    for full in findings
                ],
                "confidence": frame["confidence"],
            }
        )
        columns = {
            "claim_id": self.t("col_id"),
            "claim": self.t("col_claim"),
            "status": self.t("col_status"),
            "finding": self.t("col_finding"),
        }
        self.cite("article_claims")
        self._keep(
            narrative.table(
                rows,
                self.lang,
                columns=columns,
                css_class="gba-claims",
                show=self.show,
                html_cols=("status", "finding"),
            )
        )
        line = self.short_source_text(
            narrative.source_ids("article_claims"), data.load_article_claims()
        )
        self._keep(
            narrative.html_block(
                f'<div class="gba-chart-notes"><p class="gba-caption">'
                f"{_text(self.t('claims_caption'))}</p>"
                f'<p class="gba-source">{_text(line)}</p></div>',
                f"{self.t('claims_caption')}\n\n{line}",
                show=self.show,
            )
        )

    def sources(self, today: dt.date | None = None) -> None:
        """Sources of the brief: one paragraph of publishers and a pointer to the full reports.

        Args:
            today: Date the publishers' release calendars are judged by (default: today).
        """
        overdue = narrative.overdue_releases(list(self.datasets), self.lang, today)
        fresh = " ".join(overdue) if overdue else self.c("freshness_none_due")
        sep = "; " if self.lang == "en" else "、"
        reports = sep.join(
            self.t("report_quoted", title=r.title()) for r in (self.rd, self.funding, self.clusters)
        )
        publishers = self.publishers(narrative.source_ids(self.cited))
        heading = self.t("sources_heading")
        pointer = self.t("sources_pointer", reports=reports, section=self.c("sources_heading"))
        listed = self.t("sources_publishers", n=i18n.fmt_int(len(publishers), self.lang))
        colon, stop = (": ", ".") if self.lang == "en" else ("：", "。")
        pubs = (sep if self.lang == "en" else "；").join(publishers)
        self.heading(heading)
        self._keep(
            narrative.html_block(
                f'<p class="gba-sources-compact">{_text(pointer)} '
                f"{_text(self.c('generated_note'))} {_text(fresh)}</p>"
                f'<p class="gba-sources-compact"><strong>{_text(listed)}</strong>'
                f"{colon}{_text(pubs)}{stop}</p>",
                f"{pointer} {fresh}\n\n{listed}{colon}{pubs}{stop}",
                show=self.show,
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


def _text(text: Any) -> str:
    """Escape running text for HTML (quotes kept as typed, as in the other report blocks)."""
    return html.escape(str(text), quote=False)


def _worst(confidences: Iterable[Any]) -> str:
    """Return the weakest of several confidence levels (``verified`` if none)."""
    ranks = [CONFIDENCES.index(str(c)) for c in confidences if str(c) in CONFIDENCES]
    return CONFIDENCES[max(ranks)] if ranks else "verified"


def _source_weights(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """``{source_id: (verified rows, rows)}`` in a data table (``;``-joined ids: each counted)."""
    rows = frame.assign(
        _sid=frame["source_id"].astype(str).str.split(";"),
        _ok=frame["confidence"].astype(str).eq("verified") if "confidence" in frame else False,
    ).explode("_sid")
    rows["_sid"] = rows["_sid"].str.strip()
    grouped = rows.groupby("_sid")["_ok"].agg(["sum", "size"])
    return {str(k): (int(r["sum"]), int(r["size"])) for k, r in grouped.iterrows()}


def first_sentence(text: str, lang: str) -> str:
    """Return the first sentence of ``text`` (the whole text if it is one sentence).

    A full stop inside brackets or quotes, or after an abbreviation ("Prof."), does not end a
    sentence; in Chinese the sentence ends at the first "。" outside brackets and quotes.

    Args:
        text: Running text.
        lang: ``en`` or ``zh-Hant``.
    """
    text = str(text).strip()
    opening, closing = "(（「《“[", ")）」》”]"
    depth = 0
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch == "。":
            return text[: i + 1]
        elif depth == 0 and ch in ".!?" and lang == "en":
            rest = text[i + 1 :]
            word = re.findall(r"[\w.]+$", text[:i])
            if word and word[0].lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if re.match(r"\s+[A-Z“\"(0-9]", rest):
                return text[: i + 1]
    return text


def _sentence(text: str, lang: str) -> str:
    """End a heading-style text with a full stop (``.`` / ``。``) for running text."""
    text = str(text).strip()
    if re.search(r"[.。!?！？]$", text):
        return text
    return text + ("." if lang == "en" else "。")
