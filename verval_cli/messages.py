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
    "rec_decisions": (
        "keputusan petugas dari {source}: {read} dibaca, {applied} diterapkan, {stale} usang (baris berubah; "
        "putuskan lagi), {conflict} bentrok, {unknown_target} ID/NIK tidak ada dalam daftar",
        "officer's decisions from {source}: {read} read, {applied} applied, {stale} stale (the row changed; "
        "decide again), {conflict} in conflict, {unknown_target} with an ID/NIK not on the list",
    ),
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
    "partition_no_cache": (
        "--partition: cache berkas (.verval-cache) tidak dipakai; setiap berkas dibaca ulang",
        "--partition: the file cache (.verval-cache) is not used; every file was read again",
    ),
    "cache_reused": (
        "{reused} dari {total} berkas tidak berubah sejak run sebelumnya: diambil dari {folder}",
        "{reused} of {total} files unchanged since the last run: taken from {folder}",
    ),
    "init_written": ("{path} ditulis; sunting sesuai kebutuhan", "{path} written; edit it to suit"),
    # changes since the previous run (reconcile into the same --out, verval diff) and verval history
    "chg_title": ("Perubahan sejak {before}", "Changes since {before}"),
    "chg_villages": (
        "{sent} desa mengirim ulang atau baru ({reported} desa baru melapor); "
        "file: {resent} dikirim ulang, {new} baru, {gone} hilang",
        "{sent} villages sent files ({reported} reported for the first time); "
        "files: {resent} resent, {new} new, {gone} gone",
    ),
    "chg_findings": (
        "{fixed} temuan diperbaiki, {new} baru, {open} masih terbuka",
        "{fixed} findings fixed, {new} new, {open} still open",
    ),
    "chg_findings_gone": (
        "{count} temuan hilang bersama file yang tidak ada lagi (bukan diperbaiki)",
        "{count} findings went with files no longer among the inputs (not fixed)",
    ),
    "chg_households": (
        "keluarga: {matched} baru cocok, {unmatched} tidak lagi cocok, {link} berganti hasil, "
        "{status} status berubah",
        "households: {matched} newly matched, {unmatched} no longer matched, {link} link changed, "
        "{status} status changed",
    ),
    "chg_skipped": (
        "hasil sebelumnya disimpan di riwayat/ tetapi tidak dibandingkan: {reason}",
        "the previous run is kept in riwayat/ but not compared: {reason}",
    ),
    "chg_none": ("tidak ada perubahan", "nothing changed"),
    "hist_title": ("Riwayat hasil di {folder}", "Runs kept in {folder}"),
    "hist_diff": ("Bandingkan dua hasil terakhir: {command}", "Compare the last two runs: {command}"),
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
    # explain
    "exp_row": ("{file}{sheet} baris {row}", "{file}{sheet} row {row}"),
    "exp_sheet": (" [sheet {sheet}]", " [sheet {sheet}]"),
    "exp_submitted": (
        "dikirim: nama {name}, NIK {nik}, desa {desa}",
        "sent: name {name}, NIK {nik}, desa {desa}",
    ),
    "exp_outcome": (
        "hasil: {status}, metode {method}, skor {score}",
        "outcome: {status}, method {method}, score {score}",
    ),
    "exp_thresholds": (
        "batas: terima skor >= {accept}, periksa skor >= {review}; pesaing harus tertinggal >= {margin} poin bobot",
        "thresholds: accept score >= {accept}, review score >= {review}; a rival must trail by >= {margin} weight points",
    ),
    "exp_candidates": (
        "Kandidat dari daftar provinsi (terbaik dulu)",
        "Candidates on the province list (best first)",
    ),
    "exp_comparisons": ("Perbandingan per kolom: tingkat (bobot)", "Comparisons: level (weight)"),
    "exp_none": ("tidak ada kandidat", "no candidates"),
    "exp_more": (
        "... dan {count} kandidat lain (--top untuk melihat)",
        "... and {count} more candidates (see --top)",
    ),
    "exp_h_rank": ("#", "#"),
    "exp_h_row": ("Baris daftar", "List row"),
    "exp_h_id": ("ID keluarga", "Household ID"),
    "exp_h_desa": ("Desa", "Desa"),
    "exp_h_name": ("Nama", "Name"),
    "exp_h_nik": ("NIK", "NIK"),
    "exp_h_weight": ("Bobot", "Weight"),
    "exp_h_score": ("Skor", "Score"),
    "exp_h_note": ("Keterangan", "Note"),
    "exp_h_comparison": ("Perbandingan", "Comparison"),
    "exp_total": ("Total bobot -> skor", "Total weight -> score"),
    "exp_chosen": ("dipilih", "chosen"),
    "exp_rival": ("pesaing", "rival"),
    "exp_owned": ("milik {owner} (bobot {weight})", "linked to {owner} (weight {weight})"),
    "exp_not_considered": (
        "tidak dipertimbangkan (baris sudah cocok lewat NIK/No KK/ID)",
        "not considered (the row linked by NIK/No KK/ID)",
    ),
    "exp_below": ("di bawah batas periksa", "below the review threshold"),
    "exp_why": ("Alasan", "Why"),
    "exp_why_clear": (
        "Cocok: skor {score} mencapai batas terima {accept}, dan tidak ada keluarga lain di daftar yang mendekati.",
        "Matched: score {score} reaches the accept threshold {accept}, and no other listed household comes near.",
    ),
    "exp_why_clear_of_rival": (
        "Cocok: skor {score} mencapai batas terima {accept}; keluarga berikutnya (baris daftar {rival_row}, skor "
        "{rival_score}) tertinggal {gap} poin bobot, cukup jauh (>= {margin}).",
        "Matched: score {score} reaches the accept threshold {accept}; the next household (list row {rival_row}, "
        "score {rival_score}) trails by {gap} weight points, far enough (>= {margin}).",
    ),
    "exp_why_rival": (
        "Perlu diperiksa: dua keluarga hampir sama cocoknya: baris daftar {row} (skor {score}) dan baris daftar "
        "{rival_row} (skor {rival_score}); selisih bobot {gap}, kurang dari {margin}.",
        "Review: two households fit almost equally well: list row {row} (score {score}) and list row "
        "{rival_row} (score {rival_score}); the weights differ by {gap}, less than {margin}.",
    ),
    "exp_why_low_score": (
        "Perlu diperiksa: skor {score} di bawah batas terima {accept} (tetapi mencapai batas periksa {review}).",
        "Review: score {score} is below the accept threshold {accept} (but reaches the review threshold {review}).",
    ),
    "exp_why_taken": (
        "Keluarga di baris daftar {row} sudah dicocokkan dengan {owner}, yang sama atau lebih cocok (bobot "
        "{owner_weight} lawan {weight}; bila sama, baris yang lebih dulu); baris ini dicatat sebagai laporan kedua (ganda atau dari desa lain).",
        "The household on list row {row} is already linked to {owner}, which fits as well or better (weight "
        "{owner_weight} against {weight}; on a tie, the earlier row); this row is recorded as a second report (a duplicate or another village's).",
    ),
    "exp_why_member": (
        "Anggota keluarga: ditautkan lewat baris kepala keluarganya ({head}) yang ber-No KK sama.",
        "Family member: linked through the head of the family's row ({head}), which has the same No KK.",
    ),
    "exp_why_decision": (
        "Ditetapkan oleh keputusan petugas: {decision}{target}{note}. Kandidat yang ditampilkan adalah hasil "
        "pencocokan sendiri (tanpa keputusan: {matcher}).",
        "Set by an officer's decision: {decision}{target}{note}. The candidates shown are the matcher's own "
        "(without the decision: {matcher}).",
    ),
    "exp_decision_target": (" (keluarga {id})", " (household {id})"),
    "exp_decision_note": ('; catatan: "{note}"', '; note: "{note}"'),
    "exp_matcher_row": ("baris daftar {row}, skor {score}", "list row {row}, score {score}"),
    "exp_matcher_none": ("tidak cocok", "not linked"),
    "exp_how_wide": (
        "Keluarga ini ditemukan lewat pencarian se-kabupaten (desa {desa}), yang hanya dijalankan untuk baris "
        "yang tidak mendapat keluarga di desanya sendiri; desa lain mengurangi bobot.",
        "This household was found by the regency-wide search (desa {desa}), which runs only for rows no "
        "household of their own desa took; another desa lowers the weight.",
    ),
    "exp_how_member_nik": (
        "NIK baris ini adalah NIK anggota lain dari keluarga itu di daftar (bukan NIK orang yang dibandingkan), "
        "jadi baris dibandingkan dengan setiap anggota keluarga itu.",
        "The row's NIK is another listed member's of that family (not the compared person's), so the row was "
        "compared with every member of the family.",
    ),
    "exp_why_below_review": (
        "Tidak cocok: kandidat terbaik (baris daftar {row}) hanya mendapat skor {score}, di bawah batas periksa "
        "{review}.",
        "Not linked: the best candidate (list row {row}) only scores {score}, below the review threshold {review}.",
    ),
    "exp_why_no_candidates": (
        "Tidak cocok: tidak ada keluarga di daftar dengan ID, NIK atau No KK yang sama, dan tidak ada nama atau "
        "NIK yang mirip di desanya.",
        "Not linked: no listed household shares its ID, NIK or No KK, and no similar name or NIK is listed in "
        "its desa.",
    ),
    "exp_why_no_desa": (
        "Tidak cocok: tidak ada keluarga di daftar dengan ID, NIK atau No KK yang sama, dan desa baris ini tidak "
        "diketahui, jadi namanya tidak dibandingkan.",
        "Not linked: no listed household shares its ID, NIK or No KK, and the row's desa is unknown, so its "
        "name was not compared.",
    ),
    "exp_sheet_taken": (
        "Keluarga di baris daftar {row} sudah dicocokkan dengan {owner}; baris ini laporan kedua dengan skor "
        "{score}.",
        "The household on list row {row} is already linked to {owner}; this row is a second report, score "
        "{score}.",
    ),
    "exp_sheet_rival_unnamed": (
        "Perlu diperiksa: keluarga lain hampir sama cocoknya dengan baris daftar {row} (skor {score}); selisih "
        "bobot {gap}, kurang dari {margin}.",
        "Review: another household fits almost as well as list row {row} (score {score}); the weights differ "
        "by {gap}, less than {margin}.",
    ),
    "exp_sheet_low_score_rival": (
        "Perlu diperiksa: skor {score} di bawah batas terima {accept}; keluarga berikutnya: baris daftar "
        "{rival_row} (skor {rival_score}), selisih bobot {gap}.",
        "Review: score {score} is below the accept threshold {accept}; the next household: list row "
        "{rival_row} (score {rival_score}), weights {gap} apart.",
    ),
    "exp_status_matched": ("cocok", "matched"),
    "exp_role_secondary": ("laporan kedua", "second report"),
    "exp_role_member": ("anggota keluarga", "family member"),
    "exp_status_review": ("perlu diperiksa", "review"),
    "exp_status_submission_only": ("tidak cocok", "not linked"),
    "cmp_nik": ("NIK", "NIK"),
    "cmp_name": ("Nama", "Name"),
    "cmp_birth_date": ("Tanggal lahir", "Birth date"),
    "cmp_sex": ("Jenis kelamin", "Sex"),
    "cmp_kk": ("No KK", "No KK"),
    "cmp_rt_rw": ("RT/RW", "RT/RW"),
    "cmp_desa": ("Desa", "Desa"),
    "cmp_household_id": ("ID keluarga", "Household ID"),
    "lvl_same": ("sama", "same"),
    "lvl_differs": ("beda", "differs"),
    "lvl_unknown": ("kosong", "unknown"),
    "lvl_member": ("NIK anggota keluarga", "a member's NIK"),
    "lvl_corrected": ("NIK perbaikan sama", "corrected NIK"),
    "lvl_near": ("beda 1 digit", "one digit off"),
    "lvl_damaged": ("rusak Excel, cocok", "Excel-damaged, fits"),
    "lvl_exact": ("persis", "exact"),
    "lvl_phonetic": ("bunyi sama", "sounds alike"),
    "lvl_high": ("salah ketik", "a typo"),
    "lvl_partial": ("sebagian", "partial"),
    "lvl_medium": ("agak mirip", "medium"),
    "lvl_low": ("sedikit mirip", "low"),
    "lvl_close": ("dekat", "close"),
    "lvl_family": ("NIK anggota lain keluarga itu", "another member's NIK of the family"),
    "lvl_region": ("rusak Excel, hanya kode wilayah", "Excel-damaged, region digits only"),
    "lvl_elsewhere": ("desa lain, tidak dibandingkan", "another desa, not compared"),
    "lvl_kecamatan": (
        "desa lain di kecamatan NIK (pencarian se-kabupaten)",
        "another desa of the NIK's kecamatan (regency-wide search)",
    ),
    "lvl_wide": ("desa lain (pencarian se-kabupaten)", "another desa (regency-wide search)"),
}

# The history table's headings, in column order.
HISTORY_HEADINGS: Final = {
    "id": ("Waktu (UTC)", "Versi", "File", "Cocok", "Periksa", "Belum", "Temuan", "Folder"),
    "en": ("Written (UTC)", "Version", "Files", "Matched", "Review", "Missing", "Findings", "Folder"),
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
    (r"\(no such folder\)", "(folder tidak ada)"),
    # explain (verval_cli/explain.py)
    (r"not a submission file of this run", "bukan file kiriman dalam hasil ini"),
    (r"; did you mean (.*)\?$", r"; mungkin maksudnya \1?"),
    (r"several files of this run have that name", "beberapa file dalam hasil ini bernama sama"),
    (r"no such sheet; sheets:", "sheet tidak ada; sheet yang ada:"),
    (
        r"not a data row of the run \(data rows (\d+)-(\d+); layout rows are in rejected\.parquet\)",
        r"bukan baris data dalam hasil ini (baris data \1-\2; baris tata letak ada di rejected.parquet)",
    ),
    (
        r"on several sheets \((.*)\); choose one with --sheet",
        r"ada di beberapa sheet (\1); pilih dengan --sheet",
    ),
    (
        r"NIKs are masked \(the run used --mask-nik\): explain needs a run written without it",
        "NIK disamarkan (hasil dibuat dengan --mask-nik): explain memerlukan hasil tanpa --mask-nik",
    ),
    (
        r"written by verval (\S+), this is verval (\S+): reconcile again to explain",
        r"ditulis oleh verval \1, ini verval \2: jalankan reconcile lagi untuk explain",
    ),
    (
        r"the run's tables do not give what matches\.parquet recorded \((.*)\); was it written with another "
        r"verval or another --config\? reconcile again",
        r"tabel hasil tidak memberi hasil yang tercatat di matches.parquet (\1); dibuat dengan verval atau "
        r"--config lain? jalankan reconcile lagi",
    ),
    (
        r"the list was individual-level and keeps the heads only: explain needs the family members, which "
        r"the run does not write",
        "daftar tingkat individu dan hanya kepala keluarga yang disimpan: explain memerlukan anggota keluarga",
    ),
    (r"no summary\.json written by verval reconcile", "tidak ada summary.json dari verval reconcile"),
    (r"no household of the province list in common", "tidak ada keluarga daftar provinsi yang sama"),
    (r"not two runs of one round", "bukan dua hasil dari putaran yang sama"),
    (r"a run for regency (\w+), (.*) for (\w+):", r"hasil untuk kabupaten \1, \2 untuk \3:"),
    (r"\(missing ([^)]*)\)", r"(tidak ada \1)"),
    (r"columns missing", "kolom tidak ada"),
    (r"cannot write", "tidak dapat ditulis"),
    (r"cannot open", "tidak dapat dibuka"),
    (r"cannot read", "tidak dapat dibaca"),
    # decisions files (verval_cli/decisions.py)
    (r"decisions file not found", "file keputusan tidak ditemukan"),
    (
        r"no decisions file in this folder \(\.xlsx, \.csv or \.parquet\)",
        "tidak ada file keputusan di folder ini (.xlsx, .csv atau .parquet)",
    ),
    (
        r"not a decisions file \(expected \.xlsx, \.csv or \.parquet\)",
        "bukan file keputusan (harus .xlsx, .csv atau .parquet)",
    ),
    (r"cannot be read as a workbook", "tidak dapat dibaca sebagai buku kerja"),
    (r"cannot be read as a decisions table", "tidak dapat dibaca sebagai tabel keputusan"),
    (
        r"no sheet with verval's decision columns \(a workbook of this verval\?\)",
        "tidak ada sheet dengan kolom keputusan verval (buku kerja dari verval versi ini?)",
    ),
    (r"the decision column is missing", "kolom keputusan tidak ada"),
    (r"is not a decision", "bukan keputusan"),
    (r"is not a row number", "bukan nomor baris"),
    (
        r"the hidden row key is empty \(a row added by hand\?\)",
        "kunci baris tersembunyi kosong (baris ditambahkan manual?)",
    ),
    (
        r"lost digits as a number; type it as text",
        "kehilangan digit karena tersimpan sebagai angka; ketik sebagai teks",
    ),
    (r"needs column 'row_key', or all of", "perlu kolom 'row_key', atau semua kolom"),
    (r"'desa_code', 'nik' and 'name'", "'desa_code', 'nik' dan 'name'"),
    (r"\(or 'nik' and 'name'\) is empty", "(atau 'nik' dan 'name') kosong"),
    (r"column '(\w+)' is missing \(columns:", r"kolom '\1' tidak ada (kolom:"),
    (r"\bcolumn '", "kolom '"),
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
