"""A verval run as saved in an output folder, and the runs kept in its history folder.

A folder holds a verval run when its manifest (``.verval-output.json``, see :mod:`verval_cli.marks`)
says `verval reconcile` wrote it and its ``summary.json`` is there. Each rerun into the same
``--out`` keeps the previous run in ``riwayat/<UTC time>/`` (:mod:`verval_cli.writers.history`).

>>> [run.label for run in list_runs(Path("hasil"))]      # doctest: +SKIP
['riwayat/20261203T081500Z', 'hasil']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl

from verval_cli import marks
from verval_cli._version import __version__
from verval_cli.errors import InputFileError
from verval_cli.result import (
    DISCREPANCIES_FILE,
    HISTORY_DIR,
    MATCHES_FILE,
    SUBMISSIONS_FILE,
    SUMMARY_FILE,
    ReconcileResult,
)

_NOT_RUN: Final = "not a verval reconcile output folder"
_CHUNK: Final = 1 << 20
# The columns of each saved table a comparison reads (the rest stays on disk).
MATCH_KEYS: Final = (
    "submission_file",
    "submission_sheet",
    "submission_row",
    "province_id",
    "province_row",
    "desa_code",
    "match_status",
    "status",
    "link_role",
)
FINDING_KEYS: Final = (
    "code",
    "submission_file",
    "submission_sheet",
    "submission_row",
    "province_id",
    "province_row",
    "desa_code",
)
ROW_KEYS: Final = ("source_file", "source_sheet", "source_row", "name", "nik")


def file_fingerprints(paths: Sequence[Path | str]) -> list[dict[str, Any]]:
    """Name, size and SHA-256 of each input file: a resent file is one whose content hash changed."""
    out = []
    for path in paths:
        digest = hashlib.sha256()
        with Path(path).open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        out.append(
            {
                "file": str(path),
                "name": Path(path).name,
                "bytes": Path(path).stat().st_size,
                "sha256": digest.hexdigest(),
            }
        )
    return out


def run_stamp() -> dict[str, str]:
    """When this run was made and by which verval (``summary.json`` key ``run``)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {"written": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "verval_version": __version__}


def holds_run(folder: Path) -> bool:
    """Whether ``folder`` holds a run `verval reconcile` wrote (its manifest and summary.json)."""
    manifest = marks.read_manifest(Path(folder)) if Path(folder).is_dir() else None
    return (
        bool(manifest)
        and "reconcile" in (manifest or {}).get("commands", [])
        and (folder / SUMMARY_FILE).is_file()
    )


@dataclass
class RunData:
    """What a comparison reads of one run: its matches, findings, row keys and summary."""

    label: str
    matches: pl.DataFrame
    findings: pl.DataFrame
    rows: pl.DataFrame
    summary: dict[str, Any]


def read_summary(path: Path) -> dict[str, Any]:
    """A ``summary.json`` as a dict; one-line errors for an unreadable or malformed file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(str(path), f"cannot read summary ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise InputFileError(str(path), "summary is not a JSON object")
    return data


def _read_columns(path: Path, columns: Sequence[str], *, optional: Sequence[str] = ()) -> pl.DataFrame:
    try:
        schema = pl.read_parquet_schema(path)
        missing = [c for c in columns if c not in schema and c not in optional]
        if missing:
            raise InputFileError(str(path), f"{_NOT_RUN} (columns missing: {', '.join(missing)})")
        return pl.read_parquet(path, columns=[c for c in columns if c in schema])
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputFileError(str(path), f"cannot read Parquet file ({type(exc).__name__})") from exc


def load_run(folder: Path) -> RunData:
    """The run saved in ``folder`` (an output folder or one of its history folders); one-line errors."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(str(folder), f"{_NOT_RUN} (no such folder)")
    missing = [n for n in (MATCHES_FILE, DISCREPANCIES_FILE, SUMMARY_FILE) if not (folder / n).is_file()]
    if missing:
        raise InputFileError(str(folder), f"{_NOT_RUN} (missing {', '.join(missing)})")
    rows_path = folder / SUBMISSIONS_FILE
    rows = (
        _read_columns(rows_path, ROW_KEYS, optional=("name", "nik"))
        if rows_path.is_file()
        else pl.DataFrame(schema={c: pl.Utf8 for c in ROW_KEYS})
    )
    return RunData(
        label=str(folder),
        matches=_read_columns(folder / MATCHES_FILE, MATCH_KEYS),
        findings=_read_columns(folder / DISCREPANCIES_FILE, FINDING_KEYS),
        rows=rows,
        summary=read_summary(folder / SUMMARY_FILE),
    )


def run_of_result(result: ReconcileResult, label: str = "this run") -> RunData:
    """The same view of a run still in memory."""
    rows = result.submissions
    return RunData(
        label=label,
        matches=result.matches.select(MATCH_KEYS),
        findings=result.discrepancies.select(FINDING_KEYS),
        rows=rows.select([c for c in ROW_KEYS if c in rows.columns]),
        summary=result.summary,
    )


@dataclass(frozen=True)
class RunInfo:
    """One run kept in an output folder: when, by which verval, from how many files, with what totals."""

    folder: Path
    label: str
    written: str | None
    version: str | None
    files: int
    totals: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "label": self.label,
            "written": self.written,
            "verval_version": self.version,
            "files": self.files,
            "totals": self.totals,
        }


def _written(folder: Path, summary: dict[str, Any]) -> str | None:
    run = summary.get("run")
    if isinstance(run, dict) and run.get("written"):
        return str(run["written"])
    manifest = marks.read_manifest(folder) or {}
    return str(manifest["written"]) if manifest.get("written") else None


def run_info(folder: Path, label: str) -> RunInfo:
    """The date, version, file count and totals of the run in ``folder`` (from its summary.json)."""
    summary = read_summary(folder / SUMMARY_FILE)
    run = summary.get("run") if isinstance(summary.get("run"), dict) else {}
    manifest = marks.read_manifest(folder) or {}
    files = summary.get("input_files")
    if not isinstance(files, list):  # runs saved before input_files: the files of matches.parquet
        names = pl.read_parquet(folder / MATCHES_FILE, columns=["submission_file"])["submission_file"]
        files = names.drop_nulls().unique().to_list()
    households = summary.get("totals_households") or {}
    return RunInfo(
        folder=folder,
        label=label,
        written=_written(folder, summary),
        version=(run or {}).get("verval_version") or manifest.get("version"),
        files=len(files),
        totals={
            "matched": int(households.get("matched", 0)),
            "review": int(households.get("review", 0)),
            "not_reported": int(households.get("not_reported", 0)),
            "findings": sum(int(v) for v in (summary.get("by_discrepancy") or {}).values()),
        },
    )


def list_runs(folder: Path) -> list[RunInfo]:
    """The runs kept in ``folder``: its history, oldest first, then the current run."""
    folder = Path(folder)
    if not holds_run(folder):
        raise InputFileError(str(folder), f"{_NOT_RUN} (no summary.json written by verval reconcile)")
    kept = sorted(p for p in (folder / HISTORY_DIR).glob("[!.]*") if p.is_dir() and holds_run(p))
    runs = [run_info(p, f"{HISTORY_DIR}/{p.name}") for p in kept]
    return [*runs, run_info(folder, folder.name or str(folder))]
