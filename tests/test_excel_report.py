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

from verval_cli.codes import CODES, Code
from verval_cli.findings import FINDING_SCHEMA
from verval_cli.result import MATCH_COLUMNS, ReconcileResult
from verval_cli.writers.excel_report import write_excel_report
from verval_cli.writers.excel_style import date_of, initials, mask_free_text, rt_rw_of

DESA_A = "3304032004"  # reported
DESA_B = "3304032005"  # silent: sent nothing
DESA_C = "3304012001"  # another kecamatan
FORMULA_NAME = '=HYPERLINK("http://x","klik")'

NIK = {
    "p0": "3304031508950001",
    "p1": "3304035506880002",
    "p2": "3304030101700003",
    "p3": "3304034402650004",
    "p4": "3304031212600005",
    "p5": "3304032303550006",
    "s0": "3304031508950009",
    "s3": "3304031111110007",
}


def _province() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "province_index": [0, 1, 2, 3, 4, 5],
            "household_id": [f"P3KE-{i:04d}" for i in range(6)],
            "source_row": [14, 15, 16, 17, 18, 19],
            "nik": [NIK[f"p{i}"] for i in range(6)],
            "nik_raw": [NIK[f"p{i}"] for i in range(6)],
            "name": ["SOEPARNO BIN KARTO", "TUKIYEM", "SUPARNO", "SITI AMINAH", "KARSO", "WAGINEM"],
            "name_raw": ["SOEPARNO BIN KARTO", "TUKIYEM", "SUPARNO", "SITI AMINAH", "KARSO", "WAGINEM"],
            "birth_date": [dt.date(1995, 8, 15), None, dt.date(1970, 1, 1), None, None, None],
            "rt": pl.Series([1, 2, 3, 1, 4, 5], dtype=pl.Int32),
            "rw": pl.Series([1, 1, 2, 1, 3, 3], dtype=pl.Int32),
            "address": ["Dusun Krajan", None, None, None, "Dusun Kidul", "Dusun Kidul"],
            "desa_code": [DESA_A, DESA_A, DESA_A, DESA_C, DESA_B, DESA_B],
        }
    )


def _submissions() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "submission_index": [0, 1, 2, 3, 4, 5],
            "source_file": ["kebanaran.xlsx"] * 4 + ["kebanaran.xlsx", "lain.csv"],
            "source_sheet": ["Sheet1", "Sheet1", "Sheet1", "USULAN BARU", "Sheet1", None],
            "source_row": [5, 6, 7, 3, 9, 2],
            "nik": [NIK["s0"], NIK["p1"], NIK["p2"], NIK["s3"], "12345", NIK["p3"]],
            "nik_raw": [NIK["s0"], NIK["p1"], NIK["p2"], NIK["s3"], "12345", NIK["p3"]],
            "name": ["SUPARNO BIN KARTO", "TUKIYEM", "SUPARNA", FORMULA_NAME, "-BUDI", "SITI AMINAH"],
            "name_raw": ["SUPARNO BIN KARTO", "TUKIYEM", "SUPARNA", FORMULA_NAME, "-BUDI", "SITI AMINAH"],
            "birth_date": [None, None, dt.date(1970, 1, 2), None, None, None],
            "rt": pl.Series([1, 2, 3, None, 7, 1], dtype=pl.Int32),
            "rw": pl.Series([1, 1, 2, None, 1, 1], dtype=pl.Int32),
            "status": ["found", "found", "found", "new", "found", "unknown"],
            "status_raw": ["Ditemukan", "Ada", "Sesuai", "Usulan Baru", "Ada", "??"],
            "desa_code": [DESA_A, DESA_A, DESA_A, DESA_A, DESA_A, DESA_C],
        }
    )


def _match(sub: int | None, prov: int | None, status: str, **extra: Any) -> dict[str, Any]:
    subs, provs = _submissions(), _province()
    row: dict[str, Any] = dict.fromkeys(MATCH_COLUMNS)
    row.update(match_status=status, match_method="none", match_score=0.0, discrepancies=[])
    if sub is not None:
        s = subs.row(sub, named=True)
        row.update(
            submission_file=s["source_file"],
            submission_sheet=s["source_sheet"],
            submission_row=s["source_row"],
            submission_index=sub,
            status=s["status"],
            desa_code=s["desa_code"],
            link_role="primary" if prov is not None else None,
        )
    if prov is not None:
        p = provs.row(prov, named=True)
        row.update(
            province_id=p["household_id"],
            province_row=p["source_row"],
            province_index=prov,
            desa_code=p["desa_code"],
        )
    row.update(extra)
    return row


def _matches() -> pl.DataFrame:
    rows = [
        _match(0, 0, "matched", match_score=0.97),
        _match(1, 1, "matched", match_score=1.0),
        _match(2, 2, "review", match_score=0.71, match_evidence="nik=exact name=0.80 dob=differs"),
        _match(3, None, "submission_only"),
        _match(4, None, "submission_only"),
        _match(5, 3, "matched", match_score=1.0),
        _match(None, 4, "province_only"),
        _match(None, 5, "province_only"),
    ]
    return pl.DataFrame(rows, schema=MATCH_COLUMNS, orient="row")


def _finding(code: Code, sub: int | None, prov: int | None, **values: str | None) -> dict[str, Any]:
    base = _match(sub, prov, "x")
    info = CODES[code]
    return {
        "code": code.value,
        "severity": info.severity.value,
        "submission_file": base["submission_file"],
        "submission_sheet": base["submission_sheet"],
        "submission_row": base["submission_row"],
        "province_id": base["province_id"],
        "province_row": base["province_row"],
        "desa_code": base["desa_code"],
        "field": values.get("field"),
        "submitted_value": values.get("submitted"),
        "list_value": values.get("listed"),
        "suggested_value": values.get("suggested"),
        "message_id": info.message_id,
        "message_en": info.message_en,
    }


def _findings() -> pl.DataFrame:
    rows = [
        _finding(
            Code.NIK_DIFFERS, 0, 0, field="nik", submitted=NIK["s0"], listed=NIK["p0"], suggested=NIK["p0"]
        ),
        _finding(
            Code.NAME_DIFFERS, 0, 0, field="name", submitted="SUPARNO BIN KARTO", listed="SOEPARNO BIN KARTO"
        ),
        _finding(Code.REVIEW_NEEDED, 2, 2, listed="nik=exact name=0.80"),
        _finding(Code.NEW_HOUSEHOLD, 3, None),
        _finding(Code.NIK_INVALID, 4, None, field="nik", submitted="12345"),
        _finding(Code.NOT_ON_LIST, 4, None),
        _finding(Code.STATUS_UNKNOWN, 5, 3, field="status", submitted="??"),
        _finding(Code.MISSING_FROM_SUBMISSION, None, 4, listed="KARSO"),
        _finding(Code.MISSING_FROM_SUBMISSION, None, 5, listed="WAGINEM"),
    ]
    return pl.DataFrame(rows, schema=FINDING_SCHEMA, orient="row")


def _rejected() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source_file": ["kebanaran.xlsx", "kebanaran.xlsx"],
            "source_sheet": ["Sheet1", "Sheet1"],
            "source_row": [1, 12],
            "reason": ["title", "signature"],
            "content": ["HASIL VERVAL DESA KEBANARAN", "Kepala Desa SUPARNO 3304031508950001"],
        }
    )


def _desa(code: str, kec: str, name: str, **counts: int) -> dict[str, Any]:
    row: dict[str, Any] = {"desa_code": code, "kecamatan_code": code[:6], "kecamatan": kec, "desa": name}
    row.update({k: counts.get(k, 0) for k in ("listed", "submitted", "matched", "review", "not_reported")})
    row.update(new=counts.get("new", 0), not_on_list=counts.get("not_on_list", 0))
    row["silent"] = row["submitted"] == 0
    return row


def _summary() -> dict[str, Any]:
    desa = [
        _desa(DESA_C, "Bawang", "Mantrianom", listed=1, submitted=1, matched=1),
        _desa(
            DESA_A, "Mandiraja", "Kebanaran", listed=3, submitted=5, matched=2, review=1, new=1, not_on_list=1
        ),
        _desa(DESA_B, "Mandiraja", "Glempang", listed=2, not_reported=2),
    ]
    kecamatan = [
        {"kecamatan_code": "330401", "kecamatan": "Bawang", "listed": 1, "submitted": 1, "matched": 1},
        {
            "kecamatan_code": "330403",
            "kecamatan": "Mandiraja",
            "listed": 5,
            "submitted": 5,
            "matched": 2,
            "review": 1,
            "not_reported": 2,
            "new": 1,
            "not_on_list": 1,
            "silent_villages": 1,
        },
    ]
    balance = {
        "submission_rows_loaded": 6,
        "submission_rows_in_matches": 6,
        "rows_rejected": 2,
        "province_households": 6,
        "province_households_linked": 4,
        "province_households_not_reported": 2,
        "files_failed": 0,
        "balanced": True,
    }
    return {"regency": "3304", "regency_name": "Kabupaten Banjarnegara", "kecamatan": kecamatan, "desa": desa,
            "balance": balance}  # fmt: skip


def synthetic_result() -> ReconcileResult:
    """A small reconcile result with every sheet's rows (also used by tests/test_excel_parallel.py)."""
    return ReconcileResult(
        matches=_matches(),
        province=_province(),
        submissions=_submissions(),
        discrepancies=_findings(),
        rejected=_rejected(),
        summary=_summary(),
    )


@pytest.fixture(scope="module")
def result() -> ReconcileResult:
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
        ("Perbedaan", 2),  # the unknown status of a matched row is listed under Baris Tidak Valid
        ("Perlu Diperiksa", 1),
        ("Tidak Dilaporkan", 2),
        ("Usulan Baru", 2),
        ("Baris Tidak Valid", 4),
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
        ("Perbedaan", "ID keluarga provinsi", "P3KE-0000"),
        ("Perbedaan", "Nilai dari desa", NIK["s0"]),
        ("Perbedaan", "Nilai yang disarankan", NIK["p0"]),
        ("Perlu Diperiksa", "NIK (desa)", NIK["p2"]),
        ("Perlu Diperiksa", "NIK (provinsi)", NIK["p2"]),
        ("Tidak Dilaporkan", "NIK", NIK["p4"]),
        ("Usulan Baru", "NIK", NIK["s3"]),
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
    assert (first.value, second.value) == ("Glempang", "Mantrianom")  # silent village first
    assert first.fill.fgColor.rgb.endswith("FFE699")
    assert ws.cell(desa_header + 1, 3).number_format == "@"
    totals = desa_header + 4
    assert ws.cell(totals, 1).value == "JUMLAH"
    assert ws.cell(totals, 5).value == 6  # listed
    assert ws.cell(totals, 12).value == pytest.approx(4 / 6)  # (matched + review) / listed
    assert ws.auto_filter.ref == f"A{desa_header}:L{totals - 1}"


def test_messages_follow_language(result: ReconcileResult, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write_excel_report(result, tmp_path / "r.xlsx", lang="en"))["Discrepancies"]
    messages = [c.value for c in ws["L"][1:]]
    assert messages == [CODES[Code.NIK_DIFFERS].message_en, CODES[Code.NAME_DIFFERS].message_en]
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
    assert NIK["p0"] in texts  # names only: NIKs stay
    # SUPARNA vs SUPARNO: both mask to "S.", yet the difference stays highlighted.
    cell = openpyxl.load_workbook(path)["Perlu Diperiksa"]["F2"]
    assert cell.value == "S."
    assert cell.fill.fgColor.rgb.endswith("F8CBAD")


@pytest.mark.parametrize(("limit", "expected"), [(1, 2), (2, 1)])
def test_row_limit_splits_sheets(result: ReconcileResult, tmp_path: Path, limit: int, expected: int) -> None:
    wb = openpyxl.load_workbook(write_excel_report(result, tmp_path / "r.xlsx", max_rows_per_sheet=limit))
    parts = [n for n in wb.sheetnames if n.startswith("Perbedaan")]
    assert parts == ["Perbedaan"] + [f"Perbedaan ({i})" for i in range(2, expected + 1)]
    assert sum(wb[n].max_row - 1 for n in parts) == 2
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
