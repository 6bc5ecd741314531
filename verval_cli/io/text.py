"""Text tables (CSV / TXT / TSV), HTML tables saved as .xls, and Parquet, as grids."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import polars as pl

from verval_cli.errors import InputFileError
from verval_cli.io.grid import (
    ROW,
    RawSheet,
    blank_to_null,
    check_row_widths,
    col_name,
    grid_from_rows,
    guarded,
)
from verval_cli.io.sniff import HTML_AS_XLS, utf16_without_bom

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 60


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    bomless = utf16_without_bom(data)
    if bomless:
        return data.decode(bomless, errors="replace"), bomless
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Bytes cp1252 leaves undefined (0x81, 0x8D, ...) fall back to Latin-1 rather than failing.
        return data.decode("cp1252", errors="ignore") if _cp1252_ok(data) else data.decode(
            "latin-1"
        ), "cp1252"


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most rows with the same (largest) number of fields."""
    sample = "\n".join(text.splitlines()[:_SNIFF_LINES])
    best, best_score = ",", -1
    for delimiter in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if len(r) > 1]
        except csv.Error:  # e.g. a whole line longer than the csv module's field limit
            continue
        if not counts:
            continue
        width = max(set(counts), key=lambda w: (counts.count(w), w))
        score = counts.count(width) * width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_text(path: Path) -> RawSheet:
    """A delimited text file; each record keeps the editor line number it starts on."""
    text, encoding = decode_text(path.read_bytes())
    if "\x00" in text:
        raise InputFileError(str(path), "binary content in a text file (not a CSV table)")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    previous = 0
    try:
        for record in reader:
            starts.append(previous + 1)
            previous = reader.line_num
            rows.append(record)
    except csv.Error as exc:
        line = previous + 1
        if "field limit" in str(exc):
            reason = f"a cell longer than {csv.field_size_limit()} characters (not a table cell)"
            raise InputFileError(str(path), f"row {line}: {reason}", row=line) from exc
        raise InputFileError(str(path), f"malformed CSV near line {line}: {exc}") from exc
    check_row_widths(rows, starts, path)
    grid = guarded(grid_from_rows(rows, starts), path)
    return RawSheet(name=None, grid=grid, encoding=encoding, delimiter=delimiter)


class _TableParser(HTMLParser):
    """Collects the cell text of every <tr>, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str | None]] = []
        self._row: list[str | None] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._close_row()
            self._row = []
        elif tag in ("td", "th"):
            self._close_cell()
            if self._row is None:
                self._row = []
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._close_cell()
        elif tag in ("tr", "table"):
            self._close_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            value = re.sub(r"[ \t\r\n\xa0]+", " ", "".join(self._cell)).strip()
            self._row.append(value or None)
            self._row.extend([None] * (self._span - 1))
        self._cell = None
        self._span = 1

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None:
            self.rows.append(self._row)
        self._row = None


def read_html(path: Path) -> RawSheet:
    """An HTML table saved with an .xls name; each <tr> is one Excel row."""
    text, encoding = decode_text(path.read_bytes())
    parser = _TableParser()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything it raises means we cannot read it
        raise InputFileError(str(path), HTML_AS_XLS) from exc
    parser._close_row()
    if not parser.rows:
        raise InputFileError(str(path), HTML_AS_XLS)
    numbers = range(1, len(parser.rows) + 1)
    check_row_widths(parser.rows, numbers, path)
    grid = guarded(grid_from_rows(parser.rows, numbers), path)
    return RawSheet(name=None, grid=grid, encoding=encoding)


def _as_text(series: pl.Series) -> pl.Series:
    if series.dtype.is_float():
        finite = series.drop_nulls()
        if finite.len() == 0 or (bool(((finite % 1) == 0).all()) and bool((finite.abs() < 2**63).all())):
            series = series.cast(pl.Int64)
    return series.cast(pl.Utf8)


def read_parquet(path: Path) -> RawSheet:
    """A Parquet table: its column names are row 1 and its records rows 2, 3, ... (as if saved as CSV)."""
    try:
        table = pl.read_parquet(path)
    except Exception as exc:  # polars raises ComputeError / OSError variants for corrupt files
        raise InputFileError(str(path), f"cannot read Parquet file: {str(exc).splitlines()[0]}") from exc
    names = table.columns
    numeric = {j: table.schema[n].is_numeric() for j, n in enumerate(names)}
    body = pl.DataFrame([_as_text(table[n]).alias(col_name(j)) for j, n in enumerate(names)])
    header = pl.DataFrame([pl.Series(col_name(j), [n], dtype=pl.Utf8) for j, n in enumerate(names)])
    grid = pl.concat([header, body]).with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    grid = guarded(blank_to_null(grid), path)

    def cell_types(columns: Sequence[int]) -> dict[int, pl.DataFrame]:
        out: dict[int, pl.DataFrame] = {}
        for j in columns:
            present = table[names[j]].is_not_null()
            out[j] = pl.DataFrame({"present": present}).select(
                pl.int_range(2, table.height + 2, dtype=pl.Int64).alias(ROW),
                pl.when(pl.col("present")).then(pl.lit(numeric[j])).alias("numeric"),
                pl.lit(None, dtype=pl.Utf8).alias("exact"),
            )
        return out

    return RawSheet(name=None, grid=grid, cell_types=cell_types)
