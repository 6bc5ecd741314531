"""One workbook per village, in Bahasa Indonesia: a cover sheet saying what to do and by when, then one
sheet per kind of problem, each row naming the village's own file, sheet and row.

>>> write_desa_workbooks(result, Path("per_desa"), deadline=date(2023, 2, 10))   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from verval_cli import marks
from verval_cli.progress import Progress, file_counter
from verval_cli.result import ReconcileResult
from verval_cli.writers.decision_columns import finish_decision_sheets
from verval_cli.writers.excel_style import Formats, make_formats, print_setup, write_table
from verval_cli.writers.outputs import update_manifest, write_atomic
from verval_cli.writers.report.desa_tables import STATUS_CHOICES, TASKS, VILLAGE, Task, village_tables
from verval_cli.writers.report.progress import angka, desa_progress, tanggal

COVER_SHEET: Final = "Petunjuk"
CONFIRMATION_SHEET: Final = "Konfirmasi"
UNKNOWN_VILLAGE_FILE: Final = "tanpa_kode_desa.xlsx"
_MAX_ROWS: Final = 1_048_575
_WORKBOOK_OPTIONS: Final = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}
_WRAP: Final = "_wrap"
_FILL_CHOICES: Final = {"_fill_status": STATUS_CHOICES, "_fill_same": ("ya", "tidak")}


@dataclass(frozen=True)
class Village:
    """A village's identity and progress counts (from :func:`desa_progress`)."""

    code: str | None
    name: str | None
    kecamatan: str | None
    counts: dict[str, Any]

    @property
    def label(self) -> str:
        return self.name or self.code or "(desa tidak diketahui)"


def desa_file_name(code: str | None, name: str | None) -> str:
    """``3304032004_Kebanaran.xlsx``; only letters, digits and ``_`` in the name part."""
    if not code:
        return UNKNOWN_VILLAGE_FILE
    safe = re.sub(r"[^A-Za-z0-9]+", "_", name or "").strip("_")
    return f"{code}_{safe}.xlsx" if safe else f"{code}.xlsx"


def _villages(result: ReconcileResult, tables: dict[str, pl.DataFrame]) -> list[Village]:
    progress = desa_progress(result)
    out = [
        Village(row["desa_code"], row["desa"], row["kecamatan"], row)
        for row in progress.sort("desa_code", nulls_last=True).iter_rows(named=True)
    ]
    known = {v.code for v in out}
    if any(t[VILLAGE].null_count() for t in tables.values()) and None not in known:
        out.append(Village(None, None, None, {}))
    return out


def _parts(tables: dict[str, pl.DataFrame]) -> dict[str, dict[str | None, pl.DataFrame]]:
    parts: dict[str, dict[str | None, pl.DataFrame]] = {}
    for key, frame in tables.items():
        split = frame.partition_by(VILLAGE, as_dict=True, maintain_order=True) if frame.height else {}
        parts[key] = {k[0]: v for k, v in split.items()}
    return parts


def write_desa_workbooks(
    result: ReconcileResult,
    folder: Path,
    *,
    deadline: dt.date | None = None,
    mask_nik: bool = False,
    mask_names: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write one workbook per listed or reporting village into ``folder``; return the paths in code order."""
    tables = village_tables(result, mask_nik=mask_nik, mask_names=mask_names)
    parts = _parts(tables)
    regency = result.summary.get("regency_name") or result.summary.get("regency")
    context = _Context(regency, deadline, today or dt.date.today(), mask_nik, mask_names)
    written = []
    villages = _villages(result, tables)
    tick = file_counter(progress, "village", len(villages))
    for village in villages:
        tick()
        frames = {t.key: parts[t.key].get(village.code) for t in TASKS}
        todo = [(t, f) for t in TASKS if (f := frames[t.key]) is not None and f.height]
        target = Path(folder) / desa_file_name(village.code, village.name)
        written.append(write_atomic(target, _writer(village, todo, context)))
    update_manifest(Path(folder), "report --per-desa", written)
    return written


@dataclass(frozen=True)
class _Context:
    regency: str | None
    deadline: dt.date | None
    today: dt.date
    mask_nik: bool
    mask_names: bool


def _writer(village: Village, todo: list[tuple[Task, pl.DataFrame]], ctx: _Context) -> Any:
    def write(tmp: Path) -> None:
        workbook = Workbook(str(tmp), _WORKBOOK_OPTIONS)
        marks.mark_xlsxwriter(workbook, marks.VILLAGE_WORKBOOK)
        formats = make_formats(workbook)
        formats[_WRAP] = workbook.add_format({"text_wrap": True, "valign": "top", "font_size": 10})
        if todo:
            cover = workbook.add_worksheet(COVER_SHEET)
            _cover(cover, formats, village, todo, ctx)
            print_setup(cover, header_row=None)
            fill_format = workbook.add_format({"bg_color": "#FFF2CC", "border": 1, "font_size": 10})
            for task, frame in todo:
                names = write_table(
                    workbook, formats, task.sheet, frame, list(task.columns), max_rows=_MAX_ROWS
                )
                _fill_columns(workbook.get_worksheet_by_name(names[0]), task, frame.height, fill_format)
                finish_decision_sheets(workbook, names, list(task.columns), frame.height, _MAX_ROWS, "id")
        else:
            confirmation = workbook.add_worksheet(CONFIRMATION_SHEET)
            _confirmation(confirmation, formats, village, ctx)
            print_setup(confirmation, header_row=None)
        workbook.close()

    return write


def _fill_columns(ws: Worksheet | None, task: Task, rows: int, fmt: Any) -> None:
    """Shade the columns the village fills in; offer a drop-down where the answers are fixed."""
    if ws is None:
        return
    keys = [c.key for c in task.columns]
    for key in task.fill:
        c = keys.index(key)
        for r in range(1, rows + 1):
            ws.write_blank(r, c, None, fmt)
        choices = _FILL_CHOICES.get(key)
        if choices:
            ws.data_validation(
                1, c, rows, c, {"validate": "list", "source": list(choices), "error_type": "information"}
            )


def _header(ws: Worksheet, formats: Formats, village: Village, ctx: _Context) -> int:
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 100)
    ws.write_string(0, 0, "Hasil Pemeriksaan Verval Data Kemiskinan Ekstrem", formats["title"])
    place = f"Desa {village.label}"
    if village.kecamatan:
        place += f" — Kecamatan {village.kecamatan}"
    if ctx.regency:
        known = ctx.regency.lower().startswith(("kab", "kota"))
        place += f" — {ctx.regency}" if known else f" — Kabupaten {ctx.regency}"
    ws.write_string(1, 0, place, formats["subtitle"])
    ws.write_string(2, 0, f"Kode desa: {village.code or '-'}")
    ws.write_string(3, 0, f"Dibuat: {tanggal(ctx.today)}")
    return 5


def _cover(
    ws: Worksheet, formats: Formats, village: Village, todo: list[tuple[Task, pl.DataFrame]], ctx: _Context
) -> None:
    row = _header(ws, formats, village, ctx)
    when = tanggal(ctx.deadline, weekday=True) if ctx.deadline else "segera (tanyakan ke kecamatan/kabupaten)"
    ws.write_string(row - 1, 0, f"Batas waktu perbaikan: {when}", formats["flag"])
    counts = village.counts
    if counts.get("silent"):
        ws.write_string(
            row,
            0,
            f"Desa ini belum mengirim hasil verval sama sekali: semua {angka(int(counts['listed']))} keluarga "
            "dalam daftar belum dilaporkan.",
            formats["sev_error"],
        )
        row += 1
    ws.write_string(row + 1, 0, "Ringkasan", formats["subtitle"])
    row += 2
    for label, key in (
        ("Keluarga dalam daftar provinsi", "listed"),
        ("Baris yang dikirim desa", "reported"),
        ("Keluarga cocok", "matched"),
        ("Keluarga perlu diperiksa", "review"),
        ("Keluarga belum dilaporkan", "not_reported"),
        ("Usulan baru", "new"),
    ):
        ws.write_string(row, 0, label)
        ws.write_number(row, 1, int(counts.get(key) or 0), formats["int"])
        row += 1
    ws.write_string(row + 1, 0, "Yang perlu dilakukan", formats["subtitle"])
    row += 2
    ws.write_row(row, 0, ["Lembar", "Jumlah baris", "Apa yang harus dilakukan"], formats["header"])
    wrap = formats[_WRAP]
    for task, frame in todo:
        row += 1
        ws.write_url(row, 0, f"internal:'{task.sheet}'!A1", string=task.sheet)
        ws.write_number(row, 1, frame.height, formats["int"])
        ws.write_string(row, 2, task.todo, wrap)
    row += 2
    notes = [
        "Perbaiki di file desa yang asli: setiap lembar menyebut file, sheet dan baris yang dimaksud.",
        "Simpan NIK dan No KK sebagai teks (format sel Text), jangan sebagai angka.",
        "Kirim kembali file yang sudah diperbaiki ke operator kabupaten sebelum batas waktu.",
    ]
    if ctx.mask_nik or ctx.mask_names:
        notes.append(
            "Untuk melindungi data pribadi, NIK/No KK (3304********0001) atau nama dalam laporan ini "
            "disamarkan; gunakan dokumen asli saat memperbaiki."
        )
    ws.write_string(row, 0, "Cara mengirim perbaikan", formats["subtitle"])
    for i, note in enumerate(notes, start=1):
        ws.write_string(row + i, 0, f"{i}. {note}")


def _confirmation(ws: Worksheet, formats: Formats, village: Village, ctx: _Context) -> None:
    row = _header(ws, formats, village, ctx)
    counts = village.counts
    ws.write_string(
        row,
        0,
        f"Terima kasih. Hasil verval Desa {village.label} sudah diterima dan diperiksa.",
        formats["ok"],
    )
    ws.write_string(
        row + 1,
        0,
        f"{angka(int(counts.get('reported') or 0))} baris dikirim; {angka(int(counts.get('listed') or 0))} "
        "keluarga dalam daftar provinsi, semuanya cocok. Tidak ada yang perlu diperbaiki.",
    )
