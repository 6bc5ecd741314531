"""``ringkasan.html``: one self-contained page (inline CSS and SVG, nothing fetched) for projecting in a
meeting: totals, villages that sent nothing, a bar per kecamatan, and the per-desa table.

It shows counts and region names only: never a NIK, a No KK or a person's name.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import Any, Final

import polars as pl

from verval_cli import marks
from verval_cli._version import __version__
from verval_cli.changes import change_lines
from verval_cli.messages import text
from verval_cli.result import ReconcileResult
from verval_cli.writers.outputs import write_atomic
from verval_cli.writers.report.progress import (
    angka,
    desa_progress,
    kecamatan_progress,
    persen,
    progress_totals,
    tanggal,
)

SEGMENTS: Final = (
    ("matched", "Cocok", "#2e7d32"),
    ("review", "Perlu diperiksa", "#f9a825"),
    ("not_reported", "Belum dilaporkan", "#c62828"),
)
# Every word of the page, per language (the Indonesian page is the original).
WORDS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "matched": "Cocok",
        "review": "Perlu diperiksa",
        "not_reported": "Belum dilaporkan",
        "unknown": "(tidak diketahui)",
        "chart_label": "Progres per kecamatan",
        "matched_of": "{share} cocok dari {listed}",
        "kecamatan": "Kecamatan",
        "desa": "Desa",
        "code": "Kode",
        "silent": "Belum mengirim",
        "listed": "Terdaftar",
        "reported": "Dilaporkan",
        "open": "Belum selesai",
        "new": "Usulan baru",
        "share": "% cocok",
        "progress": "Progres",
        "total": "JUMLAH",
        "all_sent": "Semua desa sudah mengirim hasil verval.",
        "silent_item": "Desa {desa} (Kec. {kecamatan}) — {listed} keluarga",
        "failed": "File yang gagal dibaca ({count})",
        "title": "Progres Verval Data Kemiskinan Ekstrem",
        "tile_listed": "Keluarga dalam daftar",
        "tile_reported": "Baris dilaporkan desa",
        "tile_matched": "Keluarga cocok",
        "tile_open": "Belum selesai",
        "tile_open_note": "perlu diperiksa + belum dilaporkan",
        "tile_new": "Usulan baru",
        "tile_silent": "Desa belum mengirim",
        "tile_silent_note": "dari {villages} desa",
        "as_of": "Keadaan per {day}. Angka dalam keluarga (KK).",
        "h_silent": "Desa yang belum mengirim sama sekali",
        "h_kecamatan": "Progres per kecamatan",
        "h_desa": "Per desa (desa yang belum mengirim di atas)",
        "footer": "Dibuat dengan verval {version} pada {day}. Belum selesai = perlu diperiksa + belum "
        "dilaporkan. Halaman ini tidak memuat NIK, No KK, atau nama.",
    },
    "en": {
        "matched": "Matched",
        "review": "Needs review",
        "not_reported": "Not reported",
        "unknown": "(unknown)",
        "chart_label": "Progress per kecamatan",
        "matched_of": "{share} matched of {listed}",
        "kecamatan": "Kecamatan",
        "desa": "Village",
        "code": "Code",
        "silent": "Sent nothing",
        "listed": "Listed",
        "reported": "Reported",
        "open": "Still open",
        "new": "New proposals",
        "share": "% matched",
        "progress": "Progress",
        "total": "TOTAL",
        "all_sent": "Every village has sent its verval results.",
        "silent_item": "Village {desa} (Kec. {kecamatan}) — {listed} households",
        "failed": "Files that could not be read ({count})",
        "title": "Extreme Poverty Verval Progress",
        "tile_listed": "Households on the list",
        "tile_reported": "Rows reported by villages",
        "tile_matched": "Households matched",
        "tile_open": "Still open",
        "tile_open_note": "needs review + not reported",
        "tile_new": "New proposals",
        "tile_silent": "Villages that sent nothing",
        "tile_silent_note": "of {villages} villages",
        "as_of": "As of {day}. Figures are households (KK).",
        "h_silent": "Villages that sent nothing at all",
        "h_kecamatan": "Progress per kecamatan",
        "h_desa": "Per village (villages that sent nothing first)",
        "footer": "Made with verval {version} on {day}. Still open = needs review + not reported. "
        "This page holds no NIK, No KK or name.",
    },
}
_EN_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _number(n: int, lang: str) -> str:
    return f"{n:,}" if lang == "en" else angka(n)


def _day(day: dt.date, lang: str) -> str:
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}" if lang == "en" else tanggal(day)


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


def _bar(
    counts: dict[str, Any], x: float, y: float, width: float, height: float, scale: int, lang: str = "id"
) -> str:
    """Stacked rectangles of SEGMENTS, ``width`` wide at ``scale`` households."""
    parts = []
    for key, _, colour in SEGMENTS:
        label = WORDS[lang][key]
        n = int(counts.get(key) or 0)
        w = width * n / scale if scale else 0.0
        if w > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(label)}: {_number(n, lang)}</title></rect>"
            )
        x += w
    return "".join(parts)


def kecamatan_chart(kecamatan: pl.DataFrame, lang: str = "id") -> str:
    """An SVG bar per kecamatan (matched / review / not reported), bars scaled to the largest list."""
    rows = kecamatan.to_dicts()
    label_w, bar_w, row_h = 230, 560, 34
    height = max(row_h * len(rows), row_h) + 10
    scale = max([int(r["listed"]) for r in rows] + [1])
    out = [
        f'<svg role="img" aria-label="{escape(WORDS[lang]["chart_label"])}" '
        f'viewBox="0 0 {label_w + bar_w + 170} {height}" width="100%" font-family="Arial" font-size="16">'
    ]
    for i, row in enumerate(rows):
        y = 5 + i * row_h
        name = row["kecamatan"] or row["kecamatan_code"] or WORDS[lang]["unknown"]
        out.append(f'<text x="{label_w - 8}" y="{y + 22}" text-anchor="end">{escape(str(name))}</text>')
        out.append(_bar(row, label_w, y + 4, bar_w, row_h - 10, scale, lang))
        listed = int(row["listed"])
        share = persen(int(row["matched"]), listed)
        note = WORDS[lang]["matched_of"].format(share=share, listed=_number(listed, lang))
        out.append(f'<text x="{label_w + bar_w + 8}" y="{y + 22}">{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend(lang: str = "id") -> str:
    items = "".join(
        f'<span><i style="background:{c}"></i>{escape(WORDS[lang][key])}</span>' for key, _, c in SEGMENTS
    )
    return f'<p class="legend">{items}</p>'


_KEC_HEAD: Final = (
    ("kecamatan", ""),
    ("desa", "n"),
    ("silent", "n"),
    ("listed", "n"),
    ("reported", "n"),
    ("matched", "n"),
    ("open", "n"),
    ("new", "n"),
    ("share", "n"),
)
_DESA_HEAD: Final = (
    ("kecamatan", ""),
    ("desa", ""),
    ("code", ""),
    ("listed", "n"),
    ("reported", "n"),
    ("matched", "n"),
    ("review", "n"),
    ("not_reported", "n"),
    ("new", "n"),
    ("share", "n"),
    ("progress", ""),
)


def _cells(values: list[tuple[str, str]]) -> str:
    return "".join(
        f'<td class="{cls}">{escape(v)}</td>' if cls else f"<td>{escape(v)}</td>" for v, cls in values
    )


def _head(columns: tuple[tuple[str, str], ...], lang: str) -> str:
    words = WORDS[lang]
    cells = "".join(
        f'<th class="{cls}">{escape(words[h])}</th>' if cls else f"<th>{escape(words[h])}</th>"
        for h, cls in columns
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _kecamatan_table(kecamatan: pl.DataFrame, totals: dict[str, int], lang: str = "id") -> str:
    words = WORDS[lang]
    body = []
    for row in [*kecamatan.to_dicts(), {**totals, "kecamatan": words["total"], "_total": True}]:
        name = str(row.get("kecamatan") or row.get("kecamatan_code") or words["unknown"])
        values = [(name, "")] + [
            (_number(int(row[k]), lang), "n")
            for k in ("villages", "silent_villages", "listed", "reported", "matched", "open", "new")
        ]
        values.append((persen(int(row["matched"]), int(row["listed"])), "n"))
        cls = ' class="total"' if row.get("_total") else ""
        body.append(f"<tr{cls}>{_cells(values)}</tr>")
    return f'<table id="kecamatan">{_head(_KEC_HEAD, lang)}<tbody>{"".join(body)}</tbody></table>'


def _desa_table(desa: pl.DataFrame, totals: dict[str, int], lang: str = "id") -> str:
    words = WORDS[lang]
    body = []
    for row in desa.to_dicts():
        values = [
            (str(row["kecamatan"] or ""), ""),
            (str(row["desa"] or words["unknown"]), ""),
            (str(row["desa_code"] or "-"), ""),
            *[
                (_number(int(row[k]), lang), "n")
                for k in ("listed", "reported", "matched", "review", "not_reported", "new")
            ],
            (persen(int(row["matched"]), int(row["listed"])), "n"),
        ]
        scale = max(int(row["listed"]), 1)
        mini = (
            f'<svg viewBox="0 0 120 14" width="120" height="14">{_bar(row, 0, 0, 120, 14, scale, lang)}</svg>'
        )
        cls = ' class="silent"' if row["silent"] else ""
        body.append(f"<tr{cls}>{_cells(values)}<td>{mini}</td></tr>")
    total_values = [(words["total"], ""), ("", ""), ("", "")] + [
        (_number(totals[k], lang), "n")
        for k in ("listed", "reported", "matched", "review", "not_reported", "new")
    ]
    total_values += [(persen(totals["matched"], totals["listed"]), "n"), ("", "")]
    body.append(f'<tr class="total">{_cells(total_values)}</tr>')
    return f'<table id="desa">{_head(_DESA_HEAD, lang)}<tbody>{"".join(body)}</tbody></table>'


def _silent_list(desa: pl.DataFrame, lang: str = "id") -> str:
    words = WORDS[lang]
    silent = desa.filter(pl.col("silent"))
    if silent.height == 0:
        return f'<p id="silent-none">{escape(words["all_sent"])}</p>'
    items = [
        "<li>"
        + escape(
            words["silent_item"].format(
                desa=r["desa"] or r["desa_code"],
                kecamatan=r["kecamatan"] or "-",
                listed=_number(int(r["listed"]), lang),
            )
        )
        + "</li>"
        for r in silent.to_dicts()
    ]
    return f'<ul class="silent" id="silent">{"".join(items)}</ul>'


def _failures(summary: dict[str, Any], lang: str = "id") -> str:
    failures = summary.get("failures") or []
    if not failures:
        return ""
    items = "".join(
        f"<li>{escape(Path(str(f.get('file'))).name)}: {escape(str(f.get('reason')))}</li>" for f in failures
    )
    heading = WORDS[lang]["failed"].format(count=len(failures))
    return f'<h2>{escape(heading)}</h2><ul id="failures">{items}</ul>'


def _files_without_status(summary: dict[str, Any], lang: str) -> str:
    files = summary.get("files_without_status") or []
    if not files:
        return ""
    en = lang == "en"
    rows, new, off = (
        ("rows", "new proposals", "not on the list")
        if en
        else ("baris", "usulan baru", "tidak ada di daftar")
    )
    tag = " (proposal file)" if en else " (file usulan)"
    items = "".join(
        f"<li>{escape(Path(str(f.get('file'))).name)}: {angka(int(f.get('rows') or 0))} {rows} — "
        f"{angka(int(f.get('new') or 0))} {new}, {angka(int(f.get('not_on_list') or 0))} {off}"
        f"{tag if f.get('proposal') else ''}</li>"
        for f in files
    )
    title = "Files without a verval status column" if en else "File tanpa kolom status hasil verval"
    return f'<h2>{title} ({len(files)})</h2><ul id="files-without-status">{items}</ul>'


_CHANGE_COLUMNS: Final = {
    "id": (
        ("desa", "Desa"),
        ("villages_reported_since", "Baru melapor"),
        ("files_resent", "File dikirim ulang"),
        ("files_new", "File baru"),
        ("households_newly_matched", "Baru cocok"),
        ("households_no_longer_matched", "Tidak lagi cocok"),
        ("households_status_changed", "Status berubah"),
        ("findings_fixed", "Temuan diperbaiki"),
        ("findings_new", "Temuan baru"),
        ("findings_still_open", "Masih terbuka"),
    ),
    "en": (
        ("desa", "Desa"),
        ("villages_reported_since", "Reported since"),
        ("files_resent", "Files resent"),
        ("files_new", "New files"),
        ("households_newly_matched", "Newly matched"),
        ("households_no_longer_matched", "No longer matched"),
        ("households_status_changed", "Status changed"),
        ("findings_fixed", "Findings fixed"),
        ("findings_new", "New findings"),
        ("findings_still_open", "Still open"),
    ),
}


def _changes_section(summary: dict[str, Any], lang: str) -> str:
    """What changed since the previous run in the same --out (a rerun; issue 21), per desa."""
    changes = summary.get("changes")
    if not isinstance(changes, dict):
        return ""
    names = {d.get("desa_code"): d.get("desa") for d in summary.get("desa") or []}
    columns = _CHANGE_COLUMNS["en" if lang == "en" else "id"]
    numbers = "".join(f'<th class="n">{escape(label)}</th>' for _, label in columns[1:])
    head = f"<th>{escape(columns[0][1])}</th>{numbers}"
    rows = []
    for d in changes.get("desa") or []:
        name = escape(str(names.get(d.get("desa_code")) or d.get("desa_code") or "?"))
        counts = "".join(f'<td class="n">{angka(int(d.get(key) or 0))}</td>' for key, _ in columns[1:])
        rows.append(f"<tr><td>{name}</td>{counts}</tr>")
    title = text("chg_title", lang, before=Path(str(changes.get("before"))).name)
    lines = "".join(f"<li>{escape(line)}</li>" for line in change_lines(changes, lang))
    table = f'<table id="changes"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return f"<h2>{escape(title)}</h2><ul>{lines}</ul>{table if rows else ''}"


def progress_page(result: ReconcileResult, *, today: dt.date | None = None, lang: str = "id") -> str:
    """The page as text, in ``lang`` (id or en)."""
    if lang not in WORDS:
        raise ValueError(f"lang must be one of {sorted(WORDS)}, not {lang!r}")
    w = WORDS[lang]
    desa = desa_progress(result)
    kecamatan = kecamatan_progress(desa)
    t = progress_totals(desa)
    regency = str(result.summary.get("regency_name") or result.summary.get("regency") or "")
    day = _day(today or dt.date.today(), lang)

    def n(value: int) -> str:
        return _number(value, lang)

    title = f"{w['title']}{' — ' + regency if regency else ''}"
    tiles = "".join(
        [
            _tile("listed", w["tile_listed"], n(t["listed"])),
            _tile("reported", w["tile_reported"], n(t["reported"])),
            _tile("matched", w["tile_matched"], n(t["matched"]), persen(t["matched"], t["listed"])),
            _tile("open", w["tile_open"], n(t["open"]), w["tile_open_note"], t["open"] > 0),
            _tile("new", w["tile_new"], n(t["new"])),
            _tile(
                "not_on_list",
                "Not on the list" if lang == "en" else "Tidak ada di daftar",
                n(t["not_on_list"]),
                "unlinked rows, not proposals" if lang == "en" else "baris tanpa pasangan, bukan usulan",
                t["not_on_list"] > 0,
            ),
            _tile(
                "silent",
                w["tile_silent"],
                n(t["silent_villages"]),
                w["tile_silent_note"].format(villages=n(t["villages"])),
                t["silent_villages"] > 0,
            ),
        ]
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"{marks.html_meta(marks.PROGRESS_PAGE)}"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="sub">{escape(w["as_of"].format(day=day))}</p>'
        f'<div class="tiles">{tiles}</div>{_changes_section(result.summary, lang)}'
        f"<h2>{escape(w['h_silent'])}</h2>{_silent_list(desa, lang)}"
        f"<h2>{escape(w['h_kecamatan'])}</h2>{_legend(lang)}{kecamatan_chart(kecamatan, lang)}"
        f"{_kecamatan_table(kecamatan, t, lang)}"
        f"<h2>{escape(w['h_desa'])}</h2>{_desa_table(desa, t, lang)}"
        f"{_failures(result.summary, lang)}{_files_without_status(result.summary, lang)}"
        f"<footer>{escape(w['footer'].format(version=__version__, day=day))}</footer>"
        "</body></html>\n"
    )


def write_progress_html(
    result: ReconcileResult, target: Path, *, today: dt.date | None = None, lang: str = "id"
) -> Path:
    """Write :func:`progress_page` to ``target`` atomically (UTF-8)."""
    page = progress_page(result, today=today, lang=lang)

    def _write(tmp: Path) -> None:
        tmp.write_text(page, encoding="utf-8")

    return write_atomic(target, _write)
