"""The one freshness check of the build log and the scheduled run: releases due but missing."""

from __future__ import annotations

import datetime as dt

from gba_report import data


def stale_data_warnings(today: dt.date | None = None) -> list[str]:
    """One line per release the publishers' calendars say should exist but the data lacks.

    Args:
        today: The date to judge by (None: today).

    Raises:
        DataError: The data folder cannot be checked (the message names file and rule).
    """
    return data.freshness_warnings(today=today)
