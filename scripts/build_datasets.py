"""Build the curated tables in data/ from the reference compilation and data/curation/.

Usage (from the project root)::

    .venv/bin/python scripts/build_datasets.py [REFERENCE_DIR] [--out data]

REFERENCE_DIR defaults to ``data/reference``, the project's snapshot of the reference
compilation ``../shared/reference-data`` (its ``additions-2026-12/`` folder is read too).
The script reads, checks and writes; it holds no table of its own: every decision
(codes, source ids, vintages and bases, values left out and why, row notes, sidecar prose, the
source catalogue) is in a hand-editable file under ``data/curation/`` (see its README.md).

It writes, each with its ``.meta.yml`` sidecar: ``sources``, ``regions``, ``rd_intensity``,
``hk_gerd_by_sector``, ``crossborder_funding``, ``shared_facilities``, ``targets``,
``exchange_rates``, ``fx_year_end`` and ``article_claims``. It never writes
``rd_intensity_worldbank`` (the World Bank refresh owns it) nor the GII tables
(``scripts/build_gii_tables.py``). Values are copied as the text the reference gives (no float
round-trip: "3.60" stays "3.60"); the confidence of every row follows from its sources by the
rule in :mod:`gba_report.data.provenance`. Consistency checks run before anything is written;
a failed check stops the script with the reason. Running it twice writes the same bytes.

The curated CSVs are committed; tests run the script on the snapshot, writing to a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from gba_report.data import provenance
from gba_report.data.curation import (
    check,
    read_csv,
    read_yaml,
    sources_of,
    write_codebook_and_package,
    write_sidecar,
    write_table,
)
from gba_report.data.schemas import TABLES

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = PROJECT_ROOT / "data" / "reference"
ADDITIONS = "additions-2026-12"
#: The tables this script writes, in the order written.
OUTPUTS = (
    "regions",
    "rd_intensity",
    "hk_gerd_by_sector",
    "crossborder_funding",
    "shared_facilities",
    "targets",
    "exchange_rates",
    "fx_year_end",
    "article_claims",
)


# ============================================================================ catalogue
def build_sources(cur: Path) -> list[dict[str, str]]:
    """Return the catalogue rows of ``data/curation/sources.yml`` (checked)."""
    entries = read_yaml(cur / "sources.yml")
    check(isinstance(entries, list), "data/curation/sources.yml must be a list of sources")
    columns = TABLES["sources"].column_names
    rows, seen, urls = [], set(), {}
    for number, entry in enumerate(entries, start=1):
        where = f"data/curation/sources.yml, entry {number}"
        check(isinstance(entry, dict) and entry.get("source_id"), f"{where}: needs a source_id")
        sid = entry["source_id"]
        check(sid not in seen, f"{where}: source_id {sid} appears twice")
        seen.add(sid)
        unknown = set(entry) - set(columns) - {"reference_urls"}
        check(not unknown, f"{where} ({sid}): unknown keys {sorted(unknown)}")
        kind = entry.get("retrieval_kind", "")
        check(
            kind in provenance.CONFIDENCE_CEILING,
            f"{where} ({sid}): retrieval_kind {kind!r} must be one of "
            f"{', '.join(provenance.CONFIDENCE_CEILING)}",
        )
        for url in entry.get("reference_urls") or []:
            check(url not in urls, f"{where}: reference url {url} already maps to {urls.get(url)}")
            urls[url] = sid
        rows.append({c: str(entry.get(c, "") or "") for c in columns})
    return rows


def retrieval_kinds(sources: list[dict[str, str]]) -> dict[str, str]:
    """Map every source id to its retrieval kind."""
    return {s["source_id"]: s["retrieval_kind"] for s in sources}


def apply_confidence(
    name: str, rows: list[dict[str, str]], kinds: dict[str, str], log: list[str]
) -> None:
    """Set each row's confidence by the rule; log where the reference's own tag differed."""
    for row in rows:
        ids = provenance.split_ids(row.get("source_id", ""))
        for sid in ids:
            check(sid in kinds, f"{name}: source id {sid} is not in data/curation/sources.yml")
        rule = provenance.expected_confidence(ids, kinds, provenance.is_doubtful(row))
        tagged = row.pop("_reference_confidence", None)
        if tagged and tagged != rule:
            key = ", ".join(
                f"{k}={row[k]}" for k in TABLES[name].keys[0] if k in row and row[k] != ""
            )
            log.append(f"{name} {key}: reference tag {tagged}, rule gives {rule} ({ids})")
        row["confidence"] = rule or ""


#: Reference confidence tags -> the project's three levels (compared with the rule only).
REFERENCE_TAGS = {
    "verified-in-source": "verified",
    "secondary-source": "secondary",
    "uncertain": "unverified",
}


# ============================================================================ regions
def build_regions(cur: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Return the region code list and a map from reference names to codes."""
    rows = read_csv(cur / "regions.csv")
    by_name: dict[str, str] = {}
    codes = set()
    for number, row in enumerate(rows, start=1):
        check(row["region_code"] not in codes, f"regions.csv row {number}: code appears twice")
        codes.add(row["region_code"])
        name = row.pop("reference_name", "")
        if name:
            check(name not in by_name, f"regions.csv row {number}: reference_name {name} twice")
            by_name[name] = row["region_code"]
    for row in rows:
        check(
            row["parent_code"] == "" or row["parent_code"] in codes,
            f"regions.csv: parent_code {row['parent_code']} of {row['region_code']} is unknown",
        )
    return rows, by_name


# ============================================================================ rd_intensity
def _keyed(entries: list[dict[str, Any]], *fields: str) -> dict[tuple, dict[str, Any]]:
    """Index a list of YAML mappings by the values of ``fields``."""
    out: dict[tuple, dict[str, Any]] = {}
    for entry in entries or []:
        key = tuple(entry[f] for f in fields)
        check(key not in out, f"curation entry {key} appears twice")
        out[key] = entry
    return out


def _basis(rules: list[dict[str, Any]], series: str, year: int) -> dict[str, Any]:
    """The vintage/basis rule of a series and year (first match in rd_intensity.yml)."""
    for rule in rules:
        if rule["series"] == series and rule.get("from", 0) <= year <= rule.get("to", 9999):
            return rule
    raise check(False, f"rd_intensity.yml: no basis rule for series {series}, year {year}")


class RDBuilder:
    """Collect the rows of rd_intensity from the reference files, by the curation decisions."""

    def __init__(self, ref: Path, cur: Path, codes: dict[str, str]) -> None:
        self.ref, self.cur, self.codes = ref, cur, codes
        self.d = read_yaml(cur / "rd_intensity.yml")
        self.rules = self.d["basis_rules"]
        self.breaks = {(b["region_code"], b["year"], b["series"]) for b in self.d["series_breaks"]}
        self.rows: list[dict[str, str]] = []
        self.checks: list[str] = []

    def add(self, **kw: str) -> None:
        """Add one row; vintage, basis and series breaks from the rules unless given."""
        rule = _basis(self.rules, kw["series"], int(kw["year"]))
        row = {
            "vintage": rule["vintage"],
            "basis": rule["basis"],
            "is_series_break": "False",
            "is_derived": "False",
            "uncertainty": "",
            "note": "",
        } | kw
        if (row["region_code"], int(row["year"]), row["series"]) in self.breaks or (
            rule.get("series_break") and int(row["year"]) == rule.get("from")
        ):  # first year of a new method, or of a new GDP basis within the series
            row["is_series_break"] = "True"
        self.rows.append(row)

    # ------------------------------------------------------------------ NBS
    def nbs(self) -> dict[int, dict[str, dict[str, str]]]:
        """NBS national and provincial rows 2010-2023 (all-provinces file is the master)."""
        d = self.d
        notes = {k: v["note"] for k, v in _keyed(d["nbs_row_notes"], "region_code", "year").items()}
        national = {r["year"]: r for r in read_csv(self.ref / "rd_china_national.csv")}
        by_year: dict[int, dict[str, dict[str, str]]] = defaultdict(dict)
        for r in read_csv(self.ref / "rd_china_provinces_all.csv"):
            code, year = self.codes[r["region_cn"]], int(r["year"])
            by_year[year][code] = r
            if year > d["nbs_reference_last_year"]:
                continue  # later years come from the additions (checked against these below)
            source_id = self._province_source(year, r["source"])
            if code == "CN" and year == 2010:
                source_id = d["cn_2010_source_id"]
            note = notes.get((code, year), "")
            if year == 2010 and code != "CN":
                note = _join(d["province_2010_note"], note)
            self.add(
                region_code=code,
                year=str(year),
                series="nbs_first_release",
                rd_expenditure_rmb_100m=r["rd_expenditure_100m_rmb"],
                rd_intensity_pct_gdp=r["rd_intensity_pct_of_gdp"],
                source_id=source_id,
                _reference_confidence=REFERENCE_TAGS[r["confidence"]],
                note=note,
            )
        for year in range(2010, d["nbs_reference_last_year"] + 1):
            check("CN" in by_year[year], f"NBS national total missing for {year}")
            n, nat = by_year[year]["CN"], national[str(year)]
            check(
                n["rd_expenditure_100m_rmb"] == nat["rd_expenditure_100m_rmb"]
                and n["rd_intensity_pct_of_gdp"] == nat["rd_intensity_pct_nbs_first_release"],
                f"national {year} differs between reference files",
            )
            provs = [r for c, r in by_year[year].items() if c != "CN"]
            check(len(provs) == 31, f"{year}: {len(provs)} provinces, expected 31")
            total = sum(float(r["rd_expenditure_100m_rmb"]) for r in provs)
            gap = total - float(n["rd_expenditure_100m_rmb"])
            check(abs(gap) < 0.5, f"{year}: provinces sum {total:.1f} vs national")
            self.checks.append(
                f"{year}: 31 provinces sum to {total:.1f} vs national "
                f"{n['rd_expenditure_100m_rmb']} (gap {gap:+.1f}, rounding)"
            )
        for r in read_csv(self.ref / "rd_guangdong_and_leading_provinces.csv"):
            p = by_year[int(r["year"])][self.codes[r["region_cn"]]]
            check(
                (p["rd_expenditure_100m_rmb"], p["rd_intensity_pct_of_gdp"])
                == (r["rd_expenditure_100m_rmb"], r["rd_intensity_pct_of_gdp"]),
                f"leading-provinces file differs for {r['year']} {r['region_en']}",
            )
        self.checks.append("rd_guangdong_and_leading_provinces.csv agrees with the provinces file")
        return by_year

    def _province_source(self, year: int, text: str) -> str:
        for rule in self.d["province_source_rules"]:
            if rule["first_year"] <= year <= rule["last_year"]:
                check(rule["needle"] in text, f"{year}: unexpected source text {text[:60]!r}")
                return rule["source_id"]
        raise check(False, f"rd_intensity.yml: no province_source_rules entry for {year}")

    # ------------------------------------------------------------------ World Bank (checks only)
    def worldbank_checks(self) -> dict[tuple[str, str], str]:
        """Cross-check the World Bank values of the reference files (the rows live elsewhere)."""
        prefix = self.d["worldbank_source_prefix"]
        intl = read_csv(self.ref / "rd_international.csv")
        wb = {
            (r["iso3"], r["year"]): r["gerd_pct_gdp"]
            for r in intl
            if r["source"].startswith(prefix)
        }
        for year, r in ((r["year"], r) for r in read_csv(self.ref / "rd_china_national.csv")):
            if r["rd_intensity_pct_worldbank"]:
                check(wb.get(("CHN", year)) == r["rd_intensity_pct_worldbank"], f"WB China {year}")
        for r in read_csv(self.ref / "rd_hongkong.csv"):
            check(
                wb.get(("HKG", r["year"]), "") == r["gerd_pct_gdp_worldbank"], f"WB HK {r['year']}"
            )
        macao = read_csv(self.ref / "rd_macao.csv")
        macao_wb = {r["year"]: r for r in macao if r["source"].startswith(prefix)}
        for year, r in macao_wb.items():
            if ("MAC", year) in wb:
                check(wb[("MAC", year)] == r["gerd_pct_gdp"], f"WB Macao {year}")
        for r in macao:
            if not r["source"].startswith(prefix) and r["confidence"] != "uncertain":
                wb_value = float(macao_wb[r["year"]]["gerd_pct_gdp"])
                check(abs(float(r["gerd_pct_gdp"]) - wb_value) < 0.01, f"GASS Macao {r['year']}")
        self.checks.append(
            "World Bank values agree across the reference files (rows: worldbank table)"
        )
        return wb

    # ------------------------------------------------------------------ other series
    def international(self) -> None:
        """Visual Capitalist (OECD MSTI rounded) and Taiwan national rows of rd_international."""
        d = self.d
        prefix = d["worldbank_source_prefix"]
        duplicates = {
            (x["iso3"], str(x["year"]), x["value"]) for x in d["international_duplicates"]
        }
        taiwan = _keyed(d["taiwan_decisions"], "year")
        for r in read_csv(self.ref / "rd_international.csv"):
            iso3, year, value = r["iso3"], r["year"], r["gerd_pct_gdp"]
            code = d["iso3_to_region"].get(iso3, iso3)
            if r["source"].startswith(prefix) or (iso3, year, value) in duplicates:
                continue
            if r["source"].startswith("Visual Capitalist"):
                note = d["visualcapitalist_note"]
                if iso3 == "CHN":
                    note += " NBS first release: 2.65."
                self.add(
                    region_code=code,
                    year=year,
                    series="oecd_msti_rounded",
                    rd_intensity_pct_gdp=value,
                    source_id="visualcapitalist-rd-2023",
                    _reference_confidence=REFERENCE_TAGS[r["confidence"]],
                    note=note,
                )
            elif iso3 == "TWN":
                t = taiwan[(int(year),)]
                if t.get("omit_row"):
                    continue
                self.add(
                    region_code="TWN",
                    year=year,
                    series="national_release",
                    rd_intensity_pct_gdp=value,
                    source_id=t["source_id"],
                    uncertainty=t.get("uncertainty", ""),
                    _reference_confidence=REFERENCE_TAGS[r["confidence"]],
                    note=t["note"],
                )
            else:
                check(False, f"unhandled international row {iso3} {year}")
        for extra in d["extra_oecd_rounded"]:
            self.add(
                region_code=extra["region_code"],
                year="2023",
                series="oecd_msti_rounded",
                rd_intensity_pct_gdp=extra["value"],
                source_id="visualcapitalist-rd-2023",
                note=extra["note"],
            )

    def hong_kong(self) -> None:
        """Hong Kong C&SD ratios."""
        sources = _keyed(self.d["hk_csd_sources"], "year")
        for r in read_csv(self.ref / "rd_hongkong.csv"):
            if not r["gerd_pct_gdp_csd"]:
                continue
            s = sources[(int(r["year"]),)]
            self.add(
                region_code="HK",
                year=r["year"],
                series="csd",
                vintage=s.get("vintage", "first_release"),
                rd_intensity_pct_gdp=r["gerd_pct_gdp_csd"],
                source_id=s["source_id"],
                _reference_confidence=REFERENCE_TAGS[r["confidence"]],
                note=s["note"],
            )

    def cities(self) -> None:
        """GBA city rows of the first reference file (later ones: additions)."""
        decisions = _keyed(self.d["city_decisions"], "city", "year")
        for r in read_csv(self.ref / "rd_gba_cities.csv"):
            d = decisions[(r["city"], int(r["year"]))]
            if d.get("omit_row"):
                continue
            values = {
                "rd_expenditure_rmb_100m": r["rd_expenditure_100m_rmb"],
                "rd_intensity_pct_gdp": r["rd_intensity_pct_of_gdp"],
            }
            for col in d.get("drop", []):
                values[col] = ""
            self.add(
                region_code=self.codes[r["city"]],
                year=r["year"],
                series="city_release",
                source_id=str(d["source_id"]),
                uncertainty=d.get("uncertainty", ""),
                _reference_confidence=REFERENCE_TAGS[r["confidence"]],
                note=str(d.get("note", "")),
                **values,
            )

    def provincial_2024(self) -> None:
        """Guangdong's own 2024 communique (series provincial_release)."""
        gd = self.d["gd_provincial_2024"]
        self.add(
            region_code="GD",
            year="2024",
            series="provincial_release",
            rd_expenditure_rmb_100m=gd["rd_expenditure_rmb_100m"],
            rd_intensity_pct_gdp=gd["rd_intensity_pct_gdp"],
            source_id="gd-communique-2024",
            note=gd["note"],
        )

    # ------------------------------------------------------------------ additions
    def additions(self, by_year: dict[int, dict[str, dict[str, str]]]) -> None:
        """Rows of the 2026-12 additions, one decision per reference row."""
        add = self.ref / ADDITIONS
        for file, spec in self.d["additions"].items():
            decisions = read_csv(self.cur / "decisions" / f"{Path(file).stem}.csv")
            rows = read_csv(add / file)
            check(
                len(decisions) == len(rows),
                f"decisions/{Path(file).stem}.csv has {len(decisions)} rows, {file} has "
                f"{len(rows)}: give every reference row a decision (keep or leave_out)",
            )
            for number, (r, dec) in enumerate(zip(rows, decisions, strict=True), start=1):
                where = f"decisions/{Path(file).stem}.csv row {number}"
                key = "|".join(r[c] for c in spec["key_columns"])
                check(dec["ref_key"] == key, f"{where}: ref_key {dec['ref_key']!r} != {key!r}")
                if dec["action"] == "leave_out":
                    check(bool(dec["note"]), f"{where}: say why the row is left out (note)")
                    continue
                values = {col: r[ref_col] for col, ref_col in spec["values"].items()}
                if dec["action"] == "known":  # already built from an older file: must agree
                    same = [
                        x
                        for x in self.rows
                        if (x["region_code"], x["year"], x["series"])
                        == (dec["region_code"], r[spec["year_column"]], dec["series"])
                    ]
                    check(len(same) == 1, f"{where}: no single existing row to compare with")
                    for col, value in values.items():
                        check(
                            value == same[0].get(col, ""),
                            f"{where}: {col} {value!r} differs from the existing "
                            f"{same[0].get(col, '')!r}",
                        )
                    continue
                check(dec["action"] == "keep", f"{where}: action must be keep, known or leave_out")
                for col in filter(None, dec["drop"].split(";")):
                    values[col] = ""
                year = dec["year"] or r[spec["year_column"]]
                row = {
                    "region_code": dec["region_code"] or self.codes[r[spec["region_column"]]],
                    "year": year,
                    "series": dec["series"],
                    "source_id": dec["source_id"],
                    "uncertainty": dec["uncertainty"],
                    "_reference_confidence": REFERENCE_TAGS[r["confidence"]],
                    "note": dec["note"],
                    **values,
                }
                for field in ("vintage", "basis"):
                    if dec[field]:
                        row[field] = dec[field]
                self.add(**row)
        # the first reference file's 2024 rows must agree with the communique's 附表2
        new = {
            (x["region_code"], x["year"]): x
            for x in self.rows
            if x["series"] == "nbs_first_release" and x["year"] == "2024"
        }
        for code, r in by_year.get(2024, {}).items():
            x = new[(code, "2024")]
            for ref_col, col in (
                ("rd_expenditure_100m_rmb", "rd_expenditure_rmb_100m"),
                ("rd_intensity_pct_of_gdp", "rd_intensity_pct_gdp"),
            ):
                check(
                    r[ref_col] in ("", x[col]),
                    f"2024 {code}: {ref_col} {r[ref_col]} in rd_china_provinces_all.csv differs "
                    f"from the communique's {x[col]}",
                )
        provs = [x for (c, _), x in new.items() if c != "CN"]
        check(len(provs) == 31, f"2024: {len(provs)} provinces from the communique, expected 31")
        total = sum(float(x["rd_expenditure_rmb_100m"]) for x in provs)
        check(
            f"{total:.1f}" == new[("CN", "2024")]["rd_expenditure_rmb_100m"],
            f"2024: 31 provinces sum to {total:.1f}, national "
            f"{new[('CN', '2024')]['rd_expenditure_rmb_100m']}",
        )
        self.checks.append(f"2024: 31 provinces sum to {total:.1f} = national (communique 附表2)")
        revised = [x for x in self.rows if x["series"] == "nbs_revised"]
        check(len(revised) == 32, f"revised 2023: {len(revised)} rows, expected 32")

    def share_checks(self) -> None:
        """Check the shares of Guangdong the reference states for Shenzhen and the PRD."""
        gd = {
            int(x["year"]): float(x["rd_expenditure_rmb_100m"])
            for x in self.rows
            if x["region_code"] == "GD" and x["series"] == "nbs_first_release"
        }
        city = {
            (x["region_code"], int(x["year"])): x
            for x in self.rows
            if x["series"] == "city_release"
        }
        for entry in self.d["stated_shares"]:
            code, year, stated = entry["region_code"], entry["year"], entry["share_pct"]
            share = 100 * float(city[(code, year)]["rd_expenditure_rmb_100m"]) / gd[year]
            check(abs(share - stated) < 0.5, f"{code} {year} share {share:.1f} vs stated {stated}")
            self.checks.append(f"{code} {year}: {share:.2f}% of Guangdong (source says {stated}%)")

    def finish(self, non_mainland: set[str]) -> list[dict[str, str]]:
        """Sort, check keys and ranges; return the rows."""
        rows = sorted(self.rows, key=lambda x: (x["region_code"], x["series"], int(x["year"])))
        keys = [(x["region_code"], x["year"], x["series"], x["vintage"]) for x in rows]
        dupes = {k for k in keys if keys.count(k) > 1}
        check(not dupes, f"duplicate rd_intensity keys {sorted(dupes)}")
        for x in rows:
            v = x.get("rd_intensity_pct_gdp", "")
            check(v == "" or 0 <= float(v) <= 10, f"intensity out of range {x}")
            check(
                x.get("rd_expenditure_rmb_100m", "") == "" or x["region_code"] not in non_mainland,
                f"RMB amount on a non-mainland row {x}",
            )
        return rows


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def build_rd_intensity(
    ref: Path, cur: Path, codes: dict[str, str], regions: list[dict[str, str]]
) -> tuple[list[dict[str, str]], list[str]]:
    """Return the rd_intensity rows and the checks made."""
    b = RDBuilder(ref, cur, codes)
    by_year = b.nbs()
    b.provincial_2024()
    b.worldbank_checks()
    b.international()
    b.hong_kong()
    b.cities()
    b.additions(by_year)
    b.share_checks()
    non_mainland = {
        r["region_code"] for r in regions if r["region_type"] in ("economy", "aggregate", "sar")
    }
    return b.finish(non_mainland), b.checks


# ============================================================================ HK GERD
def build_hk_gerd_by_sector(ref: Path, cur: Path) -> tuple[list[dict[str, str]], list[str]]:
    """Hong Kong GERD by performing sector (2015-2024 where available)."""
    d = read_yaml(cur / "hk_gerd_by_sector.yml")
    notes = {k: v["note"] for k, v in _keyed(d["notes"], "year", "sector").items()}
    sources = {k[0]: v["source_id"] for k, v in _keyed(d["sources"], "year").items()}
    rows: list[dict[str, str]] = []
    checks: list[str] = []
    for r in read_csv(ref / "rd_hongkong.csv"):
        year = int(r["year"])
        if year < d["first_year"] or not r["gerd_hkd_million"]:
            continue
        if r["business_hkd_million"]:
            parts = sum(float(r[c]) for s, c in d["sector_columns"].items() if s != "total")
            gap = parts - float(r["gerd_hkd_million"])
            check(abs(gap) <= 1.0, f"HK {year}: sectors sum {parts} vs total")
            checks.append(f"HK {year}: sectors sum to {parts:.1f} vs total {r['gerd_hkd_million']}")
        for sector, col in d["sector_columns"].items():
            if not r[col]:
                continue
            note = notes.get((year, sector), "")
            if sector == "higher_education":
                note = _join(d["higher_education_note"], note)
            rows.append(
                {
                    "region_code": "HK",
                    "year": str(year),
                    "sector": sector,
                    "gerd_hkd_million": r[col],
                    "is_series_break": "True" if year == d["series_break_year"] else "False",
                    "source_id": sources[year],
                    "_reference_confidence": REFERENCE_TAGS[r["confidence"]],
                    "note": note,
                }
            )
    # additions: rows named in the decisions file (one decision per reference row)
    decisions = read_csv(cur / "decisions" / "rd_hongkong_macao_2023_2024.csv")
    extra = read_csv(ref / ADDITIONS / "rd_hongkong_macao_2023_2024.csv")
    check(len(decisions) == len(extra), "decisions/rd_hongkong_macao_2023_2024.csv: one per row")
    have = {(r["year"], r["sector"]) for r in rows}
    for number, (r, dec) in enumerate(zip(extra, decisions, strict=True), start=1):
        key = "|".join((r["region"], r["year"], r["indicator"], r["value"]))
        check(dec["ref_key"] == key, f"decisions/rd_hongkong_macao row {number}: ref_key {key!r}")
        check(dec["action"] in ("keep", "leave_out", "rd_intensity", "known"), f"row {number}")
        if dec["action"] == "keep":
            check((r["year"], dec["sector"]) not in have, f"HK {r['year']} {dec['sector']} twice")
            rows.append(
                {
                    "region_code": "HK",
                    "year": r["year"],
                    "sector": dec["sector"],
                    "gerd_hkd_million": r["value"],
                    "is_series_break": "False",
                    "source_id": dec["source_id"],
                    "_reference_confidence": REFERENCE_TAGS[r["confidence"]],
                    "note": dec["note"],
                }
            )
        elif dec["action"] == "known":  # already in the table: the value must agree
            match = [x for x in rows if (x["year"], x["sector"]) == (r["year"], dec["sector"])]
            check(
                len(match) == 1 and match[0]["gerd_hkd_million"] == r["value"],
                f"HK {r['year']} {dec['sector']}: additions give {r['value']}",
            )
    rows.sort(key=lambda x: (int(x["year"]), list(d["sector_columns"]).index(x["sector"])))
    return rows, checks


# ============================================================================ cross-border
def build_crossborder(ref: Path, cur: Path) -> list[dict[str, str]]:
    """Cross-border milestones: ids are assigned once in the curation file, never by position."""
    d = read_yaml(cur / "crossborder_funding.yml")
    events = read_csv(cur / "crossborder_funding.csv")
    ids = [e["event_id"] for e in events]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    check(not dupes, f"data/curation/crossborder_funding.csv: event ids used twice: {dupes}")
    check(all(ids), "data/curation/crossborder_funding.csv: every event needs its own event_id")
    ref_dates = {r["date"] for r in read_csv(ref / "rd_crossborder_funding.csv")}
    check(
        ref_dates == set(d["reference_dates"]),
        f"reference cross-border rows changed: {sorted(ref_dates ^ set(d['reference_dates']))}",
    )
    ours = {e["date"] for e in events}
    for dates in d["reference_dates"].values():
        check(set(dates) <= ours, f"no event for reference date(s) {dates}")
    amounts = {e["amount"] for e in events}
    for needed in d["required_amounts"]:
        check(needed in amounts, f"amount {needed} missing")
    rows = []
    for e in events:
        row = dict(e)
        row["amount_unit"] = "million" if row["amount"] else ""
        rows.append(row)
    # date order for readers; events of one date keep the order of the curation file
    return sorted(rows, key=lambda e: e["date"])


# ============================================================================ FX
def build_fx_year_end(ref: Path, cur: Path) -> list[dict[str, str]]:
    """Official year-end RMB-HKD rates, one row per year and rate type (values as read)."""
    decisions = read_csv(cur / "decisions" / "exchange_rates_rmb_hkd.csv")
    rows_ref = read_csv(ref / ADDITIONS / "exchange_rates_rmb_hkd.csv")
    check(len(decisions) == len(rows_ref), "decisions/exchange_rates_rmb_hkd.csv: one per row")
    out = []
    for number, (r, dec) in enumerate(zip(rows_ref, decisions, strict=True), start=1):
        where = f"decisions/exchange_rates_rmb_hkd.csv row {number}"
        check(dec["ref_key"] == r["period"], f"{where}: ref_key must be {r['period']!r}")
        if dec["action"] == "leave_out":
            check(bool(dec["note"]), f"{where}: say why")
            continue
        if dec["rate_type"] == "hkma_closing":
            base, base_amount, quote, quote_amount = "RMB", "1", "HKD", r["hkd_per_rmb"]
        else:
            base, base_amount, quote, quote_amount = "HKD", "100", "RMB", r["rmb_per_100hkd"]
        check(quote_amount != "", f"{where}: the reference row has no value")
        check(r["period"][:4] == dec["year"], f"{where}: the date must lie in year {dec['year']}")
        out.append(
            {
                "rate_id": f"{dec['rate_type']}_{dec['year']}",
                "year": dec["year"],
                "date": r["period"],
                "rate_type": dec["rate_type"],
                "base_currency": base,
                "base_amount": base_amount,
                "quote_currency": quote,
                "quote_amount": quote_amount,
                "source_id": dec["source_id"],
                "_reference_confidence": REFERENCE_TAGS[r["confidence"]],
                "note": dec["note"],
            }
        )
    return sorted(out, key=lambda x: (x["rate_type"], x["year"]))


# ============================================================================ main
def main(argv: list[str] | None = None) -> int:
    """Build every table this script owns; print the checks made."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data")
    parser.add_argument(
        "--curation",
        type=Path,
        default=None,
        help="folder of the curation files (default: data/curation of the project)",
    )
    args = parser.parse_args(argv)
    ref, out = args.reference, args.out
    cur = args.curation or PROJECT_ROOT / "data" / "curation"
    check(ref.is_dir(), f"reference folder not found: {ref}")
    check((ref / ADDITIONS).is_dir(), f"reference folder has no {ADDITIONS}/: {ref}")
    out.mkdir(parents=True, exist_ok=True)

    sources = build_sources(cur)
    kinds = retrieval_kinds(sources)
    regions, codes = build_regions(cur)
    rd, checks = build_rd_intensity(ref, cur, codes, regions)
    hk, hk_checks = build_hk_gerd_by_sector(ref, cur)
    tables: dict[str, list[dict[str, str]]] = {
        "regions": regions,
        "rd_intensity": rd,
        "hk_gerd_by_sector": hk,
        "crossborder_funding": build_crossborder(ref, cur),
        "shared_facilities": read_csv(cur / "shared_facilities.csv"),
        "targets": read_csv(cur / "targets.csv"),
        "exchange_rates": read_csv(cur / "exchange_rates.csv"),
        "fx_year_end": build_fx_year_end(ref, cur),
        "article_claims": read_csv(cur / "article_claims.csv"),
    }
    region_codes = {r["region_code"] for r in regions}
    for r in rd:
        check(r["region_code"] in region_codes, f"unknown region {r['region_code']}")
    differences: list[str] = []
    for name, rows in tables.items():
        if "confidence" in TABLES[name].column_names:
            apply_confidence(name, rows, kinds, differences)
    notes_only = read_yaml(cur / "note_sources.yml") or {}
    for name in OUTPUTS:
        rows = tables[name]
        columns = write_table(out, name, rows)
        write_sidecar(out, name, rows, columns, cur, notes_only.get(name, []))
        print(f"wrote data/{name}.csv ({len(rows)} rows)")
    columns = write_table(out, "sources", sources)
    write_sidecar(out, "sources", sources, columns, cur)
    print(f"wrote data/sources.csv ({len(sources)} rows)")
    cited = set()
    for rows in tables.values():
        cited |= set(sources_of(r for r in rows if r.get("source_id")))
    unknown = sorted(cited - set(kinds))
    check(not unknown, f"source ids not in the catalogue: {unknown}")
    write_codebook_and_package(out)
    for line in checks + hk_checks:
        print("check:", line)
    for line in differences:
        print("confidence:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
