"""``ringkasan.html``: one self-contained page (inline CSS and SVG, nothing fetched) for projecting in a
meeting: totals, villages that sent nothing, a bar per kecamatan, and the per-desa table.

It shows counts and region names only: never a NIK, a No KK or a person's name.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from verval_cli import __version__, marks
from verval_cli.outputs import write_atomic
from verval_cli.report.progress import (
    angka,
    desa_progress,
    kecamatan_progress,
    persen,
    progress_totals,
    tanggal,
)

if TYPE_CHECKING:
    from verval_cli.reconcile import ReconcileResult

SEGMENTS: Final = (
    ("matched", "Cocok", "#2e7d32"),
    ("review", "Perlu diperiksa", "#f9a825"),
    ("not_reported", "Belum dilaporkan", "#c62828"),
)
_CSS: Final = """
body{font-family:"Segoe UI",Arial,sans-serif;margin:0;padding:24px 40px;color:#1a1a1a;background:#fff;font-size:18px}
h1{font-size:34px;margin:0 0 4px}h2{font-size:26px;margin:36px 0 12px;border-bottom:3px solid #1f4e78}
.sub{color:#444;margin:0 0 20px}
.tiles{display:flex;flex-wrap:wrap;gap:16px}
.tile{flex:1 1 150px;border:2px solid #1f4e78;border-radius:8px;padding:12px 16px}
.tile .value{font-size:40px;font-weight:700}.tile .label{font-size:17px;color:#333}
.tile.warn{border-color:#c62828}.tile.warn .value{color:#c62828}
table{border-collapse:collapse;width:100%;font-size:17px}
th{background:#1f4e78;color:#fff;text-align:left;padding:6px 8px}
td{padding:5px 8px;border-bottom:1px solid #ccc}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.silent td{background:#fde2e1;font-weight:600}tr.total td{font-weight:700;border-top:3px solid #1a1a1a}
.legend span{display:inline-block;margin-right:24px}.legend i{display:inline-block;width:16px;height:16px;margin-right:6px;vertical-align:-2px}
ul.silent li{font-size:22px;color:#c62828;margin:4px 0}
footer{margin-top:40px;color:#555;font-size:14px}
@media print{body{padding:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def _tile(key: str, label: str, value: str, note: str = "", warn: bool = False) -> str:
    note_html = f'<div class="label">{escape(note)}</div>' if note else ""
    cls = "tile warn" if warn else "tile"
    return (
        f'<div class="{cls}" data-key="{key}"><div class="label">{escape(label)}</div>'
        f'<div class="value" id="total-{key}">{escape(value)}</div>{note_html}</div>'
    )


def _bar(counts: dict[str, Any], x: float, y: float, width: float, height: float, scale: int) -> str:
    """Stacked rectangles of SEGMENTS, ``width`` wide at ``scale`` households."""
    parts = []
    for key, label, colour in SEGMENTS:
        n = int(counts.get(key) or 0)
        w = width * n / scale if scale else 0.0
        if w > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(label)}: {angka(n)}</title></rect>"
            )
        x += w
    return "".join(parts)


def kecamatan_chart(kecamatan: pl.DataFrame) -> str:
    """An SVG bar per kecamatan (matched / review / not reported), bars scaled to the largest list."""
    rows = kecamatan.to_dicts()
    label_w, bar_w, row_h = 230, 560, 34
    height = max(row_h * len(rows), row_h) + 10
    scale = max([int(r["listed"]) for r in rows] + [1])
    out = [
        f'<svg role="img" aria-label="Progres per kecamatan" '
        f'viewBox="0 0 {label_w + bar_w + 170} {height}" width="100%" font-family="Arial" font-size="16">'
    ]
    for i, row in enumerate(rows):
        y = 5 + i * row_h
        name = row["kecamatan"] or row["kecamatan_code"] or "(tidak diketahui)"
        out.append(f'<text x="{label_w - 8}" y="{y + 22}" text-anchor="end">{escape(str(name))}</text>')
        out.append(_bar(row, label_w, y + 4, bar_w, row_h - 10, scale))
        listed = int(row["listed"])
        note = f"{persen(int(row['matched']), listed)} cocok dari {angka(listed)}"
        out.append(f'<text x="{label_w + bar_w + 8}" y="{y + 22}">{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend() -> str:
    items = "".join(f'<span><i style="background:{c}"></i>{escape(label)}</span>' for _, label, c in SEGMENTS)
    return f'<p class="legend">{items}</p>'


_KEC_HEAD: Final = (
    ("Kecamatan", ""),
    ("Desa", "n"),
    ("Belum mengirim", "n"),
    ("Terdaftar", "n"),
    ("Dilaporkan", "n"),
    ("Cocok", "n"),
    ("Belum selesai", "n"),
    ("Usulan baru", "n"),
    ("% cocok", "n"),
)
_DESA_HEAD: Final = (
    ("Kecamatan", ""),
    ("Desa", ""),
    ("Kode", ""),
    ("Terdaftar", "n"),
    ("Dilaporkan", "n"),
    ("Cocok", "n"),
    ("Perlu diperiksa", "n"),
    ("Belum dilaporkan", "n"),
    ("Usulan baru", "n"),
    ("% cocok", "n"),
    ("Progres", ""),
)


def _cells(values: list[tuple[str, str]]) -> str:
    return "".join(
        f'<td class="{cls}">{escape(v)}</td>' if cls else f"<td>{escape(v)}</td>" for v, cls in values
    )


def _head(columns: tuple[tuple[str, str], ...]) -> str:
    cells = "".join(
        f'<th class="{cls}">{escape(h)}</th>' if cls else f"<th>{escape(h)}</th>" for h, cls in columns
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _kecamatan_table(kecamatan: pl.DataFrame, totals: dict[str, int]) -> str:
    body = []
    for row in [*kecamatan.to_dicts(), {**totals, "kecamatan": "JUMLAH", "_total": True}]:
        name = str(row.get("kecamatan") or row.get("kecamatan_code") or "(tidak diketahui)")
        values = [(name, "")] + [
            (angka(int(row[k])), "n")
            for k in ("villages", "silent_villages", "listed", "reported", "matched", "open", "new")
        ]
        values.append((persen(int(row["matched"]), int(row["listed"])), "n"))
        cls = ' class="total"' if row.get("_total") else ""
        body.append(f"<tr{cls}>{_cells(values)}</tr>")
    return f'<table id="kecamatan">{_head(_KEC_HEAD)}<tbody>{"".join(body)}</tbody></table>'


def _desa_table(desa: pl.DataFrame, totals: dict[str, int]) -> str:
    body = []
    for row in desa.to_dicts():
        values = [
            (str(row["kecamatan"] or ""), ""),
            (str(row["desa"] or "(tidak diketahui)"), ""),
            (str(row["desa_code"] or "-"), ""),
            *[
                (angka(int(row[k])), "n")
                for k in ("listed", "reported", "matched", "review", "not_reported", "new")
            ],
            (persen(int(row["matched"]), int(row["listed"])), "n"),
        ]
        scale = max(int(row["listed"]), 1)
        mini = f'<svg viewBox="0 0 120 14" width="120" height="14">{_bar(row, 0, 0, 120, 14, scale)}</svg>'
        cls = ' class="silent"' if row["silent"] else ""
        body.append(f"<tr{cls}>{_cells(values)}<td>{mini}</td></tr>")
    total_values = [("JUMLAH", ""), ("", ""), ("", "")] + [
        (angka(totals[k]), "n") for k in ("listed", "reported", "matched", "review", "not_reported", "new")
    ]
    total_values += [(persen(totals["matched"], totals["listed"]), "n"), ("", "")]
    body.append(f'<tr class="total">{_cells(total_values)}</tr>')
    return f'<table id="desa">{_head(_DESA_HEAD)}<tbody>{"".join(body)}</tbody></table>'


def _silent_list(desa: pl.DataFrame) -> str:
    silent = desa.filter(pl.col("silent"))
    if silent.height == 0:
        return '<p id="silent-none">Semua desa sudah mengirim hasil verval.</p>'
    items = [
        f"<li>Desa {escape(str(r['desa'] or r['desa_code']))} (Kec. {escape(str(r['kecamatan'] or '-'))}) — "
        f"{angka(int(r['listed']))} keluarga</li>"
        for r in silent.to_dicts()
    ]
    return f'<ul class="silent" id="silent">{"".join(items)}</ul>'


def _failures(summary: dict[str, Any]) -> str:
    failures = summary.get("failures") or []
    if not failures:
        return ""
    items = "".join(
        f"<li>{escape(Path(str(f.get('file'))).name)}: {escape(str(f.get('reason')))}</li>" for f in failures
    )
    return f'<h2>File yang gagal dibaca ({len(failures)})</h2><ul id="failures">{items}</ul>'


def _files_without_status(summary: dict[str, Any]) -> str:
    files = summary.get("files_without_status") or []
    if not files:
        return ""
    items = "".join(
        f"<li>{escape(Path(str(f.get('file'))).name)}: {angka(int(f.get('rows') or 0))} baris — "
        f"{angka(int(f.get('new') or 0))} usulan baru, {angka(int(f.get('not_on_list') or 0))} tidak ada di "
        f"daftar{' (file usulan)' if f.get('proposal') else ''}</li>"
        for f in files
    )
    return f'<h2>File tanpa kolom status hasil verval ({len(files)})</h2><ul id="files-without-status">{items}</ul>'


def progress_page(result: ReconcileResult, *, today: dt.date | None = None) -> str:
    """The page as text."""
    desa = desa_progress(result)
    kecamatan = kecamatan_progress(desa)
    t = progress_totals(desa)
    regency = str(result.summary.get("regency_name") or result.summary.get("regency") or "")
    day = tanggal(today or dt.date.today())
    title = f"Progres Verval Data Kemiskinan Ekstrem{' — ' + regency if regency else ''}"
    tiles = "".join(
        [
            _tile("listed", "Keluarga dalam daftar", angka(t["listed"])),
            _tile("reported", "Baris dilaporkan desa", angka(t["reported"])),
            _tile("matched", "Keluarga cocok", angka(t["matched"]), persen(t["matched"], t["listed"])),
            _tile(
                "open", "Belum selesai", angka(t["open"]), "perlu diperiksa + belum dilaporkan", t["open"] > 0
            ),
            _tile("new", "Usulan baru", angka(t["new"])),
            _tile(
                "not_on_list",
                "Tidak ada di daftar",
                angka(t["not_on_list"]),
                "baris tanpa pasangan, bukan usulan",
                t["not_on_list"] > 0,
            ),
            _tile(
                "silent",
                "Desa belum mengirim",
                angka(t["silent_villages"]),
                f"dari {angka(t['villages'])} desa",
                t["silent_villages"] > 0,
            ),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f"{marks.html_meta(marks.PROGRESS_PAGE)}"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="sub">Keadaan per {escape(day)}. Angka dalam keluarga (KK).</p>'
        f'<div class="tiles">{tiles}</div>'
        f"<h2>Desa yang belum mengirim sama sekali</h2>{_silent_list(desa)}"
        f"<h2>Progres per kecamatan</h2>{_legend()}{kecamatan_chart(kecamatan)}"
        f"{_kecamatan_table(kecamatan, t)}"
        f"<h2>Per desa (desa yang belum mengirim di atas)</h2>{_desa_table(desa, t)}"
        f"{_failures(result.summary)}{_files_without_status(result.summary)}"
        f"<footer>Dibuat dengan verval {escape(__version__)} pada {escape(day)}. Belum selesai = perlu "
        "diperiksa + belum dilaporkan. Halaman ini tidak memuat NIK, No KK, atau nama.</footer>"
        "</body></html>\n"
    )


def write_progress_html(result: ReconcileResult, target: Path, *, today: dt.date | None = None) -> Path:
    """Write :func:`progress_page` to ``target`` atomically (UTF-8)."""
    page = progress_page(result, today=today)

    def _write(tmp: Path) -> None:
        tmp.write_text(page, encoding="utf-8")

    return write_atomic(target, _write)
