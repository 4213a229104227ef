"""The sections of the ``cluster_rankings`` report: analysis result -> tidy frame -> display.

Each function takes the report (strings, formats, section builder) and the analysis
(:class:`~gba_report.analysis.clusters.ClusterAnalysis`) or the frame it shows, and returns a
:class:`~gba_report.present.sections.Section` whose ``data`` has the columns of
:data:`COLUMNS`.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from gba_report.analysis import clusters, economies
from gba_report.present import i18n
from gba_report.present.charts import bars, lines, ranks, theme
from gba_report.present.sections import Section
from gba_report.reports import cluster_rankings_depth as depth
from gba_report.reports.base import BaseReport, BriefPoint, insert_after

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
ECONOMIES = ("CHN", "HKG", "JPN", "KOR", "USA", "CHE", "SGP", "GBR", "DEU")

_PROVENANCE = ("source_id", "confidence")
_RANKED = ("edition", "rank", "cluster_code", "cluster_name")

#: Columns of each section's data.
COLUMNS: dict[str, tuple[str, ...]] = {
    "intro": ("measure", "value", *_PROVENANCE),
    "rank_trajectories": (*_RANKED, "is_highlighted", "is_inferred", *_PROVENANCE),
    "methodology": ("edition", "change_code", "description", *_PROVENANCE),
    "top_table": (
        *_RANKED,
        "economy_codes",
        "economy_names",
        *clusters.SHARE_COLUMNS,
        "pct_applications_count",
        "scientific_publications_count",
        "is_inferred",
        *_PROVENANCE,
    ),
    "patents_vs_publications": (
        *_RANKED,
        "pct_applications_count",
        "scientific_publications_count",
        "is_highlighted",
        *_PROVENANCE,
    ),
    "metric_shares": (*_RANKED, "metric", "metric_name", "share_pct", *_PROVENANCE),
    "clusters_per_economy": (
        "edition",
        "economy_code",
        "economy_name",
        "clusters_in_top100",
        "counts_with",
        *_PROVENANCE,
    ),
    "macao_zhuhai": (*_RANKED, "is_inferred", *_PROVENANCE),
    "economy_ranks": ("edition", "economy_code", "economy_name", "gii_rank", *_PROVENANCE),
}
COLUMNS["summary_chart"] = COLUMNS["rank_trajectories"]


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


def _economy(report: BaseReport, iso2: str, in_text: bool = False) -> str:
    """Name of an economy given by its ISO2 code (as in the GII sources)."""
    if in_text and i18n.has(report.lang, f"{report.name}.economies_in_text.{iso2}"):
        return report.t(f"economies_in_text.{iso2}")
    key = f"economies.{iso2}"
    return report.t(key) if i18n.has(report.lang, f"{report.name}.{key}") else iso2


def _economies_of(report: BaseReport, a: clusters.ClusterAnalysis, cluster_code: str) -> str:
    """Economies of a cluster, e.g. ``China / Hong Kong``."""
    codes = a.clusters.set_index("cluster_code").loc[cluster_code, "economy_codes"]
    sep = " / " if report.lang == "en" else "／"
    return sep.join(_economy(report, c) for c in str(codes).split("/"))


def _share(report: BaseReport, x: float) -> str:
    """A share in percent with the precision the source gave (at least one decimal)."""
    return i18n.fmt_pct(x, report.lang, min_decimals=1)


def _ids(frame: pd.DataFrame) -> list[str]:
    return sorted({sid for ids in frame["source_id"] for sid in str(ids).split(";")})


def _empty(report: BaseReport, name: str, note: str | None = None) -> Section:
    s = report.section(name)
    if note is not None:
        s.note(report.t(note))
    return s.done(pd.DataFrame(columns=list(COLUMNS[name])))


def _data(report: BaseReport, name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Cluster rows with names in the report language, in the columns of section ``name``."""
    return report.with_cluster_names(rows)[list(COLUMNS[name])]


def intro(report: BaseReport, a: clusters.ClusterAnalysis) -> Section:
    """Title-level lede: what the ranking measures and the editions covered."""
    vc = a.ranks.loc[a.ranks["vc_deals_share_pct"].notna()].sort_values("edition")
    vc_first = int(vc["edition"].iloc[0]) if not vc.empty else a.last
    s = report.section("intro").para(
        report.t("intro", first=a.first, last=a.last, vc_first=vc_first)
    )
    row = {
        "measure": "first_edition_with_vc_deals",
        "value": vc_first,
        "source_id": vc["source_id"].iloc[0] if not vc.empty else "",
        "confidence": vc["confidence"].iloc[0] if not vc.empty else "",
    }
    return s.done(pd.DataFrame([row], columns=list(COLUMNS["intro"])))


def rank_heading(report: BaseReport, a: clusters.ClusterAnalysis) -> str:
    """The headline: the focus cluster's latest rank against its earlier ranks."""
    story = a.story

    def o(n: int) -> str:
        return ordinal(n, report.lang)

    common = {
        "cluster": report.cluster(a.focus),
        "rank": o(story.latest_rank),
        "edition": story.latest_edition,
    }
    if story.previous_last is None:
        return report.t("heading_rank_only", **common)
    if story.same_rank_every_previous_edition and story.previous_ranks[0] == story.latest_rank:
        runs = _name_runs(report, a, story.previous_first, story.latest_edition)
        key = "heading_rank_steady_names" if runs else "heading_rank_steady"
        return report.t(key, p_first=story.previous_first, runs=runs, **common)
    if story.same_rank_every_previous_edition and story.previous_editions_found > 1:
        runs = _name_runs(report, a, story.previous_first, story.previous_last)
        return report.t(
            "heading_rank_same_before_names" if runs else "heading_rank_same_before",
            runs=runs,
            prev=o(story.previous_ranks[0]),
            p_first=story.previous_first,
            p_last=story.previous_last,
            **common,
        )
    prev = story.previous_rank
    if story.latest_rank < prev:
        key = "heading_rank_up"
    elif story.latest_rank > prev:
        key = "heading_rank_down"
    else:
        key = "heading_rank_same"
    return report.t(key, prev=o(prev), prev_edition=story.previous_last, **common)


def _name_runs(report: BaseReport, a: clusters.ClusterAnalysis, first: int, last: int) -> str:
    """The runs of editions in ``first..last`` when the focus was ranked under another name.

    "" when it kept one name: the headline names the cluster as it is ranked now.
    """
    runs = clusters.name_runs(a.window, a.focus, range(first, last + 1))
    current = i18n.cluster_name(a.focus, "en")
    if len(runs) < 2:
        return ""
    keys = {True: "name_run_one", False: "name_run"}
    runs_text = (
        report.t(keys[f == z], name=report.t(f"name_as_ranked.{n}"), first=f, last=z)
        for n, f, z in runs
        if n != current
    )
    return report.t("name_run_sep").join(runs_text)


def _bump_figure(
    report: BaseReport, a: clusters.ClusterAnalysis, methodology: pd.DataFrame
) -> Figure:
    marks = clusters.annotated_changes(methodology, a.first, a.last)
    return ranks.bump_chart(
        a.bump,
        {c: report.cluster(c) for c in a.drawn},
        a.first,
        a.last,
        clusters.main_panel_ranks(a.bump, a.top_n),
        {edition: report.t(f"method_short.{code}") for edition, code in marks.items()},
        xlabel=report.t("axis_edition"),
        ylabel=report.t("axis_rank"),
        others_label=report.t("bump_others"),
        inferred_label=report.t("bump_inferred"),
        lower_label=report.t("bump_lower_panel", n=a.top_n),
    )


def rank_trajectories(
    report: BaseReport, a: clusters.ClusterAnalysis, methodology: pd.DataFrame
) -> Section:
    """Heading with the focus cluster's rank story, the bump chart and the caveat."""
    s = report.section("rank_trajectories").heading(rank_heading(report, a))
    s.para(report.t("bump_text", n=a.top_n))
    fig = _bump_figure(report, a, methodology)
    caption = report.t("bump_caption", n=a.top_n)
    s.chart(fig, caption, "gii_cluster_ranks", a.bump["confidence"].tolist())
    s.note(report.t("caveat_comparability"))
    return s.done(_data(report, "rank_trajectories", a.bump))


def methodology(
    report: BaseReport, a: clusters.ClusterAnalysis, methodology: pd.DataFrame
) -> Section:
    """Table of the methodology changes of the editions shown."""
    rows = clusters.method_changes(methodology, a.first, a.last)
    desc = rows["description_en" if report.lang == "en" else "description_zh_hant"]
    table = pd.DataFrame(
        {
            "edition": rows["edition"].astype(int).astype(str),
            "change": desc,
            "confidence": rows["confidence"],
        }
    )
    s = report.section("methodology").heading(report.t("method_heading"), level=3)
    s.table(
        table,
        {"edition": report.t("col_edition"), "change": report.t("col_change")},
        sources="gii_methodology",
        caption=report.t("method_caption"),
    )
    return s.done(rows.assign(description=desc)[list(COLUMNS["methodology"])])


def _cluster_label(report: BaseReport, row: pd.Series) -> str:
    name = report.cluster(row["cluster_code"])
    return name + (report.t("inferred_suffix") if bool(row.get("is_inferred", False)) else "")


def top_table(report: BaseReport, a: clusters.ClusterAnalysis) -> Section:
    """The latest edition's top-N table with shares and confidence marks."""
    edition = a.latest
    complete = clusters.max_complete_top_n(a.ranks, edition)
    n = min(a.top_n, complete) if complete else a.top_n
    rows = clusters.top_n(a.ranks, edition, n)
    if rows.empty:
        return _empty(report, "top_table")
    parts = report.names(
        report.t("top_heading_part", count=c, economy=_economy(report, e, in_text=True))
        for e, c in clusters.economies_in_top(rows, a.clusters)
    )
    leader = report.cluster(rows.iloc[0]["cluster_code"])
    s = report.section("top_table").heading(
        report.t("top_heading", leader=leader, edition=edition, n=n, parts=parts)
    )
    if n < a.top_n:
        s.note(report.t("top_limited", n=n, edition=edition))
    shares = {"pct": "pct_share_pct", "pub": "publications_share_pct", "vc": "vc_deals_share_pct"}
    economy_names = [_economies_of(report, a, c) for c in rows["cluster_code"]]
    table = pd.DataFrame(
        {
            "rank": rows["rank"].astype(int).astype(str),
            "cluster": [_cluster_label(report, r) for _, r in rows.iterrows()],
            "economy": economy_names,
            **{
                k: [("" if pd.isna(v) else _share(report, float(v))) for v in rows[col]]
                for k, col in shares.items()
            },
            "confidence": rows["confidence"],
        }
    )
    columns = {
        "rank": report.t("col_rank"),
        "cluster": report.t("col_cluster"),
        "economy": report.t("col_economy"),
        "pct": report.t("col_pct_share"),
        "pub": report.t("col_pub_share"),
        "vc": report.t("col_vc_share"),
    }
    # drop share columns that are empty for every row of this edition
    for k in list(shares):
        if (table[k] == "").all():
            del columns[k]
    s.table(
        table,
        columns,
        sources=_ids(rows),
        caption=report.t("top_caption", n=n, edition=edition),
        align={"rank": "right", "pct": "right", "pub": "right", "vc": "right"},
    )
    econ = a.clusters.set_index("cluster_code")["economy_codes"]
    frame = rows.assign(economy_codes=rows["cluster_code"].map(econ), economy_names=economy_names)
    deep = depth.deepest_table(report, a, s, edition, n, _cluster_label, _economies_of, _ids)
    if deep is not None:
        deep = deep.assign(economy_codes=deep["cluster_code"].map(econ))
        frame = pd.concat([frame, deep], ignore_index=True)
    depth.coverage_note(report, a, s)
    return s.done(_data(report, "top_table", frame))


def patents_vs_publications(report: BaseReport, a: clusters.ClusterAnalysis) -> Section:
    """Heading with the count leaders, the labelled scatter and its caption."""
    edition = clusters.latest_edition_with_counts(a.window)
    if edition is None:
        return _empty(report, "patents_vs_publications", "counts_missing")
    rows = clusters.counts_for_edition(a.window, edition)
    # the top N and the highlighted clusters: more labels than that cannot be read on a page
    # (the deepest table above lists every cluster with counts)
    rows = rows.loc[(rows["rank"] <= a.top_n) | rows["cluster_code"].isin(a.drawn)]
    rows = rows.reset_index(drop=True).assign(
        label=[report.cluster(c) for c in rows["cluster_code"]],
        is_highlighted=rows["cluster_code"].isin(a.drawn),
    )
    fig = lines.scatter_labelled(
        rows,
        "pct_applications_count",
        "scientific_publications_count",
        "label",
        "cluster_code",
        a.drawn,
        xlabel=report.t("counts_axis_x"),
        ylabel=report.t("counts_axis_y"),
    )
    top = clusters.counts_leaders(rows, a.focus)

    def count(row: pd.Series, column: str) -> str:
        return i18n.fmt_int(float(row[column]), report.lang)

    pct, pubs = "pct_applications_count", "scientific_publications_count"
    s = report.section("patents_vs_publications").heading(
        report.t(
            "counts_heading",
            edition=edition,
            pct_leader=report.cluster(top.pct["cluster_code"]),
            pct_max=count(top.pct, pct),
            pub_leader=report.cluster(top.publications["cluster_code"]),
            pub_max=count(top.publications, pubs),
            focus=report.cluster(top.focus["cluster_code"]),
            focus_pct=count(top.focus, pct),
            focus_pub=count(top.focus, pubs),
        )
    )
    caption = report.t("counts_caption", edition=edition)
    s.chart(fig, caption, _ids(rows), rows["confidence"].tolist())
    return s.done(_data(report, "patents_vs_publications", rows))


def metric_shares(report: BaseReport, a: clusters.ClusterAnalysis) -> Section:
    """Heading with the focus cluster's shares, the grouped bars and the VC comparison."""
    long, compared = a.shares, a.share_comparison
    if long is None or compared is None:
        return _empty(report, "metric_shares", "shares_missing")
    edition = clusters.shares_edition(a.window)
    metric_names = {m: report.t(f"metric.{m}") for m in clusters.SHARE_COLUMNS}
    fig = bars.grouped_barh_with_na(
        long,
        {c: report.cluster(c) for c in long["cluster_code"].unique()},
        metric_names,
        xlabel=report.t("shares_axis"),
        na_text=report.c("not_available"),
        value_fmt=lambda x: _share(report, x),
    )
    values = compared.shares
    s = report.section("metric_shares").heading(
        report.t(
            "shares_heading",
            edition=edition,
            focus=report.cluster(compared.focus),
            pct=_share(report, values["pct_share_pct"]),
            pub=_share(report, values["publications_share_pct"]),
            vc=_share(report, values["vc_deals_share_pct"]),
        )
    )
    if compared.other is not None:
        own, other = values["vc_deals_share_pct"], compared.other_vc
        key = "shares_vc_compare" if own > other else "shares_vc_compare_below"
        s.para(
            report.t(
                key,
                a=_share(report, own),
                b=_share(report, other),
                other=report.cluster(compared.other),
            )
        )
    caption = report.t("shares_caption", edition=edition)
    s.chart(fig, caption, _ids(long), long["confidence"].tolist())  # the rows drawn
    frame = long.assign(edition=edition, metric_name=long["metric"].map(metric_names))
    return s.done(_data(report, "metric_shares", frame))


def clusters_per_economy(report: BaseReport, counts: pd.DataFrame) -> Section:
    """Heading with the latest leader and when it first outnumbered the second; the chart."""
    if counts.empty:
        return _empty(report, "clusters_per_economy")
    drawn = economies.per_economy_lines(counts)
    fig = lines.lines_with_gaps(
        drawn.rows,
        "edition",
        "count",
        "economy_code",
        drawn.codes,
        {c: _economy(report, c) for c in drawn.codes},
        {c: ISO2_COLOR_CODE.get(c, c) for c in drawn.codes},
        x_range=(drawn.first_edition, drawn.last_edition),
        xlabel=report.t("axis_edition"),
        ylabel=report.t("axis_clusters"),
        highlight=["CN"],
    )
    lead = economies.count_leaders(counts)

    def name(code: str) -> str:
        return _economy(report, code, in_text=True)

    s = report.section("clusters_per_economy")
    if lead.second is not None:
        s.heading(
            report.t(
                "per_economy_heading",
                leader=name(lead.leader),
                count=lead.leader_count,
                edition=lead.edition,
                second=name(lead.second),
                second_count=lead.second_count,
            )
        )
    if lead.ahead_since is not None:
        s.para(
            report.t(
                "per_economy_ahead",
                leader=name(lead.leader),
                other=name(lead.second),
                year=lead.ahead_since,
            )
        )
    caption = report.t("per_economy_caption")
    # a count on another basis (e.g. China's 2019 figure with Hong Kong and Taiwan) is named
    shared = counts.loc[counts["counts_with"].fillna("").astype(str) != ""]
    for row in shared.itertuples():
        caption += report.t(
            "per_economy_counts_with",
            economy=name(row.economy_code),
            edition=int(row.edition),
            others=report.names(name(c) for c in row.counts_with.split("/")),
        )
    s.chart(fig, caption, "gii_clusters_per_economy", counts["confidence"].tolist())
    frame = insert_after(
        drawn.rows,
        "economy_code",
        "economy_name",
        (_economy(report, c) for c in drawn.rows["economy_code"]),
    ).rename(columns={"count": "clusters_in_top100"})
    return s.done(frame[list(COLUMNS["clusters_per_economy"])])


def macao_zhuhai(report: BaseReport, a: clusters.ClusterAnalysis) -> Section:
    """Heading and table on the GBA's second cluster's entry (2024 inferred, 2025)."""
    code = a.newcomer
    if code is None:
        return _empty(report, "macao_zhuhai")
    e, name = clusters.entry(a.window, code), report.cluster(code)

    def o(n: int) -> str:
        return ordinal(n, report.lang)

    s = report.section("macao_zhuhai")
    if e.first_edition == e.latest_edition:
        suffix = report.t("inferred_suffix") if e.latest_is_inferred else ""
        s.heading(
            report.t(
                "macao_heading_one",
                cluster=name,
                latest=e.latest_edition,
                latest_rank=o(e.latest_rank) + suffix,
            )
        )
    else:
        first_rank = o(e.first_rank) + (report.t("inferred_inline") if e.first_is_inferred else "")
        s.heading(
            report.t(
                "macao_heading",
                cluster=name,
                first=e.first_edition,
                first_rank=first_rank,
                latest=e.latest_edition,
                latest_rank=o(e.latest_rank),
            )
        )
        if e.first_is_inferred:
            text = report.t(
                "macao_text", cluster=name, gained=e.places_gained, latest_rank=o(e.latest_rank)
            )
            s.para(text)
    rows = a.window.loc[a.window["cluster_code"] == code].sort_values("edition")
    table = pd.DataFrame(
        {
            "edition": rows["edition"].astype(int).astype(str),
            "rank": [
                o(r) + (report.t("inferred_suffix") if inferred else "")
                for r, inferred in zip(rows["rank"], rows["is_inferred"], strict=True)
            ],
            "confidence": rows["confidence"],
        }
    )
    s.table(
        table,
        {"edition": report.t("col_edition"), "rank": report.t("col_rank")},
        sources=_ids(rows),
        caption=report.t("macao_caption", cluster=name),
    )
    return s.done(_data(report, "macao_zhuhai", rows))


def economy_ranks(
    report: BaseReport, a: clusters.ClusterAnalysis, economy_ranks: pd.DataFrame
) -> Section:
    """Heading with China's and Hong Kong's economy ranks; the chart."""
    drawn = economies.economy_rank_lines(economy_ranks, ECONOMIES, a.first, a.last)
    if drawn.rows.empty:
        return _empty(report, "economy_ranks")
    fig = lines.lines_with_gaps(
        drawn.rows,
        "edition",
        "gii_rank",
        "economy_code",
        drawn.codes,
        {c: report.region(c) for c in drawn.codes},
        {c: c for c in drawn.codes},
        x_range=(drawn.first_edition, drawn.last_edition),
        xlabel=report.t("axis_edition"),
        ylabel=report.t("axis_gii_rank"),
        invert=True,
        highlight=["CHN", "HKG"],
    )
    s = report.section("economy_ranks")
    change, hk = economies.rank_change(drawn, "CHN"), economies.latest_rank(drawn, "HKG")
    if change is not None and hk is not None:
        first_ed, first_rank, last_ed, last_rank = change

        def o(n: int) -> str:
            return ordinal(n, report.lang)

        s.heading(
            report.t(
                "economy_heading" if last_rank <= first_rank else "economy_heading_down",
                first_econ=report.region("CHN"),
                first_rank=o(first_rank),
                first_ed=first_ed,
                last_rank=o(last_rank),
                last_ed=last_ed,
                second_econ=report.region("HKG"),
                second_rank=o(hk[1]),
                second_ed=hk[0],
            )
        )
    window = clusters.editions_between(economy_ranks, a.first, a.last)
    s.chart(fig, report.t("economy_caption"), "gii_economy_ranks", window["confidence"].tolist())
    frame = report.with_region_names(drawn.rows, "economy_code").rename(
        columns={"region_name": "economy_name"}
    )
    return s.done(frame[list(COLUMNS["economy_ranks"])])


# ---------------------------------------------------------------------- the executive brief


def summary_points(report: BaseReport, a: clusters.ClusterAnalysis) -> list[BriefPoint]:
    """The focus's rank story and the newcomer's latest rank, with their confidence."""

    def point(text: str, code: str) -> BriefPoint:
        latest = a.window.loc[a.window["cluster_code"] == code].sort_values("edition").iloc[-1]
        return BriefPoint(text, str(latest["confidence"]), str(latest["source_id"]))

    points = [point(rank_heading(report, a), a.focus)]
    if a.newcomer is not None:
        e = clusters.entry(a.window, a.newcomer)
        text = report.t(
            "macao_heading_one",
            cluster=report.cluster(a.newcomer),
            latest=e.latest_edition,
            latest_rank=ordinal(e.latest_rank, report.lang),
        )
        points.append(point(text, a.newcomer))
    return points


def summary_chart(
    report: BaseReport, a: clusters.ClusterAnalysis, methodology: pd.DataFrame, compact: bool
) -> Section:
    """The bump chart for the brief (full width, short when ``compact``)."""
    fig = _bump_figure(report, a, methodology)
    if compact:
        fig.set_size_inches(*theme.BRIEF_FULL_IN)
    s = report.section("summary_chart")
    caption = report.t("bump_caption", n=a.top_n)
    s.chart(fig, caption, "gii_cluster_ranks", a.bump["confidence"].tolist())
    return s.done(_data(report, "summary_chart", a.bump))
