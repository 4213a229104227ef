"""Report 1, ``rd_intensity``: how much the focus region spends on R&D, and how hard it pushes.

``RDIntensityReport(lang, focus_region, comparators, top_provinces, start_year, end_year)``
(the defaults are the notebook's: :meth:`~gba_report.reports.base.BaseReport.from_notebook`).
One method per notebook section, each returning a
:class:`~gba_report.present.sections.Section` (shown by Jupyter; ``.data`` is its frame):

``intro``, ``headline``, ``intensity_over_time``, ``international``, ``spend_by_province``,
``share_of_china``, ``growth``, ``target``, ``cities``, ``hk_by_sector``, ``sources``;
``key_figures()`` returns the figures recorded in the build manifest; ``summary_points()`` and
``summary_chart()`` are used by the executive brief.

The analysis is :class:`gba_report.analysis.rd.RDAnalysis` (``report.analysis``); the display
of each section is in :mod:`gba_report.reports.rd_intensity_sections`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import pandas as pd

from gba_report import data
from gba_report.analysis import indicators, rd
from gba_report.analysis.series import Regions
from gba_report.present import i18n
from gba_report.present.sections import Section
from gba_report.reports import rd_intensity_hongkong as hongkong
from gba_report.reports import rd_intensity_sections as sections
from gba_report.reports import rd_intensity_vintages as vintages
from gba_report.reports.base import BaseReport, BriefPoint


class RDIntensityReport(BaseReport):
    """R&D expenditure and intensity of a focus region against China and the world.

    Args:
        lang: ``en`` or ``zh-Hant``.
        focus_region: Region code of the focus (e.g. Guangdong, ``GD``).
        comparators: Region codes compared with the focus (SARs, economies...).
        top_provinces: Leading provinces by R&D intensity in the latest year to show (0: none).
        start_year: First year shown.
        end_year: Last year shown.
    """

    name = "rd_intensity"
    notebook = "01_rd_intensity.ipynb"
    datasets = ("rd_intensity", "rd_intensity_worldbank", "hk_gerd_by_sector", "targets")

    def __init__(
        self,
        lang: str,
        focus_region: str,
        comparators: Sequence[str],
        top_provinces: int,
        start_year: int,
        end_year: int,
    ) -> None:
        super().__init__(lang=lang)
        if start_year > end_year:
            raise ValueError(f"start_year ({start_year}) must not be after end_year ({end_year})")
        regions = Regions.from_frame(data.load_regions())
        unknown = [c for c in [focus_region, *comparators] if c not in regions.types]
        if unknown:
            raise ValueError(f"Unknown region code(s) {unknown}: see data/regions.csv")
        self.focus = focus_region
        self.analysis = rd.RDAnalysis(
            data.load_rd_intensity(),
            regions,
            focus=focus_region,
            comparators=comparators,
            top_provinces=top_provinces,
            start_year=start_year,
            end_year=end_year,
        )

    @cached_property
    def focus_name(self) -> str:
        """Name of the focus region in the report language."""
        return self.region(self.focus)

    def text_fields(self) -> dict[str, Any]:
        """``cn_name`` (China) and ``peers`` (the focus's kind of region, plural)."""
        kind = self.analysis.regions.types.get(self.focus, "province")
        return {
            "cn_name": i18n.tr(self.lang, f"{self.name}.national"),
            "peers": i18n.tr(self.lang, f"{self.name}.peer_plural.{kind}"),
        }

    @cached_property
    def target_row(self) -> pd.Series | None:
        """The focus's R&D-intensity target from ``data/targets.csv`` (None when absent)."""
        return rd.intensity_target(data.load_targets(), self.focus)

    # ------------------------------------------------------------------ sections
    def intro(self) -> Section:
        """The question and the short answer (lede) with the key numbers."""
        return sections.intro(self, self.analysis)

    def headline(self) -> Section:
        """Latest spend, intensity, growth and national rank of the focus."""
        return sections.headline(self, self.analysis)

    def intensity_over_time(self) -> Section:
        """Intensity over time: focus, China, leading provinces, Hong Kong, Macao."""
        return sections.intensity_over_time(self, self.analysis)

    def international(self) -> Section:
        """Focus and China against international R&D leaders."""
        return sections.international(self, self.analysis)

    def spend_by_province(self) -> Section:
        """R&D expenditure of the focus's peers in the latest complete year."""
        return sections.spend_by_province(self, self.analysis)

    def share_of_china(self) -> Section:
        """Focus's share of China's R&D expenditure over time."""
        return sections.share_of_china(self, self.analysis)

    def growth(self) -> Section:
        """Compound annual growth of R&D expenditure: focus, China and leading provinces."""
        return sections.growth(self, self.analysis)

    def target(self) -> Section:
        """Gap between the focus's latest intensity and its Five-Year-Plan target."""
        return sections.target(self, self.analysis, self.target_row)

    def cities(self) -> Section:
        """The GBA's mainland cities where figures exist, as points (never lines)."""
        return sections.cities(self, self.analysis)

    def hk_by_sector(self) -> Section:
        """Hong Kong's gross domestic expenditure on R&D by performing sector."""
        return hongkong.hk_by_sector(self, self.analysis, data.load_hk_gerd_by_sector())

    # ------------------------------------------------------------------ brief and manifest
    def summary_points(self) -> list[BriefPoint]:
        """Two sentences with the key numbers for the executive brief, with their confidence."""
        return vintages.summary_points(self, self.analysis)

    def summary_chart(self, compact: bool = False) -> Section | None:
        """The intensity chart of the executive brief (focus, China, Hong Kong, Macao).

        Args:
            compact: Half the text width and short (two charts side by side in the brief).
        """
        return sections.summary_chart(self, self.analysis, compact)

    def key_figures(self) -> dict[str, dict[str, Any]]:
        """Stable key figures of the focus for the build manifest."""
        f = self.analysis.facts
        out: dict[str, dict[str, Any]] = {
            "focus_region": {"value": self.focus, "unit": "code", "label": self.focus_name}
        }

        def put(key: str, value: Any, unit: str, label_key: str) -> None:
            if value is not None and not (isinstance(value, float) and pd.isna(value)):
                out[key] = {"value": value, "unit": unit, "label": self.t(f"kf_label.{label_key}")}

        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        put("focus_rd_expenditure_rmb_100m_latest", f.spend and f.spend.value, "RMB 100m", "spend")
        put(
            "focus_rd_intensity_pct_latest",
            f.intensity and f.intensity.value,
            "% of GDP",
            "intensity",
        )
        put("latest_year", f.intensity and f.intensity.year, "year", "year")
        cn = f.cn_intensity and f.cn_intensity.value
        put("china_rd_intensity_pct_latest", cn, "% of GDP", "cn_intensity")
        put("focus_rd_growth_pct_latest", rounded(f.growth_pct), "%", "growth")
        put("focus_rank_expenditure_latest", f.rank_spend, "rank", "rank_spend")
        put("focus_rank_intensity_latest", f.rank_intensity, "rank", "rank_intensity")
        put("focus_share_of_china_pct_latest", rounded(f.share and f.share.value), "%", "share")
        put("focus_rd_cagr_pct", rounded(f.cagr_pct), "%", "cagr")
        if self.target_row is not None and f.intensity is not None:
            target = float(self.target_row["target_value"])
            gap = indicators.gap_to_target(f.intensity.value, target)
            put("focus_gap_to_target_pp", round(gap, 2), "pp", "gap")
        return out
