"""Builders shared by the hardening tests: a good two-row submission and an OLE2 compound file."""

from __future__ import annotations

import struct
from pathlib import Path

import openpyxl

HEADER = ["NO", "NAMA KK", "NIK", "TGL LAHIR", "HASIL VERVAL"]
ROWS = [
    [1, "SUPARNO", "3304031508950001", "15-08-1995", "Ada"],
    [2, "TUKIYEM", "3304034101800002", "01/01/1980", "Pindah"],
]


def write_book(path: Path, rows: list[list[object]], *, title: str = "Data") -> Path:
    """A one-sheet xlsx (openpyxl) with the given rows from A1."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def good_xlsx(path: Path) -> Path:
    return write_book(path, [HEADER, *ROWS])


# A compound file (OLE2 / CFB v3) holding streams of >= 4096 bytes, so no mini stream is needed. It is
# enough for a real BIFF8 .xls and for the container of a password-protected .xlsx.
_END, _FREE, _FATSECT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(
    name: str, kind: int, start: int, size: int, *, child: int = _NONE, right: int = _NONE
) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    entry = raw.ljust(64, b"\0") + struct.pack(
        "<HBBIII", len(raw), kind, 1 if kind else 0, _NONE, right, child
    )
    return entry + b"\0" * 36 + struct.pack("<IQ", start, size)


def compound_file(streams: dict[str, bytes]) -> bytes:
    fat, body, entries, sector = [_FATSECT, _END], b"", [], 2
    for i, (name, data) in enumerate(streams.items()):
        assert len(data) >= 4096
        padded = data.ljust(-(-len(data) // 512) * 512, b"\0")
        n = len(padded) // 512
        fat += [sector + k + 1 for k in range(n - 1)] + [_END]
        right = i + 2 if i + 1 < len(streams) else _NONE
        entries.append(_dir_entry(name, 2, sector, len(data), right=right))
        sector, body = sector + n, body + padded
    assert len(fat) <= 128 and len(entries) <= 3
    directory = _dir_entry("Root Entry", 5, _END, 0, child=1) + b"".join(entries)
    directory += _dir_entry("", 0, 0, 0) * (4 - 1 - len(entries))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    return header + struct.pack("<128I", *(fat + [_FREE] * (128 - len(fat)))) + directory + body
