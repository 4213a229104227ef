"""Charts on a time axis: milestones with non-overlapping labels, cumulative "over" figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from gba_report.present.charts.labels import freeze_layout, wrap_label
from gba_report.present.charts.theme import OKABE_ITO, color_for, new_figure

#: White box behind timeline labels, so leader lines of other milestones pass behind them.
LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}


def timeline(
    events: pd.DataFrame,
    label_col: str,
    *,
    flag_col: str,
    type_col: str,
    type_labels: Mapping[str, str],
    xlabel: str = "",
    flag_label: str = "",
    wrap: int = 22,
    start_year: int | None = None,
    end_year: int | None = None,
) -> Figure:
    """Milestones on a time axis, labels alternating above and below without overlap.

    Each label goes to the lowest free level, trying above and below alternately; a level is
    free when the label's measured box does not touch a label already on it.

    Args:
        events: Rows with ``date_mid`` (Timestamp), ``label_col`` and ``type_col``.
        label_col: Column with the (translated, short) label.
        flag_col: Boolean column: True marks an unverified milestone (hollow marker, ‡).
        type_col: Column with the event type (marker colour).
        type_labels: Display name per event type (legend), in order.
        xlabel: X-axis label.
        flag_label: Legend label for flagged (unverified) milestones.
        wrap: Characters per label line (``len`` of the string; CJK text wraps earlier).
        start_year: First year of the axis.
        end_year: Last year of the axis.

    Returns:
        The figure.
    """
    fig = new_figure(5.4)
    ax = fig.axes[0]
    type_colors = dict(
        zip(
            type_labels,
            [OKABE_ITO[k] for k in ("vermillion", "blue", "green", "orange", "purple")],
            strict=False,
        )
    )
    years = events["date_mid"].dt.year
    y0 = start_year if start_year is not None else int(years.min())
    y1 = end_year if end_year is not None else int(years.max())
    x0 = mpl.dates.date2num(pd.Timestamp(f"{y0}-01-01"))
    x1 = mpl.dates.date2num(pd.Timestamp(f"{y1}-12-31"))
    ax.set_xlim(x0 - 40, x1 + 40)
    levels = [1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6]
    ax.set_ylim(-8.0, 8.0)
    ax.axhline(0, color="#444444", lw=1.0, zorder=1)
    ax.xaxis.set_major_locator(mpl.dates.YearLocator())
    ax.xaxis.set_major_formatter(mpl.dates.DateFormatter("%Y"))
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    renderer = freeze_layout(fig)
    placed: dict[int, list[Bbox]] = {lv: [] for lv in levels}
    for _, row in events.iterrows():
        x = mpl.dates.date2num(row["date_mid"])
        flagged = bool(row[flag_col])
        color = type_colors.get(row[type_col], "#333333")
        text = wrap_label(str(row[label_col]), wrap)
        chosen = _place_timeline_label(ax, renderer, text, x, levels, placed)
        ann, box, lv, xt = chosen
        placed[lv].append(box)
        ax.plot([x, x], [0, lv * 0.5], color="#BBBBBB", lw=0.6, zorder=0)
        ax.plot([x, xt], [lv * 0.5, lv * 0.97], color="#BBBBBB", lw=0.6, zorder=0)
        ax.scatter(
            [x],
            [0],
            s=34,
            facecolor="white" if flagged else color,
            edgecolor=color,
            linewidth=1.4,
            zorder=3,
        )
    # shrink the y range to the labels actually placed (spacing only grows, so no new overlap)
    boxes = [b for bs in placed.values() for b in bs]
    if boxes:
        inv = ax.transData.inverted()
        lo = inv.transform((0, min(b.y0 for b in boxes)))[1]
        hi = inv.transform((0, max(b.y1 for b in boxes)))[1]
        ax.set_ylim(min(lo, -1.0) - 0.3, max(hi, 1.0) + 0.3)
    handles = [
        Line2D([0], [0], lw=0, marker="o", ms=6, color=type_colors[t], label=lab)
        for t, lab in type_labels.items()
        if t in set(events[type_col])
    ]
    if events[flag_col].astype(bool).any():
        handles.append(
            Line2D(
                [0],
                [0],
                lw=0,
                marker="o",
                ms=6,
                markerfacecolor="white",
                color="#555555",
                label=flag_label,
            )
        )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.09),
        ncol=3,
        fontsize=7.5,
        frameon=False,
    )
    return fig


def _place_timeline_label(
    ax: Axes,
    renderer: RendererBase,
    text: str,
    x: float,
    levels: Sequence[int],
    placed: Mapping[int, list[Bbox]],
) -> tuple[Annotation, Bbox, int, float]:
    """Put one timeline label on the first free (level, sideways shift); never overlapping.

    Tries each level (above and below alternately) with the label centred on its milestone,
    then shifted sideways by half and one label width; a candidate must stay inside the axes
    and keep clear of every label already on the same side. When nothing is free, the
    candidate with the least overlap wins.

    Returns:
        ``(annotation, box, level, label x in data units)``.
    """
    axbox = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()
    px = ax.transData.transform((x, 0))[0]
    best = None
    for lv in levels:
        same_side = [b for lv2, bs in placed.items() if (lv2 > 0) == (lv > 0) for b in bs]
        probe = ax.annotate(
            text,
            xy=(x, lv),
            ha="center",
            va="bottom" if lv > 0 else "top",
            fontsize=6.8,
            bbox=LABEL_BOX,
        )
        width = probe.get_window_extent(renderer).width
        probe.remove()
        for factor in (0.0, 0.6, -0.6, 1.1, -1.1):
            cx = px + factor * width
            cx = min(max(cx, axbox.x0 + width / 2 + 2), axbox.x1 - width / 2 - 2)
            xt = to_data.transform((cx, 0))[0]
            ann = ax.annotate(
                text,
                xy=(x, 0),
                xytext=(xt, lv),
                textcoords="data",
                ha="center",
                va="bottom" if lv > 0 else "top",
                fontsize=6.8,
                color="#222222",
                annotation_clip=False,
                bbox=LABEL_BOX,
                zorder=4,
            )
            box = ann.get_window_extent(renderer)
            grown = Bbox.from_extents(box.x0 - 24, box.y0 - 4, box.x1 + 24, box.y1 + 4)
            overlap = sum(
                max(0.0, min(grown.x1, b.x1) - max(grown.x0, b.x0))
                * max(0.0, min(grown.y1, b.y1) - max(grown.y0, b.y0))
                for b in same_side
            )
            inside = box.y0 >= axbox.y0 and box.y1 <= axbox.y1
            if overlap == 0 and inside:
                if best is not None:
                    best[0].remove()
                return ann, box, lv, xt
            score = overlap + (0 if inside else 1e9)
            if best is None or score < best[4]:
                if best is not None:
                    best[0].remove()
                best = (ann, box, lv, xt, score)
            else:
                ann.remove()
    return best[:4]


def cumulative_steps(
    milestones: pd.DataFrame,
    value_col: str,
    label_col: str,
    *,
    ylabel: str,
    lower_bound_text: str,
    start_year: int,
    end_year: int,
) -> Figure:
    """Cumulative milestones as points with upward arrows (values are "over" figures).

    Args:
        milestones: Rows with ``date_mid``, ``value_col``, ``is_lower_bound``, ``confidence``.
        value_col: Column with the amount in the display currency.
        label_col: Column with each point's label.
        ylabel: Y-axis label.
        lower_bound_text: Legend text of the arrow ("at least").
        start_year: First year of the axis.
        end_year: Last year of the axis.

    Returns:
        The figure.
    """
    fig = new_figure(3.2)
    ax = fig.axes[0]
    color = color_for("GD")
    vmax = float(milestones[value_col].max()) if len(milestones) else 1.0
    x_first = mpl.dates.date2num(pd.Timestamp(f"{start_year}-01-01"))
    x_last = mpl.dates.date2num(pd.Timestamp(f"{end_year}-12-31"))
    for _, row in milestones.iterrows():
        x = mpl.dates.date2num(row["date_mid"])  # mid-period, as on the timeline
        left_half = x - x_first < (x_last - x_first) / 2  # label towards the middle: inside
        v = float(row[value_col])
        unverified = row["confidence"] == "unverified"
        ax.scatter(
            [x],
            [v],
            s=46,
            facecolor="white" if unverified else color,
            edgecolor=color,
            linewidth=1.4,
            zorder=3,
        )
        if bool(row["is_lower_bound"]):
            ax.annotate(
                "",
                xy=(x, v + vmax * 0.16),
                xytext=(x, v + vmax * 0.02),
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.0},
            )
        ax.annotate(
            row[label_col],
            xy=(x, v),
            xytext=(8 if left_half else -8, 0),
            textcoords="offset points",
            ha="left" if left_half else "right",
            va="center",
            fontsize=7.5,
        )
    ax.set_ylim(0, vmax * 1.35)
    ax.set_xlim(x_first, x_last)
    ax.xaxis.set_major_locator(mpl.dates.YearLocator())
    ax.xaxis.set_major_formatter(mpl.dates.DateFormatter("%Y"))
    ax.set_ylabel(ylabel)
    handles = [
        Line2D([0], [0], color=color, marker=r"$\uparrow$", lw=0, ms=8, label=lower_bound_text)
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=7.5, frameon=False)
    return fig
