"""Header words (abbreviations, roles, sources), competing columns and value shapes, one rule per test."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from verval_cli.config import Config, load_config
from verval_cli.io import load_tables
from verval_cli.io.columns import map_header, read_header
from verval_cli.io.grid import grid_from_rows
from verval_cli.io.header import Header, detect_header
from verval_cli.io.header_words import raw_words


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("NAMA_LGKP", "name"),  # Dukcapil abbreviations
        ("TGL_LHR", "birth_date"),
        ("TMPT_LHR", "birth_place"),
        ("JENIS_KLMIN", "sex"),
        ("STAT_HBKEL", "relation"),
        ("JnsKel", "sex"),  # BDT camelCase
        ("NMKEC", "kecamatan"),  # Kemensos glued words
        ("NMKEL", "desa"),
        ("NMPROP", "province"),
        ("KEC_NAME", "kecamatan"),
        ("NOKK_DTKS", "no_kk"),  # a source after the field
        ("NIK DUKCAPIL", "nik"),
        ("Jenis Kelamin Kepala Keluarga", "sex"),  # a role after the field
        ("TGL LAHIR KRT", "birth_date"),
        ("NIK LAMA", "nik"),
        ("NIK_BARU", "nik_corrected"),
        ("NAMA_LGKP_IBU", "mother_name"),  # the mother's name has its own field
        ("namagadis_ibukandung", "mother_name"),
        ("Nama Ibu Kandung", "mother_name"),
        ("NIK AYAH", None),  # other people's identifiers
        ("NIK Istri", None),
        ("ibu_nik", None),
        ("NAMA_LGKP_AYAH", None),
        ("NAMA KEPALA DESA", None),
        ("NoPesertaPKH", None),  # a bare 'NOMOR' left once the role and source go names nothing
        ("STATUS KRT", None),
        ("STAT_KWN", None),
        ("NO_KEL", None),
        ("KDKEC", None),
        ("tgl_hamil", None),
        ("Tanggal Cetak KK", None),
    ],
)
def test_header_words(label: str, field: str | None) -> None:
    assert map_header(label) == field


def test_rule_names_say_how_a_header_was_read() -> None:
    assert read_header("NAMA KRT").rule == "exact synonym"
    assert read_header("NAMA_LGKP").rule == "tokens+abbreviation"
    assert read_header("TGL LAHIR KRT").rule == "tokens+abbreviation + role stripped"
    assert read_header("NOKK_DTKS").rule == "tokens+abbreviation + source stripped"
    assert read_header("X", {"X": "status"}).rule == "config"
    assert read_header("NIK AYAH").reason == "another person's nik (not the person on the row)"


def test_words_split_at_camel_case_and_punctuation() -> None:
    assert raw_words("NamaKep TglLahir_KRT") == ["NAMA", "KEP", "TGL", "LAHIR", "KRT"]


def _header(rows: list[list[str | None]], config: Config | None = None) -> Header:
    found = detect_header(grid_from_rows(rows, range(1, len(rows) + 1)), (config or Config()).columns)
    assert found is not None
    return found


NIK = "3304031508950001"


def test_person_beats_head_on_an_individual_level_form() -> None:
    header = _header([["NAMA KRT", "NAMA ART", "NIK"], ["SUPARNO", "TUKIYEM", NIK]])
    assert header.mapping == {"NAMA ART": "name", "NIK": "nik"}
    krt = header.columns[0]
    assert (krt.field, krt.kind, krt.rivals) == (None, "ruled out", ["NAMA ART"])


def test_head_alone_keeps_the_name_on_a_household_form() -> None:
    assert _header([["NAMA KRT", "NIK"], ["SUPARNO", NIK]]).mapping == {"NAMA KRT": "name", "NIK": "nik"}


def test_two_headers_competing_for_a_field_leave_it_to_config(tmp_path: Path) -> None:
    rows: list[list[str | None]] = [
        ["NAMA", "NIK", "shdk", "hubungan_keluarga"],
        ["SUPARNO", NIK, "1", "KEPALA"],
    ]
    header = _header(rows)
    assert "relation" not in header.mapping.values()
    assert {c.kind for c in header.columns[2:]} == {"ambiguous"}
    assert any("verval.toml" in n for n in header.column_notes)
    assert header.summary() == "2 of 4 columns mapped, 2 left unmapped as ambiguous, 0 kept as extra"
    toml = tmp_path / "verval.toml"
    toml.write_text('[columns]\n"hubungan_keluarga" = "relation"\n"shdk" = "extra"\n', encoding="utf-8")
    decided = _header(rows, load_config(toml))
    assert decided.mapping == {"NAMA": "name", "NIK": "nik", "hubungan_keluarga": "relation"}
    assert decided.columns[3].rule == "config"
    shdk = decided.explained()[2]
    assert (shdk["field"], shdk["rule"], shdk["unmapped"]) == (None, "config", "extra")


def test_exact_synonym_beats_a_header_read_through_its_words() -> None:
    header = _header([["NAMA", "NIK", "NIK_DTKS"], ["SUPARNO", NIK, NIK]])
    assert header.mapping == {"NAMA": "name", "NIK": "nik"}


def test_a_three_digit_kddesa_is_not_a_desa_code() -> None:
    rows: list[list[str | None]] = [
        ["NAMA", "NIK", "KDDESA"],
        ["SUPARNO", NIK, "004"],
        ["TUKIYEM", NIK, "004"],
    ]
    header = _header(rows)
    assert "KDDESA" not in header.mapping
    assert "BPS code" in (header.columns[2].reason or "")


def test_a_desa_code_column_that_fits_takes_the_field_from_one_that_does_not() -> None:
    rows: list[list[str | None]] = [
        ["NAMA", "NIK", "KDDESA", "kd_wilayah"],
        ["SUPARNO", NIK, "004", "3304032004"],
    ]
    assert _header(rows).mapping == {"NAMA": "name", "NIK": "nik", "kd_wilayah": "region_code"}


def test_ten_digit_or_dotted_codes_are_taken() -> None:
    for code in ("3304032004", "33.04.03.2004"):
        header = _header([["NAMA", "NIK", "KODE DESA"], ["SUPARNO", NIK, code]])
        assert header.mapping["KODE DESA"] == "region_code"


def test_config_is_trusted_over_values() -> None:
    rows: list[list[str | None]] = [["NAMA", "NIK", "KDDESA"], ["SUPARNO", NIK, "004"]]
    assert _header(rows, Config(columns={"KDDESA": "region_code"})).mapping["KDDESA"] == "region_code"


def test_marital_status_is_no_verval_status() -> None:
    rows: list[list[str | None]] = [["NAMA", "NIK", "STATUS"], ["A", NIK, "KAWIN"], ["B", NIK, "BELUM KAWIN"]]
    assert "STATUS" not in _header(rows).mapping
    rows = [["NAMA", "NIK", "STATUS"], ["A", NIK, "Meninggal"], ["B", NIK, "KAWIN"]]
    assert _header(rows).mapping["STATUS"] == "status"


def test_stacked_parquet_files_check_values_too(tmp_path: Path) -> None:
    for i in range(2):
        pl.DataFrame({"NAMA": ["SUPARNO"], "NIK": [NIK], "KDDESA": ["004"]}).write_parquet(
            tmp_path / f"{i}.parquet"
        )
    result = load_tables([tmp_path / "0.parquet", tmp_path / "1.parquet"])
    assert [s.mapping for s in result.sheets] == [{"NAMA": "name", "NIK": "nik"}] * 2


def test_group_labels_give_sub_columns_their_role() -> None:
    rows: list[list[str | None]] = [
        ["NO", "DATA KEPALA KELUARGA", None, "DATA ANGGOTA KELUARGA", None, None],
        [None, "NAMA", "NIK", "NAMA", "NIK", "HUBUNGAN"],
        ["1", "SUPARNO", NIK, "TUKIYEM", NIK[:-1] + "2", "ISTRI"],
    ]
    header = _header(rows)
    assert (header.first_row, header.last_row) == (1, 2)
    assert [(c.index, c.field) for c in header.columns if c.field] == [
        (0, "seq_no"), (3, "name"), (4, "nik"), (5, "relation"),
    ]  # fmt: skip
    assert header.columns[1].reason == "the head's name; the person on the row is in 'NAMA'"


def test_a_repeated_personal_header_is_taken_by_neither() -> None:
    header = _header([["NO", "NAMA", "NIK", "NAMA", "HASIL VERVAL"], ["1", "SUPARNO", NIK, "TUKIYEM", "Ada"]])
    assert header.mapping == {"NO": "seq_no", "NIK": "nik", "HASIL VERVAL": "status"}
    assert {c.kind for c in header.columns if c.label == "NAMA"} == {"ambiguous"}
