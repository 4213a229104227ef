"""Rank charts: the bump chart of cluster ranks over GII editions (rank 1 on top)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gba_report.present.charts import svg
from gba_report.present.charts.theme import MUTED, WIDTH_IN, color_for


def bump_chart(
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    first: int,
    last: int,
    main_ranks: int,
    method_marks: Mapping[int, str],
    *,
    xlabel: str,
    ylabel: str,
    others_label: str,
    inferred_label: str,
    lower_label: str,
) -> Figure:
    """Rank trajectories, rank 1 at the top; lines only between consecutive editions.

    Args:
        frame: From :func:`gba_report.analysis.clusters.bump_frame`: ``panel`` says where a
            rank is drawn (``main``, or ``lower``: a small panel underneath for highlighted
            clusters ranked far lower), ``segment`` which points a line joins.
        labels: Display name per highlighted cluster code.
        first: First edition (x axis).
        last: Last edition.
        main_ranks: Ranks 1..main_ranks make the main panel's axis.
        method_marks: ``{edition: short label}`` of methodology changes (a dotted line is
            drawn just before the edition, labels staggered above the plot).
        xlabel: X-axis label.
        ylabel: Y-axis label.
        others_label: Legend label of the grey lines.
        inferred_label: Legend label of hollow (inferred) points.
        lower_label: Label of the lower panel.

    Returns:
        The figure.
    """
    low = frame.loc[frame["panel"] == "lower"]
    has_low = not low.empty
    height = 4.6 if has_low else 4.0
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    if has_low:
        ax, axl = fig.subplots(2, 1, sharex=True, height_ratios=[5, 1])
    else:
        ax, axl = fig.subplots(1, 1), None
    axes = [ax] + ([axl] if axl is not None else [])
    hl_order = list(labels)
    order = sorted(
        frame["cluster_code"].unique(),
        key=lambda c: (c in hl_order, -hl_order.index(c) if c in hl_order else 0, c),
    )
    handles = {}
    for code in order:
        part = frame.loc[frame["cluster_code"] == code].sort_values("edition")
        hl = bool(part["is_highlighted"].any())
        color = color_for(code) if hl else MUTED
        lw, ms, z = (2.2, 5.5, 3) if hl else (1.0, 3.0, 1)
        for panel, target in (("main", ax), ("lower", axl)):
            if target is None:
                continue
            sub = part.loc[part["panel"] == panel].set_index("edition")
            for _segment, run in sub.groupby("segment", sort=True):
                target.plot(
                    run.index.to_numpy(),
                    run["rank"].astype(float),
                    color=color,
                    lw=lw,
                    zorder=z,
                    solid_capstyle="round",
                )
            for inferred, pts in sub.groupby(sub["is_inferred"].astype(bool)):
                dots = target.scatter(
                    pts.index,
                    pts["rank"].astype(float),
                    s=ms**2,
                    facecolor="white" if inferred else color,
                    edgecolor=color,
                    linewidth=1.2 if inferred else 0.4,
                    zorder=z + 1,
                )
                if code in labels:  # grey clusters have no name here: no hover text
                    svg.tip(dots, labels[code], pts.index.tolist(), pts["rank"].tolist())
        if hl:
            handles[code] = Line2D(
                [0], [0], color=color, lw=lw, marker="o", ms=4, label=labels.get(code, code)
            )
    handles = [handles[c] for c in hl_order if c in handles]
    handles.append(Line2D([0], [0], color=MUTED, lw=1.0, marker="o", ms=2.5, label=others_label))
    if frame["is_inferred"].astype(bool).any():
        handles.append(
            Line2D(
                [0],
                [0],
                color="#555555",
                lw=0,
                marker="o",
                ms=5,
                markerfacecolor="white",
                label=inferred_label,
            )
        )
    ax.set_ylim(main_ranks + 0.6, 0.4)
    ax.set_yticks(range(1, main_ranks + 1))
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if axl is not None:
        lo, hi = int(low["rank"].min()), int(low["rank"].max())
        axl.set_ylim(hi + 2, lo - 2)
        axl.set_yticks(sorted({lo, hi}))
        axl.grid(axis="x", visible=False)
        axl.text(
            0.005,
            0.5,
            lower_label,
            transform=axl.transAxes,
            fontsize=7,
            va="center",
            color="#555555",
        )
        axl.spines["top"].set_visible(True)
        axl.spines["top"].set_linestyle((0, (2, 2)))
        axl.spines["top"].set_color("#999999")
    bottom = axes[-1]
    bottom.set_xlim(first - 0.6, last + 0.4)
    bottom.set_xticks(range(first, last + 1))
    bottom.set_xlabel(xlabel)
    for edition in sorted(method_marks):
        for a in axes:
            a.axvline(edition - 0.5, color="#777777", lw=0.8, ls=(0, (1, 2)), zorder=0)
    # method labels above the plot, staggered over two rows so neighbours never collide
    for i, (edition, text) in enumerate(sorted(method_marks.items())):
        ax.annotate(
            text,
            xy=(edition - 0.5, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3 + 11 * (i % 2)),
            textcoords="offset points",
            fontsize=7,
            ha="center",
            va="bottom",
            color="#444444",
            annotation_clip=False,
        )
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7.5, frameon=False)
    return fig
