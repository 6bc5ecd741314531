"""The reconcile summary: counts per kecamatan and desa, and the balance that proves no row was lost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from verval_cli import regions
from verval_cli.io import FileFailure, SheetReport
from verval_cli.submission_status import status_absent_summary

COUNT_COLUMNS = ("listed", "submitted", "matched", "review", "not_reported", "new", "not_on_list")

HOUSEHOLDS = "households"
ROWS = "rows"
# What each count of summary.json counts: a submitted row, a province household, a village, a finding.
# `totals` counts rows of matches.parquet: a household is matched once, but every further row linked to
# it (a duplicate, another village's row, a family member) is a matched row too.
_PER_AREA: dict[str, str] = {
    "listed": HOUSEHOLDS,
    "submitted": "submission rows",
    "matched": HOUSEHOLDS,
    "review": HOUSEHOLDS,
    "not_reported": HOUSEHOLDS,
    "new": "submission rows",
    "not_on_list": "submission rows",
    "silent_villages": "villages",
}
UNITS: dict[str, Any] = {
    "totals": "rows of matches.parquet (submission rows; province_only: listed households no row matched)",
    "totals_households": HOUSEHOLDS,
    "by_status": "submission rows",
    "by_discrepancy": "findings (rows of discrepancies.parquet)",
    "kecamatan": _PER_AREA,
    "desa": {k: v for k, v in _PER_AREA.items() if k != "silent_villages"},
    "balance": {
        "submission_rows_loaded": "submission rows",
        "submission_rows_in_matches": "submission rows",
        "rows_rejected": "rows (layout, not households)",
        "province_households": HOUSEHOLDS,
        "province_households_linked": HOUSEHOLDS,
        "province_households_not_reported": HOUSEHOLDS,
        "files_failed": "files",
    },
}


def desa_table(matches: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """One row per desa (listed or submitting): the progress counts, with kecamatan and desa names."""
    listed = households.group_by("desa_code").agg(pl.len().alias("listed"))
    # Lazy, so only the columns counted are read from the million-row matches.
    sub = matches.lazy().filter(
        pl.col("submission_row").is_not_null() | pl.col("submission_file").is_not_null()
    )
    primary = pl.col("link_role") == "primary"
    per_desa = (
        sub.group_by("desa_code")
        .agg(
            pl.len().alias("submitted"),
            ((pl.col("match_status") == "matched") & primary).sum().alias("matched"),
            ((pl.col("match_status") == "review") & primary).sum().alias("review"),
            ((pl.col("match_status") == "submission_only") & (pl.col("status") == "new")).sum().alias("new"),
            ((pl.col("match_status") == "submission_only") & (pl.col("status") != "new").fill_null(True))
            .sum()
            .alias("not_on_list"),
        )
        .collect()
    )
    only = (
        matches.lazy()
        .filter(pl.col("match_status") == "province_only")
        .group_by("desa_code")
        .agg(pl.len().alias("not_reported"))
        .collect()
    )
    table = listed.join(per_desa, on="desa_code", how="full", coalesce=True).join(
        only, on="desa_code", how="left"
    )
    table = table.with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in COUNT_COLUMNS])
    codes = table["desa_code"].to_list()
    found = [regions.desa_by_code(c) if c else None for c in codes]
    return table.with_columns(
        pl.col("desa_code").str.slice(0, 6).alias("kecamatan_code"),
        pl.Series("kecamatan", [d.kecamatan if d else None for d in found], dtype=pl.Utf8),
        pl.Series("desa", [d.name if d else None for d in found], dtype=pl.Utf8),
        (pl.col("submitted") == 0).alias("silent"),
    ).sort("kecamatan_code", "desa_code", nulls_last=True)


def kecamatan_table(desa: pl.DataFrame) -> pl.DataFrame:
    """The desa table summed per kecamatan, with the number of silent villages."""
    return (
        desa.group_by("kecamatan_code", "kecamatan")
        .agg(*[pl.col(c).sum() for c in COUNT_COLUMNS], pl.col("silent").sum().alias("silent_villages"))
        .sort("kecamatan_code", nulls_last=True)
    )


def build_summary(
    *,
    matches: pl.DataFrame,
    households: pl.DataFrame,
    rows: pl.DataFrame,
    findings: pl.DataFrame,
    rejected: pl.DataFrame,
    failures: Sequence[FileFailure],
    regency: str | None,
    sheets: Sequence[SheetReport] = (),
) -> dict[str, Any]:
    """Everything `summary.json` holds, as plain Python values."""
    desa = desa_table(matches, households)
    submitted = pl.col("match_status") != "province_only"
    by_status = (
        matches.lazy()
        .filter(submitted)
        .group_by("status")
        .agg(pl.len())
        .sort("status", nulls_last=True)
        .collect()
    )
    by_code = findings.group_by("code").agg(pl.len()).sort("code")
    by_match = matches.group_by("match_status").agg(pl.len()).sort("match_status")
    counts = matches.select(
        submitted.sum().alias("submitted"),
        (submitted & (pl.col("link_role") == "primary")).sum().alias("primary"),
        (~submitted).sum().alias("only"),
    ).row(0, named=True)
    balance = {
        "submission_rows_loaded": rows.height,
        "submission_rows_in_matches": counts["submitted"],
        "rows_rejected": rejected.height,
        "province_households": households.height,
        "province_households_linked": counts["primary"],
        "province_households_not_reported": counts["only"],
        "files_failed": len(failures),
    }
    balance["balanced"] = (
        balance["submission_rows_loaded"] == balance["submission_rows_in_matches"]
        and balance["province_households"]
        == balance["province_households_linked"] + balance["province_households_not_reported"]
    )
    per_kecamatan = kecamatan_table(desa)
    return {
        "regency": regency,
        "regency_name": regions.region_name(regency) if regency else None,
        "totals": {row["match_status"]: row["len"] for row in by_match.iter_rows(named=True)},
        "by_status": {str(row["status"]): row["len"] for row in by_status.iter_rows(named=True)},
        "by_discrepancy": {row["code"]: row["len"] for row in by_code.iter_rows(named=True)},
        "kecamatan": per_kecamatan.to_dicts(),
        "desa": desa.to_dicts(),
        "balance": balance,
        "failures": [{"file": f.path, "sheet": f.sheet, "reason": f.reason} for f in failures],
        "files_without_status": status_absent_summary(matches, sheets),
        # Added later, so no key above changed meaning: the household counts of the console table,
        # the unit of every count, and the unit of `totals` on its own for a quick look.
        "totals_households": {
            k: int(per_kecamatan[k].sum()) for k in ("listed", "matched", "review", "not_reported")
        },
        "totals_unit": ROWS,
        "units": UNITS,
    }
