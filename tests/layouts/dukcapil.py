"""Civil registry (Dukcapil SIAK / DKB) field names: short upper-case abbreviations joined by '_'."""

from __future__ import annotations

from layouts import Layout

BIODATA = Layout(
    "dukcapil_siak_biodata",
    "SIAK BIODATA_WNI / DATA_KELUARGA fields as selected by public Dukcapil integrations (CodeIgniter REST "
    "controller selecting BIODATA_WNI.NAMA_LGKP, TGL_LHR, JENIS_KLMIN, NO_KK, TMPT_LHR, NO_RT, NO_RW; Go "
    "client mapping NIK_IBU, NAMA_LGKP_IBU, NIK_AYAH, NAMA_LGKP_AYAH, STAT_HBKEL, NO_KEL)",
    [
        ("NIK", "nik", "nik"), ("NO_KK", "kk", "no_kk"), ("NAMA_LGKP", "name", "name"),
        ("TMPT_LHR", "place", "birth_place"), ("TGL_LHR", "date_dmy", "birth_date"),
        ("JENIS_KLMIN", "sex_word", "sex"), ("GOL_DRH", "empty", None), ("AGAMA", "text", None),
        ("STAT_KWN", "marital", None), ("STAT_HBKEL", "relation", "relation"), ("PDDK_AKH", "text", None),
        ("JENIS_PKRJN", "text", None), ("NIK_IBU", "nik_other", None), ("NAMA_LGKP_IBU", "mother", "mother_name"),
        ("NIK_AYAH", "nik_other", None), ("NAMA_LGKP_AYAH", "name_other", None), ("ALAMAT", "address", "address"),
        ("NO_RT", "rt", "rt"), ("NO_RW", "rw", "rw"), ("DUSUN", "dusun", "dusun"), ("NO_PROP", "bps_prov", None),
        ("NO_KAB", "kdg_kec", None), ("NO_KEC", "kdg_kec", None), ("NO_KEL", "kdg_kel", None),
        ("PROP_NAME", "prov", "province"), ("KAB_NAME", "kab", "regency"), ("KEC_NAME", "kec", "kecamatan"),
        ("KEL_NAME", "desa", "desa"),
    ],
    rows=8,
    note="NIK_IBU / NIK_AYAH are the parents'; NO_KEL is the 4-digit desa part, not a region code",
)  # fmt: skip

DKB_CSV = Layout(
    "dukcapil_dkb_csv",
    "public village-data importer (React 'TabPanelImportData', CSV columns NIK,NO_KK,NAMA_LGKP,JENIS_KLMIN,"
    "TEMPAT_LAHIR,TANGGAL_LAHIR,NO_KECAMATAN,NO_KELURAHAN,ALAMAT,NO_RT,NO_RW)",
    [
        ("NIK", "nik", "nik"), ("NO_KK", "kk", "no_kk"), ("NAMA_LGKP", "name", "name"),
        ("JENIS_KLMIN", "sex_lp", "sex"), ("TEMPAT_LAHIR", "place", "birth_place"),
        ("TANGGAL_LAHIR", "date_iso", "birth_date"), ("NO_KECAMATAN", "kdg_kec", None),
        ("NO_KELURAHAN", "kdg_kel", None), ("ALAMAT", "address", "address"), ("NO_RT", "rt", "rt"),
        ("NO_RW", "rw", "rw"),
    ],
    fmt="csv",
    rows=8,
)  # fmt: skip

VERIFIKASI = Layout(
    "dukcapil_verifikasi_nik",
    "public Python tool writing Dukcapil NIK-check results to Excel (pandas columns NAMA_LGKP, TEMPAT_LAHIR, "
    "TGL_LAHIR, NIK, NO_KK, JENIS_KLMIN, NAMA_LGKP_IBU, ALAMAT_LENGKAP, KODE_POS)",
    [
        ("NAMA_LGKP", "name", "name"), ("TEMPAT_LAHIR", "place", "birth_place"), ("TGL_LAHIR", "date_iso", "birth_date"),
        ("NIK", "nik", "nik"), ("NO_KK", "kk", "no_kk"), ("JENIS_KLMIN", "sex_word", "sex"),
        ("NAMA_LGKP_IBU", "mother", "mother_name"), ("ALAMAT_LENGKAP", "address", "address"),
        ("KODE_POS", "int", None),
    ],
)  # fmt: skip

MASTER_PENDUDUK = Layout(
    "dukcapil_master_penduduk",
    "public Laravel model MasterPenduduk (table m_penduduk: kecamatan, no_kk, nik, nama_lgkp, tmpt_lhr, tgl_lhr, "
    "jenis_klmin, status_kawin, golongan_darah, hub_keluarga, agama, pendidikan, pekerjaan, nama_lgkp_ibu, "
    "nama_lgkp_ayah, alamat)",
    [
        ("kecamatan", "kec", "kecamatan"), ("no_kk", "kk", "no_kk"), ("nik", "nik", "nik"),
        ("nama_lgkp", "name", "name"), ("tmpt_lhr", "place", "birth_place"), ("tgl_lhr", "date_slash", "birth_date"),
        ("jenis_klmin", "sex_word", "sex"), ("status_kawin", "marital", None), ("golongan_darah", "empty", None),
        ("hub_keluarga", "relation", "relation"), ("agama", "text", None), ("pendidikan", "text", None),
        ("pekerjaan", "text", None), ("nama_lgkp_ibu", "mother", "mother_name"),
        ("nama_lgkp_ayah", "name_other", None), ("alamat", "address", "address"),
    ],
    rows=8,
)  # fmt: skip

PINDAH = Layout(
    "dukcapil_form_pindah",
    "public PHP form handler for moving residents (POST fields no_kk, nik, nama_lgkp, alamat, rt, rw, shdk, "
    "tmpt_lhr, tgl_lhr, jk, gol_darah, status_kwn, no_akta_lhr, no_akta_kwn, nik_ibu, nama_lgkp_ibu, nik_ayah, "
    "nama_lgkp_ayah, agama, pendidikan, pekerjaan, alamat_asal, alasan_pindah)",
    [
        ("no_kk", "kk", "no_kk"), ("nik", "nik", "nik"), ("nama_lgkp", "name", "name"),
        ("alamat", "address", "address"), ("rt", "rt", "rt"), ("rw", "rw", "rw"), ("shdk", "relation", "relation"),
        ("tmpt_lhr", "place", "birth_place"), ("tgl_lhr", "date_dmy", "birth_date"), ("jk", "sex_lp", "sex"),
        ("gol_darah", "empty", None), ("status_kwn", "marital", None), ("no_akta_lhr", "empty", None),
        ("no_akta_kwn", "empty", None), ("nik_ibu", "nik_other", None), ("nama_lgkp_ibu", "mother", "mother_name"),
        ("nik_ayah", "nik_other", None), ("nama_lgkp_ayah", "name_other", None), ("agama", "text", None),
        ("pendidikan", "text", None), ("pekerjaan", "text", None), ("alamat_asal", "address", None),
        ("alasan_pindah", "text", None),
    ],
    fmt="csv",
)  # fmt: skip

KTP = Layout(
    "ktp_reader_export",
    "public TypeScript interface KTPData (nik, no_kk, nama_lengkap, jenis_kelamin, tmpt_lhr, tgl_lhr, ibu, "
    "ayah, status_hub_keluarga, jenis_pekerjaan, alamat, nama_kec, nama_kel)",
    [
        ("nik", "nik", "nik"), ("no_kk", "kk", "no_kk"), ("nama_lengkap", "name", "name"),
        ("jenis_kelamin", "sex_word", "sex"), ("tmpt_lhr", "place", "birth_place"),
        ("tgl_lhr", "date_iso", "birth_date"), ("ibu", "mother", None), ("ayah", "name_other", None),
        ("status_hub_keluarga", "relation", "relation"), ("jenis_pekerjaan", "text", None),
        ("alamat", "address", "address"), ("nama_kec", "kec", "kecamatan"), ("nama_kel", "desa", "desa"),
    ],
    note="a bare 'ibu' is left alone: too little to say it is the mother's name",
)  # fmt: skip

LAYOUTS = [BIODATA, DKB_CSV, VERIFIKASI, MASTER_PENDUDUK, PINDAH, KTP]
