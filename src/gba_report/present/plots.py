"""One chart style for every report: seaborn theme, fixed colours, labelled lines, points, bars.

API:

- ``setup(lang)``: apply the theme (call once per notebook, done by every report class):
  seaborn "whitegrid", font stack ``["Noto Sans CJK TC", "DejaVu Sans"]`` for both languages,
  SVG output in Jupyter, A4-legible sizes (:data:`WIDTH_IN` = 6.3 in), ``axes.unicode_minus``
  off (U+2212 is missing from some CJK faces).
- ``color_for(code)``: the fixed colour of a region or cluster code (Okabe-Ito palette), the
  same in every chart of every report; unknown codes get a stable colour from seaborn's
  "colorblind" palette.
- ``new_figure(height=..., ncols=...)``: an A4-width :class:`matplotlib.figure.Figure` created
  without pyplot, so nothing is displayed twice (the caller displays it once).
- Chart functions take a tidy frame and return a Figure:
  ``line_with_labels`` (lines with end labels placed without overlap; dotted segments across
  series breaks), ``points_by_year`` (sparse observations as points, never lines),
  ``barh_ranked`` (horizontal bars, highlighted code), ``stacked_bars`` (parts of a total by
  year), ``bump_chart`` (ranks over editions).
- ``repel(values, min_gap)``: spread label positions so neighbours are at least ``min_gap`` apart.
- ``add_footer(fig, source=..., caption=...)``: source line / caption drawn under the axes (the
  reports normally print them as HTML under the chart instead, see ``narrative``).
- ``figure_texts(fig)``: every text a reader sees in a figure (titles, axis labels, tick labels,
  legend entries, annotations), for tests checking that a zh-Hant chart holds no English.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

#: Width of a chart in inches (A4 text width with 2 cm margins is about 6.7 in).
WIDTH_IN = 6.3
#: Default chart height in inches.
HEIGHT_IN = 3.6
#: Size (width, height) in inches of a chart in the executive brief: half the text width
#: (two charts side by side) or the full width, and short.
BRIEF_HALF_IN = (3.45, 2.65)
BRIEF_FULL_IN = (WIDTH_IN, 3.5)

FONT_STACK = ["Noto Sans CJK TC", "DejaVu Sans"]

#: Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

#: Fixed colour per region / cluster code. Focus regions of the GBA take the strong colours.
FIXED_COLORS: dict[str, str] = {
    # GBA and China
    "GD": OKABE_ITO["vermillion"],
    "CN": OKABE_ITO["black"],
    "HK": OKABE_ITO["blue"],
    "MO": OKABE_ITO["green"],
    "SZ": OKABE_ITO["purple"],
    "GZ": OKABE_ITO["orange"],
    "DG": OKABE_ITO["sky_blue"],
    "FS": OKABE_ITO["yellow"],
    "ZH": OKABE_ITO["green"],
    "HZ": "#8C564B",
    "ZS": "#7F7F7F",
    "PRD9": OKABE_ITO["vermillion"],
    # provinces
    "BJ": OKABE_ITO["sky_blue"],
    "SH": OKABE_ITO["orange"],
    "JS": OKABE_ITO["purple"],
    "ZJ": OKABE_ITO["green"],
    "SD": "#8C564B",
    "TJ": OKABE_ITO["grey"],
    # international
    "KOR": OKABE_ITO["sky_blue"],
    "ISR": OKABE_ITO["purple"],
    "JPN": OKABE_ITO["orange"],
    "USA": OKABE_ITO["green"],
    "DEU": "#8C564B",
    "GBR": OKABE_ITO["grey"],
    "SGP": OKABE_ITO["yellow"],
    "CHE": "#882255",
    "TWN": "#44AA99",
    "OED": "#666666",
    "WLD": "#AAAAAA",
    "CHN": OKABE_ITO["black"],
    "HKG": OKABE_ITO["blue"],
    # GII clusters
    "shenzhen_hong_kong_guangzhou": OKABE_ITO["vermillion"],
    "tokyo_yokohama": OKABE_ITO["blue"],
    "beijing": OKABE_ITO["sky_blue"],
    "seoul": OKABE_ITO["green"],
    "san_jose_san_francisco": OKABE_ITO["orange"],
    "shanghai_suzhou": OKABE_ITO["purple"],
    "macao_zhuhai": "#44AA99",
}

#: Colour of everything that is not highlighted.
MUTED = "#B8B8B8"

_CURRENT_LANG = {"lang": "en"}


def setup(lang: str = "en") -> None:
    """Apply the common chart theme (fonts, sizes, SVG output in Jupyter).

    Args:
        lang: Report language; the font stack is the same for both (Noto Sans CJK TC has Latin
            glyphs too), kept as a parameter so a language can get its own tweaks.
    """
    _CURRENT_LANG["lang"] = lang
    sns.set_theme(style="whitegrid", context="paper", palette="colorblind")
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": FONT_STACK,
            "axes.unicode_minus": False,
            "figure.figsize": (WIDTH_IN, HEIGHT_IN),
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "svg.fonttype": "path",
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.labelsize": 9,
            "xtick.labelsize": 8.5,
            "ytick.labelsize": 8.5,
            "legend.fontsize": 8.5,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "grid.color": "#E5E5E5",
            "grid.linewidth": 0.6,
        }
    )
    try:  # only inside IPython
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg")
    except Exception:  # noqa: BLE001 - plain Python: no inline backend to configure
        pass


def color_for(code: str) -> str:
    """Return the fixed colour of a region or cluster code.

    Args:
        code: ``region_code`` or ``cluster_code``.

    Returns:
        A hex colour; codes without a fixed colour get a stable one from seaborn's
        colour-blind palette (hash of the code, so it never changes between runs).
    """
    if code in FIXED_COLORS:
        return FIXED_COLORS[code]
    palette = sns.color_palette("colorblind", 10).as_hex()
    digest = int(hashlib.sha256(str(code).encode()).hexdigest(), 16)
    return palette[digest % len(palette)]


def new_figure(height: float = HEIGHT_IN, ncols: int = 1, width: float = WIDTH_IN) -> Figure:
    """Create an A4-width figure outside pyplot (so Jupyter never shows it twice).

    Args:
        height: Height in inches.
        ncols: Number of axes side by side.
        width: Width in inches.
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    fig.subplots(1, ncols)
    return fig


def repel(values: Sequence[float], min_gap: float) -> list[float]:
    """Spread label positions so that neighbours are at least ``min_gap`` apart.

    Labels keep their order; a crowded group is centred on its members' mean so labels move
    as little as possible.

    Args:
        values: Wanted positions (data units).
        min_gap: Minimum distance between two labels (data units).

    Returns:
        Adjusted positions, in the order of ``values``.
    """
    if len(values) == 0:
        return []
    order = np.argsort(values, kind="stable")
    wanted = np.asarray(values, dtype=float)[order]
    pos = wanted.copy()
    for _ in range(100):
        moved = False
        for i in range(1, len(pos)):
            if pos[i] - pos[i - 1] < min_gap - 1e-12:
                # find the cluster of labels that touch and centre it on their wanted mean
                j = i
                while j > 0 and pos[j] - pos[j - 1] < min_gap - 1e-12:
                    j -= 1
                k = i
                while k + 1 < len(pos) and pos[k + 1] - pos[k] < min_gap - 1e-12:
                    k += 1
                n = k - j + 1
                centre = wanted[j : k + 1].mean()
                pos[j : k + 1] = centre + (np.arange(n) - (n - 1) / 2) * min_gap
                moved = True
        if not moved:
            break
    # one final forward pass guarantees the gap even if centring pushed groups together
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + min_gap)
    out = np.empty_like(pos)
    out[order] = pos
    return out.tolist()


def _label_gap(ax, fontsize: float, factor: float = 1.25) -> float:
    """Height of one label line in data units."""
    fig = ax.figure
    height_in = fig.get_figheight() * ax.get_position().height
    lo, hi = ax.get_ylim()
    points = fontsize * factor
    return abs(hi - lo) * points / 72.0 / max(height_in, 1e-6)


def line_with_labels(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    labels: Mapping[str, str],
    *,
    highlight: Iterable[str] = (),
    break_col: str | None = None,
    ylabel: str = "",
    xlabel: str = "",
    ymin: float | None = 0,
    hline: tuple[float, str] | None = None,
    height: float = HEIGHT_IN,
    markers: bool = True,
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
        ylabel: Y-axis label.
        xlabel: X-axis label.
        ymin: Lower y limit (``None`` for automatic).
        hline: ``(value, label)`` reference line (e.g. a target).
        height: Figure height in inches.
        markers: Draw a small marker at each observation.
        width: Figure width in inches (default: the full text width).

    Returns:
        The figure.
    """
    fig = new_figure(height, width=width)
    ax = fig.axes[0]
    highlight = set(highlight)
    ends: list[tuple[str, float, float]] = []
    for code, part in df.dropna(subset=[y]).sort_values(x).groupby(group, sort=False):
        code = str(code)
        color = color_for(code)
        width = 2.2 if code in highlight else 1.3
        xs = part[x].to_numpy()
        ys = part[y].to_numpy(dtype=float)
        breaks = (
            part[break_col].fillna(False).astype(bool).to_numpy()
            if break_col and break_col in part
            else np.zeros(len(part), bool)
        )
        # draw solid runs between breaks and across gaps in years; dotted across breaks
        start = 0
        for i in range(1, len(xs) + 1):
            if i == len(xs) or breaks[i]:
                ax.plot(xs[start:i], ys[start:i], color=color, lw=width, solid_capstyle="round")
                if i < len(xs):
                    ax.plot(xs[i - 1 : i + 1], ys[i - 1 : i + 1], color=color, lw=width, ls=":")
                start = i
        if markers:
            ax.scatter(xs, ys, s=9 if code in highlight else 5, color=color, zorder=3)
        ends.append((code, float(xs[-1]), float(ys[-1])))
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
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    xmax = max((e[1] for e in ends), default=0)
    fontsize = mpl.rcParams["legend.fontsize"]
    gap = _label_gap(ax, fontsize)
    placed = repel([e[2] for e in ends], gap)
    for (code, ex, ey), ly in zip(ends, placed, strict=True):
        ax.annotate(
            labels.get(code, code),
            xy=(ex, ey),
            xytext=(xmax + 0.4, ly),
            textcoords="data",
            fontsize=fontsize,
            color=color_for(code),
            fontweight="bold" if code in highlight else "normal",
            va="center",
            ha="left",
            arrowprops={"arrowstyle": "-", "color": "#CCCCCC", "lw": 0.5}
            if abs(ly - ey) > gap * 0.3 or ex < xmax
            else None,
            annotation_clip=False,
        )
    lo, _hi = ax.get_xlim()
    ax.set_xlim(lo, xmax + 0.3)
    return fig


def points_by_year(
    df: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    labels: Mapping[str, str],
    *,
    ylabel: str = "",
    xlabel: str = "",
    mark_col: str | None = None,
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
        xlabel: X-axis label.
        mark_col: Column holding a text mark (e.g. "†") appended to each point's label.
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
    data = df.dropna(subset=[y])
    markers = ["o", "s", "D", "^", "v", "P", "X", "*"]
    for i, (code, part) in enumerate(data.groupby(group, sort=False)):
        code = str(code)
        hollow = (
            part[hollow_col].astype(bool).to_numpy() if hollow_col else np.zeros(len(part), bool)
        )
        color = color_for(code)
        ax.scatter(
            part[x][~hollow],
            part[y][~hollow],
            s=30,
            marker=markers[i % len(markers)],
            color=color,
            edgecolor="white",
            linewidth=0.5,
            label=labels.get(code, code),
            zorder=3,
        )
        if hollow.any():
            ax.scatter(
                part[x][hollow],
                part[y][hollow],
                s=30,
                marker=markers[i % len(markers)],
                facecolor="white",
                edgecolor=color,
                linewidth=1.2,
                zorder=3,
            )
    if ymin is not None:
        ax.set_ylim(bottom=ymin)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.3)
    return fig


def barh_ranked(
    df: pd.DataFrame,
    value: str,
    label: str,
    code: str,
    *,
    highlight: Iterable[str] = (),
    xlabel: str = "",
    value_fmt=None,
    height: float | None = None,
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
        height: Figure height in inches (default grows with the number of bars).

    Returns:
        The figure.
    """
    data = df.dropna(subset=[value]).sort_values(value, ascending=True)
    height = height or max(2.2, 0.19 * len(data) + 0.8)
    fig = new_figure(height)
    ax = fig.axes[0]
    highlight = set(highlight)
    colors = [color_for(c) if c in highlight else MUTED for c in data[code]]
    ypos = np.arange(len(data))
    ax.barh(ypos, data[value], color=colors, height=0.72)
    ax.set_yticks(ypos, data[label].tolist())
    ax.xaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    if value_fmt is not None:
        xmax = float(data[value].max())
        for yp, v in zip(ypos, data[value], strict=True):
            ax.text(v + xmax * 0.01, yp, value_fmt(v), va="center", fontsize=7.5)
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
    xlabel: str = "",
    colors: Mapping[str, str] | None = None,
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
        order: Parts from bottom to top.
        ylabel: Y-axis label.
        xlabel: X-axis label.
        colors: Colour per part (default: Okabe-Ito in order).
        break_x: ``x`` values where a new method starts (a dashed line is drawn before them).
        break_label: Label of the series-break line.
        height: Figure height in inches.

    Returns:
        The figure.
    """
    fig = new_figure(height)
    ax = fig.axes[0]
    wide = df.pivot_table(index=x, columns=part, values=value, aggfunc="sum").sort_index()
    default = [OKABE_ITO[k] for k in ("blue", "orange", "green", "purple", "sky_blue")]
    colors = dict(colors or {})
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
            color=colors.get(key, default[i % len(default)]),
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
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), reverse=True)
    return fig


def bump_chart(
    df: pd.DataFrame,
    x: str,
    rank: str,
    group: str,
    labels: Mapping[str, str],
    *,
    highlight: Iterable[str] = (),
    xlabel: str = "",
    ylabel: str = "",
    height: float = HEIGHT_IN,
    annotations: Mapping[int, str] | None = None,
) -> Figure:
    """Ranks over editions (rank 1 at the top), end labels placed without overlap.

    Missing editions break the line (no invented ranks).

    Args:
        df: Tidy frame with ``x`` (edition), ``rank`` and ``group`` (cluster code).
        x: Edition column.
        rank: Rank column.
        group: Code column.
        labels: Display label per code.
        highlight: Codes drawn thicker.
        xlabel: X-axis label.
        ylabel: Y-axis label.
        height: Figure height in inches.
        annotations: Text per edition (e.g. methodology changes) drawn as vertical markers.

    Returns:
        The figure.
    """
    fig = new_figure(height)
    ax = fig.axes[0]
    highlight = set(highlight)
    ends = []
    editions = sorted(df[x].unique())
    for code, part in df.dropna(subset=[rank]).sort_values(x).groupby(group, sort=False):
        code = str(code)
        full = part.set_index(x)[rank].reindex(editions)
        w = 2.4 if code in highlight else 1.2
        ax.plot(
            full.index, full.to_numpy(dtype=float), color=color_for(code), lw=w, marker="o", ms=4
        )
        last = part.iloc[-1]
        ends.append((code, float(last[x]), float(last[rank])))
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    gap = _label_gap(ax, mpl.rcParams["legend.fontsize"])
    placed = repel([e[2] for e in ends], gap)
    xmax = max((e[1] for e in ends), default=0)
    for (code, ex, ey), ly in zip(ends, placed, strict=True):
        ax.annotate(
            labels.get(code, code),
            xy=(ex, ey),
            xytext=(xmax + 0.3, ly),
            textcoords="data",
            fontsize=mpl.rcParams["legend.fontsize"],
            color=color_for(code),
            va="center",
            annotation_clip=False,
        )
    for edition, text in (annotations or {}).items():
        ax.axvline(edition, color="#888888", lw=0.7, ls=":")
        ax.annotate(
            text,
            xy=(edition, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2, -2),
            textcoords="offset points",
            fontsize=7,
            va="top",
            color="#555555",
        )
    return fig


def add_footer(fig: Figure, source: str = "", caption: str = "") -> Figure:
    """Draw a caption and a source line under a figure's axes.

    Args:
        fig: The figure.
        source: Source line (e.g. from :func:`gba_report.present.narrative.source_text`).
        caption: Caption.

    Returns:
        The same figure.
    """
    text = "\n".join(t for t in (caption, source) if t)
    if text:
        fig.supxlabel(text, x=0.0, ha="left", fontsize=7.5, color="#444444", wrap=True)
    return fig


def figure_texts(fig: Figure) -> list[str]:
    """Return every visible text of a figure: titles, labels, ticks, legends, annotations.

    Args:
        fig: The figure.
    """
    fig.draw_without_rendering()  # tick labels exist only after a draw
    texts: list[str] = []
    for t in fig.texts:
        texts.append(t.get_text())
    if getattr(fig, "_supxlabel", None) is not None:
        texts.append(fig._supxlabel.get_text())
    for ax in fig.axes:
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        texts += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
            texts.append(legend.get_title().get_text())
    return [t for t in texts if t and t.strip()]
