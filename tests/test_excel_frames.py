"""FrameWorksheet: data rows rendered by polars read back as the per-cell xlsxwriter path writes them.

``write_table`` has two paths: cell by cell (any xlsxwriter workbook, e.g. the per-village workbooks)
and whole columns rendered to XML (a ``FrameWorkbook``, the main report). The same awkward table is
written both ways and read back with openpyxl and calamine: every value, type and style must agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import fastexcel
import openpyxl
import polars as pl
import pytest
from xlsxwriter.workbook import Workbook

from verval_cli.writers import excel_frames
from verval_cli.writers.excel_frames import FrameWorkbook
from verval_cli.writers.excel_style import Col, make_formats, write_table

_AWKWARD = [
    "plain",
    "  leading and trailing  ",
    "A & B <c> \"q\" 'a'",
    "=SUM(A1:A2)",
    "+62 812",
    "-5",
    "@user",
    "tab\tinside",
    "bell\x07and\x1fcontrol",
    "literal _x0041_ escape",
    "line\nbreak",
    "\ufffe odd",
    "Désa Ñ 日本",
    "x" * 40_000,
    None,
]


def _frame(n: int) -> pl.DataFrame:
    awkward = [_AWKWARD[i % len(_AWKWARD)] for i in range(n)]
    return pl.DataFrame(
        {
            "text": awkward,  # a few distinct texts: the shared-string table
            "note": [None if v is None else f"{i}: {v}" for i, v in enumerate(awkward)],  # in-line text
            "unique": [None if i % 11 == 0 else f"NAMA {i:05d} {_AWKWARD[i % 4]}" for i in range(n)],
            "id": [None if i % 9 == 0 else f"{3304010000000000 + i:016d}" for i in range(n)],
            "row": [None if i % 13 == 0 else i + 2 for i in range(n)],
            "score": [
                None if i % 5 == 0 else [87.5, 90.0, 66.666666666667, 0.1 + 0.2][i % 4] for i in range(n)
            ],
            "date": [
                None
                if i % 7 == 0
                else [dt.date(1985, 2, 28), dt.date(1900, 1, 15), dt.date(2024, 12, 31)][i % 3]
                for i in range(n)
            ],
            "style": [None if i % 3 else ["problem", "flag", "sev_error"][i % 9 // 3] for i in range(n)],
        },
        schema_overrides={"row": pl.Int64, "date": pl.Date},
    )


_COLUMNS = [
    Col("text", "Text"),
    Col("note", "Note"),
    Col("unique", "Unique", style_by="style"),
    Col("id", "ID", "id", fmt="problem_id"),
    Col("row", "Row", "int"),
    Col("score", "Score", "num", style_by="style"),
    Col("date", "Date", "date", style_by="style"),
]


def _write(path: Path, frame: pl.DataFrame, workbook_class: type[Workbook]) -> Path:
    workbook = workbook_class(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    formats = make_formats(workbook)
    write_table(workbook, formats, "Data", frame, _COLUMNS, max_rows=1_000, empty_text="none")
    workbook.close()
    return path


def _openpyxl_cells(path: Path) -> list[list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    return [
        [
            (c.coordinate, c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.font.b, c.quotePrefix)
            for row in ws.iter_rows()
            for c in row
        ]
        for ws in book.worksheets
    ]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("frames")
    frame = _frame(2_500)  # more than one sheet at max_rows=1000, and more than one render slice below
    return _write(folder / "cells.xlsx", frame, Workbook), _write(
        folder / "frames.xlsx", frame, FrameWorkbook
    )


def test_both_paths_give_the_same_cells(books: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    cells, frames = books
    assert _openpyxl_cells(cells) == _openpyxl_cells(frames)


def test_calamine_reads_the_same_values(books: tuple[Path, Path]) -> None:
    cells, frames = (fastexcel.read_excel(p) for p in books)
    assert cells.sheet_names == frames.sheet_names == ["Data", "Data (2)", "Data (3)"]
    for name in cells.sheet_names:
        a = cells.load_sheet_by_name(name, header_row=None).to_polars()
        b = frames.load_sheet_by_name(name, header_row=None).to_polars()
        assert a.equals(b), name


def test_sheet_layout_is_kept(books: tuple[Path, Path]) -> None:
    cells, frames = (openpyxl.load_workbook(p) for p in books)
    for a, b in zip(cells.worksheets, frames.worksheets, strict=True):
        assert (a.freeze_panes, a.auto_filter.ref, a.dimensions) == (
            b.freeze_panes,
            b.auto_filter.ref,
            b.dimensions,
        )
        widths = {k: v.width for k, v in a.column_dimensions.items()}
        assert widths == {k: v.width for k, v in b.column_dimensions.items()}
        assert a.row_dimensions[1].height == b.row_dimensions[1].height == 30  # the tall header row


def test_rows_render_in_slices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel_frames, "_SLICE_ROWS", 7)
    frame = _frame(50)
    cells = _write(tmp_path / "cells.xlsx", frame, Workbook)
    frames = _write(tmp_path / "frames.xlsx", frame, FrameWorkbook)
    assert _openpyxl_cells(cells) == _openpyxl_cells(frames)


def test_an_empty_table_says_none(tmp_path: Path) -> None:
    frames = _write(tmp_path / "frames.xlsx", _frame(0), FrameWorkbook)
    ws = openpyxl.load_workbook(frames).worksheets[0]
    assert [[c.value for c in row] for row in ws.iter_rows()][1][0] == "none"


def test_frame_rows_must_come_below_the_cells_written(tmp_path: Path) -> None:
    workbook = FrameWorkbook(str(tmp_path / "x.xlsx"))
    ws = workbook.add_worksheet()
    ws.write_string(3, 0, "below")
    frame = pl.DataFrame({"v": ["a"]}).with_row_index(excel_frames.ROW, offset=2)
    with pytest.raises(ValueError, match="below the cells"):
        ws.write_frame(frame, [], last_col=0)
    workbook.close()
