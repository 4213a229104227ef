"""The curated datasets: load and validate (``tables``), schemas, metadata sidecars, errors.

``from gba_report import data`` then ``data.load_rd_intensity()``, ``data.data_version()``,
``data.freshness_warnings(today)``, ``data.origin_citation(source_id, lang)``, ...: the loaders of
:mod:`gba_report.data.tables` are re-exported here. Submodules: :mod:`~gba_report.data.tables`
(read, parse, validate), :mod:`~gba_report.data.schemas` (the one declaration of every table's
columns), :mod:`~gba_report.data.metadata` (sidecars, codebook),
:mod:`~gba_report.data.provenance` (origin vs retrieval, the confidence rule, citations),
:mod:`~gba_report.data.freshness` (publishers' release calendars),
:mod:`~gba_report.data.datapackage` (the Frictionless data package),
:mod:`~gba_report.data.curation` (helpers of the build scripts), :mod:`~gba_report.data.errors`
(:class:`DataError`), :mod:`~gba_report.data.worldbank` (the World Bank refresh).
"""

from gba_report.data.freshness import ReleaseStatus, freshness_warnings, release_status
from gba_report.data.provenance import origin_citation
from gba_report.data.tables import *  # noqa: F403 - the package's public API is the loaders
from gba_report.data.tables import __all__ as _TABLES_ALL

__all__ = [
    *_TABLES_ALL,
    "ReleaseStatus",
    "freshness_warnings",
    "origin_citation",
    "release_status",
]
