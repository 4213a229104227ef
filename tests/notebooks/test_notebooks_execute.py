"""The rd_intensity and summary notebooks run under papermill with default and other
parameters, in both languages; the outputs hold the computed key figures."""

import re

import nbformat
import papermill as pm
import pytest
from notebook_runs import assert_outputs_are_the_sections

from gba_report import keyfigures, paths
from gba_report.reports.rd_intensity import RDIntensityReport
from gba_report.reports.summary import SummaryReport

CLASSES = {"01_rd_intensity.ipynb": RDIntensityReport, "00_summary.ipynb": SummaryReport}

LATIN = re.compile(r"[A-Za-z]")

CASES = [
    # (notebook, parameters, expected texts per language)
    (
        "01_rd_intensity.ipynb",
        {},
        {
            "en": ["Guangdong's R&amp;D intensity reached 3.60% in 2024", "RMB 509.96 bn"],
            "zh-Hant": ["廣東2024年研發投入強度達3.60%，高於全國的2.69%", "5,099.6億元"],
        },
    ),
    (
        "01_rd_intensity.ipynb",
        {"focus_region": "SH", "comparators": ["HK", "KOR"], "start_year": 2012, "end_year": 2022},
        {
            # Shanghai 2022: 4.44 % (NBS), 1,981.6 億元
            "en": ["Shanghai's R&amp;D intensity reached 4.44% in 2022", "RMB 198.16 bn"],
            "zh-Hant": ["上海2022年研發投入強度達4.44%", "1,981.6億元"],
        },
    ),
    (
        "00_summary.ipynb",
        {},
        {
            "en": ["3.60%", "RMB 509.96 bn", "23 quantitative claims"],
            "zh-Hant": ["3.60%", "5,099.6億元", "原文23項數字論述"],
        },
    ),
    (
        "00_summary.ipynb",
        {"focus_region": "JS", "claim_status": ["corrected", "unverified"]},
        {
            # Jiangsu 2024: 3.36 %, 4,597.5 億元
            "en": ["Jiangsu's R&amp;D intensity reached 3.36% in 2024", "RMB 459.75 bn"],
            "zh-Hant": ["江蘇2024年研發投入強度達3.36%", "4,597.5億元"],
        },
    ),
]


def _html_outputs(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html")
            if html:
                yield "".join(html) if isinstance(html, list) else html


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
@pytest.mark.parametrize(
    ("notebook", "params", "expected"),
    CASES,
    ids=[f"{c[0].split('_')[0]}-{'defaults' if not c[1] else 'other'}" for c in CASES],
)
def test_notebook_runs_and_shows_key_figures(tmp_path, notebook, params, expected, lang):
    out = tmp_path / f"out-{lang}.ipynb"
    pm.execute_notebook(
        str(paths.notebooks_dir() / notebook),
        str(out),
        parameters={"lang": lang, **params},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    html = "\n".join(_html_outputs(nb))
    for text in expected[lang]:
        assert text in html
    figures = keyfigures.extract(nb)
    # the recorded key figure (what manifest.json and "what changed" use) is the sourced value
    intensity = {"GD": 3.6, "SH": 4.44, "JS": 3.36}[params.get("focus_region", "GD")]
    assert figures["focus_rd_intensity_pct_latest"]["value"] == pytest.approx(intensity)
    # every chart shown once: no SVG output repeated (a returned Figure would be shown twice)
    svgs = [
        str(o["data"]["image/svg+xml"])
        for c in nb.cells
        for o in c.get("outputs", [])
        if "image/svg+xml" in o.get("data", {})
    ]
    assert len(svgs) >= 3
    assert len(svgs) == len(set(svgs))
    all_heads = re.findall(r"<h2[^>]*>(.*?)</h2>", html, flags=re.S)
    assert len(all_heads) == len(set(all_heads)), "a section is displayed twice"
    if lang == "zh-Hant":
        heads = [
            re.sub(r"<[^>]+>", "", h)
            for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, flags=re.S)
        ]
        assert heads
        assert not [h for h in heads if LATIN.search(h)], heads
        ths = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", html)]
        assert not [h for h in ths if LATIN.search(h)], ths
    # every code cell ran, none failed
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    # what each cell shows is exactly the sections it calls, as the report builds them
    assert_outputs_are_the_sections(nb, CLASSES[notebook], lang, **params)
