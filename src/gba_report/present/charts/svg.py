"""A chart as files: the SVG the report shows (alt text, hover titles) and a PNG at 2x for slides.

- :func:`tip`: give the points (markers of a scatter, bars of a bar chart) of one artist a
  hover text each ("Guangdong, 2024: 3.60%"); :func:`render_svg` writes them as SVG
  ``<title>`` elements, which browsers show on hover: no JavaScript, nothing remote.
- :func:`render_svg`: the SVG with a ``<title>`` (the chart's text alternative, in the report's
  language) and ``role="img"``, every id prefixed so several charts can sit inline in one page,
  and no date (the same chart gives the same bytes).
- :func:`render_png`: the PNG at :data:`gba_report.present.downloads.PNG_SCALE` times the
  chart's screen resolution.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure

from gba_report.present.downloads import PNG_SCALE

_ID_RE = re.compile(r'\bid="([^"]+)"')
_REF_RE = re.compile(r'(url\(#|href="#)([^)"]+)')
_SVG_OPEN_RE = re.compile(r"<svg\b[^>]*>")
#: Elements of a matplotlib SVG that draw one point of an artist: a marker or a bar.
_POINT_RE = re.compile(r"<(use|path)\b([^>]*?)(/?)>")
_TIPS = "_gba_tips"


def tip(artist: Any, titles: Sequence[str]) -> None:
    """Attach one hover text per drawn point of ``artist`` (in drawing order).

    Args:
        artist: A ``PathCollection`` (scatter), a ``Line2D`` with markers or a bar container's
            patches' owner (``BarContainer``).
        titles: One text per point, in the order the points were given to matplotlib (points
            with a missing value are not drawn and must be left out).
    """
    figure = artist.figure if not hasattr(artist, "patches") else artist.patches[0].figure
    tips: dict[str, list[str]] = figure.__dict__.setdefault(_TIPS, {})
    targets = list(artist.patches) if hasattr(artist, "patches") else [artist]
    if len(targets) > 1:  # a bar container: one patch per bar
        for patch, title in zip(targets, titles, strict=True):
            gid = f"gbatip{len(tips)}"
            patch.set_gid(gid)
            tips[gid] = [title]
        return
    gid = f"gbatip{len(tips)}"
    artist.set_gid(gid)
    tips[gid] = list(titles)


def _with_tips(svg: str, tips: dict[str, list[str]]) -> str:
    for gid, titles in tips.items():
        start = svg.find(f'<g id="{gid}"')
        if start < 0:
            continue
        end = _group_end(svg, start)
        group = svg[start:end]
        # markers and scatter points are <use> elements (the <path> in <defs> is their
        # shape); a bar, or a point drawn without the optimisation, is a <path>
        element = "use" if "<use" in group else "path"
        points = iter(titles)

        def titled(match: re.Match[str], points: Any = points, element: str = element) -> str:
            if match.group(1) != element:
                return match.group(0)
            text = next(points, None)
            if text is None:
                return match.group(0)
            inner = f"<title>{html.escape(text)}</title>"
            return f"<{element}{match.group(2)}>{inner}</{element}>"

        svg = svg[:start] + _POINT_RE.sub(titled, group) + svg[end:]
    return svg


def _group_end(svg: str, start: int) -> int:
    """Index just after the ``</g>`` closing the group opened at ``start``."""
    depth, pos = 0, start
    for match in re.finditer(r"<g\b[^>]*?(/?)>|</g>", svg[start:]):
        if match.group(0) == "</g>":
            depth -= 1
        elif not match.group(1):
            depth += 1
        pos = start + match.end()
        if depth == 0:
            break
    return pos


def render_svg(fig: Figure, alt: str, prefix: str) -> str:
    """The chart as SVG text, accessible and safe to inline beside other charts.

    Args:
        fig: The chart.
        alt: Its text alternative (the caption, in the report's language).
        prefix: Prefix of every id in the SVG (unique within a page, e.g. the download id).
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buf.getvalue().decode("utf-8")
    svg = _with_tips(svg, fig.__dict__.get(_TIPS, {}))
    svg = _ID_RE.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF_RE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    title_id = f"{prefix}-alt"

    def opening(match: re.Match[str]) -> str:
        tag = match.group(0)[:-1].rstrip("/")
        return (
            f'{tag} role="img" aria-labelledby="{title_id}">'
            f'<title id="{title_id}">{html.escape(alt)}</title>'
        )

    return _SVG_OPEN_RE.sub(opening, svg, count=1)


def render_png(fig: Figure) -> bytes:
    """The chart as PNG at twice its screen resolution (for slides)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi * PNG_SCALE, bbox_inches="tight")
    return buf.getvalue()
