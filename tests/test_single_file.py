"""One village file at a time, the way an officer checks it: its regency and desa without configuration,
files without a status column, proposal files, the verdict words of real forms, and own-desa rows.

Village files are built here (openpyxl): synthetic rows, plus households taken from the bundled synthetic
province list so that links exist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner, Result

from verval_cli.cli import app
from verval_cli.io import load_table

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = ROOT / "sample_data" / "province" / "daftar_sasaran_p3ke_3304.xlsx"
BANJARMANGU = "3304092003"  # Desa Banjarmangu, Kec. Banjarmangu, Kab. Banjarnegara
KEBANARAN = "3304032004"  # Desa Kebanaran, Kec. Mandiraja


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result


def book(path: Path, title: list[str], header: list[str], rows: list[list[Any]], sheet: str = "Data") -> Path:
    """An operator's workbook: title lines, a blank row, the header, the rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for line in title:
        ws.append([line])
    if title:
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def listed() -> pl.DataFrame:
    """Households of the bundled (synthetic) province list: name, NIK and desa code."""
    frame = load_table(PROVINCE).frame
    return frame.select("name", "nik", "region_code").filter(pl.col("nik").str.contains(r"^\d{16}$"))


def households(listed: pl.DataFrame, desa: str, n: int) -> list[tuple[str, str]]:
    rows = listed.filter(pl.col("region_code") == desa).head(n)
    assert rows.height == n
    return [(str(name), str(nik)) for name, nik, _ in rows.iter_rows()]


def reconcile(tmp_path: Path, village: Path, *extra: str) -> tuple[dict[str, Any], Path]:
    out = tmp_path / "out"
    result = run("reconcile", str(PROVINCE), str(village), "--out", str(out), "--force", "--json", *extra)
    return json.loads(result.stdout), out


def findings(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "discrepancies.parquet").filter(pl.col("submission_file").is_not_null())


def desa_row(summary: dict[str, Any], code: str) -> dict[str, Any]:
    return next(d for d in summary["desa"] if d["desa_code"] == code)


# --- the regency and desa of a file checked alone -------------------------------------------------------

# NIKs issued in Purbalingga (3303): the regency must come from the title, not from the NIKs.
ELSEWHERE_NIKS = ["3303031508750001", "3303035003800002", "3303031203650003", "3303034406900004"]
NAMES = ["SUPARNO", "TUKIYEM", "WAGIMAN", "SARINAH"]


def kebanaran_file(tmp_path: Path, title: list[str]) -> Path:
    rows = [[i + 1, n, k, "Ada"] for i, (n, k) in enumerate(zip(NAMES, ELSEWHERE_NIKS, strict=True))]
    return book(tmp_path / "hasil_verval.xlsx", title, ["NO", "NAMA KK", "NIK", "HASIL VERVAL"], rows)


def validated(path: Path, *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("validate", str(path), "--json", *extra).stdout)
    return data


def test_kab_title_line_gives_the_regency_of_a_file_checked_alone(tmp_path: Path) -> None:
    village = kebanaran_file(
        tmp_path, ["HASIL VERIFIKASI LAPANGAN P3KE", "Kab : Banjarnegara", "Desa : Kebanaran"]
    )
    report = validated(village)
    assert report["regency"] == "3304"
    assert report["files"][0]["desa_code"] == KEBANARAN
    assert "desa_unknown" not in report["files"][0]["codes"]
    inspected = json.loads(run("inspect", str(village), "--json").stdout)
    assert inspected["sheets"][0]["desa_code"] == KEBANARAN


def test_without_the_kab_line_the_desa_of_another_regency_is_not_invented(tmp_path: Path) -> None:
    village = kebanaran_file(tmp_path, ["HASIL VERIFIKASI LAPANGAN P3KE", "Desa : Kebanaran"])
    assert validated(village)["files"][0]["desa_code"] != KEBANARAN  # the NIKs say Purbalingga


@pytest.mark.parametrize("given", ["Banjarnegara", "33.04", "3304", "Kabupaten Banjarnegara"])
def test_regency_option_settles_the_regency(tmp_path: Path, given: str) -> None:
    village = kebanaran_file(tmp_path, ["HASIL VERIFIKASI LAPANGAN P3KE", "Desa : Kebanaran"])
    report = validated(village, "--regency", given)
    assert (report["regency"], report["files"][0]["desa_code"]) == ("3304", KEBANARAN)


def test_unknown_regency_is_refused(tmp_path: Path) -> None:
    village = kebanaran_file(tmp_path, [])
    result = CliRunner().invoke(app, ["validate", str(village), "--regency", "Atlantis"])
    assert result.exit_code == 2
    assert "Atlantis" in result.output


def test_regency_column_and_nik_majority_give_the_regency(tmp_path: Path) -> None:
    rows = [[n, k, "BANJARNEGARA", "KEBANARAN"] for n, k in zip(NAMES, ELSEWHERE_NIKS, strict=True)]
    column = book(tmp_path / "a.xlsx", [], ["NAMA", "NIK", "KABUPATEN", "DESA"], rows)
    assert validated(column)["files"][0]["desa_code"] == KEBANARAN
    local = [f"330403{k[6:]}" for k in ELSEWHERE_NIKS]  # issued in Mandiraja, Banjarnegara
    rows = [[n, k, "KEBANARAN"] for n, k in zip(NAMES, local, strict=True)]
    niks = book(tmp_path / "b.xlsx", [], ["NAMA", "NIK", "DESA"], rows)
    assert validated(niks)["files"][0]["desa_code"] == KEBANARAN
    split = [*local[:2], *ELSEWHERE_NIKS[2:]]  # half and half: no clear majority, no regency
    rows = [[n, k, "KEBANARAN"] for n, k in zip(NAMES, split, strict=True)]
    report = validated(book(tmp_path / "c.xlsx", [], ["NAMA", "NIK", "DESA"], rows))
    assert report["files"][0]["desa_code"] is None


def test_single_real_looking_file_reconciled_alone_gets_its_desa(
    tmp_path: Path, listed: pl.DataFrame
) -> None:
    """Title "Kab : Banjarnegara", no desa code column, the desa named in a title line only."""
    rows = [[i + 1, n, k, "VALID"] for i, (n, k) in enumerate(households(listed, BANJARMANGU, 5))]
    village = book(
        tmp_path / "hasil verifikasi.xlsx",
        ["DAFTAR HASIL VERIFIKASI LAPANGAN", "Kab : Banjarnegara", "Kec : Banjarmangu", "Desa : Banjarmangu"],
        ["NO", "NAMA KEPALA KELUARGA", "NIK", "Verifikasi Lapangan"],
        rows,
    )
    summary, out = reconcile(tmp_path, village)
    submitted = pl.read_parquet(out / "submissions.parquet")
    assert submitted["source_desa_code"].to_list() == [BANJARMANGU] * 5
    assert desa_row(summary, BANJARMANGU)["matched"] == 5
    assert summary["balance"]["balanced"]
    assert validated(village)["files"][0]["desa_code"] == BANJARMANGU  # and checked without the list


# --- statuses of real forms -----------------------------------------------------------------------------


def test_valid_and_tidak_valid_map_right_and_new_rows_at_the_bottom_count(
    tmp_path: Path, listed: pl.DataFrame
) -> None:
    verdicts = ["VALID", "TIDAK VALID", "Tdk Valid", "Valid", "TIDAK ADA"]
    rows = [
        [i + 1, n, k, v]
        for i, ((n, k), v) in enumerate(zip(households(listed, BANJARMANGU, 5), verdicts, strict=True))
    ]
    rows.append([6, "SUKIRNO", "3304090101900001", "Usulan Baru"])  # a new household added at the bottom
    rows.append([7, "PAINEM", "3304094202910002", "Baru"])
    rows.append([8, "KASMIRAH", "3304094303920003", None])  # unlinked, nothing said
    village = book(
        tmp_path / "verval banjarmangu.xlsx",
        ["Kab : Banjarnegara"],
        ["NO", "NAMA KK", "NIK", "Verifikasi Lapangan"],
        rows,
    )
    summary, out = reconcile(tmp_path, village)
    matches = pl.read_parquet(out / "matches.parquet").filter(pl.col("submission_row").is_not_null())
    assert matches.sort("submission_row")["status"].to_list() == [
        "found", "other", "other", "found", "not_found", "new", "new", "missing",
    ]  # fmt: skip
    codes = findings(out)["code"].to_list()
    assert codes.count("new_household") == 2
    assert codes.count("not_on_list") == 1
    row = desa_row(summary, BANJARMANGU)
    assert (row["new"], row["not_on_list"], row["matched"]) == (2, 1, 5)


# --- files without a status column ----------------------------------------------------------------------


def _no_status_rows(listed: pl.DataFrame) -> list[list[Any]]:
    rows: list[list[Any]] = [[n, k, "BANJARMANGU"] for n, k in households(listed, BANJARMANGU, 6)]
    rows += [["SUKIRNO", "3304090101900001", "BANJARMANGU"], ["PAINEM", "3304094202910002", "BANJARMANGU"]]
    return rows


def test_file_without_status_column_gives_one_finding_and_counts_its_unlinked_rows(
    tmp_path: Path, listed: pl.DataFrame
) -> None:
    village = book(
        tmp_path / "penerima blt banjarmangu.xlsx",
        ["DAFTAR PENERIMA BLT DANA DESA"],
        ["NAMA", "NIK", "DESA"],
        _no_status_rows(listed),
    )
    summary, out = reconcile(tmp_path, village)
    found = findings(out)
    assert found.filter(pl.col("code") == "status_column_missing").height == 1
    assert found.filter(pl.col("code") == "status_missing").height == 0  # not one per row
    assert found.filter(pl.col("code") == "not_on_list").height == 2
    assert summary["files_without_status"] == [
        {
            "file": str(village),
            "proposal": False,
            "rows": 8,
            "new": 0,
            "not_on_list": 2,
            "desa_code": BANJARMANGU,
        }
    ]
    row = desa_row(summary, BANJARMANGU)
    assert (row["matched"], row["new"], row["not_on_list"]) == (6, 0, 2)
    assert "penerima blt banjarmangu.xlsx: 8 baris" in (out / "ringkasan.html").read_text(encoding="utf-8")
    sheet = pl.read_excel(out / "laporan_verval.xlsx", sheet_name="Perbedaan", infer_schema_length=0)
    assert "status_column_missing" in sheet["Kode"].to_list()


@pytest.mark.parametrize(
    ("name", "title", "sheet"),
    [
        ("USULAN BARU BANJARMANGU.xlsx", "DAFTAR KELUARGA", "Data"),
        ("banjarmangu.xlsx", "USULAN BARU DATA KEMISKINAN EKSTREM", "Data"),
        ("banjarmangu.xlsx", "DAFTAR KELUARGA", "Usulan baru"),
    ],
)
def test_usulan_file_counts_new_proposals(
    tmp_path: Path, listed: pl.DataFrame, name: str, title: str, sheet: str
) -> None:
    village = book(tmp_path / name, [title], ["NAMA", "NIK", "DESA"], _no_status_rows(listed), sheet=sheet)
    summary, out = reconcile(tmp_path, village)
    codes = findings(out)["code"].to_list()
    assert (
        codes.count("status_column_missing"),
        codes.count("new_household"),
        codes.count("not_on_list"),
    ) == (
        1,
        2,
        0,
    )
    assert summary["files_without_status"][0]["proposal"] is True
    assert summary["files_without_status"][0]["new"] == 2
    assert desa_row(summary, BANJARMANGU)["new"] == 2


# --- own desa -------------------------------------------------------------------------------------------


def test_own_desa_rows_are_never_in_other_village(tmp_path: Path, listed: pl.DataFrame) -> None:
    own = households(listed, BANJARMANGU, 6)
    other = listed.filter(pl.col("region_code") != BANJARMANGU).row(0)
    rows = [[n, k, "BANJARMANGU", "Ada"] for n, k in own]
    rows[0][2] = "KESENET"  # the operator typed another desa of the kecamatan in one cell
    rows.append([other[0], other[1], "BANJARMANGU", "Ada"])  # a household listed in another desa
    village = book(tmp_path / "verval banjarmangu.xlsx", [], ["NAMA", "NIK", "DESA", "HASIL VERVAL"], rows)
    _, out = reconcile(tmp_path, village)
    flagged = findings(out).filter(pl.col("code") == "in_other_village")
    assert flagged["submission_row"].to_list() == [8]  # only the household listed elsewhere
    assert flagged["desa_code"].to_list() == [other[2]]


def test_blank_status_on_a_usulan_sheet_is_new_but_typed_junk_stays_missing(
    tmp_path: Path, listed: pl.DataFrame
) -> None:
    wb = openpyxl.Workbook()
    main = wb.active
    assert main is not None
    main.title = "Sheet1"
    main.append(["NAMA KK", "NIK", "DESA", "STATUS"])
    for n, k in households(listed, BANJARMANGU, 4):
        main.append([n, k, "BANJARMANGU", "Ada"])
    usulan = wb.create_sheet("USULAN BARU")
    usulan.append(["NAMA KK", "NIK", "DESA", "STATUS"])
    usulan.append(["SUKIRNO", "3304090101900001", "BANJARMANGU", None])
    usulan.append(["PAINEM", "3304094202910002", "BANJARMANGU", "??"])
    village = tmp_path / "verval banjarmangu.xlsx"
    wb.save(village)
    summary, out = reconcile(tmp_path, village)
    found = findings(out).sort("submission_row")
    assert found.filter(pl.col("code") == "new_household")["submission_row"].to_list() == [2]
    assert found.filter(pl.col("code") == "status_missing")["submission_row"].to_list() == [3]
    assert "status_column_missing" not in found["code"].to_list()
    assert summary["files_without_status"] == []


def test_validate_asks_no_status_column_of_a_usulan_file(tmp_path: Path) -> None:
    rows = [[n, k] for n, k in zip(NAMES, ELSEWHERE_NIKS, strict=True)]
    usulan = book(
        tmp_path / "usulan.xlsx", ["USULAN BARU DESA KEBANARAN", "KAB BANJARNEGARA"], ["NAMA", "NIK"], rows
    )
    assert "column_missing" not in validated(usulan)["files"][0]["codes"]
    other = book(
        tmp_path / "daftar.xlsx", ["DAFTAR DESA KEBANARAN", "KAB BANJARNEGARA"], ["NAMA", "NIK"], rows
    )
    assert validated(other)["files"][0]["codes"]["column_missing"] == 1  # status still required


def test_rows_below_a_usulan_baru_row_with_a_blank_status_are_new(
    tmp_path: Path, listed: pl.DataFrame
) -> None:
    rows: list[list[Any]] = [
        [i + 1, n, k, "Ada"] for i, (n, k) in enumerate(households(listed, BANJARMANGU, 4))
    ]
    rows.append([None, "USULAN BARU", None, None])
    rows.append([5, "SUKIRNO", "3304090101900001", None])
    rows.append([6, "PAINEM", "3304094202910002", None])
    village = book(tmp_path / "verval banjarmangu.xlsx", [], ["NO", "NAMA KK", "NIK", "HASIL VERVAL"], rows)
    summary, out = reconcile(tmp_path, village)
    codes = findings(out)["code"].to_list()
    assert (codes.count("new_household"), codes.count("status_missing"), codes.count("not_on_list")) == (
        2,
        0,
        0,
    )
    assert desa_row(summary, BANJARMANGU)["new"] == 2
