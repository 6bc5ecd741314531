"""Workbooks (xlsx, xlsb, xls, ods) through fastexcel/calamine, every cell read as text."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import fastexcel
import polars as pl

from verval_cli.errors import InputFileError
from verval_cli.io.grid import ROW, RawSheet, blank_to_null, col_name, column_letter, guarded
from verval_cli.io.sniff import ODS, PASSWORD_PROTECTED, XLS, XLSB, XLSX, ZIP_ERRORS

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


# calamine's words for a zip whose parts do not decompress (bytes changed or cut off in transfer).
_DAMAGED = ("corrupt deflate", "invalid checksum", "eocd", "unexpected eof", "invalid stored block")


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "password" in text.lower() or "encrypt" in text.lower():
        return PASSWORD_PROTECTED
    if any(sign in text.lower() for sign in _DAMAGED):
        return f"corrupt or truncated file (damaged compressed data: {text})"
    return f"cannot read workbook: {text}"


_EXTENSIONS = {XLSX: (".xlsx", ".xlsm"), XLS: (".xls",), ODS: (".ods",), XLSB: (".xlsb",)}


def open_workbook(path: Path, fmt: str) -> fastexcel.ExcelReader:
    """Open a workbook; calamine's errors become one-line InputFileErrors."""
    try:
        if path.suffix.lower() in _EXTENSIONS.get(fmt, ()):
            return fastexcel.read_excel(path)
        # calamine picks its parser by extension for a path, by content for bytes (.xlsx renamed .xls).
        return fastexcel.read_excel(path.read_bytes())
    except Exception as exc:  # calamine raises several unrelated exception types
        raise InputFileError(str(path), _reason(exc)) from exc


def read_sheet(reader: fastexcel.ExcelReader, path: Path, name: str, fmt: str) -> RawSheet:
    """One sheet as a grid whose row numbers are Excel's (calamine trims leading blank columns only)."""
    try:
        # header_row=None with skip_rows=0 keeps leading blank rows, so index i is Excel row i + 1.
        sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        frame = sheet.to_polars()
        hidden = str(sheet.visible) != "visible"
        absolute = [c.absolute_index for c in sheet.available_columns()]
    except Exception as exc:
        raise InputFileError(str(path), _reason(exc), sheet=name) from exc
    frame = frame.rename({old: col_name(a) for old, a in zip(frame.columns, absolute, strict=True)})
    frame = frame.select(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW), pl.all().cast(pl.Utf8))
    raw = RawSheet(name=name, grid=guarded(blank_to_null(frame), path, name), hidden=hidden)
    if fmt == XLSX:
        raw.cell_types = lambda columns: xlsx_cell_types(path, name, columns)
    return raw


@lru_cache(maxsize=8)
def _sheet_parts(path: Path, mtime: float) -> dict[str, str]:
    """Sheet name -> part name of its XML inside the zip."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        parts[sheet.get("name", "")] = part
    return parts


def xlsx_cell_types(path: Path, sheet: str, columns: Sequence[int]) -> dict[int, pl.DataFrame]:
    """For the given columns, which cells are stored as numbers, and their exact digits.

    calamine returns every cell as text but cannot say whether it was a number, and rounds numbers
    above 2**53; the sheet XML knows both. A regex per column letter keeps this fast on 100k-row sheets.
    """
    try:
        part = _sheet_parts(path, path.stat().st_mtime).get(sheet)
        if part is None:
            return {}
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(part)
    except (OSError, KeyError, ElementTree.ParseError, *ZIP_ERRORS):
        return {}
    letters = {column_letter(i): i for i in columns}
    alternation = b"|".join(re.escape(letter.encode()) for letter in letters)
    # One pass over the XML; the literal prefix keeps Python's regex engine on its fast path.
    pattern = re.compile(
        rb'c r="(' + alternation + rb')(\d+)"([^>]*)>(?:<(?:\w+:)?f[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?'
        rb"(?:<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>)?"
    )
    matches = pattern.findall(xml)
    del xml
    if not matches:
        return {}
    found = pl.DataFrame(
        [
            pl.Series(name, values, dtype=pl.Binary)
            for name, values in zip(("col", "row", "attrs", "v"), zip(*matches, strict=True), strict=True)
        ]
    ).select(
        pl.col("col").cast(pl.Utf8),
        pl.col("row").cast(pl.Utf8).cast(pl.Int64).alias(ROW),
        pl.col("attrs").cast(pl.Utf8).str.extract(r'\bt="(\w+)"', 1).fill_null("n").alias("t"),
        pl.col("v").cast(pl.Utf8).alias("v"),
    )
    has_value = (pl.col("v").str.len_bytes() > 0) | (pl.col("t") == "inlineStr")
    numeric = (
        pl.when(~has_value)
        .then(None)
        .when(pl.col("t") == "n")
        .then(True)
        .when(pl.col("t").is_in(["s", "str", "inlineStr"]))
        .then(False)
        .otherwise(None)
    )
    found = found.with_columns(numeric.cast(pl.Boolean).alias("numeric")).with_columns(
        pl.when(pl.col("numeric") & pl.col("v").str.contains(r"^\d+$")).then(pl.col("v")).alias("exact")
    )
    return {
        letters[letter]: part.select(ROW, "numeric", "exact")
        for (letter,), part in found.partition_by("col", as_dict=True).items()
    }
