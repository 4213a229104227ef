"""The one check of how old the data is, shared by the build log and the scheduled run."""

from __future__ import annotations

from gba_report.data import metadata


def stale_data_warnings(max_age_days: int | None = None) -> list[str]:
    """One line per dataset whose figures are older than the configured age.

    Args:
        max_age_days: The limit (None: ``settings.max_data_age_days`` in ``report/reports.yml``,
            else the data layer's default).

    Raises:
        DataError: The data folder cannot be checked (the message names file and rule).
    """
    if max_age_days is None:
        max_age_days = metadata.configured_max_data_age_days()
    return metadata.freshness_warnings(max_age_days)
