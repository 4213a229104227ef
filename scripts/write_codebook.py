"""Rewrite data/CODEBOOK.md from the sidecars (gba_report.data.metadata.codebook_markdown)."""

from __future__ import annotations

from gba_report import paths
from gba_report.data.metadata import codebook_markdown

if __name__ == "__main__":
    target = paths.data_dir() / "CODEBOOK.md"
    target.write_text(codebook_markdown(), encoding="utf-8")
    print(f"wrote {target}")
