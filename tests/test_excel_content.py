"""laporan_verval.xlsx read back with openpyxl agrees with the Parquet outputs of the same reconcile.

The sample round (sample_data/) is reconciled and written as `verval reconcile` writes it; every data
sheet's header, row count and a sample of its values are checked against matches.parquet,
discrepancies.parquet and rejected.parquet, and what an officer reads around the cells (frozen header,
autofilter, widths, text IDs, the chart) is checked too. Pins the content whatever writes the cells.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from verval_cli.codes import Code
from verval_cli.reconcile import reconcile
from verval_cli.writers.excel_style import LABELS
from verval_cli.writers.reconcile_outputs import write_reconcile_outputs

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
_INVALID = {
    c.value
    for c in (
        Code.NIK_INVALID,
        Code.NIK_MISSING,
        Code.NIK_EXCEL_DAMAGED,
        Code.STATUS_UNKNOWN,
        Code.STATUS_MISSING,
    )
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    result = reconcile(SAMPLE / "province" / "daftar_sasaran_p3ke_3304.xlsx", [SAMPLE / "submissions"])
    folders = {}
    for name, masked in (("plain", False), ("masked", True)):
        folders[name] = tmp_path_factory.mktemp(name)
        write_reconcile_outputs(result, folders[name], mask_nik=masked)
    return folders


def _rows(path: Path, sheet: str) -> tuple[list[str], list[dict[str, Any]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:  # a read-only workbook holds its file open until closed
        rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    header = [str(h) for h in rows[0]]
    return header, [dict(zip(header, r, strict=True)) for r in rows[1:]]


def _codes(value: Any) -> set[str]:
    return set() if value is None else {value}


def test_sheets_and_headers(outputs: dict[str, Path]) -> None:
    lab = LABELS["id"]
    book = openpyxl.load_workbook(outputs["plain"] / "laporan_verval.xlsx", read_only=True)
    book.close()
    assert book.sheetnames == [
        lab[k]
        for k in ("sheet_summary", "sheet_discrepancies", "sheet_review", "sheet_unreported", "sheet_new")
    ] + [lab["sheet_invalid"]]
    header, _ = _rows(outputs["plain"] / "laporan_verval.xlsx", lab["sheet_discrepancies"])
    assert header == [
        lab[k]
        for k in ("file", "sheet", "row", "desa", "province_id", "field", "submitted_value", "list_value")
    ] + [lab[k] for k in ("suggested_value", "code", "severity", "message")]


def test_unreported_sheet_lists_the_province_only_links(outputs: dict[str, Path]) -> None:
    lab = LABELS["id"]
    matches = pl.read_parquet(outputs["plain"] / "matches.parquet").filter(
        pl.col("match_status") == "province_only"
    )
    _, rows = _rows(outputs["plain"] / "laporan_verval.xlsx", lab["sheet_unreported"])
    assert len(rows) == matches.height > 0
    assert sorted(r[lab["province_id"]] for r in rows) == sorted(
        matches["province_id"].cast(pl.Utf8).to_list()
    )
    assert sorted(r[lab["province_row"]] for r in rows) == sorted(matches["province_row"].to_list())


def test_an_empty_task_sheet_says_so(outputs: dict[str, Path]) -> None:
    lab = LABELS["id"]
    matches = pl.read_parquet(outputs["plain"] / "matches.parquet")
    assert matches.filter(pl.col("match_status") == "review").height == 0  # the sample has no review links
    _, rows = _rows(outputs["plain"] / "laporan_verval.xlsx", lab["sheet_review"])
    assert [r[lab["file"]] for r in rows] == [lab["none"]]


def test_new_proposals_name_their_file_and_row(outputs: dict[str, Path]) -> None:
    lab = LABELS["id"]
    matches = pl.read_parquet(outputs["plain"] / "matches.parquet").filter(
        pl.col("match_status") == "submission_only"
    )
    _, rows = _rows(outputs["plain"] / "laporan_verval.xlsx", lab["sheet_new"])
    assert sorted((r[lab["file"]], r[lab["row"]]) for r in rows) == sorted(
        zip(matches["submission_file"].to_list(), matches["submission_row"].to_list(), strict=True)
    )
    assert all(isinstance(r[lab["row"]], int) for r in rows)


def test_discrepancy_cells_are_the_parquet_values(outputs: dict[str, Path]) -> None:
    lab = LABELS["id"]
    found = pl.read_parquet(outputs["plain"] / "discrepancies.parquet")
    _, rows = _rows(outputs["plain"] / "laporan_verval.xlsx", lab["sheet_discrepancies"])
    assert rows and {r[lab["code"]] for r in rows}.isdisjoint(_INVALID | {"REVIEW_NEEDED"})
    by_key = {
        (f, r, c): (s, m)
        for f, r, c, s, m in found.select(
            "submission_file", "submission_row", "code", "submitted_value", "message_id"
        ).iter_rows()
    }
    for row in rows:
        key = (row[lab["file"]], row[lab["row"]], row[lab["code"]])
        assert key in by_key, key
        submitted, message = by_key[key]
        assert (row[lab["submitted_value"]], row[lab["message"]]) == (submitted, message)


def test_invalid_rows_sheet_holds_invalid_findings_and_rejected_rows(outputs: dict[str, Path]) -> None:
    lab = LABELS["id"]
    found = pl.read_parquet(outputs["plain"] / "discrepancies.parquet").filter(pl.col("code").is_in(_INVALID))
    rejected = pl.read_parquet(outputs["plain"] / "rejected.parquet")
    _, rows = _rows(outputs["plain"] / "laporan_verval.xlsx", lab["sheet_invalid"])
    assert len(rows) == found.height + rejected.height
    assert sorted(r[lab["kind"]] for r in rows[: found.height]) == sorted(found["code"].to_list())


def test_what_the_officer_reads_around_the_cells(outputs: dict[str, Path]) -> None:
    lab = LABELS["id"]
    path = outputs["plain"] / "laporan_verval.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book[lab["sheet_discrepancies"]]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:L{ws.max_row}"
    assert ws.row_dimensions[1].height == 30 and ws["A1"].font.b
    assert all((ws.column_dimensions[c].width or 0) >= 8 for c in "ABCDEFGHIJKL")
    unreported = book[lab["sheet_unreported"]]
    niks = [c for c in unreported["G"][1:] if c.value is not None]
    assert niks and all(re.fullmatch(r"\d{16}", c.value) for c in niks)
    assert all(c.data_type == "s" and c.number_format == "@" for c in niks)  # NIKs stay text
    new = book[lab["sheet_new"]]
    dates = [c for c in new["G"][1:] if c.value is not None]
    assert dates and all(isinstance(c.value, dt.datetime) and c.number_format == "dd-mm-yyyy" for c in dates)
    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


def test_mask_nik_leaves_no_full_nik_in_any_sheet(outputs: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(outputs["masked"] / "laporan_verval.xlsx", read_only=True)
    texts = [
        v for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r if isinstance(v, str)
    ]
    book.close()
    assert any(re.fullmatch(r"\d{4}\*{8}\d{4}", t) for t in texts)
    assert not [t for t in texts if re.search(r"\d{16}", t)]
