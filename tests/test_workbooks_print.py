"""Workbooks people print and retype into: page setup, chart on the first screen, no blank sheets,
failed files by name, NIK / No KK columns as text, dates as dates — read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from verval_cli.cli import app
from verval_cli.reconcile import reconcile
from verval_cli.result import ReconcileResult
from verval_cli.writers.excel_report import write_excel_report
from verval_cli.writers.report.per_desa import write_desa_workbooks

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def with_a_broken_file(tmp_path_factory: pytest.TempPathFactory) -> ReconcileResult:
    folder = tmp_path_factory.mktemp("subs")
    shutil.copy(SAMPLE / "submissions" / "verval_wangon.xlsx", folder)
    (folder / "Desa Rusak.xlsx").write_bytes(b"PK\x03\x04 truncated")
    return reconcile(SAMPLE / "province", [folder])


def _assert_prints_landscape_one_page_wide(ws: Worksheet) -> None:
    assert ws.page_setup.orientation == "landscape", ws.title
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, ws.title


@pytest.mark.parametrize(("lang", "none"), [("id", "tidak ada"), ("en", "none")])
def test_main_workbook_prints_and_shows_the_chart_first(
    with_a_broken_file: ReconcileResult, tmp_path: Path, lang: str, none: str
) -> None:
    wb = openpyxl.load_workbook(write_excel_report(with_a_broken_file, tmp_path / "r.xlsx", lang=lang))
    summary = wb.worksheets[0]
    for ws in wb.worksheets:
        _assert_prints_landscape_one_page_wide(ws)
    for ws in wb.worksheets[1:]:
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.max_row >= 2, f"{ws.title} is blank"
    (chart,) = summary._charts
    assert chart.anchor._from.col <= 3 and chart.anchor._from.row <= 5  # C4: beside the balance
    empty = [ws for ws in wb.worksheets[1:] if ws["B2"].value is None and ws["A2"].value == none]
    assert empty, "the review sheet of this run is empty and must say so"


def test_failed_files_are_listed_by_name_in_the_workbook(
    with_a_broken_file: ReconcileResult, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(write_excel_report(with_a_broken_file, tmp_path / "r.xlsx"))
    cells = [str(c.value) for row in wb["Ringkasan"].iter_rows() for c in row if c.value is not None]
    assert any(c.endswith("Desa Rusak.xlsx") for c in cells)
    assert "File yang gagal dibaca" in cells


def test_nik_columns_are_text_and_numbers_numbers_in_the_main_workbook(
    with_a_broken_file: ReconcileResult, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(write_excel_report(with_a_broken_file, tmp_path / "r.xlsx", lang="en"))
    ws = wb["Not Reported"]
    headers = [c.value for c in ws[1]]
    nik, row = headers.index("NIK") + 1, headers.index("Province row") + 1
    assert ws.cell(2, nik).number_format == "@" and isinstance(ws.cell(2, nik).value, str)
    assert isinstance(ws.cell(2, row).value, int)


def test_village_workbooks_print_landscape(with_a_broken_file: ReconcileResult, tmp_path: Path) -> None:
    (first, *_) = write_desa_workbooks(with_a_broken_file, tmp_path / "desa", deadline=dt.date(2030, 1, 1))
    wb = openpyxl.load_workbook(first)
    for ws in wb.worksheets:
        _assert_prints_landscape_one_page_wide(ws)
    for ws in wb.worksheets[1:]:
        assert ws.print_title_rows == "$1:$1"


def test_annotated_copy_of_a_csv_keeps_nik_as_text_and_dates_as_dates(tmp_path: Path) -> None:
    source = SAMPLE / "submissions" / "3304022002_PAGAK.csv"
    xlsx = SAMPLE / "submissions" / "Hasil Verval Desa Dermasari.xlsx"
    result = CliRunner().invoke(
        app, ["validate", str(source), str(xlsx), "--annotate", str(tmp_path), "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    csv_copy = openpyxl.load_workbook(tmp_path / "3304022002_PAGAK_diperiksa.xlsx")
    data = csv_copy["Data"]
    headers = [c.value for c in data[1]]
    for name in ("NIK", "NO_KK"):
        letter = data.cell(1, headers.index(name) + 1).column_letter
        assert data.column_dimensions[letter].number_format == "@"  # what is typed later stays text
        assert {data[f"{letter}{r}"].number_format for r in range(2, data.max_row + 1)} == {"@"}
    assert data.print_title_rows == "$1:$1"
    xlsx_copy = openpyxl.load_workbook(tmp_path / "Hasil Verval Desa Dermasari_diperiksa.xlsx")
    findings = xlsx_copy["Ringkasan Masalah"]
    values = [c for row in findings.iter_rows(min_row=2) for c in row if c.value is not None]
    assert not [c.value for c in values if isinstance(c.value, str) and "00:00:00" in c.value]
    dates = [c for c in values if isinstance(c.value, dt.datetime)]
    assert dates and {c.number_format for c in dates} == {"DD-MM-YYYY"}
    for ws in [*csv_copy.worksheets, *xlsx_copy.worksheets]:
        _assert_prints_landscape_one_page_wide(ws)
    # each problem's row number links to its cell: same sheet, row and column as the listed finding
    for book in (csv_copy, xlsx_copy):
        listed = book["Ringkasan Masalah"]
        linked = [r for r in listed.iter_rows(min_row=2) if r[1].hyperlink is not None]
        assert linked
        for sheet, row, column, *_ in linked:
            target_sheet, cell = row.hyperlink.location.rsplit("!", 1)
            assert target_sheet.strip("'") == (sheet.value or book.sheetnames[0])
            assert cell == f"{column.value}{row.value}"
            assert book[target_sheet.strip("'")][cell].comment is not None  # the annotated cell itself


def test_report_date_is_a_date_cell(with_a_broken_file: ReconcileResult, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_excel_report(with_a_broken_file, tmp_path / "r.xlsx"))
    cell = wb["Ringkasan"]["B2"]
    assert wb["Ringkasan"]["A2"].value == "Tanggal"
    assert isinstance(cell.value, dt.datetime) and cell.value.date() == dt.date.today()
    assert cell.number_format == "dd-mm-yyyy"
