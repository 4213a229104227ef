"""Chart helpers: label repel, fixed colours, figures made outside pyplot."""

import subprocess
import sys

import pandas as pd
import pytest
import seaborn as sns

from gba_report.present import plots


def test_repel_enforces_min_gap_and_keeps_order():
    out = plots.repel([1.0, 1.05, 1.1, 5.0], 0.5)
    assert out[1] - out[0] >= 0.5 - 1e-9
    assert out[2] - out[1] >= 0.5 - 1e-9
    assert out[3] == pytest.approx(5.0)
    assert sorted(out) == out


def test_repel_leaves_well_spaced_labels_alone():
    assert plots.repel([3.0, 1.0, 2.0], 0.5) == pytest.approx([3.0, 1.0, 2.0])


def test_color_for_is_fixed_and_stable():
    # Okabe-Ito hex values, typed from the published palette (Okabe & Ito 2008)
    assert plots.color_for("GD").lower() == "#d55e00"  # vermillion
    assert plots.color_for("CN").lower() == "#000000"  # black
    assert plots.color_for("HK").lower() == "#0072b2"  # blue
    # a code without a fixed colour gets one from the colour-blind palette, the same every run
    other = plots.color_for("XYZ_unknown")
    assert other in sns.color_palette("colorblind", 10).as_hex()
    script = "from gba_report.present import plots; print(plots.color_for('XYZ_unknown'))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == other  # not the per-process str hash


def test_line_with_labels_returns_figure_with_end_labels():
    plots.setup("en")
    df = pd.DataFrame(
        {
            "year": [2020, 2021, 2020, 2021],
            "code": ["GD", "GD", "CN", "CN"],
            "v": [3.1, 3.2, 2.40, 2.44],
            "brk": [False, True, False, False],
        }
    )
    fig = plots.line_with_labels(
        df, "year", "v", "code", {"GD": "Guangdong", "CN": "China"}, break_col="brk"
    )
    texts = plots.figure_texts(fig)
    assert "Guangdong" in texts and "China" in texts
