"""The finding catalogue: every code verval reports, in one place.

Each code has one entry: its severity and its message in Bahasa Indonesia and English. ``LISTS`` says
which command reports which codes, in the order the README's tables list them (``verval validate``
also orders a row's findings by it). Codes are stable: scripts read them from the Parquet files and
from ``--json`` output, so a code is never renamed or reused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum, unique


class Severity(StrEnum):
    """How much a finding matters: errors block an upload, warnings need a look, info explains."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Command(StrEnum):
    """A command that reports findings."""

    RECONCILE = "reconcile"
    VALIDATE = "validate"


@dataclass(frozen=True)
class CodeInfo:
    """What a command shows for a code: its severity and its messages."""

    severity: Severity
    message_id: str
    message_en: str


@dataclass(frozen=True)
class Entry:
    """One code of the catalogue; ``own_words``: a command that words the message its own way (id, en)."""

    severity: Severity
    message_id: str
    message_en: str
    own_words: Mapping[Command, tuple[str, str]] = field(default_factory=dict)

    def info(self, command: Command) -> CodeInfo:
        """The severity and messages ``command`` shows."""
        message_id, message_en = self.own_words.get(command, (self.message_id, self.message_en))
        return CodeInfo(self.severity, message_id, message_en)


@unique
class Code(StrEnum):
    """Every stable finding code of verval (both commands); ``LISTS`` says which command reports it."""

    # verval reconcile (nik_missing, status_unknown and status_missing: verval validate too)
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
    DECISION_STALE = "decision_stale"
    DECISION_CONFLICT = "decision_conflict"
    DECISION_TARGET_UNKNOWN = "decision_target_unknown"
    # verval validate only
    FILE_UNREADABLE = "file_unreadable"
    HEADER_NOT_FOUND = "header_not_found"
    SHEET_WITHOUT_HEADER = "sheet_without_header"
    COLUMN_MISSING = "column_missing"
    DESA_UNKNOWN = "desa_unknown"
    DESA_OUTSIDE_REGENCY = "desa_outside_regency"
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
    BIRTH_DATE_UNPARSEABLE = "birth_date_unparseable"
    BIRTH_DATE_IMPLAUSIBLE = "birth_date_implausible"
    SEX_UNKNOWN = "sex_unknown"
    RT_NOT_NUMERIC = "rt_not_numeric"
    RW_NOT_NUMERIC = "rw_not_numeric"
    HOUSEHOLD_ID_NOT_ON_LIST = "household_id_not_on_list"
    LISTED_HOUSEHOLD_ABSENT = "listed_household_absent"
    ROW_IN_OTHER_VILLAGE = "row_in_other_village"


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

# One entry per code. status_unknown: validate's message also names the statuses it accepts.
CATALOGUE: dict[Code, Entry] = {
    Code.NIK_MISSING: Entry(_E, "NIK kosong.", "NIK is empty."),
    Code.NIK_INVALID: Entry(
        _E,
        "NIK tidak valid (harus 16 angka dengan kode wilayah dan tanggal lahir yang benar).",
        "NIK is not valid (16 digits with a real region code and birth date).",
    ),
    Code.NIK_EXCEL_DAMAGED: Entry(
        _E,
        "NIK rusak oleh Excel (disimpan sebagai angka; digit terakhir hilang). Ketik ulang sebagai teks.",
        "NIK damaged by Excel (stored as a number; last digits lost). Retype it as text.",
    ),
    Code.NIK_DIFFERS: Entry(_W, "NIK berbeda dengan daftar provinsi.", "NIK differs from the province list."),
    Code.NAME_DIFFERS: Entry(
        _W, "Nama berbeda dengan daftar provinsi.", "Name differs from the province list."
    ),
    Code.KK_DIFFERS: Entry(
        _W,
        "Nomor KK berbeda dengan daftar provinsi.",
        "Family card number (No KK) differs from the province list.",
    ),
    Code.BIRTHDATE_DIFFERS: Entry(
        _W, "Tanggal lahir berbeda dengan daftar provinsi.", "Birth date differs from the province list."
    ),
    Code.SEX_DIFFERS: Entry(
        _W, "Jenis kelamin berbeda dengan daftar provinsi.", "Sex differs from the province list."
    ),
    Code.HEAD_CHANGED: Entry(
        _I,
        "Kepala keluarga berganti (Nomor KK sama, orang berbeda).",
        "Head of family changed (same No KK, another person).",
    ),
    Code.DUPLICATE_IN_SUBMISSION: Entry(
        _E,
        "Keluarga ini dilaporkan lebih dari sekali dalam file yang sama (atau file lain dari desanya).",
        "This household is reported more than once in the same file (or another file of its own desa).",
    ),
    Code.IN_OTHER_VILLAGE: Entry(
        _W,
        "Keluarga ini terdaftar di desa lain atau dilaporkan juga oleh desa lain.",
        "This household belongs to another village or is also reported by another village.",
    ),
    Code.ID_CONFLICT: Entry(
        _E,
        "ID keluarga tidak cocok dengan NIK dan nama (baris mungkin bergeser karena pengurutan).",
        "Household ID contradicts NIK and name (rows may have shifted after sorting).",
    ),
    Code.STATUS_UNKNOWN: Entry(
        _E,
        "Status hasil verval tidak dikenali.",
        "Verval status not recognised.",
        own_words={
            Command.VALIDATE: (
                "Status hasil verval tidak dikenali (gunakan mis. Ditemukan, Meninggal, Pindah, Tidak Ditemukan).",
                "Verval status not recognised (use e.g. Ditemukan, Meninggal, Pindah, Tidak Ditemukan).",
            )
        },
    ),
    Code.STATUS_MISSING: Entry(_E, "Status hasil verval kosong.", "Verval status is empty."),
    Code.STATUS_COLUMN_MISSING: Entry(
        _W,
        "File ini tidak memiliki kolom status hasil verval; baris yang tidak cocok dihitung sebagai usulan baru (jika file menyebut USULAN) atau sebagai tidak ada dalam daftar.",
        "The file has no verval status column; its unlinked rows are counted as new proposals (when the file says USULAN) or as not on the list.",
    ),
    Code.MISSING_FROM_SUBMISSION: Entry(
        _W,
        "Keluarga dalam daftar provinsi tidak dilaporkan oleh desa.",
        "Household on the province list not reported by the village.",
    ),
    Code.NEW_HOUSEHOLD: Entry(
        _I,
        "Usulan keluarga baru (tidak ada dalam daftar provinsi); lengkapi data pendukung.",
        "New household proposed (not on the province list); supporting data needed.",
    ),
    Code.NOT_ON_LIST: Entry(
        _W,
        "Baris tidak ditemukan dalam daftar provinsi, tetapi tidak ditandai sebagai usulan baru.",
        "Row not found on the province list, yet not marked as a new proposal.",
    ),
    Code.REVIEW_NEEDED: Entry(
        _W,
        "Kecocokan dengan daftar provinsi belum pasti; periksa kedua sisi.",
        "Link to the province list is uncertain; check both sides.",
    ),
    Code.DECISION_STALE: Entry(
        _W,
        "Keputusan petugas tidak diterapkan: baris ini berubah (NIK, nama atau pasangannya di daftar) "
        "sejak diputuskan; putuskan lagi.",
        "Officer's decision not applied: the row changed (NIK, name or the household it links to) "
        "since it was decided; decide again.",
    ),
    Code.DECISION_CONFLICT: Entry(
        _W,
        "Keputusan petugas tidak diterapkan: keluarga ini sudah dicocokkan dengan baris lain, atau dua "
        "keputusan untuk baris ini berbeda.",
        "Officer's decision not applied: the household is already linked to another row, or two "
        "decisions about this row disagree.",
    ),
    Code.DECISION_TARGET_UNKNOWN: Entry(
        _W,
        "Keputusan petugas tidak diterapkan: ID keluarga atau NIK yang dipilih tidak ada dalam daftar provinsi.",
        "Officer's decision not applied: the household ID or NIK chosen is not on the province list.",
    ),
    Code.FILE_UNREADABLE: Entry(
        _E,
        "File tidak dapat dibaca (rusak, terkunci kata sandi, kosong atau format tidak dikenal).",
        "File cannot be read (corrupt, password protected, empty or unknown format).",
    ),
    Code.HEADER_NOT_FOUND: Entry(
        _E,
        "Baris judul kolom tidak ditemukan (perlu kolom NAMA atau NIK dan satu kolom lain).",
        "No header row found (needs a name or NIK column and one more).",
    ),
    Code.SHEET_WITHOUT_HEADER: Entry(
        _W,
        "Sheet berisi data tetapi tanpa judul kolom yang dikenali; isinya tidak diperiksa.",
        "Sheet holds data but no recognisable header; its rows were not checked.",
    ),
    Code.COLUMN_MISSING: Entry(_E, "Kolom wajib tidak ada.", "A required column is missing."),
    Code.DESA_UNKNOWN: Entry(
        _E,
        "Desa/kelurahan file ini tidak dapat dikenali (beri kolom KODE DESA atau nama desa di nama file).",
        "The file's desa/kelurahan cannot be identified (add a desa code column or name the file after it).",
    ),
    Code.DESA_OUTSIDE_REGENCY: Entry(
        _E,
        "Desa file ini berada di luar kabupaten yang diperiksa.",
        "The file's desa lies outside the regency being checked.",
    ),
    Code.NIK_NOT_16_DIGITS: Entry(_E, "NIK tidak 16 angka.", "NIK does not have 16 digits."),
    Code.NIK_NON_DIGIT: Entry(
        _E, "NIK berisi huruf atau tanda selain angka.", "NIK contains letters or other non-digits."
    ),
    Code.NIK_EXCEL_NUMBER: Entry(
        _E,
        "NIK disimpan Excel sebagai angka sehingga digit terakhir hilang. Ketik ulang sebagai teks.",
        "NIK stored by Excel as a number, so its last digit was lost. Retype it as text.",
    ),
    Code.NIK_SCIENTIFIC: Entry(
        _E,
        "NIK tertulis sebagai notasi ilmiah (mis. 3,30403E+15); digitnya hilang. Ketik ulang sebagai teks.",
        "NIK written in scientific notation (e.g. 3.30403E+15); its digits are lost. Retype it as text.",
    ),
    Code.NIK_BAD_PROVINCE: Entry(
        _E,
        "Dua angka pertama NIK bukan kode provinsi yang ada.",
        "The first two digits of the NIK are not a province code.",
    ),
    Code.NIK_BAD_SERIAL: Entry(
        _E,
        "Empat angka terakhir NIK (nomor urut) tidak boleh 0000.",
        "The last four digits of the NIK (serial) cannot be 0000.",
    ),
    Code.NIK_IMPOSSIBLE_MONTH: Entry(
        _E,
        "Bulan lahir dalam NIK (angka ke-9 dan ke-10) tidak mungkin.",
        "The birth month in the NIK (digits 9-10) is impossible.",
    ),
    Code.NIK_IMPOSSIBLE_DATE: Entry(
        _E,
        "Tanggal lahir dalam NIK (angka ke-7 dan ke-8) tidak mungkin.",
        "The birth day in the NIK (digits 7-8) is impossible.",
    ),
    Code.NIK_SEX_MISMATCH: Entry(
        _W,
        "Jenis kelamin tidak sesuai dengan NIK (tanggal lahir + 40 untuk perempuan).",
        "Sex disagrees with the NIK (birth day + 40 for women).",
    ),
    Code.NIK_BIRTH_DATE_MISMATCH: Entry(
        _W, "Tanggal lahir tidak sesuai dengan NIK.", "Birth date disagrees with the NIK."
    ),
    Code.NIK_DUPLICATE_IN_FILE: Entry(
        _E, "NIK yang sama ada di baris lain dalam file ini.", "The same NIK is on another row of this file."
    ),
    Code.NIK_DUPLICATE_IN_BATCH: Entry(
        _W,
        "NIK yang sama juga dilaporkan dalam file desa lain.",
        "The same NIK is also reported in another village's file.",
    ),
    Code.NO_KK_INVALID: Entry(
        _E,
        "Nomor KK tidak valid (harus 16 angka dengan kode wilayah dan tanggal yang benar).",
        "No KK is not valid (16 digits with a real region code and date).",
    ),
    Code.NO_KK_EXCEL_DAMAGED: Entry(
        _E,
        "Nomor KK rusak oleh Excel (disimpan sebagai angka). Ketik ulang sebagai teks.",
        "No KK damaged by Excel (stored as a number). Retype it as text.",
    ),
    Code.NAME_MISSING: Entry(_E, "Nama kosong.", "Name is empty."),
    Code.NAME_HAS_DIGITS: Entry(_E, "Nama berisi angka.", "Name contains digits."),
    Code.BIRTH_DATE_UNPARSEABLE: Entry(
        _E,
        "Tanggal lahir tidak dapat dibaca (gunakan format HH-BB-TTTT).",
        "Birth date cannot be read (use DD-MM-YYYY).",
    ),
    Code.BIRTH_DATE_IMPLAUSIBLE: Entry(
        _E,
        "Tanggal lahir tidak masuk akal (sebelum 1900 atau di masa depan).",
        "Birth date implausible (before 1900 or in the future).",
    ),
    Code.SEX_UNKNOWN: Entry(
        _W, "Jenis kelamin tidak dikenali (gunakan L atau P).", "Sex not recognised (use L or P)."
    ),
    Code.RT_NOT_NUMERIC: Entry(_E, "RT bukan angka.", "RT is not a number."),
    Code.RW_NOT_NUMERIC: Entry(_E, "RW bukan angka.", "RW is not a number."),
    Code.HOUSEHOLD_ID_NOT_ON_LIST: Entry(
        _E, "ID keluarga tidak ada dalam daftar provinsi.", "Household ID is not on the province list."
    ),
    Code.LISTED_HOUSEHOLD_ABSENT: Entry(
        _W,
        "Keluarga dalam daftar provinsi untuk desa ini tidak ada dalam file.",
        "A household the province lists for this desa is absent from the file.",
    ),
    Code.ROW_IN_OTHER_VILLAGE: Entry(
        _W,
        "Keluarga pada baris ini terdaftar di desa lain menurut daftar provinsi.",
        "The household on this row belongs to another desa on the province list.",
    ),
}

# Which codes each command reports, in the order its README table lists them.
LISTS: dict[Command, tuple[Code, ...]] = {
    Command.RECONCILE: (
        Code.NIK_MISSING,
        Code.NIK_INVALID,
        Code.NIK_EXCEL_DAMAGED,
        Code.NIK_DIFFERS,
        Code.NAME_DIFFERS,
        Code.KK_DIFFERS,
        Code.BIRTHDATE_DIFFERS,
        Code.SEX_DIFFERS,
        Code.HEAD_CHANGED,
        Code.DUPLICATE_IN_SUBMISSION,
        Code.IN_OTHER_VILLAGE,
        Code.ID_CONFLICT,
        Code.STATUS_UNKNOWN,
        Code.STATUS_MISSING,
        Code.STATUS_COLUMN_MISSING,
        Code.MISSING_FROM_SUBMISSION,
        Code.NEW_HOUSEHOLD,
        Code.NOT_ON_LIST,
        Code.REVIEW_NEEDED,
        Code.DECISION_STALE,
        Code.DECISION_CONFLICT,
        Code.DECISION_TARGET_UNKNOWN,
    ),
    Command.VALIDATE: (
        Code.FILE_UNREADABLE,
        Code.HEADER_NOT_FOUND,
        Code.SHEET_WITHOUT_HEADER,
        Code.COLUMN_MISSING,
        Code.DESA_UNKNOWN,
        Code.DESA_OUTSIDE_REGENCY,
        Code.NIK_MISSING,
        Code.NIK_NOT_16_DIGITS,
        Code.NIK_NON_DIGIT,
        Code.NIK_EXCEL_NUMBER,
        Code.NIK_SCIENTIFIC,
        Code.NIK_BAD_PROVINCE,
        Code.NIK_BAD_SERIAL,
        Code.NIK_IMPOSSIBLE_MONTH,
        Code.NIK_IMPOSSIBLE_DATE,
        Code.NIK_SEX_MISMATCH,
        Code.NIK_BIRTH_DATE_MISMATCH,
        Code.NIK_DUPLICATE_IN_FILE,
        Code.NIK_DUPLICATE_IN_BATCH,
        Code.NO_KK_INVALID,
        Code.NO_KK_EXCEL_DAMAGED,
        Code.NAME_MISSING,
        Code.NAME_HAS_DIGITS,
        Code.STATUS_MISSING,
        Code.STATUS_UNKNOWN,
        Code.BIRTH_DATE_UNPARSEABLE,
        Code.BIRTH_DATE_IMPLAUSIBLE,
        Code.SEX_UNKNOWN,
        Code.RT_NOT_NUMERIC,
        Code.RW_NOT_NUMERIC,
        Code.HOUSEHOLD_ID_NOT_ON_LIST,
        Code.LISTED_HOUSEHOLD_ABSENT,
        Code.ROW_IN_OTHER_VILLAGE,
    ),
}


def commands(code: Code) -> tuple[Command, ...]:
    """The commands that report ``code``."""
    return tuple(command for command, listed in LISTS.items() if code in listed)


def catalogue_of(command: Command) -> dict[Code, CodeInfo]:
    """The codes ``command`` reports, in its README order, with what it shows for each."""
    return {code: CATALOGUE[code].info(command) for code in LISTS[command]}


CODES: dict[Code, CodeInfo] = catalogue_of(Command.RECONCILE)
VCODES: dict[Code, CodeInfo] = catalogue_of(Command.VALIDATE)
VCode = Code  # validate's codes are codes of the one catalogue; VCODES lists which

_HEADINGS: dict[Command, tuple[str, str]] = {
    Command.RECONCILE: ("pesan (Bahasa Indonesia)", "message (English)"),
    Command.VALIDATE: ("pesan (id)", "message (en)"),
}


def markdown_table(command: Command) -> str:
    """``command``'s code table as Markdown, as the README shows it (code, severity, both messages)."""
    heading_id, heading_en = _HEADINGS[command]
    lines = [f"| code | severity | {heading_id} | {heading_en} |", "|---|---|---|---|"]
    for code, info in catalogue_of(command).items():
        lines.append(f"| `{code.value}` | {info.severity.value} | {info.message_id} | {info.message_en} |")
    return "\n".join(lines)


def message(code: Code, lang: str = "id", command: Command = Command.RECONCILE) -> str:
    """The message ``command`` shows for a code in ``lang`` ('id' or 'en')."""
    info = CATALOGUE[code].info(command)
    return info.message_en if lang == "en" else info.message_id
