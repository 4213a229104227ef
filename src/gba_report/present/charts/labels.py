"""Label placement: labels that never overlap, measured on the drawn figure.

- :func:`repel`: spread wanted positions so neighbours are at least a gap apart.
- :func:`label_gap` and :func:`place_end_labels`: the one end-label placer, labels at the right
  end of lines, spread vertically (used by every line chart).
- :func:`place_point_labels`: a label beside every scatter point, colliding with nothing.
- :func:`wrap_label`: balanced line breaks for English and Traditional Chinese labels.
- :func:`freeze_layout`: run the layout once and keep it, so measured positions stay valid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox


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


def label_gap(ax: Axes, fontsize: float, spacing: float) -> float:
    """Height of one label line in data units (``spacing`` x the font size).

    Measured with the axes' current position: after :func:`freeze_layout` that is its final
    position; before, the position the layout starts from.

    Args:
        ax: The axes.
        fontsize: Font size in points.
        spacing: Line height as a multiple of the font size.
    """
    pixels = fontsize * spacing * ax.figure.dpi / 72.0
    inv = ax.transData.inverted()
    return abs(inv.transform((0, pixels))[1] - inv.transform((0, 0))[1])


@dataclass(frozen=True)
class EndLabel:
    """A label at the end of a line: its text, the line's last point, colour and weight."""

    text: str
    x: float
    y: float
    color: str
    bold: bool = False


def place_end_labels(
    ax: Axes,
    labels: Sequence[EndLabel],
    *,
    x_text: float,
    fontsize: float,
    gap: float,
    leader: str = "always",
) -> None:
    """Put labels right of the lines' ends, spread vertically so they never overlap.

    Args:
        ax: The axes (an inverted y axis is handled).
        labels: One per line.
        x_text: x (data units) where the labels start.
        fontsize: Font size in points.
        gap: Minimum distance between two labels (data units, see :func:`label_gap`).
        leader: ``always``: a thin leader line from every point to its label; ``moved``:
            only where the label moved away from its point or the line ends before the
            others.
    """
    if not labels:
        return
    sign = -1 if ax.yaxis_inverted() else 1
    placed = repel([sign * lab.y for lab in labels], gap)
    last_x = max(lab.x for lab in labels)
    for lab, ly in zip(labels, placed, strict=True):
        y_text = sign * ly
        line = leader == "always" or abs(y_text - lab.y) > gap * 0.3 or lab.x < last_x
        ax.annotate(
            lab.text,
            xy=(lab.x, lab.y),
            xytext=(x_text, y_text),
            textcoords="data",
            fontsize=fontsize,
            color=lab.color,
            fontweight="bold" if lab.bold else "normal",
            va="center",
            ha="left",
            arrowprops={"arrowstyle": "-", "color": "#CCCCCC", "lw": 0.5} if line else None,
            annotation_clip=False,
        )


def freeze_layout(fig: Figure) -> RendererBase:
    """Run the layout once, then freeze it so measured positions stay valid.

    Returns:
        The renderer used for text measurements.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig.canvas.get_renderer()


def overlaps(
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
    renderer = freeze_layout(fig)
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
            if inside and not overlaps(box, placed + others):
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
