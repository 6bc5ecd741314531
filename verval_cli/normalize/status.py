"""Verval result text ("Ditemukan", "TDK DITEMUKAN", "2", "Pindah ke Jakarta") -> a canonical status.

Matching is on a normalised key (upper case, punctuation to spaces, abbreviations expanded): first
``config.status`` (which overrides everything), then an exact phrase of ``VOCABULARY``, the same with
spaces ignored, and finally (after dropping a leading code such as "1." that comes with words) the
longest phrase the text *starts with*. Longest-first is what keeps negations right: "TIDAK
DITEMUKAN DI RUMAH" starts with "TIDAK DITEMUKAN", never with "DITEMUKAN"; a word is never matched
inside another text ("TIDAK VALID", "NONAKTIF" are never VALID, AKTIF).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Final

import polars as pl

from verval_cli import schema

# The whole vocabulary: canonical status -> phrases as written in submissions (matched after normalising).
# Numeric codes follow the DTKS scheme: 1 found, 2 deceased, 3 moved, 4 new, 5 other, 6 not_found.
VOCABULARY: Final[dict[str, tuple[str, ...]]] = {
    schema.FOUND: (
        "1",
        "DITEMUKAN",
        "ADA",
        "MASIH ADA",
        "SESUAI",
        "TINGGAL DI RUTA",
        "MASIH TINGGAL DI RUTA",
        "TINGGAL DI RUMAH",
        "TERKONFIRMASI",
        "LAYAK",
        "MASIH LAYAK",
        "YA",
        "VALID",
        "OK",
        "AKTIF",
        "MASIH AKTIF",
        "PADAN",
        "BENAR",
        "DATA SESUAI",
        "TERVERIFIKASI",
        "MASIH HIDUP",
    ),
    schema.DECEASED: (
        "2",
        "MENINGGAL",
        "MENINGGAL DUNIA",
        "SUDAH MENINGGAL",
        "TELAH MENINGGAL",
        "MD",
        "WAFAT",
        "ALMARHUM",
        "ALMARHUMAH",
        "ALM",
    ),
    schema.MOVED: (
        "3",
        "PINDAH",
        "PINDAH DOMISILI",
        "PINDAH ALAMAT",
        "SUDAH PINDAH",
        "TIDAK TINGGAL DI RUTA",
        "TIDAK TINGGAL DI DESA",
        "TIDAK TINGGAL DI RUMAH",
        "TIDAK TINGGAL DI ALAMAT",
    ),
    schema.NOT_FOUND: (
        "6",
        "TIDAK DITEMUKAN",
        "TIDAK ADA",
        "TIDAK DIKENAL",
        "TIDAK KETEMU",
        "TIDAK DIKETAHUI",
    ),
    schema.NO_LONGER_POOR: (
        "SUDAH MAMPU",
        "MAMPU",
        "TIDAK LAYAK",
        "TIDAK MISKIN",
        "SUDAH TIDAK MISKIN",
        "SUDAH SEJAHTERA",
    ),
    schema.DUPLICATE: ("GANDA", "DATA GANDA", "DOBEL", "DOUBLE", "DUPLIKAT"),
    schema.NEW: ("4", "USULAN BARU", "BARU", "FORM TAMBAHAN", "TAMBAHAN", "ANGGOTA BARU", "USULAN"),
    schema.OTHER: (
        "5",
        "BAGIAN DARI RT LAIN",
        "BAGIAN DARI RUTA LAIN",
        "RESPONDEN MENOLAK",
        "MENOLAK",
        "KESALAHAN PRELIST",
        "DIPERBAIKI",
        "PERBAIKAN DATA",
        "PERBAIKAN",
        # a negative verdict without its reason: the household is there, its record needs a look
        "TIDAK VALID",
        "INVALID",
        "TIDAK SESUAI",
        "DATA TIDAK SESUAI",
        "TIDAK PADAN",
        "BELUM PADAN",
        "NONAKTIF",
        "NON AKTIF",
        "TIDAK AKTIF",
        "TIDAK BENAR",
    ),
}

# Abbreviations operators type, expanded word by word before matching.
ABBREVIATIONS: Final[dict[str, str]] = {
    "TDK": "TIDAK",
    "TD": "TIDAK",
    "TAK": "TIDAK",
    "GK": "TIDAK",
    "DG": "DENGAN",
    "DGN": "DENGAN",
    "SDH": "SUDAH",
    "SUDH": "SUDAH",
    "BLM": "BELUM",
    "MNGGL": "MENINGGAL",
    "MGL": "MENINGGAL",
    "TGL": "TINGGAL",
    "YG": "YANG",
    "DLM": "DALAM",
    "RMH": "RUMAH",
    "KRN": "KARENA",
    "RUMAH TANGGA": "RUTA",
    "DITEMUKN": "DITEMUKAN",
}


def status_key(text: pl.Expr) -> pl.Expr:
    """The matching key of status text: ``" Tdk. ditemukan "`` -> ``"TIDAK DITEMUKAN"``."""
    key = (
        text.cast(pl.Utf8)
        .str.normalize("NFKC")
        .str.to_uppercase()
        .str.replace(r"^\s*(\d+)[.,]0+\s*$", "$1")
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars(" ")
    )
    for short, full in ABBREVIATIONS.items():
        key = key.str.replace_all(rf"\b{short}\b", full)
    return key


def _keys_of(texts: list[str]) -> list[str | None]:
    """The same key expression applied to a few Python strings (vocabulary, config entries)."""
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.Utf8})
    return frame.select(status_key(pl.col("text"))).to_series().to_list()


@lru_cache(maxsize=1)
def _vocabulary_keys() -> dict[str, str]:
    phrases = [(p, status) for status, ps in VOCABULARY.items() for p in ps]
    keys = _keys_of([p for p, _ in phrases])
    return {str(k): status for k, (_, status) in zip(keys, phrases, strict=True)}


def _config_keys(overrides: Mapping[str, str]) -> dict[str, str]:
    if not overrides:
        return {}
    raw = list(overrides)
    keys = _keys_of(raw)
    return {str(k): overrides[r] for k, r in zip(keys, raw, strict=True) if k}


def _lookup(key: pl.Expr, table: dict[str, str]) -> pl.Expr:
    if not table:
        return pl.lit(None, pl.Utf8)
    return key.replace_strict(table, default=None, return_dtype=pl.Utf8)


def normalize_status(
    lf: pl.LazyFrame, field: str, overrides: Mapping[str, str] | None = None
) -> pl.LazyFrame:
    """Add the canonical ``<field>`` (one of ``schema.STATUSES``) from ``<field>_raw``."""
    key_name = f"__verval[{field}]key"
    lf = lf.with_columns(status_key(pl.col(f"{field}_raw")).alias(key_name))
    key = pl.col(key_name)
    vocabulary = _vocabulary_keys()
    configured = _config_keys(overrides or {})
    squeezed = key.str.replace_all(" ", "", literal=True)
    words = key.str.replace(r"^\d{1,2} (\D)", "$1")
    phrases = sorted(vocabulary, key=len, reverse=True)
    prefix_pattern = "^(" + "|".join(phrases) + ")(?: |$)"
    status = pl.coalesce(
        _lookup(key, configured),
        _lookup(squeezed, {k.replace(" ", ""): v for k, v in configured.items()}),
        _lookup(key, vocabulary),
        _lookup(squeezed, {k.replace(" ", ""): v for k, v in vocabulary.items()}),
        # "1. Tinggal di Ruta": the words decide when a code comes with them
        _lookup(words, vocabulary),
        _lookup(words.str.extract(prefix_pattern, 1), vocabulary),
    )
    result = (
        pl.when(key.is_null() | (key == ""))
        .then(pl.lit(schema.MISSING))
        .otherwise(status.fill_null(schema.UNKNOWN))
    )
    return lf.with_columns(result.alias(field)).drop(key_name)
