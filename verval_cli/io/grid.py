"""A sheet as read: a grid of text cells, each row carrying the row number Excel or an editor shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import polars as pl

from verval_cli.errors import InputFileError

ROW: str = "__row"  # Int64, 1-based row number as Excel / a text editor shows it
FILE: str = "__file"  # Int64, which file a row came from, when several files' grids are stacked

# Excel's own limits: a file beyond them was not typed in a spreadsheet, and would break our reports.
MAX_CELL_CHARS = 32_767
MAX_COLUMNS = 16_384
# No verval table has this many filled columns; past it, per-column work would take minutes.
MAX_FILLED_COLUMNS = 1_000
_WIDE = 100  # from this width on, columns without a single filled cell are dropped

# Given grid column indices, returns per column a frame (__row, numeric: Boolean, exact: Utf8) saying
# which cells were stored as numbers, and the exact digits when the reader may have rounded them.
CellTypes = Callable[[Sequence[int]], dict[int, pl.DataFrame]]


@dataclass
class RawSheet:
    """One sheet (or a whole text file) before header detection."""

    name: str | None
    grid: pl.DataFrame  # ROW + text columns named by col_name(absolute 0-based column index)
    hidden: bool = False
    encoding: str | None = None
    delimiter: str | None = None
    cell_types: CellTypes | None = None
    notes: list[str] = field(default_factory=list)


def col_name(index: int) -> str:
    """Grid column name of a 0-based absolute column index."""
    return f"c{index}"


def col_index(name: str) -> int:
    """Inverse of col_name."""
    return int(name[1:])


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def data_columns(grid: pl.DataFrame) -> list[str]:
    """The cell columns of a grid, in sheet order (bookkeeping columns start with '__')."""
    return [c for c in grid.columns if not c.startswith("__")]


def _without_empty_columns(grid: pl.DataFrame) -> pl.DataFrame:
    """A wide grid without its columns that hold no cell at all (cell columns keep their index names)."""
    cols = data_columns(grid)
    if len(cols) < _WIDE:
        return grid
    counts = grid.select(pl.col(cols).count()).row(0)
    return grid.select(ROW, *[c for c, n in zip(cols, counts, strict=True) if n])


def blank_to_null(grid: pl.DataFrame) -> pl.DataFrame:
    """Cells that are empty or only whitespace become null; other text is kept exactly as typed.

    A wide grid (a stray cell in column XFD) first loses its columns without a single cell.
    """
    grid = _without_empty_columns(grid)
    cols = data_columns(grid)
    if not cols:
        return grid
    # One multi-column expression: building one expression per column costs seconds on wide sheets.
    return grid.with_columns(blank_as_null(pl.col(cols)).name.keep())


def blank_as_null(cells: pl.Expr) -> pl.Expr:
    """Text cells, null where empty or only whitespace (the rule of :func:`blank_to_null`)."""
    return pl.when(cells.str.strip_chars().str.len_bytes() == 0).then(None).otherwise(cells)


def _trimmed(row: Sequence[str | None]) -> Sequence[str | None]:
    """The row without its trailing blank cells (Excel saves ',,,,' up to its last used column)."""
    end = len(row)
    while end and (row[end - 1] is None or not str(row[end - 1]).strip()):
        end -= 1
    return row if end == len(row) else row[:end]


def check_row_widths(rows: Sequence[Sequence[str | None]], row_numbers: Sequence[int], path: Path) -> None:
    """Refuse a text table with a row wider than an Excel sheet, before building a frame of it."""
    for row, number in zip(rows, row_numbers, strict=True):
        if len(row) > MAX_COLUMNS and len(_trimmed(row)) > MAX_COLUMNS:
            raise InputFileError(
                str(path),
                f"row {number}: {len(_trimmed(row))} columns, more than an Excel sheet holds ({MAX_COLUMNS})",
                row=number,
            )


def guarded(grid: pl.DataFrame, path: Path, sheet: str | None = None) -> pl.DataFrame:
    """Drop empty columns of a wide grid; refuse absurd widths and cells longer than Excel allows."""
    grid = _without_empty_columns(grid)  # again: columns of blank text are null only now
    cols = data_columns(grid)
    if len(cols) > MAX_FILLED_COLUMNS:
        raise InputFileError(
            str(path),
            f"{len(cols)} filled columns; verval reads at most {MAX_FILLED_COLUMNS} (not a household table?)",
            sheet=sheet,
        )
    if not cols or grid.height == 0:
        return grid
    longest = grid.select(pl.col(cols).str.len_chars().max()).row(0)
    for c, n in zip(cols, longest, strict=True):
        if n is not None and n > MAX_CELL_CHARS:
            row = int(grid.filter(pl.col(c).str.len_chars() > MAX_CELL_CHARS)[ROW][0])
            raise InputFileError(
                str(path),
                f"row {row}, column {column_letter(col_index(c))}: cell of {n} characters, "
                f"more than Excel allows ({MAX_CELL_CHARS})",
                sheet=sheet,
                row=row,
            )
    return grid


def grid_from_rows(rows: Sequence[Sequence[str | None]], row_numbers: Sequence[int]) -> pl.DataFrame:
    """Build a grid from row lists of unequal length (text readers)."""
    rows = [_trimmed(r) for r in rows]
    transposed = list(zip_longest(*rows, fillvalue=None))
    columns = {col_name(j): list(values) for j, values in enumerate(transposed)}
    frame = pl.DataFrame(
        {ROW: list(row_numbers), **columns},
        schema={ROW: pl.Int64, **{name: pl.Utf8 for name in columns}},
    )
    return blank_to_null(frame)
