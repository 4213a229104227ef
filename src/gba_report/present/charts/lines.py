"""Line and point charts: labelled lines, lines with gaps, sparse points, a labelled scatter.

Each function takes a tidy frame ready to draw (labels already translated) and returns a
:class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from gba_report.present.charts import svg
from gba_report.present.charts.labels import (
    EndLabel,
    freeze_layout,
    label_gap,
    place_end_labels,
    place_point_labels,
)
from gba_report.present.charts.theme import HEIGHT_IN, MUTED, WIDTH_IN, color_for, new_figure

#: Line styles and point markers of :func:`lines_with_gaps`, in series order: two series on the
#: same values (e.g. India and the UK at 4 clusters) remain told apart.
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P")


def line_with_labels(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    labels: Mapping[str, str],
    *,
    highlight: Iterable[str] = (),
    break_col: str | None = None,
    hollow_col: str | None = None,
    ylabel: str = "",
    ymin: float | None = 0,
    hline: tuple[float, str] | None = None,
    height: float = HEIGHT_IN,
    width: float = WIDTH_IN,
) -> Figure:
    """Lines per group with end labels placed without overlap.

    Args:
        df: Tidy frame with columns ``x``, ``y``, ``group`` (and ``break_col``).
        x: Column on the x axis (year).
        y: Column on the y axis.
        group: Column with the series code (colour from :func:`color_for`).
        labels: Display label per code (already translated).
        highlight: Codes drawn thicker; others thinner.
        break_col: Boolean column, True on the first year of a new method: the segment from
            the previous point is drawn dotted.
        hollow_col: Boolean column, True for a provisional point: drawn hollow, and the
            segment to it dashed.
        ylabel: Y-axis label.
        ymin: Lower y limit (``None`` for automatic).
        hline: ``(value, label)`` reference line (e.g. a target).
        height: Figure height in inches.
        width: Figure width in inches (default: the full text width).

    Returns:
        The figure.
    """
    fig = new_figure(height, width=width)
    ax = fig.axes[0]
    highlight = set(highlight)
    ends: list[EndLabel] = []
    for code, part in df.dropna(subset=[y]).sort_values(x).groupby(group, sort=False):
        code = str(code)
        color = color_for(code)
        lw = 2.2 if code in highlight else 1.3
        xs = part[x].to_numpy()
        ys = part[y].to_numpy(dtype=float)
        breaks = (
            part[break_col].fillna(False).astype(bool).to_numpy()
            if break_col and break_col in part
            else np.zeros(len(part), bool)
        )
        hollow = (
            part[hollow_col].fillna(False).astype(bool).to_numpy()
            if hollow_col and hollow_col in part
            else np.zeros(len(part), bool)
        )
        # draw solid runs between breaks and across gaps in years; dotted across breaks,
        # dashed to a provisional point
        start = 0
        for i in range(1, len(xs) + 1):
            if i == len(xs) or breaks[i] or hollow[i]:
                ax.plot(xs[start:i], ys[start:i], color=color, lw=lw, solid_capstyle="round")
                if i < len(xs):
                    style = "--" if hollow[i] else ":"
                    ax.plot(xs[i - 1 : i + 1], ys[i - 1 : i + 1], color=color, lw=lw, ls=style)
                start = i
        label = labels.get(code, code)
        size = (9 if code in highlight else 5) * (4 if len(xs) == 1 else 1)  # a lone point shows
        top = 4 if code in highlight else 3  # the focus's points over the others'
        dots = ax.scatter(xs[~hollow], ys[~hollow], s=size, color=color, zorder=top)
        svg.tip(dots, label, xs[~hollow], ys[~hollow])
        if hollow.any():
            provisional = ax.scatter(
                xs[hollow],
                ys[hollow],
                s=size * 3,
                facecolors="white",
                edgecolors=color,
                linewidths=1.1,
                zorder=3,
            )
            svg.tip(provisional, label, xs[hollow], ys[hollow])
        ends.append(EndLabel(label, float(xs[-1]), float(ys[-1]), color, code in highlight))
    if hline is not None:
        ax.axhline(hline[0], color="#555555", lw=0.9, ls="--", zorder=1)
        ax.annotate(
            hline[1],
            xy=(0.0, hline[0]),
            xycoords=("axes fraction", "data"),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=8,
            color="#333333",
            va="bottom",
        )
    if ymin is not None:
        ax.set_ylim(bottom=ymin)
    ax.set_ylim(top=ax.get_ylim()[1] * 1.02)
    ax.set_ylabel(ylabel)
    # about one year label per 0.45 in of width, so narrow charts never crowd their years
    nbins = max(3, int(width / 0.45)) if width < WIDTH_IN else "auto"
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=nbins))
    xmax = max((e.x for e in ends), default=0)
    fontsize = mpl.rcParams["legend.fontsize"]
    gap = label_gap(ax, fontsize, 1.25)
    place_end_labels(ax, ends, x_text=xmax + 0.4, fontsize=fontsize, gap=gap, leader="moved")
    lo, _hi = ax.get_xlim()
    ax.set_xlim(lo, xmax + 0.3)
    return fig


def lines_with_gaps(
    rows: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    codes: Sequence[str],
    labels: Mapping[str, str],
    color_codes: Mapping[str, str],
    *,
    x_range: tuple[int, int],
    xlabel: str,
    ylabel: str,
    invert: bool = False,
    highlight: Sequence[str] = (),
    height: float = 3.6,
) -> Figure:
    """One line per series, drawn only within its segments; non-overlapping end labels.

    Args:
        rows: Tidy rows with ``x``, ``y``, ``group`` and ``segment`` (runs of consecutive x
            values: a line never bridges a missing one), sorted by ``x`` within a series.
        x: Column on the x axis (edition).
        y: Column on the y axis.
        group: Series code column.
        codes: The series, in drawing order.
        labels: Display label per series.
        color_codes: Code used for :func:`color_for` per series.
        x_range: First and last x of the axis.
        xlabel: X-axis label.
        ylabel: Y-axis label.
        invert: Put low values at the top (ranks).
        highlight: Series drawn thicker.
        height: Figure height.

    Returns:
        The figure.
    """
    fig = new_figure(height)
    ax = fig.axes[0]
    ends, inner = [], []
    xs = list(range(x_range[0], x_range[1] + 1))
    for i, code in enumerate(codes):
        part = rows.loc[rows[group] == code]
        values = part[y].astype(float)
        color = color_for(color_codes.get(code, code))
        lw = 2.2 if code in highlight else 1.4
        style = LINE_STYLES[i % len(LINE_STYLES)]  # lines that overlap stay distinguishable
        for _segment, run in part.groupby("segment", sort=True):
            ax.plot(run[x].to_numpy(), run[y].to_numpy(dtype=float), color=color, lw=lw, ls=style)
        marker = MARKERS[i % len(MARKERS)]
        dots = ax.scatter(part[x], values, s=16, color=color, zorder=3, marker=marker)
        svg.tip(dots, labels.get(code, code), part[x].tolist(), values.tolist())
        last_x, last_y = float(part[x].iloc[-1]), float(values.iloc[-1])
        end = EndLabel(labels.get(code, code), last_x, last_y, color, code in highlight)
        (ends if last_x >= max(xs) else inner).append(end)  # a label sits at its last point
    ax.set_xticks(xs)
    ax.set_xlim(min(xs) - 0.3, max(xs) + 0.3)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if invert:
        lo, hi = ax.get_ylim()
        ax.set_ylim(max(hi, lo) + 0.5, max(min(hi, lo) - 0.5, 0.5))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    # room on the right for labels
    fig.get_layout_engine().set(rect=(0, 0, 0.8, 1))
    freeze_layout(fig)
    gap = label_gap(ax, 7.5, 1.3)
    place_end_labels(ax, ends, x_text=max(xs) + 0.45, fontsize=7.5, gap=gap)
    for end in inner:
        ax.annotate(
            end.text, (end.x, end.y), xytext=(4, 4), textcoords="offset points",
            fontsize=7.5, color=end.color,
        )  # fmt: skip
    return fig


def points_by_year(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    labels: Mapping[str, str],
    *,
    ylabel: str = "",
    height: float = HEIGHT_IN,
    ymin: float | None = 0,
    reference: pd.DataFrame | None = None,
    reference_label: str | None = None,
    hollow_col: str | None = None,
) -> Figure:
    """Sparse observations as points (never joined by lines), labelled by group in a legend.

    Args:
        df: Tidy frame with ``x``, ``y`` and ``group``.
        x: Column on the x axis (year).
        y: Column on the y axis.
        group: Series code column.
        labels: Display label per code.
        ylabel: Y-axis label.
        height: Figure height in inches.
        ymin: Lower y limit.
        reference: Optional tidy frame (``x``, ``y``) drawn as a grey line for context (a
            complete series such as the province the cities belong to).
        reference_label: Legend label of the reference line.
        hollow_col: Boolean column: True draws the point hollow (unverified or derived).

    Returns:
        The figure.
    """
    fig = new_figure(height)
    ax = fig.axes[0]
    if reference is not None and len(reference):
        ref = reference.dropna(subset=[y]).sort_values(x)
        ax.plot(ref[x], ref[y], color=MUTED, lw=1.5, label=reference_label, zorder=1)
    points = df.dropna(subset=[y])
    markers = ["o", "s", "D", "^", "v", "P", "X", "*"]
    groups = points[group].nunique()
    for i, (code, part) in enumerate(points.groupby(group, sort=False)):
        size = 30 + 14 * (groups - 1 - i)  # later cities smaller, on top: coincident ones show
        code = str(code)
        hollow = (
            part[hollow_col].astype(bool).to_numpy() if hollow_col else np.zeros(len(part), bool)
        )
        color = color_for(code)
        solid = ax.scatter(
            part[x][~hollow],
            part[y][~hollow],
            s=size,
            marker=markers[i % len(markers)],
            color=color,
            edgecolor="white",
            linewidth=0.5,
            label=labels.get(code, code),
            zorder=3,
        )
        svg.tip(solid, labels.get(code, code), part[x][~hollow].tolist(), part[y][~hollow].tolist())
        if hollow.any():
            empty = ax.scatter(
                part[x][hollow],
                part[y][hollow],
                s=size,
                marker=markers[i % len(markers)],
                facecolor="white",
                edgecolor=color,
                linewidth=1.2,
                zorder=3,
            )
            svg.tip(
                empty, labels.get(code, code), part[x][hollow].tolist(), part[y][hollow].tolist()
            )
    if ymin is not None:
        ax.set_ylim(bottom=ymin)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.3)
    return fig


def scatter_labelled(
    frame: pd.DataFrame,
    x: str,
    y: str,
    label_col: str,
    code_col: str,
    highlight: Sequence[str],
    *,
    xlabel: str,
    ylabel: str,
) -> Figure:
    """Scatter on log-log axes with a non-overlapping label beside every point.

    Args:
        frame: One row per point.
        x: Column on the x axis.
        y: Column on the y axis.
        label_col: Column with the (translated) label.
        code_col: Column with the code (colour).
        highlight: Codes drawn in their colour (others dark grey).
        xlabel: X-axis label.
        ylabel: Y-axis label.

    Returns:
        The figure.
    """
    fig = new_figure(4.4)
    ax = fig.axes[0]
    xs = frame[x].astype(float).to_numpy()
    ys = frame[y].astype(float).to_numpy()
    colors = [color_for(c) if c in highlight else "#555555" for c in frame[code_col]]
    sizes = [42 if c in highlight else 18 for c in frame[code_col]]
    ax.scatter(xs, ys, s=sizes, c=colors, edgecolor="white", linewidth=0.5, zorder=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    fmt = mpl.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(fmt)
        axis.set_minor_formatter(mpl.ticker.NullFormatter())
    # room for labels: half a decade either side
    if len(xs):
        pad = 1.9
        ax.set_xlim(xs.min() / pad, xs.max() * pad)
        ax.set_ylim(ys.min() / pad * 1.2, ys.max() * pad / 1.2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    place_point_labels(
        ax,
        xs,
        ys,
        frame[label_col].tolist(),
        colors=[c if c != "#555555" else "#333333" for c in colors],
    )
    return fig
