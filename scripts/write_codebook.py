"""Rewrite data/CODEBOOK.md and data/datapackage.json from the sidecars and schemas."""

from gba_report import paths
from gba_report.data.datapackage import write_descriptor
from gba_report.data.metadata import codebook_markdown

if __name__ == "__main__":
    target = paths.data_dir() / "CODEBOOK.md"
    target.write_text(codebook_markdown(paths.data_dir()), encoding="utf-8")
    print(f"wrote {target}")
    print(f"wrote {write_descriptor(paths.data_dir())}")
