"""The ``cluster_rankings`` report: the GBA in the WIPO Global Innovation Index cluster ranking.

Notebook usage (one call per cell)::

    report = ClusterRankingsReport(lang=lang, highlight=highlight, first_edition=...,
                                   last_edition=..., top_n=top_n)
    report.intro()
    report.rank_trajectories()
    report.methodology()
    report.top_table()
    report.patents_vs_publications()
    report.metric_shares()
    report.clusters_per_economy()
    report.macao_zhuhai()
    report.economy_ranks()
    report.sources()
    keyfigures.record("cluster_rankings", lang, report.key_figures())

Every number in the text is computed from ``gii_*`` tables at run time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from gba_report import data
from gba_report.analysis import clusters as ci
from gba_report.present import i18n, plots, plots_b
from gba_report.reports.base import BaseReport

#: ISO2 economy code (as in the GII sources) -> region code used for the fixed chart colours.
ISO2_COLOR_CODE = {
    "CN": "CN",
    "US": "USA",
    "DE": "DEU",
    "JP": "JPN",
    "KR": "KOR",
    "GB": "GBR",
    "IN": "IND",
    "FR": "FRA",
    "CH": "CHE",
    "HK": "HK",
}

#: Economies of the economy-level GII chart, in display order (ISO3, as in the data).
DEFAULT_ECONOMIES = ("CHN", "HKG", "JPN", "KOR", "USA", "CHE")

#: Economies drawn in the clusters-per-economy chart (the largest counts), at most this many.
MAX_ECONOMIES = 7


def ordinal(n: int, lang: str) -> str:
    """Ordinal of a rank (``1st``, ``2nd``, ``11th``, ``22nd`` / ``第1位``).

    Args:
        n: The rank.
        lang: ``en`` or ``zh-Hant``.
    """
    n = int(n)
    if lang == "en":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return i18n.tr(lang, "cluster_rankings.ordinal", n=n, suffix=suffix)
    return i18n.tr(lang, "cluster_rankings.ordinal", n=n)


class ClusterRankingsReport(BaseReport):
    """WIPO GII cluster ranks, shares and economy ranks for the Greater Bay Area and peers.

    Args:
        lang: ``en`` or ``zh-Hant``.
        highlight: Cluster codes drawn in colour (the first GBA cluster among them is the
            report's focus).
        first_edition: First GII edition shown.
        last_edition: Last GII edition shown.
        top_n: Size of the top-N table and of the bump chart's main panel.
        show: Display outputs (False in tests).
    """

    name = "cluster_rankings"
    datasets = (
        "gii_cluster_ranks",
        "gii_methodology",
        "gii_clusters_per_economy",
        "gii_economy_ranks",
        "clusters",
    )

    def __init__(
        self,
        lang: str = "en",
        highlight: Sequence[str] | None = None,
        first_edition: int = 2017,
        last_edition: int = 2025,
        top_n: int = 10,
        show: bool = True,
    ) -> None:
        super().__init__(lang=lang, show=show)
        if first_edition > last_edition:
            raise ValueError(
                f"first_edition ({first_edition}) must not be after last_edition ({last_edition})"
            )
        self.first = int(first_edition)
        self.last = int(last_edition)
        self.top_n = int(top_n)
        known = set(self.clusters["cluster_code"])
        if highlight is None:  # the GBA clusters and the latest top 5
            latest = self.window.loc[self.window["edition"] == self.window["edition"].max()]
            highlight = [*self.gba_codes, *latest.nsmallest(5, "rank")["cluster_code"]]
        unknown = [c for c in highlight if c not in known]
        if unknown:
            raise ValueError(
                f"unknown cluster code(s) in highlight: {', '.join(unknown)}; see data/clusters.csv"
            )
        self.highlight = list(dict.fromkeys(highlight))
        self._facts: dict[str, dict[str, Any]] = {}

    # ------------------------------------------------------------------ data
    @cached_property
    def clusters(self) -> pd.DataFrame:
        """The cluster code list."""
        return data.load_clusters()

    @cached_property
    def ranks(self) -> pd.DataFrame:
        """Cluster ranks, all editions."""
        return data.load_gii_cluster_ranks()

    @cached_property
    def window(self) -> pd.DataFrame:
        """Cluster ranks of the editions shown."""
        return ci.editions_between(self.ranks, self.first, self.last)

    @cached_property
    def methodology_table(self) -> pd.DataFrame:
        """Methodology changes."""
        return data.load_gii_methodology()

    @cached_property
    def per_economy(self) -> pd.DataFrame:
        """Top-100 clusters per economy."""
        return data.load_gii_clusters_per_economy()

    @cached_property
    def economy_ranks_table(self) -> pd.DataFrame:
        """Economy-level GII ranks."""
        return data.load_gii_economy_ranks()

    @cached_property
    def gba_codes(self) -> list[str]:
        """GBA cluster codes, the one with most ranks first."""
        gba = self.clusters.loc[self.clusters["is_gba"].astype(bool), "cluster_code"].tolist()
        counts = self.ranks["cluster_code"].value_counts()
        return sorted(gba, key=lambda c: (-int(counts.get(c, 0)), c))

    @cached_property
    def focus(self) -> str:
        """The focus cluster: the first highlighted GBA cluster ranked in the window."""
        in_window = set(self.window["cluster_code"])
        for code in [*self.highlight, *self.gba_codes]:
            if code in self.gba_codes and code in in_window:
                return code
        for code in [*self.highlight, *self.window.sort_values("rank")["cluster_code"]]:
            if code in in_window:
                return code
        raise ValueError(f"no cluster has a rank between {self.first} and {self.last}")

    @cached_property
    def latest(self) -> int:
        """Latest edition shown that has ranks."""
        return int(self.window["edition"].max())

    # ------------------------------------------------------------------ helpers
    def ord(self, n: int) -> str:
        """Ordinal of a rank in the report language."""
        return ordinal(n, self.lang)

    def economy(self, iso2: str, in_text: bool = False) -> str:
        """Name of an economy given by its ISO2 code (as in the GII sources).

        Args:
            iso2: The code.
            in_text: The name goes into running text ("the United States").
        """
        if in_text and i18n.has(self.lang, f"{self.name}.economies_in_text.{iso2}"):
            return self.t(f"economies_in_text.{iso2}")
        key = f"economies.{iso2}"
        return self.t(key) if i18n.has(self.lang, f"{self.name}.{key}") else iso2

    def economies_of(self, cluster_code: str) -> str:
        """Economies of a cluster, e.g. ``China / Hong Kong``."""
        codes = self.clusters.set_index("cluster_code").loc[cluster_code, "economy_codes"]
        sep = " / " if self.lang == "en" else "／"
        return sep.join(self.economy(c) for c in str(codes).split("/"))

    def share(self, x: float) -> str:
        """A share in percent with the precision the source gave (at least one decimal)."""
        return i18n.fmt_pct(x, self.lang, min_decimals=1)

    def _fact(self, key: str, value: Any, unit: str) -> None:
        self._facts[key] = {"value": value, "unit": unit, "label": self.t(f"key.{key}")}

    def _cluster_label(self, row: pd.Series) -> str:
        name = self.cluster(row["cluster_code"])
        return name + (self.t("inferred_suffix") if bool(row.get("is_inferred", False)) else "")

    # ------------------------------------------------------------------ sections
    def intro(self) -> None:
        """Title-level lede: what the ranking measures and the editions covered."""
        vc = self.ranks.loc[self.ranks["vc_deals_share_pct"].notna(), "edition"]
        vc_first = int(vc.min()) if not vc.empty else self.last
        self.para(self.t("intro", first=self.first, last=self.last, vc_first=vc_first))

    def rank_heading_text(self) -> str:
        """The headline: the focus cluster's latest rank against its earlier ranks."""
        story = ci.rank_story(self.ranks, self.focus, self.first, self.last)
        common = {
            "cluster": self.cluster(self.focus),
            "rank": self.ord(story.latest_rank),
            "edition": story.latest_edition,
        }
        if story.previous_last is None:
            return self.t("heading_rank_only", **common)
        if story.same_rank_every_previous_edition and story.previous_ranks[0] == story.latest_rank:
            return self.t("heading_rank_steady", p_first=story.previous_first, **common)
        if story.same_rank_every_previous_edition and story.previous_editions_found > 1:
            return self.t(
                "heading_rank_same_before",
                prev=self.ord(story.previous_ranks[0]),
                p_first=story.previous_first,
                p_last=story.previous_last,
                **common,
            )
        prev_rank = int(ci.rank_history(self.window, self.focus).iloc[-2])
        key = (
            "heading_rank_up"
            if story.latest_rank < prev_rank
            else "heading_rank_down"
            if story.latest_rank > prev_rank
            else "heading_rank_same"
        )
        return self.t(key, prev=self.ord(prev_rank), prev_edition=story.previous_last, **common)

    def bump_figure(self) -> Figure:
        """The bump chart of rank trajectories (returned, not displayed)."""
        highlight = self.highlight or [self.focus]
        frame = ci.bump_frame(self.ranks, self.first, self.last, self.top_n, highlight)
        marks = {
            edition: self.t(f"method_short.{code}")
            for edition, code in ci.annotated_changes(
                self.methodology_table, self.first, self.last
            ).items()
        }
        return plots_b.bump_chart(
            frame,
            {c: self.cluster(c) for c in highlight},
            self.first,
            self.last,
            self.top_n,
            marks,
            xlabel=self.t("axis_edition"),
            ylabel=self.t("axis_rank"),
            others_label=self.t("bump_others"),
            inferred_label=self.t("bump_inferred"),
            lower_label=self.t("bump_lower_panel", n=self.top_n),
        )

    def rank_trajectories(self) -> None:
        """Heading with the focus cluster's rank story, the bump chart and the caveat."""
        self.heading(self.rank_heading_text())
        self.para(self.t("bump_text", n=self.top_n))
        highlight = self.highlight or [self.focus]
        frame = ci.bump_frame(self.ranks, self.first, self.last, self.top_n, highlight)
        fig = self.bump_figure()
        self.figure(
            fig,
            self.t("bump_caption", n=self.top_n),
            "gii_cluster_ranks",
            frame["confidence"].tolist(),
        )
        self.note(self.t("caveat_comparability"))
        return None

    def methodology(self) -> None:
        """Table of the methodology changes of the editions shown."""
        rows = ci.method_changes(self.methodology_table, self.first, self.last)
        desc = "description_en" if self.lang == "en" else "description_zh_hant"
        table = pd.DataFrame(
            {
                "edition": rows["edition"].astype(int).astype(str),
                "change": rows[desc],
                "confidence": rows["confidence"],
            }
        )
        self.heading(self.t("method_heading"), level=3)
        self.table(
            table,
            {"edition": self.t("col_edition"), "change": self.t("col_change")},
            sources="gii_methodology",
            caption=self.t("method_caption"),
        )

    def top_table(self) -> None:
        """The latest edition's top-N table with shares and confidence marks."""
        edition = self.latest
        complete = ci.max_complete_top_n(self.ranks, edition)
        n = min(self.top_n, complete) if complete else self.top_n
        rows = ci.top_n(self.ranks, edition, n)
        if rows.empty:
            return
        leader = self.cluster(rows.iloc[0]["cluster_code"])
        econ = self.clusters.set_index("cluster_code")["economy_codes"]
        groups: dict[str, int] = {}
        for code in rows["cluster_code"]:
            first_econ = str(econ.get(code, "")).split("/")[0]
            groups[first_econ] = groups.get(first_econ, 0) + 1
        top = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        parts = self.names(
            [
                self.t("top_heading_part", count=c, economy=self.economy(e, in_text=True))
                for e, c in top
            ]
        )
        self.heading(self.t("top_heading", leader=leader, edition=edition, n=n, parts=parts))
        if n < self.top_n:
            self.note(self.t("top_limited", n=n, edition=edition))
        shares = {
            "pct": "pct_share_pct",
            "pub": "publications_share_pct",
            "vc": "vc_deals_share_pct",
        }
        table = pd.DataFrame(
            {
                "rank": rows["rank"].astype(int).astype(str),
                "cluster": [self._cluster_label(r) for _, r in rows.iterrows()],
                "economy": [self.economies_of(c) for c in rows["cluster_code"]],
                **{
                    k: [("" if pd.isna(v) else self.share(float(v))) for v in rows[col]]
                    for k, col in shares.items()
                },
                "confidence": rows["confidence"],
            }
        )
        columns = {
            "rank": self.t("col_rank"),
            "cluster": self.t("col_cluster"),
            "economy": self.t("col_economy"),
            "pct": self.t("col_pct_share"),
            "pub": self.t("col_pub_share"),
            "vc": self.t("col_vc_share"),
        }
        # drop share columns that are empty for every row of this edition
        for k in list(shares):
            if (table[k] == "").all():
                del columns[k]
        self.table(
            table,
            columns,
            sources=sorted({s for ids in rows["source_id"] for s in str(ids).split(";")}),
            caption=self.t("top_caption", n=n, edition=edition),
            align={"rank": "right", "pct": "right", "pub": "right", "vc": "right"},
        )

    def counts_figure(self) -> tuple[Figure | None, pd.DataFrame, int | None]:
        """Scatter of PCT applications against publications (latest edition with counts)."""
        edition = ci.latest_edition_with_counts(self.window)
        if edition is None:
            return None, pd.DataFrame(), None
        rows = ci.counts_for_edition(self.window, edition)
        rows = rows.assign(label=[self.cluster(c) for c in rows["cluster_code"]])
        fig = plots_b.scatter_labelled(
            rows,
            "pct_applications_count",
            "scientific_publications_count",
            "label",
            "cluster_code",
            self.highlight or [self.focus],
            xlabel=self.t("counts_axis_x"),
            ylabel=self.t("counts_axis_y"),
        )
        return fig, rows, edition

    def patents_vs_publications(self) -> None:
        """Heading with the count leaders, the labelled scatter and its caption."""
        fig, rows, edition = self.counts_figure()
        if fig is None:
            self.note(self.t("counts_missing"))
            return None
        pct_top = rows.loc[rows["pct_applications_count"].astype(float).idxmax()]
        pub_top = rows.loc[rows["scientific_publications_count"].astype(float).idxmax()]
        focus = rows.loc[rows["cluster_code"] == self.focus]
        focus_row = focus.iloc[0] if not focus.empty else rows.iloc[0]
        self.heading(
            self.t(
                "counts_heading",
                edition=edition,
                pct_leader=self.cluster(pct_top["cluster_code"]),
                pct_max=i18n.fmt_int(float(pct_top["pct_applications_count"]), self.lang),
                pub_leader=self.cluster(pub_top["cluster_code"]),
                pub_max=i18n.fmt_int(float(pub_top["scientific_publications_count"]), self.lang),
                focus=self.cluster(focus_row["cluster_code"]),
                focus_pct=i18n.fmt_int(float(focus_row["pct_applications_count"]), self.lang),
                focus_pub=i18n.fmt_int(
                    float(focus_row["scientific_publications_count"]), self.lang
                ),
            )
        )
        self.figure(
            fig,
            self.t("counts_caption", edition=edition),
            sorted({s for ids in rows["source_id"] for s in str(ids).split(";")}),
            rows["confidence"].tolist(),
        )
        return None

    def shares_figure(self) -> tuple[Figure | None, pd.DataFrame, int | None]:
        """Grouped bars of the shares by metric (latest edition with VC shares)."""
        edition = ci.latest_edition_with_shares(self.window)
        if edition is None:
            edition = ci.latest_edition_with_shares(self.window, "pct_share_pct")
        if edition is None:
            return None, pd.DataFrame(), None
        long = ci.shares_long(self.window, edition)
        metric_labels = {m: self.t(f"metric.{m}") for m in ci.SHARE_COLUMNS}
        fig = plots_b.grouped_barh_with_na(
            long,
            {c: self.cluster(c) for c in long["cluster_code"].unique()},
            metric_labels,
            xlabel=self.t("shares_axis"),
            na_text=self.c("not_available"),
            value_fmt=self.share,
        )
        return fig, long, edition

    def metric_shares(self) -> None:
        """Heading with the focus cluster's shares, the grouped bars and the VC comparison."""
        fig, long, edition = self.shares_figure()
        if fig is None:
            self.note(self.t("shares_missing"))
            return None
        wide = long.pivot(index="cluster_code", columns="metric", values="share_pct")
        focus = self.focus if self.focus in wide.index else wide.index[0]
        vals = {m: wide.loc[focus, m] for m in ci.SHARE_COLUMNS}
        self.heading(
            self.t(
                "shares_heading",
                edition=edition,
                focus=self.cluster(focus),
                pct=self.share(vals["pct_share_pct"]),
                pub=self.share(vals["publications_share_pct"]),
                vc=self.share(vals["vc_deals_share_pct"]),
            )
        )
        is_main = focus == self.gba_codes[0]
        if is_main and not pd.isna(vals["pct_share_pct"]):
            self._fact("gba_cluster_pct_share_pct", float(vals["pct_share_pct"]), "%")
        if not pd.isna(vals["vc_deals_share_pct"]):
            if is_main:
                self._fact("gba_cluster_vc_share_pct", float(vals["vc_deals_share_pct"]), "%")
            # compare with the best-ranked other cluster whose VC share is known
            ranks = long.drop_duplicates("cluster_code").set_index("cluster_code")["rank"]
            others = [
                c
                for c in ranks.sort_values().index
                if c != focus and not pd.isna(wide.loc[c, "vc_deals_share_pct"])
            ]
            if others:
                other = others[0]
                a, b = vals["vc_deals_share_pct"], wide.loc[other, "vc_deals_share_pct"]
                key = "shares_vc_compare" if a > b else "shares_vc_compare_below"
                self.para(self.t(key, a=self.share(a), b=self.share(b), other=self.cluster(other)))
        self.figure(
            fig,
            self.t("shares_caption", edition=edition),
            "gii_cluster_ranks",
            long["confidence"].tolist(),
        )
        return None

    def per_economy_figure(self) -> tuple[Figure, pd.DataFrame]:
        """Line chart of top-100 clusters per economy (gaps where a count was not found)."""
        counts = ci.editions_between(self.per_economy, self.first, self.last)
        wide = ci.per_economy_wide(counts)
        latest = wide.iloc[-1].dropna().sort_values(ascending=False, kind="stable")
        wide = wide[list(latest.index[:MAX_ECONOMIES])]
        fig = plots_b.lines_with_gaps(
            wide,
            {c: self.economy(c) for c in wide.columns},
            {c: ISO2_COLOR_CODE.get(c, c) for c in wide.columns},
            xlabel=self.t("axis_edition"),
            ylabel=self.t("axis_clusters"),
            highlight=["CN"],
        )
        return fig, counts

    def clusters_per_economy(self) -> None:
        """Heading with the latest leader and when China first outnumbered the US; the chart."""
        fig, counts = self.per_economy_figure()
        latest = int(counts["edition"].max())
        last_rows = counts.loc[counts["edition"] == latest].sort_values(
            ["count", "economy_code"], ascending=[False, True]
        )
        lead, second = last_rows.iloc[0], last_rows.iloc[1]
        self._fact(
            "cn_clusters_top100_latest",
            int(last_rows.set_index("economy_code")["count"].get("CN", 0)),
            "clusters",
        )
        self.heading(
            self.t(
                "per_economy_heading",
                leader=self.economy(lead["economy_code"], in_text=True),
                count=int(lead["count"]),
                edition=latest,
                second=self.economy(second["economy_code"], in_text=True),
                second_count=int(second["count"]),
            )
        )
        year = ci.first_edition_ahead(counts, lead["economy_code"], second["economy_code"])
        if year is not None and year > int(counts["edition"].min()):
            self.para(
                self.t(
                    "per_economy_ahead",
                    leader=self.economy(lead["economy_code"], in_text=True),
                    other=self.economy(second["economy_code"], in_text=True),
                    year=year,
                )
            )
        caption = self.t("per_economy_caption")
        # a count on another basis (e.g. China's 2019 figure with Hong Kong and Taiwan) is named
        shared = counts.loc[counts["counts_with"].fillna("").astype(str) != ""]
        for row in shared.itertuples():
            caption += self.t(
                "per_economy_counts_with",
                economy=self.economy(row.economy_code, in_text=True),
                edition=int(row.edition),
                others=self.names(
                    self.economy(c, in_text=True) for c in row.counts_with.split("/")
                ),
            )
        self.figure(fig, caption, "gii_clusters_per_economy", counts["confidence"].tolist())
        return None

    @cached_property
    def newcomer(self) -> str | None:
        """The GBA cluster that entered the ranking last (Macao–Zhuhai), None if only one."""
        others = [c for c in self.gba_codes if c in set(self.window.cluster_code)]
        if len(others) < 2:
            return None
        firsts = {
            c: int(self.window.loc[self.window.cluster_code == c, "edition"].min()) for c in others
        }
        return max(others, key=lambda c: (firsts[c], c))

    def macao_zhuhai(self) -> None:
        """Heading and table on the GBA's second cluster's entry (2024 inferred, 2025)."""
        code = self.newcomer
        if code is None:
            return
        e = ci.entry(self.window, code)
        name = self.cluster(code)
        first_rank = self.ord(e.first_rank) + (
            self.t("inferred_inline") if e.first_is_inferred else ""
        )
        self._fact("macao_zhuhai_rank_latest", e.latest_rank, "rank")
        if e.first_is_inferred:
            self._fact("macao_zhuhai_rank_first", e.first_rank, "rank")
        if e.first_edition == e.latest_edition:
            self.heading(
                self.t(
                    "macao_heading_one",
                    cluster=name,
                    latest=e.latest_edition,
                    latest_rank=self.ord(e.latest_rank)
                    + (self.t("inferred_suffix") if e.latest_is_inferred else ""),
                )
            )
        else:
            self.heading(
                self.t(
                    "macao_heading",
                    cluster=name,
                    first=e.first_edition,
                    first_rank=first_rank,
                    latest=e.latest_edition,
                    latest_rank=self.ord(e.latest_rank),
                )
            )
            if e.first_is_inferred:
                self.para(
                    self.t(
                        "macao_text",
                        cluster=name,
                        gained=e.places_gained,
                        latest_rank=self.ord(e.latest_rank),
                    )
                )
        rows = self.window.loc[self.window.cluster_code == code].sort_values("edition")
        table = pd.DataFrame(
            {
                "edition": rows["edition"].astype(int).astype(str),
                "rank": [
                    self.ord(r) + (self.t("inferred_suffix") if inf else "")
                    for r, inf in zip(rows["rank"], rows["is_inferred"], strict=True)
                ],
                "confidence": rows["confidence"],
            }
        )
        self.table(
            table,
            {"edition": self.t("col_edition"), "rank": self.t("col_rank")},
            sources=sorted({s for ids in rows["source_id"] for s in str(ids).split(";")}),
            caption=self.t("macao_caption", cluster=name),
        )

    def economy_figure(self) -> tuple[Figure, pd.DataFrame]:
        """Line chart of economy-level GII ranks (inverted; gaps where not found)."""
        wide = ci.economy_rank_wide(
            self.economy_ranks_table, DEFAULT_ECONOMIES, self.first, self.last
        )
        fig = plots_b.lines_with_gaps(
            wide,
            {c: self.region(c) for c in wide.columns},
            {c: c for c in wide.columns},
            xlabel=self.t("axis_edition"),
            ylabel=self.t("axis_gii_rank"),
            invert=True,
            highlight=["CHN", "HKG"],
        )
        return fig, wide

    def economy_ranks(self) -> None:
        """Heading with China's and Hong Kong's economy ranks; the chart."""
        fig, wide = self.economy_figure()
        first = ci.rank_change(wide, "CHN")
        hk = wide["HKG"].dropna() if "HKG" in wide else pd.Series(dtype=float)
        if first is not None and not hk.empty:
            f_ed, f_rank, l_ed, l_rank = first
            self._fact("china_gii_rank_latest", l_rank, "rank")
            self._fact("hong_kong_gii_rank_latest", int(hk.iloc[-1]), "rank")
            key = "economy_heading" if l_rank <= f_rank else "economy_heading_down"
            self.heading(
                self.t(
                    key,
                    first_econ=self.region("CHN"),
                    first_rank=self.ord(f_rank),
                    first_ed=f_ed,
                    last_rank=self.ord(l_rank),
                    last_ed=l_ed,
                    second_econ=self.region("HKG"),
                    second_rank=self.ord(int(hk.iloc[-1])),
                    second_ed=int(hk.index[-1]),
                )
            )
        rows = ci.editions_between(self.economy_ranks_table, self.first, self.last)
        self.figure(
            fig,
            self.t("economy_caption"),
            "gii_economy_ranks",
            rows["confidence"].tolist(),
        )
        return None

    def sources(self, today: dt.date | None = None) -> None:  # type: ignore[override]
        """Display the closing "Caveats and sources" section.

        Returns nothing, so a notebook cell does not display the section a second time.
        """
        super().sources(today)

    # ------------------------------------------------------------------ summary hooks
    def summary_points(self) -> list[str]:
        """Two or three sentences with computed numbers for the executive summary."""
        points = [self.rank_heading_text()]
        if self.newcomer is not None:
            e = ci.entry(self.window, self.newcomer)
            points.append(
                self.t(
                    "macao_heading_one",
                    cluster=self.cluster(self.newcomer),
                    latest=e.latest_edition,
                    latest_rank=self.ord(e.latest_rank),
                )
            )
        return points

    def summary_chart(self, compact: bool = False) -> Figure:
        """Display the bump chart with caption and source (for the summary); return it.

        Args:
            compact: Full text width but short (for the two-page brief).
        """
        fig = self.bump_figure()
        if compact:
            fig.set_size_inches(*plots.BRIEF_FULL_IN)
        highlight = self.highlight or [self.focus]
        frame = ci.bump_frame(self.ranks, self.first, self.last, self.top_n, highlight)
        return self.figure(
            fig,
            self.t("bump_caption", n=self.top_n),
            "gii_cluster_ranks",
            frame["confidence"].tolist(),
        )

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Key figures for the build manifest (computed if the sections were not run)."""
        # always the GBA's main cluster (Shenzhen–Hong Kong–Guangzhou), whatever the focus
        main = self.gba_codes[0]
        if main in set(self.window["cluster_code"]):
            story = ci.rank_story(self.ranks, main, self.first, self.last)
            self._fact("gba_cluster_rank_latest", story.latest_rank, "rank")
            self._fact("gba_cluster_edition_latest", story.latest_edition, "edition")
        if self.newcomer is not None and "macao_zhuhai_rank_latest" not in self._facts:
            e = ci.entry(self.window, self.newcomer)
            self._fact("macao_zhuhai_rank_latest", e.latest_rank, "rank")
        return dict(self._facts)
