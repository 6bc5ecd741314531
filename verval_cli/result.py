"""What a reconcile produces and the files it is written to: the bottom of the import graph.

The pipeline (:mod:`verval_cli.reconcile`) builds a :class:`ReconcileResult`; the writers
(:mod:`verval_cli.writers`) turn it into the output contract below, and ``verval report`` reads the
contract back. Nothing here imports pipeline or writer code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from verval_cli.io.discover import InputNote
from verval_cli.io.table import FileFailure, SheetReport

# The output contract of `verval reconcile`: one output folder holds these files.
MATCHES_FILE: Final = "matches.parquet"
PROVINCE_FILE: Final = "province.parquet"
SUBMISSIONS_FILE: Final = "submissions.parquet"
DISCREPANCIES_FILE: Final = "discrepancies.parquet"
REJECTED_FILE: Final = "rejected.parquet"
SUMMARY_FILE: Final = "summary.json"
WORKBOOK_FILE: Final = "laporan_verval.xlsx"
PROGRESS_PAGE_FILE: Final = "ringkasan.html"
REVIEW_REASONS_FILE: Final = "review_reasons.parquet"

OUTPUT_FILES: Final = (
    MATCHES_FILE,
    PROVINCE_FILE,
    SUBMISSIONS_FILE,
    DISCREPANCIES_FILE,
    REJECTED_FILE,
    SUMMARY_FILE,
    WORKBOOK_FILE,
    PROGRESS_PAGE_FILE,
    REVIEW_REASONS_FILE,
)
# Written only by a rerun into a folder that held a previous run (verval_cli/changes.py).
CHANGES_FILE: Final = "changes.parquet"
# Inside an output folder: the previous runs (writers/history.py), and the file cache (left in place).
HISTORY_DIR: Final = "riwayat"
CACHE_DIR: Final = ".verval-cache"
# What `verval report` needs to re-render a folder (rejected.parquet is optional there).
REQUIRED_FILES: Final = (MATCHES_FILE, PROVINCE_FILE, SUBMISSIONS_FILE, DISCREPANCIES_FILE, SUMMARY_FILE)

MATCH_COLUMNS: dict[str, pl.DataType] = {
    "submission_file": pl.Utf8(),
    "submission_sheet": pl.Utf8(),
    "submission_row": pl.Int64(),
    "province_id": pl.Utf8(),
    "province_row": pl.Int64(),
    "desa_code": pl.Utf8(),
    "match_status": pl.Utf8(),
    "match_method": pl.Utf8(),
    "match_score": pl.Float64(),
    "status": pl.Utf8(),
    "discrepancies": pl.List(pl.Utf8()),
    "link_role": pl.Utf8(),
    "match_evidence": pl.Utf8(),
    "submission_index": pl.Int64(),
    "province_index": pl.Int64(),
}

# review_reasons.parquet: why each review row is in review (verval_cli.explain.review_reasons).
REVIEW_REASON_COLUMNS: Final[dict[str, pl.DataType]] = {
    "submission_index": pl.Int64(),
    "reason": pl.Utf8(),  # rival, low_score or taken (see REASONS)
    "score": pl.Float64(),
    "province_row": pl.Int64(),
    "rival_row": pl.Int64(),  # rival: its list row; taken: the owner row's submission row
    "rival_score": pl.Float64(),
    "rival_file": pl.Utf8(),  # taken: the owner row's file
    "rival_sheet": pl.Utf8(),
    "gap": pl.Float64(),
    "accept": pl.Float64(),
    "review": pl.Float64(),
    "margin": pl.Float64(),
}


@dataclass
class ReconcileResult:
    """Everything a reconcile produced; `write_reconcile_outputs` turns it into files."""

    matches: pl.DataFrame
    province: pl.DataFrame
    submissions: pl.DataFrame
    discrepancies: pl.DataFrame
    rejected: pl.DataFrame
    summary: dict[str, Any]
    sheets: list[SheetReport] = field(default_factory=list)
    failures: list[FileFailure] = field(default_factory=list)
    notes: list[InputNote] = field(default_factory=list)  # inputs skipped: lock files, verval's own outputs
    # Why each review row is in review (verval_cli.explain.REASON_SCHEMA); empty when not worked out.
    review_reasons: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REVIEW_REASON_COLUMNS))
    changes: pl.DataFrame | None = None  # what changed since the previous run in the same --out, if any
