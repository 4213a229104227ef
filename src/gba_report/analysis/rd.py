"""Pure computations behind the ``rd_intensity`` report: headline facts, ranks, shares, growth.

Every function takes tidy frames shaped like the curated tables (``rd_intensity``, ``regions``,
``targets``) and returns frames or small dataclasses; nothing here reads files or knows about
languages. Which series represents a region, and who its peers are, is decided in
:mod:`gba_report.analysis.series`; Hong Kong's GERD by sector in
:mod:`gba_report.analysis.hk_gerd`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from gba_report.analysis import indicators
from gba_report.analysis.comparison import (
    COMPLETE_SHARE,
    Change,
    Comparison,
    InternationalStanding,
    Point,
    international_comparison,
    international_standing,
    point_of,
    year_on_year,
)
from gba_report.analysis.series import (
    INTENSITY,
    NATIONAL,
    SERIES_PREFERENCE,
    SPEND,
    Regions,
    basis_of,
    in_window,
    intensity_lines,
    latest_basis,
    on_basis,
    peers,
    preferred_series,
    rank_in,
)

#: Re-exported from :mod:`gba_report.analysis.comparison` for callers of this module.
__all__ = [
    "Change",
    "Comparison",
    "InternationalStanding",
    "Point",
    "international_standing",
]

#: Region types drawn on the domestic chart beside the focus (China itself is always added).
DOMESTIC_TYPES = ("province", "sar", "city", "city_group")
#: Region types drawn on the international chart.
INTERNATIONAL_TYPES = ("country", "economy", "aggregate")
#: Bars of the spending chart (the focus is added when it is not among them).
TOP_BARS = 15
#: Years of the target chart, ending with the latest.
TARGET_CHART_YEARS = 10


def leading_provinces(rd: pd.DataFrame, regions: Regions, focus: str, n: int) -> list[str]:
    """The ``n`` provinces (not the focus) with the highest intensity in the latest year."""
    if n <= 0:
        return []
    rows = rd[
        rd["region_code"].isin(regions.of_type("province"))
        & (rd["series"] == SERIES_PREFERENCE[0])
        & rd[INTENSITY].notna()
        & (rd["region_code"] != focus)
    ]
    if rows.empty:
        return []
    latest = rows[rows["year"] == rows["year"].max()]
    return latest.sort_values(INTENSITY, ascending=False)["region_code"].head(n).tolist()


def domestic_codes(
    focus: str, leading: Sequence[str], comparators: Sequence[str], regions: Regions
) -> list[str]:
    """Lines of the domestic chart: focus, China, leading provinces, domestic comparators."""
    codes = [focus] if focus == NATIONAL else [focus, NATIONAL]
    codes += [c for c in leading if c not in codes]
    codes += [c for c in comparators if regions.types.get(c) in DOMESTIC_TYPES and c not in codes]
    return codes


def international_codes(focus: str, comparators: Sequence[str], regions: Regions) -> list[str]:
    """Lines of the international chart: focus, China, international comparators."""
    codes = [focus] if focus == NATIONAL else [focus, NATIONAL]
    return codes + [
        c for c in comparators if regions.types.get(c) in INTERNATIONAL_TYPES and c not in codes
    ]


def share_of_national(rd: pd.DataFrame, focus: str) -> pd.DataFrame:
    """Focus's share (percent) of China's R&D expenditure, by year.

    Returns:
        Columns year, region_code, share_of_china_rd_expenditure_pct, source_id (focus's and
        China's), confidence (the focus's); empty when either series is missing.
    """
    columns = ["year", "region_code", "share_of_china_rd_expenditure_pct", "source_id"]
    spend = preferred_series(rd, focus, SPEND)
    cn = preferred_series(rd, NATIONAL, SPEND)
    if spend.empty or cn.empty or focus == NATIONAL:
        return pd.DataFrame(columns=[*columns, "confidence"])
    both = pd.concat([spend, cn[cn["year"].isin(spend["year"])]])
    both = both[both["year"].isin(cn["year"])]
    both = both.assign(share=indicators.share_of_total(both, SPEND, NATIONAL))
    cn_source = cn.set_index("year")["source_id"]
    own = both[both["region_code"] == focus]
    return pd.DataFrame(
        {
            "year": own["year"].astype(int),
            "region_code": own["region_code"],
            "share_of_china_rd_expenditure_pct": own["share"],
            "source_id": [
                indicators.joined_sources(own_ids, cn_ids)
                for own_ids, cn_ids in zip(
                    own["source_id"], own["year"].map(cn_source), strict=True
                )
            ],
            "confidence": own["confidence"],
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class FocusFacts:
    """The focus's headline numbers.

    Attributes:
        intensity: Latest intensity of the focus (None without an intensity series).
        intensity_first: First intensity of the window.
        cn_intensity: China's intensity in the focus's latest year (None for China itself).
        rank_intensity: Rank by intensity among the peers that year (None: < 2); n_intensity.
        spend: Latest R&D expenditure (None without a spending series).
        spend_first: First expenditure of the window that is not unverified (no base for a
            growth rate); the first one when all are.
        spend_previous: Expenditure the year before the latest (None when missing).
        growth_pct: Growth on the year before, percent.
        growth_mixed: The two years of ``growth_pct`` are of releases on different bases (the
            later does not restate the earlier level): the rate compares two vintages.
        cagr_pct: Compound annual growth from ``spend_first`` to ``spend`` (None if undefined).
        rank_spend: Rank by expenditure among the peers that year (None: < 2); n_spend.
        share, share_first: Latest and first share of China's expenditure (percent).
        change: Intensity change on the year before within one basis (None: not on one basis).
        cn_change: The same for China.
        basis: Basis of the latest intensity (""; none); ``cn_intensity`` is on the same one.
        cn_revised, cn_revised_basis: China's latest vintage of that year when on another.
    """

    intensity: Point | None = None
    intensity_first: Point | None = None
    cn_intensity: Point | None = None
    rank_intensity: int | None = None
    n_intensity: int = 0
    spend: Point | None = None
    spend_first: Point | None = None
    spend_previous: Point | None = None
    growth_pct: float | None = None
    cagr_pct: float | None = None
    rank_spend: int | None = None
    n_spend: int = 0
    share: Point | None = None
    share_first: Point | None = None
    change: Change | None = None
    cn_change: Change | None = None
    growth_mixed: bool = False
    basis: str = ""
    cn_revised: Point | None = None
    cn_revised_basis: str = ""

    @property
    def intensity_change_pp(self) -> float | None:
        """Change in intensity from the first to the latest year (percentage points)."""
        if self.intensity is None or self.intensity_first is None:
            return None
        return self.intensity.value - self.intensity_first.value


def _cn_on_basis(rd: pd.DataFrame, year: int, basis: str) -> dict:
    """China's intensity of ``year`` on ``basis``, and its latest vintage when that differs."""
    same, latest = on_basis(rd, NATIONAL, year, basis)
    if same is None:
        return {}
    out: dict = {"cn_intensity": point_of(same, INTENSITY)}
    if latest is not None and basis_of(latest) != basis_of(same):
        out.update(cn_revised=point_of(latest, INTENSITY), cn_revised_basis=basis_of(latest))
    return out


def focus_facts(rd: pd.DataFrame, peer_rows: pd.DataFrame, focus: str) -> FocusFacts:
    """The focus's latest spend and intensity, growth, ranks and share of China.

    Args:
        rd: ``rd_intensity`` rows of the window.
        peer_rows: From :func:`peers`.
        focus: Region code.
    """
    facts: dict = {}
    inten = preferred_series(rd, focus)
    if not inten.empty:
        last = point_of(inten.iloc[-1], INTENSITY)
        facts.update(intensity=last, intensity_first=point_of(inten.iloc[0], INTENSITY))
        facts["basis"] = basis_of(inten.iloc[-1])
        facts["change"] = year_on_year(inten)
        cn = preferred_series(rd, NATIONAL)
        cn_upto = cn[cn["year"] <= last.year]
        if focus != NATIONAL:
            facts["cn_change"] = year_on_year(cn_upto)
            facts.update(_cn_on_basis(rd, last.year, facts["basis"]))
        rank, n = rank_in(peer_rows, focus, last.year, INTENSITY, min_peers=2)
        facts.update(rank_intensity=rank, n_intensity=n)
    spend = preferred_series(rd, focus, SPEND)
    if not spend.empty:
        last = point_of(spend.iloc[-1], SPEND)
        checked = spend[spend["confidence"] != "unverified"]
        first = point_of((checked if len(checked) else spend).iloc[0], SPEND)
        facts.update(spend=last, spend_first=first)
        prev = spend[spend["year"] == last.year - 1]
        if not prev.empty:
            facts["spend_previous"] = point_of(prev.iloc[0], SPEND)
            facts["growth_pct"] = indicators.growth_pct(facts["spend_previous"].value, last.value)
            facts["growth_mixed"] = basis_of(prev.iloc[0]) != basis_of(spend.iloc[-1])
        rate = indicators.cagr(first.value, last.value, last.year - first.year)
        facts["cagr_pct"] = None if pd.isna(rate) else rate
        rank, n = rank_in(peer_rows, focus, last.year, SPEND, min_peers=2)
        facts.update(rank_spend=rank, n_spend=n)
        share = share_of_national(rd, focus)
        if not share.empty:
            col = "share_of_china_rd_expenditure_pct"
            facts["share"] = point_of(share.iloc[-1], col)
            facts["share_first"] = point_of(share.iloc[0], col)
    return FocusFacts(**facts)


def spend_ranks(peer_rows: pd.DataFrame) -> pd.DataFrame:
    """Peers' spending with their rank by year and whether the year is complete.

    A year is complete when at least :data:`COMPLETE_SHARE` of the best-covered year's peers
    have a figure (a newer year with only a few early releases is not ranked as a whole).
    """
    rows = peer_rows[peer_rows[SPEND].notna()].copy()
    rows["rank"] = indicators.rank_within(rows, SPEND)
    counts = rows.groupby("year")["region_code"].transform("nunique")
    rows["is_complete_year"] = counts >= counts.max() * COMPLETE_SHARE
    return rows


@dataclass(frozen=True)
class SpendRanking:
    """The spending ranking of the latest complete year.

    Attributes:
        year: Latest complete year.
        ranked: Every peer with a figure that year (rank, spend).
        shown: The bars drawn: the top :data:`TOP_BARS`, plus the focus when it is not among
            them, largest first.
        focus_rank: The focus's rank (None when it has no figure that year).
        focus_spend: The focus's expenditure that year (None when it has no figure).
        leader: Code of rank 1.
        first_since: First year of the run of complete years, ending with ``year``, in which
            the focus ranked first (``year`` itself when the run is one year or none).
        newer: The focus's row in the latest year after ``year`` (None when there is none).
        newer_peers: Peers with a figure in that newer year.
    """

    year: int
    ranked: pd.DataFrame
    shown: pd.DataFrame
    focus_rank: int | None
    focus_spend: float | None
    leader: str
    first_since: int
    newer: pd.Series | None
    newer_peers: int


def spend_ranking(peer_rows: pd.DataFrame, focus: str) -> SpendRanking:
    """Rank the focus's peers by R&D expenditure in the latest complete year.

    See :func:`spend_ranks` for when a year is complete.
    """
    rows = spend_ranks(peer_rows)
    complete = rows[rows["is_complete_year"]]
    year = int(complete["year"].max())
    part = complete[complete["year"] == year]
    own = part[part["region_code"] == focus]
    firsts = complete[complete["region_code"] == focus].set_index("year")["rank"]
    since = year
    while since - 1 in firsts.index and firsts[since - 1] == 1:
        since -= 1
    leader = part.sort_values(SPEND).iloc[-1]
    newer = rows[(rows["year"] > year) & (rows["region_code"] == focus)]
    last = newer.sort_values("year").iloc[-1] if len(newer) else None
    named = rows[rows["year"] == last["year"]] if last is not None else rows.iloc[0:0]
    shown = part.sort_values(SPEND, ascending=False).head(TOP_BARS)
    if focus not in set(shown["region_code"]):
        shown = pd.concat([shown, own])
    return SpendRanking(
        year=year,
        ranked=part,
        shown=shown,
        focus_rank=int(own["rank"].iloc[0]) if len(own) else None,
        focus_spend=float(own[SPEND].iloc[0]) if len(own) else None,
        leader=str(leader["region_code"]),
        first_since=since,
        newer=last,
        newer_peers=int(named["region_code"].nunique()),
    )


def cagr_table(
    rd: pd.DataFrame, codes: Sequence[str], first_year: int, last_year: int
) -> pd.DataFrame:
    """CAGR of R&D expenditure from ``first_year`` to ``last_year`` for each of ``codes``.

    Regions without a figure in both years are left out. Confidence is the weaker of the two
    figures'; the source ids of both are kept (``;``-joined).

    Returns:
        Columns region_code, first_year, last_year, rd_expenditure_first_rmb_100m,
        rd_expenditure_last_rmb_100m, rd_expenditure_cagr_pct, source_id, confidence; fastest
        growth first.
    """
    rows = []
    for code in dict.fromkeys(codes):
        s = preferred_series(rd, code, SPEND)
        s = s[s["year"].isin([first_year, last_year])]
        if len(s) != 2:
            continue
        first, last = s.iloc[0], s.iloc[1]
        rows.append(
            {
                "region_code": code,
                "first_year": int(first["year"]),
                "last_year": int(last["year"]),
                "rd_expenditure_first_rmb_100m": float(first[SPEND]),
                "rd_expenditure_last_rmb_100m": float(last[SPEND]),
                "rd_expenditure_cagr_pct": indicators.cagr(
                    float(first[SPEND]), float(last[SPEND]), int(last["year"]) - int(first["year"])
                ),
                "source_id": indicators.joined_sources(first["source_id"], last["source_id"]),
                "confidence": indicators.weakest_confidence(
                    [first["confidence"], last["confidence"]]
                ),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values("rd_expenditure_cagr_pct", ascending=False).reset_index(drop=True)


def gba_city_points(rd: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """Intensity figures of the GBA's mainland cities (Guangdong's cities in the GBA).

    Returns:
        The ``rd_intensity`` rows with an intensity, plus ``is_hollow`` (derived or unverified
        figures are drawn hollow).
    """
    cities = [
        c
        for c in regions.of_type("city")
        if bool(regions.is_gba.get(c)) and regions.parents.get(c) == "GD"
    ]
    rows = rd[rd["region_code"].isin(cities) & rd[INTENSITY].notna()]
    return rows.assign(is_hollow=rows["is_derived"] | (rows["confidence"] == "unverified"))


def best_city(points: pd.DataFrame) -> tuple[pd.Series, int]:
    """(City row, cities that year): the highest in the latest year with two cities or more.

    Cities are compared within one year only; with no such year, the latest figure.
    """
    counts = points.groupby("year")["region_code"].nunique()
    shared = counts[counts >= 2]
    year = int(shared.index.max()) if len(shared) else int(points["year"].max())
    part = points[points["year"] == year]
    return part.sort_values(INTENSITY).iloc[-1], int(part["region_code"].nunique())


@dataclass(frozen=True)
class TargetCheck:
    """The focus's latest intensity against its plan target, within one basis.

    Attributes:
        target: The ``targets`` row (target_value, target_year, plan names, source).
        gap_pp: Latest intensity minus the target (positive: above).
        first_reached: First row at or above the target on the latest figure's basis (the
            latest vintage of each year; None: never).
        basis: That basis.
        earlier_basis_reached: First row at or above the target on an earlier basis, as first
            released, when it comes before ``first_reached`` (None otherwise): a statement that
            holds on that basis only.
        recent: The last :data:`TARGET_CHART_YEARS` years of the intensity series.
    """

    target: pd.Series
    gap_pp: float
    first_reached: pd.Series | None
    basis: str
    earlier_basis_reached: pd.Series | None
    recent: pd.DataFrame


def intensity_target(targets: pd.DataFrame, focus: str) -> pd.Series | None:
    """The focus's latest-dated R&D-intensity target (None when it has none)."""
    rows = targets[(targets["region_code"] == focus) & (targets["indicator"] == INTENSITY)]
    return None if rows.empty else rows.sort_values("target_year").iloc[-1]


def target_check(rd: pd.DataFrame, target: pd.Series, latest: float, focus: str) -> TargetCheck:
    """Gap to ``target`` and the first year the focus's intensity reached it, on one basis."""
    goal = float(target["target_value"])
    inten = preferred_series(rd, focus)
    same = latest_basis(inten)
    reached = same[same[INTENSITY] >= goal]
    first = None if reached.empty else reached.iloc[0]
    basis = str(same["basis"].iloc[-1]) if "basis" in same and len(same) else ""
    old = preferred_series(rd, focus, latest_vintage=False)
    old = old[(old["basis"] != basis) & (old[INTENSITY] >= goal)] if "basis" in old else old[0:0]
    earlier = None
    if len(old) and (first is None or int(old["year"].iloc[0]) < int(first["year"])):
        earlier = old.iloc[0]
    return TargetCheck(
        target=target,
        gap_pp=indicators.gap_to_target(latest, goal),
        first_reached=first,
        basis=basis,
        earlier_basis_reached=earlier,
        recent=inten[inten["year"] >= inten["year"].max() - (TARGET_CHART_YEARS - 1)],
    )


#: Columns of :func:`facts_frame`.
FACT_COLUMNS = (
    "region_code",
    "measure",
    "since_year",
    "year",
    "value",
    "source_id",
    "confidence",
)


def facts_frame(facts: FocusFacts, focus: str) -> pd.DataFrame:
    """The figures of :class:`FocusFacts` as a tidy frame (one row per figure stated).

    ``measure`` names the figure with its unit (``rd_expenditure_rmb_100m``,
    ``rd_expenditure_growth_pct``, ``rank_by_rd_expenditure``, ...); ``since_year`` is the
    first year of a growth rate (missing for a figure of one year).
    """
    rows: list[tuple] = []

    def add(code: str, measure: str, point: Point, value: float, since: int | None = None) -> None:
        rows.append((code, measure, since, point.year, value, point.source_id, point.confidence))

    f = facts
    if f.spend is not None:
        add(focus, SPEND, f.spend, f.spend.value)
    if f.intensity is not None:
        add(focus, INTENSITY, f.intensity, f.intensity.value)
    if f.cn_intensity is not None:
        add(NATIONAL, INTENSITY, f.cn_intensity, f.cn_intensity.value)
    if f.growth_pct is not None and f.spend_previous is not None and f.spend is not None:
        both = Point(
            f.spend.value,
            f.spend.year,
            indicators.joined_sources(f.spend_previous.source_id, f.spend.source_id),
            indicators.weakest_confidence([f.spend_previous.confidence, f.spend.confidence]),
        )
        add(focus, "rd_expenditure_growth_pct", both, f.growth_pct, f.spend_previous.year)
    if f.rank_spend is not None and f.spend is not None:
        add(focus, "rank_by_rd_expenditure", f.spend, f.rank_spend)
        add(focus, "regions_ranked_by_rd_expenditure", f.spend, f.n_spend)
    if f.rank_intensity is not None and f.intensity is not None:
        add(focus, "rank_by_rd_intensity", f.intensity, f.rank_intensity)
        add(focus, "regions_ranked_by_rd_intensity", f.intensity, f.n_intensity)
    if f.cagr_pct is not None and f.spend is not None and f.spend_first is not None:
        both = Point(
            f.spend.value,
            f.spend.year,
            indicators.joined_sources(f.spend_first.source_id, f.spend.source_id),
            indicators.weakest_confidence([f.spend_first.confidence, f.spend.confidence]),
        )
        add(focus, "rd_expenditure_cagr_pct", both, f.cagr_pct, f.spend_first.year)
    if f.share is not None:
        add(focus, "share_of_china_rd_expenditure_pct", f.share, f.share.value)
    for code, change in ((focus, f.change), (NATIONAL, f.cn_change)):
        if change is not None:
            both = Point(
                change.latest.value,
                change.latest.year,
                indicators.joined_sources(change.previous.source_id, change.latest.source_id),
                indicators.weakest_confidence(
                    [change.previous.confidence, change.latest.confidence]
                ),
            )
            add(code, "rd_intensity_change_pp", both, change.pp, change.previous.year)
    frame = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    return frame.astype({"since_year": "Int64", "year": "int64", "value": "float64"})


class RDAnalysis:
    """The analysis behind one ``rd_intensity`` report (frames in, results out, nothing loaded).

    Args:
        rd: ``rd_intensity`` rows (all years; the window is applied here).
        regions: The region code list.
        focus: Focus region code.
        comparators: Region codes compared with the focus (the focus itself is dropped).
        top_provinces: Leading provinces shown beside the focus.
        start_year: First year.
        end_year: Last year.
    """

    def __init__(
        self,
        rd: pd.DataFrame,
        regions: Regions,
        *,
        focus: str,
        comparators: Sequence[str],
        top_provinces: int,
        start_year: int,
        end_year: int,
    ) -> None:
        self.rd = in_window(rd, start_year, end_year)
        self.regions = regions
        self.focus = focus
        self.comparators = [c for c in comparators if c != focus]
        self.top_provinces = int(top_provinces)
        self.start_year = int(start_year)
        self.end_year = int(end_year)

    @cached_property
    def peers(self) -> pd.DataFrame:
        """The focus's peers' rows (see :func:`peers`)."""
        return peers(self.rd, self.regions, self.focus)

    @cached_property
    def leading(self) -> list[str]:
        """The leading provinces by intensity (see :func:`leading_provinces`)."""
        return leading_provinces(self.rd, self.regions, self.focus, self.top_provinces)

    @cached_property
    def facts(self) -> FocusFacts:
        """The focus's headline numbers."""
        return focus_facts(self.rd, self.peers, self.focus)

    def series(self, code: str, value: str = INTENSITY) -> pd.DataFrame:
        """The preferred series of ``code`` in the window (see :func:`preferred_series`)."""
        return preferred_series(self.rd, code, value)

    def lines(self, codes: Sequence[str], provisional: bool = True) -> pd.DataFrame:
        """The intensity lines of ``codes``, latest vintages (see :func:`intensity_lines`).

        Provisional figures continue the lines (flagged ``is_provisional``) when the window
        reaches their years.
        """
        return intensity_lines(self.rd, codes, provisional=provisional)

    @cached_property
    def domestic(self) -> list[str]:
        """Lines of the domestic intensity chart."""
        return domestic_codes(self.focus, self.leading, self.comparators, self.regions)

    @cached_property
    def international(self) -> list[str]:
        """Lines of the international intensity chart."""
        return international_codes(self.focus, self.comparators, self.regions)

    @cached_property
    def comparison(self) -> Comparison | None:
        """The like-for-like international comparison (see :func:`international_comparison`)."""
        codes = [c for c in self.international if self.regions.types.get(c) in INTERNATIONAL_TYPES]
        if self.focus != NATIONAL:
            codes = [NATIONAL, *codes]
        return international_comparison(self.rd, self.focus, codes)

    @cached_property
    def brief(self) -> list[str]:
        """Lines of the executive brief's chart: the focus, China, Hong Kong and Macao."""
        codes = [self.focus, NATIONAL, "HK", "MO"]
        return list(dict.fromkeys(c for c in codes if c in self.regions.types))

    @cached_property
    def share(self) -> pd.DataFrame:
        """The focus's share of China's R&D expenditure (see :func:`share_of_national`)."""
        return share_of_national(self.rd, self.focus)

    @cached_property
    def share_sources(self) -> list[str]:
        """Sources of the focus's and China's expenditure series."""
        ids = set(self.series(self.focus, SPEND)["source_id"])
        return sorted(ids | set(self.series(NATIONAL, SPEND)["source_id"]))

    @cached_property
    def spend(self) -> SpendRanking:
        """The spending ranking of the latest complete year (needs a spending series)."""
        return spend_ranking(self.peers, self.focus)

    @cached_property
    def growth(self) -> pd.DataFrame:
        """CAGR of the focus, China and the leading provinces over the focus's spending years."""
        f = self.facts
        codes = [self.focus, NATIONAL, *self.leading]
        return cagr_table(self.rd, codes, f.spend_first.year, f.spend.year)

    @cached_property
    def cities(self) -> pd.DataFrame:
        """The GBA cities' intensity points (see :func:`gba_city_points`)."""
        return gba_city_points(self.rd, self.regions)
