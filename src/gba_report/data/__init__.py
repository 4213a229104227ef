"""The curated datasets: load and validate (``tables``), schemas, metadata sidecars, errors.

``from gba_report import data`` then ``data.load_rd_intensity()``, ``data.data_version()``, ...:
the loaders of :mod:`gba_report.data.tables` are re-exported here. Submodules:
:mod:`~gba_report.data.tables` (read, parse, validate), :mod:`~gba_report.data.schemas`
(column declarations and pandera schemas), :mod:`~gba_report.data.metadata` (sidecars, codebook,
freshness), :mod:`~gba_report.data.errors` (:class:`DataError`), :mod:`~gba_report.data.worldbank`
(the World Bank refresh).
"""

from gba_report.data.tables import *  # noqa: F403 - the package's public API is the loaders
from gba_report.data.tables import __all__  # noqa: F401
