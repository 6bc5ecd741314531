"""The rows each village must act on, for all villages at once (column ``_village``: the desa code).

Submission-side rows belong to the desa that sent them (it must fix its file); listed households that
nobody reported belong to the province's desa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

from verval_cli.codes import Code
from verval_cli.result import ReconcileResult
from verval_cli.writers.decision_columns import decision_cols, with_decision_columns
from verval_cli.writers.excel_style import Col, date_of, initials, rt_rw_of, text_of
from verval_cli.writers.outputs import mask_id_expr
from verval_cli.writers.reasons import WHY, why_column

VILLAGE: Final = "_village"
NIK_CODES: Final = (Code.NIK_MISSING, Code.NIK_INVALID, Code.NIK_EXCEL_DAMAGED)
DUPLICATE_CODES: Final = (Code.DUPLICATE_IN_SUBMISSION, Code.IN_OTHER_VILLAGE)
STATUS_CODES: Final = (Code.STATUS_UNKNOWN, Code.STATUS_MISSING)
# Codes with their own sheet (or none: info only); every other finding goes to "Perbedaan Data".
_OWN_SHEET: Final = (
    *NIK_CODES,
    *DUPLICATE_CODES,
    *STATUS_CODES,
    Code.MISSING_FROM_SUBMISSION,
    Code.NEW_HOUSEHOLD,
    Code.NOT_ON_LIST,
    Code.REVIEW_NEEDED,
    Code.NIK_DIFFERS,
)
_ROW_KEYS: Final = ["submission_file", "submission_sheet", "submission_row"]
FIELD_LABELS: Final = {
    "nik": "NIK",
    "no_kk": "No KK",
    "nik_corrected": "NIK perbaikan",
    "name": "Nama",
    "birth_date": "Tanggal lahir",
    "sex": "Jenis kelamin",
    "desa": "Desa",
    "household_id": "ID keluarga",
    "status": "Status",
}
STATUS_CHOICES: Final = (
    "Ditemukan",
    "Meninggal",
    "Pindah",
    "Tidak Ditemukan",
    "Sudah Mampu",
    "Ganda",
    "Usulan Baru",
)


@dataclass(frozen=True)
class Task:
    """One sheet of a village workbook: what to do, and its columns (``fill``: columns the village fills in)."""

    key: str
    sheet: str
    todo: str
    columns: tuple[Col, ...]
    fill: tuple[str, ...] = ()


_FILE = (Col("_file", "File"), Col("_sheet", "Sheet"), Col("_row", "Baris", "int"))
TASKS: Final[tuple[Task, ...]] = (
    Task(
        "unreported",
        "Belum Dilaporkan",
        "Keluarga ini ada dalam daftar provinsi tetapi tidak ada dalam file desa. Isi hasil verval "
        f"({', '.join(STATUS_CHOICES[:-1])}) untuk setiap keluarga di kolom yang disediakan.",
        (
            Col("p_id", "ID keluarga", "id"),
            Col("p_row", "Baris daftar provinsi", "int"),
            Col("p_nik", "NIK", "id"),
            Col("p_kk", "No KK", "id"),
            Col("p_name", "Nama kepala keluarga"),
            Col("p_birth", "Tanggal lahir", "date"),
            Col("p_rt_rw", "RT/RW"),
            Col("p_address", "Alamat"),
            Col("_fill_status", "Hasil verval (diisi desa)"),
            Col("_fill_note", "Keterangan (diisi desa)"),
        ),
        fill=("_fill_status", "_fill_note"),
    ),
    Task(
        "review",
        "Perlu Diperiksa",
        "Baris dari file desa (kolom 'desa') mirip dengan keluarga di daftar provinsi (kolom 'provinsi') "
        "tetapi belum pasti orang yang sama. Periksa keduanya dan isi kolom 'Orang yang sama?' dengan ya atau tidak.",
        (
            *_FILE,
            Col("s_nik", "NIK (desa)", "id"),
            Col("s_name", "Nama (desa)"),
            Col("s_birth", "Tgl lahir (desa)", "date"),
            Col("s_rt_rw", "RT/RW (desa)"),
            Col("s_status", "Status (desa)"),
            Col("p_id", "ID keluarga (provinsi)", "id"),
            Col("p_row", "Baris daftar provinsi", "int"),
            Col("p_nik", "NIK (provinsi)", "id"),
            Col("p_name", "Nama (provinsi)"),
            Col("p_birth", "Tgl lahir (provinsi)", "date"),
            Col("p_rt_rw", "RT/RW (provinsi)"),
            Col("_fill_same", "Orang yang sama? (ya/tidak)"),
            Col(WHY, "Alasan"),
            *decision_cols("id"),
        ),
        fill=("_fill_same",),
    ),
    Task(
        "nik",
        "NIK Bermasalah",
        "NIK kosong, tidak valid, atau rusak oleh Excel (disimpan sebagai angka). Ketik ulang NIK dari KK/KTP "
        "sebagai teks (format sel Text) pada baris yang disebut. NIK yang disarankan berasal dari daftar "
        "provinsi: cocokkan dulu dengan dokumen.",
        (
            *_FILE,
            Col("s_name", "Nama"),
            Col("submitted_value", "NIK tertulis", "id", fmt="problem_id"),
            Col("suggested_value", "NIK yang disarankan", "id"),
            Col("province_id", "ID keluarga (provinsi)", "id"),
            Col("_message", "Masalah"),
        ),
    ),
    Task(
        "duplicates",
        "Data Ganda",
        "Keluarga yang sama dilaporkan lebih dari sekali, atau juga dilaporkan oleh desa lain. "
        "Hapus baris yang ganda, atau jelaskan bila memang keluarga berbeda.",
        (
            *_FILE,
            Col("s_name", "Nama"),
            Col("s_nik", "NIK", "id"),
            Col("_same_as", "Sama dengan"),
            Col("_message", "Keterangan"),
        ),
    ),
    Task(
        "status",
        "Status Tidak Dikenal",
        "Status hasil verval kosong atau tidak dikenali. Tulis salah satu: "
        + ", ".join(STATUS_CHOICES)
        + ".",
        (
            *_FILE,
            Col("s_name", "Nama"),
            Col("s_nik", "NIK", "id"),
            Col("s_status", "Status tertulis", fmt="problem"),
            Col("_message", "Keterangan"),
        ),
    ),
    Task(
        "new",
        "Usulan Baru",
        "Keluarga yang tidak ada dalam daftar provinsi. Untuk usulan baru, lengkapi data pendukung (NIK dan "
        "No KK yang benar, tanggal lahir, alamat/RT-RW, salinan KK). Baris yang tidak ditandai usulan baru: "
        "jelaskan, atau tandai sebagai Usulan Baru.",
        (
            *_FILE,
            Col("s_nik", "NIK", "id"),
            Col("s_kk", "No KK", "id"),
            Col("s_name", "Nama"),
            Col("s_birth", "Tanggal lahir", "date"),
            Col("s_rt_rw", "RT/RW"),
            Col("s_status", "Status tertulis"),
            Col("_marked", "Ditandai usulan baru", style_by="_marked_style"),
            Col("_needs", "Data yang perlu dilengkapi", style_by="_needs_style"),
            *decision_cols("id"),
        ),
    ),
    Task(
        "other",
        "Perbedaan Data",
        "Data desa berbeda dengan daftar provinsi. Perbaiki bila desa salah ketik; bila data desa yang benar, "
        "tulis penjelasan di kolom keterangan file desa.",
        (
            *_FILE,
            Col("s_name", "Nama"),
            Col("_field", "Kolom"),
            Col("submitted_value", "Nilai dari desa", "id", fmt="problem_id"),
            Col("list_value", "Nilai daftar provinsi", "id"),
            Col("_message", "Keterangan"),
        ),
    ),
)


def _file_name(column: str) -> pl.Expr:
    # The village knows its own file by name, not by the regency's folder layout.
    return pl.col(column).str.replace(r"^.*[/\\]", "").alias("_file")


def _submission_side(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("submission_index").cast(pl.Int64),
        text_of(frame, "source_file").alias("submission_file"),
        text_of(frame, "source_sheet").alias("submission_sheet"),
        text_of(frame, "source_row").cast(pl.Int64).alias("submission_row"),
        text_of(frame, "desa_code", "source_desa_code").alias("_sender"),
        text_of(frame, "nik_raw", "nik").alias("s_nik"),
        text_of(frame, "nik_status").alias("_nik_status"),
        text_of(frame, "no_kk_raw", "no_kk").alias("s_kk"),
        text_of(frame, "no_kk_status").alias("_kk_status"),
        text_of(frame, "name_raw", "name").alias("s_name"),
        date_of(frame, "birth_date").alias("s_birth"),
        rt_rw_of(frame).alias("s_rt_rw"),
        text_of(frame, "address", "address_raw").alias("_address"),
        text_of(frame, "status_raw", "status").alias("s_status"),
    )


def _province_side(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("province_index").cast(pl.Int64),
        text_of(frame, "household_id", "household_id_raw").alias("p_id"),
        text_of(frame, "source_row").cast(pl.Int64).alias("p_row"),
        text_of(frame, "nik", "nik_raw").alias("p_nik"),
        text_of(frame, "no_kk", "no_kk_raw").alias("p_kk"),
        text_of(frame, "name_raw", "name").alias("p_name"),
        date_of(frame, "birth_date").alias("p_birth"),
        rt_rw_of(frame).alias("p_rt_rw"),
        text_of(frame, "address", "address_raw").alias("p_address"),
        text_of(frame, "desa_code").alias("_listed_in"),
    )


def _locate(frame: pl.DataFrame) -> pl.DataFrame:
    """Add file name, sheet, row and village; sort by file, sheet, row."""
    return frame.with_columns(
        _file_name("submission_file"),
        pl.col("submission_sheet").alias("_sheet"),
        pl.col("submission_row").alias("_row"),
        pl.coalesce("_sender", "desa_code").alias(VILLAGE),
    ).sort("_file", "_sheet", "_row", nulls_last=True, maintain_order=True)


def _masked_values(frame: pl.DataFrame, mask_nik: bool, mask_names: bool) -> pl.DataFrame:
    """Finding values (submitted / list / suggested) masked by their field."""
    is_id = pl.col("field").is_in(["nik", "no_kk", "nik_corrected"]).fill_null(False)
    is_name = pl.col("field").is_in(["name", "name_corrected"]).fill_null(False)
    exprs = []
    for c in ("submitted_value", "list_value", "suggested_value"):
        digits = pl.col(c).str.contains(r"\d{12,}").fill_null(False)
        expr = pl.when(mask_nik & (is_id | digits)).then(mask_id_expr(c))
        exprs.append(expr.when(mask_names & is_name).then(initials(c)).otherwise(pl.col(c)).alias(c))
    return frame.with_columns(exprs)


def _mask_sides(frame: pl.DataFrame, mask_nik: bool, mask_names: bool) -> pl.DataFrame:
    ids = [mask_id_expr(c) for c in ("s_nik", "s_kk", "p_nik", "p_kk") if mask_nik and c in frame.columns]
    names = [initials(c) for c in ("s_name", "p_name") if mask_names and c in frame.columns]
    return frame.with_columns(ids + names) if ids or names else frame


def _findings(result: ReconcileResult, subs: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    found = result.discrepancies.filter(pl.col("code").is_in(codes))
    rows = found.join(subs.drop("submission_index"), on=_ROW_KEYS, how="left", nulls_equal=True)
    return _locate(rows).with_columns(pl.col("message_id").alias("_message"))


def _new_rows(result: ReconcileResult, subs: pl.DataFrame) -> pl.DataFrame:
    only = result.matches.filter(pl.col("match_status") == "submission_only").select(
        "submission_index", "status", "desa_code"
    )
    frame = _locate(only.join(subs, on="submission_index", how="left"))
    marked = (pl.col("status") == "new").fill_null(False)
    lacking = [
        pl.when(pl.col("_nik_status") != "valid").then(pl.lit("NIK")),
        pl.when(pl.col("_kk_status").fill_null("missing") != "valid").then(pl.lit("No KK")),
        pl.when(pl.col("s_birth").is_null()).then(pl.lit("tanggal lahir")),
        pl.when(pl.col("_address").is_null() & pl.col("s_rt_rw").is_null()).then(pl.lit("alamat/RT-RW")),
        pl.when(~marked).then(pl.lit("alasan (tidak ditandai usulan baru)")),
    ]
    needs = pl.concat_list(lacking).list.drop_nulls().list.join(", ")
    return frame.with_columns(
        pl.when(marked).then(pl.lit("ya")).otherwise(pl.lit("tidak")).alias("_marked"),
        pl.when(~marked).then(pl.lit("flag")).alias("_marked_style"),
        pl.when(needs == "").then(pl.lit("lengkap; lampirkan salinan KK")).otherwise(needs).alias("_needs"),
        pl.when(needs != "").then(pl.lit("flag")).alias("_needs_style"),
    )


def village_tables(result: ReconcileResult, *, mask_nik: bool, mask_names: bool) -> dict[str, pl.DataFrame]:
    """One frame per :data:`TASKS` key, each row tagged with its village (``_village``), masked as asked."""
    subs = _submission_side(result.submissions)
    prov = _province_side(result.province)
    m = result.matches
    unreported = (
        m.filter(pl.col("match_status") == "province_only")
        .join(prov, on="province_index", how="left")
        .with_columns(
            pl.coalesce("_listed_in", "desa_code").alias(VILLAGE),
            pl.lit(None, dtype=pl.Utf8).alias("_fill_status"),
            pl.lit(None, dtype=pl.Utf8).alias("_fill_note"),
        )
        .sort("p_row", nulls_last=True, maintain_order=True)
    )
    review = _locate(
        m.filter(pl.col("match_status") == "review")
        .select("submission_index", "province_index", "desa_code")
        .join(subs, on="submission_index", how="left")
        .join(prov, on="province_index", how="left")
    ).with_columns(pl.lit(None, dtype=pl.Utf8).alias("_fill_same"))
    review = review.join(why_column(result, "id"), on="submission_index", how="left", maintain_order="left")
    review = with_decision_columns(review, result, "id")[0]
    suggested = pl.col("suggested_value").is_not_null()
    nik = _findings(result, subs, [*NIK_CODES, Code.NIK_DIFFERS]).filter(
        (pl.col("code") != Code.NIK_DIFFERS) | suggested
    )
    duplicates = _findings(result, subs, list(DUPLICATE_CODES)).with_columns(
        pl.when(pl.col("code") == Code.IN_OTHER_VILLAGE)
        .then(pl.format("desa {}", pl.col("list_value")))
        .otherwise(pl.col("list_value"))
        .alias("_same_as")
    )
    others = [c for c in result.discrepancies["code"].unique().to_list() if c not in _OWN_SHEET]
    other = pl.concat(
        [
            _findings(result, subs, others).filter(pl.col("severity") != "info"),
            _findings(result, subs, [Code.NIK_DIFFERS]).filter(~suggested),
        ],
        how="vertical_relaxed",
    ).sort("_file", "_sheet", "_row", nulls_last=True, maintain_order=True)
    other = other.with_columns(
        pl.col("field")
        .replace_strict(FIELD_LABELS, default=pl.col("field"), return_dtype=pl.Utf8)
        .alias("_field")
    )
    tables = {
        "unreported": unreported,
        "review": review,
        "nik": _masked_values(nik, mask_nik, mask_names),
        "duplicates": duplicates,
        "status": _findings(result, subs, list(STATUS_CODES)),
        "new": with_decision_columns(_new_rows(result, subs), result, "id")[0],
        "other": _masked_values(other, mask_nik, mask_names),
    }
    return {key: _mask_sides(frame, mask_nik, mask_names) for key, frame in tables.items()}
