"""Kemensos: BDT / DTKS household-member tables (TNP2K-era field names) and data ganda lists."""

from __future__ import annotations

from layouts import Layout

ART_DTKS = Layout(
    "bdt_art_dtks",
    "public CodeIgniter model application/models/Model_art_dtks.php (table art_dtks, field_search: kd_wilayah, "
    "IDBDT, IDARTBDT, KDPROP, KDKAB, KDKEC, KDDESA, NoPesertaPKH, Nama, JnsKel, TmpLahir, TglLahir, HubKRT, NIK, "
    "NoKK, Hub_KRT, NUK, Hubkel, Umur, Sta_kawin, ..., namagadis_ibukandung)",
    [
        ("kd_wilayah", "code10", "region_code"), ("IDBDT", "id_bdt", "household_id"),
        ("IDARTBDT", "id_bdt_art", "individual_id"), ("KDPROP", "bps_prov", None), ("KDKAB", "bps_kab", None),
        ("KDKEC", "bps_kec", None), ("KDDESA", "bps_desa", None), ("NoPesertaPKH", "empty", None),
        ("Nama", "name", "name"), ("JnsKel", "sex_code", "sex"), ("TmpLahir", "place", "birth_place"),
        ("TglLahir", "date_iso", "birth_date"), ("HubKRT", "relation_code", "relation"), ("NIK", "nik", "nik"),
        ("NoKK", "kk", "no_kk"), ("Hub_KRT", "relation_code", None), ("NUK", "int", None),
        ("Hubkel", "relation_code", None), ("Umur", "age", None), ("Sta_kawin", "int", None),
        ("Ada_akta_nikah", "int", None), ("Ada_diKK", "int", None), ("Ada_kartu_identitas", "int", None),
        ("Sta_hamil", "int", None), ("Jenis_cacat", "int", None), ("Penyakit_kronis", "int", None),
        ("Partisipasi_sekolah", "int", None), ("Pendidikan_tertinggi", "int", None),
        ("Kelas_tertinggi", "int", None), ("Ijazah_tertinggi", "int", None), ("Sta_Bekerja", "int", None),
        ("Jumlah_jamkerja", "int", None), ("Lapangan_usaha", "int", None), ("Status_pekerjaan", "int", None),
        ("Sta_keberadaan_art", "int", "status"), ("Sta_kepesertaan_pbi", "int", None), ("Ada_kks", "int", None),
        ("Ada_pbi", "int", None), ("Ada_kip", "int", None), ("Ada_pkh", "int", None), ("Ada_BPNT", "int", None),
        ("Anak_diluar_rt", "int", None), ("namagadis_ibukandung", "mother", "mother_name"),
    ],
    rows=8,
    note="KDDESA is a 3-digit BPS code; HubKRT (an exact synonym) takes relation over its repeat Hub_KRT and over Hubkel",
)  # fmt: skip

DATA_GANDA = Layout(
    "kemensos_data_ganda",
    "public CodeIgniter view of a Kemensos 'data ganda' list (fields NAMA_PENERIMA, NOMOR_KARTU, NIK_KTP, "
    "NOKK_DTKS, IDARTBDT, NMPROP, NMKAB, NMKEC, NMKEL, KET_TAMBAHAN)",
    [
        ("NAMA_PENERIMA", "name", "name"), ("NOMOR_KARTU", "card", None), ("NIK_KTP", "nik", "nik"),
        ("NOKK_DTKS", "kk", "no_kk"), ("IDARTBDT", "id_bdt_art", "individual_id"), ("NMPROP", "prov", "province"),
        ("NMKAB", "kab", "regency"), ("NMKEC", "kec", "kecamatan"), ("NMKEL", "desa", "desa"),
        ("KET_TAMBAHAN", "note", "notes"),
    ],
    fmt="csv",
)  # fmt: skip

DATA_GANDA_TAMPIL = Layout(
    "kemensos_data_ganda_tampilan",
    "the same 'data ganda' list as displayed (th: NAMA PENERIMAN, NO KARTU, NIK KTP, NO KK, ID ART BDT, PROVINSI, "
    "KABUPATEN/KOTA, KECAMATAN, KELURAHAN, KETERANGAN)",
    [
        ("NAMA PENERIMAN", "name", "name"), ("NO KARTU", "card", None), ("NIK KTP", "nik", "nik"),
        ("NO KK", "kk", "no_kk"), ("ID ART BDT", "id_bdt_art", "individual_id"), ("PROVINSI", "prov", "province"),
        ("KABUPATEN/KOTA", "kab", "regency"), ("KECAMATAN", "kec", "kecamatan"), ("KELURAHAN", "desa", "desa"),
        ("KETERANGAN", "note", "notes"),
    ],
    title=[["DAFTAR DATA GANDA KPM"], ["KABUPATEN BANJARNEGARA"], []],
    note="'NAMA PENERIMAN' carries the real form's typo: a known miss",
)  # fmt: skip

DTSEN_ART = Layout(
    "dtsen_art",
    "github.com/rsoeta/pakenjeng-tangguh app/Models/Dtsen/DtsenArtModel.php (table dtsen_art allowedFields)",
    [
        ("id_kk", "int", None), ("nik", "nik", "nik"), ("shdk", "relation_code", None), ("nama", "name", "name"),
        ("hubungan_keluarga", "relation", None), ("jenis_kelamin", "sex_word", "sex"),
        ("tempat_lahir", "place", "birth_place"), ("tanggal_lahir", "date_iso", "birth_date"),
        ("status_kawin", "marital", None), ("pendidikan_terakhir", "text", None), ("pekerjaan", "text", None),
        ("disabilitas", "empty", None), ("status_hamil", "empty", None), ("tgl_hamil", "empty", None),
        ("foto_identitas", "empty", None), ("ibu_kandung", "mother", "mother_name"),
        ("program_bansos", "text", None),
    ],
    rows=8,
    note="shdk (a code) and hubungan_keluarga compete for relation: neither is taken",
)  # fmt: skip

LAYOUTS = [ART_DTKS, DATA_GANDA, DATA_GANDA_TAMPIL, DTSEN_ART]
