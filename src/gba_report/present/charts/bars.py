"""Bar charts: ranked bars, stacked parts of a total, grouped bars with "not available" slots.

Each function takes a tidy frame ready to draw (labels already translated) and returns a
:class:`matplotlib.figure.Figure`. A value that is not known is drawn as a hatched "n/a" slot,
never as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from gba_report.present.charts.theme import (
    HEIGHT_IN,
    MUTED,
    NA_HATCH,
    OKABE_ITO,
    color_for,
    new_figure,
)


def barh_ranked(
    df: pd.DataFrame,
    value: str,
    label: str,
    code: str,
    *,
    highlight: Iterable[str] = (),
    xlabel: str = "",
    value_fmt: Callable[[float], str] | None = None,
    text: str | None = None,
) -> Figure:
    """Horizontal bars sorted by value, highlighted codes in their colour, others grey.

    Args:
        df: Tidy frame, one row per bar.
        value: Column with the bar length.
        label: Column with the display label.
        code: Column with the code (for highlight colours).
        highlight: Codes to colour.
        xlabel: X-axis label.
        value_fmt: Function formatting a value for the bar-end label (``None``: no labels).
        text: Column with each bar's end label (as the source states it), instead of
            ``value_fmt``.

    The height grows with the number of bars.

    Returns:
        The figure.
    """
    data = df.dropna(subset=[value]).sort_values(value, ascending=True)
    fig = new_figure(max(2.2, 0.19 * len(data) + 0.8))
    ax = fig.axes[0]
    highlight = set(highlight)
    colors = [color_for(c) if c in highlight else MUTED for c in data[code]]
    ypos = np.arange(len(data))
    ax.barh(ypos, data[value], color=colors, height=0.72)
    ax.set_yticks(ypos, data[label].tolist())
    ax.xaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    if value_fmt is not None or text is not None:
        xmax = float(data[value].max())
        ends = data[text] if text is not None else [value_fmt(v) for v in data[value]]
        for yp, v, end in zip(ypos, data[value], ends, strict=True):
            ax.text(v + xmax * 0.01, yp, end, va="center", fontsize=7.5)
        ax.set_xlim(0, xmax * 1.16)
    return fig


def stacked_bars(
    df: pd.DataFrame,
    x: str,
    part: str,
    value: str,
    labels: Mapping[str, str],
    order: Sequence[str],
    *,
    ylabel: str = "",
    break_x: Iterable = (),
    break_label: str = "",
    height: float = HEIGHT_IN,
) -> Figure:
    """Stacked bars of the parts of a total per ``x`` (e.g. GERD by sector per year).

    Args:
        df: Tidy frame with ``x``, ``part`` and ``value``.
        x: Column on the x axis (year).
        part: Column naming the part (sector).
        value: Column with the amount.
        labels: Display label per part.
        order: Parts from bottom to top (coloured blue, orange, green, ... in that order).
        ylabel: Y-axis label.
        break_x: ``x`` values where a new method starts (a dashed line is drawn before them).
        break_label: Label of the series-break line.
        height: Figure height in inches.

    Returns:
        The figure.
    """
    fig = new_figure(height)
    ax = fig.axes[0]
    wide = df.pivot_table(index=x, columns=part, values=value, aggfunc="sum").sort_index()
    colors = [OKABE_ITO[k] for k in ("blue", "orange", "green", "purple", "sky_blue")]
    bottom = np.zeros(len(wide))
    xs = wide.index.to_numpy(dtype=float)
    for i, key in enumerate(order):
        if key not in wide:
            continue
        vals = wide[key].to_numpy(dtype=float)
        ax.bar(
            xs,
            np.nan_to_num(vals),
            bottom=bottom,
            color=colors[i % len(colors)],
            label=labels.get(key, key),
            width=0.7,
        )
        bottom += np.nan_to_num(vals)
    # every year gets a slot, so a year without a split shows as a gap, not a missing tick
    ticks = np.arange(int(xs.min()), int(xs.max()) + 1)
    ax.set_xticks(ticks, [str(v) for v in ticks])
    ax.grid(axis="x", visible=False)
    ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    for bx in break_x:
        if bx in list(wide.index):
            pos = float(bx) - 0.5
            ax.axvline(pos, color="#333333", lw=0.9, ls="--")
            ax.text(pos + 0.08, ax.get_ylim()[1] * 0.97, break_label, fontsize=7.5, va="top")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), reverse=True)
    return fig


def grouped_barh_with_na(
    frame: pd.DataFrame,
    cluster_labels: Mapping[str, str],
    metric_labels: Mapping[str, str],
    *,
    xlabel: str,
    na_text: str,
    value_fmt: Callable[[float], str],
) -> Figure:
    """Horizontal grouped bars (clusters x metrics); unknown values drawn as hatched "n/a".

    Args:
        frame: From :func:`gba_report.analysis.clusters.shares_long`.
        cluster_labels: Display name per cluster code.
        metric_labels: Display name per metric, in drawing order.
        xlabel: X-axis label.
        na_text: Text put on a bar whose value is unknown.
        value_fmt: Formats a known value for the bar-end label.

    Returns:
        The figure.
    """
    clusters = list(dict.fromkeys(frame["cluster_code"]))
    metrics = list(metric_labels)
    palette = [OKABE_ITO[k] for k in ("blue", "orange", "green")]
    n_m = len(metrics)
    bar_h = 0.8 / n_m
    height = max(2.6, 0.62 * len(clusters) + 1.1)
    fig = new_figure(height)
    ax = fig.axes[0]
    known = frame["share_pct"].dropna()
    xmax = float(known.max()) if not known.empty else 1.0
    na_len = xmax * 0.12
    for mi, metric in enumerate(metrics):
        sub = frame.loc[frame["metric"] == metric].set_index("cluster_code")
        for ci_, code in enumerate(clusters):
            ypos = ci_ + (mi - (n_m - 1) / 2) * bar_h
            value = sub.loc[code, "share_pct"] if code in sub.index else np.nan
            if pd.isna(value):
                ax.barh(
                    ypos,
                    na_len,
                    height=bar_h * 0.9,
                    facecolor="white",
                    edgecolor=palette[mi % 3],
                    hatch=NA_HATCH,
                    linewidth=0.6,
                )
                ax.text(
                    na_len + xmax * 0.01, ypos, na_text, va="center", fontsize=6.5, color="#666666"
                )
            else:
                ax.barh(ypos, float(value), height=bar_h * 0.9, color=palette[mi % 3])
                ax.text(
                    float(value) + xmax * 0.01,
                    ypos,
                    value_fmt(float(value)),
                    va="center",
                    fontsize=6.5,
                    color="#222222",
                )
    ax.set_yticks(range(len(clusters)), [cluster_labels.get(c, c) for c in clusters])
    ax.invert_yaxis()
    ax.set_xlim(0, xmax * 1.18)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    handles = [Patch(color=palette[i % 3], label=metric_labels[m]) for i, m in enumerate(metrics)]
    handles.append(Patch(facecolor="white", edgecolor="#666666", hatch=NA_HATCH, label=na_text))
    fig.legend(
        handles=handles, loc="outside lower center", ncol=len(handles), fontsize=7.5, frameon=False
    )
    return fig


def gerd_stacked(
    wide: pd.DataFrame,
    order: Sequence[str],
    labels: Mapping[str, str],
    *,
    ylabel: str,
    xlabel: str,
    break_years: Sequence[int],
    break_label: str,
    na_text: str,
) -> Figure:
    """Hong Kong GERD by performing sector, stacked per year; totals without a split hatched.

    Args:
        wide: Years x sectors (+ ``total``), HK$ million (converted by the caller if needed).
        order: Sectors bottom to top.
        labels: Display name per sector (and ``total``).
        ylabel: Y-axis label.
        xlabel: X-axis label.
        break_years: First years of a new method (dashed line before them).
        break_label: Label of the break line.
        na_text: Text on a year without any figure.

    Returns:
        The figure.
    """
    fig = new_figure(3.6)
    ax = fig.axes[0]
    colors = {
        "business": OKABE_ITO["blue"],
        "higher_education": OKABE_ITO["orange"],
        "government": OKABE_ITO["green"],
    }
    xs = np.arange(len(wide))
    bottom = np.zeros(len(wide))
    has_split = wide[list(order)].notna().all(axis=1).to_numpy()
    for key in order:
        vals = np.where(has_split, wide[key].fillna(0).to_numpy(dtype=float), 0.0)
        ax.bar(
            xs, vals, bottom=bottom, color=colors.get(key, "#888888"), width=0.7, label=labels[key]
        )
        bottom += vals
    total = wide["total"].to_numpy(dtype=float) if "total" in wide else bottom
    only_total = ~has_split & ~np.isnan(total)
    if only_total.any():
        ax.bar(
            xs[only_total],
            total[only_total],
            width=0.7,
            facecolor="white",
            edgecolor="#777777",
            hatch=NA_HATCH,
            linewidth=0.6,
            label=labels["total"],
        )
    ymax = np.nanmax(np.where(np.isnan(total), bottom, total)) if len(total) else 1
    for i in np.where(np.isnan(total) & ~has_split)[0]:
        ax.text(
            xs[i],
            ymax * 0.03,
            na_text,
            ha="center",
            va="bottom",
            fontsize=6.5,
            rotation=90,
            color="#666666",
        )
    ax.set_xticks(xs, [str(int(y)) for y in wide.index])
    ax.grid(axis="x", visible=False)
    ax.set_ylim(0, ymax * 1.15)
    years = [int(y) for y in wide.index]
    for by in break_years:
        if by in years and years.index(by) > 0:
            pos = years.index(by) - 0.5
            ax.axvline(pos, color="#333333", lw=0.9, ls="--")
            ax.text(
                pos - 0.08,
                ymax * 1.12,
                break_label,
                fontsize=7,
                va="top",
                ha="right",
                color="#333333",
            )
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    handles, labs = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1],
        labs[::-1],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=7.5,
        frameon=False,
    )
    return fig
