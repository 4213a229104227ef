"""What the GII cluster tables hold per edition: ranks found, contiguous from 1, deepest rank."""

from __future__ import annotations

import pandas as pd

from gba_report.analysis.clusters import editions_between, max_complete_top_n


def coverage(ranks: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """What the data holds per edition: contiguous ranks from 1, ranks found, deepest rank.

    Args:
        ranks: ``gii_cluster_ranks``-shaped frame.
        first: First edition.
        last: Last edition.

    Returns:
        Columns edition, complete_top_n (ranks 1..N all found), ranks_found, deepest_rank.
    """
    rows = editions_between(ranks, first, last)
    out = [
        {
            "edition": int(edition),
            "complete_top_n": max_complete_top_n(rows, int(edition)),
            "ranks_found": int(part["rank"].nunique()),
            "deepest_rank": int(part["rank"].max()),
        }
        for edition, part in rows.groupby("edition")
    ]
    return pd.DataFrame(out, columns=["edition", "complete_top_n", "ranks_found", "deepest_rank"])


def deepest_edition(ranks: pd.DataFrame, first: int, last: int) -> int | None:
    """The edition with the longest run of ranks from 1 (the latest among equals; None: none)."""
    cov = coverage(ranks, first, last)
    cov = cov[cov["complete_top_n"] > 0]
    if cov.empty:
        return None
    return int(cov.sort_values(["complete_top_n", "edition"]).iloc[-1]["edition"])
