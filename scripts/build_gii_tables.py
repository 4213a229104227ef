"""Build the GII tables in data/ from the reference compilation and data/curation/.

Usage (from the project root)::

    .venv/bin/python scripts/build_gii_tables.py [--reference DIR] [--out data]

Reads ``gii_cluster_rankings.csv``, ``gii_cluster_rank_history.csv``,
``gii_cluster_counts_by_economy.csv`` and ``gii_economy_ranks.csv`` of the reference compilation
(``data/reference``, the project's snapshot of ``../shared/reference-data``; evidence in its
NOTES-gii-clusters.md), the additions of
``additions-2026-12/`` with one decision per row (``data/curation/decisions/``), the cluster code
list and conflict notes (``data/curation/gii.yml``) and the source catalogue
(``data/curation/sources.yml``: its ``reference_urls`` map the reference's URLs to source ids).
Writes ``clusters``, ``gii_cluster_ranks``, ``gii_economy_ranks``, ``gii_clusters_per_economy``
and ``gii_methodology`` with their sidecars. Values are copied as written (never rounded); the
confidence of every row follows from its sources by the rule of
:mod:`gba_report.data.provenance`. The source catalogue itself is written by
``scripts/build_datasets.py`` (one writer per file). Running it twice writes the same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from gba_report.data import provenance
from gba_report.data.curation import (
    check,
    read_csv,
    read_yaml,
    write_codebook_and_package,
    write_sidecar,
    write_table,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = ROOT / "data" / "reference"
ADDITIONS = "additions-2026-12"
#: Reference confidence tags, used only to choose between two sources that disagree.
TAG_ORDER = {"verified-in-source": 0, "secondary-source": 1, "uncertain": 2}


class GII:
    """The curation of the GII tables: cluster codes, aliases, URL -> source id, decisions."""

    def __init__(self, cur: Path) -> None:
        self.cur = cur
        self.d = read_yaml(cur / "gii.yml")
        self.clusters = self.d["clusters"]
        self.inferred = re.compile(self.d["inferred_pattern"])
        self.url_ids: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        for entry in read_yaml(cur / "sources.yml"):
            self.kinds[entry["source_id"]] = entry["retrieval_kind"]
            for url in entry.get("reference_urls") or []:
                self.url_ids[url] = entry["source_id"]

    def source_ids(self, text: str, where: str) -> str:
        """Map the ' ; '-joined URLs of a reference row to ';'-joined source ids."""
        ids = []
        for url in (u.strip() for u in text.split(" ; ")):
            if not url:
                continue
            check(
                url in self.url_ids,
                f"{where}: URL {url} is in no reference_urls of data/curation/sources.yml "
                "(add it to the source it belongs to, or a new source)",
            )
            ids.append(self.url_ids[url])
        return ";".join(dict.fromkeys(ids))

    def code(self, name: str) -> str:
        """Cluster code of a name as written in the reference data."""
        for c in self.clusters:
            if c["name_en"] == name:
                return c["cluster_code"]
        check(
            name in self.d["aliases"], f"cluster name {name!r} is neither in clusters nor aliases"
        )
        return self.d["aliases"][name]

    def confidence(self, row: dict[str, str]) -> str:
        """Confidence of a row by the rule."""
        ids = provenance.split_ids(row["source_id"])
        for sid in ids:
            check(sid in self.kinds, f"source {sid} is not in data/curation/sources.yml")
        return provenance.expected_confidence(ids, self.kinds, provenance.is_doubtful(row)) or ""


def _join_notes(*parts: str) -> str:
    return "; ".join(p for p in (x.strip().strip(";").strip() for x in parts) if p)


def build_ranks(ref: Path, g: GII) -> list[dict[str, str]]:
    """One row per edition and cluster: rankings file, rank history, then the additions."""
    rows: dict[tuple[int, str], dict[str, str]] = {}
    tags: dict[tuple[int, str], str] = {}
    for number, r in enumerate(read_csv(ref / "gii_cluster_rankings.csv"), start=1):
        code = g.code(r["cluster"])
        inferred = bool(g.inferred.search(r["note"]))
        key = (int(r["edition"]), code)
        note = r["note"]
        if inferred and r["confidence"] != "uncertain":
            note = _join_notes(
                note,
                f"rank inferred, so confidence set to unverified (reference file: "
                f"{r['confidence']})",
            )
        rows[key] = {
            "edition": r["edition"],
            "rank": r["rank"],
            "cluster_code": code,
            "name_as_ranked": r["cluster"],
            "pct_applications_count": r["pct_applications_count"],
            "scientific_publications_count": r["scientific_publications_count"],
            "pct_share_pct": r["pct_share_pct"],
            "publications_share_pct": r["publications_share_pct"],
            "vc_deals_share_pct": r["vc_deals_share_pct"],
            "data_window": r["data_window"],
            "is_inferred": "True" if inferred else "False",
            "source_id": g.source_ids(r["source"], f"gii_cluster_rankings.csv row {number}"),
            "note": note,
        }
        tags[key] = r["confidence"]
    for number, r in enumerate(read_csv(ref / "gii_cluster_rank_history.csv"), start=1):
        if not r["rank"].isdigit():
            continue  # "not in top 100" or not retrieved: no rank to record
        key = (int(r["edition"]), g.code(r["cluster"]))
        ids = g.source_ids(r["source"], f"gii_cluster_rank_history.csv row {number}")
        if key in rows:
            row = rows[key]
            if row["rank"] != r["rank"]:
                # sources disagree: keep the better-sourced rank, note the other
                if TAG_ORDER[r["confidence"]] < TAG_ORDER[tags[key]]:
                    other = row["rank"]
                    row["rank"] = r["rank"]
                    tags[key] = r["confidence"]
                else:
                    other = r["rank"]
                row["note"] = _join_notes(row["note"], f"other source gives rank {other}")
            row["source_id"] = ";".join(dict.fromkeys(row["source_id"].split(";") + ids.split(";")))
            continue
        match = re.search(r'as "([^"]+)"', r["note"])
        rows[key] = {
            "edition": r["edition"],
            "rank": r["rank"],
            "cluster_code": key[1],
            "name_as_ranked": match.group(1) if match else r["cluster"],
            "data_window": "",
            "is_inferred": "True" if g.inferred.search(r["note"]) else "False",
            "source_id": ids,
            "note": r["note"],
        }
        tags[key] = r["confidence"]
    for entry in g.d["conflict_notes"]:
        key = (entry["edition"], entry["cluster_code"])
        rows[key]["note"] = _join_notes(rows[key]["note"], entry["note"])
    apply_rank_additions(ref, g, rows)
    out = sorted(rows.values(), key=lambda x: (-int(x["edition"]), int(x["rank"])))
    for row in out:
        row["confidence"] = g.confidence(row)
    return out


#: Count and share columns an addition may fill in.
RANK_VALUES = (
    "pct_applications_count",
    "scientific_publications_count",
    "pct_share_pct",
    "publications_share_pct",
    "vc_deals_share_pct",
)


def _decided(
    ref: Path, g: GII, name: str, keys: tuple[str, ...]
) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """Each row of the additions file ``name`` with its decision, leave_out rows skipped.

    The decisions file (``data/curation/decisions/<name>``) holds one decision per row, in
    order; its ``ref_key`` (``keys`` of the row, ``|``-joined) must match the row, and a row
    left out must say why.

    Yields:
        ``(where, row, decision)``: ``where`` names the decision row for messages.
    """
    decisions = read_csv(g.cur / "decisions" / name)
    extra = read_csv(ref / ADDITIONS / name)
    check(len(decisions) == len(extra), f"decisions/{name}: one per row")
    for number, (r, dec) in enumerate(zip(extra, decisions, strict=True), start=1):
        where = f"decisions/{name} row {number}"
        ref_key = "|".join(r[k] for k in keys)
        check(dec["ref_key"] == ref_key, f"{where}: ref_key must be {ref_key!r}")
        if dec["action"] == "leave_out":
            check(bool(dec["note"]), f"{where}: say why the row is left out")
            continue
        yield where, r, dec


def apply_rank_additions(ref: Path, g: GII, rows: dict[tuple[int, str], dict[str, str]]) -> None:
    """Apply decisions/gii_cluster_rankings_additions.csv, one decision per reference row.

    Actions: ``new`` (a row for an edition and cluster not yet in the table), ``source`` (the
    same rank: add the source first if it is better, and fill counts and shares the row lacks;
    a different count is a stop), ``conflict`` (a different rank: the table keeps the rank of
    the better source, the other rank and its source go into the note), ``leave_out``.
    """
    keys = ("edition", "rank", "cluster")
    for where, r, dec in _decided(ref, g, "gii_cluster_rankings_additions.csv", keys):
        action = dec["action"]
        code = g.code(r["cluster"])
        key = (int(r["edition"]), code)
        ids = g.source_ids(r["source"], where)
        values = {c: r[c] for c in RANK_VALUES if r[c]}
        if action == "new":
            check(key not in rows, f"{where}: {key} is already in the table (use source)")
            rows[key] = {
                "edition": r["edition"],
                "rank": r["rank"],
                "cluster_code": code,
                "name_as_ranked": dec["name_as_ranked"] or r["cluster"],
                "data_window": r["data_window"],
                "is_inferred": "False",
                "source_id": ids,
                "uncertainty": dec["uncertainty"],
                "note": dec["note"],
                **values,
            }
            continue
        check(key in rows, f"{where}: {key} is not in the table (use new)")
        row = rows[key]
        if action == "source":
            check(row["rank"] == r["rank"], f"{where}: rank {r['rank']} differs (use conflict)")
            for col, value in values.items():
                check(
                    row.get(col, "") in ("", value),
                    f"{where}: {col} {value} differs from {row.get(col)} (use conflict)",
                )
                row[col] = value
            first = dec["first"] == "True"
            merged = ids.split(";") + row["source_id"].split(";") if first else None
            row["source_id"] = ";".join(
                dict.fromkeys(merged or row["source_id"].split(";") + ids.split(";"))
            )
            if dec["read_not_inferred"] == "True":
                row["is_inferred"] = "False"
            if r["data_window"] and not row.get("data_window"):
                row["data_window"] = r["data_window"]
            row["note"] = _join_notes(row["note"], dec["note"])
        else:
            check(action == "conflict", f"{where}: action must be new, source, conflict, leave_out")
            check(row["rank"] != r["rank"], f"{where}: same rank (use source)")
            row["note"] = _join_notes(row["note"], dec["note"])
            if dec["uncertainty"]:
                row["uncertainty"] = dec["uncertainty"]


def build_economy_ranks(ref: Path, g: GII) -> list[dict[str, str]]:
    """Economy-level GII ranks: the reference file, then its additions (one decision per row).

    Rows without a retrieved rank are left out.
    """
    rows: dict[tuple[int, str], dict[str, str]] = {}
    for number, r in enumerate(read_csv(ref / "gii_economy_ranks.csv"), start=1):
        if not r["gii_rank"]:
            continue
        code = g.d["economy_iso3"][r["economy"]]
        rows[(int(r["edition"]), code)] = {
            "edition": r["edition"],
            "economy_code": code,
            "gii_rank": r["gii_rank"],
            "gii_score": r["gii_score"],
            "source_id": g.source_ids(r["source"], f"gii_economy_ranks.csv row {number}"),
            "note": r["note"],
        }
    apply_economy_additions(ref, g, rows)
    out = sorted(rows.values(), key=lambda x: (-int(x["edition"]), int(x["gii_rank"])))
    for row in out:
        row["confidence"] = g.confidence(row)
    return out


def apply_economy_additions(ref: Path, g: GII, rows: dict[tuple[int, str], dict[str, str]]) -> None:
    """Apply decisions/gii_economy_ranks_additions.csv, one decision per reference row.

    Actions: ``new`` (an edition and economy without a rank yet), ``source`` (the same rank:
    add the source, first when ``first`` is True, and fill a missing score; a different score
    is kept out and named in the note), ``conflict`` (a different rank: the table keeps its
    rank, the note names the other), ``leave_out`` (with the reason).
    """
    keys = ("edition", "economy", "gii_rank")
    for where, r, dec in _decided(ref, g, "gii_economy_ranks_additions.csv", keys):
        action = dec["action"]
        check(r["economy"] in g.d["economy_iso3"], f"{where}: {r['economy']} not in economy_iso3")
        code = g.d["economy_iso3"][r["economy"]]
        key = (int(r["edition"]), code)
        ids = g.source_ids(r["source"], where)
        if action == "new":
            check(key not in rows, f"{where}: {key} already has a rank (use source)")
            rows[key] = {
                "edition": r["edition"],
                "economy_code": code,
                "gii_rank": r["gii_rank"],
                "gii_score": r["gii_score"],
                "source_id": ids,
                "note": dec["note"],
            }
            continue
        check(key in rows, f"{where}: {key} has no rank yet (use new)")
        row = rows[key]
        if action == "source":
            check(row["gii_rank"] == r["gii_rank"], f"{where}: rank differs (use conflict)")
            old = row["source_id"].split(";")
            merged = ids.split(";") + old if dec["first"] == "True" else old + ids.split(";")
            row["source_id"] = ";".join(dict.fromkeys(merged))
            if r["gii_score"] and not row["gii_score"]:
                row["gii_score"] = r["gii_score"]
            row["note"] = _join_notes(row["note"], dec["note"])
        else:
            check(action == "conflict", f"{where}: action must be new, source, conflict, leave_out")
            check(row["gii_rank"] != r["gii_rank"], f"{where}: same rank (use source)")
            row["note"] = _join_notes(row["note"], dec["note"])


def build_counts(ref: Path, g: GII) -> list[dict[str, str]]:
    """Number of top-100 clusters per economy (economy codes as in the source)."""
    out = []
    for number, r in enumerate(read_csv(ref / "gii_cluster_counts_by_economy.csv"), start=1):
        code, note, counts_with = r["economy"], r["note"], ""
        if code.startswith("CN ("):
            counts_with = "HK/TW"  # the source's "CN (incl. HK, TW)" count
            note = _join_notes(g.d["cn_with_hk_tw_note"], note)
            code = "CN"
        row = {
            "edition": r["edition"],
            "economy_code": code,
            "count": r["clusters_in_top100"],
            "counts_with": counts_with,
            "source_id": g.source_ids(r["source"], f"gii_cluster_counts_by_economy.csv {number}"),
            "note": note,
        }
        row["confidence"] = g.confidence(row)
        out.append(row)
    return out


def build_clusters(ranks: list[dict[str, str]], g: GII) -> list[dict[str, str]]:
    """Cluster code list; source and confidence from the cluster's most recent ranked row."""
    latest: dict[str, dict[str, str]] = {}
    for row in ranks:
        code = row["cluster_code"]
        if code not in latest or int(row["edition"]) > int(latest[code]["edition"]):
            latest[code] = row
    out = []
    for c in g.clusters:
        code = c["cluster_code"]
        check(code in latest, f"gii.yml: cluster {code} has no ranked row")
        src = latest[code]
        note = g.d["cluster_note"].format(edition=src["edition"])
        if c.get("note"):
            note = _join_notes(note, c["note"])
        row = {
            "cluster_code": code,
            "name_en": c["name_en"],
            "name_zh_hant": c["name_zh_hant"],
            "economy_codes": c["economy_codes"],
            "is_gba": "True" if c["is_gba"] else "False",
            "source_id": src["source_id"],
            "note": note,
        }
        row["confidence"] = g.confidence(row)
        out.append(row)
    unused = sorted({r["cluster_code"] for r in ranks} - {c["cluster_code"] for c in g.clusters})
    check(not unused, f"ranked clusters missing from gii.yml clusters: {unused}")
    return out


def build_methodology(g: GII) -> list[dict[str, str]]:
    """The hand-written method changes (data/curation/gii_methodology.csv), confidence by rule."""
    rows = read_csv(g.cur / "gii_methodology.csv")
    for row in rows:
        row["confidence"] = g.confidence(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Write the GII tables and their sidecars."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument("--curation", type=Path, default=None, help="default data/curation")
    args = parser.parse_args(argv)
    cur = args.curation or ROOT / "data" / "curation"
    check(args.reference.is_dir(), f"reference folder not found: {args.reference}")
    g = GII(cur)
    ranks = build_ranks(args.reference, g)
    tables = {
        "clusters": build_clusters(ranks, g),
        "gii_cluster_ranks": ranks,
        "gii_methodology": build_methodology(g),
        "gii_economy_ranks": build_economy_ranks(args.reference, g),
        "gii_clusters_per_economy": build_counts(args.reference, g),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = write_table(args.out, name, rows)
        write_sidecar(args.out, name, rows, columns, cur)
        print(f"wrote data/{name}.csv ({len(rows)} rows)")
    write_codebook_and_package(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
