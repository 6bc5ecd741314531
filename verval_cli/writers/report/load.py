"""Read a reconcile output folder back into a :class:`ReconcileResult` (the Parquet files are the truth).

>>> result = load_result(Path("hasil_verval"))      # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from verval_cli.errors import InputFileError
from verval_cli.io.table import FileFailure
from verval_cli.result import (
    CHANGES_FILE,
    DISCREPANCIES_FILE,
    MATCH_COLUMNS,
    MATCHES_FILE,
    PROVINCE_FILE,
    REJECTED_FILE,
    REQUIRED_FILES,
    REVIEW_REASON_COLUMNS,
    REVIEW_REASONS_FILE,
    SUBMISSIONS_FILE,
    SUMMARY_FILE,
    ReconcileResult,
)
from verval_cli.runs import read_summary
from verval_cli.summary import build_summary

_NOT_OUTPUT = "not a verval reconcile output folder"


def _read_parquet(path: Path) -> pl.DataFrame:
    try:
        return pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputFileError(str(path), f"cannot read Parquet file ({type(exc).__name__})") from exc


def _failures(stored: dict[str, Any]) -> list[FileFailure]:
    items = stored.get("failures") or []
    return [
        FileFailure(path=str(f.get("file")), reason=str(f.get("reason")), sheet=f.get("sheet"))
        for f in items
        if isinstance(f, dict)
    ]


def load_result(out_dir: Path) -> ReconcileResult:
    """Load the Parquet files and summary.json of ``out_dir``; recompute the summary from the Parquet."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputFileError(str(out_dir), f"{_NOT_OUTPUT} (no such folder)")
    missing = [name for name in REQUIRED_FILES if not (out_dir / name).is_file()]
    if missing:
        raise InputFileError(str(out_dir), f"{_NOT_OUTPUT} (missing {', '.join(missing)})")
    matches = _read_parquet(out_dir / MATCHES_FILE)
    absent = [c for c in MATCH_COLUMNS if c not in matches.columns]
    if absent:
        raise InputFileError(
            str(out_dir / MATCHES_FILE), f"{_NOT_OUTPUT} (columns missing: {', '.join(absent)})"
        )
    province = _read_parquet(out_dir / PROVINCE_FILE)
    submissions = _read_parquet(out_dir / SUBMISSIONS_FILE)
    for name, frame, needed in (
        (PROVINCE_FILE, province, ("province_index", "desa_code")),
        (SUBMISSIONS_FILE, submissions, ("submission_index",)),
    ):
        lacking = [c for c in needed if c not in frame.columns]
        if lacking:
            raise InputFileError(
                str(out_dir / name), f"{_NOT_OUTPUT} (columns missing: {', '.join(lacking)})"
            )
    discrepancies = _read_parquet(out_dir / DISCREPANCIES_FILE)
    rejected_path = out_dir / REJECTED_FILE
    rejected = _read_parquet(rejected_path) if rejected_path.is_file() else pl.DataFrame()
    reasons_path = out_dir / REVIEW_REASONS_FILE  # optional: folders written before it existed have none
    reasons = (
        _read_parquet(reasons_path) if reasons_path.is_file() else pl.DataFrame(schema=REVIEW_REASON_COLUMNS)
    )
    stored = read_summary(out_dir / SUMMARY_FILE)
    failures = _failures(stored)
    regency = stored.get("regency")
    summary = build_summary(
        matches=matches.select([pl.col(c).cast(t) for c, t in MATCH_COLUMNS.items()]),
        households=province,
        rows=submissions,
        findings=discrepancies,
        rejected=rejected,
        failures=failures,
        regency=str(regency) if regency else None,
    )
    return ReconcileResult(
        matches=matches,
        province=province,
        submissions=submissions,
        discrepancies=discrepancies,
        rejected=rejected,
        summary={**stored, **summary},
        failures=failures,
        review_reasons=reasons,
        changes=_read_parquet(out_dir / CHANGES_FILE) if (out_dir / CHANGES_FILE).is_file() else None,
    )
