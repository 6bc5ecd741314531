"""The Parquet outputs and summary of a partitioned reconcile, written part by part.

:func:`write_partitioned` never holds the whole result: each part's rows, matches and findings go to
its own scratch files as the part is flagged, and the single output files are then streamed from
those in one run's order (rows by ``submission_index``; findings row by row, then per file, then per
listed household). Only narrow tables are held for the whole batch: the links' keys, the columns of
the matches the summary counts, the finding codes. ``DIR/dataset/`` is written from the parts' files.

The files hold exactly the rows, order and schema of one run's; the bytes of the streamed files may
differ (the streaming writer encodes a large table differently), see README "Partitioned runs".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import marks
from verval_cli import schema as s
from verval_cli.changes import compare_runs
from verval_cli.config import Config
from verval_cli.engine import Engine
from verval_cli.errors import VervalError
from verval_cli.findings import province_findings, status_column_findings
from verval_cli.ingest import Paths
from verval_cli.io import FileFailure
from verval_cli.partition import FILES_PER_PART, LinkedParts, linked_parts
from verval_cli.partition_result import Flagging, flag_part, parts_review_reasons, share_primaries
from verval_cli.progress import Progress, StageTimer, stages
from verval_cli.reconcile import match_table, unreported_households
from verval_cli.result import (
    CHANGES_FILE,
    DISCREPANCIES_FILE,
    MATCHES_FILE,
    PROVINCE_FILE,
    REJECTED_FILE,
    REVIEW_REASONS_FILE,
    SUBMISSIONS_FILE,
    SUMMARY_FILE,
)
from verval_cli.runs import load_run
from verval_cli.summary import build_summary
from verval_cli.writers.dataset import Piece, write_dataset
from verval_cli.writers.history import archive_run
from verval_cli.writers.outputs import mask_frame, write_atomic, write_json, write_parquet

# The columns of the matches the summary and the per-file findings read (not the evidence text).
_COUNTED = ("submission_file", "submission_row", "desa_code", "match_status", "status", "link_role")
_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 1, "statistics": False}


@dataclass
class PartitionedRun:
    """What a partitioned write produced: the summary, the files not read, the paths written."""

    summary: dict[str, Any]
    failures: list[FileFailure] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _sink(frame: pl.LazyFrame, target: Path) -> Path:
    meta = marks.parquet_metadata(marks.RECONCILE_DATA)
    return write_atomic(target, lambda tmp: frame.sink_parquet(tmp, metadata=meta, **_OPTIONS))


def _flag_parts(
    run: LinkedParts, unreported: pl.DataFrame, mask: Callable[[pl.DataFrame], pl.DataFrame] | None
) -> tuple[list[Path], list[Path], list[Path], pl.DataFrame]:
    """Each part's rows, matches and row findings (with ``s_idx``) to scratch files; their paths, and
    the matches rows of the households no row claims."""
    flagging = Flagging(run.shared, unreported.clear(), mask)
    done = run.engine.map(partial(flag_part, flagging), list(enumerate(run.parts)))
    rows, matches, findings = ([paths[i] for paths, _ in done] for i in range(3))
    template = done[0][1]
    only = match_table(template, unreported, pl.DataFrame(schema={"code": pl.Utf8, s.S_IDX: pl.Int64}))
    return rows, matches, findings, only


def _in_order(paths: Sequence[Path], key: str) -> pl.LazyFrame:
    """The parts' files as one frame ordered by ``key`` (parts are mostly ranges of it: sorted only if not)."""
    firsts = [pl.read_parquet(p, columns=[key], n_rows=1)[key].to_list() for p in paths]
    ordered = [p for _, p in sorted(zip(firsts, paths, strict=True), key=lambda item: item[0] or [-1])]
    frame = pl.concat([pl.scan_parquet(p) for p in ordered], how="vertical_relaxed")
    monotone = pl.concat([pl.scan_parquet(p).select(key) for p in ordered]).select(pl.col(key).is_sorted())
    return frame if monotone.collect().item() else frame.sort(key, maintain_order=True)


def write_partitioned(
    province: Paths,
    submissions: Paths,
    out_dir: Path,
    config: Config | None = None,
    *,
    progress: Progress | None = None,
    timer: StageTimer | None = None,
    check_province: bool = True,
    files_per_part: int = FILES_PER_PART,
    order: Callable[[list[list[int]]], list[list[int]]] | None = None,
    mask_nik: bool = False,
    engine: Engine | None = None,
) -> PartitionedRun | None:
    """Reconcile in parts and write the Parquet outputs, summary.json and DIR/dataset/ into ``out_dir``.

    None when not one submission row was read (then run :func:`verval_cli.reconcile.reconcile`, which
    says why the one way it always does). Scratch files go to a temporary folder inside ``out_dir``.
    """
    config = config or Config()
    out_dir.mkdir(parents=True, exist_ok=True)
    with linked_parts(
        province,
        submissions,
        config,
        progress=progress,
        timer=timer,
        check_province=check_province,
        files_per_part=files_per_part,
        order=order,
        scratch=out_dir,
        engine=engine,
    ) as run:
        if run is None:
            return None
        with stages(progress, timer)("findings"):
            return _write(run, out_dir, mask_nik, config)


def _write(run: LinkedParts, out_dir: Path, mask_nik: bool, config: Config) -> PartitionedRun:
    listed, batch = run.listed, run.batch
    unreported = unreported_households(
        listed.households, share_primaries(run.shared, run.parts).select(s.H_IDX, s.ROLE)
    )
    rows_paths, match_paths, finding_paths, only = _flag_parts(
        run, unreported, mask_frame if mask_nik else None
    )
    mask: Callable[[pl.DataFrame], pl.DataFrame] = mask_frame if mask_nik else (lambda frame: frame)
    matches = pl.concat([_in_order(match_paths, "submission_index"), only.lazy()])
    counted = matches.select(_COUNTED).collect()
    extra = pl.concat(
        [mask(status_column_findings(counted, batch.sheets)), mask(province_findings(unreported))],
        how="vertical_relaxed",
    )
    findings = pl.concat(
        [_in_order(finding_paths, s.S_IDX).drop(s.S_IDX), extra.lazy()], how="vertical_relaxed"
    )
    meta = marks.parquet_metadata(marks.RECONCILE_DATA)
    rejected = pl.concat([listed.rejected, batch.rejected], how="diagonal_relaxed")
    province = mask(listed.households.rename({s.H_IDX: "province_index"}))
    written = [
        _sink(matches, out_dir / MATCHES_FILE),
        write_parquet(province, out_dir / PROVINCE_FILE, metadata=meta),
        _sink(_in_order(rows_paths, "submission_index"), out_dir / SUBMISSIONS_FILE),
        _sink(findings, out_dir / DISCREPANCIES_FILE),
        write_parquet(rejected, out_dir / REJECTED_FILE, metadata=meta),
    ]
    # Why each review row is in review: the rows and links read whole, as the workbook reads them.
    matched = pl.read_parquet(out_dir / MATCHES_FILE)
    reasons = parts_review_reasons(listed, run.parts, matched, config)
    written.append(write_parquet(reasons, out_dir / REVIEW_REASONS_FILE, metadata=meta))
    del matched, reasons
    failures = [*listed.failures, *batch.failures]
    summary = build_summary(
        matches=counted,
        households=listed.households,
        rows=pl.scan_parquet(out_dir / SUBMISSIONS_FILE).select("submission_index").collect(),
        findings=pl.scan_parquet(out_dir / DISCREPANCIES_FILE).select("code").collect(),
        rejected=rejected,
        failures=failures,
        regency=listed.regency,
        sheets=batch.sheets,
    )
    summary["input_notes"] = [n.to_dict() for n in [*listed.notes, *batch.notes]]
    run.stamp(summary)
    written.append(write_json(summary, out_dir / SUMMARY_FILE))
    written.append(
        write_dataset(out_dir, _pieces(rows_paths, match_paths, finding_paths, only, extra, province))
    )
    return PartitionedRun(summary, failures, written)


def _pieces(
    rows: list[Path],
    matches: list[Path],
    findings: list[Path],
    only: pl.DataFrame,
    extra: pl.DataFrame,
    province: pl.DataFrame,
) -> dict[str, list[Piece]]:
    """The dataset's tables as pieces: the parts' scratch files, then what the whole run adds."""

    def read(path: Path, drop: tuple[str, ...] = ()) -> Piece:
        return lambda: pl.read_parquet(path).drop(drop)

    return {
        "matches": [*(read(p) for p in matches), lambda: only],
        "submissions": [read(p) for p in rows],
        "province": [lambda: province],
        "discrepancies": [*(read(p, (s.S_IDX,)) for p in findings), lambda: extra],
    }


def write_partitioned_run(
    province: Paths,
    submissions: Paths,
    out_dir: Path,
    config: Config | None = None,
    **options: Any,
) -> PartitionedRun | None:
    """:func:`write_partitioned`, kept and compared as ``writers.history.write_reconcile_run`` does.

    When ``out_dir`` holds a previous run, that run is kept in ``riwayat/<time>/`` first, and what
    changed is worked out from the two runs' Parquet files: ``changes.parquet`` and summary.json
    ``changes`` (or ``changes_skipped``), as a one-process rerun writes them. ``options``: those of
    :func:`write_partitioned`. None as :func:`write_partitioned` (then nothing was written).
    """
    archived = archive_run(Path(out_dir))
    run = write_partitioned(province, submissions, out_dir, config, **options)
    if run is None or archived is None:
        return run
    meta = marks.parquet_metadata(marks.RECONCILE_DATA)
    try:
        changes = compare_runs(load_run(archived), load_run(Path(out_dir)))
    except VervalError as exc:  # another round's run, or a damaged one: kept, not compared
        run.summary["changes_skipped"] = str(exc)
        (Path(out_dir) / CHANGES_FILE).unlink(missing_ok=True)  # that run's own, kept with it
    else:
        run.written.insert(5, write_parquet(changes.frame, Path(out_dir) / CHANGES_FILE, metadata=meta))
        run.summary["changes"] = changes.to_dict()
    write_json(run.summary, Path(out_dir) / SUMMARY_FILE)
    return run
