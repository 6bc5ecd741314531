"""Workbook layouts: the loader must find the header and report the row numbers Excel shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from io_files import rows_at, set_numeric_digits, write_ods, write_xlsx

from verval_cli.config import Config
from verval_cli.io import LoadResult, load_table, load_tables

OPERATOR_HEADER = ["NO", "NAMA KK", "NIK", "NO. KK", "RT/RW", "HASIL VERVAL", "KET"]


def _household(i: int, nik_as_number: bool = False) -> list[object]:
    nik = f"33040315089{50001 + i}"
    return [
        i + 1,
        f"WARGA {i}",
        int(nik) if nik_as_number else nik,
        f"330403010110{i:04d}",
        "002/003",
        "Ada",
        None,
    ]


def _rows(result: LoadResult) -> list[int]:
    return list(result.frame["source_row"].to_list())


def test_p3ke_title_block_data_starts_at_row_13(tmp_path: Path) -> None:
    header = [
        "id_keluarga_P3KE",
        "Kode Kemendagri",
        "kepala_keluarga",
        "nik",
        "desil_kesejahteraan",
        "alamat",
    ]
    cells = rows_at(1, [["DATA PRIORITAS P3KE KEMISKINAN EKSTREM"], ["PROVINSI JAWA TENGAH"]])
    cells |= rows_at(12, [header])
    cells |= rows_at(
        13,
        [[f"P3KE0000{i}", "3304032004", f"KEPALA {i}", f"330403150895000{i}", "1", "RT 1"] for i in range(3)],
    )
    path = write_xlsx(tmp_path / "p3ke.xlsx", {"Sheet1": cells}, merges={"Sheet1": ["A1:F1"]})
    result = load_table(path)
    assert result.failures == []
    assert _rows(result) == [13, 14, 15]
    report = result.sheets[0]
    assert report.header_row == 12 and report.format == "xlsx" and report.sheet == "Sheet1"
    assert report.mapping == {
        "id_keluarga_P3KE": "household_id",
        "Kode Kemendagri": "region_code",
        "kepala_keluarga": "name",
        "nik": "nik",
        "desil_kesejahteraan": "desil",
        "alamat": "address",
    }
    assert result.frame["household_id"].to_list() == ["P3KE00000", "P3KE00001", "P3KE00002"]
    assert result.frame["source_desa_code"].unique().to_list() == ["3304032004"]
    assert report.desa_source == "column"
    assert result.rejected.height == 0


def test_leading_blank_rows_and_columns_and_blank_rows_between_groups(tmp_path: Path) -> None:
    cells = rows_at(
        5, [OPERATOR_HEADER, _household(0), None, _household(1), _household(2), None, None], first_col=3
    )
    cells |= rows_at(12, [_household(3)], first_col=3)
    path = write_xlsx(tmp_path / "blanks.xlsx", {"DATA": cells})
    result = load_table(path)
    assert _rows(result) == [6, 8, 9, 12]
    assert result.sheets[0].header_row == 5
    assert result.sheets[0].blank_rows == 3
    assert result.frame["name"].to_list() == ["WARGA 0", "WARGA 1", "WARGA 2", "WARGA 3"]
    assert result.frame["rt"].to_list() == ["002"] * 4 and result.frame["rw"].to_list() == ["003"] * 4
    assert result.sheets[0].mapping["RT/RW"] == "rt+rw"


def test_merged_two_row_header_with_group_over_rt_rw(tmp_path: Path) -> None:
    top = ["NO", "NAMA KEPALA KELUARGA", "NIK", "ALAMAT", None, "STATUS"]
    bottom = [None, None, None, "RT", "RW", None]
    data = [
        [1, "SUPARNO", "3304031508950001", "1", "4", "Meninggal"],
        [2, "TUKIYEM", "3304035708600002", "2", "4", "Ada"],
    ]
    cells = rows_at(1, [["HASIL VERVAL"]]) | rows_at(3, [top, bottom, *data])
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4"]
    path = write_xlsx(tmp_path / "merged.xlsx", {"Sheet1": cells}, merges={"Sheet1": merges})
    result = load_table(path)
    report = result.sheets[0]
    assert report.header_row == 4
    assert "header spans rows 3-4 (merged)" in report.notes
    assert _rows(result) == [5, 6]
    assert result.frame.select("rt", "rw", "status").rows() == [("1", "4", "Meninggal"), ("2", "4", "Ada")]


def test_header_followed_by_column_numbers_row(tmp_path: Path) -> None:
    numbers = list(range(1, len(OPERATOR_HEADER) + 1))
    cells = rows_at(2, [OPERATOR_HEADER, numbers, _household(0), _household(1)])
    result = load_table(write_xlsx(tmp_path / "numbers.xlsx", {"Sheet1": cells}))
    assert _rows(result) == [4, 5]
    assert result.rejected.select("source_row", "reason").rows() == [(3, "column-number row")]
    assert result.rejected["content"][0] == "1 | 2 | 3 | 4 | 5 | 6 | 7"


def test_totals_row_and_signature_block_are_rejected_not_dropped(tmp_path: Path) -> None:
    cells = rows_at(1, [OPERATOR_HEADER, _household(0), _household(1), None, ["JUMLAH 2 KK"], None])
    cells |= rows_at(7, [["Kebanaran, 8 Februari 2023"], ["Mengetahui,"], ["Kepala Desa Kebanaran"], None])
    cells |= rows_at(11, [["SUTRISNO"], ["( SUTRISNO )"], ["NIP. -"]], first_col=6)
    result = load_table(write_xlsx(tmp_path / "tail.xlsx", {"Sheet1": cells}))
    assert _rows(result) == [2, 3]
    assert result.rejected.select("source_row", "reason").rows() == [
        (5, "totals row"),
        (7, "signature block"),
        (8, "signature block"),
        (9, "signature block"),
        (11, "signature block"),
        (12, "signature block"),
        (13, "signature block"),
    ]
    assert result.sheets[0].layout_rows == 7 and result.sheets[0].blank_rows == 3  # rows 4, 6, 10


def test_layout_rows_are_found_in_a_list_without_any_id_column(tmp_path: Path) -> None:
    """Names and addresses only (no NIK, No KK or ID column): the tail is still told from households."""
    header = ["NO", "NAMA KEPALA KELUARGA", "ALAMAT", "RT", "RW"]
    people = [
        [i + 1, name, "DUSUN KRAJAN", 1, 2] for i, name in enumerate(["SUPARNO", "TUKIYEM", "SITI AMINAH"])
    ]
    cells = rows_at(1, [header, *people, ["JUMLAH", 3], None, ["Mengetahui,"], ["Kepala Desa Kalibening"]])
    result = load_table(write_xlsx(tmp_path / "names_only.xlsx", {"Sheet1": cells}))
    assert _rows(result) == [2, 3, 4]
    assert result.rejected.select("source_row", "reason").rows() == [
        (5, "totals row"),
        (7, "signature block"),
        (8, "signature block"),
    ]


def test_repeated_header_section_title_and_bare_numbering_rows(tmp_path: Path) -> None:
    cells = rows_at(1, [OPERATOR_HEADER, _household(0), ["USULAN BARU"], OPERATOR_HEADER, _household(1), [9]])
    result = load_table(write_xlsx(tmp_path / "mid.xlsx", {"Sheet1": cells}))
    assert _rows(result) == [2, 5]
    assert result.rejected.select("source_row", "reason").rows() == [
        (3, "section title"),
        (4, "repeated header row"),
        (6, "no household data (no name, NIK, No KK or household id)"),
    ]


def test_sheets_combined_hidden_sheet_noted_empty_sheet_skipped(tmp_path: Path) -> None:
    usulan = ["NO", "NAMA", "NIK", "ALAMAT", "KETERANGAN"]
    sheets = {
        "RW 01": rows_at(1, [OPERATOR_HEADER, _household(0), _household(1)]),
        "RW 02": rows_at(1, [["DUSUN KRAJAN"], OPERATOR_HEADER, _household(2)]),
        "USULAN BARU": rows_at(1, [usulan, [1, "WARGA BARU", "3304030101900009", "RT 3", "Usulan Baru"]]),
        "Sheet3": {},
        "Catatan": rows_at(1, [["dicek oleh operator"]]),
        "Arsip": rows_at(1, [OPERATOR_HEADER, _household(5)]),
    }
    result = load_table(write_xlsx(tmp_path / "multi.xlsx", sheets, hidden=["Arsip"]))
    frame = result.frame
    assert frame.select("source_sheet", "source_row").rows() == [
        ("RW 01", 2),
        ("RW 01", 3),
        ("RW 02", 3),
        ("USULAN BARU", 2),
        ("Arsip", 2),
    ]
    assert frame.filter(pl.col("source_sheet") == "USULAN BARU")["address"].to_list() == ["RT 3"]
    assert [s.sheet for s in result.sheets] == ["RW 01", "RW 02", "USULAN BARU", "Arsip"]
    assert "hidden sheet" in result.sheets[3].notes
    assert "sheet 'Sheet3' skipped: empty" in result.sheets[0].notes
    assert "sheet 'Catatan' skipped: only 1 cells" in result.sheets[0].notes


@pytest.mark.parametrize(("wanted", "sheets"), [("usulan baru", ["USULAN BARU"]), ("RW 01", ["RW 01"])])
def test_sheet_selected_by_name_case_insensitively(tmp_path: Path, wanted: str, sheets: list[str]) -> None:
    book = {
        "RW 01": rows_at(1, [OPERATOR_HEADER, _household(0)]),
        "USULAN BARU": rows_at(1, [OPERATOR_HEADER, _household(1)]),
    }
    result = load_table(write_xlsx(tmp_path / "pick.xlsx", book), sheet=wanted)
    assert [s.sheet for s in result.sheets] == sheets


def test_missing_sheet_is_a_failure_naming_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "pick.xlsx", {"RW 01": rows_at(1, [OPERATOR_HEADER, _household(0)])})
    result = load_table(path, sheet="RW 09")
    assert result.frame.height == 0
    assert result.failures[0].reason == "no sheet named 'RW 09' (sheets: RW 01)"


def test_numeric_and_text_nik_cells_are_flagged(tmp_path: Path) -> None:
    cells = rows_at(
        1, [OPERATOR_HEADER, _household(0, True), _household(1, False), [3, "TANPA NIK"], _household(3, True)]
    )
    path = write_xlsx(tmp_path / "flags.xlsx", {"Sheet1": cells})
    set_numeric_digits(path, 1, "C5", "9104031508950001")  # above 2**53: calamine alone would lose the 1
    frame = load_table(path).frame
    assert frame["nik_numeric_cell"].to_list() == [True, False, None, True]
    assert frame["nik"].to_list() == ["3304031508950001", "3304031508950002", None, "9104031508950001"]
    assert frame["no_kk_numeric_cell"].to_list() == [False, False, None, False]
    assert "household_id_numeric_cell" not in frame.columns


def test_xlsx_renamed_xls_is_read_by_content(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "real.xlsx", {"Sheet1": rows_at(1, [OPERATOR_HEADER, _household(0)])})
    renamed = tmp_path / "desa.xls"
    shutil.copy(source, renamed)
    result = load_table(renamed)
    assert result.failures == [] and result.sheets[0].format == "xlsx" and _rows(result) == [2]


def test_ods_with_leading_blank_rows(tmp_path: Path) -> None:
    rows = [
        None,
        ["DESA KEBANARAN"],
        None,
        [None, "NAMA", "NIK", "STATUS"],
        [None, "SUPARNO", 3304031508950001, "Ada"],
    ]
    result = load_table(write_ods(tmp_path / "desa.ods", {"Data": rows}))
    assert result.sheets[0].format == "ods" and result.sheets[0].header_row == 4
    assert _rows(result) == [5]
    assert result.frame["nik"].to_list() == ["3304031508950001"]
    assert result.frame["nik_numeric_cell"].to_list() == [None]


def test_duplicate_headers_and_config_override(tmp_path: Path) -> None:
    header = ["NAMA", "NIK", "HASIL CEK LAPANGAN", "KET", "KET", "FOTO", "FOTO", None]
    row = ["SUPARNO", "3304031508950001", "Ada", "a", "b", "x.jpg", "y.jpg", "stray"]
    path = write_xlsx(tmp_path / "dup.xlsx", {"Sheet1": rows_at(1, [header, row])})
    result = load_tables([path], Config(columns={"HASIL CEK LAPANGAN": "status"}))
    frame = result.frame
    assert frame["status"].to_list() == ["Ada"] and frame["notes"].to_list() == ["a"]
    extras = [c for c in frame.columns if c.startswith("extra:")]
    assert extras == ["extra:KET", "extra:FOTO", "extra:FOTO (2)", "extra:(column H)"]
    assert frame.select(extras).row(0) == ("b", "x.jpg", "y.jpg", "stray")
    assert result.sheets[0].ignored == ["KET", "FOTO", "FOTO"]
    assert any("also maps to notes" in n for n in result.sheets[0].notes)


def test_xlsxwriter_shared_strings_formula_and_offset_table(tmp_path: Path) -> None:
    path = tmp_path / "xw.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Verval")
        ws.merge_range("C2:F2", "DATA HASIL VERVAL")
        ws.write_row("C4", ["NAMA KK", "NIK", "NO KK", "HASIL VERVAL"])
        ws.write_row("C5", ["SUPARNO", "3304031508950001"])
        ws.write_number("E5", 3304030101100001)
        ws.write_string("F5", "Ada")
        ws.write_row("C7", ["TUKIYEM"])
        ws.write_number("D7", 3304035708600002)
        ws.write_formula("E7", '="3304030101100002"', None, "3304030101100002")
    result = load_table(path)
    assert result.sheets[0].header_row == 4
    frame = result.frame
    assert frame.select("source_row", "name", "nik", "no_kk").rows() == [
        (5, "SUPARNO", "3304031508950001", "3304030101100001"),
        (7, "TUKIYEM", "3304035708600002", "3304030101100002"),
    ]
    assert frame["nik_numeric_cell"].to_list() == [False, True]
    assert frame["no_kk_numeric_cell"].to_list() == [True, False]
