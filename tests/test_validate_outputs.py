"""verval validate --annotate / --fix: read the written workbooks back with openpyxl."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from io_files import write_ods
from validate_corpus import BROKEN, FIRST_ROW, GUMELEM, HEADER, SHARED_NIK, good, nik, write_broken, write_csv

from verval_cli.config import Config
from verval_cli.validate import ValidationReport, validate_paths
from verval_cli.writers.annotate import ERROR_FILL, SUMMARY_SHEET, WARNING_FILL, annotate
from verval_cli.writers.upload_ready import REJECTED, TEMPLATE, write_fixed


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("inputs")
    broken, expected = write_broken(folder)
    wb = openpyxl.load_workbook(broken)
    wb["Verval"].column_dimensions["B"].width = 33  # the operator's own layout
    wb.save(broken)
    csv = write_csv(folder, [good(1, NIK=SHARED_NIK), good(2, NIK="3.30403E+15"), good(3, NIK="=1+1")])
    before = {p: _fingerprint(p) for p in (broken, csv)}
    report = validate_paths([str(folder)], Config(regency="33.04"))
    out = tmp_path_factory.mktemp("out")
    annotated = annotate(report, out / "diperiksa")
    fixed = write_fixed(report, out / "siap")
    return {
        "report": report,
        "broken": broken,
        "csv": csv,
        "expected": expected,
        "before": before,
        "annotated": annotated,
        "fixed": fixed,
    }


def _fill(cell: openpyxl.cell.cell.Cell) -> str | None:
    return cell.fill.start_color.rgb if cell.fill.fill_type == "solid" else None


def test_inputs_are_untouched(outputs: dict) -> None:
    for path, fingerprint in outputs["before"].items():
        assert _fingerprint(path) == fingerprint
    names = sorted(p.name for p in outputs["annotated"])
    assert names == ["3304012003_gumelem_diperiksa.xlsx", "3304032004_kebanaran_diperiksa.xlsx"]


def test_annotated_workbook_marks_exactly_the_offending_cells(outputs: dict) -> None:
    report: ValidationReport = outputs["report"]
    path = next(p for p in outputs["annotated"] if "kebanaran" in p.name)
    wb = openpyxl.load_workbook(path)
    ws = wb["Verval"]
    marked = {
        (cell.row, cell.column_letter): (_fill(cell), cell.comment.text)
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    }
    findings = report.findings.filter(pl.col("file") == str(outputs["broken"]))
    expected_cells = {(r, c) for r, c in findings.select("row", "column").iter_rows()}
    assert set(marked) == expected_cells
    assert marked[(FIRST_ROW + 1, "C")] == (ERROR_FILL.start_color.rgb, "• NIK kosong.")
    sex_fill, sex_note = marked[(FIRST_ROW + 10, "E")]
    assert sex_fill == WARNING_FILL.start_color.rgb and "Jenis kelamin tidak sesuai" in sex_note
    assert "(menurut NIK: P)" in sex_note
    # the shared-NIK cell carries only a warning: yellow, naming the other file
    fill, note = marked[(FIRST_ROW, "C")]
    assert fill == WARNING_FILL.start_color.rgb and "gumelem.csv baris 2" in note
    assert _fill(ws[f"B{FIRST_ROW}"]) is None
    # layout kept: title, merge, column width
    assert ws["A1"].value == "HASIL VERIFIKASI DAN VALIDASI P3KE"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.column_dimensions["B"].width == 33
    summary = wb[SUMMARY_SHEET]
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert len(rows) == findings.height == len(outputs["expected"]) + 1
    assert wb.active.title == SUMMARY_SHEET


def test_csv_input_gets_an_xlsx_copy_at_the_same_rows(outputs: dict) -> None:
    path = next(p for p in outputs["annotated"] if "gumelem" in p.name)
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    assert [c.value for c in ws[1]][:3] == ["NO", "NAMA KK", "NIK"]
    assert ws["C3"].value == "3.30403E+15" and _fill(ws["C3"]) == ERROR_FILL.start_color.rgb
    assert ws["C4"].value == "=1+1" and ws["C4"].data_type == "s"  # text, never a formula
    assert ws["C2"].comment is not None and _fill(ws["C2"]) == WARNING_FILL.start_color.rgb
    summary = list(wb[SUMMARY_SHEET].iter_rows(min_row=2, values_only=True))
    assert [r[4] for r in summary] == ["nik_duplicate_in_batch", "nik_scientific", "nik_non_digit"]
    assert summary[2][7] == "'=1+1"  # inert


def test_fix_writes_the_template_with_text_ids_and_canonical_labels(outputs: dict) -> None:
    ready = next(p for p in outputs["fixed"] if p.name == "3304032004_kebanaran_siap_unggah.xlsx")
    ws = openpyxl.load_workbook(ready).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == TEMPLATE
    # passing rows: the good row, rows with warnings only, and the good row after the blank row
    warning_only = [
        i
        for i, (_, found) in enumerate(BROKEN)
        if found and found[0][0] in ("nik_sex_mismatch", "nik_birth_date_mismatch", "sex_unknown")
    ]
    assert len(rows) - 1 == 1 + len(warning_only) + 1
    first = dict(zip(TEMPLATE, rows[1], strict=True))
    assert first["NIK"] == SHARED_NIK and ws["C2"].data_type == "s"
    assert first["NO_KK"] == "3304030101101000" and ws["D2"].data_type == "s"
    assert first["STATUS_VERVAL"] == "Ditemukan" and first["TANGGAL_LAHIR"] == "15-08-1995"
    assert first["KODE_DESA"] == "3304032004" and first["DESA"] == "Kebanaran"
    assert (first["RT"], first["RW"]) == (1, 2)
    assert [r[2] for r in rows[1:]].count(nik(7, day=55)) == 1


def test_fix_lists_rejected_rows_with_their_codes(outputs: dict) -> None:
    rejected = next(p for p in outputs["fixed"] if p.name == "3304032004_kebanaran_ditolak.xlsx")
    rows = list(openpyxl.load_workbook(rejected).active.iter_rows(values_only=True))
    assert rows[0] == REJECTED
    by_row = {r[1]: r for r in rows[1:]}
    assert by_row[FIRST_ROW + 5][5] == "nik_scientific"
    assert by_row[FIRST_ROW + 12][5] == "nik_duplicate_in_file"
    assert FIRST_ROW not in by_row
    csv_rejected = next(p for p in outputs["fixed"] if p.name == "3304012003_gumelem_ditolak.xlsx")
    csv_rows = list(openpyxl.load_workbook(csv_rejected).active.iter_rows(values_only=True))
    assert [r[2] for r in csv_rows[1:]] == ["3.30403E+15", "'=1+1"]


def test_outputs_never_overwrite_an_input(tmp_path: Path) -> None:
    path, _ = write_broken(tmp_path)
    twin = tmp_path / f"{path.stem}_diperiksa.xlsx"
    twin.write_bytes(path.read_bytes())
    before = twin.read_bytes()
    report = validate_paths([str(tmp_path)], Config(regency="33.04"))
    annotate(report, tmp_path)  # the file's trouble is recorded; the batch goes on
    assert twin.read_bytes() == before
    assert any("would overwrite an input file" in f.reason for f in report.write_failures)
    assert report.exit_code() == 2


def test_xlsm_keeps_its_extension_and_ods_is_rebuilt(tmp_path: Path) -> None:
    source, _ = write_broken(tmp_path)
    xlsm = source.with_suffix(".xlsm")
    source.rename(xlsm)
    ods = write_ods(tmp_path / f"{GUMELEM}_gumelem.ods", {"RW 01": [HEADER, None, good(1, NIK=None)]})
    report = validate_paths([str(xlsm), str(ods)], Config(regency="33.04"))
    written = annotate(report, tmp_path / "out")
    assert [p.name for p in written] == [f"{xlsm.stem}_diperiksa.xlsm", "3304012003_gumelem_diperiksa.xlsx"]
    ws = openpyxl.load_workbook(written[1])["RW 01"]
    assert ws["C3"].comment is not None and ws["B3"].value == good(1)[1]
    assert ws["A2"].value is None  # the blank row stays blank: row numbers match the original
