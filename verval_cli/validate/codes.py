"""Every finding code of ``verval validate``: severity and messages in Bahasa Indonesia and English.

Codes are stable: scripts read them from ``--json`` output, so a code is never renamed or reused.
"""

from __future__ import annotations

from enum import StrEnum

from verval_cli.codes import CodeInfo, Severity


class VCode(StrEnum):
    """Stable finding codes of `verval validate`, in the order the README lists them."""

    FILE_UNREADABLE = "file_unreadable"
    HEADER_NOT_FOUND = "header_not_found"
    SHEET_WITHOUT_HEADER = "sheet_without_header"
    COLUMN_MISSING = "column_missing"
    DESA_UNKNOWN = "desa_unknown"
    DESA_OUTSIDE_REGENCY = "desa_outside_regency"
    NIK_MISSING = "nik_missing"
    NIK_NOT_16_DIGITS = "nik_not_16_digits"
    NIK_NON_DIGIT = "nik_non_digit"
    NIK_EXCEL_NUMBER = "nik_excel_number"
    NIK_SCIENTIFIC = "nik_scientific"
    NIK_BAD_PROVINCE = "nik_bad_province"
    NIK_BAD_SERIAL = "nik_bad_serial"
    NIK_IMPOSSIBLE_MONTH = "nik_impossible_month"
    NIK_IMPOSSIBLE_DATE = "nik_impossible_date"
    NIK_SEX_MISMATCH = "nik_sex_mismatch"
    NIK_BIRTH_DATE_MISMATCH = "nik_birth_date_mismatch"
    NIK_DUPLICATE_IN_FILE = "nik_duplicate_in_file"
    NIK_DUPLICATE_IN_BATCH = "nik_duplicate_in_batch"
    NO_KK_INVALID = "no_kk_invalid"
    NO_KK_EXCEL_DAMAGED = "no_kk_excel_damaged"
    NAME_MISSING = "name_missing"
    NAME_HAS_DIGITS = "name_has_digits"
    STATUS_MISSING = "status_missing"
    STATUS_UNKNOWN = "status_unknown"
    BIRTH_DATE_UNPARSEABLE = "birth_date_unparseable"
    BIRTH_DATE_IMPLAUSIBLE = "birth_date_implausible"
    SEX_UNKNOWN = "sex_unknown"
    RT_NOT_NUMERIC = "rt_not_numeric"
    RW_NOT_NUMERIC = "rw_not_numeric"
    HOUSEHOLD_ID_NOT_ON_LIST = "household_id_not_on_list"
    LISTED_HOUSEHOLD_ABSENT = "listed_household_absent"
    ROW_IN_OTHER_VILLAGE = "row_in_other_village"


_E, _W = Severity.ERROR, Severity.WARNING

VCODES: dict[VCode, CodeInfo] = {
    VCode.FILE_UNREADABLE: CodeInfo(
        _E,
        "File tidak dapat dibaca (rusak, terkunci kata sandi, kosong atau format tidak dikenal).",
        "File cannot be read (corrupt, password protected, empty or unknown format).",
    ),
    VCode.HEADER_NOT_FOUND: CodeInfo(
        _E,
        "Baris judul kolom tidak ditemukan (perlu kolom NAMA atau NIK dan satu kolom lain).",
        "No header row found (needs a name or NIK column and one more).",
    ),
    VCode.SHEET_WITHOUT_HEADER: CodeInfo(
        _W,
        "Sheet berisi data tetapi tanpa judul kolom yang dikenali; isinya tidak diperiksa.",
        "Sheet holds data but no recognisable header; its rows were not checked.",
    ),
    VCode.COLUMN_MISSING: CodeInfo(_E, "Kolom wajib tidak ada.", "A required column is missing."),
    VCode.DESA_UNKNOWN: CodeInfo(
        _E,
        "Desa/kelurahan file ini tidak dapat dikenali (beri kolom KODE DESA atau nama desa di nama file).",
        "The file's desa/kelurahan cannot be identified (add a desa code column or name the file after it).",
    ),
    VCode.DESA_OUTSIDE_REGENCY: CodeInfo(
        _E,
        "Desa file ini berada di luar kabupaten yang diperiksa.",
        "The file's desa lies outside the regency being checked.",
    ),
    VCode.NIK_MISSING: CodeInfo(_E, "NIK kosong.", "NIK is empty."),
    VCode.NIK_NOT_16_DIGITS: CodeInfo(_E, "NIK tidak 16 angka.", "NIK does not have 16 digits."),
    VCode.NIK_NON_DIGIT: CodeInfo(
        _E, "NIK berisi huruf atau tanda selain angka.", "NIK contains letters or other non-digits."
    ),
    VCode.NIK_EXCEL_NUMBER: CodeInfo(
        _E,
        "NIK disimpan Excel sebagai angka sehingga digit terakhir hilang. Ketik ulang sebagai teks.",
        "NIK stored by Excel as a number, so its last digit was lost. Retype it as text.",
    ),
    VCode.NIK_SCIENTIFIC: CodeInfo(
        _E,
        "NIK tertulis sebagai notasi ilmiah (mis. 3,30403E+15); digitnya hilang. Ketik ulang sebagai teks.",
        "NIK written in scientific notation (e.g. 3.30403E+15); its digits are lost. Retype it as text.",
    ),
    VCode.NIK_BAD_PROVINCE: CodeInfo(
        _E,
        "Dua angka pertama NIK bukan kode provinsi yang ada.",
        "The first two digits of the NIK are not a province code.",
    ),
    VCode.NIK_BAD_SERIAL: CodeInfo(
        _E,
        "Empat angka terakhir NIK (nomor urut) tidak boleh 0000.",
        "The last four digits of the NIK (serial) cannot be 0000.",
    ),
    VCode.NIK_IMPOSSIBLE_MONTH: CodeInfo(
        _E,
        "Bulan lahir dalam NIK (angka ke-9 dan ke-10) tidak mungkin.",
        "The birth month in the NIK (digits 9-10) is impossible.",
    ),
    VCode.NIK_IMPOSSIBLE_DATE: CodeInfo(
        _E,
        "Tanggal lahir dalam NIK (angka ke-7 dan ke-8) tidak mungkin.",
        "The birth day in the NIK (digits 7-8) is impossible.",
    ),
    VCode.NIK_SEX_MISMATCH: CodeInfo(
        _W,
        "Jenis kelamin tidak sesuai dengan NIK (tanggal lahir + 40 untuk perempuan).",
        "Sex disagrees with the NIK (birth day + 40 for women).",
    ),
    VCode.NIK_BIRTH_DATE_MISMATCH: CodeInfo(
        _W, "Tanggal lahir tidak sesuai dengan NIK.", "Birth date disagrees with the NIK."
    ),
    VCode.NIK_DUPLICATE_IN_FILE: CodeInfo(
        _E, "NIK yang sama ada di baris lain dalam file ini.", "The same NIK is on another row of this file."
    ),
    VCode.NIK_DUPLICATE_IN_BATCH: CodeInfo(
        _W,
        "NIK yang sama juga dilaporkan dalam file desa lain.",
        "The same NIK is also reported in another village's file.",
    ),
    VCode.NO_KK_INVALID: CodeInfo(
        _E,
        "Nomor KK tidak valid (harus 16 angka dengan kode wilayah dan tanggal yang benar).",
        "No KK is not valid (16 digits with a real region code and date).",
    ),
    VCode.NO_KK_EXCEL_DAMAGED: CodeInfo(
        _E,
        "Nomor KK rusak oleh Excel (disimpan sebagai angka). Ketik ulang sebagai teks.",
        "No KK damaged by Excel (stored as a number). Retype it as text.",
    ),
    VCode.NAME_MISSING: CodeInfo(_E, "Nama kosong.", "Name is empty."),
    VCode.NAME_HAS_DIGITS: CodeInfo(_E, "Nama berisi angka.", "Name contains digits."),
    VCode.STATUS_MISSING: CodeInfo(_E, "Status hasil verval kosong.", "Verval status is empty."),
    VCode.STATUS_UNKNOWN: CodeInfo(
        _E,
        "Status hasil verval tidak dikenali (gunakan mis. Ditemukan, Meninggal, Pindah, Tidak Ditemukan).",
        "Verval status not recognised (use e.g. Ditemukan, Meninggal, Pindah, Tidak Ditemukan).",
    ),
    VCode.BIRTH_DATE_UNPARSEABLE: CodeInfo(
        _E,
        "Tanggal lahir tidak dapat dibaca (gunakan format HH-BB-TTTT).",
        "Birth date cannot be read (use DD-MM-YYYY).",
    ),
    VCode.BIRTH_DATE_IMPLAUSIBLE: CodeInfo(
        _E,
        "Tanggal lahir tidak masuk akal (sebelum 1900 atau di masa depan).",
        "Birth date implausible (before 1900 or in the future).",
    ),
    VCode.SEX_UNKNOWN: CodeInfo(
        _W, "Jenis kelamin tidak dikenali (gunakan L atau P).", "Sex not recognised (use L or P)."
    ),
    VCode.RT_NOT_NUMERIC: CodeInfo(_E, "RT bukan angka.", "RT is not a number."),
    VCode.RW_NOT_NUMERIC: CodeInfo(_E, "RW bukan angka.", "RW is not a number."),
    VCode.HOUSEHOLD_ID_NOT_ON_LIST: CodeInfo(
        _E,
        "ID keluarga tidak ada dalam daftar provinsi.",
        "Household ID is not on the province list.",
    ),
    VCode.LISTED_HOUSEHOLD_ABSENT: CodeInfo(
        _W,
        "Keluarga dalam daftar provinsi untuk desa ini tidak ada dalam file.",
        "A household the province lists for this desa is absent from the file.",
    ),
    VCode.ROW_IN_OTHER_VILLAGE: CodeInfo(
        _W,
        "Keluarga pada baris ini terdaftar di desa lain menurut daftar provinsi.",
        "The household on this row belongs to another desa on the province list.",
    ),
}


def codes_markdown() -> str:
    """The code table as Markdown, for the README (code, severity, message in both languages)."""
    lines = ["| code | severity | pesan (id) | message (en) |", "|---|---|---|---|"]
    for code, info in VCODES.items():
        lines.append(f"| `{code.value}` | {info.severity.value} | {info.message_id} | {info.message_en} |")
    return "\n".join(lines)
