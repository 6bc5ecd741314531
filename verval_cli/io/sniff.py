"""Tell a file's format from its first bytes, whatever its extension says."""

from __future__ import annotations

import zipfile
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


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip().startswith(_ODS_MIME):
                return ODS
    except zipfile.BadZipFile as exc:
        raise InputFileError(str(path), "corrupt or truncated file (incomplete zip archive)") from exc
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return XLSB
    if "content.xml" in names:
        return ODS
    raise InputFileError(str(path), "zip archive that is not a spreadsheet (no xl/workbook.xml)")


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
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(str(path), "binary file of unknown format (not a spreadsheet or text table)")
    return CSV
