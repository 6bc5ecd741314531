"""The desa of a submission: from a column, the file name or the title block (Banjarnegara, 33.04)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from io_files import rows_at, write_xlsx

from verval_cli.config import Config
from verval_cli.io import load_table

KEBANARAN = "3304032004"  # Desa Kebanaran, Kecamatan Mandiraja, Kabupaten Banjarnegara
HEADER = ["NO", "NAMA KK", "NIK", "HASIL VERVAL"]
ROW: list[Any] = [1, "SUPARNO", "3304031508950001", "Ada"]


@pytest.mark.parametrize(
    ("file_name", "regency", "code", "source"),
    [
        ("3304032004_kebanaran.xlsx", None, KEBANARAN, "file name"),  # regency inferred from the code
        ("33.04.03.2004 verval.xlsx", None, KEBANARAN, "file name"),
        ("Hasil Verval Desa Kebanaran.xlsx", "33.04", KEBANARAN, "file name"),
        ("KEBANARAN-MANDIRAJA.xlsx", "3304", KEBANARAN, "file name"),
        ("Hasil Verval Desa Kebanaran.xlsx", None, None, None),  # a name needs a regency
        ("rekap final.xlsx", "33.04", None, None),
    ],
)
def test_desa_from_file_name(
    tmp_path: Path, file_name: str, regency: str | None, code: str | None, source: str | None
) -> None:
    path = write_xlsx(tmp_path / file_name, {"Sheet1": rows_at(1, [HEADER, ROW])})
    result = load_table(path, regency=regency)
    report = result.sheets[0]
    assert (report.desa_code, report.desa_source) == (code, source)
    assert result.frame["source_desa_code"].to_list() == [code]


def test_desa_from_title_block_with_regency_from_config(tmp_path: Path) -> None:
    cells = rows_at(
        1,
        [
            ["HASIL VERIFIKASI DAN VALIDASI"],
            ["KABUPATEN BANJARNEGARA"],
            ["DESA KEBANARAN KECAMATAN MANDIRAJA"],
        ],
    )
    cells |= rows_at(5, [HEADER, ROW])
    result = load_table(write_xlsx(tmp_path / "verval.xlsx", {"Sheet1": cells}), Config(regency="33.04"))
    assert (result.sheets[0].desa_code, result.sheets[0].desa_source) == (KEBANARAN, "title block")


def test_desa_from_desa_column_majority(tmp_path: Path) -> None:
    header = ["NAMA", "NIK", "DESA", "KECAMATAN"]
    rows: list[list[Any]] = [
        ["A", "1", "Kebanaran", "Mandiraja"],
        ["B", "2", "KEBANARAN", "MANDIRAJA"],
        ["C", "3", "Desa Kebanaran", None],
    ]
    result = load_table(
        write_xlsx(tmp_path / "x.xlsx", {"Sheet1": rows_at(1, [header, *rows])}), regency="33.04"
    )
    assert (result.sheets[0].desa_code, result.sheets[0].desa_source) == (KEBANARAN, "column")
    assert result.frame["desa"].to_list() == ["Kebanaran", "KEBANARAN", "Desa Kebanaran"]


def test_region_codes_spanning_many_desa_give_no_file_level_desa(tmp_path: Path) -> None:
    header = ["kepala_keluarga", "nik", "kode_kemdagri"]
    rows = [["A", "1", "3304032004"], ["B", "2", "33.04.03.2005"], ["C", "3", "3304032006"]]
    result = load_table(write_xlsx(tmp_path / "prov.xlsx", {"Sheet1": rows_at(1, [header, *rows])}))
    report = result.sheets[0]
    assert report.desa_code is None
    assert "region codes span 3 desa; no file-level desa" in report.notes
    assert result.frame["region_code"].to_list() == ["3304032004", "33.04.03.2005", "3304032006"]


@pytest.mark.parametrize(
    ("texts", "proposal"),
    [
        (["USULAN BARU DESA KEBANARAN"], True),
        (["hasil verval", "Usulan baru"], True),
        (["usulan_kebanaran"], True),
        (["HASIL VERVAL DESA KEBANARAN", None], False),
        (["PENGUSULAN"], False),  # a word containing USULAN is not the word
    ],
)
def test_says_proposal(texts: list[str | None], proposal: bool) -> None:
    from verval_cli.io.desa import says_proposal

    assert says_proposal(texts) is proposal
