"""Column specifications and pandera schemas for every curated table in ``data/``.

Each table is described once, in :data:`TABLES`, as a list of :class:`Col` (type, whether it may
be empty, allowed values, range, pattern, foreign key) plus its unique keys. The loaders in
:mod:`gba_report.data` use the same description twice: first to parse every cell of the CSV into
its type (so a bad cell is reported with its row and column), then to build a pandera
``DataFrameSchema`` (:func:`build_schema`) that checks codes, ranges, patterns, foreign keys and
unique keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandera.pandas as pa

#: Column types as written in the sidecars (``columns: {name: {type: ...}}``).
COLUMN_TYPES = ("string", "integer", "number", "boolean", "date")

#: pandas dtype of each column type in a loaded frame.
PANDAS_DTYPES = {
    "string": "str",
    "date": "str",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "bool",
}

CONFIDENCE = ("verified", "secondary", "unverified")
#: Why a row is unverified although its source would allow more (:mod:`~.provenance`).
UNCERTAINTY = ("approximate", "conflicting", "inferred")
#: How the project read a source (the retrieval); the confidence rule starts from it.
RETRIEVAL_KINDS = (
    "official_page",
    "official_data",
    "verbatim_copy",
    "mirror",
    "news",
    "third_party",
    "article",
)
#: Vintage of a figure: as first published, revised later, provisional (preliminary), an
#: estimate, or the latest value of a producer's table or database (its version in the sidecar).
VINTAGES = ("first_release", "revised", "provisional", "estimate", "latest")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SOURCE_IDS = r"^[^;\s]+(\s*;\s*[^;\s]+)*$"
#: Partial dates, ';'-joined (the date of each figure a claim's finding states).
FIGURE_DATES = r"^\d{4}(-\d{2}(-\d{2})?)?(;\d{4}(-\d{2}(-\d{2})?)?)*$"


@dataclass(frozen=True)
class Col:
    """One column of a curated table.

    Attributes:
        name: Column name in the CSV header.
        type: One of :data:`COLUMN_TYPES`.
        required: The value may not be empty.
        allowed: The value must be one of these (empty allowed only if not required).
        min: Inclusive lower bound (numbers and integers).
        max: Inclusive upper bound (numbers and integers).
        pattern: Regular expression the (non-empty) value must match.
        ref: Name of a code list (``regions``, ``clusters``, ``sources``) the value refers to.
        optional: The column itself may be absent from the CSV.
    """

    name: str
    type: str = "string"
    required: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    ref: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class Table:
    """A curated table: its columns, unique keys and the column holding its period."""

    name: str
    columns: tuple[Col, ...]
    keys: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    period_column: str | None = None

    def col(self, name: str) -> Col:
        """Return the column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        """Names of every column, in order."""
        return [c.name for c in self.columns]


def _provenance(with_confidence: bool = True, optional: bool = False) -> tuple[Col, ...]:
    cols = [Col("source_id", required=True, pattern=SOURCE_IDS, optional=optional)]
    if with_confidence:
        cols.append(Col("confidence", required=True, allowed=CONFIDENCE, optional=optional))
        cols.append(Col("uncertainty", allowed=UNCERTAINTY, optional=True))
    return tuple(cols)


def _by_name(*tables: Table) -> dict[str, Table]:
    return {table.name: table for table in tables}


REGION_TYPES = ("country", "province", "sar", "city", "city_group", "economy", "aggregate")
RD_SERIES = (
    "nbs_first_release",
    "nbs_revised",
    "nbs_preliminary",
    "provincial_release",
    "provincial_estimate",
    "city_release",
    "worldbank_wdi",
    "csd",
    "oecd_msti",
    "oecd_msti_rounded",
    "eurostat",
    "national_release",
    "national_fy",
)
#: Comparable bases of R&D intensities: figures are compared (changes, ranks) only within one.
RD_BASES = (
    "cn_gdp_pre_census5",
    "cn_gdp_census5",
    "wdi",
    "csd_pre2018",
    "csd_2018",
    "oecd_msti",
    "eurostat",
    "national",
    "national_fy",
)

#: Whose money a cross-border milestone counts: amounts of different scopes are never added.
FUNDING_SCOPES = (
    "central",
    "all_mainland",
    "guangdong",
    "guangzhou",
    "shenzhen",
    "other_gba_cities",
    "several",
)
#: What the evidence on an article claim shows (``status`` is the three-level summary of it).
CLAIM_VERDICTS = (
    "confirmed",
    "corrected",
    "partly_confirmed",
    "lower_figure_found",
    "conflicting_figure",
    "different_scope",
    "not_found",
)

RD_COLUMNS = (
    Col("region_code", required=True, ref="regions"),
    Col("year", "integer", required=True, min=1990, max=2030),
    Col("series", required=True, allowed=RD_SERIES),
    Col("vintage", required=True, allowed=VINTAGES),
    Col("basis", required=True, allowed=RD_BASES),
    Col("rd_expenditure_rmb_100m", "number", min=0, max=1_000_000),
    Col("rd_intensity_pct_gdp", "number", min=0, max=10),
    Col("is_series_break", "boolean", required=True),
    Col("is_derived", "boolean", required=True),
    *_provenance(),
    Col("note"),
)

TABLES: dict[str, Table] = _by_name(
    Table(
        "sources",
        (
            Col("source_id", required=True, pattern=r"^[^;\s]+$"),
            # origin: who published the figure, shown to readers
            Col("publisher", required=True),
            Col("title", required=True),
            Col("origin_url", pattern=r"^https?://"),
            Col("date_published", "date", pattern=PARTIAL_DATE),
            # retrieval: where the project read it (data package and codebook only)
            Col("retrieval_kind", required=True, allowed=RETRIEVAL_KINDS),
            Col("retrieval_location", required=True),
            Col("retrieval_sha256", pattern=r"^[0-9a-f]{64}$"),
            Col("date_accessed", "date", required=True, pattern=ISO_DATE),
            Col("licence_note"),
            Col("note"),
            # zh-Hant renderings shown by the zh-Hant reports
            Col("publisher_zh_hant", required=True),
            Col("title_zh_hant", required=True),
            Col("licence_note_zh_hant"),
        ),
        keys=(("source_id",),),
    ),
    Table(
        "regions",
        (
            Col("region_code", required=True, pattern=r"^[A-Z][A-Z0-9]{1,5}$"),
            Col("region_type", required=True, allowed=REGION_TYPES),
            Col("name_en", required=True),
            Col("name_zh_hant", required=True),
            Col("parent_code", ref="regions"),
            Col("is_gba", "boolean", required=True),
            *_provenance(optional=True),
            Col("note", optional=True),
        ),
        keys=(("region_code",),),
    ),
    Table(
        "rd_intensity",
        RD_COLUMNS,
        keys=(("region_code", "year", "series", "vintage"),),
        period_column="year",
    ),
    # One writer per dataset: the World Bank refresh writes this table, the build never does.
    Table(
        "rd_intensity_worldbank",
        RD_COLUMNS,
        keys=(("region_code", "year", "series", "vintage"),),
        period_column="year",
    ),
    Table(
        "hk_gerd_by_sector",
        (
            Col("region_code", allowed=("HK",), optional=True),
            Col("year", "integer", required=True, min=1990, max=2030),
            Col(
                "sector",
                required=True,
                allowed=("total", "business", "higher_education", "government"),
            ),
            Col("gerd_hkd_million", "number", min=0, max=10_000_000),
            Col("is_series_break", "boolean", required=True),
            *_provenance(),
            Col("note"),
        ),
        keys=(("year", "sector"),),
        period_column="year",
    ),
    Table(
        "crossborder_funding",
        (
            Col("event_id", required=True, pattern=r"^[A-Za-z]+\d+$"),
            Col("date", required=True, pattern=PARTIAL_DATE),
            Col("date_precision", required=True, allowed=("year", "month", "day")),
            Col("is_date_inferred", "boolean", required=True),
            Col(
                "event_type",
                required=True,
                allowed=("policy", "single_grant", "first_batch", "cumulative", "facility_opening"),
            ),
            Col("scope", required=True, allowed=FUNDING_SCOPES),
            Col("payer"),
            Col("recipient"),
            Col("amount", "number", min=0),
            Col("currency", allowed=("RMB", "HKD", "MOP")),
            Col("amount_unit", allowed=("million",)),
            Col("is_cumulative", "boolean", required=True),
            Col("is_lower_bound", "boolean", required=True),
            Col("title_en", required=True),
            Col("title_zh_hant", required=True),
            Col("description_en"),
            Col("description_zh_hant"),
            *_provenance(),
            Col("claim_id", pattern=r"^C\d+$"),
            Col("note"),
        ),
        keys=(("event_id",),),
        period_column="date",
    ),
    Table(
        "shared_facilities",
        (
            Col("facility_code", required=True, pattern=r"^[a-z0-9_]+$"),
            Col("facility_en", required=True),
            Col("facility_zh_hant", required=True),
            Col(
                "metric",
                required=True,
                allowed=("core_hours", "research_teams", "experiments", "user_share_pct", "papers"),
            ),
            Col("value", "number", required=True, min=0),
            Col("unit", required=True),
            Col("as_of", "date", required=True, pattern=PARTIAL_DATE),
            Col("is_lower_bound", "boolean", required=True),
            *_provenance(),
            Col("claim_id", pattern=r"^C\d+$"),
            Col("note"),
        ),
        keys=(("facility_code", "metric", "as_of"),),
        period_column="as_of",
    ),
    Table(
        "clusters",
        (
            Col("cluster_code", required=True, pattern=r"^[a-z][a-z0-9_]*$"),
            Col("name_en", required=True),
            Col("name_zh_hant", required=True),
            Col("economy_codes", required=True, pattern=r"^[A-Z]{2}(/[A-Z]{2})*$"),
            Col("is_gba", "boolean", required=True),
            *_provenance(),
            Col("note", optional=True),
        ),
        keys=(("cluster_code",),),
    ),
    Table(
        "gii_cluster_ranks",
        (
            Col("edition", "integer", required=True, min=2017, max=2030),
            Col("rank", "integer", required=True, min=1, max=100),
            Col("cluster_code", required=True, ref="clusters"),
            Col("name_as_ranked", required=True),
            Col("pct_applications_count", "number", min=0),
            Col("scientific_publications_count", "number", min=0),
            Col("pct_share_pct", "number", min=0, max=100),
            Col("publications_share_pct", "number", min=0, max=100),
            Col("vc_deals_share_pct", "number", min=0, max=100),
            Col("data_window"),
            Col("is_inferred", "boolean", required=True),
            *_provenance(),
            Col("note"),
        ),
        keys=(("edition", "cluster_code"), ("edition", "rank")),
        period_column="edition",
    ),
    Table(
        "gii_methodology",
        (
            Col("edition", "integer", required=True, min=2017, max=2030),
            Col("change_code", required=True, pattern=r"^[a-z][a-z0-9_]*$"),
            Col("description_en", required=True),
            Col("description_zh_hant", required=True),
            *_provenance(),
            Col("note", optional=True),
        ),
        keys=(("edition", "change_code"),),
        period_column="edition",
    ),
    Table(
        "gii_economy_ranks",
        (
            Col("edition", "integer", required=True, min=2017, max=2030),
            Col("economy_code", required=True, pattern=r"^[A-Z]{3}$", ref="regions"),
            Col("gii_rank", "integer", required=True, min=1, max=200),
            Col("gii_score", "number", min=0, max=100),
            *_provenance(),
            Col("note"),
        ),
        keys=(("edition", "economy_code"),),
        period_column="edition",
    ),
    Table(
        "gii_clusters_per_economy",
        (
            Col("edition", "integer", required=True, min=2017, max=2030),
            Col("economy_code", required=True, pattern=r"^[A-Z]{2}$"),
            Col("count", "integer", required=True, min=1, max=100),
            Col("counts_with", pattern=r"^[A-Z]{2}(/[A-Z]{2})*$"),
            *_provenance(),
            Col("note"),
        ),
        keys=(("edition", "economy_code"),),
        period_column="edition",
    ),
    Table(
        "article_claims",
        (
            Col("claim_id", required=True, pattern=r"^C\d+$"),
            Col("wording_zh_hant", required=True),
            Col("claim_en", required=True),
            Col("claimed_value", required=True),
            Col("status", required=True, allowed=("confirmed", "corrected", "unverified")),
            Col("verdict", required=True, allowed=CLAIM_VERDICTS),
            Col("finding_en", required=True),
            Col("finding_zh_hant", required=True),
            Col("figure_dates", pattern=FIGURE_DATES),
            Col("source_id", required=True, pattern=SOURCE_IDS),
            Col("confidence", required=True, allowed=CONFIDENCE, optional=True),
            Col("uncertainty", allowed=UNCERTAINTY, optional=True),
            Col("note"),
        ),
        keys=(("claim_id",),),
    ),
    Table(
        "targets",
        (
            Col("target_id", required=True),
            Col("region_code", required=True, ref="regions"),
            Col("indicator", required=True),
            Col("target_value", "number", required=True),
            Col("unit", required=True),
            Col("target_year", "integer", required=True, min=1990, max=2050),
            Col("is_lower_bound", "boolean", required=True),
            Col("plan_en", required=True),
            Col("plan_zh_hant", required=True),
            Col("announced", pattern=PARTIAL_DATE),
            *_provenance(),
            Col("note"),
        ),
        keys=(("target_id",),),
        period_column="target_year",
    ),
    Table(
        "exchange_rates",
        (
            Col("rate_id", required=True),
            Col("year", "integer", required=True, min=1990, max=2030),
            Col("date", required=True, pattern=PARTIAL_DATE),
            Col("base_currency", required=True, pattern=r"^[A-Z]{3}$"),
            Col("quote_currency", required=True, pattern=r"^[A-Z]{3}$"),
            Col("base_amount", "number", required=True, min=0),
            Col("quote_amount", "number", required=True, min=0),
            Col("rate_type", required=True),
            *_provenance(),
            Col("note"),
        ),
        keys=(("rate_id",),),
        period_column="date",
    ),
    Table(
        "fx_year_end",
        (
            Col("rate_id", required=True, pattern=r"^[a-z0-9_]+$"),
            Col("year", "integer", required=True, min=1990, max=2030),
            Col("date", "date", required=True, pattern=ISO_DATE),
            Col(
                "rate_type",
                required=True,
                allowed=("hkma_closing", "pboc_central_parity"),
            ),
            Col("base_currency", required=True, allowed=("RMB", "HKD")),
            Col("base_amount", "number", required=True, min=0),
            Col("quote_currency", required=True, allowed=("RMB", "HKD")),
            Col("quote_amount", "number", required=True, min=0),
            *_provenance(),
            Col("note"),
        ),
        keys=(("rate_id",), ("year", "rate_type")),
        period_column="year",
    ),
)

#: Order in which tables are loaded/validated: code lists first.
DATASET_ORDER = (
    "sources",
    "regions",
    "clusters",
    "rd_intensity",
    "rd_intensity_worldbank",
    "hk_gerd_by_sector",
    "crossborder_funding",
    "shared_facilities",
    "gii_cluster_ranks",
    "gii_methodology",
    "gii_economy_ranks",
    "gii_clusters_per_economy",
    "article_claims",
    "targets",
    "exchange_rates",
    "fx_year_end",
)


def describe_check(col: Col, kind: str) -> tuple[str, str]:
    """Return (rule name, description of the requirement) for a check on ``col``.

    Args:
        col: The column.
        kind: ``range``, ``allowed``, ``pattern``, ``required`` or ``ref``.

    Returns:
        The rule name used in error messages and a phrase describing what is expected.
    """
    if kind == "range":
        lo = "" if col.min is None else f"{col.min:g}"
        hi = "" if col.max is None else f"{col.max:g}"
        return "range", f"must lie in {lo}..{hi}"
    if kind == "allowed":
        return "allowed-values", "must be one of " + ", ".join(col.allowed or ())
    if kind == "pattern":
        return "pattern", f"must match {col.pattern}"
    if kind == "ref":
        return "foreign-key", f"must be a code listed in {col.ref}.csv"
    return "required", "may not be empty"


def _column_checks(col: Col, codes: Mapping[str, set[str]]) -> list[tuple[str, pa.Check]]:
    """Build the pandera checks of one column, each tagged with its kind."""
    import pandera.pandas as pa  # deferred: see build_schema

    checks: list[tuple[str, pa.Check]] = []
    if col.type in ("integer", "number") and (col.min is not None or col.max is not None):
        lo = -float("inf") if col.min is None else col.min
        hi = float("inf") if col.max is None else col.max
        checks.append(("range", pa.Check.in_range(lo, hi, ignore_na=True)))
    if col.type in ("string", "date"):
        if col.required:
            checks.append(("required", pa.Check.str_length(min_value=1)))
        if col.allowed is not None:
            allowed = set(col.allowed) | ({""} if not col.required else set())
            checks.append(("allowed", pa.Check.isin(sorted(allowed))))
        if col.pattern is not None:
            checks.append(
                ("pattern", pa.Check(lambda s, p=col.pattern: (s == "") | s.str.match(p)))
            )
        if col.ref is not None and col.ref in codes:
            known = set(codes[col.ref]) | {""}
            checks.append(("ref", pa.Check.isin(sorted(known))))
    return checks


def build_schema(
    name: str, columns: list[str] | None = None, codes: Mapping[str, set[str]] | None = None
) -> tuple[pa.DataFrameSchema, dict[tuple[str | None, int], tuple[Col | None, str]]]:
    """Build the pandera schema of table ``name``.

    Args:
        name: Table name (a key of :data:`TABLES`).
        columns: Columns present in the CSV (optional columns absent from it are skipped).
        codes: Known codes per code list (``regions``, ``clusters``) for foreign keys; a code
            list missing here is not checked.

    Returns:
        The schema, and a map from (column, check number) to (column spec, check kind) that
        turns pandera's failure cases back into rules (unique keys use column ``None``).
    """
    # Deferred to the first validation: importing pandera costs ~0.9 s, and a build's kernels
    # load validated tables from its cache (gba_report.data.validated_cache) without it.
    import pandera.pandas as pa

    table = TABLES[name]
    codes = codes or {}
    present = set(columns) if columns is not None else set(table.column_names)
    pa_columns: dict[str, pa.Column] = {}
    index: dict[tuple[str | None, int], tuple[Col | None, str]] = {}
    for col in table.columns:
        if col.name not in present:
            continue
        checks = _column_checks(col, codes)
        for number, (kind, _) in enumerate(checks):
            index[(col.name, number)] = (col, kind)
        pa_columns[col.name] = pa.Column(
            PANDAS_DTYPES[col.type],
            checks=[check for _, check in checks],
            nullable=not col.required and col.type in ("integer", "number"),
            required=True,
        )
    frame_checks = []
    for number, key in enumerate(table.keys):
        if not set(key) <= present:
            continue
        frame_checks.append(
            pa.Check(
                lambda df, key=key: ~df.duplicated(subset=list(key), keep="first"),
                name="unique_key:" + ",".join(key),
            )
        )
        index[(None, number)] = (None, "unique:" + ",".join(key))
    schema = pa.DataFrameSchema(pa_columns, checks=frame_checks, strict=False, coerce=False)
    return schema, index
