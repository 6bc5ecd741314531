"""`verval reconcile` as a library call: load, normalise, link, flag, summarise.

>>> result = reconcile("daftar_p3ke.xlsx", ["submissions/"])       # doctest: +SKIP
>>> result.matches.filter(pl.col("match_status") == "review")       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

import polars as pl

from verval_cli import schema as s
from verval_cli.config import Config
from verval_cli.errors import InputFileError
from verval_cli.findings import columns_read, province_findings, status_column_findings, submission_findings
from verval_cli.frames import beside, numbered
from verval_cli.inbox import discover_inputs, refuse_village_files_as_province
from verval_cli.io import as_items, load_tables
from verval_cli.matching import infer_file_desa, link, prepare_province, prepare_submissions
from verval_cli.normalize import normalize_frame
from verval_cli.progress import Progress
from verval_cli.result import MATCH_COLUMNS, ReconcileResult
from verval_cli.row_desa import infer_regency, resolve_row_desa
from verval_cli.submission_status import apply_sheet_status
from verval_cli.summary import build_summary


def _regency_of(households: pl.DataFrame, config: Config) -> str | None:
    if config.regency:
        return config.regency.replace(".", "")
    codes = households.select(pl.col("desa_code").str.slice(0, 4).drop_nulls().mode().sort().first())
    value = codes.item() if codes.height else None
    return str(value) if value else None


# Columns of the linked frame read after it is built: by the checks, by _matches and by _linked_frame.
_LINKED_READ = columns_read() | {
    "s_household_id",
    "s_status",
    "h_desa_code",
    "h_household_id",
    "h_source_row",
    "s_source_file",
    "s_source_sheet",
    "s_source_row",
    "s_desa_code",
}


def _read(frame: pl.DataFrame, prefix: str) -> list[str]:
    """The columns of ``frame`` read afterwards under ``prefix``."""
    return [c for c in frame.columns if f"{prefix}{c}" in _LINKED_READ]


def _linked_frame(
    rows: pl.DataFrame, households: pl.DataFrame, persons: pl.DataFrame, links: pl.DataFrame
) -> pl.DataFrame:
    link_columns = [c for c in links.columns if not c.startswith(("s_", "p_", "h_")) or c == "h_idx"]
    # Rows stay in submission (s_idx) order; every other side is looked up by key and set beside them.
    if not rows["s_idx"].is_sorted():
        rows = rows.sort("s_idx")
    row_side = rows.select("s_idx", *(pl.col(c).alias(f"s_{c}") for c in _read(rows, "s_")))
    link_side = beside(links, "s_idx", row_side["s_idx"], link_columns, "")
    primary = links.select("h_idx", pl.col("t_idx").alias("_primary_t"), "s_idx").filter(
        links["role"] == "primary"
    )
    primary = pl.concat(
        [
            primary.drop("s_idx"),
            beside(rows, "s_idx", primary["s_idx"], [s.SOURCE_FILE, s.SOURCE_ROW], "_"),
        ],
        how="horizontal",
    ).rename({f"_{s.SOURCE_FILE}": "primary_file", f"_{s.SOURCE_ROW}": "primary_row"})
    # A row's own household id is on the list: rows found by a semi-join, flagged in place.
    ids = row_side.select(pl.col("s_household_id").alias("household_id")).with_row_index("_at")
    listed = ids.join(households.select("household_id"), on="household_id", how="semi")["_at"]
    on_list = pl.repeat(False, row_side.height, dtype=pl.Boolean, eager=True).alias("s_household_id_on_list")
    linked = pl.concat(
        [
            row_side,
            link_side,
            beside(households, "h_idx", link_side["h_idx"], _read(households, "h_"), "h_"),
            beside(persons, "t_idx", link_side["t_idx"], _read(persons, "p_"), "p_"),
            beside(primary, "h_idx", link_side["h_idx"], ["_primary_t", "primary_file", "primary_row"], ""),
            on_list.scatter(listed, True).to_frame() if listed.len() else on_list.to_frame(),
        ],
        how="horizontal",
    )
    # Another member of the same family on another row of the same file is a member row, not a duplicate.
    member = (
        (pl.col("role") == "secondary")
        & (pl.col("t_idx") != pl.col("_primary_t"))
        & (pl.col("primary_file") == pl.col("s_source_file"))
    )
    return linked.with_columns(
        pl.when(member.fill_null(False)).then(pl.lit("member")).otherwise(pl.col("role")).alias("role")
    ).drop("_primary_t")


def _unreported(households: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """The listed households no row claims, with the columns reported about them, in list order."""
    wanted = ["h_idx", "household_id", s.SOURCE_ROW, "desa_code", "name_raw"]
    listed = households.select([c for c in wanted if c in households.columns])
    claimed = links["h_idx"].filter(links["role"] == "primary")
    if not numbered(listed, "h_idx"):  # not numbered 0..n-1 in order: find them by key
        return listed.join(claimed.to_frame(), on="h_idx", how="anti", maintain_order="left")
    # h_idx is the row position: the claimed rows are marked in place, no join needed.
    mark = pl.repeat(False, listed.height, dtype=pl.Boolean, eager=True)
    return listed.filter(~mark.scatter(claimed.cast(pl.Int64), True)) if claimed.len() else listed


def _matches(linked: pl.DataFrame, unreported: pl.DataFrame, row_findings: pl.DataFrame) -> pl.DataFrame:
    codes = row_findings.group_by(pl.col("s_idx").alias("submission_index"), maintain_order=True).agg(
        pl.col("code").unique(maintain_order=True).alias("discrepancies")
    )
    submitted = linked.select(
        pl.col("s_source_file").alias("submission_file"),
        pl.col("s_source_sheet").alias("submission_sheet"),
        pl.col("s_source_row").cast(pl.Int64).alias("submission_row"),
        pl.col("h_household_id").alias("province_id"),
        pl.col("h_source_row").cast(pl.Int64).alias("province_row"),
        pl.coalesce("h_desa_code", "s_desa_code").alias("desa_code"),
        pl.coalesce("match_status", pl.lit("submission_only")).alias("match_status"),
        pl.coalesce("method", pl.lit("none")).alias("match_method"),
        pl.col("score").fill_null(0.0).alias("match_score"),
        pl.col("s_status").alias("status"),
        pl.col("role").alias("link_role"),
        pl.col("evidence").alias("match_evidence"),
        pl.col("s_idx").alias("submission_index"),
        pl.col("h_idx").alias("province_index"),
    ).join(codes, on="submission_index", how="left", maintain_order="left")
    only = unreported.select(
        pl.lit(None, dtype=pl.Utf8).alias("submission_file"),
        pl.lit(None, dtype=pl.Utf8).alias("submission_sheet"),
        pl.lit(None, dtype=pl.Int64).alias("submission_row"),
        pl.col("household_id").alias("province_id"),
        pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("province_row"),
        pl.col("desa_code"),
        pl.lit("province_only").alias("match_status"),
        pl.lit("none").alias("match_method"),
        pl.lit(0.0).alias("match_score"),
        pl.lit(None, dtype=pl.Utf8).alias("status"),
        pl.lit(None, dtype=pl.Utf8).alias("link_role"),
        pl.lit(None, dtype=pl.Utf8).alias("match_evidence"),
        pl.lit(None, dtype=pl.Int64).alias("submission_index"),
        pl.col("h_idx").cast(pl.Int64).alias("province_index"),
        pl.lit(["missing_from_submission"], dtype=pl.List(pl.Utf8)).alias("discrepancies"),
    )
    out = pl.concat([submitted.select(only.columns), only], how="vertical_relaxed")
    out = out.with_columns(pl.col("discrepancies").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))))
    return out.select([pl.col(c).cast(t) for c, t in MATCH_COLUMNS.items()])


class StageTimer(Protocol):
    """Something that times named stages: ``with stage("link"): ...`` (benchmarks pass one)."""

    def __call__(self, name: str) -> AbstractContextManager[None]: ...


def _stages(progress: Progress | None, timer: StageTimer | None) -> StageTimer:
    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if progress is not None:
            progress(name)
        if timer is None:
            yield
        else:
            with timer(name):
                yield

    return stage


def reconcile(
    province: str | Path | Sequence[str | Path],
    submissions: str | Path | Sequence[str | Path],
    config: Config | None = None,
    *,
    progress: Progress | None = None,
    timer: StageTimer | None = None,
    check_province: bool = True,
) -> ReconcileResult:
    """Reconcile submission files (files, folders, globs; one path or many) against the province list.

    ``progress`` receives each stage's key as it starts (see :mod:`verval_cli.progress`), and file
    counts while loading; ``timer`` wraps each stage (load,
    normalise, prepare, link, findings) so a benchmark can time it. Raises UsageError when the inputs
    cannot be what was meant (see :mod:`verval_cli.inbox`); ``check_province=False`` accepts a province
    list that looks like village files.
    """
    config = config or Config()
    stage = _stages(progress, timer)
    province_found, submissions_found = discover_inputs(province, submissions)
    province_items = as_items(province)
    with stage("load"):
        loaded_province = load_tables(province_found.files, config, progress=progress)
    if loaded_province.frame.height == 0:
        reason = "; ".join(f.reason for f in loaded_province.failures) or "no household rows found"
        raise InputFileError(", ".join(province_items), reason)
    # Each stage's input frame is let go once the next one exists: at province scale every copy counts.
    with stage("normalise"):
        province_frame = normalize_frame(loaded_province.frame, config)
        loaded_province.frame = loaded_province.frame.clear()
        if check_province:
            refuse_village_files_as_province(province_frame, loaded_province.sheets, province_items)
    with stage("prepare"):
        regency = infer_regency(province_frame, config.regency)
        households, persons = prepare_province(resolve_row_desa(province_frame, regency))
        del province_frame
        regency = regency or _regency_of(households, config)
    with stage("load"):
        loaded = load_tables(submissions_found.files, config, regency=regency, progress=progress)
    with stage("normalise"):
        submission_frame = normalize_frame(loaded.frame, config) if loaded.frame.height else loaded.frame
        submission_frame = apply_sheet_status(submission_frame, loaded.sheets, loaded.rejected)
        loaded.frame = loaded.frame.clear()
    with stage("prepare"):
        rows = prepare_submissions(resolve_row_desa(submission_frame, regency))
        del submission_frame
    with stage("link"):
        rows = infer_file_desa(rows, households, persons, config.matching)
        links = link(rows, households, persons, config.matching)
    with stage("findings"):
        linked = _linked_frame(rows, households, persons, links)
        row_findings = submission_findings(linked, keep_index=True)
        unreported = _unreported(households, links)
        matches = _matches(linked, unreported, row_findings)
        findings = pl.concat(
            [
                row_findings.drop("s_idx"),
                status_column_findings(matches, loaded.sheets),
                province_findings(unreported),
            ],
            how="vertical_relaxed",
        )
        rejected = pl.concat([loaded_province.rejected, loaded.rejected], how="diagonal_relaxed")
        failures = [*loaded_province.failures, *loaded.failures]
        summary = build_summary(
            matches=matches,
            households=households,
            rows=rows,
            findings=findings,
            rejected=rejected,
            failures=failures,
            regency=regency,
            sheets=loaded.sheets,
        )
        notes = [*province_found.notes, *submissions_found.notes]
        summary["input_notes"] = [n.to_dict() for n in notes]
    return ReconcileResult(
        matches=matches,
        province=households.rename({"h_idx": "province_index"}),
        submissions=rows.rename({"s_idx": "submission_index"}),
        discrepancies=findings,
        rejected=rejected,
        summary=summary,
        sheets=[*loaded_province.sheets, *loaded.sheets],
        failures=failures,
        notes=notes,
    )
