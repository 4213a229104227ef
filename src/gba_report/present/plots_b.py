"""Charts of the ``cross_border_funding`` and ``cluster_rankings`` reports.

Built on :mod:`gba_report.present.plots` (theme, fixed colours,
:func:`~gba_report.present.plots.new_figure`, :func:`~gba_report.present.plots.repel`).
Each function takes tidy frames with labels already
translated and returns a :class:`matplotlib.figure.Figure`. Label placement is measured on
the drawn figure (text extents in display units), so labels never overlap whatever the
language or the length of a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from gba_report.analysis.clusters import consecutive_segments
from gba_report.present import plots

#: Highlighted ranks up to this many places below the top N stay in the main bump panel.
NEAR_RANKS = 8

#: White box behind timeline labels, so leader lines of other milestones pass behind them.
LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}

#: Hatch used for "not available" bars (unknown is never drawn as zero).
NA_HATCH = "////"


def _freeze_layout(fig: Figure):
    """Run the layout once, then freeze it so measured positions stay valid.

    Returns:
        The renderer used for text measurements.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig.canvas.get_renderer()


def _overlaps(
    box: Bbox, boxes: Sequence[Bbox], pad: float = 1.0, pad_x: float | None = None
) -> bool:
    """Whether ``box`` grown by ``pad`` (``pad_x`` sideways) touches any of ``boxes``."""
    px = pad if pad_x is None else pad_x
    padded = Bbox.from_extents(box.x0 - px, box.y0 - pad, box.x1 + px, box.y1 + pad)
    return any(padded.overlaps(b) for b in boxes)


def place_point_labels(
    ax,
    xs: Sequence[float],
    ys: Sequence[float],
    texts: Sequence[str],
    colors: Sequence[str] | None = None,
    fontsize: float = 7.5,
) -> list:
    """Label scatter points so that no two labels overlap each other or a point.

    Tries candidate positions around each point (right, left, above, below, diagonals,
    then further out with a leader line) and keeps the first that collides with nothing
    already placed and stays inside the axes.

    Args:
        ax: The axes (its figure's layout is frozen by this call).
        xs: Point x positions (data units).
        ys: Point y positions (data units).
        texts: Labels.
        colors: Label colours (default dark grey).
        fontsize: Font size in points.

    Returns:
        The created annotation artists.
    """
    fig = ax.figure
    renderer = _freeze_layout(fig)
    colors = list(colors) if colors is not None else ["#333333"] * len(texts)
    pts = ax.transData.transform(np.column_stack([xs, ys]))
    point_boxes = [Bbox.from_bounds(px - 3, py - 3, 6, 6) for px, py in pts]
    axbox = ax.get_window_extent(renderer)
    placed: list[Bbox] = []
    artists = []
    near = [
        (5, 0, "left", "center"),
        (-5, 0, "right", "center"),
        (0, 5, "center", "bottom"),
        (0, -5, "center", "top"),
        (4, 4, "left", "bottom"),
        (-4, 4, "right", "bottom"),
        (4, -4, "left", "top"),
        (-4, -4, "right", "top"),
    ]
    far = []
    for r in (14, 22, 32, 44):
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)):
            ha = "left" if dx > 0 else ("right" if dx < 0 else "center")
            va = "bottom" if dy > 0 else ("top" if dy < 0 else "center")
            far.append((dx * r, dy * r, ha, va))
    # place labels of crowded points first
    order = np.argsort(
        [-sum(1 for q in pts if np.hypot(*(q - p)) < 40) for p in pts], kind="stable"
    )
    for i in order:
        chosen = None
        for dx, dy, ha, va in near + far:
            ann = ax.annotate(
                texts[i],
                xy=(xs[i], ys[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=colors[i],
            )
            box = ann.get_window_extent(renderer)
            others = [b for j, b in enumerate(point_boxes) if j != i]
            inside = (
                box.x0 >= axbox.x0
                and box.x1 <= axbox.x1
                and box.y0 >= axbox.y0
                and box.y1 <= axbox.y1
            )
            if inside and not _overlaps(box, placed + others):
                chosen = (ann, box, dx, dy)
                break
            ann.remove()
        if chosen is None:  # last resort: right of the point (still inside the figure)
            ann = ax.annotate(
                texts[i],
                xy=(xs[i], ys[i]),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=fontsize,
                color=colors[i],
            )
            chosen = (ann, ann.get_window_extent(renderer), 5, 0)
        ann, box, dx, dy = chosen
        if np.hypot(dx, dy) > 10:
            ax.annotate(
                "",
                xy=(xs[i], ys[i]),
                xytext=(dx * 0.8, dy * 0.8),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": "#AAAAAA", "lw": 0.5},
            )
        placed.append(box)
        artists.append(ann)
    return artists


def _end_labels(
    ax, ends: list[tuple[str, float, float, str, bool]], x_text: float, fontsize: float
) -> None:
    """Labels at the right of lines, spread vertically so they never overlap.

    Args:
        ax: The axes (layout frozen).
        ends: ``(text, x, y, colour, bold)`` of each line's last point.
        x_text: x (data) where labels start.
        fontsize: Font size.
    """
    if not ends:
        return
    renderer = _freeze_layout(ax.figure)
    inv = ax.transData.inverted()
    # one text line in data units (y may be inverted: use absolute distance)
    y0 = inv.transform((0, 0))[1]
    y1 = inv.transform((0, fontsize * 1.3 * ax.figure.dpi / 72.0))[1]
    gap = abs(y1 - y0)
    sign = -1 if ax.yaxis_inverted() else 1
    wanted = [sign * e[2] for e in ends]
    placed = plots.repel(wanted, gap)
    del renderer
    for (text, ex, ey, color, bold), ly in zip(ends, placed, strict=True):
        ax.annotate(
            text,
            xy=(ex, ey),
            xytext=(x_text, sign * ly),
            textcoords="data",
            fontsize=fontsize,
            color=color,
            va="center",
            ha="left",
            fontweight="bold" if bold else "normal",
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": "#CCCCCC", "lw": 0.5},
        )


#: Characters that must not start a line (closing punctuation) or end one (opening).
_NO_LINE_START = set("，。、；：？！）」』》〉】,.;:?!)%‡†")
_NO_LINE_END = set("（「『《〈【(")
_TOKEN = re.compile(r"[0-9][0-9,.]*%?|[A-Za-z$][A-Za-z0-9$&'’.\-]*|\s+|.", re.S)


def _cells(token: str) -> int:
    """Display width of a token: CJK and full-width characters count two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in token)


def wrap_label(text: str, width: int) -> str:
    """Wrap a label into balanced lines of about ``width`` display cells.

    Never breaks inside a number or a Latin word, never starts a line with closing
    punctuation (or a † / ‡ mark) nor ends one with opening punctuation, and balances the
    lines so that no line is a lone character or two.

    Args:
        text: The label (English or Traditional Chinese).
        width: Wanted line width in display cells (a CJK character is two cells).

    Returns:
        The label with a newline between lines.
    """
    tokens = [t for t in _TOKEN.findall(str(text)) if t]
    # glue punctuation and marks to their neighbours so they move together
    units: list[str] = []
    for tok in tokens:
        if units and (tok[0] in _NO_LINE_START or units[-1][-1] in _NO_LINE_END):
            units[-1] += tok
        else:
            units.append(tok)
    total = sum(_cells(u) for u in units)
    if total <= width:
        return str(text).strip()
    n_lines = -(-total // width)
    target = -(-total // n_lines)

    def fill(limit: int) -> list[str]:
        lines, cur = [], ""
        for unit in units:
            if cur and _cells(cur + unit.rstrip()) > limit and cur.strip():
                lines.append(cur.rstrip())
                cur = unit.lstrip()
            else:
                cur += unit
        if cur.strip():
            lines.append(cur.rstrip())
        return lines

    lines = fill(target)
    # widen a little until the lines fit in n_lines (balanced, no orphan line)
    limit = target
    while len(lines) > n_lines and limit < width + 6:
        limit += 1
        lines = fill(limit)
    return "\n".join(line.strip() for line in lines)


# --------------------------------------------------------------------------- cluster ranks


def bump_chart(
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    first: int,
    last: int,
    max_rank: int,
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
        frame: From :func:`gba_report.analysis.clusters.bump_frame`.
        labels: Display name per highlighted cluster code.
        first: First edition (x axis).
        last: Last edition.
        max_rank: Ranks shown in the main panel (1..max_rank); highlighted clusters ranked
            lower go to a small panel underneath.
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
    near = frame.loc[frame["is_highlighted"] & (frame["rank"] <= max_rank + NEAR_RANKS), "rank"]
    max_rank = int(max([max_rank, *near.astype(int).tolist()]))
    low = frame.loc[frame["rank"] > max_rank]
    has_low = not low.empty
    height = 4.6 if has_low else 4.0
    fig = Figure(figsize=(plots.WIDTH_IN, height), layout="constrained")
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
        color = plots.color_for(code) if hl else plots.MUTED
        lw, ms, z = (2.2, 5.5, 3) if hl else (1.0, 3.0, 1)
        series = part.set_index("edition")
        for target, sel in ((ax, series["rank"] <= max_rank), (axl, series["rank"] > max_rank)):
            if target is None:
                continue
            sub = series.loc[sel]
            for run in consecutive_segments(sub.index):
                target.plot(
                    run,
                    sub.loc[run, "rank"].astype(float),
                    color=color,
                    lw=lw,
                    zorder=z,
                    solid_capstyle="round",
                )
            for inferred, pts in sub.groupby(sub["is_inferred"].astype(bool)):
                target.scatter(
                    pts.index,
                    pts["rank"].astype(float),
                    s=ms**2,
                    facecolor="white" if inferred else color,
                    edgecolor=color,
                    linewidth=1.2 if inferred else 0.4,
                    zorder=z + 1,
                )
        if hl:
            handles[code] = Line2D(
                [0], [0], color=color, lw=lw, marker="o", ms=4, label=labels.get(code, code)
            )
    handles = [handles[c] for c in hl_order if c in handles]
    handles.append(
        Line2D([0], [0], color=plots.MUTED, lw=1.0, marker="o", ms=2.5, label=others_label)
    )
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
    ax.set_ylim(max_rank + 0.6, 0.4)
    ax.set_yticks(range(1, max_rank + 1))
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
    log: bool = True,
) -> Figure:
    """Scatter with a non-overlapping label beside every point.

    Args:
        frame: One row per point.
        x: Column on the x axis.
        y: Column on the y axis.
        label_col: Column with the (translated) label.
        code_col: Column with the code (colour).
        highlight: Codes drawn in their colour (others dark grey).
        xlabel: X-axis label.
        ylabel: Y-axis label.
        log: Logarithmic axes.

    Returns:
        The figure.
    """
    fig = plots.new_figure(4.4)
    ax = fig.axes[0]
    xs = frame[x].astype(float).to_numpy()
    ys = frame[y].astype(float).to_numpy()
    colors = [plots.color_for(c) if c in highlight else "#555555" for c in frame[code_col]]
    sizes = [42 if c in highlight else 18 for c in frame[code_col]]
    ax.scatter(xs, ys, s=sizes, c=colors, edgecolor="white", linewidth=0.5, zorder=3)
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
        fmt = mpl.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(fmt)
            axis.set_minor_formatter(mpl.ticker.NullFormatter())
    # room for labels: half a decade either side on log axes
    if len(xs):
        pad = 1.9 if log else 0.15
        if log:
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


def grouped_barh_with_na(
    frame: pd.DataFrame,
    cluster_labels: Mapping[str, str],
    metric_labels: Mapping[str, str],
    *,
    xlabel: str,
    na_text: str,
    value_fmt,
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
    palette = [plots.OKABE_ITO[k] for k in ("blue", "orange", "green")]
    n_m = len(metrics)
    bar_h = 0.8 / n_m
    height = max(2.6, 0.62 * len(clusters) + 1.1)
    fig = plots.new_figure(height)
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


def lines_with_gaps(
    wide: pd.DataFrame,
    labels: Mapping[str, str],
    color_codes: Mapping[str, str],
    *,
    xlabel: str,
    ylabel: str,
    invert: bool = False,
    highlight: Sequence[str] = (),
    height: float = 3.6,
    integer_y: bool = True,
) -> Figure:
    """One line per column, drawn only between consecutive x values; non-overlapping end labels.

    Args:
        wide: Index = x (edition or year), one column per series (missing = not found).
        labels: Display label per column.
        color_codes: Code used for :func:`gba_report.present.plots.color_for` per column.
        xlabel: X-axis label.
        ylabel: Y-axis label.
        invert: Put low values at the top (ranks).
        highlight: Columns drawn thicker.
        height: Figure height.
        integer_y: Integer y ticks.

    Returns:
        The figure.
    """
    fig = plots.new_figure(height)
    ax = fig.axes[0]
    ends = []
    for col in wide.columns:
        series = wide[col].dropna().astype(float)
        if series.empty:
            continue
        color = plots.color_for(color_codes.get(col, col))
        lw = 2.2 if col in highlight else 1.4
        for run in consecutive_segments(series.index):
            ax.plot(run, series.loc[run], color=color, lw=lw)
        ax.scatter(series.index, series, s=16, color=color, zorder=3)
        ends.append(
            (
                labels.get(col, col),
                float(series.index[-1]),
                float(series.iloc[-1]),
                color,
                col in highlight,
            )
        )
    xs = list(range(int(min(wide.index)), int(max(wide.index)) + 1))
    ax.set_xticks(xs)
    ax.set_xlim(min(xs) - 0.3, max(xs) + 0.3)
    if integer_y:
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if invert:
        lo, hi = ax.get_ylim()
        ax.set_ylim(max(hi, lo) + 0.5, max(min(hi, lo) - 0.5, 0.5))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    # room on the right for labels
    fig.get_layout_engine().set(rect=(0, 0, 0.8, 1))
    _end_labels(ax, ends, max(xs) + 0.45, 7.5)
    return fig


# --------------------------------------------------------------------------- funding


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
    fig = plots.new_figure(5.4)
    ax = fig.axes[0]
    type_colors = dict(
        zip(
            type_labels,
            [plots.OKABE_ITO[k] for k in ("vermillion", "blue", "green", "orange", "purple")],
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
    renderer = _freeze_layout(fig)
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


def _place_timeline_label(ax, renderer, text: str, x: float, levels, placed) -> tuple:
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
    label_fmt,
    *,
    ylabel: str,
    xlabel: str = "",
    lower_bound_text: str,
    start_year: int,
    end_year: int,
) -> Figure:
    """Cumulative milestones as points with upward arrows (values are "over" figures).

    Args:
        milestones: Rows with ``date_end``, ``value_col``, ``is_lower_bound``, ``confidence``.
        value_col: Column with the amount in the display currency.
        label_fmt: Formats a row into its point label.
        ylabel: Y-axis label.
        xlabel: X-axis label.
        lower_bound_text: Legend text of the arrow ("at least").
        start_year: First year of the axis.
        end_year: Last year of the axis.

    Returns:
        The figure.
    """
    fig = plots.new_figure(3.2)
    ax = fig.axes[0]
    color = plots.color_for("GD")
    vmax = float(milestones[value_col].max()) if len(milestones) else 1.0
    for _, row in milestones.iterrows():
        x = mpl.dates.date2num(row["date_end"])
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
            label_fmt(row),
            xy=(x, v),
            xytext=(-8, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=7.5,
        )
    ax.set_ylim(0, vmax * 1.35)
    ax.set_xlim(
        mpl.dates.date2num(pd.Timestamp(f"{start_year}-01-01")),
        mpl.dates.date2num(pd.Timestamp(f"{end_year}-12-31")),
    )
    ax.xaxis.set_major_locator(mpl.dates.YearLocator())
    ax.xaxis.set_major_formatter(mpl.dates.DateFormatter("%Y"))
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    handles = [
        Line2D([0], [0], color=color, marker=r"$\uparrow$", lw=0, ms=8, label=lower_bound_text)
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=7.5, frameon=False)
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
    fig = plots.new_figure(3.6)
    ax = fig.axes[0]
    colors = {
        "business": plots.OKABE_ITO["blue"],
        "higher_education": plots.OKABE_ITO["orange"],
        "government": plots.OKABE_ITO["green"],
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
