"""The four reports, one module per report, each a class built from its notebook's parameters.

Every class derives from :class:`gba_report.reports.base.BaseReport`: construct it with the
notebook parameters (``lang`` first; :meth:`~gba_report.reports.base.BaseReport.from_notebook`
fills in the notebook's defaults), call its section methods one per notebook cell (each
returns a :class:`~gba_report.present.sections.Section`), then ``key_figures()`` for
:func:`gba_report.keyfigures.record`:

- :mod:`~gba_report.reports.rd_intensity` (report 1, ``RDIntensityReport``),
- :mod:`~gba_report.reports.cross_border_funding` (report 2, ``CrossBorderFundingReport``),
- :mod:`~gba_report.reports.cluster_rankings` (report 3, ``ClusterRankingsReport``),
- :mod:`~gba_report.reports.summary` (the executive brief, ``SummaryReport``).

Each ``<report>_sections`` module holds the display of that report's sections.
"""
