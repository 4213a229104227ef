"""The one chart style: seaborn theme, fonts, sizes, fixed colours, figures made outside pyplot.

- :func:`setup`: apply the theme (every report does it once): seaborn "whitegrid", font stack
  ``["Noto Sans CJK TC", "DejaVu Sans"]`` for both languages, SVG output in Jupyter, A4-legible
  sizes (:data:`WIDTH_IN` = 6.3 in), ``axes.unicode_minus`` off (U+2212 is missing from some
  CJK faces).
- :func:`color_for`: the fixed colour of a region or cluster code (Okabe-Ito palette), the same
  in every chart of every report; unknown codes get a stable colour from seaborn's
  "colorblind" palette.
- :func:`new_figure`: an A4-width :class:`matplotlib.figure.Figure` created without pyplot, so
  nothing is displayed twice (the report displays it once).
- :func:`figure_texts`: every text a reader sees in a figure, for tests checking that a
  zh-Hant chart holds no English.
"""

from __future__ import annotations

import hashlib

import matplotlib as mpl
import seaborn as sns
from IPython import get_ipython
from matplotlib.figure import Figure
from matplotlib_inline.backend_inline import set_matplotlib_formats

#: Width of a chart in inches (A4 text width with 2 cm margins is about 6.7 in).
WIDTH_IN = 6.3
#: Default chart height in inches.
HEIGHT_IN = 3.6
#: Size (width, height) in inches of a chart in the executive brief: half the text width
#: (two charts side by side) or the full width, and short.
BRIEF_HALF_IN = (3.45, 2.4)
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

#: Hatch of "not available" bars (an unknown value is never drawn as zero).
NA_HATCH = "////"


def setup() -> None:
    """Apply the common chart theme (fonts, sizes; SVG output when running in IPython).

    The font stack is the same for both languages: Noto Sans CJK TC has Latin glyphs too.
    """
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
    if get_ipython() is not None:  # a kernel: charts are shown as SVG
        set_matplotlib_formats("svg")


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


def new_figure(height: float = HEIGHT_IN, width: float = WIDTH_IN) -> Figure:
    """Create an A4-width figure with one axes, outside pyplot (so Jupyter never shows it twice).

    Args:
        height: Height in inches.
        width: Width in inches.
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    fig.subplots(1, 1)
    return fig


def figure_texts(fig: Figure) -> list[str]:
    """Return every visible text of a figure: titles, labels, ticks, legends, annotations.

    Args:
        fig: The figure.
    """
    fig.draw_without_rendering()  # tick labels exist only after a draw
    texts = [t.get_text() for t in fig.texts]
    for legend in fig.legends:
        texts += [t.get_text() for t in legend.get_texts()]
    for ax in fig.axes:
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        texts += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
            texts.append(legend.get_title().get_text())
    return [t for t in texts if t and t.strip()]
