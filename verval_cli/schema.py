"""The canonical schema: field names every module agrees on.

Stage 1, loaded (``verval_cli.io.load_tables``): every column is text (``pl.Utf8``) exactly as typed,
except the provenance and cell-type columns below. Stage 2, normalised
(``verval_cli.normalize.normalize_frame``): the raw text moves to ``<field>_raw`` and typed, cleaned
columns are added next to it.
"""

from __future__ import annotations

from typing import Final

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
