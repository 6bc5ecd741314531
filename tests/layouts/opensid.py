"""OpenSID (village information system): resident import format and data exports."""

from __future__ import annotations

from layouts import Layout

IMPOR_PENDUDUK = Layout(
    "opensid_impor_penduduk",
    "github.com/OpenSID/OpenSID donjo-app/models/Import_model.php (KOLOM_IMPOR_KELUARGA, column order of the "
    "Excel import format)",
    [
        ("alamat", "address", "address"), ("dusun", "dusun", "dusun"), ("rw", "rw", "rw"), ("rt", "rt", "rt"),
        ("nama", "name", "name"), ("no_kk", "kk", "no_kk"), ("nik", "nik", "nik"), ("sex", "sex_code", "sex"),
        ("tempatlahir", "place", "birth_place"), ("tanggallahir", "date_dmy", "birth_date"),
        ("agama_id", "int", None), ("pendidikan_kk_id", "int", None), ("pendidikan_sedang_id", "int", None),
        ("pekerjaan_id", "int", None), ("status_kawin", "int", None), ("kk_level", "relation_code", None),
        ("warganegara_id", "int", None), ("nama_ayah", "name_other", None), ("nama_ibu", "mother", "mother_name"),
        ("golongan_darah_id", "int", None), ("akta_lahir", "empty", None), ("dokumen_pasport", "empty", None),
        ("tanggal_akhir_paspor", "empty", None), ("dokumen_kitas", "empty", None),
        ("ayah_nik", "nik_other", None), ("ibu_nik", "nik_other", None), ("akta_perkawinan", "empty", None),
        ("tanggalperkawinan", "empty", None), ("akta_perceraian", "empty", None),
        ("tanggalperceraian", "empty", None), ("cacat_id", "int", None), ("cara_kb_id", "empty", None),
        ("hamil", "empty", None), ("ktp_el", "int", None), ("status_rekam", "int", None),
        ("alamat_sekarang", "address", None), ("status_dasar", "int", None),
    ],
    rows=8,
    note="ayah_nik / ibu_nik and nama_ayah are other people's; kk_level holds relation codes",
)  # fmt: skip

CETAK_PENDUDUK = Layout(
    "opensid_data_penduduk",
    "github.com/hafid-js/desagunungcondong resources/views/penduduk/cetak.blade.php (OpenSID 'DATA PENDUDUK' "
    "print/export)",
    [
        ("No", "seq", "seq_no"), ("No. KK", "kk", "no_kk"), ("NIK", "nik", "nik"), ("Tag Id Card", "empty", None),
        ("Nama", "name", "name"), ("Alamat", "address", "address"), ("Dusun", "dusun", "dusun"), ("RW", "rw", "rw"),
        ("RT", "rt", "rt"), ("Jenis Kelamin", "sex_word", "sex"), ("Tempat Lahir", "place", "birth_place"),
        ("Tanggal Lahir", "date_dmy", "birth_date"), ("Umur", "age", None), ("Agama", "text", None),
        ("Pendidikan (dlm KK)", "text", None), ("Pekerjaan", "text", None), ("Kawin", "marital", None),
        ("Hub. Keluarga", "relation", "relation"), ("Nama Ayah", "name_other", None),
        ("Nama Ibu", "mother", "mother_name"), ("Status", "resident", None),
    ],
    title=[["Desa : Kebanaran Kec. : Mandiraja Kab : Banjarnegara"], ["DATA PENDUDUK"], []],
    rows=8,
    note="'Status' is the resident's status (TETAP/PENDATANG), not a verval result",
)  # fmt: skip

CETAK_KELUARGA = Layout(
    "opensid_data_keluarga",
    "github.com/OpenSID/OpenSID keluarga print view ('DATA KELUARGA': No, Nomor KK, Kepala Keluarga, NIK, "
    "Jumlah Anggota, Jenis Kelamin, Alamat, Dusun, RW, RT, Tanggal Terdaftar, Tanggal Cetak KK)",
    [
        ("No", "seq", "seq_no"), ("Nomor KK", "kk", "no_kk"), ("Kepala Keluarga", "name_head", "name"),
        ("NIK", "nik_head", "nik"), ("Jumlah Anggota", "int", None), ("Jenis Kelamin", "sex_word", "sex"),
        ("Alamat", "address", "address"), ("Dusun", "dusun", "dusun"), ("RW", "rw", "rw"), ("RT", "rt", "rt"),
        ("Tanggal Terdaftar", "date_dmy", None), ("Tanggal Cetak KK", "date_dmy", None),
    ],
    title=[["PEMERINTAH KABUPATEN BANJARNEGARA"], ["DATA KELUARGA"], []],
    note="household level: the head's name is the row's name; 'Tanggal Cetak KK' is no birth date",
)  # fmt: skip

PESERTA_BANTUAN = Layout(
    "opensid_peserta_bantuan",
    "github.com/OpenSID/OpenSID donjo-app/views/program_bantuan/unduh-sheet.php (HTML table sent as print.xls: "
    "No, ID, Nama, Keterangan; ID holds the NIK written with a leading apostrophe)",
    [
        ("No", "seq", "seq_no"),
        ("ID", "nik_apostrophe", "nik"),
        ("Nama", "name", "name"),
        ("Keterangan", "note", "notes"),
    ],
    fmt="html",
    note="a bare 'ID' holding NIKs is a known miss: a header that says nothing is not mapped from its values",
)

LAYOUTS = [IMPOR_PENDUDUK, CETAK_PENDUDUK, CETAK_KELUARGA, PESERTA_BANTUAN]
