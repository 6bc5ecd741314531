"""Submissions without a status column: proposal templates and recipient lists are legal layouts.

A file none of whose sheets has a status column gets one ``status_column_missing`` finding; its rows
keep a null status, and its unlinked rows count as ``not_on_list`` — or as ``new`` proposals when the
file name, sheet name or title says USULAN. A sheet without a status column in a file whose other
sheets have one is treated row by row (empty status), except a proposal sheet, whose rows are new.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from verval_cli import schema as s
from verval_cli.io import SheetReport
from verval_cli.io.desa import says_proposal


def files_without_status(sheets: Sequence[SheetReport]) -> dict[str, bool]:
    """Files none of whose sheets maps a status column -> whether the file is a list of proposals."""
    with_status = {r.path for r in sheets if s.STATUS in r.columns}
    out: dict[str, bool] = {}
    for r in sheets:
        if r.path not in with_status:
            out[r.path] = out.get(r.path, False) or r.proposal
    return out


def _proposal_sections(rejected: pl.DataFrame | None) -> pl.DataFrame:
    """(file, sheet, first row) of each sheet's "USULAN BARU" section title: the rows below it are proposals."""
    schema = {s.SOURCE_FILE: pl.Utf8, s.SOURCE_SHEET: pl.Utf8, "_from_row": pl.Int64}
    if rejected is None or rejected.height == 0 or "content" not in rejected.columns:
        return pl.DataFrame(schema=schema)
    return (
        rejected.filter(pl.col("content").cast(pl.Utf8).str.contains(r"(?i)(^|[^A-Z])USULAN([^A-Z]|$)"))
        .group_by(s.SOURCE_FILE, s.SOURCE_SHEET)
        .agg(pl.col(s.SOURCE_ROW).min().cast(pl.Int64).alias("_from_row"))
        .select(list(schema))
        .cast(schema)  # type: ignore[arg-type]
    )


def apply_sheet_status(
    frame: pl.DataFrame, sheets: Sequence[SheetReport], rejected: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Statuses decided by the layout: empty statuses of a proposal sheet are ``new``; a sheet without a
    status column beside sheets with one has ``missing``; rows of files without any stay null.

    A proposal sheet is one of a file without a status column that says USULAN (name, sheet, title), or
    a sheet named USULAN ("USULAN BARU") in any file; rows below a "USULAN BARU" section title (one of
    the ``rejected`` layout rows) are proposals too.
    """
    if s.STATUS not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias(s.STATUS))
    absent_files = files_without_status(sheets)
    marks = pl.DataFrame(
        [
            (
                r.path,
                r.sheet,
                absent_files.get(r.path, False) or says_proposal([r.sheet]),
                s.STATUS not in r.columns and r.path not in absent_files,
                r.path in absent_files,
            )
            for r in sheets
        ],
        schema={
            s.SOURCE_FILE: pl.Utf8,
            s.SOURCE_SHEET: pl.Utf8,
            "_proposal": pl.Boolean,
            "_partial": pl.Boolean,
            "_absent": pl.Boolean,
        },
        orient="row",
    ).unique(subset=[s.SOURCE_FILE, s.SOURCE_SHEET], keep="first")
    marks = marks.join(
        _proposal_sections(rejected), on=[s.SOURCE_FILE, s.SOURCE_SHEET], how="left", nulls_equal=True
    )
    marks = marks.filter(
        pl.col("_proposal") | pl.col("_partial") | pl.col("_absent") | pl.col("_from_row").is_not_null()
    )
    if frame.height == 0 or marks.height == 0:
        return frame
    keyed = frame.select(s.SOURCE_FILE, s.SOURCE_SHEET, s.SOURCE_ROW).join(
        marks, on=[s.SOURCE_FILE, s.SOURCE_SHEET], how="left", nulls_equal=True, maintain_order="left"
    )
    empty = pl.col(s.STATUS).is_null() | (pl.col(s.STATUS) == s.MISSING)
    # A blank cell on a proposal sheet says nothing: the row is proposed. Typed junk ("??") stays missing.
    blank = pl.col(f"{s.STATUS}_raw").is_null() if f"{s.STATUS}_raw" in frame.columns else pl.lit(True)
    status = (
        pl.when(pl.col("_proposal") & empty & blank)
        .then(pl.lit(s.NEW))
        .when(pl.col("_partial") & empty)
        .then(pl.lit(s.MISSING))
        .when(pl.col("_absent") & empty)  # no column to leave empty: one finding per file, not per row
        .then(pl.lit(None, dtype=pl.Utf8))
        .otherwise(pl.col(s.STATUS))
    )
    below_section = (keyed[s.SOURCE_ROW] > keyed["_from_row"]).fill_null(False)
    flags = [
        (keyed["_proposal"].fill_null(False) | below_section).alias("_proposal"),
        *(keyed[c].fill_null(False) for c in ("_partial", "_absent")),
    ]
    return (
        frame.with_columns(*flags)
        .with_columns(status.alias(s.STATUS))
        .drop("_proposal", "_partial", "_absent")
    )


def counts_without_status(matches: pl.DataFrame, absent: dict[str, bool]) -> dict[str, dict[str, Any]]:
    if not absent:
        return {}
    only = pl.col("match_status") == "submission_only"
    is_new = (pl.col("status") == s.NEW).fill_null(False)
    counted = (
        matches.filter(pl.col("submission_file").is_in(list(absent)))
        .group_by("submission_file")
        .agg(
            pl.len().alias("rows"),
            (only & is_new).sum().alias("new"),
            (only & ~is_new).sum().alias("not_on_list"),
            pl.col("desa_code").drop_nulls().mode().sort().first().alias("desa_code"),
        )
        .sort("submission_file")
    )
    return {row.pop("submission_file"): row for row in counted.iter_rows(named=True)}


def status_absent_summary(matches: pl.DataFrame, sheets: Sequence[SheetReport]) -> list[dict[str, Any]]:
    """``summary.json["files_without_status"]``: each such file, whether it proposes, and its counts."""
    absent = files_without_status(sheets)
    return [
        {"file": path, "proposal": absent[path], **counts}
        for path, counts in counts_without_status(matches, absent).items()
    ]
