"""Every line the command line prints, in Bahasa Indonesia and English: one catalogue, one language per run.

>>> text("open_first", "en", path="hasil/laporan_verval.xlsx")
'Open first: hasil/laporan_verval.xlsx'
"""

from __future__ import annotations

import re
from typing import Final

LANGS: Final = ("id", "en")
DEFAULT_LANG: Final = "id"

# key -> (Bahasa Indonesia, English); placeholders are str.format fields.
CATALOGUE: Final[dict[str, tuple[str, str]]] = {
    # generic
    "error": ("galat", "error"),
    "warning": ("peringatan", "warning"),
    "interrupted": (
        "dihentikan; tidak ada hasil setengah jadi yang tertinggal",
        "interrupted; no partial output was left behind",
    ),
    "internal_error": (
        "kesalahan internal: {kind}: {detail} (jalankan dengan --debug untuk rinciannya)",
        "internal error: {kind}: {detail} (run with --debug for details)",
    ),
    "bad_lang": ("--lang: gunakan id atau en, bukan {value!r}", "--lang: use id or en, not {value!r}"),
    "open_first": ("Buka dulu: {path}", "Open first: {path}"),
    "written": ("ditulis: {path}", "written: {path}"),
    "files_written": ("file yang ditulis:", "files written:"),
    # progress stages
    "stage_load": ("membaca file", "reading files"),
    "stage_normalise": ("membersihkan data", "cleaning data"),
    "stage_prepare": ("menyiapkan", "preparing"),
    "stage_link": ("mencocokkan", "matching"),
    "stage_findings": ("mencatat perbedaan", "listing differences"),
    "stage_check": ("memeriksa baris", "checking rows"),
    "stage_annotate": ("menandai salinan", "annotating copies"),
    "stage_fix": ("menulis file siap unggah", "writing upload-ready files"),
    "stage_write": ("menulis hasil", "writing outputs"),
    "stage_village": ("menulis file desa", "writing village workbooks"),
    "stage_inspect": ("menjelaskan file", "describing files"),
    # deadline
    "deadline_format": (
        "--deadline: gunakan TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT, mis. 10-02-2023 (bukan {value!r})",
        "--deadline: use YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY, e.g. 10-02-2023 (not {value!r})",
    ),
    "deadline_past": (
        "batas waktu {date} sudah lewat (hari ini {today}); tetap dicetak di buku kerja desa",
        "deadline {date} is already past (today is {today}); it is still printed on the village workbooks",
    ),
    # sample / init
    "sample_written": ("Putaran sintetis ditulis ke {path}", "Synthetic round written to {path}"),
    "init_exists": (
        "{path} sudah ada; pakai --force untuk menimpanya",
        "{path} already exists; use --force to overwrite it",
    ),
    "cache_reused": (
        "{reused} dari {total} berkas tidak berubah sejak run sebelumnya: diambil dari {folder}",
        "{reused} of {total} files unchanged since the last run: taken from {folder}",
    ),
    "init_written": ("{path} ditulis; sunting sesuai kebutuhan", "{path} written; edit it to suit"),
    # reconcile
    "rec_balance_yes": ("ya", "yes"),
    "rec_balance_no": ("TIDAK", "NO"),
    "rec_balance": (
        "setiap baris tercatat: {ok} — {rows} baris kiriman desa, {rejected} baris tata letak/ditolak, "
        "{listed} keluarga dalam daftar",
        "every row accounted for: {ok} — {rows} submission rows, {rejected} layout/rejected rows, "
        "{listed} listed households",
    ),
    "rec_legend": (
        "Daftar = keluarga di daftar provinsi; Lapor = baris dari desa; Cocok = keluarga cocok; "
        "Periksa = perlu diperiksa; Belum = keluarga belum dilaporkan; Baru = usulan baru; "
        "Diam = desa yang belum mengirim file.",
        "Listed = households on the province list; Sent = rows from villages; Matched = households "
        "matched; Review = to check; Missing = listed but not reported; New = new proposals; "
        "Silent = villages that sent no file.",
    ),
    "failed_file": ("File gagal dibaca: {file}: {reason}", "File could not be read: {file}: {reason}"),
    # report
    "report_written": ("Laporan ditulis: {paths}", "Reports written: {paths}"),
    "villages_written": (
        "{count} file desa ditulis ke {folder}",
        "{count} village files written to {folder}",
    ),
    # inspect
    "ins_desa": ("desa", "desa"),
    "ins_desa_from": ("{code} {name} (dari {source})", "{code} {name} (from {source})"),
    "ins_desa_unknown": ("tidak dikenali", "not identified"),
    "src_column": ("kolom", "column"),
    "src_file name": ("nama file", "file name"),
    "src_title block": ("judul di atas tabel", "title block"),
    "ins_header": ("judul kolom", "header"),
    "ins_field": ("kolom baku", "field"),
    "ins_kept": ("(disimpan, tidak dipetakan)", "(kept, not mapped)"),
    "ins_note": ("catatan", "note"),
    "ins_problem": ("masalah", "problem"),
    "ins_sample": ("contoh baris", "sample rows"),
    "ins_line": (
        "format={format} baris_judul={header_row} baris_data={data_rows} baris_ditolak={rejected_rows}",
        "format={format} header_row={header_row} data_rows={data_rows} rejected_rows={rejected_rows}",
    ),
    # validate
    "val_title": ("Hasil pemeriksaan per file", "Results per file"),
    "val_file": ("File", "File"),
    "val_desa": ("Desa", "Desa"),
    "val_rows": ("Baris", "Rows"),
    "val_status": ("Status", "Status"),
    "val_errors": ("Kesalahan", "Errors"),
    "val_warnings": ("Peringatan", "Warnings"),
    "val_files": ("{count} file", "{count} files"),
    "val_ok_count": ("{count} OK", "{count} OK"),
    "val_ok": ("OK", "OK"),
    "val_has_warnings": ("peringatan", "warnings"),
    "val_has_errors": ("kesalahan", "errors"),
    "val_unreadable": ("tidak terbaca", "unreadable"),
    "val_codes_title": ("Jumlah temuan per kode", "Findings per code"),
    "val_code": ("Kode", "Code"),
    "val_severity": ("Tingkat", "Severity"),
    "val_count": ("Jumlah", "Count"),
    "val_message": ("Pesan", "Message"),
    "sev_error": ("kesalahan", "error"),
    "sev_warning": ("peringatan", "warning"),
    "sev_info": ("info", "info"),
    "val_no_regency": (
        "kabupaten tidak diketahui: pemeriksaan desa di luar kabupaten dilewati",
        "regency unknown: the check for villages outside the regency was skipped",
    ),
}

# The reconcile table's headings, in column order.
RECONCILE_HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("Kecamatan", "Daftar", "Lapor", "Cocok", "Periksa", "Belum", "Baru", "Diam"),
    "en": ("Kecamatan", "Listed", "Sent", "Matched", "Review", "Missing", "New", "Silent"),
}


# The library raises in English; an Indonesian run shows its messages through these phrases (longest
# first). Words no phrase covers are shown as raised.
ERROR_PHRASES_ID: Final[tuple[tuple[str, str], ...]] = (
    (
        r"folder is not empty; use --force to write into it",
        "folder tidak kosong; pakai --force untuk menulis ke dalamnya",
    ),
    (r"would overwrite an input file; choose another folder", "akan menimpa file masukan; pilih folder lain"),
    (r"exists and is not a folder", "sudah ada dan bukan folder"),
    (r"cannot create folder", "folder tidak dapat dibuat"),
    (r"config file not found", "file pengaturan tidak ditemukan"),
    (r"cannot read config", "file pengaturan tidak dapat dibaca"),
    (r"no such file or folder", "file atau folder tidak ada"),
    (r"no file matches this pattern", "tidak ada file yang cocok dengan pola ini"),
    (r"no spreadsheet files to check", "tidak ada file lembar kerja untuk diperiksa"),
    (r"the province list holds no household rows", "daftar provinsi tidak berisi baris keluarga"),
    (r"no household rows found", "tidak ada baris keluarga"),
    (
        r"password protected; remove the password in Excel and save it again",
        "dilindungi kata sandi; hapus kata sandinya di Excel lalu simpan lagi",
    ),
    (
        r"HTML table saved as \.xls; open it in Excel and save as \.xlsx",
        "tabel HTML yang disimpan sebagai .xls; buka di Excel lalu simpan sebagai .xlsx",
    ),
    (
        r"Excel 2003 XML spreadsheet; open it in Excel and save as \.xlsx",
        "lembar kerja XML Excel 2003; buka di Excel lalu simpan sebagai .xlsx",
    ),
    (
        r"corrupt or truncated file \(incomplete zip archive\)",
        "file rusak atau terpotong (arsip zip tidak lengkap)",
    ),
    (
        r"zip archive that is not a spreadsheet \(no xl/workbook\.xml\)",
        "arsip zip yang bukan lembar kerja (tanpa xl/workbook.xml)",
    ),
    (
        r"binary file of unknown format \(not a spreadsheet or text table\)",
        "file biner berformat tak dikenal (bukan lembar kerja atau tabel teks)",
    ),
    (r"binary content in a text file \(not a CSV table\)", "isi biner dalam file teks (bukan tabel CSV)"),
    # inbox refusals and notes (verval_cli/inbox.py, io/discover.py, marks.py)
    (
        r"looks like village submissions, not the province list \((.*)\); give the province list first: "
        r"verval reconcile DAFTAR INBOX --out DIR \(--force to use it anyway\)",
        r"tampak seperti kiriman desa, bukan daftar provinsi (\1); berikan daftar provinsi lebih dulu: "
        r"verval reconcile DAFTAR INBOX --out DIR (--force untuk tetap memakainya)",
    ),
    (
        r"(\d+%) of its rows carry a verval status and (\d+%) a household ID, which a province export has not",
        r"\1 barisnya berstatus verval dan \2 ber-ID keluarga, tidak seperti ekspor provinsi",
    ),
    (
        r"(\d+) files of about (\d+) rows each, (\d+%) of rows with a household ID",
        r"\1 file masing-masing sekitar \2 baris, \3 baris ber-ID keluarga",
    ),
    (
        r"given both as the province list and as submissions",
        "diberikan sebagai daftar provinsi sekaligus kiriman desa",
    ),
    (
        r"the province list lies in the submissions folder: move it out of the inbox",
        "daftar provinsi ada di folder kiriman: pindahkan keluar dari kotak masuk",
    ),
    (r"(--\w+) is an input folder", r"\1 adalah folder masukan"),
    (
        r"(--\w+) is inside the input folder (.*), where the next run would look",
        r"\1 ada di dalam folder masukan \2, yang akan dibaca lagi pada jalankan berikutnya",
    ),
    (r"(--\w+) is the folder holding the input files", r"\1 adalah folder berisi file masukan"),
    (
        r"write (--\w+) outside the inputs, or add --force",
        r"tulis \1 di luar masukan, atau tambahkan --force",
    ),
    (r"no spreadsheet files to read as (\w+)", r"tidak ada file lembar kerja untuk dibaca sebagai \1"),
    (r"no spreadsheet files to read", "tidak ada file lembar kerja untuk dibaca"),
    (r"the folder is empty", "folder kosong"),
    (
        r"skipped: written by verval \((.*)\), not a submission",
        r"dilewati: ditulis oleh verval (\1), bukan kiriman",
    ),
    (
        r"written by verval \((.*)\) and saved again since: read as a submission",
        r"ditulis oleh verval (\1) lalu disimpan ulang: dibaca sebagai kiriman",
    ),
    (
        r"skipped: Excel or LibreOffice lock file \(the workbook is open somewhere\)",
        "dilewati: file kunci Excel atau LibreOffice (buku kerja sedang dibuka)",
    ),
    (r"skipped: temporary file", "dilewati: file sementara"),
    (r"^(\d+) files in (.*?): ", r"\1 file di \2: "),
    (r"^empty file$", "file kosong"),
    (r": empty file", ": file kosong"),
    (r"no recognisable header", "tidak ada baris judul kolom yang dikenali"),
    (r"\(needs a name or NIK column and one more\)", "(perlu kolom nama atau NIK dan satu kolom lain)"),
    (r"no data rows under the header", "tidak ada baris data di bawah judul kolom"),
    (r"not a verval reconcile output folder", "bukan folder hasil verval reconcile"),
    (r"columns missing", "kolom tidak ada"),
    (r"cannot write", "tidak dapat ditulis"),
    (r"cannot open", "tidak dapat dibuka"),
    (r"cannot read", "tidak dapat dibaca"),
    (r"\brow (\d+)", r"baris \1"),
    (r"\bcolumn ([A-Z]{1,3})\b", r"kolom \1"),
)


def localise_error(message: str, lang: str) -> str:
    """A library message in the run's language, phrase by phrase (English messages are the originals)."""
    if lang == "en":
        return message
    for pattern, replacement in ERROR_PHRASES_ID:
        message = re.sub(pattern, replacement, message)
    return message


def text(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (id or en), its placeholders filled from ``values``."""
    pair = CATALOGUE[key]
    template = pair[1] if lang == "en" else pair[0]
    return template.format(**values) if values else template
