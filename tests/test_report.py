"""`verval report`: loading an output folder, progress counts, village workbooks, the HTML page (synthetic data)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from builders import (
    BERTA,
    FORMULA_NAME,
    GLEMPANG,
    KEBANARAN,
    P_NAME,
    P_NIK,
    SALAMERTA,
    synthetic_result,
)

from verval_cli.errors import InputFileError
from verval_cli.result import ReconcileResult
from verval_cli.writers.outputs import write_parquet
from verval_cli.writers.report import (
    desa_file_name,
    desa_progress,
    load_result,
    progress_page,
    progress_totals,
    render_reports,
    write_desa_workbooks,
)
from verval_cli.writers.report.progress import angka, persen, tanggal


# --- load ---------------------------------------------------------------------------------------------------
def test_load_result_round_trip(synthetic: ReconcileResult, output_folder: Path) -> None:
    result = synthetic
    loaded = load_result(output_folder)
    assert loaded.matches.equals(result.matches)
    assert loaded.submissions.equals(result.submissions)
    assert loaded.summary["desa"] == result.summary["desa"]
    assert loaded.summary["balance"]["balanced"] is True
    assert [f.path for f in loaded.failures] == ["x/<img onerror=1>.xlsx"]


@pytest.mark.parametrize(
    ("damage", "needle"),
    [
        ("no_folder", "no such folder"),
        ("no_summary", "missing summary.json"),
        ("no_matches", "missing matches.parquet"),
        ("corrupt_parquet", "cannot read Parquet"),
        ("corrupt_json", "cannot read summary"),
        ("wrong_columns", "columns missing"),
    ],
)
def test_load_result_refuses_other_folders(
    output_folder: Path, tmp_path: Path, damage: str, needle: str
) -> None:
    folder = output_folder
    if damage == "no_folder":
        folder = tmp_path / "nothing"
    elif damage == "no_summary":
        (folder / "summary.json").unlink()
    elif damage == "no_matches":
        (folder / "matches.parquet").unlink()
    elif damage == "corrupt_parquet":
        (folder / "province.parquet").write_bytes(b"not parquet")
    elif damage == "corrupt_json":
        (folder / "summary.json").write_text("{", encoding="utf-8")
    elif damage == "wrong_columns":
        write_parquet(pl.DataFrame({"a": [1]}), folder / "matches.parquet")
    with pytest.raises(InputFileError, match=needle):
        load_result(folder)


# --- progress -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            KEBANARAN,
            {"listed": 4, "reported": 5, "matched": 2, "review": 1, "not_reported": 1, "open": 2, "new": 1},
        ),
        (
            GLEMPANG,
            {"listed": 2, "reported": 0, "matched": 0, "review": 0, "not_reported": 2, "open": 2, "new": 0},
        ),
        (
            BERTA,
            {"listed": 1, "reported": 1, "matched": 1, "review": 0, "not_reported": 0, "open": 0, "new": 0},
        ),
        (
            SALAMERTA,
            {"listed": 2, "reported": 3, "matched": 1, "review": 1, "not_reported": 0, "open": 1, "new": 0},
        ),
    ],
)
def test_desa_progress_counts_households(code: str, expected: dict[str, int]) -> None:
    row = desa_progress(synthetic_result()).filter(pl.col("desa_code") == code).to_dicts()[0]
    assert {k: row[k] for k in expected} == expected
    assert row["listed"] == row["matched"] + row["review"] + row["not_reported"]
    assert row["silent"] is (code == GLEMPANG)


def test_desa_progress_lists_silent_villages_first_and_totals() -> None:
    desa = desa_progress(synthetic_result())
    assert desa["desa_code"].to_list() == [GLEMPANG, BERTA, KEBANARAN, SALAMERTA]
    totals = progress_totals(desa)
    assert totals == {
        "listed": 9,
        "reported": 9,
        "matched": 4,
        "review": 2,
        "not_reported": 3,
        "open": 5,
        "new": 1,
        "not_on_list": 1,
        "villages": 4,
        "silent_villages": 1,
    }


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: tanggal(dt.date(2023, 2, 8)), "8 Februari 2023"),
        (lambda: tanggal(dt.date(2023, 2, 10), weekday=True), "Jumat, 10 Februari 2023"),
        (lambda: tanggal(dt.date(2024, 12, 1), weekday=True), "Minggu, 1 Desember 2024"),
        (lambda: angka(1234567), "1.234.567"),
        (lambda: angka(12), "12"),
        (lambda: persen(999, 1000), "99%"),
        (lambda: persen(5, 5), "100%"),
        (lambda: persen(0, 0), "-"),
    ],
)
def test_indonesian_formats(call: Any, expected: str) -> None:
    assert call() == expected


# --- village workbooks -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    result = synthetic_result()
    out: dict[str, dict[str, Path]] = {}
    for label, nik, names in (("plain", False, False), ("masked", True, True)):
        folder = tmp_path_factory.mktemp(label)
        paths = write_desa_workbooks(
            result,
            folder,
            deadline=dt.date(2023, 2, 10),
            mask_nik=nik,
            mask_names=names,
            today=dt.date(2023, 2, 6),
        )
        out[label] = {p.name: p for p in paths}
    return out


def _cells(path: Path) -> list[Any]:
    book = openpyxl.load_workbook(path)
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _table(path: Path, sheet: str) -> list[dict[str, Any]]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


KEB_FILE, GLE_FILE, BER_FILE, SAL_FILE = (
    "3304032004_Kebanaran.xlsx",
    "3304032005_Glempang.xlsx",
    "3304012001_Berta.xlsx",
    "3304032006_Salamerta.xlsx",
)


@pytest.mark.parametrize(
    ("file", "sheets"),
    [
        (
            KEB_FILE,
            {
                "Petunjuk": None,
                "Belum Dilaporkan": 1,
                "Perlu Diperiksa": 1,
                "NIK Bermasalah": 1,
                "Data Ganda": 1,
                "Status Tidak Dikenal": 1,
                "Usulan Baru": 1,
                "Perbedaan Data": 1,
            },
        ),
        (GLE_FILE, {"Petunjuk": None, "Belum Dilaporkan": 2}),
        (BER_FILE, {"Konfirmasi": None}),
        (
            SAL_FILE,
            {
                "Petunjuk": None,
                "Perlu Diperiksa": 1,
                "NIK Bermasalah": 2,
                "Usulan Baru": 1,
                "Perbedaan Data": 1,
            },
        ),
    ],
)
def test_village_workbook_sheets_and_counts(
    workbooks: dict[str, dict[str, Path]], file: str, sheets: dict[str, int | None]
) -> None:
    assert sorted(workbooks["plain"]) == sorted([KEB_FILE, GLE_FILE, BER_FILE, SAL_FILE])
    path = workbooks["plain"][file]
    assert openpyxl.load_workbook(path).sheetnames == list(sheets)
    for sheet, count in sheets.items():
        if count is not None:
            assert len(_table(path, sheet)) == count, sheet


def test_rows_name_the_village_file_sheet_and_row(workbooks: dict[str, dict[str, Path]]) -> None:
    path = workbooks["plain"][KEB_FILE]
    (nik,) = _table(path, "NIK Bermasalah")
    assert (nik["File"], nik["Sheet"], nik["Baris"]) == ("kebanaran.xlsx", "Sheet1", 5)
    assert (nik["NIK tertulis"], nik["NIK yang disarankan"]) == ("3.30403E+15", P_NIK[0])
    (review,) = _table(path, "Perlu Diperiksa")
    assert (review["NIK (desa)"], review["NIK (provinsi)"], review["Baris daftar provinsi"]) == (
        P_NIK[1],
        P_NIK[1],
        15,
    )
    (dup,) = _table(path, "Data Ganda")
    assert (dup["Baris"], dup["Sama dengan"]) == (9, "baris 8")
    (new,) = _table(path, "Usulan Baru")
    assert (new["Sheet"], new["Baris"], new["Ditandai usulan baru"]) == ("USULAN BARU", 3, "ya")
    assert "No KK" in new["Data yang perlu dilengkapi"]
    (unreported,) = _table(path, "Belum Dilaporkan")
    assert (unreported["ID keluarga"], unreported["Baris daftar provinsi"]) == ("P3KE-0002", 16)


def test_nik_cells_are_text_with_text_format(workbooks: dict[str, dict[str, Path]]) -> None:
    ws = openpyxl.load_workbook(workbooks["plain"][KEB_FILE])["Belum Dilaporkan"]
    header = [c.value for c in ws[1]]
    for column in ("NIK", "No KK", "ID keluarga"):
        cell = ws.cell(row=2, column=header.index(column) + 1)
        assert cell.data_type == "s" and cell.number_format == "@", column
    assert ws.cell(row=2, column=header.index("NIK") + 1).value == P_NIK[2]
    assert ws.data_validations.dataValidation, "the status column offers a drop-down"


def test_formula_text_stays_text(workbooks: dict[str, dict[str, Path]]) -> None:
    cells = _cells(workbooks["plain"][KEB_FILE])
    formula = [c for c in cells if c.value == FORMULA_NAME]
    assert formula and all(c.data_type == "s" for c in formula)


def test_masked_workbooks_show_no_nik_or_name(workbooks: dict[str, dict[str, Path]]) -> None:
    seen_masked = 0
    for path in workbooks["masked"].values():
        for cell in _cells(path):
            text = str(cell.value)
            assert not re.search(r"\d{16}", text), (path.name, text)
            assert not any(
                name in text for name in ("SOEPARNO", "SUPARN", "TUKIYEM", "KARSO", "SUGIYEM", "KASMIR")
            ), text
            seen_masked += bool(re.fullmatch(r"3304\*{8}\d{4}", text))
    assert seen_masked >= 5
    (row,) = _table(workbooks["masked"][KEB_FILE], "Perlu Diperiksa")
    assert (row["NIK (desa)"], row["Nama (desa)"]) == ("3304********0001", "T.")


@pytest.mark.parametrize(
    ("file", "sheet", "phrases"),
    [
        (KEB_FILE, "Petunjuk", ["Desa Kebanaran", "Jumat, 10 Februari 2023", "Dibuat: 6 Februari 2023"]),
        (GLE_FILE, "Petunjuk", ["belum mengirim hasil verval sama sekali", "semua 2 keluarga"]),
        (BER_FILE, "Konfirmasi", ["Terima kasih", "Tidak ada yang perlu diperbaiki"]),
    ],
)
def test_cover_says_what_to_do_and_by_when(
    workbooks: dict[str, dict[str, Path]], file: str, sheet: str, phrases: list[str]
) -> None:
    ws = openpyxl.load_workbook(workbooks["plain"][file])[sheet]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for phrase in phrases:
        assert phrase in text


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("3304032004", "Kebanaran", "3304032004_Kebanaran.xlsx"),
        ("3304012003", "Gumelem Wetan", "3304012003_Gumelem_Wetan.xlsx"),
        ("3304012003", "../x", "3304012003_x.xlsx"),
        ("3304012003", None, "3304012003.xlsx"),
        (None, None, "tanpa_kode_desa.xlsx"),
    ],
)
def test_desa_file_name(code: str | None, name: str | None, expected: str) -> None:
    assert desa_file_name(code, name) == expected


# --- HTML page and the whole command -----------------------------------------------------------------------
def test_progress_page_is_self_contained_and_impersonal() -> None:
    page = progress_page(synthetic_result(), today=dt.date(2023, 2, 6))
    for forbidden in ("http", "<script", "<link", "src=", "url("):
        assert forbidden not in page.lower(), forbidden
    assert not re.search(r"\d{16}", page)
    assert not any(name in page for name in P_NAME)
    assert "<h1>Progres Verval Data Kemiskinan Ekstrem — Kabupaten Banjarnegara</h1>" in page
    assert 'id="total-listed">9<' in page and 'id="total-open">5<' in page
    assert 'id="total-silent">1<' in page
    desa_rows = re.findall(
        r'<tr( class="silent")?><td>[^<]*</td><td>([^<]+)</td>', page.split('id="desa"')[1]
    )
    assert [name for _, name in desa_rows] == ["Glempang", "Berta", "Kebanaran", "Salamerta"]
    assert desa_rows[0][0] and not desa_rows[1][0]
    assert "&lt;img onerror=1&gt;.xlsx" in page


def test_render_reports_rewrites_everything(output_folder: Path, tmp_path: Path) -> None:
    folder = output_folder
    written = render_reports(
        folder, per_desa_dir=tmp_path / "desa", deadline=dt.date(2023, 2, 10), mask_nik=True, mask_names=True
    )
    names = [p.name for p in written]
    assert names[:2] == ["laporan_verval.xlsx", "ringkasan.html"]
    assert sorted(names[2:]) == sorted([KEB_FILE, GLE_FILE, BER_FILE, SAL_FILE])
    main = openpyxl.load_workbook(folder / "laporan_verval.xlsx")
    assert "Ringkasan" in main.sheetnames
    main_text = " ".join(str(c.value) for ws in main.worksheets for row in ws.iter_rows() for c in row)
    assert P_NIK[2] not in main_text and "3304********0002" in main_text


@pytest.mark.slow
def test_render_reports_from_sample_data(tmp_path: Path) -> None:
    from verval_cli.reconcile import reconcile
    from verval_cli.writers.reconcile_outputs import write_reconcile_outputs

    root = Path(__file__).resolve().parents[1] / "sample_data"
    result = reconcile(root / "province", [root / "submissions"])
    write_reconcile_outputs(result, tmp_path / "out")
    written = render_reports(tmp_path / "out", per_desa_dir=tmp_path / "desa", mask_nik=True)
    villages = [p for p in written if p.parent == tmp_path / "desa"]
    desa = desa_progress(load_result(tmp_path / "out"))
    assert len(villages) == desa.height
    silent = desa.filter(pl.col("silent"))
    assert silent.height >= 1
    code = silent["desa_code"][0]
    (path,) = [p for p in villages if p.name.startswith(code)]
    assert openpyxl.load_workbook(path).sheetnames == ["Petunjuk", "Belum Dilaporkan"]
    page = (tmp_path / "out" / "ringkasan.html").read_text(encoding="utf-8")
    assert f'id="total-listed">{angka(result.summary["balance"]["province_households"])}<' in page
