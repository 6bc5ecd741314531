"""The canonical schema: field names every module agrees on.

Stage 1, loaded (``verval_cli.io.load_tables``): every column is text (``pl.Utf8``) exactly as typed,
except the provenance and cell-type columns below. Stage 2, normalised
(``verval_cli.normalize.normalize_frame``): the raw text moves to ``<field>_raw`` and typed, cleaned
columns are added next to it. Stage 3, linked (``verval_cli.ingest`` → ``verval_cli.matching`` →
``verval_cli.reconcile`` / ``verval_cli.findings``): the frames that cross a stage boundary, their index
keys and their columns, declared once at the end of this module (the stage contract).
"""

from __future__ import annotations

from typing import Final

import polars as pl

# --- provenance (stage 1) ------------------------------------------------------------------------------
SOURCE_FILE: Final = "source_file"  # the path as the user gave it (str)
SOURCE_SHEET: Final = "source_sheet"  # sheet name; null for CSV / Parquet
SOURCE_ROW: Final = "source_row"  # Int64: the row number Excel / a text editor shows (1-based)
SOURCE_DESA_CODE: Final = "source_desa_code"  # 10-digit desa the file as a whole belongs to, or null
PROVENANCE: Final = (SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW)

# --- canonical fields (stage 1: raw text) ----------------------------------------------------------------
HOUSEHOLD_ID: Final = "household_id"  # id_keluarga_p3ke / ID DTKS
INDIVIDUAL_ID: Final = "individual_id"  # id_individu
NIK: Final = "nik"
NO_KK: Final = "no_kk"
NAME: Final = "name"  # kepala_keluarga / nama
SEX: Final = "sex"
BIRTH_PLACE: Final = "birth_place"
BIRTH_DATE: Final = "birth_date"
ADDRESS: Final = "address"
RT: Final = "rt"
RW: Final = "rw"
DUSUN: Final = "dusun"
DESA: Final = "desa"
KECAMATAN: Final = "kecamatan"
REGENCY: Final = "regency"
PROVINCE: Final = "province"
REGION_CODE: Final = "region_code"  # kode_kemdagri (10-digit desa code, dots optional)
DESIL: Final = "desil"
RELATION: Final = "relation"  # hubungan dengan kepala keluarga
STATUS: Final = "status"  # hasil verval
NOTES: Final = "notes"  # keterangan
NIK_CORRECTED: Final = "nik_corrected"
NAME_CORRECTED: Final = "name_corrected"
MOTHER_NAME: Final = "mother_name"
SEQ_NO: Final = "seq_no"  # the operator's NO column

CANONICAL_FIELDS: Final = (
    HOUSEHOLD_ID,
    INDIVIDUAL_ID,
    NIK,
    NO_KK,
    NAME,
    SEX,
    BIRTH_PLACE,
    BIRTH_DATE,
    ADDRESS,
    RT,
    RW,
    DUSUN,
    DESA,
    KECAMATAN,
    REGENCY,
    PROVINCE,
    REGION_CODE,
    DESIL,
    RELATION,
    STATUS,
    NOTES,
    NIK_CORRECTED,
    NAME_CORRECTED,
    MOTHER_NAME,
    SEQ_NO,
)

# Identifier fields whose cells may have been stored as numbers by Excel.
ID_FIELDS: Final = (NIK, NO_KK, NIK_CORRECTED, HOUSEHOLD_ID, INDIVIDUAL_ID)


def numeric_cell_flag(field: str) -> str:
    """Name of the Boolean column saying the cell was stored as a number (null: unknown)."""
    return f"{field}_numeric_cell"


# Columns the loader keeps but cannot map are named ``extra:<header as typed>``.
EXTRA_PREFIX: Final = "extra:"

# --- stage 2: normalised columns --------------------------------------------------------------------------
# For NIK (and likewise no_kk_*, nik_corrected_*):
#   nik_raw (Utf8, as typed), nik (Utf8: 16 clean digits when valid; the digits read otherwise, or null),
#   nik_status (Utf8, one of NIK_STATUSES), nik_region (Utf8, 6 digits), nik_birth_date (Date),
#   nik_sex (Utf8 'L'/'P'), nik_lo / nik_hi (Int64: for excel_damaged, the range the true NIK lies in).
NIK_VALID: Final = "valid"
NIK_INVALID_FORMAT: Final = "invalid_format"
NIK_IMPOSSIBLE_DATE: Final = "impossible_date"
NIK_EXCEL_DAMAGED: Final = "excel_damaged"
NIK_MISSING: Final = "missing"
NIK_STATUSES: Final = (NIK_VALID, NIK_INVALID_FORMAT, NIK_IMPOSSIBLE_DATE, NIK_EXCEL_DAMAGED, NIK_MISSING)
# Names: name_raw, name (normalised, titles removed), name_titles (Utf8, ';'-joined), name_key (phonetic).
# Dates: birth_date (Date), birth_date_raw. Sex: sex ('L'/'P'), sex_raw.
# Status: status (one of STATUSES), status_raw. RT/RW: rt, rw (Int32), rt_raw, rw_raw.

# --- canonical verval statuses ---------------------------------------------------------------------------
FOUND: Final = "found"
DECEASED: Final = "deceased"
MOVED: Final = "moved"
NOT_FOUND: Final = "not_found"
NO_LONGER_POOR: Final = "no_longer_poor"
DUPLICATE: Final = "duplicate"
NEW: Final = "new"
OTHER: Final = "other"
UNKNOWN: Final = "unknown"  # text present but not recognised
MISSING: Final = "missing"  # no status given
STATUSES: Final = (FOUND, DECEASED, MOVED, NOT_FOUND, NO_LONGER_POOR, DUPLICATE, NEW, OTHER, UNKNOWN, MISSING)

# --- stage 3: the stage contract -------------------------------------------------------------------------
# Each frame that crosses a stage boundary, as column -> dtype: the columns every such frame has (it may have
# more). A dtype given as a class (``pl.Enum``) stands for any of its kind (the categories are the policy's).
DTypes = dict[str, pl.DataType | type[pl.DataType]]

# Index keys: a submission row, a province household, a province person (one the list names for a household).
S_IDX: Final = "s_idx"
H_IDX: Final = "h_idx"
T_IDX: Final = "t_idx"
# Side prefixes of the linked frame (and of the matcher's pairs): the row's, the household's, the person's.
ROW_SIDE: Final = "s_"
HOUSEHOLD_SIDE: Final = "h_"
PERSON_SIDE: Final = "p_"
SIDES: Final = (ROW_SIDE, PERSON_SIDE, HOUSEHOLD_SIDE)

# Columns the preparation adds.
DESA_CODE: Final = "desa_code"  # the row's desa (own code, else its file's); a household's desa
DESA_INFERRED: Final = "desa_inferred"  # Boolean: desa_code was voted from the file's other rows
MEMBER_COUNT: Final = "member_count"
IS_HEAD: Final = "is_head"
NIK_INT: Final = "nik_int"

# Link columns (``matching.link``: one row per link).
# ROLE: PRIMARY / SECONDARY / MEMBER (the linked frame also makes a secondary family row MEMBER).
ROLE: Final = "role"
MATCH_STATUS: Final = "match_status"  # MATCHED / REVIEW
METHOD: Final = "method"
SCORE: Final = "score"
WEIGHT: Final = "weight"
RIVAL_WEIGHT: Final = "rival_weight"
EVIDENCE: Final = "evidence"
NAME_SIMILARITY: Final = "name_similarity"
HEAD_CHANGED: Final = "head_changed"
ID_CONFLICT: Final = "id_conflict"
PRIMARY: Final = "primary"
SECONDARY: Final = "secondary"
MEMBER: Final = "member"
MATCHED: Final = "matched"
REVIEW: Final = "review"
# The comparisons of the matching policy, in evidence order (``matching.rules.COMPARISONS``): each gives
# a ``<name>_level`` (Enum) and a ``<name>_weight`` (Float64) column of the links.
COMPARED: Final = ("nik", "name", "birth_date", "sex", "kk", "rt_rw", "desa", "household_id")


def level_column(comparison: str) -> str:
    """The links' column holding a comparison's level (``nik`` -> ``nik_level``)."""
    return f"{comparison}_level"


def weight_column(comparison: str) -> str:
    """The links' column holding a comparison's weight (``nik`` -> ``nik_weight``)."""
    return f"{comparison}_weight"


# What the matcher compares of a person, and of a household (``prepare`` adds them as typed nulls if absent).
PERSON_COLUMNS: Final[DTypes] = {
    NIK: pl.Utf8(),
    "nik_status": pl.Utf8(),
    "nik_lo": pl.Int64(),
    "nik_hi": pl.Int64(),
    "nik_birth_date": pl.Date(),
    "nik_sex": pl.Utf8(),
    NAME: pl.Utf8(),
    "name_raw": pl.Utf8(),
    "name_key": pl.Utf8(),
    BIRTH_DATE: pl.Date(),
    SEX: pl.Utf8(),
}
HOUSEHOLD_COLUMNS: Final[DTypes] = {
    HOUSEHOLD_ID: pl.Utf8(),
    NO_KK: pl.Utf8(),
    "no_kk_status": pl.Utf8(),
    "no_kk_lo": pl.Int64(),
    "no_kk_hi": pl.Int64(),
    RT: pl.Int32(),
    RW: pl.Int32(),
    REGION_CODE: pl.Utf8(),
    "region_code_resolved": pl.Utf8(),
    SOURCE_DESA_CODE: pl.Utf8(),
    RELATION: pl.Utf8(),
    NIK_CORRECTED: pl.Utf8(),
    "nik_corrected_status": pl.Utf8(),
    STATUS: pl.Utf8(),
}
_PROVENANCE: Final[DTypes] = {SOURCE_FILE: pl.Utf8(), SOURCE_SHEET: pl.Utf8(), SOURCE_ROW: pl.Int64()}

# ``ingest.link_rows`` (``matching.prepare_submissions``): one row per submission data row, s_idx = batch order.
SUBMISSION_ROWS: Final[DTypes] = {
    **_PROVENANCE,
    **PERSON_COLUMNS,
    **HOUSEHOLD_COLUMNS,
    DESA_CODE: pl.Utf8(),
    S_IDX: pl.Int64(),
}
# ``ingest.link_batch`` (``matching.infer_file_desa``): the same rows, a file's unnamed desa filled in.
LINKED_ROWS: Final[DTypes] = {**SUBMISSION_ROWS, DESA_INFERRED: pl.Boolean()}
# Stage-2 columns of a row that the findings read when the input had them (else they read as null).
ROW_COLUMNS_IF_TYPED: Final[DTypes] = {"nik_raw": pl.Utf8(), "status_raw": pl.Utf8()}
# ``ingest.ingest_province`` (``matching.prepare_province``): one row per household, h_idx = list order.
HOUSEHOLDS: Final[DTypes] = {
    **_PROVENANCE,
    **PERSON_COLUMNS,
    **HOUSEHOLD_COLUMNS,
    DESA_CODE: pl.Utf8(),
    H_IDX: pl.Int64(),
    MEMBER_COUNT: pl.UInt32(),
}
# The people a row may name for a household (the head only for a household-level list), t_idx in h_idx order.
PERSONS: Final[DTypes] = {
    H_IDX: pl.Int64(),
    IS_HEAD: pl.Boolean(),
    **PERSON_COLUMNS,
    NIK_INT: pl.Int64(),
    T_IDX: pl.Int64(),
}
# ``matching.link``: one row per link of a submission row (s_idx) to a household (h_idx), through a person
# (t_idx; null for a member linked through its head's row).
LINKS: Final[DTypes] = {
    S_IDX: pl.Int64(),
    H_IDX: pl.Int64(),
    T_IDX: pl.Int64(),
    NAME_SIMILARITY: pl.Float64(),
    **{level_column(c): pl.Enum for c in COMPARED},
    **{weight_column(c): pl.Float64() for c in COMPARED},
    HEAD_CHANGED: pl.Boolean(),
    ID_CONFLICT: pl.Boolean(),
    WEIGHT: pl.Float64(),
    SCORE: pl.Float64(),
    METHOD: pl.Utf8(),
    ROLE: pl.Utf8(),
    RIVAL_WEIGHT: pl.Float64(),
    MATCH_STATUS: pl.Utf8(),
    EVIDENCE: pl.Utf8(),
}
# Columns the linked frame (``reconcile.linked_frame``) adds of its own: where the household's primary
# link is, and whether the row's own household id is on the list.
PRIMARY_FILE: Final = "primary_file"
PRIMARY_ROW: Final = "primary_row"
ON_LIST: Final = f"{ROW_SIDE}{HOUSEHOLD_ID}_on_list"
LINKED_OWN: Final[DTypes] = {PRIMARY_FILE: pl.Utf8(), PRIMARY_ROW: pl.Int64(), ON_LIST: pl.Boolean()}


def linked_schema(columns: frozenset[str] | set[str]) -> DTypes:
    """The declared dtype of each of ``columns`` of the linked frame (one row per submission row).

    The link's own columns (keys included) are the links'; ``s_<c>`` is the rows' column ``c``, ``h_<c>``
    the households', ``p_<c>`` the persons'. KeyError names a column no stage declares.
    """
    sides = (
        (ROW_SIDE, {**LINKED_ROWS, **ROW_COLUMNS_IF_TYPED}),
        (HOUSEHOLD_SIDE, HOUSEHOLDS),
        (PERSON_SIDE, PERSONS),
    )
    out: DTypes = {}
    for name in sorted(columns):
        if name in LINKS or name in LINKED_OWN:
            out[name] = {**LINKS, **LINKED_OWN}[name]
            continue
        side = next(((p, d) for p, d in sides if name.startswith(p) and name[len(p) :] in d), None)
        if side is None:
            raise KeyError(f"the linked frame's column {name!r} is declared by no stage")
        out[name] = side[1][name[len(side[0]) :]]
    return out


def breaches(frame_schema: pl.Schema, declared: DTypes) -> list[str]:
    """How a frame's schema falls short of its declared contract: each column missing or of another dtype."""
    out: list[str] = []
    for name, dtype in declared.items():
        if name not in frame_schema:
            out.append(f"{name}: missing")
        elif frame_schema[name] != dtype:
            out.append(f"{name}: {frame_schema[name]}, declared {dtype}")
    return out
