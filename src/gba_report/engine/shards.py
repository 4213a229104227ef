"""Shards: a deterministic slice of a build's jobs, for a CI matrix or a batch scheduler.

``gba-report build --shard I/N --out PART_DIR`` plans the whole build, sorts its jobs by stem
(``<report>[--<variant>].<lang>``) and builds every N-th one starting at the I-th (round robin,
1-based) into ``PART_DIR`` as a *part* (:mod:`gba_report.engine.parts`). Every shard of the
same plan sees the same job list, so the N parts together hold every job exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from gba_report.engine import exitcodes
from gba_report.engine.errors import BuildError

_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Slice ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


class _HasStem(Protocol):
    @property
    def stem(self) -> str: ...


T = TypeVar("T", bound=_HasStem)


def parse_shard(text: str | None) -> Shard | None:
    """Read ``--shard I/N`` (None when not given).

    Raises:
        BuildError: Not of the form ``I/N`` with ``1 <= I <= N`` (exit code 2).
    """
    if text is None:
        return None
    match = _SHARD_RE.match(text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise BuildError(
            f"--shard {text!r}: expected I/N with 1 <= I <= N (e.g. --shard 2/3)", exitcodes.USAGE
        )
    return Shard(int(match[1]), int(match[2]))


def select(jobs: Sequence[T], shard: Shard | None) -> list[T]:
    """The jobs of one shard, in stable stem order (all jobs, in plan order, without a shard)."""
    if shard is None:
        return list(jobs)
    ordered = sorted(jobs, key=lambda job: job.stem)
    return ordered[shard.index - 1 :: shard.count]
