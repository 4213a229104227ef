"""A chart as files: the SVG the report shows (alt text, hover titles) and a PNG at 2x for slides.

- :func:`tip`: give the points of one scatter a hover text each (series, year, value:
  "Guangdong · 2024: 3.6 (R&D intensity, % of GDP)"); :func:`render_svg` writes them as SVG
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


def _number(value: Any) -> str:
    """A value as the data holds it (no rounding): ``3.6``, ``2024``, ``5099.6``."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def tip(artist: Any, series: str, xs: Sequence[Any], ys: Sequence[Any]) -> None:
    """Give every point an artist draws a hover text: series, x (year) and value.

    The text is "<series> · <x>: <value> (<y-axis label>)", made when the SVG is rendered
    (the axis label is set after the points are drawn).

    Args:
        artist: A ``PathCollection`` from ``ax.scatter`` (one marker per point, in order).
        series: The series' name in the report's language.
        xs: The points' x values (years, editions), in the order given to matplotlib.
        ys: Their values; points with a missing value are not drawn and are skipped here too.
    """
    tips: list[tuple[str, Any, str, list[tuple[Any, Any]]]] = artist.figure.__dict__.setdefault(
        _TIPS, []
    )
    gid = f"gbatip{len(tips)}"
    artist.set_gid(gid)
    points = [(x, y) for x, y in zip(xs, ys, strict=True) if y == y and y is not None]
    tips.append((gid, artist.axes, series, points))


def _titles(entry: tuple[str, Any, str, list[tuple[Any, Any]]]) -> list[str]:
    _, ax, series, points = entry
    label = ax.get_ylabel().replace("\n", " ").strip()
    wide = re.search(r"[\u3000-\u9fff]", label + series)  # Chinese: full-width brackets
    unit = (f"（{label}）" if wide else f" ({label})") if label else ""
    return [f"{series} · {_number(x)}: {_number(y)}{unit}" for x, y in points]


def _with_tips(svg: str, tips: list[tuple[str, Any, str, list[tuple[Any, Any]]]]) -> str:
    for entry in tips:
        gid, titles = entry[0], _titles(entry)
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
    svg = _with_tips(svg, fig.__dict__.get(_TIPS, []))
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
