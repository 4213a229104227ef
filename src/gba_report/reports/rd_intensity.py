"""Report 1, ``rd_intensity``: how much the focus region spends on R&D, and how hard it pushes.

``RDIntensityReport(lang, focus_region, comparators, top_provinces, start_year, end_year)``;
one method per notebook section, each displaying a heading that states the finding, one chart
or table, its caption and source line, and a caveat where the data has one:

``intro``, ``headline``, ``intensity_over_time``, ``international``, ``spend_by_province``,
``share_of_china``, ``growth``, ``cities``, ``hk_by_sector``, ``target``, ``sources``;
``key_figures()`` returns the figures recorded in the build manifest; ``summary_chart()`` and
``summary_points()`` are used by the executive brief.

Series choice: one series per region and chart, the first available in
:data:`SERIES_PREFERENCE` (NBS first releases for China and provinces, C&SD for Hong Kong,
the World Bank for other economies), so a line never mixes two statistical sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from gba_report import data
from gba_report.analysis import indicators
from gba_report.present import i18n, plots
from gba_report.reports.base import BaseReport

#: Which series represents a region, in order of preference.
SERIES_PREFERENCE: tuple[str, ...] = (
    "nbs_first_release",
    "provincial_release",
    "csd",
    "city_release",
    "worldbank_wdi",
    "national_release",
    "oecd_msti_rounded",
)
#: Region types treated as domestic peers (chart of China, provinces, SARs, cities).
DOMESTIC_TYPES = ("country", "province", "sar", "city", "city_group")
#: Region types drawn on the international chart.
INTERNATIONAL_TYPES = ("country", "economy", "aggregate")
#: HK GERD sectors, bottom to top.
SECTORS = ("business", "higher_education", "government")
NATIONAL = "CN"


class RDIntensityReport(BaseReport):
    """R&D expenditure and intensity of a focus region against China and the world.

    Args:
        lang: ``en`` or ``zh-Hant``.
        focus_region: Region code of the focus (default Guangdong, ``GD``).
        comparators: Region codes compared with the focus (China, SARs, economies...).
        top_provinces: Leading provinces by R&D intensity in the latest year to show (0: none).
        start_year: First year shown.
        end_year: Last year shown.
        show: Display outputs (False in tests).
    """

    name = "rd_intensity"
    datasets = ("rd_intensity", "rd_intensity_worldbank", "hk_gerd_by_sector", "targets")

    def __init__(
        self,
        lang: str = "en",
        focus_region: str = "GD",
        comparators: Sequence[str] = ("CN", "HK", "MO", "KOR", "ISR", "USA", "JPN", "DEU", "GBR"),
        top_provinces: int = 3,
        start_year: int = 2010,
        end_year: int = 2024,
        show: bool = True,
    ) -> None:
        super().__init__(lang=lang, show=show)
        if start_year > end_year:
            raise ValueError(f"start_year ({start_year}) must not be after end_year ({end_year})")
        self.focus = focus_region
        self.comparators = [c for c in comparators if c != focus_region]
        self.top_n = int(top_provinces)
        self.start_year = int(start_year)
        self.end_year = int(end_year)
        regions = data.load_regions()
        known = set(regions["region_code"])
        unknown = [c for c in [focus_region, *self.comparators] if c not in known]
        if unknown:
            raise ValueError(f"Unknown region code(s) {unknown}: see data/regions.csv")
        self.region_types = dict(zip(regions["region_code"], regions["region_type"], strict=True))
        self.parents = dict(zip(regions["region_code"], regions["parent_code"], strict=True))
        self.is_gba = dict(zip(regions["region_code"], regions["is_gba"], strict=True))
        if "targets" not in data.dataset_names():
            self.datasets = tuple(d for d in self.datasets if d != "targets")

    # ------------------------------------------------------------------ data
    @cached_property
    def rd(self) -> pd.DataFrame:
        """All R&D rows within the year window (all series)."""
        df = data.load_rd_intensity()
        return df[df["year"].between(self.start_year, self.end_year)].copy()

    def series_of(self, code: str, value: str = "rd_intensity_pct_gdp") -> pd.DataFrame:
        """Rows of the preferred series of ``code`` that have ``value``, sorted by year."""
        rows = self.rd[(self.rd["region_code"] == code) & self.rd[value].notna()]
        for series in SERIES_PREFERENCE:
            part = rows[rows["series"] == series]
            if len(part):
                return part.sort_values("year")
        return rows.iloc[0:0]

    def _latest(self, code: str, value: str) -> pd.Series | None:
        part = self.series_of(code, value)
        return None if part.empty else part.iloc[-1]

    @cached_property
    def focus_name(self) -> str:
        """Name of the focus region."""
        return self.region(self.focus)

    @cached_property
    def peers(self) -> pd.DataFrame:
        """Rows of the focus's peers (same region type, same series as the focus)."""
        kind = self.region_types[self.focus]
        series = self.series_of(self.focus, "rd_expenditure_rmb_100m")
        if series.empty:
            series = self.series_of(self.focus)
        if series.empty:
            return self.rd.iloc[0:0]
        name = series["series"].iloc[0]
        codes = [c for c, t in self.region_types.items() if t == kind]
        return self.rd[(self.rd["series"] == name) & self.rd["region_code"].isin(codes)].copy()

    def rank_in(self, year: int, value: str) -> tuple[int | None, int]:
        """Rank of the focus among its peers in ``year`` by ``value`` and number of peers."""
        part = self.peers[(self.peers["year"] == year) & self.peers[value].notna()]
        if part.empty or self.focus not in set(part["region_code"]):
            return None, len(part)
        ranks = indicators.rank_within(part, value)
        rank = ranks[part["region_code"] == self.focus].iloc[0]
        return int(rank), len(part)

    @cached_property
    def leading_provinces(self) -> list[str]:
        """The top provinces by R&D intensity in the latest year with data (focus excluded)."""
        if self.top_n <= 0:
            return []
        provinces = [c for c, t in self.region_types.items() if t == "province"]
        rows = self.rd[
            self.rd["region_code"].isin(provinces)
            & (self.rd["series"] == SERIES_PREFERENCE[0])
            & self.rd["rd_intensity_pct_gdp"].notna()
            & (self.rd["region_code"] != self.focus)
        ]
        if rows.empty:
            return []
        latest = rows[rows["year"] == rows["year"].max()]
        top = latest.sort_values("rd_intensity_pct_gdp", ascending=False)
        return top["region_code"].head(self.top_n).tolist()

    @cached_property
    def facts(self) -> dict[str, Any]:
        """The focus's headline numbers (latest year with spend / intensity)."""
        f: dict[str, Any] = {}
        spend = self.series_of(self.focus, "rd_expenditure_rmb_100m")
        inten = self.series_of(self.focus)
        if not inten.empty:
            last = inten.iloc[-1]
            f.update(
                intensity=float(last["rd_intensity_pct_gdp"]),
                intensity_year=int(last["year"]),
                intensity_conf=str(last["confidence"]),
                intensity_first=float(inten.iloc[0]["rd_intensity_pct_gdp"]),
                intensity_first_year=int(inten.iloc[0]["year"]),
            )
            cn = self.series_of(NATIONAL)
            cn_same = cn[cn["year"] == f["intensity_year"]]
            if not cn_same.empty and self.focus != NATIONAL:
                f["cn_intensity"] = float(cn_same.iloc[0]["rd_intensity_pct_gdp"])
            rank, n = self.rank_in(f["intensity_year"], "rd_intensity_pct_gdp")
            f.update(rank_intensity=rank, n_intensity=n)
        if not spend.empty:
            last = spend.iloc[-1]
            year = int(last["year"])
            f.update(
                spend=float(last["rd_expenditure_rmb_100m"]),
                spend_year=year,
                spend_conf=str(last["confidence"]),
                spend_first=float(spend.iloc[0]["rd_expenditure_rmb_100m"]),
                spend_first_year=int(spend.iloc[0]["year"]),
            )
            prev = spend[spend["year"] == year - 1]
            if not prev.empty:
                f["growth"] = (
                    f["spend"] / float(prev.iloc[0]["rd_expenditure_rmb_100m"]) - 1
                ) * 100
            f["cagr"] = indicators.cagr(f["spend_first"], f["spend"], year - f["spend_first_year"])
            rank, n = self.rank_in(year, "rd_expenditure_rmb_100m")
            f.update(rank_spend=rank, n_spend=n)
            share = self.share_frame()
            if not share.empty:
                f["share"] = float(share.iloc[-1]["share_pct"])
                f["share_year"] = int(share.iloc[-1]["year"])
                f["share_first"] = float(share.iloc[0]["share_pct"])
                f["share_first_year"] = int(share.iloc[0]["year"])
        return f

    def share_frame(self) -> pd.DataFrame:
        """Focus's share (percent) of China's R&D expenditure by year."""
        spend = self.series_of(self.focus, "rd_expenditure_rmb_100m")
        cn = self.series_of(NATIONAL, "rd_expenditure_rmb_100m")
        if spend.empty or cn.empty or self.focus == NATIONAL:
            return pd.DataFrame(columns=["year", "share_pct", "region_code"])
        both = pd.concat([spend, cn[cn["year"].isin(spend["year"])]])
        both = both[both["year"].isin(cn["year"])]
        both = both.assign(
            share_pct=indicators.share_of_total(both, "rd_expenditure_rmb_100m", NATIONAL)
        )
        return both[both["region_code"] == self.focus][
            ["year", "share_pct", "region_code", "confidence"]
        ].reset_index(drop=True)

    # ------------------------------------------------------------------ helpers
    def t(self, key: str, **fmt: Any) -> Any:
        """Return this report's string ``key``; ``cn_name`` and ``peers`` are always available."""
        fmt.setdefault("cn_name", i18n.tr(self.lang, f"{self.name}.national"))
        fmt.setdefault("peers", self._peers_word())
        return super().t(key, **fmt)

    def _peers_word(self) -> str:
        kind = self.region_types.get(self.focus, "province")
        return i18n.tr(self.lang, f"{self.name}.peer_plural.{kind}")

    def _labels(self, codes: Sequence[str]) -> dict[str, str]:
        return {c: self.region(c) for c in codes}

    def _rank_text(self, rank: int | None, n: int) -> str:
        if rank is None:
            return ""
        return self.t("rank_of", rank=rank, n=n)

    def _series_caption(self, frames: Sequence[pd.DataFrame]) -> str:
        used = []
        for frame in frames:
            for s in frame["series"].unique():
                if s not in used:
                    used.append(s)
        return ("; " if self.lang == "en" else "；").join(self.t(f"series.{s}") for s in used)

    def _breaks_text(self, df: pd.DataFrame) -> str:
        """Caption text naming the series breaks drawn in a chart ("" when none)."""
        breaks = df[df["is_series_break"]]
        if breaks.empty:
            return ""
        sep = " " if self.lang == "en" else ""
        items = self.names(
            f"{self.region(r.region_code)}{sep}{self.year(r.year)}" for r in breaks.itertuples()
        )
        return sep + self.c("series_break_note") + sep + self.t("breaks_list", items=items)

    def _no_data(self, what: str) -> None:
        self.note(self.t("no_data", region=self.focus_name, what=self.t(f"what.{what}")))

    # ------------------------------------------------------------------ sections
    def intro(self) -> None:
        """Display the question and the short answer (lede) with the key numbers."""
        f = self.facts
        self.para(self.t("question", region=self.focus_name))
        items = []
        if "spend" in f:
            items.append(
                self.t(
                    "kf_spend",
                    year=self.year(f["spend_year"]),
                    value=self.rmb(f["spend"]),
                )
            )
        if "intensity" in f:
            items.append(
                self.t(
                    "kf_intensity",
                    year=self.year(f["intensity_year"]),
                    value=self.pct(f["intensity"]),
                )
            )
        if "growth" in f:
            items.append(
                self.t("kf_growth", year=self.year(f["spend_year"]), value=self.pct(f["growth"], 1))
            )
        if f.get("rank_spend"):
            items.append(
                self.t(
                    "kf_rank",
                    year=self.year(f["spend_year"]),
                    rank=f["rank_spend"],
                    n=f["n_spend"],
                    rank_intensity=f.get("rank_intensity") or "–",
                )
            )
        if "cagr" in f and pd.notna(f["cagr"]):
            items.append(
                self.t(
                    "kf_cagr",
                    first=self.year(f["spend_first_year"]),
                    last=self.year(f["spend_year"]),
                    value=self.pct(f["cagr"], 1),
                )
            )
        if items:
            self.bullets(items)

    def headline(self) -> None:
        """Latest spend, intensity, growth and national rank of the focus."""
        f = self.facts
        if "intensity" not in f:
            self._no_data("intensity")
            return
        if "cn_intensity" in f:
            key = "headline_above" if f["intensity"] > f["cn_intensity"] else "headline_below"
            self.heading(
                self.t(
                    key,
                    region=self.focus_name,
                    year=self.year(f["intensity_year"]),
                    value=self.pct(f["intensity"]),
                    cn=self.pct(f["cn_intensity"]),
                )
            )
        else:
            self.heading(
                self.t(
                    "headline_plain",
                    region=self.focus_name,
                    year=self.year(f["intensity_year"]),
                    value=self.pct(f["intensity"]),
                )
            )
        sentences = []
        if "spend" in f:
            sentences.append(
                self.t(
                    "headline_spend",
                    region=self.focus_name,
                    year=self.year(f["spend_year"]),
                    value=self.rmb(f["spend"]),
                )
            )
            if "growth" in f:
                sentences.append(self.t("headline_growth", value=self.pct(f["growth"], 1)))
            if f.get("rank_spend"):
                sentences.append(
                    self.t(
                        "headline_rank",
                        rank=f["rank_spend"],
                        n=f["n_spend"],
                        rank_intensity=f.get("rank_intensity") or "–",
                    )
                )
        self.para(" ".join(sentences) if self.lang == "en" else "".join(sentences))
        confs = {f.get("spend_conf"), f.get("intensity_conf")} - {None}
        if confs - {"verified"}:
            self.note(self.t("headline_confidence", marks=self.c("marks_legend")))

    def _domestic_codes(self) -> list[str]:
        codes = [self.focus]
        if self.focus != NATIONAL:
            codes.append(NATIONAL)
        codes += [c for c in self.leading_provinces if c not in codes]
        codes += [
            c
            for c in self.comparators
            if self.region_types.get(c) in DOMESTIC_TYPES
            and self.region_types.get(c) != "country"
            and c not in codes
        ]
        return codes

    def _frame_for(self, codes: Sequence[str]) -> pd.DataFrame:
        frames = [self.series_of(c) for c in codes]
        frames = [f for f in frames if not f.empty]
        return pd.concat(frames) if frames else self.rd.iloc[0:0]

    def intensity_over_time(self) -> None:
        """Intensity over time: focus, China, leading provinces, Hong Kong, Macao."""
        f = self.facts
        codes = self._domestic_codes()
        df = self._frame_for(codes)
        if df.empty or "intensity" not in f:
            self._no_data("intensity")
            return
        change = f["intensity"] - f["intensity_first"]
        single = f["intensity_first_year"] == f["intensity_year"]
        self.heading(
            self.t(
                "over_time_single" if single else "over_time_heading",
                region=self.focus_name,
                first=self.pct(f["intensity_first"]),
                first_year=self.year(f["intensity_first_year"]),
                last=self.pct(f["intensity"]),
                last_year=self.year(f["intensity_year"]),
                change=self.pp(change),
            )
        )
        self._intensity_chart(df, codes, "over_time_caption")

    def _intensity_chart(self, df: pd.DataFrame, codes: list[str], caption_key: str) -> None:
        """Display an intensity-over-time line chart of ``codes`` with its caption and sources."""
        fig = plots.line_with_labels(
            df,
            "year",
            "rd_intensity_pct_gdp",
            "region_code",
            self._labels(codes),
            highlight=[self.focus],
            break_col="is_series_break",
            ylabel=self.t("axis_intensity"),
            height=3.5,
        )
        caption = self.t(caption_key, series=self._series_caption([df]))
        caption += self._breaks_text(df)
        self.figure(fig, caption, sorted(set(df["source_id"])), df["confidence"])

    def international(self) -> None:
        """Focus and China against international R&D leaders (World Bank / national series)."""
        codes = [self.focus]
        if self.focus != NATIONAL:
            codes.append(NATIONAL)
        codes += [
            c
            for c in self.comparators
            if self.region_types.get(c) in INTERNATIONAL_TYPES and c not in codes
        ]
        df = self._frame_for(codes)
        if df.empty or len(codes) < 2:
            self._no_data("international")
            return
        # the latest year in which the focus and most comparators have a value
        focus_years = set(df.loc[df["region_code"] == self.focus, "year"])
        counts = df[df["year"].isin(focus_years)].groupby("year")["region_code"].nunique()
        year = int(counts[counts == counts.max()].index.max()) if len(counts) else None
        if year is not None:
            snap = df[df["year"] == year].set_index("region_code")["rd_intensity_pct_gdp"]
            own = float(snap[self.focus])
            above = [c for c in snap.index if c != self.focus and snap[c] > own]
            below = [c for c in snap.index if c != self.focus and snap[c] <= own]
            above_txt = self.names(self.region_in_text(c) for c in above)
            below_txt = self.names(self.region_in_text(c) for c in below)
            if above and below:
                key = "intl_heading_mixed"
            elif above:
                key = "intl_heading_all_above"
            else:
                key = "intl_heading_all_below"
            self.heading(
                self.t(
                    key,
                    region=self.focus_name,
                    year=self.year(year),
                    value=self.pct(own),
                    above=above_txt,
                    below=below_txt,
                )
            )
        self._intensity_chart(df, codes, "intl_caption")

    #: Share of the most complete year's peers a year needs to count as complete.
    COMPLETE_SHARE = 0.8
    #: Bars shown in the spending chart (the focus is always added).
    TOP_BARS = 15

    def _spend_years(self) -> pd.DataFrame:
        """Peers' spend with ranks by year and whether the year is complete."""
        rows = self.peers[self.peers["rd_expenditure_rmb_100m"].notna()].copy()
        rows["rank"] = indicators.rank_within(rows, "rd_expenditure_rmb_100m")
        counts = rows.groupby("year")["region_code"].transform("nunique")
        rows["complete"] = counts >= counts.max() * self.COMPLETE_SHARE
        return rows

    def spend_by_province(self) -> None:
        """R&D expenditure of the focus's peers: latest complete year, plus a newer partial one."""
        f = self.facts
        if "spend" not in f:
            self._no_data("spend")
            return
        rows = self._spend_years()
        complete = rows[rows["complete"]]
        year = int(complete["year"].max())
        part = complete[complete["year"] == year]
        part = part.assign(label=[self.region(c) for c in part["region_code"]])
        own = part[part["region_code"] == self.focus]
        # consecutive complete years, ending with `year`, in which the focus ranked first
        firsts = complete[(complete["region_code"] == self.focus)].set_index("year")["rank"]
        streak_start = year
        while streak_start - 1 in firsts.index and firsts[streak_start - 1] == 1:
            streak_start -= 1
        leader = part.sort_values("rd_expenditure_rmb_100m").iloc[-1]
        fmt = {
            "region": self.focus_name,
            "year": self.year(year),
            "value": self.rmb(own["rd_expenditure_rmb_100m"].iloc[0]) if len(own) else "",
            "n": len(part),
            "since": self.year(streak_start),
            "leader": self.region(leader["region_code"]),
            "rank": int(own["rank"].iloc[0]) if len(own) else "–",
        }
        if len(part) < 2 or own.empty:
            key = "spend_heading_plain"
        elif leader["region_code"] == self.focus and streak_start < year:
            key = "spend_heading_streak"
        elif leader["region_code"] == self.focus:
            key = "spend_heading_first"
        else:
            key = "spend_heading_rank"
        self.heading(self.t(key, **fmt))
        newer = rows[(rows["year"] > year) & (rows["region_code"] == self.focus)]
        last = newer.sort_values("year").iloc[-1] if len(newer) else None
        named = rows[rows["year"] == last["year"]] if last is not None else rows.iloc[0:0]
        if last is not None and named["region_code"].nunique() > 1:
            self.para(
                self.t(
                    "spend_partial_year",
                    year=self.year(last["year"]),
                    n=named["region_code"].nunique(),
                    region=self.focus_name,
                    value=self.rmb(last["rd_expenditure_rmb_100m"]),
                    rank=int(last["rank"]),
                )
            )
        shown = part.sort_values("rd_expenditure_rmb_100m", ascending=False).head(self.TOP_BARS)
        if self.focus not in set(shown["region_code"]):
            shown = pd.concat([shown, own])
        fig = plots.barh_ranked(
            shown,
            "rd_expenditure_rmb_100m",
            "label",
            "region_code",
            highlight=[self.focus],
            xlabel=self.t("axis_spend"),
            value_fmt=lambda v: self.num(v, 1),
        )
        caption = self.t("spend_caption", year=self.year(year), n=len(part), shown=len(shown))
        self.figure(fig, caption, sorted(set(shown["source_id"])), shown["confidence"])

    def share_of_china(self) -> None:
        """Focus's share of China's R&D expenditure over time."""
        share = self.share_frame()
        if share.empty:
            self._no_data("share")
            return
        f = self.facts
        single = f["share_first_year"] == f["share_year"]
        self.heading(
            self.t(
                "share_single" if single else "share_heading",
                region=self.focus_name,
                first=self.pct(f["share_first"], 1),
                first_year=self.year(f["share_first_year"]),
                last=self.pct(f["share"], 1),
                last_year=self.year(f["share_year"]),
                verb=self.t("rose" if f["share"] > f["share_first"] else "fell"),
            )
        )
        frame = share.assign(is_series_break=False)
        fig = plots.line_with_labels(
            frame,
            "year",
            "share_pct",
            "region_code",
            {self.focus: self.focus_name},
            highlight=[self.focus],
            ylabel=self.t("axis_share"),
            height=2.8,
        )
        sources = sorted(
            set(self.series_of(self.focus, "rd_expenditure_rmb_100m")["source_id"])
            | set(self.series_of(NATIONAL, "rd_expenditure_rmb_100m")["source_id"])
        )
        self.figure(
            fig, self.t("share_caption", region=self.focus_name), sources, share["confidence"]
        )

    def growth(self) -> None:
        """Compound annual growth of R&D expenditure: focus, China and leading provinces."""
        f = self.facts
        if "cagr" not in f or pd.isna(f["cagr"]):
            self._no_data("spend")
            return
        rows = []
        codes = [self.focus, NATIONAL, *self.leading_provinces]
        for code in dict.fromkeys(codes):
            s = self.series_of(code, "rd_expenditure_rmb_100m")
            s = s[s["year"].isin([f["spend_first_year"], f["spend_year"]])]
            if len(s) != 2:
                continue
            first, last = s.iloc[0], s.iloc[1]
            rate = indicators.cagr(
                float(first["rd_expenditure_rmb_100m"]),
                float(last["rd_expenditure_rmb_100m"]),
                int(last["year"]) - int(first["year"]),
            )
            conf = "verified"
            if "unverified" in (first["confidence"], last["confidence"]):
                conf = "unverified"
            elif "secondary" in (first["confidence"], last["confidence"]):
                conf = "secondary"
            rows.append(
                {
                    "region": self.region(code),
                    "first": self.rmb(first["rd_expenditure_rmb_100m"]),
                    "last": self.rmb(last["rd_expenditure_rmb_100m"]),
                    "cagr": self.pct(rate, 1),
                    "rate": rate,
                    "confidence": conf,
                    "source_id": f"{first['source_id']};{last['source_id']}",
                }
            )
        table = pd.DataFrame(rows)
        cn = table[table["region"] == self.region(NATIONAL)]
        key = "cagr_heading_vs_cn" if len(cn) and self.focus != NATIONAL else "cagr_heading"
        self.heading(
            self.t(
                key,
                region=self.focus_name,
                value=self.pct(f["cagr"], 1),
                first=self.year(f["spend_first_year"]),
                last=self.year(f["spend_year"]),
                cn=cn["cagr"].iloc[0] if len(cn) else "",
            )
        )
        self.table(
            table.sort_values("rate", ascending=False),
            {
                "region": self.t("col_region"),
                "first": self.t("col_spend_year", year=self.year(f["spend_first_year"])),
                "last": self.t("col_spend_year", year=self.year(f["spend_year"])),
                "cagr": self.t("col_cagr"),
            },
            sources=sorted({s for ids in table["source_id"] for s in ids.split(";")}),
            caption=self.t("cagr_caption"),
            align={"first": "right", "last": "right", "cagr": "right"},
        )

    def cities(self) -> None:
        """The GBA's mainland cities where figures exist, as points (never lines)."""
        city_codes = [
            c
            for c, t in self.region_types.items()
            if t == "city" and bool(self.is_gba.get(c)) and self.parents.get(c) == "GD"
        ]
        rows = self.rd[
            self.rd["region_code"].isin(city_codes) & self.rd["rd_intensity_pct_gdp"].notna()
        ]
        if rows.empty:
            self._no_data("cities")
            return
        latest = rows.sort_values("year").groupby("region_code").tail(1)
        best = latest.sort_values(["rd_intensity_pct_gdp", "year"]).iloc[-1]
        self.heading(
            self.t(
                "cities_heading",
                city=self.region(best["region_code"]),
                value=self.pct(best["rd_intensity_pct_gdp"]),
                year=self.year(best["year"]),
                n=rows["region_code"].nunique(),
            )
        )
        ref = self.series_of("GD")
        rows = rows.assign(
            hollow=rows["is_derived"] | (rows["confidence"] == "unverified"),
        )
        fig = plots.points_by_year(
            rows,
            "year",
            "rd_intensity_pct_gdp",
            "region_code",
            self._labels(sorted(set(rows["region_code"]))),
            ylabel=self.t("axis_intensity"),
            reference=ref,
            reference_label=self.t("cities_reference", region=self.region("GD")),
            hollow_col="hollow",
        )
        self.figure(
            fig,
            self.t("cities_caption", n=len(rows))
            + (" " + self.t("cities_hollow") if rows["hollow"].any() else ""),
            sorted(set(rows["source_id"]) | set(ref["source_id"])),
            rows["confidence"],
        )

    def hk_by_sector(self) -> None:
        """Hong Kong's gross domestic expenditure on R&D by performing sector."""
        hk = data.load_hk_gerd_by_sector()
        hk = hk[hk["year"].between(self.start_year, self.end_year)]
        parts = hk[hk["sector"].isin(SECTORS) & hk["gerd_hkd_million"].notna()]
        totals = hk[(hk["sector"] == "total") & hk["gerd_hkd_million"].notna()]
        if parts.empty or totals.empty:
            self._no_data("hk_sector")
            return
        years_with_parts = sorted(set(parts["year"]))
        last_year = years_with_parts[-1]
        last = parts[parts["year"] == last_year].set_index("sector")["gerd_hkd_million"]
        total_last = totals[totals["year"] == last_year]["gerd_hkd_million"]
        total = float(total_last.iloc[0]) if len(total_last) else float(last.sum())
        leader = last.idxmax()
        self.heading(
            self.t(
                "hk_heading",
                year=self.year(last_year),
                total=self.money(total, "HKD", "million"),
                sector=self.t(f"sector.{leader}"),
                share=self.pct(float(last[leader]) / total * 100, 0),
            )
        )
        breaks = sorted(set(hk.loc[hk["is_series_break"], "year"]))
        fig = plots.stacked_bars(
            parts,
            "year",
            "sector",
            "gerd_hkd_million",
            {s: self.t(f"sector.{s}") for s in SECTORS},
            SECTORS,
            ylabel=self.t("axis_hkd"),
            break_x=breaks,
            break_label=self.c("series_break"),
            height=3.2,
        )
        caption = self.t("hk_caption")
        missing = sorted(set(totals["year"]) - set(years_with_parts))
        if missing:
            caption += " " + self.t(
                "hk_missing_split", years=self.names(self.year(y) for y in missing)
            )
        if breaks:
            caption += " " + self.t("hk_break", year=self.year(breaks[0]))
        used = pd.concat([parts, totals])
        self.figure(fig, caption, sorted(set(used["source_id"])), used["confidence"])

    @cached_property
    def target_row(self) -> pd.Series | None:
        """The focus's R&D-intensity target from ``data/targets.csv`` (None when absent)."""
        if "targets" not in data.dataset_names():
            return
        targets = data.load_targets() if hasattr(data, "load_targets") else data.load("targets")
        rows = targets[
            (targets["region_code"] == self.focus)
            & (targets["indicator"] == "rd_intensity_pct_gdp")
        ]
        return None if rows.empty else rows.sort_values("target_year").iloc[-1]

    def target(self) -> None:
        """Gap between the focus's latest intensity and its Five-Year-Plan target."""
        row = self.target_row
        f = self.facts
        if row is None or "intensity" not in f:
            self._no_data("target")
            return
        goal = float(row["target_value"])
        gap = indicators.gap_to_target(f["intensity"], goal)
        inten = self.series_of(self.focus)
        reached = inten[inten["rd_intensity_pct_gdp"] >= goal]
        plan = row["plan_en"] if self.lang == "en" else row["plan_zh_hant"]
        fmt = {
            "region": self.focus_name,
            "plan": plan,
            "target": i18n.fmt_pct(goal, self.lang, min_decimals=1),
            "target_year": self.year(row["target_year"]),
            "year": self.year(f["intensity_year"]),
            "value": self.pct(f["intensity"]),
            "gap": self.pp(gap),
        }
        self.heading(self.t("target_heading_met" if gap >= 0 else "target_heading_gap", **fmt))
        text = self.t("target_plan", **fmt)
        if not reached.empty:
            first = reached.iloc[0]
            text += (" " if self.lang == "en" else "") + self.t(
                "target_first_reached",
                year=self.year(first["year"]),
                value=self.pct(first["rd_intensity_pct_gdp"]),
            )
        self.para(text)
        frame = inten[inten["year"] >= inten["year"].max() - 9]
        fig = plots.line_with_labels(
            frame,
            "year",
            "rd_intensity_pct_gdp",
            "region_code",
            {self.focus: self.focus_name},
            highlight=[self.focus],
            ylabel=self.t("axis_intensity"),
            hline=(goal, self.t("target_line", target=fmt["target"], year=fmt["target_year"])),
            ymin=None,
            height=2.6,
        )
        self.figure(
            fig,
            self.t("target_caption", plan=plan),
            sorted(set(frame["source_id"]) | {str(row["source_id"])}),
            [*frame["confidence"], str(row["confidence"])],
        )

    # ------------------------------------------------------------------ brief and manifest
    def summary_points(self) -> list[str]:
        """Two or three sentences with the key numbers, for the executive brief."""
        f = self.facts
        points = []
        if "intensity" in f:
            key = (
                "headline_above" if f.get("cn_intensity", 0) < f["intensity"] else "headline_plain"
            )
            points.append(
                self.t(
                    key,
                    region=self.focus_name,
                    year=self.year(f["intensity_year"]),
                    value=self.pct(f["intensity"]),
                    cn=self.pct(f["cn_intensity"]) if "cn_intensity" in f else "",
                )
            )
        if "spend" in f:
            points.append(
                self.t(
                    "headline_spend",
                    region=self.focus_name,
                    year=self.year(f["spend_year"]),
                    value=self.rmb(f["spend"]),
                )
                + (
                    self.t("headline_rank_short", rank=f["rank_spend"], n=f["n_spend"])
                    if f.get("rank_spend")
                    else ""
                )
            )
        return points

    def summary_chart(self, compact: bool = False) -> Figure | None:
        """Compact intensity-over-time chart for the executive brief (focus, China, HK, MO).

        Args:
            compact: Half the text width and short (two charts side by side in the brief).
        """
        codes = [self.focus, NATIONAL, "HK", "MO"]
        codes = list(dict.fromkeys(c for c in codes if c in self.region_types))
        df = self._frame_for(codes)
        if df.empty:
            return None
        fig = plots.line_with_labels(
            df,
            "year",
            "rd_intensity_pct_gdp",
            "region_code",
            self._labels(codes),
            highlight=[self.focus],
            break_col="is_series_break",
            ylabel=self.t("axis_intensity"),
            height=plots.BRIEF_HALF_IN[1] if compact else 2.7,
            width=plots.BRIEF_HALF_IN[0] if compact else plots.WIDTH_IN,
        )
        caption = self.t("over_time_caption", series=self._series_caption([df]))
        self.figure(fig, caption, sorted(set(df["source_id"])), df["confidence"])
        return fig

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Stable key figures of the focus for the build manifest."""
        f = self.facts
        out: dict[str, dict[str, Any]] = {
            "focus_region": {"value": self.focus, "unit": "code", "label": self.focus_name}
        }

        def put(key: str, value: Any, unit: str, label_key: str) -> None:
            if value is not None and not (isinstance(value, float) and pd.isna(value)):
                out[key] = {"value": value, "unit": unit, "label": self.t(f"kf_label.{label_key}")}

        put("focus_rd_expenditure_rmb_100m_latest", f.get("spend"), "RMB 100m", "spend")
        put("focus_rd_intensity_pct_latest", f.get("intensity"), "% of GDP", "intensity")
        put("latest_year", f.get("intensity_year"), "year", "year")
        put("china_rd_intensity_pct_latest", f.get("cn_intensity"), "% of GDP", "cn_intensity")
        put(
            "focus_rd_growth_pct_latest",
            round(f["growth"], 2) if "growth" in f else None,
            "%",
            "growth",
        )
        put("focus_rank_expenditure_latest", f.get("rank_spend"), "rank", "rank_spend")
        put("focus_rank_intensity_latest", f.get("rank_intensity"), "rank", "rank_intensity")
        put(
            "focus_share_of_china_pct_latest",
            round(f["share"], 2) if "share" in f else None,
            "%",
            "share",
        )
        put(
            "focus_rd_cagr_pct",
            round(f["cagr"], 2) if "cagr" in f and pd.notna(f["cagr"]) else None,
            "%",
            "cagr",
        )
        if self.target_row is not None and "intensity" in f:
            gap = indicators.gap_to_target(f["intensity"], float(self.target_row["target_value"]))
            put("focus_gap_to_target_pp", round(gap, 2), "pp", "gap")
        return out
