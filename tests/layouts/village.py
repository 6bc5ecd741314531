"""Village forms: BLT Dana Desa recipient list (BNBA), NIK correction forms, operators' own sheets."""

from __future__ import annotations

from layouts import Layout

BNBA = Layout(
    "blt_dd_bnba_2023",
    "https://id.scribd.com/document/681448223/TEMPLATE-BNBA-V2-Paya-Seumantok (BNBA BLT-DD TAHUN 2023 template)",
    [
        ("NO", "seq", "seq_no"), ("NIK", "nik_head", "nik"), ("NAMA KEPALA KELUARGA", "name_head", "name"),
        ("JENIS\nKELAMIN", "sex_word", "sex"), ("TANGGAL LAHIR", "date_slash", "birth_date"),
        ("JUMLAH ANGGOTA\nKELUARGA", "int", None), ("ALAMAT", "address", "address"), ("RT", "rt", "rt"),
        ("RW", "rw", "rw"), ("JENIS PEKERJAAN", "text", None), ("KODE_JP", "int", None),
        ("KRITERIA BLT", "text", None), ("KODE_KRIT", "int", None), ("METODE\nPEMBAYARAN", "text", None),
        ("KODE_BAYAR", "int", None),
    ],
    title=[["BNBA BLT-DD TAHUN 2023"], ["DESA KEBANARAN KECAMATAN MANDIRAJA"], []],
    numbering=True,
)  # fmt: skip

PERBAIKAN_NIK = Layout(
    "perbaikan_nik_krt_art",
    "verval issue 15 (village correction form with both 'Nama KRT' and 'Nama ART'); practice described in "
    "https://liputanzona.blogspot.com/2021/03/kendala-kendala-perbaikan-nik-penerima.html",
    [
        ("NO", "seq", "seq_no"), ("ID DTKS", "id_bdt", "household_id"), ("NAMA KRT", "name_head", None),
        ("NAMA ART", "name", "name"), ("NIK LAMA", "nik", "nik"), ("NIK PERBAIKAN", "nik_new", "nik_corrected"),
        ("NO KK", "kk", "no_kk"), ("TGL LAHIR ART", "date_dmy", "birth_date"), ("ALAMAT", "address", "address"),
        ("KETERANGAN", "note", "notes"),
    ],
    title=[["FORMULIR PERBAIKAN DATA NIK"], ["DESA KEBANARAN KECAMATAN MANDIRAJA"], []],
    numbering=True,
    rows=8,
    note="individual level: the person on the row is the ART; the head's column does not take name",
)  # fmt: skip

VERVAL_KRT_SUFFIX = Layout(
    "verval_kepala_keluarga_suffix",
    "verval issue 15 (operator's sheet naming every field with its role: 'Jenis Kelamin Kepala Keluarga')",
    [
        ("NO", "seq", "seq_no"), ("NAMA KEPALA KELUARGA", "name_head", "name"),
        ("NIK KEPALA KELUARGA", "nik_head", "nik"), ("JENIS KELAMIN KEPALA KELUARGA", "sex_lp", "sex"),
        ("TGL LAHIR KEPALA KELUARGA", "date_dmy", "birth_date"), ("NO KK", "kk", "no_kk"),
        ("ALAMAT", "address", "address"), ("RT", "rt", "rt"), ("RW", "rw", "rw"),
        ("HASIL VERVAL", "status", "status"), ("KETERANGAN", "note", "notes"),
    ],
    title=[["HASIL VERIFIKASI DAN VALIDASI DATA P3KE"], ["DESA KEBANARAN KECAMATAN MANDIRAJA"], []],
)  # fmt: skip

INTERVENSI = Layout(
    "desa_data_penduduk_camelcase",
    "github.com/ratihpujihati/intervensi database/intervensi_25-11-2014.sql (table data_penduduk: NoKK, "
    "NamaKep, Alamat, RT, RW, Dusun, KodePos, NIK, NamaLengkap, JK, TempatLahir, TglLahir, NoAkta, GolDarah, "
    "Agama, Pekerjaan, NamaIbu, NamaAyah, Status, Kelurahan)",
    [
        ("NoKK", "kk", "no_kk"), ("NamaKep", "name_head", None), ("Alamat", "address", "address"),
        ("RT", "rt", "rt"), ("RW", "rw", "rw"), ("Dusun", "dusun", "dusun"), ("KodePos", "int", None),
        ("NIK", "nik", "nik"), ("NamaLengkap", "name", "name"), ("JK", "sex_word", "sex"),
        ("TempatLahir", "place", "birth_place"), ("TglLahir", "date_iso", "birth_date"), ("NoAkta", "empty", None),
        ("GolDarah", "empty", None), ("Agama", "text", None), ("Pekerjaan", "text", None),
        ("NamaIbu", "mother", "mother_name"), ("NamaAyah", "name_other", None), ("Status", "marital", None),
        ("Kelurahan", "desa", "desa"),
    ],
    rows=8,
    note="camelCase; NamaKep is the head, NamaLengkap the person; Status holds marital statuses",
)  # fmt: skip

LAYOUTS = [BNBA, PERBAIKAN_NIK, VERVAL_KRT_SUFFIX, INTERVENSI]
