"""`verval reconcile` as a library call: load, normalise, link, flag, summarise.

>>> result = reconcile("daftar_p3ke.xlsx", ["submissions/"])       # doctest: +SKIP
>>> result.matches.filter(pl.col("match_status") == "review")       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from verval_cli import schema as s
from verval_cli.cache import FileCache
from verval_cli.config import Config
from verval_cli.decisions_apply import Applied, apply_decisions, with_decisions
from verval_cli.findings import columns_read, province_findings, status_column_findings, submission_findings
from verval_cli.frames import beside, numbered
from verval_cli.inbox import discover_inputs
from verval_cli.ingest import Ingested, Province, ingest, ingest_province, link_batch, link_rows
from verval_cli.progress import Progress, StageTimer, stages
from verval_cli.result import MATCH_COLUMNS, ReconcileResult
from verval_cli.runs import file_fingerprints, run_stamp
from verval_cli.summary import build_summary

# Columns of the linked frame read after it is built: by the checks, by match_table and by linked_frame.
_LINKED_READ = columns_read() | {
    s.ROW_SIDE + s.HOUSEHOLD_ID,
    s.ROW_SIDE + s.STATUS,
    s.HOUSEHOLD_SIDE + s.DESA_CODE,
    s.HOUSEHOLD_SIDE + s.HOUSEHOLD_ID,
    s.HOUSEHOLD_SIDE + s.SOURCE_ROW,
    s.ROW_SIDE + s.SOURCE_FILE,
    s.ROW_SIDE + s.SOURCE_SHEET,
    s.ROW_SIDE + s.SOURCE_ROW,
    s.ROW_SIDE + s.DESA_CODE,
}


def _read(frame: pl.DataFrame, prefix: str) -> list[str]:
    """The columns of ``frame`` read afterwards under ``prefix``."""
    return [c for c in frame.columns if f"{prefix}{c}" in _LINKED_READ]


def linked_frame(
    rows: pl.DataFrame, households: pl.DataFrame, persons: pl.DataFrame, links: pl.DataFrame
) -> pl.DataFrame:
    link_columns = [c for c in links.columns if not c.startswith(s.SIDES) or c == s.H_IDX]
    # Rows stay in submission (s_idx) order; every other side is looked up by key and set beside them.
    if not rows[s.S_IDX].is_sorted():
        rows = rows.sort(s.S_IDX)
    row_side = rows.select(s.S_IDX, *(pl.col(c).alias(s.ROW_SIDE + c) for c in _read(rows, s.ROW_SIDE)))
    link_side = beside(links, s.S_IDX, row_side[s.S_IDX], link_columns, "")
    primary = links.select(s.H_IDX, pl.col(s.T_IDX).alias("_primary_t"), s.S_IDX).filter(
        links[s.ROLE] == s.PRIMARY
    )
    primary = pl.concat(
        [
            primary.drop(s.S_IDX),
            beside(rows, s.S_IDX, primary[s.S_IDX], [s.SOURCE_FILE, s.SOURCE_ROW], "_"),
        ],
        how="horizontal",
    ).rename({f"_{s.SOURCE_FILE}": s.PRIMARY_FILE, f"_{s.SOURCE_ROW}": s.PRIMARY_ROW})
    # A row's own household id is on the list: rows found by a semi-join, flagged in place.
    ids = row_side.select(pl.col(s.ROW_SIDE + s.HOUSEHOLD_ID).alias(s.HOUSEHOLD_ID)).with_row_index("_at")
    listed = ids.join(households.select(s.HOUSEHOLD_ID), on=s.HOUSEHOLD_ID, how="semi")["_at"]
    on_list = pl.repeat(False, row_side.height, dtype=pl.Boolean, eager=True).alias(s.ON_LIST)
    linked = pl.concat(
        [
            row_side,
            link_side,
            beside(
                households, s.H_IDX, link_side[s.H_IDX], _read(households, s.HOUSEHOLD_SIDE), s.HOUSEHOLD_SIDE
            ),
            beside(persons, s.T_IDX, link_side[s.T_IDX], _read(persons, s.PERSON_SIDE), s.PERSON_SIDE),
            beside(primary, s.H_IDX, link_side[s.H_IDX], ["_primary_t", s.PRIMARY_FILE, s.PRIMARY_ROW], ""),
            on_list.scatter(listed, True).to_frame() if listed.len() else on_list.to_frame(),
        ],
        how="horizontal",
    )
    # Another member of the same family on another row of the same file is a member row, not a duplicate.
    member = (
        (pl.col(s.ROLE) == s.SECONDARY)
        & (pl.col(s.T_IDX) != pl.col("_primary_t"))
        & (pl.col(s.PRIMARY_FILE) == pl.col(s.ROW_SIDE + s.SOURCE_FILE))
    )
    return linked.with_columns(
        pl.when(member.fill_null(False)).then(pl.lit(s.MEMBER)).otherwise(pl.col(s.ROLE)).alias(s.ROLE)
    ).drop("_primary_t")


def unreported_households(households: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """The listed households no row claims, with the columns reported about them, in list order."""
    wanted = [s.H_IDX, s.HOUSEHOLD_ID, s.SOURCE_ROW, s.DESA_CODE, "name_raw"]
    listed = households.select([c for c in wanted if c in households.columns])
    claimed = links[s.H_IDX].filter(links[s.ROLE] == s.PRIMARY)
    if not numbered(listed, s.H_IDX):  # not numbered 0..n-1 in order: find them by key
        return listed.join(claimed.to_frame(), on=s.H_IDX, how="anti", maintain_order="left")
    # h_idx is the row position: the claimed rows are marked in place, no join needed.
    mark = pl.repeat(False, listed.height, dtype=pl.Boolean, eager=True)
    return listed.filter(~mark.scatter(claimed.cast(pl.Int64), True)) if claimed.len() else listed


def match_table(linked: pl.DataFrame, unreported: pl.DataFrame, row_findings: pl.DataFrame) -> pl.DataFrame:
    codes = row_findings.group_by(pl.col(s.S_IDX).alias("submission_index"), maintain_order=True).agg(
        pl.col("code").unique(maintain_order=True).alias("discrepancies")
    )
    submitted = linked.select(
        pl.col(s.ROW_SIDE + s.SOURCE_FILE).alias("submission_file"),
        pl.col(s.ROW_SIDE + s.SOURCE_SHEET).alias("submission_sheet"),
        pl.col(s.ROW_SIDE + s.SOURCE_ROW).cast(pl.Int64).alias("submission_row"),
        pl.col(s.HOUSEHOLD_SIDE + s.HOUSEHOLD_ID).alias("province_id"),
        pl.col(s.HOUSEHOLD_SIDE + s.SOURCE_ROW).cast(pl.Int64).alias("province_row"),
        pl.coalesce(s.HOUSEHOLD_SIDE + s.DESA_CODE, s.ROW_SIDE + s.DESA_CODE).alias("desa_code"),
        pl.coalesce(s.MATCH_STATUS, pl.lit("submission_only")).alias("match_status"),
        pl.coalesce(s.METHOD, pl.lit("none")).alias("match_method"),
        pl.col(s.SCORE).fill_null(0.0).alias("match_score"),
        pl.col(s.ROW_SIDE + s.STATUS).alias("status"),
        pl.col(s.ROLE).alias("link_role"),
        pl.col(s.EVIDENCE).alias("match_evidence"),
        pl.col(s.S_IDX).alias("submission_index"),
        pl.col(s.H_IDX).alias("province_index"),
    ).join(codes, on="submission_index", how="left", maintain_order="left")
    only = unreported.select(
        pl.lit(None, dtype=pl.Utf8).alias("submission_file"),
        pl.lit(None, dtype=pl.Utf8).alias("submission_sheet"),
        pl.lit(None, dtype=pl.Int64).alias("submission_row"),
        pl.col(s.HOUSEHOLD_ID).alias("province_id"),
        pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("province_row"),
        pl.col(s.DESA_CODE),
        pl.lit("province_only").alias("match_status"),
        pl.lit("none").alias("match_method"),
        pl.lit(0.0).alias("match_score"),
        pl.lit(None, dtype=pl.Utf8).alias("status"),
        pl.lit(None, dtype=pl.Utf8).alias("link_role"),
        pl.lit(None, dtype=pl.Utf8).alias("match_evidence"),
        pl.lit(None, dtype=pl.Int64).alias("submission_index"),
        pl.col(s.H_IDX).cast(pl.Int64).alias("province_index"),
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
    decisions: pl.DataFrame | None = None,
    cache: FileCache | None = None,
) -> ReconcileResult:
    """Reconcile submission files (files, folders, globs; one path or many) against the province list.

    ``progress`` receives each stage's key as it starts (see :mod:`verval_cli.progress`), and file
    counts while loading; ``timer`` wraps each stage (load,
    normalise, prepare, link, findings) so a benchmark can time it. Raises UsageError when the inputs
    cannot be what was meant (see :mod:`verval_cli.inbox`); ``check_province=False`` accepts a province
    list that looks like village files. ``decisions`` (see :func:`verval_cli.decisions.read_decisions`)
    are applied to the links before the findings (:mod:`verval_cli.decisions_apply`).
    ``cache``: files read in an earlier run with the same bytes
    are taken from it, and what this run read is written to it once the result is complete (see
    :mod:`verval_cli.cache`); the result is the same with or without it.
    """
    config = config or Config()
    stage = stages(progress, timer)
    province_found, submissions_found = discover_inputs(province, submissions)
    listed = ingest_province(
        province,
        config,
        found=province_found,
        progress=progress,
        timer=timer,
        check=check_province,
        cache=cache,
    )
    batch = ingest(
        submissions,
        config,
        found=submissions_found,
        regency=listed.regency,
        progress=progress,
        timer=timer,
        cache=cache,
    )
    with stage("prepare"):
        rows = link_rows(batch, listed.regency)
        batch.frame = batch.frame.clear()
    with stage("link"):
        rows, links = link_batch(rows, listed, config.matching)
    applied = None
    if decisions is not None:
        applied = apply_decisions(decisions, rows, links, listed.households, listed.persons)
        rows, links = applied.rows, applied.links
    with stage("findings"):
        result = _result(listed, batch, rows, links, applied)
        result.review_reasons = review_reasons_for(listed, rows, links, result.matches, config)
    result.summary["input_files"] = file_fingerprints(submissions_found.files)
    result.summary["run"] = run_stamp()
    if cache is not None:
        cache.flush()
    return result


def review_reasons_for(
    listed: Province, rows: pl.DataFrame, links: pl.DataFrame, matches: pl.DataFrame, config: Config
) -> pl.DataFrame:
    """Why each review row is in review (its rival, its score, or the row owning its household)."""
    from verval_cli.explain import Tables, review_reasons
    from verval_cli.matching import with_name_frequency

    tables = Tables(rows, listed.households, with_name_frequency(listed.persons), matches)
    recorded = links.filter(pl.col(s.ROLE) == s.PRIMARY).select(s.S_IDX, "weight", "rival_weight")
    return review_reasons(tables, config.matching, recorded)


def _result(
    listed: Province, batch: Ingested, rows: pl.DataFrame, links: pl.DataFrame, applied: Applied | None = None
) -> ReconcileResult:
    """Flag the linked rows and the households no row claims; sum it all up."""
    households, persons = listed.households, listed.persons
    linked = linked_frame(rows, households, persons, links)
    row_findings = submission_findings(linked, keep_index=True)
    if applied is not None:
        row_findings = pl.concat([row_findings, applied.findings])
    unreported = unreported_households(households, links)
    matches = match_table(linked, unreported, row_findings)
    if applied is not None:
        matches = with_decisions(matches, applied.decided)
    result = result_from(listed, batch, rows, matches, row_findings, unreported)
    if applied is not None:
        result.summary["decisions"] = applied.counts
    return result


def result_from(
    listed: Province,
    batch: Ingested,
    rows: pl.DataFrame,
    matches: pl.DataFrame,
    row_findings: pl.DataFrame,
    unreported: pl.DataFrame,
) -> ReconcileResult:
    """The run's result from its matches and row findings (keyed by ``s_idx``, in row order): the
    file- and list-level findings added, everything summed up. Used by one run and a partitioned one."""
    findings = pl.concat(
        [
            row_findings.drop(s.S_IDX),
            status_column_findings(matches, batch.sheets),
            province_findings(unreported),
        ],
        how="vertical_relaxed",
    )
    rejected = pl.concat([listed.rejected, batch.rejected], how="diagonal_relaxed")
    failures = [*listed.failures, *batch.failures]
    summary = build_summary(
        matches=matches,
        households=listed.households,
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
        province=listed.households.rename({s.H_IDX: "province_index"}),
        submissions=rows.rename({s.S_IDX: "submission_index"}),
        discrepancies=findings,
        rejected=rejected,
        summary=summary,
        sheets=[*listed.sheets, *batch.sheets],
        failures=failures,
        notes=notes,
    )
