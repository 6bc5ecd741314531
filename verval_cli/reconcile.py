"""`verval reconcile` as a library call: load, normalise, link, flag, summarise.

>>> result = reconcile("daftar_p3ke.xlsx", ["submissions/"])       # doctest: +SKIP
>>> result.matches.filter(pl.col("match_status") == "review")       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from verval_cli import schema as s
from verval_cli.config import Config
from verval_cli.findings import columns_read, province_findings, status_column_findings, submission_findings
from verval_cli.frames import beside, numbered
from verval_cli.inbox import discover_inputs
from verval_cli.ingest import Ingested, Province, ingest, ingest_province, link_batch, link_rows
from verval_cli.progress import Progress, StageTimer, stages
from verval_cli.result import MATCH_COLUMNS, ReconcileResult
from verval_cli.summary import build_summary

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
    stage = stages(progress, timer)
    province_found, submissions_found = discover_inputs(province, submissions)
    listed = ingest_province(
        province, config, found=province_found, progress=progress, timer=timer, check=check_province
    )
    batch = ingest(
        submissions, config, found=submissions_found, regency=listed.regency, progress=progress, timer=timer
    )
    with stage("prepare"):
        rows = link_rows(batch, listed.regency)
        batch.frame = batch.frame.clear()
    with stage("link"):
        rows, links = link_batch(rows, listed, config.matching)
    with stage("findings"):
        return _result(listed, batch, rows, links)


def _result(listed: Province, batch: Ingested, rows: pl.DataFrame, links: pl.DataFrame) -> ReconcileResult:
    """Flag the linked rows and the households no row claims; sum it all up."""
    households, persons = listed.households, listed.persons
    linked = _linked_frame(rows, households, persons, links)
    row_findings = submission_findings(linked, keep_index=True)
    unreported = _unreported(households, links)
    matches = _matches(linked, unreported, row_findings)
    findings = pl.concat(
        [
            row_findings.drop("s_idx"),
            status_column_findings(matches, batch.sheets),
            province_findings(unreported),
        ],
        how="vertical_relaxed",
    )
    rejected = pl.concat([listed.rejected, batch.rejected], how="diagonal_relaxed")
    failures = [*listed.failures, *batch.failures]
    summary = build_summary(
        matches=matches,
        households=households,
        rows=rows,
        findings=findings,
        rejected=rejected,
        failures=failures,
        regency=listed.regency,
        sheets=batch.sheets,
    )
    notes = [*listed.notes, *batch.notes]
    summary["input_notes"] = [n.to_dict() for n in notes]
    return ReconcileResult(
        matches=matches,
        province=households.rename({"h_idx": "province_index"}),
        submissions=rows.rename({"s_idx": "submission_index"}),
        discrepancies=findings,
        rejected=rejected,
        summary=summary,
        sheets=[*listed.sheets, *batch.sheets],
        failures=failures,
        notes=notes,
    )
