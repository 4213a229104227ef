"""Build progress: tqdm bars on a terminal, timestamped log lines otherwise; --quiet: errors."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from tqdm import tqdm


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Progress:
    """Report what the build is doing.

    Args:
        quiet: Print errors only.
        stream: Where to write (stderr by default).
        tty: Force terminal mode on or off (default: ``stream.isatty()``).
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None, tty: bool | None = None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = (self.stream.isatty() if tty is None else tty) and not quiet
        self._bars: dict[str, Any] = {}
        self._overall: Any = None

    def _write(self, line: str) -> None:
        if self._overall is not None:
            tqdm.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def info(self, message: str) -> None:
        """Log an informational line (hidden by ``--quiet``)."""
        if not self.quiet:
            self._write(message if self.tty else f"{_now()} {message}")

    def warning(self, message: str) -> None:
        """Log a warning (hidden by ``--quiet``)."""
        self.info(f"warning: {message}")

    def error(self, message: str) -> None:
        """Log an error (always shown)."""
        self._write(f"error: {message}" if self.tty else f"{_now()} error: {message}")

    def start(self, names: list[str], steps_per_job: int) -> None:
        """Open the overall bar and one bar per report x language (terminal mode only)."""
        if not self.tty:
            return
        # A pty without a size (some CI runners, `script`) reports 0 columns: assume 100.
        ncols = min(shutil.get_terminal_size((100, 24)).columns or 100, 120)
        self._overall = tqdm(
            total=len(names) * steps_per_job,
            desc="build",
            position=0,
            file=self.stream,
            ncols=ncols,
            bar_format="{desc:<28} {bar:30} {n_fmt}/{total_fmt} [{elapsed}]",
        )
        for i, name in enumerate(names, start=1):
            self._bars[name] = tqdm(
                total=steps_per_job,
                desc=name,
                position=i,
                file=self.stream,
                ncols=ncols,
                leave=False,
                bar_format="{desc:<28} {bar:30} {postfix}",
            )
            self._bars[name].set_postfix_str("queued")

    @contextmanager
    def bars(self, names: list[str], steps_per_job: int) -> Iterator[None]:
        """Show the bars (terminal mode) while the ``with`` block runs; close them after."""
        self.start(names, steps_per_job)
        try:
            yield
        finally:
            self.close()

    def stage(self, name: str, stage: str, advance: int = 0) -> None:
        """Record that ``name`` entered ``stage``; ``advance`` completed steps."""
        if self.tty and name in self._bars:
            bar = self._bars[name]
            bar.set_postfix_str(stage)
            if advance:
                bar.update(advance)
                self._overall.update(advance)
        elif not self.tty:
            self.info(f"{name}: {stage}")

    def close(self) -> None:
        """Close the bars (safe to call twice)."""
        for bar in self._bars.values():
            bar.close()
        if self._overall is not None:
            self._overall.close()
        self._bars, self._overall = {}, None
