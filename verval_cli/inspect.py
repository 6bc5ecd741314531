"""`verval inspect`: what verval sees in each file, and the problems it spots, before any matching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import regions
from verval_cli import schema as s
from verval_cli.config import Config
from verval_cli.ingest import ingest
from verval_cli.io import InputNote
from verval_cli.progress import Progress
from verval_cli.row_desa import infer_regency, majority_regency
from verval_cli.writers.outputs import mask_id_expr

SAMPLE_FIELDS = ("household_id", "nik", "no_kk", "name", "birth_date", "rt", "rw", "status")


@dataclass
class SheetInspection:
    """One table found in a file: how it was read, mapped and what looks wrong."""

    path: str
    sheet: str | None
    format: str
    header_row: int | None
    mapping: dict[str, str]
    ignored: list[str]
    data_rows: int
    rejected_rows: int
    desa_code: str | None
    desa_name: str | None
    desa_source: str | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    # Per column: field, the rule that mapped it, why it was left unmapped, the columns it competed with.
    mapping_explained: list[dict[str, Any]] = field(default_factory=list)
    mapping_summary: str | None = None


@dataclass
class Inspection:
    """All files of an inspect run, and the files that could not be read."""

    sheets: list[SheetInspection]
    failures: list[dict[str, str | None]]
    notes: list[InputNote] = field(default_factory=list)  # files skipped: lock files, verval's own outputs

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "sheets": [asdict(x) for x in self.sheets],
            "failures": self.failures,
            "input_notes": [n.to_dict() for n in self.notes],
        }


def _count(frame: pl.DataFrame, expr: pl.Expr) -> int:
    return int(frame.select(expr.fill_null(False).sum()).item())


def _problems(frame: pl.DataFrame) -> list[str]:
    problems: list[str] = []
    n = frame.height
    if "nik_status" in frame.columns:
        numeric = (
            _count(frame, pl.col(s.numeric_cell_flag("nik")))
            if s.numeric_cell_flag("nik") in frame.columns
            else 0
        )
        damaged = _count(frame, pl.col("nik_status") == "excel_damaged")
        if damaged:
            how = f"{numeric} of {n} NIK cells stored as numbers; " if numeric else ""
            problems.append(f"NIK damaged by Excel: {how}{damaged} of {n} NIKs lost digits")
        for status, label in (
            ("invalid_format", "not 16 valid digits"),
            ("impossible_date", "impossible birth date"),
            ("missing", "missing"),
        ):
            k = _count(frame, pl.col("nik_status") == status)
            if k:
                problems.append(f"NIK {label}: {k} of {n} rows")
        dup = _count(frame, pl.col("nik").is_duplicated() & pl.col("nik").is_not_null())
        if dup:
            problems.append(f"NIK repeated within the file: {dup} rows")
    else:
        problems.append("no NIK column found")
    if "status" in frame.columns:
        for status, label in (("missing", "empty"), ("unknown", "not recognised")):
            k = _count(frame, pl.col("status") == status)
            if k:
                problems.append(f"verval status {label}: {k} of {n} rows")
    if "birth_date_status" in frame.columns:
        k = _count(frame, pl.col("birth_date_status").is_in(["unparseable", "implausible"]))
        if k:
            problems.append(f"birth date unreadable or implausible: {k} of {n} rows")
    if "name" in frame.columns:
        k = _count(frame, pl.col("name").is_null())
        if k:
            problems.append(f"name empty: {k} of {n} rows")
    return problems


def _sample(frame: pl.DataFrame, unmask: bool, rows: int = 3) -> list[dict[str, Any]]:
    columns = [c for c in (s.SOURCE_ROW, *SAMPLE_FIELDS) if c in frame.columns]
    head = frame.head(rows).select(columns)
    raw_ids = [c for c in ("nik", "no_kk") if c in head.columns]
    if not unmask:
        head = head.with_columns([mask_id_expr(c) for c in raw_ids])
        if "name" in head.columns:
            initials = (
                pl.col("name").str.split(" ").list.eval(pl.element().str.slice(0, 1) + ".").list.join(" ")
            )
            head = head.with_columns(initials.alias("name"))
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        for row in head.to_dicts()
    ]


def inspect_files(
    paths: str | Path | Sequence[str | Path],
    config: Config | None = None,
    *,
    sheet: str | None = None,
    unmask: bool = False,
    progress: Progress | None = None,
) -> Inspection:
    """Load each file as reconcile would, and describe it (``progress``: see :mod:`verval_cli.progress`)."""
    loaded = ingest(paths, config, sheet=sheet, progress=progress)
    frame = loaded.frame
    out: list[SheetInspection] = []
    for report in loaded.sheets:
        part = (
            frame.filter(
                (pl.col(s.SOURCE_FILE) == report.path)
                & (pl.col(s.SOURCE_SHEET).eq_missing(pl.lit(report.sheet, dtype=pl.Utf8)))
            )
            if frame.height
            else frame
        )
        rejected = (
            loaded.rejected.filter(
                (pl.col(s.SOURCE_FILE) == report.path)
                & pl.col(s.SOURCE_SHEET).eq_missing(pl.lit(report.sheet, dtype=pl.Utf8))
            ).height
            if loaded.rejected.height
            else 0
        )
        desa = regions.desa_by_code(report.desa_code) if report.desa_code else None
        problems = _problems(part) if part.height else ["no data rows under the header"]
        if report.desa_code is None:
            problems.append("desa not identified (no desa column, file name or title naming it)")
        out.append(
            SheetInspection(
                path=report.path,
                sheet=report.sheet,
                format=report.format,
                header_row=report.header_row,
                mapping=dict(report.mapping),
                ignored=list(report.ignored),
                data_rows=report.data_rows,
                rejected_rows=rejected,
                desa_code=report.desa_code,
                desa_name=f"{desa.name}, {desa.kecamatan}" if desa else None,
                desa_source=report.desa_source,
                problems=problems,
                notes=list(report.notes),
                sample=_sample(part, unmask),
                mapping_explained=[dict(c) for c in report.mapping_explained],
                mapping_summary=report.mapping_summary,
            )
        )
    failures: list[dict[str, str | None]] = [
        {"file": f.path, "sheet": f.sheet, "reason": f.reason} for f in loaded.failures
    ]
    return Inspection(out, failures, loaded.notes)


def regency_of_files(paths: str | Path | Sequence[str | Path], config: Config | None = None) -> str | None:
    """The 4-digit regency code the files' rows point to (region codes, regency column, NIKs), or None."""
    config = config or Config()
    loaded = ingest(paths, config)
    if loaded.frame.height == 0:
        return None
    found = infer_regency(loaded.frame, config.regency)
    return found or majority_regency([sheet.desa_code for sheet in loaded.sheets if sheet.desa_code])
