"""Submission file shapes (template kept, retyped, CSV, one sheet per RW) and the writers.

A shape turns a village's entries into a ``FilePlan``: the exact grid of cells of every sheet, with the
row number of every data row. Planning is pure (the ground truth comes from the plan); ``write_plan``
and ``write_province`` only copy grids to disk.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl
import xlsxwriter

Cell = str | int | float | date | None

# Fixed workbook metadata, so that the same scenario gives the same bytes.
_CREATED = datetime(2023, 2, 6, 8, 0, 0)
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember")  # fmt: skip


@dataclass(slots=True)
class Entry:
    """One data row of a submission: what is written, and the truth about it."""

    province_id: str | None
    individual_id: str | None
    true_status: str
    true_nik: str
    true_name: str
    name: str
    nik: Cell
    no_kk: Cell
    birth: date
    rt: int
    rw: int
    dusun: str
    status: Cell = None
    notes: str = ""
    id_cell: str | None = None
    base: dict[str, Cell] = field(default_factory=dict)
    damages: list[str] = field(default_factory=list)
    duplicate: bool = False
    other_village: bool = False


@dataclass(frozen=True)
class Village:
    """Names a file's title block and signature use."""

    code: str
    name: str
    kecamatan: str
    regency: str
    province: str


@dataclass
class SheetPlan:
    """A sheet's cells (row-major, 0-based lists), merged ranges and its data rows (1-based row numbers)."""

    name: str | None
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    data: list[tuple[int, Entry]] = field(default_factory=list)

    def add(self, cells: Sequence[Cell], entry: Entry | None = None) -> None:
        self.rows.append(list(cells))
        if entry is not None:
            self.data.append((len(self.rows), entry))

    def title(self, text: str, width: int) -> None:
        """A merged title row across ``width`` columns."""
        self.merges.append((len(self.rows), 0, len(self.rows), width - 1))
        self.add([text])


@dataclass
class FilePlan:
    """A whole submission file."""

    name: str
    is_csv: bool
    sheets: list[SheetPlan]


def upper(text: str) -> str:
    return text.upper()


def _date_text(d: date, style: int) -> Cell:
    match style:
        case 0:
            return d.strftime("%d-%m-%Y")
        case 1:
            return d.strftime("%d/%m/%Y")
        case 2:
            return d.isoformat()
        case 3:
            return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
        case 4:
            return f"{d.day}-{d.month}-{d.year}"
        case _:
            return d


def _signature(sheet: SheetPlan, rng: random.Random, village: Village, head: str, operator: str) -> None:
    day = rng.randint(6, 10)
    place = village.name.title()
    sheet.add([])
    sheet.add([None, "Mengetahui,", None, None, None, None, f"{place}, {day} Februari 2023"])
    sheet.add([None, f"Kepala Desa {place}", None, None, None, None, "Operator Desa"])
    sheet.add([])
    sheet.add([])
    sheet.add([None, f"( {head} )", None, None, None, None, f"( {operator} )"])


def render_retyped(
    rng: random.Random, village: Village, entries: list[Entry], new: list[Entry], names: tuple[str, str]
) -> list[SheetPlan]:
    """The operator's own sheet: title, own headers, groups, totals, signature; proposals below or apart."""
    headers = rng.choice(
        (
            ["NO", "NAMA KK", "NIK", "NO. KK", "RT/RW", "TGL LAHIR", "HASIL VERVAL", "KET"],
            [
                "NO",
                "NAMA KEPALA KELUARGA",
                "NIK",
                "NOMOR KK",
                "RT/RW",
                "TANGGAL LAHIR",
                "STATUS",
                "KETERANGAN",
            ],
        )
    )
    width, date_style = len(headers), rng.randrange(6)
    order = rng.randrange(3)
    if order == 0:
        entries = sorted(entries, key=lambda e: (e.rw, e.rt))
    elif order == 1:
        entries = sorted(entries, key=lambda e: e.name)
    else:
        entries = rng.sample(entries, len(entries))
    gaps = order == 0 and rng.random() < 0.7
    sheet = SheetPlan(rng.choice(("Sheet1", "VERVAL", village.name.upper()[:31])))
    sheet.title("HASIL VERIFIKASI DAN VALIDASI DATA KEMISKINAN EKSTREM", width)
    sheet.title(f"DESA {upper(village.name)} KECAMATAN {upper(village.kecamatan)}", width)
    if rng.random() < 0.5:
        sheet.title(upper(village.regency), width)
    sheet.add([])
    sheet.add(headers)

    def row(no: int, e: Entry) -> list[Cell]:
        style = date_style if rng.random() > 0.1 else rng.randrange(6)
        rtrw = f"{e.rt:03d}/{e.rw:03d}" if rng.random() > 0.15 else f"{e.rt}/{e.rw}"
        return [no, e.name, e.nik, e.no_kk, rtrw, _date_text(e.birth, style), e.status, e.notes or None]

    last_rw = None
    for no, e in enumerate(entries, start=1):
        if gaps and last_rw is not None and e.rw != last_rw:
            sheet.add([])
        last_rw = e.rw
        sheet.add(row(no, e), e)
    sheets = [sheet]
    if new and rng.random() < 0.5:
        extra = SheetPlan("USULAN BARU")
        extra.title(f"USULAN BARU DESA {upper(village.name)}", width)
        extra.add([])
        extra.add(headers)
        for no, e in enumerate(new, start=1):
            extra.add(row(no, e), e)
        sheets.append(extra)
    elif new:
        sheet.add(["USULAN BARU"])
        for no, e in enumerate(new, start=len(entries) + 1):
            sheet.add(row(no, e), e)
    sheet.add([])
    if rng.random() < 0.5:
        sheet.merges.append((len(sheet.rows), 0, len(sheet.rows), 2))
        sheet.add([f"JUMLAH {len(entries)} KK"])
    else:
        sheet.add([None, f"JUMLAH {len(entries)} KK"])
    _signature(sheet, rng, village, *names)
    return sheets


def render_per_rw(
    rng: random.Random, village: Village, entries: list[Entry], new: list[Entry]
) -> list[SheetPlan]:
    """One sheet per RW (or per dusun), each with its own small title block; dates as date cells."""
    headers = [
        "NO",
        "NAMA KEPALA KELUARGA",
        "NIK",
        "NOMOR KK",
        "RT",
        "RW",
        "TANGGAL LAHIR",
        "STATUS",
        "KETERANGAN",
    ]
    by_dusun = rng.random() < 0.4
    groups: dict[int, list[Entry]] = {}
    labels: dict[int, str] = {}
    for e in sorted(entries + new, key=lambda e: (e.rw, e.province_id is None, e.rt)):
        if not e.other_village:
            labels.setdefault(e.rw, f"DUSUN {e.dusun}" if by_dusun else f"RW {e.rw:02d}")
            groups.setdefault(e.rw, []).append(e)
    for e in entries:  # a neighbour's household lands in the sheet of its RW number, or the last one
        if e.other_village:
            groups.get(e.rw, groups[max(groups)]).append(e)
    sheets = []
    for rw, block in groups.items():
        label = labels[rw]
        sheet = SheetPlan(label[:31])
        sheet.title(f"DATA HASIL VERVAL P3KE DESA {upper(village.name)} {label}", len(headers))
        sheet.add(["KECAMATAN " + upper(village.kecamatan)])
        sheet.add([])
        sheet.add(headers)
        for no, e in enumerate(block, start=1):
            sheet.add([no, e.name, e.nik, e.no_kk, e.rt, e.rw, e.birth, e.status, e.notes or None], e)
        sheets.append(sheet)
    return sheets


def render_csv(
    rng: random.Random, village: Village, entries: list[Entry], new: list[Entry]
) -> list[SheetPlan]:
    """A sheet saved by Excel as CSV (Indonesian locale): title lines become ';;;;' rows."""
    with_desa = rng.random() < 0.5
    headers = ["NO", "NAMA", "NIK", "NO_KK", "ALAMAT", "RT", "RW", "TGL_LAHIR", "STATUS", "KETERANGAN"]
    headers += ["DESA"] if with_desa else []
    sheet = SheetPlan(None)
    if rng.random() < 0.5:
        sheet.add([f"HASIL VERVAL P3KE DESA {upper(village.name)}"] + [None] * (len(headers) - 1))
        sheet.add([None] * len(headers))
    sheet.add(headers)
    for no, e in enumerate(entries + new, start=1):
        cells: list[Cell] = [no, e.name, e.nik, e.no_kk, f"DUSUN {e.dusun}", e.rt, e.rw]
        cells += [e.birth.strftime("%d/%m/%Y"), e.status, e.notes or None]
        cells += [upper(village.name)] if with_desa else []
        sheet.add(cells, e)
    return [sheet]


def render_template(
    rng: random.Random, columns: Sequence[str], title: Sequence[str], entries: list[Entry], new: list[Entry]
) -> list[SheetPlan]:
    """The province columns kept as they were, plus a status and a notes column filled in."""
    status_header = rng.choice(("hasil_verval", "status", "HASIL VERVAL"))
    headers = [*columns, status_header, "keterangan"]
    sheet = SheetPlan(rng.choice(("Sheet1", "daftar_sasaran", "DATA")))
    if rng.random() < 0.4:  # the province's title block came along with the copy
        for line in title:
            sheet.title(line, 8)
        while len(sheet.rows) < 11:
            sheet.add([])
    sheet.add(headers)
    for e in entries + new:
        base = dict(e.base)
        base["id_keluarga_p3ke"] = e.id_cell
        base["nama" if "nama" in base else "kepala_keluarga"] = e.name
        base["nik"] = e.nik
        sheet.add([*(base.get(c) for c in columns), e.status, e.notes or None], e)
    return [sheet]


# --- writing ---------------------------------------------------------------------------------------------
def _csv_field(value: Cell) -> str:
    if value is None:
        return ""
    text = value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)
    if any(c in text for c in ';"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_sheet(book: xlsxwriter.Workbook, sheet: SheetPlan, date_format: object) -> None:
    ws = book.add_worksheet(sheet.name)
    merged = {(r, c) for r, c, _, _ in sheet.merges}
    for r1, c1, r2, c2 in sheet.merges:
        value = sheet.rows[r1][c1] if c1 < len(sheet.rows[r1]) else None
        ws.merge_range(r1, c1, r2, c2, "" if value is None else str(value))
    for r, cells in enumerate(sheet.rows):
        for c, value in enumerate(cells):
            if value is None or (r, c) in merged:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
            else:
                ws.write_number(r, c, value)


def write_plan(plan: FilePlan, folder: Path) -> Path:
    """Write one submission file; returns its path."""
    path = folder / plan.name
    if plan.is_csv:
        lines = (";".join(_csv_field(v) for v in row) for row in plan.sheets[0].rows)
        path.write_bytes("".join(line + "\r\n" for line in lines).encode("cp1252"))
        return path
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": _CREATED, "author": "Operator Desa"})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for sheet in plan.sheets:
        _write_sheet(book, sheet, date_format)
    book.close()
    return path


def write_province(frame: pl.DataFrame, title: Sequence[str], path: Path, *, header_row: int = 12) -> None:
    """The province list: merged title block, header on ``header_row``, IDs as text cells."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": _CREATED, "author": "P3KE"})
    ws = book.add_worksheet("daftar_sasaran")
    bold = book.add_format({"bold": True, "align": "center"})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    text_format = book.add_format({"num_format": "@"})
    for r, line in enumerate(title):
        ws.merge_range(r, 0, r, 8, line, bold)
    ws.write_row(header_row - 1, 0, frame.columns, bold)
    for r, row in enumerate(frame.iter_rows(), start=header_row):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value, text_format)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
            else:
                ws.write_number(r, c, value)
    book.close()
