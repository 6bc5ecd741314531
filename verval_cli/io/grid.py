"""A sheet as read: a grid of text cells, each row carrying the row number Excel or an editor shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest

import polars as pl

ROW: str = "__row"  # Int64, 1-based row number as Excel / a text editor shows it

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
    """The cell columns of a grid, in sheet order."""
    return [c for c in grid.columns if c != ROW]


def blank_to_null(grid: pl.DataFrame) -> pl.DataFrame:
    """Cells that are empty or only whitespace become null; other text is kept exactly as typed."""
    cols = data_columns(grid)
    return grid.with_columns(
        pl.when(pl.col(c).str.strip_chars().str.len_bytes() == 0).then(None).otherwise(pl.col(c)).alias(c)
        for c in cols
    )


def grid_from_rows(rows: Sequence[Sequence[str | None]], row_numbers: Sequence[int]) -> pl.DataFrame:
    """Build a grid from row lists of unequal length (text readers)."""
    transposed = list(zip_longest(*rows, fillvalue=None))
    columns = {col_name(j): list(values) for j, values in enumerate(transposed)}
    frame = pl.DataFrame(
        {ROW: list(row_numbers), **columns},
        schema={ROW: pl.Int64, **{name: pl.Utf8 for name in columns}},
    )
    return blank_to_null(frame)
