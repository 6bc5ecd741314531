"""verval validate: a generated corpus of broken submissions must yield exactly the expected findings."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from io_files import rows_at, write_xlsx
from validate_corpus import (
    AFTER_BLANK,
    FIRST_ROW,
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
from verval_cli.errors import InputFileError
from verval_cli.validate import FINDING_SCHEMA, VCODES, ValidationReport, codes_markdown, validate_paths
from verval_cli.validate.run import ERRORS, OK, UNREADABLE, WARNINGS

CONFIG = Config(regency="33.04")


def _triples(report: ValidationReport, path: Path) -> list[tuple[str, int, str]]:
    rows = report.findings.filter((pl.col("file") == str(path)) & pl.col("row").is_not_null())
    return sorted(rows.select("code", "row", "column").iter_rows())


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path, Path, list]:
    folder = tmp_path_factory.mktemp("batch")
    broken, expected = write_broken(folder)
    csv = write_csv(folder, [good(1, NIK=SHARED_NIK), good(2, NIK=nik(500))])
    return validate_paths([str(folder)], CONFIG), broken, csv, expected


def test_broken_corpus_yields_exactly_the_expected_cells(batch: tuple) -> None:
    report, broken, _, expected = batch
    batch_duplicate = ("nik_duplicate_in_batch", FIRST_ROW, "C")
    assert _triples(report, broken) == sorted([*expected, batch_duplicate])
    assert report.findings.filter((pl.col("file") == str(broken)) & pl.col("row").is_null()).height == 0
    assert AFTER_BLANK not in report.findings["row"].to_list()


def test_findings_carry_header_severity_messages_and_values(batch: tuple) -> None:
    report, broken, _, _ = batch
    assert report.findings.schema == pl.Schema(FINDING_SCHEMA)
    row = report.findings.filter(pl.col("code") == "nik_scientific").row(0, named=True)
    assert row["file"] == str(broken) and row["sheet"] == "Verval" and row["row"] == FIRST_ROW + 5
    assert row["column"] == "C" and row["header"] == "NIK" and row["value"] == "3.30403E+15"
    assert row["severity"] == "error" and row["message_id"].startswith("NIK tertulis sebagai notasi ilmiah")
    assert "scientific notation" in row["message_en"]
    sex = report.findings.filter(pl.col("code") == "nik_sex_mismatch").row(0, named=True)
    assert sex["severity"] == "warning" and sex["value"] == "L" and sex["detail"] == "menurut NIK: P"


def test_duplicates_name_the_other_row_and_file(batch: tuple) -> None:
    report, broken, csv, _ = batch
    in_file = report.findings.filter(pl.col("code") == "nik_duplicate_in_file")
    assert in_file["detail"].to_list() == [
        f"sheet Verval baris {FIRST_ROW + 13}",
        f"sheet Verval baris {FIRST_ROW + 12}",
    ]
    across = report.findings.filter(pl.col("code") == "nik_duplicate_in_batch")
    assert sorted(across.select("file", "row", "column").iter_rows()) == sorted(
        [(str(broken), FIRST_ROW, "C"), (str(csv), 2, "C")]
    )
    assert (
        across.filter(pl.col("file") == str(csv))["detail"].item() == f"{broken} [Verval] baris {FIRST_ROW}"
    )
    assert across.filter(pl.col("file") == str(broken))["detail"].item() == f"{csv} baris 2"


def test_file_statuses_and_totals(batch: tuple) -> None:
    report, broken, csv, expected = batch
    status = {f.path: f for f in report.files}
    assert status[str(broken)].status == ERRORS
    assert status[str(broken)].desa_code == KEBANARAN and status[str(broken)].desa_name == "Kebanaran"
    warnings = sum(1 for code, _, _ in expected if VCODES[code].severity == "warning") + 1  # type: ignore[index]
    assert status[str(broken)].warnings == warnings
    assert status[str(csv)].status == WARNINGS and status[str(csv)].rows == 2
    assert report.totals["files"] == 2 and report.exit_code() == 1
    assert report.to_dict()["findings"][0]["file"] == str(csv)  # folder order: 3304012003 first


def _report(folder: Path, *paths: Path | str, **kwargs: object) -> ValidationReport:
    return validate_paths([str(p) for p in paths], kwargs.pop("config", CONFIG), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rows", "strict", "code"),
    [
        ([good(1), good(2)], False, 0),
        ([good(1), good(2, **{"JENIS KELAMIN": "X"})], False, 0),  # a warning only
        ([good(1), good(2, **{"JENIS KELAMIN": "X"})], True, 1),
        ([good(1), good(2, NIK=None)], False, 1),
    ],
)
def test_exit_codes(tmp_path: Path, rows: list, strict: bool, code: int) -> None:
    path = write_clean(tmp_path, f"{KEBANARAN}.xlsx", rows)
    assert _report(tmp_path, path).exit_code(strict) == code


def test_unreadable_inputs_exit_2_and_are_never_skipped(tmp_path: Path) -> None:
    good_file = write_clean(tmp_path, f"{KEBANARAN}.xlsx", [good(1)])
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    report = _report(tmp_path, good_file, broken)
    status = {f.path: f.status for f in report.files}
    assert status == {str(good_file): OK, str(broken): UNREADABLE}
    assert report.exit_code() == 2
    codes = report.findings.filter(pl.col("file") == str(broken))["code"].to_list()
    assert codes == ["file_unreadable"]
    # a path that does not exist is a typo, not a file to report on: the run stops with one line
    with pytest.raises(InputFileError, match=r"tidak_ada\.xlsx: no such file or folder"):
        _report(tmp_path, good_file, tmp_path / "tidak_ada.xlsx")


def test_header_not_found_is_an_error_not_unreadable(tmp_path: Path) -> None:
    cells = rows_at(1, [[f"catatan {i}", i, "x"] for i in range(20)])
    path = write_xlsx(tmp_path / f"{KEBANARAN}_catatan.xlsx", {"Sheet1": cells})
    report = _report(tmp_path, path)
    assert report.findings["code"].to_list() == ["header_not_found"]
    assert report.files[0].status == ERRORS and report.exit_code() == 1


def test_required_columns_are_configurable(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "HASIL VERVAL"]
    path = write_xlsx(tmp_path / f"{KEBANARAN}.xlsx", {"Sheet1": rows_at(1, [header, good(1)[:-1]])})
    report = _report(tmp_path, path)
    missing = report.findings.filter(pl.col("code") == "column_missing").row(0, named=True)
    assert (missing["sheet"], missing["row"], missing["column"], missing["header"]) == (
        "Sheet1",
        None,
        None,
        "status",
    )
    assert "status_missing" not in report.findings["code"].to_list()  # no per-row noise for a missing column
    relaxed = Config(regency="33.04", required=("nik", "name"))
    assert _report(tmp_path, path, config=relaxed).findings.height == 0


def test_desa_unknown_and_outside_regency(tmp_path: Path) -> None:
    unknown = write_clean(tmp_path, "data_final.xlsx", [good(1)])
    outside = write_clean(tmp_path, f"{OUTSIDE}_tambakreja.xlsx", [good(2)])
    report = _report(tmp_path, unknown, outside)
    found = report.findings.select("file", "row", "code").rows()
    assert found == [(str(unknown), None, "desa_unknown"), (str(outside), None, "desa_outside_regency")]


def test_regency_falls_back_to_the_batch_majority(tmp_path: Path) -> None:
    files = [
        write_clean(tmp_path, f"{code}.xlsx", [good(i)])
        for i, code in enumerate([KEBANARAN, GUMELEM, OUTSIDE])
    ]
    report = _report(tmp_path, *files, config=Config())
    assert report.regency == "3304"
    assert report.findings.select("file", "code").rows() == [(str(files[2]), "desa_outside_regency")]


def _province(folder: Path) -> Path:
    header = ["id_keluarga_p3ke", "kode_kemdagri", "kepala_keluarga", "nik"]
    rows = [
        ["P001", KEBANARAN, "KEPALA SATU", nik(1)],
        ["P002", KEBANARAN, "KEPALA DUA", nik(2)],
        ["P003", GUMELEM, "KEPALA TIGA", nik(3)],
        ["P004", GUMELEM, "KEPALA EMPAT", nik(4)],
    ]
    return write_xlsx(folder / "daftar_sasaran.xlsx", {"Sheet1": rows_at(1, [header, *rows])})


def test_province_checks(tmp_path: Path) -> None:
    header = ["ID KELUARGA", *HEADER]
    rows = [
        ["P001", *good(1, NIK=nik(1))],  # on the list, in this desa
        ["PXXX", *good(2, NIK=nik(20))],  # unknown ID
        [None, *good(3, NIK=nik(3))],  # a Gumelem household, found by NIK
        ["P004", *good(4, NIK=nik(40))],  # a Gumelem household, by ID
    ]
    path = write_xlsx(tmp_path / f"{KEBANARAN}.xlsx", {"Sheet1": rows_at(1, [header, *rows])})
    report = _report(tmp_path, path, province=_province(tmp_path), config=Config())
    assert report.regency == "3304"
    found = report.findings.select("row", "column", "code", "value").rows()
    assert found == [
        (None, None, "listed_household_absent", "P002"),
        (3, "A", "household_id_not_on_list", "PXXX"),
        (4, "D", "row_in_other_village", nik(3)),
        (5, "A", "row_in_other_village", "P004"),
    ]
    absent = report.findings.filter(pl.col("code") == "listed_household_absent")["detail"].item()
    assert absent == "KEPALA DUA (daftar provinsi baris 3)"
    assert report.exit_code() == 1


def test_every_code_is_documented_once() -> None:
    table = codes_markdown()
    for code in VCODES:
        assert table.count(f"`{code.value}`") == 1


def test_worker_processes_give_the_same_report(tmp_path: Path) -> None:
    write_broken(tmp_path)
    write_csv(tmp_path, [good(1, NIK=SHARED_NIK)])
    write_clean(tmp_path, "data_final.xlsx", [good(2)])
    alone = validate_paths([str(tmp_path)], CONFIG, workers=1)
    spread = validate_paths([str(tmp_path)], CONFIG, workers=2)
    assert spread.findings.equals(alone.findings) and spread.files == alone.files
    assert [s.path for s in spread.sheets] == [s.path for s in alone.sheets]


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no spreadsheet files"):
        validate_paths([str(tmp_path)], CONFIG)
