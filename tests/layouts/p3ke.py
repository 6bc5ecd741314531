"""P3KE exports (Kemenko PMK): household (keluarga) and individual (individu) levels."""

from __future__ import annotations

from layouts import Layout

_P3KE_DUMP = (
    "public SQL dump of a P3KE import (tables p3ke_keluarga / p3ke_individu, database app_palui_eksis); "
    "verval /work/shared/DOMAIN.md 'The province list (P3KE)'"
)
_TITLE = [
    ["DATA PENSASARAN PERCEPATAN PENGHAPUSAN KEMISKINAN EKSTREM (P3KE)"],
    ["KEMENTERIAN KOORDINATOR BIDANG PEMBANGUNAN MANUSIA DAN KEBUDAYAAN"],
    [],
    ["PROVINSI", ": JAWA TENGAH"],
    ["KABUPATEN/KOTA", ": BANJARNEGARA"],
    ["KECAMATAN", ": MANDIRAJA"],
    ["DESA/KELURAHAN", ": KEBANARAN"],
    [],
    ["Tingkat", ": Keluarga"],
    ["Sumber", ": P3KE 2022"],
    [],
]
_PROGRAMS = [
    ("penerima_bpnt", "yn", None), ("penerima_bpum", "yn", None), ("penerima_bst", "yn", None),
    ("penerima_pkh", "yn", None), ("penerima_sembako", "yn", None), ("resiko_stunting", "yn", None),
]  # fmt: skip

KELUARGA = Layout(
    "p3ke_keluarga",
    _P3KE_DUMP,
    [
        ("id_keluarga_P3KE", "id_household", "household_id"), ("provinsi", "prov", "province"),
        ("kabupaten_kota", "kab", "regency"), ("kecamatan", "kec", "kecamatan"), ("desa_kelurahan", "desa", "desa"),
        ("kode_kemdagri", "code10", "region_code"), ("desil_kesejahteraan", "desil", "desil"),
        ("alamat", "address", "address"), ("kepala_keluarga", "name_head", "name"), ("nik", "nik_head", "nik"),
        ("padan_dukcapil", "yn", None), ("jenis_kelamin", "sex_word", "sex"), ("tanggal_lahir", "date_iso", "birth_date"),
        ("pekerjaan", "text", None), ("pendidikan", "text", None), ("kepemilikan_rumah", "text", None),
        ("memiliki_simpananuang_perhiasan_ternak_lainnya", "yn", None), ("jenis_atap", "text", None),
        ("jenis_dinding", "text", None), ("jenis_lantai", "text", None), ("sumber_penerangan", "text", None),
        ("bahan_bakar_memasak", "text", None), ("sumber_air_minum", "text", None),
        ("memiliki_fasilitas_buang_air_besar", "yn", None), *_PROGRAMS,
    ],
    title=_TITLE,
    note="official export with a title block: data from row 13",
)  # fmt: skip

INDIVIDU = Layout(
    "p3ke_individu",
    _P3KE_DUMP,
    [
        ("id_keluarga_p3ke", "id_household", "household_id"), ("provinsi", "prov", "province"),
        ("kabupaten_kota", "kab", "regency"), ("kecamatan", "kec", "kecamatan"), ("desa_kelurahan", "desa", "desa"),
        ("kode_kemdagri", "code10", "region_code"), ("desil_kesejahteraan", "desil", "desil"),
        ("alamat", "address", "address"), ("id_individu", "id_person", "individual_id"), ("nama", "name", "name"),
        ("nik", "nik", "nik"), ("padan_dukcapil", "yn", None), ("jenis_kelamin", "sex_word", "sex"),
        ("hubungan_dengan_kepala_keluarga", "relation", "relation"), ("tanggal_lahir", "date_slash", "birth_date"),
        ("status_kawin", "marital", None), ("pekerjaan", "text", None), ("pendidikan", "text", None),
        ("usia_dibawah_7_tahun", "yn", None), ("usia_7_sd_12", "yn", None), ("usia_13_sd_15", "yn", None),
        ("usia_16_sd_18", "yn", None), ("usia_19_sd_21", "yn", None), ("usia_22_sd_59", "yn", None),
        ("usia _60_tahun_keatas", "yn", None), ("penerima _bpnt", "yn", None), *_PROGRAMS[1:],
    ],
    rows=8,
    note="one row per person; 'usia _60' and 'penerima _bpnt' carry the stray space of the real dump",
)  # fmt: skip

KELUARGA_DISPLAY = Layout(
    "p3ke_keluarga_display",
    "public Laravel importer app/Imports/KeluargaImport.php (P3keKeluarga, columns by position after NO); "
    "DOMAIN.md spellings 'ID Keluarga P3KE', 'Kode Kemendagri'",
    [
        ("NO", "seq", "seq_no"), ("ID Keluarga P3KE", "id_household", "household_id"), ("Provinsi", "prov", "province"),
        ("Kabupaten/Kota", "kab", "regency"), ("Kecamatan", "kec", "kecamatan"),
        ("Desa/Kelurahan", "desa", "desa"), ("Kode Kemendagri", "code_dotted", "region_code"),
        ("Desil Kesejahteraan", "desil", "desil"), ("Alamat", "address", "address"),
        ("Kepala Keluarga", "name_head", "name"), ("NIK", "nik_head", "nik"), ("Padan Dukcapil", "yn", None),
        ("Jenis Kelamin", "sex_word", "sex"), ("Tanggal Lahir", "date_slash", "birth_date"),
        ("Pekerjaan", "text", None), ("Pendidikan", "text", None), ("Penerima BPNT", "yn", None),
        ("Penerima PKH", "yn", None), ("Penerima Sembako", "yn", None),
    ],
    title=[["DAFTAR SASARAN P3KE DESA KEBANARAN"], ["KECAMATAN MANDIRAJA KABUPATEN BANJARNEGARA"], []],
    numbering=True,
    note="printed list with a numbering row under the header",
)  # fmt: skip

LAYOUTS = [KELUARGA, INDIVIDU, KELUARGA_DISPLAY]
