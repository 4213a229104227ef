"""Charts, one module per kind; every function takes a tidy frame ready to draw, returns a Figure.

- :mod:`~gba_report.present.charts.theme`: the one style (fonts, sizes, fixed colours).
- :mod:`~gba_report.present.charts.labels`: label placement (end labels, point labels, wrapping).
- :mod:`~gba_report.present.charts.lines`: labelled lines, lines with gaps, points, scatter.
- :mod:`~gba_report.present.charts.bars`: ranked, stacked and grouped bars.
- :mod:`~gba_report.present.charts.ranks`: the bump chart of ranks.
- :mod:`~gba_report.present.charts.timeline`: milestones and cumulative figures over time.
"""
