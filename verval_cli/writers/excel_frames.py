"""Worksheets whose data rows are rendered to XML by polars, a whole column at a time.

xlsxwriter keeps every cell as a Python object, hands every string to the shared-string table, and at
``close()`` writes each cell's XML in a Python loop: for a report of ~100k discrepancy rows that was
several seconds on one core, more than the matching. A :class:`FrameWorksheet` takes the data rows as
a polars frame instead (``write_frame``): each column becomes one polars expression giving its cells'
``<c>`` XML, and the rows are rendered in slices when the workbook is written. What xlsxwriter still
writes itself (the header row, column widths and formats, frozen pane, autofilter, print set-up,
charts, the style sheet) is untouched.

The cells carry the same values and styles as xlsxwriter's own. A text column that repeats a
few texts (file names, codes, messages) goes through xlsxwriter's shared-string table, one Python call
per distinct text; other text is written in-line (``t="inlineStr"``, as xlsxwriter's own
``constant_memory`` mode writes it), escaped as xlsxwriter escapes (``& < >`` as entities, leading or
trailing whitespace kept with ``xml:space="preserve"``, cut at Excel's 32,767 characters), except the
rare text Excel stores with ``_xHHHH_`` escapes (control characters), left to the shared table.
Numbers are written as xlsxwriter writes them (``%.16G``), dates as Excel serial days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import polars as pl
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

ROW: Final = "_xml_row"  # the frame column holding each data row's 1-based Excel row number
_SLICE_ROWS: Final = 20_000  # rows rendered at a time: bounded memory, still whole-column work
_EXCEL_TEXT_MAX: Final = 32_767
_EPOCH: Final = dt.date(1899, 12, 31)
_SHARED_MAX: Final = 5_000  # a column with at most this many distinct texts goes to the shared table
# Text Excel stores as _xHHHH_ escapes (control characters, and such an escape typed literally): such
# rare cells go through xlsxwriter's shared-string table, which escapes them itself.
_NEEDS_ESCAPE: Final = r"[\x00-\x08\x0b-\x1f\x{fffe}\x{ffff}]|_x[0-9a-fA-F]{4}_"


def _excel_text(values: pl.Series) -> pl.Expr:
    """The column (named like ``values``) as text, cut at Excel's limit as xlsxwriter cuts it."""
    expr = pl.col(values.name).cast(pl.Utf8)
    lengths = values.str.len_chars().max()
    if isinstance(lengths, int) and lengths > _EXCEL_TEXT_MAX:
        expr = expr.str.slice(0, _EXCEL_TEXT_MAX)
    return expr


def xml_text(values: pl.Series) -> pl.Expr:
    """The column (named like ``values``) as XML character data (``& < >`` as entities)."""
    expr = _excel_text(values)
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expr = expr.str.replace_all(char, entity, literal=True)
    return expr


def number_text(values: pl.Series) -> pl.Expr:
    """A numeric column (named like ``values``) as the text of Excel ``<v>`` values, as xlsxwriter
    writes them (``%.16G``: whole numbers without ``.0``, 16 significant digits)."""
    if values.dtype.is_integer():
        return pl.col(values.name).cast(pl.Utf8)
    # Few distinct values in the report's number columns (scores): each is formatted by Python itself.
    distinct = values.cast(pl.Float64).drop_nulls().unique()
    shown = {v: f"{v:.16G}" for v in distinct.to_list()}
    return pl.col(values.name).cast(pl.Float64).replace_strict(shown, return_dtype=pl.Utf8)


def date_serial(column: str) -> pl.Expr:
    """A Date column as Excel's serial day number (1900 system, with Excel's 29-02-1900 gap)."""
    days = (pl.col(column).cast(pl.Date) - pl.lit(_EPOCH)).dt.total_days()
    return pl.when(days > 59).then(days + 1).otherwise(days).cast(pl.Utf8)


@dataclass(frozen=True)
class Values:
    """A column's cell values as XML-ready text: ``number`` (a ``<v>`` number), ``inline`` (escaped
    text), ``shared`` (an index into the shared strings; wins over ``inline``). Null: no value."""

    number: pl.Expr | None = None
    inline: pl.Expr | None = None
    shared: pl.Expr | None = None


def cell_xml(col: int, values: Values, style: pl.Expr) -> pl.Expr:
    """One column's ``<c>`` elements styled ``style`` (an xf index as text); a row without a value
    gets a blank styled cell."""
    ref = pl.concat_str(pl.lit(f'<c r="{xl_col_to_name(col)}'), pl.col(ROW).cast(pl.Utf8))
    styled = pl.concat_str(ref, pl.lit('" s="'), style)
    cell = pl.concat_str(styled, pl.lit('"/>'))  # no value: a blank styled cell
    if values.number is not None:
        number = pl.concat_str(styled, pl.lit('"><v>'), values.number, pl.lit("</v></c>"))
        cell = pl.when(values.number.is_not_null()).then(number).otherwise(cell)
    if values.inline is not None:
        text = values.inline
        preserve = pl.when(text.str.contains(r"^\s|\s$")).then(pl.lit(' xml:space="preserve"'))
        inline = pl.concat_str(
            styled, pl.lit('" t="inlineStr"><is><t'), preserve.otherwise(pl.lit("")), pl.lit(">"), text,
            pl.lit("</t></is></c>"),
        )  # fmt: skip
        cell = pl.when(text.is_not_null()).then(inline).otherwise(cell)
    if values.shared is not None:
        shared = pl.concat_str(styled, pl.lit('" t="s"><v>'), values.shared, pl.lit("</v></c>"))
        cell = pl.when(values.shared.is_not_null()).then(shared).otherwise(cell)
    return cell


@dataclass(frozen=True)
class _Rows:
    frame: pl.DataFrame  # the data, with ROW
    first_row: int  # the 1-based Excel row of the first data row
    cells: list[pl.Expr]  # one ``<c>`` expression per column, null where a row has no cell

    def render(self) -> Iterator[str]:
        cells = pl.concat_str(self.cells, ignore_nulls=True)
        row = pl.concat_str(
            pl.lit('<row r="'), pl.col(ROW).cast(pl.Utf8), pl.lit('">'), cells, pl.lit("</row>")
        )
        xml = pl.when(cells != "").then(row).str.join("")
        for start in range(0, self.frame.height, _SLICE_ROWS):
            piece = self.frame.slice(start, _SLICE_ROWS).select(xml).item()
            yield piece if isinstance(piece, str) else ""


class FrameWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter is untyped for mypy
    """A worksheet that also takes its data rows as a polars frame (``write_frame``)."""

    _frame_rows: _Rows | None = None

    def write_frame(self, frame: pl.DataFrame, cells: list[pl.Expr], *, last_col: int) -> None:
        """Rows of ``frame`` (numbered by its ``ROW`` column, below every cell written the usual way)
        become cells by ``cells``; they are rendered when the workbook is written."""
        if frame.height == 0:
            return
        first, last = frame[ROW].min(), frame[ROW].max()
        if not isinstance(first, int) or not isinstance(last, int):
            raise ValueError(f"{ROW} must hold row numbers")
        if self.table and max(self.table) >= first - 1:
            raise ValueError("frame rows must come below the cells already written")
        if self._check_dimensions(last - 1, last_col) or self._check_dimensions(first - 1, 0):
            raise ValueError("frame rows or columns beyond Excel's limits")
        self._frame_rows = _Rows(frame, first, cells)

    def text_values(self, values: pl.Series) -> Values:
        """A text column's cell values: indices into the workbook's shared strings when the column
        repeats a few texts (file names, codes, messages: the XML stays small), else in-line text."""
        uniques = values.drop_nulls().unique(maintain_order=True)
        if len(uniques) <= _SHARED_MAX and 4 * len(uniques) <= values.len():
            return Values(shared=self._shared(values, uniques))
        odd = uniques.filter(uniques.str.contains(_NEEDS_ESCAPE))
        shared = self._shared(values, odd) if len(odd) else None
        return Values(inline=xml_text(values), shared=shared)

    def _shared(self, values: pl.Series, texts: pl.Series) -> pl.Expr:
        """Put ``texts`` (some of ``values``) in the shared strings; the column as their indices
        (null for the other values)."""
        cut = texts.to_frame().select(_excel_text(texts)).to_series()
        table = self.str_table  # xlsxwriter's SharedStringTable: an index per string, and a use count
        index = {raw: str(table._get_shared_string_index(text)) for raw, text in zip(texts, cut, strict=True)}
        table.count += int(values.is_in(texts.implode()).sum()) - len(texts)
        return pl.col(values.name).cast(pl.Utf8).replace_strict(index, default=None, return_dtype=pl.Utf8)

    def _write_rows(self) -> None:
        rows = self._frame_rows
        if rows is None:
            super()._write_rows()
            return
        # xlsxwriter writes its own rows (the header) first: the rows above the frame, 0-based.
        last, self.dim_rowmax = self.dim_rowmax, rows.first_row - 2  # type: ignore[has-type]
        try:
            super()._write_rows()
        finally:
            self.dim_rowmax = last
        for piece in rows.render():
            self.fh.write(piece)


class FrameWorkbook(Workbook):  # type: ignore[misc]
    """``xlsxwriter.Workbook`` whose worksheets are :class:`FrameWorksheet`."""

    worksheet_class = FrameWorksheet
