"""laporan_verval.xlsx: sheets, row counts, text IDs, masking, inert text, sheet splitting (synthetic data)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from builders import CHANGED_NIK, FORMULA_NAME, P_NIK, S_NIK_RAW, synthetic_result

from verval_cli.codes import CODES, Code
from verval_cli.result import ReconcileResult
from verval_cli.writers.excel_report import write_excel_report
from verval_cli.writers.excel_style import date_of, initials, mask_free_text, rt_rw_of


@pytest.fixture(scope="module")
def result() -> ReconcileResult:
    """Shared read-only by this module's tests (tests/builders.py)."""
    return synthetic_result()


@pytest.fixture(scope="module")
def book(result: ReconcileResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report with default options, written once for the read-only tests."""
    return write_excel_report(result, tmp_path_factory.mktemp("book") / "laporan_verval.xlsx")


def _cells(path: Path) -> list[Any]:
    wb = openpyxl.load_workbook(path)
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _header_index(ws: Any, label: str) -> int:
    return [c.value for c in ws[1]].index(label) + 1


ID_SHEETS = [
    "Ringkasan",
    "Perbedaan",
    "Perlu Diperiksa",
    "Tidak Dilaporkan",
    "Usulan Baru",
    "Baris Tidak Valid",
]
EN_SHEETS = ["Summary", "Discrepancies", "Needs Review", "Not Reported", "New Proposals", "Invalid Rows"]


@pytest.mark.parametrize(("lang", "expected"), [("id", ID_SHEETS), ("en", EN_SHEETS)])
def test_sheet_names(result: ReconcileResult, tmp_path: Path, lang: str, expected: list[str]) -> None:
    path = write_excel_report(result, tmp_path / "laporan.xlsx", lang=lang)
    assert openpyxl.load_workbook(path).sheetnames == expected


@pytest.mark.parametrize(
    ("sheet", "rows"),
    [
        ("Perbedaan", 4),  # the unknown status of a matched row is listed under Baris Tidak Valid
        ("Perlu Diperiksa", 2),
        ("Tidak Dilaporkan", 3),
        ("Usulan Baru", 2),
        ("Baris Tidak Valid", 5),  # 3 findings (damaged NIK, invalid NIK, unknown status) + 2 rejected
    ],
)
def test_rows_per_sheet(book: Path, sheet: str, rows: int) -> None:
    ws = openpyxl.load_workbook(book)[sheet]
    assert ws.max_row - 1 == rows
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")


@pytest.mark.parametrize(
    ("sheet", "header", "expected"),
    [
        ("Perbedaan", "ID keluarga provinsi", "P3KE-0008"),
        ("Perbedaan", "Nilai dari desa", CHANGED_NIK),
        ("Perbedaan", "Nilai yang disarankan", P_NIK[8]),
        ("Perlu Diperiksa", "NIK (desa)", P_NIK[7]),
        ("Perlu Diperiksa", "NIK (provinsi)", P_NIK[7]),
        ("Tidak Dilaporkan", "NIK", P_NIK[2]),
        ("Usulan Baru", "NIK", S_NIK_RAW[2]),
    ],
)
def test_ids_are_text_cells(book: Path, sheet: str, header: str, expected: str) -> None:
    ws = openpyxl.load_workbook(book)[sheet]
    cell = ws.cell(row=2, column=_header_index(ws, header))
    assert cell.value == expected
    assert cell.data_type == "s"
    assert cell.number_format == "@"


def test_review_sheet_shows_both_sides(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Perlu Diperiksa"]
    row = {ws.cell(row=1, column=c).value: ws.cell(row=2, column=c) for c in range(1, ws.max_column + 1)}
    assert row["Nama (desa)"].value == "SUPARNA"
    assert row["Nama (provinsi)"].value == "SUPARNO"
    assert row["Tgl lahir (desa)"].value == dt.datetime(1970, 1, 2)
    assert row["RT/RW (desa)"].value == "003/002"
    assert row["Skor"].value == pytest.approx(0.71)
    # The differing name is highlighted, the equal NIK is not.
    assert row["Nama (desa)"].fill.fgColor.rgb.endswith("F8CBAD")
    assert row["NIK (desa)"].fill.fgColor.rgb in (None, "00000000")


def test_summary_sheet(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Ringkasan"]
    assert len(ws._charts) == 1
    column_a = [c.value for c in ws["A"]]
    assert "Kabupaten Banjarnegara" in str(ws["A1"].value)
    assert ws.cell(row=column_a.index("Semua baris tercatat") + 1, column=2).value == "ya"
    desa_header = next(
        i for i, v in enumerate(column_a, 1) if v == "Kecamatan" and ws.cell(i, 2).value == "Desa"
    )
    first, second = ws.cell(desa_header + 1, 2), ws.cell(desa_header + 2, 2)
    assert (first.value, second.value) == ("Glempang", "Berta")  # silent village first
    assert first.fill.fgColor.rgb.endswith("FFE699")
    assert ws.cell(desa_header + 1, 3).number_format == "@"
    totals = desa_header + 5  # after the four villages
    assert ws.cell(totals, 1).value == "JUMLAH"
    assert ws.cell(totals, 5).value == 9  # listed
    assert ws.cell(totals, 12).value == pytest.approx((4 + 2) / 9)  # (matched + review) / listed
    assert ws.auto_filter.ref == f"A{desa_header}:L{totals - 1}"


def test_messages_follow_language(result: ReconcileResult, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write_excel_report(result, tmp_path / "r.xlsx", lang="en"))["Discrepancies"]
    messages = [c.value for c in ws["L"][1:]]
    assert messages == [
        CODES[code].message_en
        for code in (Code.NIK_DIFFERS, Code.NAME_DIFFERS, Code.NAME_DIFFERS, Code.DUPLICATE_IN_SUBMISSION)
    ]
    severity = ws["K"][1]
    assert severity.value == "warning"
    assert severity.fill.fgColor.rgb.endswith("FFE699")


def test_formula_like_text_stays_text(book: Path) -> None:
    path = book
    ws = openpyxl.load_workbook(path)["Usulan Baru"]
    names = {
        ws.cell(r, _header_index(ws, "Nama")).value: ws.cell(r, _header_index(ws, "Nama")) for r in (2, 3)
    }
    assert set(names) == {FORMULA_NAME, "-BUDI"}
    assert all(cell.data_type == "s" for cell in names.values())
    assert all(cell.quotePrefix for cell in names.values())  # stays text even if re-entered in Excel
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any("<f>" in archive.read(n).decode() for n in sheets)


def test_mask_nik_hides_digits(result: ReconcileResult, tmp_path: Path) -> None:
    values = _cells(write_excel_report(result, tmp_path / "r.xlsx", mask_nik=True))
    texts = [v for v in values if isinstance(v, str)]
    assert not [t for t in texts if re.search(r"\d{12,}", t)]
    assert "3304********0001" in texts
    assert "Kepala Desa SUPARNO 3304********0001" in texts
    assert "SUPARNO BIN KARTO" in texts


def test_mask_names_gives_initials(result: ReconcileResult, tmp_path: Path) -> None:
    path = write_excel_report(result, tmp_path / "r.xlsx", mask_names=True)
    texts = [v for v in _cells(path) if isinstance(v, str)]
    assert "S. B. K." in texts
    assert not [t for t in texts if "SUPARNO" in t or "TUKIYEM" in t or "KARSO" in t]
    assert P_NIK[8] in texts  # names only: NIKs stay
    # SUPARNA vs SUPARNO: both mask to "S.", yet the difference stays highlighted.
    cell = openpyxl.load_workbook(path)["Perlu Diperiksa"]["F2"]
    assert cell.value == "S."
    assert cell.fill.fgColor.rgb.endswith("F8CBAD")


@pytest.mark.parametrize(("limit", "expected"), [(1, 4), (2, 2), (3, 2), (4, 1)])
def test_row_limit_splits_sheets(result: ReconcileResult, tmp_path: Path, limit: int, expected: int) -> None:
    wb = openpyxl.load_workbook(write_excel_report(result, tmp_path / "r.xlsx", max_rows_per_sheet=limit))
    parts = [n for n in wb.sheetnames if n.startswith("Perbedaan")]
    assert parts == ["Perbedaan"] + [f"Perbedaan ({i})" for i in range(2, expected + 1)]
    assert sum(wb[n].max_row - 1 for n in parts) == 4
    assert all(wb[n].max_row - 1 <= limit for n in parts)
    assert all(wb[n]["A1"].value == "File" for n in parts)


def test_empty_result_still_writes_every_sheet(result: ReconcileResult, tmp_path: Path) -> None:
    empty = ReconcileResult(
        matches=result.matches.clear(),
        province=result.province.clear(),
        submissions=result.submissions.clear(),
        discrepancies=result.discrepancies.clear(),
        rejected=pl.DataFrame(),
        summary={},
    )
    wb = openpyxl.load_workbook(write_excel_report(empty, tmp_path / "r.xlsx"))
    assert wb.sheetnames == ID_SHEETS
    assert wb["Perbedaan"].max_row == 2 and wb["Perbedaan"]["A2"].value == "tidak ada"  # never blank
    assert not wb["Ringkasan"]._charts


def test_atomic_write_leaves_no_temp_files(result: ReconcileResult, tmp_path: Path) -> None:
    target = tmp_path / "out" / "laporan_verval.xlsx"
    assert write_excel_report(result, target) == target
    assert [p.name for p in target.parent.iterdir()] == ["laporan_verval.xlsx"]


@pytest.mark.parametrize("kwargs", [{"lang": "fr"}, {"max_rows_per_sheet": 0}])
def test_bad_arguments(result: ReconcileResult, tmp_path: Path, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        write_excel_report(result, tmp_path / "r.xlsx", **kwargs)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SUPARNO BIN KARTO", "S. B. K."),
        ("moch.  ali", "M. A."),
        ("TUKIYEM", "T."),
        (FORMULA_NAME, "H. H. X. K."),
        (None, None),
    ],
)
def test_initials(name: str | None, expected: str | None) -> None:
    frame = pl.DataFrame({"n": [name]}, schema={"n": pl.Utf8})
    assert frame.select(initials("n")).item() == expected


@pytest.mark.parametrize(
    ("text", "nik", "names", "expected"),
    [
        ("Kepala Desa 3304031508950001", True, False, "Kepala Desa 3304********0001"),
        ("Kepala Desa 3304031508950001", False, True, "K. D. 3304031508950001"),
        ("JUMLAH 92 KK", True, False, "JUMLAH 92 KK"),
    ],
)
def test_mask_free_text(text: str, nik: bool, names: bool, expected: str) -> None:
    frame = pl.DataFrame({"t": [text]})
    assert frame.select(mask_free_text("t", nik=nik, names=names)).item() == expected


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"rt": [3], "rw": [5]}, "003/005"),
        ({"rt": [None], "rw": [12]}, "-/012"),
        ({"rt_raw": ["1"], "rw_raw": ["2"]}, "001/002"),
        ({"rt": [None], "rw": [None]}, None),
        ({}, None),
    ],
)
def test_rt_rw(columns: dict[str, list[Any]], expected: str | None) -> None:
    frame = pl.DataFrame(
        {"x": [1], **columns}, schema_overrides={k: pl.Int32 for k in ("rt", "rw") if k in columns}
    )
    assert frame.select(rt_rw_of(frame)).item() == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (pl.Series("d", ["1970-01-02"]), dt.date(1970, 1, 2)),
        (pl.Series("d", ["02/01/1970"]), None),
        (pl.Series("d", [dt.datetime(1970, 1, 2, 0, 0)]), dt.date(1970, 1, 2)),
        (pl.Series("d", [7]), None),
    ],
)
def test_date_of(values: pl.Series, expected: dt.date | None) -> None:
    frame = values.to_frame()
    assert frame.select(date_of(frame, "d")).item() == expected
    assert frame.select(date_of(frame, "absent")).item() is None


def test_cell_writers_fall_back_to_the_public_ones() -> None:
    from verval_cli.writers.excel_style import _cell_writer

    class Public:
        def __init__(self) -> None:
            self.calls: list[tuple[int, int, str]] = []

        def write_string(self, row: int, col: int, value: str, fmt: Any = None) -> None:
            self.calls.append((row, col, value))

    class Both(Public):
        def _write_string(self, row: int, col: int, value: str, fmt: Any = None) -> None:
            self.calls.append((row, col, "direct:" + value))

    older = Public()
    _cell_writer(older, "string")(1, 2, "x")  # type: ignore[arg-type]
    current = Both()
    _cell_writer(current, "string")(1, 2, "x")  # type: ignore[arg-type]
    assert older.calls == [(1, 2, "x")]
    assert current.calls == [(1, 2, "direct:x")]
