"""Every ``verval validate`` code, produced by one real validate run over a batch built to hold each.

test_validate.py checks the broken corpus cell by cell; this batch adds the file- and sheet-level
cases beside it, so that a single run must produce every code of ``VCode``, each with its own severity
and messages, on the row and column it belongs to.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from io_files import rows_at, write_xlsx
from validate_corpus import (
    GUMELEM,
    HEADER,
    KEBANARAN,
    OUTSIDE,
    SHARED_NIK,
    good,
    nik,
    write_broken,
    write_clean,
    write_csv,
)

from verval_cli.config import Config
from verval_cli.validate import VCODES, ValidationReport, VCode, validate_paths


def _province(folder: Path) -> Path:
    header = ["id_keluarga_p3ke", "kode_kemdagri", "kepala_keluarga", "nik"]
    rows = [
        ["P001", KEBANARAN, "KEPALA SATU", nik(1)],
        ["P002", KEBANARAN, "KEPALA DUA", nik(2)],
        ["P003", GUMELEM, "KEPALA TIGA", nik(3)],
    ]
    (folder / "list").mkdir(exist_ok=True)
    return write_xlsx(folder / "list" / "daftar_sasaran.xlsx", {"Sheet1": rows_at(1, [header, *rows])})


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("every_code")
    files: dict[str, Path] = {}
    files["broken"], _ = write_broken(folder)
    files["csv"] = write_csv(folder, [good(1, NIK=SHARED_NIK), good(2, NIK=nik(500))])
    files["unknown_desa"] = write_clean(folder, "data_final.xlsx", [good(3, NIK=nik(600))])
    files["outside"] = write_clean(folder, f"{OUTSIDE}_tambakreja.xlsx", [good(4, NIK=nik(601))])
    files["unreadable"] = folder / "rusak.xlsx"
    files["unreadable"].write_bytes(b"PK\x03\x04 not really a zip")
    notes = rows_at(1, [[f"catatan {i}", i, "x"] for i in range(20)])
    files["no_header"] = write_xlsx(folder / f"{GUMELEM}_catatan.xlsx", {"Sheet1": notes})
    # A proposals sheet typed without a header: its rows cannot be checked, and the file says so.
    files["extra_sheet"] = write_xlsx(
        folder / f"{GUMELEM}_dua_sheet.xlsx",
        {"Verval": rows_at(1, [HEADER, good(5, NIK=nik(602))]), "USULAN BARU": notes},
    )
    no_status = [h for h in HEADER if h != "HASIL VERVAL"]
    files["no_status"] = write_xlsx(
        folder / f"{GUMELEM}_tanpa_status.xlsx",
        {"Sheet1": rows_at(1, [no_status, good(6, NIK=nik(603))[:-1]])},
    )
    with_id = ["ID KELUARGA", *HEADER]
    files["with_ids"] = write_xlsx(
        folder / f"{KEBANARAN}_dengan_id.xlsx",
        {"Sheet1": rows_at(1, [with_id, ["P001", *good(7, NIK=nik(1))], ["PXXX", *good(8, NIK=nik(3))]])},
    )
    report = validate_paths(
        [str(p) for p in files.values()], Config(regency="33.04"), province=_province(folder)
    )
    return report, files


def test_every_validate_code_is_produced(batch: tuple[ValidationReport, dict[str, Path]]) -> None:
    report, _ = batch
    assert set(report.findings["code"]) == {code.value for code in VCODES}


def test_every_finding_carries_its_code_severity_and_messages(
    batch: tuple[ValidationReport, dict[str, Path]],
) -> None:
    report, _ = batch
    for code, severity, message_id, message_en in (
        report.findings.select("code", "severity", "message_id", "message_en").unique().iter_rows()
    ):
        info = VCODES[VCode(code)]
        assert (severity, message_id, message_en) == (info.severity.value, info.message_id, info.message_en)


@pytest.mark.parametrize(
    ("file", "code", "sheet", "row", "column", "value"),
    [
        ("unreadable", "file_unreadable", None, None, None, None),
        ("no_header", "header_not_found", None, None, None, None),
        ("extra_sheet", "sheet_without_header", "USULAN BARU", None, None, None),
        ("no_status", "column_missing", "Sheet1", None, None, None),
        ("unknown_desa", "desa_unknown", None, None, None, None),
        ("outside", "desa_outside_regency", None, None, None, OUTSIDE),
        ("with_ids", "household_id_not_on_list", "Sheet1", 3, "A", "PXXX"),
        ("with_ids", "row_in_other_village", "Sheet1", 3, "D", nik(3)),
        ("csv", "nik_duplicate_in_batch", None, 2, "C", SHARED_NIK),
    ],
)
def test_file_sheet_and_list_codes_land_where_they_belong(
    batch: tuple[ValidationReport, dict[str, Path]],
    file: str,
    code: str,
    sheet: str | None,
    row: int | None,
    column: str | None,
    value: str | None,
) -> None:
    report, files = batch
    found = report.findings.filter((pl.col("file") == str(files[file])) & (pl.col("code") == code))
    assert found.height == 1, report.findings.filter(pl.col("file") == str(files[file]))
    got = found.row(0, named=True)
    assert (got["sheet"], got["row"], got["column"], got["value"]) == (sheet, row, column, value)


def test_listed_households_absent_from_their_desa(batch: tuple[ValidationReport, dict[str, Path]]) -> None:
    report, _ = batch
    absent = report.findings.filter(pl.col("code") == "listed_household_absent")
    # P002 (Kebanaran) is in no Kebanaran file; P001 is (by id), P003 (Gumelem) is reported by NIK elsewhere.
    assert "P002" in absent["value"].to_list() and "P001" not in absent["value"].to_list()


def test_same_nik_on_the_same_row_of_two_files(tmp_path: Path) -> None:
    """Two CSV files (no sheets) with one NIK on row 2 of each: a duplicate across the batch in both."""
    first = write_csv(tmp_path, [good(1, NIK=nik(700))], name=f"{GUMELEM}_a.csv")
    second = write_csv(tmp_path, [good(1, NIK=nik(700))], name=f"{KEBANARAN}_b.csv")
    report = validate_paths([str(first), str(second)], Config(regency="33.04"))
    found = report.findings.filter(pl.col("code") == "nik_duplicate_in_batch")
    assert sorted(found.select("file", "row").rows()) == sorted([(str(first), 2), (str(second), 2)])


def test_duplicates_in_a_file_without_a_status_column(tmp_path: Path) -> None:
    """Only rows the village marked Ganda are left out of the duplicate check, not rows without a status."""
    header = [h for h in HEADER if h != "HASIL VERVAL"]
    rows = [good(1, NIK=nik(701))[:-1], good(2, NIK=nik(701))[:-1]]
    path = write_xlsx(tmp_path / f"{KEBANARAN}.xlsx", {"Sheet1": rows_at(1, [header, *rows])})
    report = validate_paths([str(path)], Config(regency="33.04"))
    found = report.findings.filter(pl.col("code") == "nik_duplicate_in_file")
    assert found.select("row", "detail").rows() == [(2, "sheet Sheet1 baris 3"), (3, "sheet Sheet1 baris 2")]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("3304033201950007", "nik_impossible_date"),  # day 32 of month 01
        ("3304033212950008", "nik_impossible_date"),  # day 32 of month 12
        ("3304031500950009", "nik_impossible_month"),  # month 00
        ("3304031513950005", "nik_impossible_month"),  # month 13
    ],
)
def test_nik_month_bounds(tmp_path: Path, typed: str, code: str) -> None:
    """Months 01 and 12 exist (a bad day there is an impossible date); 00 and 13 do not."""
    path = write_clean(tmp_path, f"{KEBANARAN}.xlsx", [good(1, NIK=typed)])
    report = validate_paths([str(path)], Config(regency="33.04"))
    nik_codes = report.findings.filter(pl.col("column") == "C")["code"].to_list()
    assert nik_codes == [code]
