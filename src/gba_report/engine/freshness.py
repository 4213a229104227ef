"""The one check of how old the data is, shared by the build log and the scheduled run."""

from __future__ import annotations

from gba_report.data import metadata


def age_limit_days(max_age_days: int | None = None) -> int:
    """The age limit: ``max_age_days``, else ``settings.max_data_age_days``, else the default.

    Args:
        max_age_days: An explicit limit (``--max-data-age-days``), or None.
    """
    return metadata.configured_max_data_age_days() if max_age_days is None else max_age_days


def stale_data_warnings(max_age_days: int | None = None) -> list[str]:
    """One line per dataset whose figures are older than the age limit.

    Args:
        max_age_days: The limit (None: :func:`age_limit_days`).

    Raises:
        DataError: The data folder cannot be checked (the message names file and rule).
    """
    return metadata.freshness_warnings(age_limit_days(max_age_days))
