"""Verval status vocabulary: every spelling to one canonical status, negations kept apart."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verval_cli import schema
from verval_cli.config import Config
from verval_cli.normalize import VOCABULARY, normalize_frame, normalize_status_text


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        # found
        ("Ditemukan", "found"),
        ("DITEMUKAN", "found"),
        ("ditemukan ", "found"),
        ("Ada", "found"),
        ("Sesuai", "found"),
        ("Tinggal di Ruta", "found"),
        ("tinggal di rumah tangga", "found"),
        ("Terkonfirmasi", "found"),
        ("Layak", "found"),
        ("Ya", "found"),
        ("YA.", "found"),
        ("Valid", "found"),
        ("Masih Ada", "found"),
        ("Ditemukan, sesuai data", "found"),
        # deceased
        ("Meninggal", "deceased"),
        ("Meninggal Dunia", "deceased"),
        ("MENINGGAL-DUNIA", "deceased"),
        ("MD", "deceased"),
        ("M.D.", "deceased"),
        ("md", "deceased"),
        ("Wafat", "deceased"),
        ("Almarhum", "deceased"),
        ("Sudah meninggal", "deceased"),
        ("Meninggal dunia th 2022", "deceased"),
        # moved
        ("Pindah", "moved"),
        ("Pindah Domisili", "moved"),
        ("Pindah Alamat", "moved"),
        ("Pindah ke Jakarta", "moved"),
        ("Tidak Tinggal di Ruta", "moved"),
        ("TDK TINGGAL DI RUTA", "moved"),
        ("Tidak tinggal di desa", "moved"),
        # not found
        ("Tidak Ditemukan", "not_found"),
        ("TDK DITEMUKAN", "not_found"),
        ("Tdk. ditemukan", "not_found"),
        ("tidak  ditemukan", "not_found"),
        ("Tidak Ada", "not_found"),
        ("Tidak Dikenal", "not_found"),
        ("Tidak ditemukan di lokasi", "not_found"),
        # no longer poor
        ("Sudah Mampu", "no_longer_poor"),
        ("SDH MAMPU", "no_longer_poor"),
        ("Mampu", "no_longer_poor"),
        ("Tidak Layak", "no_longer_poor"),
        ("TDK LAYAK", "no_longer_poor"),
        ("Tidak Miskin", "no_longer_poor"),
        # duplicate
        ("Ganda", "duplicate"),
        ("Data Ganda", "duplicate"),
        ("Dobel", "duplicate"),
        # new
        ("Usulan Baru", "new"),
        ("Baru", "new"),
        ("Form Tambahan", "new"),
        ("Tambahan", "new"),
        # other
        ("Bagian dari RT lain", "other"),
        ("Bagian dari Ruta Lain", "other"),
        ("Responden Menolak", "other"),
        ("Menolak", "other"),
        ("Kesalahan Prelist", "other"),
        ("Diperbaiki", "other"),
        ("Perbaikan Data", "other"),
        # the verdict words of real forms (Verifikasi Lapangan, Status DTKS, Padan Dukcapil, ...)
        ("VALID", "found"),
        ("TIDAK VALID", "other"),
        ("Tdk. Valid", "other"),
        ("TIDAKVALID", "other"),
        ("Invalid", "other"),
        ("AKTIF", "found"),
        ("NONAKTIF", "other"),
        ("Non Aktif", "other"),
        ("Non-Aktif", "other"),
        ("Tidak Aktif", "other"),
        ("PADAN", "found"),
        ("TIDAK PADAN", "other"),
        ("Sesuai", "found"),
        ("Tidak sesuai", "other"),
        ("Data tidak sesuai", "other"),
        ("Tidak Ada di lokasi", "not_found"),
        ("Ada di lokasi", "found"),
        # DTKS codes
        ("1", "found"),
        ("2", "deceased"),
        ("3", "moved"),
        ("4", "new"),
        ("5", "other"),
        ("6", "not_found"),
        ("2.0", "deceased"),
        ("1. Tinggal di Ruta", "found"),
        ("6 - Tidak ditemukan", "not_found"),
        ("1 Tidak ditemukan", "not_found"),  # the words win over a code typed with them
        # nothing / unrecognised
        (None, "missing"),
        ("", "missing"),
        ("  ", "missing"),
        ("-", "missing"),
        ("xyz", "unknown"),
        ("7", "unknown"),
        ("Tidak", "unknown"),
        ("Adalah", "unknown"),
    ],
)
def test_vocabulary(raw: str | None, status: str) -> None:
    assert normalize_status_text(raw) == status


@pytest.mark.parametrize(
    ("positive", "negated", "positive_status", "negated_status"),
    [
        ("Tinggal di Ruta", "Tidak Tinggal di Ruta", "found", "moved"),
        ("Ditemukan", "Tidak Ditemukan", "found", "not_found"),
        ("Layak", "Tidak Layak", "found", "no_longer_poor"),
        ("Ada", "Tidak Ada", "found", "not_found"),
        ("Valid", "Tidak Valid", "found", "other"),
        ("Sesuai", "Tidak Sesuai", "found", "other"),
        ("Padan", "Tidak Padan", "found", "other"),
        ("Aktif", "Tidak Aktif", "found", "other"),
    ],
)
def test_negations(positive: str, negated: str, positive_status: str, negated_status: str) -> None:
    assert normalize_status_text(positive) == positive_status
    assert normalize_status_text(negated) == negated_status
    assert normalize_status_text(negated.upper().replace("TIDAK", "TDK")) == negated_status


def test_every_vocabulary_phrase_maps_to_its_own_status() -> None:
    """Abbreviation expansion or prefix matching must never steal another entry's phrase."""
    phrases = [(phrase, status) for status, ps in VOCABULARY.items() for phrase in ps]
    out = normalize_frame(pl.DataFrame({"status": [p for p, _ in phrases]}))
    assert out["status"].to_list() == [s for _, s in phrases]
    assert set(VOCABULARY) <= set(schema.STATUSES)


@pytest.mark.parametrize(
    ("overrides", "raw", "status"),
    [
        ({"4": "other"}, "4", "other"),  # another scheme's code 4
        ({"4": "other"}, "4.0", "other"),
        ({"7": "duplicate"}, "7", "duplicate"),
        ({"Hasil Cek OK": "found"}, "HASIL CEK OK.", "found"),
        ({"pindah": "not_found"}, "Pindah", "not_found"),  # config overrides the vocabulary
        ({"TDK DITEMUKAN": "moved"}, "Tidak ditemukan", "moved"),
        ({"4": "other"}, "2", "deceased"),  # codes not configured keep their default
    ],
)
def test_config_overrides(overrides: dict[str, str], raw: str, status: str) -> None:
    assert normalize_status_text(raw, Config(status=overrides)) == status


@settings(max_examples=50, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), st.text(max_size=40)), min_size=1, max_size=60))
def test_never_raises(texts: list[str | None]) -> None:
    out = normalize_frame(pl.DataFrame({"status": texts}, schema={"status": pl.Utf8}))
    assert out["status_raw"].to_list() == texts
    assert set(out["status"].to_list()) <= set(schema.STATUSES)


def test_status_is_taken_from_the_remarks_only_when_empty_and_recognised() -> None:
    import polars as pl

    from verval_cli.normalize import normalize_frame

    frame = pl.DataFrame(
        {"status": ["Ada", None, None, "xx"], "notes": ["Pindah", "Meninggal dunia", "rumah rusak", "Pindah"]}
    )
    out = normalize_frame(frame)
    assert out["status"].to_list() == ["found", "deceased", "missing", "unknown"]
    assert out["status_source"].to_list() == ["status", "notes", None, "status"]
    only_notes = normalize_frame(pl.DataFrame({"notes": ["Pindah domisili", None]}))
    assert only_notes["status"].to_list() == ["moved", "missing"]


@pytest.mark.parametrize("negation", ["TIDAK", "TDK", "TAK", "BELUM", "NON", "NON-"])
@pytest.mark.parametrize("word", ["VALID", "ADA", "AKTIF", "PADAN", "SESUAI", "LAYAK", "DITEMUKAN"])
def test_a_negated_positive_word_is_never_found(negation: str, word: str) -> None:
    """ "TIDAK VALID" must not be read as VALID by a substring or a prefix: never ``found``."""
    for text in (
        f"{negation} {word}",
        f"{negation}{word}",
        f"{negation} {word} lagi",
        f"{negation.lower()} {word.lower()}",
    ):
        assert normalize_status_text(text) != "found", text


@pytest.mark.parametrize(
    ("overrides", "raw", "status"),
    [
        # a "keberadaan" scheme where 2 is not found and 3 deceased, set per source in verval.toml
        ({"2": "not_found", "3": "deceased"}, "2", "not_found"),
        ({"2": "not_found", "3": "deceased"}, "3", "deceased"),
        ({"2": "not_found", "3": "deceased"}, "1", "found"),
        ({"TIDAK VALID": "not_found"}, "Tidak Valid", "not_found"),
    ],
)
def test_keberadaan_codes_are_configurable(overrides: dict[str, str], raw: str, status: str) -> None:
    assert normalize_status_text(raw, Config(status=overrides)) == status
