"""The output contract of `verval reconcile` written from a :class:`ReconcileResult`.

>>> write_reconcile_outputs(result, Path("hasil_verval"), mask_nik=True)   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from verval_cli import marks
from verval_cli.result import (
    CHANGES_FILE,
    DISCREPANCIES_FILE,
    MATCHES_FILE,
    PROGRESS_PAGE_FILE,
    PROVINCE_FILE,
    REJECTED_FILE,
    REVIEW_REASONS_FILE,
    SUBMISSIONS_FILE,
    SUMMARY_FILE,
    WORKBOOK_FILE,
    ReconcileResult,
)
from verval_cli.writers.excel_report import write_excel_report
from verval_cli.writers.outputs import mask_frame, update_manifest, write_json, write_parquet
from verval_cli.writers.report.html import write_progress_html


def write_reconcile_outputs(
    result: ReconcileResult, out_dir: Path, *, lang: str = "id", mask_nik: bool = False
) -> list[Path]:
    """Write the output contract into ``out_dir`` (each file atomically); return the paths written."""

    def masked(frame: pl.DataFrame) -> pl.DataFrame:
        return mask_frame(frame) if mask_nik else frame

    def parquet(frame: pl.DataFrame, name: str) -> Path:
        return write_parquet(frame, out_dir / name, metadata=marks.parquet_metadata(marks.RECONCILE_DATA))

    written = [
        parquet(result.matches, MATCHES_FILE),
        parquet(masked(result.province), PROVINCE_FILE),
        parquet(masked(result.submissions), SUBMISSIONS_FILE),
        parquet(masked(result.discrepancies), DISCREPANCIES_FILE),
        parquet(result.rejected, REJECTED_FILE),
        parquet(result.review_reasons, REVIEW_REASONS_FILE),
        write_json(result.summary, out_dir / SUMMARY_FILE),
        write_excel_report(result, out_dir / WORKBOOK_FILE, lang=lang, mask_nik=mask_nik),
        write_progress_html(result, out_dir / PROGRESS_PAGE_FILE, lang=lang),
    ]
    if result.changes is not None:  # a rerun into a folder that held a previous run
        written.insert(5, parquet(result.changes, CHANGES_FILE))
    update_manifest(out_dir, "reconcile", written)
    return written
