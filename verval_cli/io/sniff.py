"""Tell a file's format from its first bytes, whatever its extension says."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import Final

from verval_cli.errors import InputFileError

XLSX: Final = "xlsx"
XLSB: Final = "xlsb"
XLS: Final = "xls"
ODS: Final = "ods"
CSV: Final = "csv"
PARQUET: Final = "parquet"
HTML: Final = "html"

SUPPORTED_EXTENSIONS: Final = frozenset(
    {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".txt", ".tsv", ".parquet"}
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
# An encrypted .xlsx is an OLE container holding a stream named "EncryptedPackage" (UTF-16 name).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
PASSWORD_PROTECTED: Final = "password protected; remove the password in Excel and save it again"
HTML_AS_XLS: Final = "HTML table saved as .xls; open it in Excel and save as .xlsx"

# Zip bomb guard, checked on the central directory before any part is decompressed. A full Excel sheet
# (1,048,576 rows x 30 columns) is about 1.3 GB of XML; real sheet XML compresses 5-20 times.
MAX_UNCOMPRESSED: Final = 2 << 30
MAX_RATIO: Final = 200
_RATIO_FROM: Final = 10 << 20  # small parts (styles, shared strings of a tiny book) may compress very well


# What zipfile raises on damaged archives besides BadZipFile (found by fuzzing: a flipped version byte
# gives NotImplementedError, a damaged member zlib.error or EOFError).
ZIP_ERRORS: Final = (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError, zlib.error, struct.error)


def _check_zip_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse archives that would decompress to an absurd size (zip bombs)."""
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise InputFileError(
            str(path),
            f"refused: would decompress to {total / 2**30:.1f} GiB (limit {MAX_UNCOMPRESSED / 2**30:.0f} GiB)",
        )
    for m in members:
        if m.file_size > _RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise InputFileError(
                str(path),
                f"refused: part {m.filename} expands {m.file_size // max(m.compress_size, 1)} times "
                f"(limit {MAX_RATIO}); looks like a zip bomb",
            )


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip_sizes(path, archive.infolist())
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip().startswith(_ODS_MIME):
                return ODS
    except ZIP_ERRORS as exc:
        raise InputFileError(str(path), "corrupt or truncated file (incomplete zip archive)") from exc
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return XLSB
    if "content.xml" in names:
        return ODS
    raise InputFileError(str(path), "zip archive that is not a spreadsheet (no xl/workbook.xml)")


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when text looks like UTF-16 saved without a byte order mark."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    even_nul, odd_nul = sample[0::2].count(0), sample[1::2].count(0)
    # Latin text in UTF-16 has a zero in every other byte and almost none in the others.
    if odd_nul >= 0.9 * half and even_nul <= 0.02 * half:
        return "utf-16-le"
    if even_nul >= 0.9 * half and odd_nul <= 0.02 * half:
        return "utf-16-be"
    return None


def _is_markup(head: bytes) -> str | None:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    text = head.replace(b"\x00", b"").lstrip().lower()
    if text.startswith((b"<html", b"<table", b"<!doctype html", b"<meta", b"<head", b"<body")):
        return HTML
    if text.startswith(b"<?xml"):
        if b"<workbook" in text or b"urn:schemas-microsoft-com:office:spreadsheet" in text:
            return "spreadsheetml"
        if b"<html" in text:
            return HTML
    return None


def sniff_format(path: Path) -> str:
    """One of xlsx, xlsb, xls, ods, csv, parquet, html; raises InputFileError with a one-line reason."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputFileError(str(path), f"cannot open: {exc.strerror or exc}") from exc
    if size == 0 or not head.strip(b" \t\r\n\x00"):
        raise InputFileError(str(path), "empty file")
    if head.startswith(_ZIP_MAGIC) or head.startswith(b"PK"):
        return _zip_format(path)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise InputFileError(str(path), PASSWORD_PROTECTED)
        return XLS
    if head.startswith(b"PAR1"):
        return PARQUET
    markup = _is_markup(head)
    if markup == HTML:
        return HTML
    if markup == "spreadsheetml":
        raise InputFileError(str(path), "Excel 2003 XML spreadsheet; open it in Excel and save as .xlsx")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf16_without_bom(head):
        raise InputFileError(str(path), "binary file of unknown format (not a spreadsheet or text table)")
    return CSV
