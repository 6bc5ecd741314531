"""Household-level progress per desa and kecamatan: listed = matched + review + not reported, always.

``summary.desa_table`` counts submission *rows*; a meeting wants *households*: each listed household is
counted once, by the province's desa, as matched, needing review or not reported. Submission rows are
counted by the desa that sent them.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from verval_cli import regions
from verval_cli.result import ReconcileResult

PROGRESS_COUNTS: Final = (
    "listed",
    "reported",
    "matched",
    "review",
    "not_reported",
    "open",
    "new",
    "not_on_list",
)

_MONTHS: Final = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_DAYS: Final = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def tanggal(day: dt.date, *, weekday: bool = False) -> str:
    """``2023-02-08`` -> ``8 Februari 2023`` (``Rabu, 8 Februari 2023`` with ``weekday``)."""
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_DAYS[day.weekday()]}, {text}" if weekday else text


def angka(n: int) -> str:
    """Indonesian thousands separator: ``12345`` -> ``12.345``."""
    return f"{n:,}".replace(",", ".")


def persen(part: int, whole: int) -> str:
    """Share as a whole percent, rounded down so that 100% means done (``-`` when ``whole`` is 0)."""
    if whole <= 0:
        return "-"
    return f"{part * 100 // whole}%"


def desa_progress(result: ReconcileResult) -> pl.DataFrame:
    """One row per desa (listed or sending): PROGRESS_COUNTS, names, ``silent``; silent villages first."""
    m = result.matches
    households = m.filter((pl.col("link_role") == "primary") | (pl.col("match_status") == "province_only"))
    per_household = households.group_by("desa_code").agg(
        (pl.col("match_status") == "matched").sum().alias("matched"),
        (pl.col("match_status") == "review").sum().alias("review"),
        (pl.col("match_status") == "province_only").sum().alias("not_reported"),
    )
    listed = result.province.group_by("desa_code").agg(pl.len().alias("listed"))
    senders = result.submissions.select(
        pl.col("submission_index").cast(pl.Int64),
        (pl.col("desa_code") if "desa_code" in result.submissions.columns else pl.lit(None))
        .cast(pl.Utf8)
        .alias("_sender_desa"),
    )
    is_new = (pl.col("status") == "new").fill_null(False)
    only = pl.col("match_status") == "submission_only"
    sent = (
        m.filter(pl.col("submission_index").is_not_null())
        .join(senders, on="submission_index", how="left")
        # Rows count for the desa that sent them (the file's desa), not the linked household's desa.
        .with_columns(pl.coalesce("_sender_desa", "desa_code").alias("desa_code"))
        .group_by("desa_code")
        .agg(
            pl.len().alias("reported"),
            (only & is_new).sum().alias("new"),
            (only & ~is_new).sum().alias("not_on_list"),
        )
    )
    table = (
        listed.join(per_household, on="desa_code", how="full", coalesce=True, nulls_equal=True)
        .join(sent, on="desa_code", how="full", coalesce=True, nulls_equal=True)
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in PROGRESS_COUNTS if c != "open"])
        .with_columns((pl.col("review") + pl.col("not_reported")).alias("open"))
    )
    codes = [c for c in table["desa_code"].to_list() if c]
    places = {c: regions.desa_by_code(c) for c in codes}
    lookup = pl.DataFrame(
        {
            "desa_code": codes,
            "desa": [p.name if p else None for p in places.values()],
            "kecamatan": [p.kecamatan if p else None for p in places.values()],
        },
        schema={"desa_code": pl.Utf8, "desa": pl.Utf8, "kecamatan": pl.Utf8},
    )
    return (
        table.join(lookup, on="desa_code", how="left")
        .with_columns(
            pl.col("desa_code").str.slice(0, 6).alias("kecamatan_code"),
            ((pl.col("reported") == 0) & (pl.col("listed") > 0)).alias("silent"),
        )
        .select("kecamatan_code", "kecamatan", "desa_code", "desa", *PROGRESS_COUNTS, "silent")
        .sort(["silent", "kecamatan_code", "desa_code"], descending=[True, False, False], nulls_last=True)
    )


def kecamatan_progress(desa: pl.DataFrame) -> pl.DataFrame:
    """The desa progress summed per kecamatan, with the number of villages and of silent villages."""
    return (
        desa.group_by("kecamatan_code", "kecamatan")
        .agg(
            *[pl.col(c).sum() for c in PROGRESS_COUNTS],
            pl.len().alias("villages"),
            pl.col("silent").sum().cast(pl.Int64).alias("silent_villages"),
        )
        .sort("kecamatan_code", nulls_last=True)
    )


def progress_totals(desa: pl.DataFrame) -> dict[str, int]:
    """Regency totals of PROGRESS_COUNTS plus ``villages`` and ``silent_villages``."""
    totals = {c: int(desa[c].sum()) for c in PROGRESS_COUNTS}
    totals["villages"] = desa.height
    totals["silent_villages"] = int(desa["silent"].sum())
    return totals
