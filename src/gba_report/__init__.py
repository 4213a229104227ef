"""GBA innovation report: curated data, analysis and bilingual report builds."""

__version__ = "0.1.0"
