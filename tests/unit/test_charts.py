"""Charts: the one style, label placement, and charts drawing exactly the frame they are given."""

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from gba_report.present.charts import labels, lines, ranks, theme


@pytest.fixture(autouse=True)
def style():
    theme.setup()


def test_repel_enforces_min_gap_and_keeps_order():
    out = labels.repel([1.0, 1.05, 1.1, 5.0], 0.5)
    assert out[1] - out[0] >= 0.5 - 1e-9
    assert out[2] - out[1] >= 0.5 - 1e-9
    assert out[3] == pytest.approx(5.0)
    assert sorted(out) == out


def test_repel_leaves_well_spaced_labels_alone():
    assert labels.repel([3.0, 1.0, 2.0], 0.5) == pytest.approx([3.0, 1.0, 2.0])
    assert labels.repel([], 0.5) == []


def test_color_for_is_fixed_and_stable():
    # Okabe-Ito hex values, typed from the published palette (Okabe & Ito 2008)
    assert theme.color_for("GD").lower() == "#d55e00"  # vermillion
    assert theme.color_for("CN").lower() == "#000000"  # black
    assert theme.color_for("HK").lower() == "#0072b2"  # blue
    # a code without a fixed colour: sha256("XYZ_unknown") (by `sha256sum`) mod 10 = 5 ->
    # seaborn's colour-blind palette entry 5, the same in every process (not str hash())
    assert theme.color_for("XYZ_unknown") == "#ca9161"


def test_setup_outside_ipython_sets_the_theme_only():
    mpl.rcParams["font.size"] = 20
    theme.setup()
    assert mpl.rcParams["font.size"] == 9
    assert mpl.rcParams["font.sans-serif"][0] == "Noto Sans CJK TC"
    assert mpl.rcParams["svg.fonttype"] == "path"


def _end_label_boxes(fig):
    # the text of each annotation, without its leader line
    renderer = labels.freeze_layout(fig)
    return [Text.get_window_extent(t, renderer) for t in fig.axes[0].texts]


def test_line_with_labels_end_labels_never_overlap():
    df = pd.DataFrame(
        {
            "year": [2020, 2021] * 4,
            "code": ["GD", "GD", "CN", "CN", "SH", "SH", "JS", "JS"],
            # four lines ending within 0.05 of each other
            "v": [3.1, 3.20, 3.0, 3.22, 2.9, 3.24, 3.3, 3.25],
        }
    )
    names = {"GD": "Guangdong", "CN": "China", "SH": "Shanghai", "JS": "Jiangsu"}
    fig = lines.line_with_labels(df, "year", "v", "code", names)
    boxes = _end_label_boxes(fig)
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_line_with_labels_dots_a_series_break():
    df = pd.DataFrame(
        {"year": [2016, 2017, 2018], "code": "HK", "v": [0.8, 0.9, 0.99], "brk": [0, 0, 1]}
    )
    fig = lines.line_with_labels(df.astype({"brk": bool}), "year", "v", "code", {}, break_col="brk")
    styles = [(tuple(line.get_xdata()), line.get_linestyle()) for line in fig.axes[0].lines]
    assert ((2016, 2017), "-") in styles  # solid before the break
    assert ((2017, 2018), ":") in styles  # dotted across it


def test_lines_with_gaps_draw_one_line_per_segment():
    rows = pd.DataFrame(
        {
            "edition": [2017, 2018, 2020, 2021],
            "code": "CN",
            "count": [7, 9, 17, 19],
            "segment": [0, 0, 1, 1],
        }
    )
    fig = lines.lines_with_gaps(
        rows,
        "edition",
        "count",
        "code",
        ["CN"],
        {"CN": "China"},
        {},
        x_range=(2017, 2021),
        xlabel="Edition",
        ylabel="Clusters",
    )
    drawn = [tuple(line.get_xdata()) for line in fig.axes[0].lines]
    assert drawn == [(2017, 2018), (2020, 2021)]  # nothing across 2019
    assert "China" in theme.figure_texts(fig)


def test_bump_chart_draws_the_lower_panel_from_the_frame():
    frame = pd.DataFrame(
        {
            "edition": [2024, 2025, 2024, 2025],
            "rank": [2, 1, 100, 98],
            "cluster_code": ["a", "a", "b", "b"],
            "is_inferred": [False, False, True, False],
            "is_highlighted": [True, True, True, True],
            "panel": ["main", "main", "lower", "lower"],
            "segment": [0, 0, 0, 0],
            "confidence": "verified",
        }
    )
    fig = ranks.bump_chart(
        frame,
        {"a": "A", "b": "B"},
        2024,
        2025,
        2,
        {2025: "VC deals added"},
        xlabel="Edition",
        ylabel="Rank",
        others_label="Others",
        inferred_label="Inferred",
        lower_label="Lower ranks",
    )
    main, lower = fig.axes

    def data_lines(ax):  # the rank lines, not the dotted methodology markers
        return [tuple(ln.get_ydata()) for ln in ax.lines if ln.get_transform() == ax.transData]

    assert data_lines(main) == [(2.0, 1.0)]
    assert data_lines(lower) == [(100.0, 98.0)]
    texts = theme.figure_texts(fig)
    assert {"A", "B", "Others", "Inferred", "VC deals added", "Lower ranks"} <= set(texts)


def test_place_point_labels_keeps_labels_apart():
    fig = theme.new_figure(3.0)
    ax = fig.axes[0]
    xs, ys = np.array([1.0, 1.05, 1.1, 3.0]), np.array([1.0, 1.02, 0.98, 2.0])
    ax.scatter(xs, ys)
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 3)
    placed = labels.place_point_labels(ax, xs, ys, ["Alpha", "Beta", "Gamma", "Delta"])
    renderer = labels.freeze_layout(fig)
    boxes = [Text.get_window_extent(a, renderer) for a in placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    assert labels.overlaps(Bbox.from_extents(0, 0, 10, 10), [Bbox.from_extents(10.5, 0, 20, 10)])


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("向香港科技大學撥付316.96萬元（文章數字）‡", "316.96萬元"),
        ("5.6億元大灣區其他城市科研資金過境到香港（文章數字）‡", "5.6億元"),
        ("RMB 3.1696 m to HKUST (article figure) ‡", "3.1696"),
    ],
)
def test_wrap_label_never_breaks_numbers_or_strands_marks(text, kept):
    wrapped = labels.wrap_label(text, 22)
    lines_ = wrapped.split("\n")
    assert len(lines_) > 1
    assert any(kept in line for line in lines_)
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace(" ", "")
    for line in lines_[1:]:
        assert line[0] not in "，。、）」》‡†"  # no line starts with closing punctuation/mark
    assert min(len(line) for line in lines_) >= 3  # balanced: no orphan character


def test_wrap_label_keeps_short_labels_on_one_line():
    assert labels.wrap_label("Central S&T funds", 22) == "Central S&T funds"
