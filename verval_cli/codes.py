"""Every discrepancy code verval reports, in one place: severity and messages in Indonesian and English."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters: errors block an upload, warnings need a look, info explains."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class CodeInfo:
    """A discrepancy code's severity and its messages."""

    severity: Severity
    message_id: str
    message_en: str


class Code(StrEnum):
    """Stable discrepancy codes of `verval reconcile`."""

    NIK_MISSING = "nik_missing"
    NIK_INVALID = "nik_invalid"
    NIK_EXCEL_DAMAGED = "nik_excel_damaged"
    NIK_DIFFERS = "nik_differs"
    NAME_DIFFERS = "name_differs"
    KK_DIFFERS = "kk_differs"
    BIRTHDATE_DIFFERS = "birthdate_differs"
    SEX_DIFFERS = "sex_differs"
    HEAD_CHANGED = "head_changed"
    DUPLICATE_IN_SUBMISSION = "duplicate_in_submission"
    IN_OTHER_VILLAGE = "in_other_village"
    ID_CONFLICT = "id_conflict"
    STATUS_UNKNOWN = "status_unknown"
    STATUS_MISSING = "status_missing"
    STATUS_COLUMN_MISSING = "status_column_missing"
    MISSING_FROM_SUBMISSION = "missing_from_submission"
    NEW_HOUSEHOLD = "new_household"
    NOT_ON_LIST = "not_on_list"
    REVIEW_NEEDED = "review_needed"


CODES: dict[Code, CodeInfo] = {
    Code.NIK_MISSING: CodeInfo(Severity.ERROR, "NIK kosong.", "NIK is empty."),
    Code.NIK_INVALID: CodeInfo(
        Severity.ERROR,
        "NIK tidak valid (harus 16 angka dengan kode wilayah dan tanggal lahir yang benar).",
        "NIK is not valid (16 digits with a real region code and birth date).",
    ),
    Code.NIK_EXCEL_DAMAGED: CodeInfo(
        Severity.ERROR,
        "NIK rusak oleh Excel (disimpan sebagai angka; digit terakhir hilang). Ketik ulang sebagai teks.",
        "NIK damaged by Excel (stored as a number; last digits lost). Retype it as text.",
    ),
    Code.NIK_DIFFERS: CodeInfo(
        Severity.WARNING,
        "NIK berbeda dengan daftar provinsi.",
        "NIK differs from the province list.",
    ),
    Code.NAME_DIFFERS: CodeInfo(
        Severity.WARNING,
        "Nama berbeda dengan daftar provinsi.",
        "Name differs from the province list.",
    ),
    Code.KK_DIFFERS: CodeInfo(
        Severity.WARNING,
        "Nomor KK berbeda dengan daftar provinsi.",
        "Family card number (No KK) differs from the province list.",
    ),
    Code.BIRTHDATE_DIFFERS: CodeInfo(
        Severity.WARNING,
        "Tanggal lahir berbeda dengan daftar provinsi.",
        "Birth date differs from the province list.",
    ),
    Code.SEX_DIFFERS: CodeInfo(
        Severity.WARNING,
        "Jenis kelamin berbeda dengan daftar provinsi.",
        "Sex differs from the province list.",
    ),
    Code.HEAD_CHANGED: CodeInfo(
        Severity.INFO,
        "Kepala keluarga berganti (Nomor KK sama, orang berbeda).",
        "Head of family changed (same No KK, another person).",
    ),
    Code.DUPLICATE_IN_SUBMISSION: CodeInfo(
        Severity.ERROR,
        "Keluarga ini dilaporkan lebih dari sekali dalam file yang sama (atau file lain dari desanya).",
        "This household is reported more than once in the same file (or another file of its own desa).",
    ),
    Code.IN_OTHER_VILLAGE: CodeInfo(
        Severity.WARNING,
        "Keluarga ini terdaftar di desa lain atau dilaporkan juga oleh desa lain.",
        "This household belongs to another village or is also reported by another village.",
    ),
    Code.ID_CONFLICT: CodeInfo(
        Severity.ERROR,
        "ID keluarga tidak cocok dengan NIK dan nama (baris mungkin bergeser karena pengurutan).",
        "Household ID contradicts NIK and name (rows may have shifted after sorting).",
    ),
    Code.STATUS_UNKNOWN: CodeInfo(
        Severity.ERROR,
        "Status hasil verval tidak dikenali.",
        "Verval status not recognised.",
    ),
    Code.STATUS_MISSING: CodeInfo(
        Severity.ERROR,
        "Status hasil verval kosong.",
        "Verval status is empty.",
    ),
    Code.STATUS_COLUMN_MISSING: CodeInfo(
        Severity.WARNING,
        "File ini tidak memiliki kolom status hasil verval; baris yang tidak cocok dihitung sebagai usulan baru "
        "(jika file menyebut USULAN) atau sebagai tidak ada dalam daftar.",
        "The file has no verval status column; its unlinked rows are counted as new proposals (when the file "
        "says USULAN) or as not on the list.",
    ),
    Code.MISSING_FROM_SUBMISSION: CodeInfo(
        Severity.WARNING,
        "Keluarga dalam daftar provinsi tidak dilaporkan oleh desa.",
        "Household on the province list not reported by the village.",
    ),
    Code.NEW_HOUSEHOLD: CodeInfo(
        Severity.INFO,
        "Usulan keluarga baru (tidak ada dalam daftar provinsi); lengkapi data pendukung.",
        "New household proposed (not on the province list); supporting data needed.",
    ),
    Code.NOT_ON_LIST: CodeInfo(
        Severity.WARNING,
        "Baris tidak ditemukan dalam daftar provinsi, tetapi tidak ditandai sebagai usulan baru.",
        "Row not found on the province list, yet not marked as a new proposal.",
    ),
    Code.REVIEW_NEEDED: CodeInfo(
        Severity.WARNING,
        "Kecocokan dengan daftar provinsi belum pasti; periksa kedua sisi.",
        "Link to the province list is uncertain; check both sides.",
    ),
}


def message(code: Code, lang: str = "id") -> str:
    """The message of a code in ``lang`` ('id' or 'en')."""
    info = CODES[code]
    return info.message_en if lang == "en" else info.message_id
