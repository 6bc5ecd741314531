"""The synonym table, combined-column splitting and header detection."""

from __future__ import annotations

import polars as pl
import pytest

from verval_cli import schema
from verval_cli.io.columns import SYNONYMS, map_header, split_combined
from verval_cli.io.grid import grid_from_rows
from verval_cli.io.header import detect_header


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("id_keluarga_p3ke", "household_id"),
        ("ID Keluarga P3KE", "household_id"),
        ("ID DTKS", "household_id"),
        ("id_individu", "individual_id"),
        ("NIK", "nik"),
        ("N I K", "nik"),
        ("no_kk", "no_kk"),
        ("nomor_kk", "no_kk"),
        ("NO. KK", "no_kk"),
        ("Nomor KK", "no_kk"),
        ("NAMA KK", "name"),
        ("kepala_keluarga", "name"),
        ("NAMA KEPALA\nKELUARGA", "name"),
        ("nama", "name"),
        ("L/P", "sex"),
        ("JK", "sex"),
        ("jenis_kelamin", "sex"),
        ("TGL LAHIR", "birth_date"),
        ("Tanggal Lahir", "birth_date"),
        ("TEMPAT LAHIR", "birth_place"),
        ("RT/RW", "rt+rw"),
        ("TEMPAT/TGL LAHIR", "birth_place+birth_date"),
        ("rt", "rt"),
        ("RW", "rw"),
        ("DUSUN", "dusun"),
        ("desa_kelurahan", "desa"),
        ("kode_kemdagri", "region_code"),
        ("Kode Kemendagri", "region_code"),
        ("desil_kesejahteraan", "desil"),
        ("hubungan_dengan_kepala_keluarga", "relation"),
        ("HASIL VERVAL", "status"),
        ("STATUS", "status"),
        ("KET", "notes"),
        ("KETERANGAN", "notes"),
        ("NIK PERBAIKAN", "nik_corrected"),
        ("nama_perbaikan", "name_corrected"),
        ("nama_ibu_kandung", "mother_name"),
        ("NO", "seq_no"),
        ("No.", "seq_no"),
        ("ALAMAT", "address"),
        ("padan_dukcapil", None),
        ("pekerjaan", None),
        ("FOTO RUMAH", None),
    ],
)
def test_map_header(label: str, field: str | None) -> None:
    assert map_header(label) == field


def test_every_synonym_target_is_canonical_or_combined() -> None:
    for target in SYNONYMS:
        assert target in schema.CANONICAL_FIELDS or "+" in target


def test_override_wins_over_synonyms() -> None:
    assert map_header("KET", {"ket": "status"}) == "status"
    assert map_header("HASIL CEK LAPANGAN", {"HASIL CEK LAPANGAN": "status"}) == "status"


@pytest.mark.parametrize(
    ("value", "rt", "rw"),
    [
        ("2/3", "2", "3"),
        ("002/003", "002", "003"),
        ("02 / 03", "02", "03"),
        ("RT 2 RW 3", "2", "3"),
        ("5", "5", None),
    ],
)
def test_split_rt_rw(value: str, rt: str, rw: str | None) -> None:
    out = pl.DataFrame({"c": [value]}).select(split_combined("rt+rw", "c"))
    assert out.row(0) == (rt, rw)


@pytest.mark.parametrize(
    ("value", "place", "date"),
    [
        ("Banjarnegara, 15-08-1995", "Banjarnegara", "15-08-1995"),
        ("BANJARNEGARA 15/08/1995", "BANJARNEGARA", "15/08/1995"),
        ("Purwokerto,1 Januari 1980", "Purwokerto", "1 Januari 1980"),
        ("1995-08-15 00:00:00", None, "1995-08-15 00:00:00"),
        ("Banjarnegara", "Banjarnegara", None),
    ],
)
def test_split_place_and_date(value: str, place: str | None, date: str | None) -> None:
    out = pl.DataFrame({"c": [value]}).select(split_combined("birth_place+birth_date", "c"))
    assert out.row(0) == (place, date)


def _grid(rows: list[list[str | None]]) -> pl.DataFrame:
    return grid_from_rows(rows, range(1, len(rows) + 1))


def test_best_row_wins_over_title_rows_that_mention_fields() -> None:
    header = detect_header(
        _grid(
            [["DAFTAR NAMA"], ["NAMA", "DESA"], [], ["NO", "NAMA", "NIK", "ALAMAT"], ["1", "A", "3304", "X"]]
        )
    )
    assert header is not None and header.first_row == header.last_row == 4
    assert header.title_lines == ["DAFTAR NAMA", "NAMA DESA"]


def test_no_header_without_name_or_nik() -> None:
    assert detect_header(_grid([["NO", "ALAMAT", "RT", "RW"], ["1", "X", "1", "2"]])) is None
    assert detect_header(_grid([["NIK"], ["3304"]])) is None


def test_group_header_over_unmapped_subcolumns_keeps_both_labels() -> None:
    rows: list[list[str | None]] = [
        ["NAMA", "NIK", "BANTUAN", None],
        [None, None, "PKH", "BPNT"],
        ["A", "1", "Ya", "Tidak"],
    ]
    header = detect_header(_grid(rows))
    assert header is not None and header.last_row == 1  # the group row adds no field: one-row header
    assert [c.label for c in header.columns] == ["NAMA", "NIK", "BANTUAN", None]


def test_title_merged_right_above_the_header_stays_a_title() -> None:
    rows: list[list[str | None]] = [["DESA KEBANARAN", None, None], ["NAMA", "NIK", "FOTO"], ["A", "1", "x"]]
    header = detect_header(_grid(rows))
    assert header is not None and (header.first_row, header.last_row) == (2, 2)
    assert header.title_lines == ["DESA KEBANARAN"]
    assert [c.label for c in header.columns] == ["NAMA", "NIK", "FOTO"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("TANGGAL LAHIR (DD-MM-YYYY)", "birth_date"),
        ("JENIS KELAMIN (L/P)", "sex"),
        ("NIK (16 DIGIT)", "nik"),
        ("STATUS (ADA/TIDAK ADA)", "status"),
        ("NIK_KK", "nik"),
        ("KETERANGAN HASIL VERVAL", "status"),
        ("(1)", None),
    ],
)
def test_hints_in_brackets_do_not_hide_the_header(header: str, field: str | None) -> None:
    assert map_header(header) == field
