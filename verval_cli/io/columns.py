"""Header spellings -> canonical fields: the one synonym table, and splitting of combined columns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

import polars as pl

from verval_cli import schema
from verval_cli.config import KEEP_AS_EXTRA
from verval_cli.io import header_words as words_module
from verval_cli.io.header_words import Reading

# Pseudo-fields for one column holding two fields; they are split after loading.
RT_RW: Final = "rt+rw"
BIRTH_PLACE_DATE: Final = "birth_place+birth_date"
COMBINED: Final[dict[str, tuple[str, str]]] = {
    RT_RW: (schema.RT, schema.RW),
    BIRTH_PLACE_DATE: (schema.BIRTH_PLACE, schema.BIRTH_DATE),
}


_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")

# Canonical field -> header spellings seen in P3KE (household and individual), DTKS/DTSEN exports and
# operators' own sheets. Matching ignores case, spaces, underscores and punctuation (see header_key).
SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    schema.HOUSEHOLD_ID: (
        "id_keluarga_p3ke", "ID Keluarga P3KE", "id_keluarga", "ID KELUARGA", "ID P3KE", "ID KK P3KE",
        "ID DTKS", "IDDTKS", "ID DTSEN", "ID BDT", "IDBDT", "ID RUTA", "ID RUMAH TANGGA", "ID KELUARGA DTKS",
    ),
    schema.INDIVIDUAL_ID: (
        "id_individu", "ID INDIVIDU", "id_individu_p3ke", "ID INDIVIDU P3KE", "ID ART", "IDARTBDT",
        "ID ART DTKS", "ID ANGGOTA",
    ),
    schema.NIK: (
        "nik", "NO NIK", "NOMOR NIK", "NIK KTP", "NO KTP", "NOMOR INDUK KEPENDUDUKAN", "NIK KEPALA KELUARGA",
        "NIK KRT", "NIK KEPALA RUMAH TANGGA", "NIK ART", "NIK ANGGOTA", "NIK KK", "NIK KEPALA",
    ),
    schema.NO_KK: (
        "no_kk", "nomor_kk", "NO. KK", "NO KK", "NOMOR KK", "NO KARTU KELUARGA", "NOMOR KARTU KELUARGA",
        "NKK", "NO KK P3KE", "KK",
    ),
    schema.NAME: (
        "nama", "kepala_keluarga", "NAMA KK", "NAMA KEPALA KELUARGA", "NAMA KRT", "NAMA KEPALA RUMAH TANGGA",
        "NAMA LENGKAP", "NAMA ART", "NAMA ANGGOTA", "NAMA PENERIMA", "KEPALA KELUARGA", "NAMA KPM",
        "nama_kepala_keluarga",
    ),
    schema.SEX: ("jenis_kelamin", "JENIS KELAMIN", "JK", "J/K", "L/P", "KELAMIN", "JNS KELAMIN", "SEX", "GENDER"),
    schema.BIRTH_PLACE: ("tempat_lahir", "TEMPAT LAHIR", "TMP LAHIR", "TMPT LAHIR", "TPT LAHIR"),
    schema.BIRTH_DATE: (
        "tanggal_lahir", "TANGGAL LAHIR", "TGL LAHIR", "TGL. LAHIR", "TGL_LAHIR", "TANGGAL_LAHIR", "TTGL LAHIR",
    ),
    schema.ADDRESS: ("alamat", "ALAMAT LENGKAP", "ALAMAT RUMAH", "ALAMAT DOMISILI", "ALAMAT KTP"),
    schema.RT: ("rt", "NO RT"),
    schema.RW: ("rw", "NO RW"),
    schema.DUSUN: ("dusun", "DUKUH", "DUSUN/DUKUH", "NAMA DUSUN", "DUSUN/LINGKUNGAN", "DUSUN/RW"),
    schema.DESA: (
        "desa_kelurahan", "kelurahan_desa", "DESA", "KELURAHAN", "DESA/KELURAHAN", "DESA/KEL", "KEL/DESA",
        "NAMA DESA", "NAMA KELURAHAN", "DESA KELURAHAN",
    ),
    schema.KECAMATAN: ("kecamatan", "KEC", "NAMA KECAMATAN"),
    schema.REGENCY: ("kabupaten_kota", "KABUPATEN", "KABUPATEN/KOTA", "KAB/KOTA", "NAMA KABUPATEN", "KOTA", "KAB"),
    schema.PROVINCE: ("provinsi", "PROPINSI", "PROV", "NAMA PROVINSI"),
    schema.REGION_CODE: (
        "kode_kemdagri", "KODE KEMENDAGRI", "KODE KEMDAGRI", "KODE DESA", "KODE WILAYAH", "kode_wilayah",
        "KODE DESA KEMENDAGRI", "KD DESA",
    ),
    schema.DESIL: ("desil_kesejahteraan", "DESIL", "DESIL KESEJAHTERAAN", "STATUS KESEJAHTERAAN"),
    schema.RELATION: (
        "hubungan_dengan_kepala_keluarga", "HUBUNGAN DENGAN KEPALA KELUARGA", "HUBUNGAN KELUARGA", "HUB KELUARGA",
        "HUBUNGAN", "SHDK", "STATUS HUBUNGAN DALAM KELUARGA", "HUB DGN KK", "HUBUNGAN DGN KK", "HUB DENGAN KK",
        "HUBUNGAN DENGAN KRT", "HUBUNGAN DENGAN KK", "HUB KRT",
    ),
    schema.STATUS: (
        "HASIL VERVAL", "STATUS", "STATUS VERVAL", "HASIL VERIFIKASI", "HASIL VERIFIKASI DAN VALIDASI",
        "HASIL VERIVALI", "HASIL VERIFIKASI VALIDASI", "STATUS KEBERADAAN", "KEBERADAAN", "KONDISI",
        "HASIL MUSDES", "HASIL", "VERVAL", "HASIL CEK", "KETERANGAN HASIL VERVAL", "KET HASIL VERVAL",
        "HASIL VERVAL DESA", "STATUS HASIL VERVAL",
        "VERIFIKASI LAPANGAN", "HASIL VERIFIKASI LAPANGAN", "STATUS VERIFIKASI", "STATUS KEBERADAAN KELUARGA",
    ),
    schema.NOTES: ("keterangan", "KET", "KET.", "CATATAN", "ALASAN", "KETERANGAN LAINNYA", "KETERANGAN VERVAL"),
    schema.NIK_CORRECTED: (
        "nik_perbaikan", "NIK PERBAIKAN", "PERBAIKAN NIK", "NIK BARU", "NIK SEHARUSNYA", "NIK YANG BENAR",
        "NIK (PERBAIKAN)", "NIK DIPERBAIKI",
    ),
    schema.NAME_CORRECTED: (
        "nama_perbaikan", "NAMA PERBAIKAN", "PERBAIKAN NAMA", "NAMA BARU", "NAMA SEHARUSNYA", "NAMA DIPERBAIKI",
    ),
    schema.MOTHER_NAME: ("nama_ibu_kandung", "NAMA IBU KANDUNG", "IBU KANDUNG", "NAMA IBU"),
    schema.SEQ_NO: ("NO", "NO.", "NO URUT", "NOMOR", "NOMOR URUT", "URUT", "NO URT"),
    RT_RW: ("RT/RW", "RT RW", "RT-RW", "RT / RW", "RT.RW"),
    BIRTH_PLACE_DATE: (
        "TEMPAT/TGL LAHIR", "TEMPAT/TANGGAL LAHIR", "TEMPAT, TANGGAL LAHIR", "TEMPAT TGL LAHIR", "TTL",
        "TEMPAT DAN TANGGAL LAHIR", "TMP/TGL LAHIR", "TPT/TGL LAHIR",
    ),
}  # fmt: skip

_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """Matching key of a header: upper case, letters and digits only ("No. KK" -> "NOKK")."""
    return _NOT_ALNUM.sub("", text.upper())


@lru_cache(maxsize=65536)
def clean_label(text: str) -> str:
    """A header as typed, with line breaks and runs of spaces collapsed to one space."""
    return _SPACES.sub(" ", text).strip()


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, spellings in SYNONYMS.items():
        for spelling in spellings:
            key = header_key(spelling)
            if index.setdefault(key, field) != field:
                raise ValueError(f"synonym {spelling!r} maps to two fields")
    return index


_INDEX: Final = _build_index()


def target_fields(field: str) -> tuple[str, ...]:
    """The canonical fields a mapped column fills (two for a combined column)."""
    return COMBINED.get(field, (field,))


def _vocabulary() -> frozenset[str]:
    """Every word the header reader knows, for cutting glued words such as NMKEC or NOKK."""
    words = {w for spellings in SYNONYMS.values() for s in spellings for w in words_module.raw_words(s)}
    words |= set(words_module.known_words())
    return frozenset(w for w in words if len(w) >= 2)


_VOCABULARY: Final = _vocabulary()


def _build_word_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, spellings in SYNONYMS.items():
        for spelling in spellings:
            key = words_module.words_key(spelling, _VOCABULARY)
            if key and index.setdefault(key, field) != field:
                raise ValueError(f"synonym {spelling!r} maps to two fields once expanded")
    return index


_WORD_INDEX: Final = _build_word_index()


def _without_hints(label: str) -> str | None:
    """ "TANGGAL LAHIR (DD-MM-YYYY)", "NIK (16 DIGIT)": the hint in brackets is not the name."""
    bare = _PARENTHESES.sub(" ", label)
    return bare if bare != label and bare.strip() else None


def _override(label: str, overrides: Mapping[str, str]) -> str | None:
    if label in overrides:
        return overrides[label]
    key = header_key(label)
    for typed, field in overrides.items():
        if header_key(typed) == key:
            return field
    return None


def read_header(label: str, overrides: Mapping[str, str] | None = None) -> Reading:
    """What a header says: field, rule, whose value it is (config, then exact synonym, then its words)."""
    if overrides:
        wanted = _override(label, overrides)
        if wanted is not None:
            field = None if wanted == KEEP_AS_EXTRA else wanted
            return Reading(field, words_module.CONFIG, _role(label), strength=3)
    return _plain_reading(label)


def map_header(label: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The canonical field (or combined pseudo-field) of a header, or None.

    >>> map_header("No. KK")
    'no_kk'
    >>> map_header("NAMA_LGKP")
    'name'
    """
    return read_header(label, overrides).field


@lru_cache(maxsize=65536)
def _role(label: str) -> str | None:
    return words_module.role_of(label, _VOCABULARY)


def header_role(label: str) -> str | None:
    """Whose value a header (or a group label over sub-columns) speaks of: head, person, other or None."""
    return _role(label)


@lru_cache(maxsize=65536)
def _plain_reading(label: str) -> Reading:
    found = _INDEX.get(header_key(label))
    bare = _without_hints(label)
    if found is None and bare is not None:
        found = _INDEX.get(header_key(bare))
    if found is not None:
        return Reading(found, words_module.EXACT, _role(label), strength=2)
    reading = words_module.read_words(label, _WORD_INDEX, _VOCABULARY)
    if reading.field is None and reading.reason is None and bare is not None:
        reading = words_module.read_words(bare, _WORD_INDEX, _VOCABULARY)
    return reading


@lru_cache(maxsize=65536)
def inert_key(label: str) -> str | None:
    """The key of a cell that names nothing, alone or joined to another such cell, else None (may name one).

    >>> inert_key("SUPRIYADI"), inert_key("NAMA")
    ('SUPRIYADI', None)
    """
    key = words_module.plain_key(label, _VOCABULARY)
    return key if key is not None and key not in _INDEX and key not in _WORD_INDEX else None


def names_nothing(key: str) -> bool:
    """Whether a key joined from inert cells (see inert_key) is no header's key."""
    return key not in _INDEX and key not in _WORD_INDEX


# "2/3", "002/003", "02 / 03", "RT 2 RW 3", "02-03"
_RT_RW = r"(?i)^\s*(?:RT\.?)?\s*(\d{1,3})\s*(?:[/\\\-.,:]|\s|RW\.?)\s*(?:RW\.?)?\s*(\d{1,3})\s*$"
# "Banjarnegara, 15-08-1995", "BANJARNEGARA 15/08/1995"
_PLACE_DATE = r"^\s*([^\d,;]*?[^\d\s,;])\s*[,;/]?\s*(\d.*?)\s*$"


def split_combined(field: str, column: str) -> list[pl.Expr]:
    """Expressions splitting a combined column into its two fields; unsplittable text goes to the first.

    A value that is only a date ("1995-08-15 00:00:00", a date cell) goes to the birth date.
    """
    first, second = COMBINED[field]
    col = pl.col(column)
    pattern = _RT_RW if field == RT_RW else _PLACE_DATE
    a = col.str.extract(pattern, 1)
    b = col.str.extract(pattern, 2)
    if field == BIRTH_PLACE_DATE:
        date_only = col.str.contains(r"^\s*\d")
        return [
            pl.when(date_only).then(None).otherwise(a.fill_null(col)).alias(first),
            pl.when(date_only).then(col).otherwise(b).alias(second),
        ]
    return [a.fill_null(col).alias(first), b.alias(second)]
