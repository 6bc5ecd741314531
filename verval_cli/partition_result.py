"""The findings of a partitioned run, a part at a time, put together as one run's result.

Each row's findings read the row, its link, its household and person, and the household's primary
row (which file and row claimed it first): that primary row can lie in another part (a mover
reported by a village of another regency), so each part is given the primary links of the
households its rows point to, and their file and row. The parts' rows, matches and findings are then
stacked in one run's order (rows by ``s_idx``; findings row by row, then per file, then per listed
household), and the summary is counted over the whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from verval_cli import schema as s
from verval_cli.config import Config
from verval_cli.findings import submission_findings
from verval_cli.ingest import Ingested, Province
from verval_cli.partition_link import Shared, write_whole
from verval_cli.reconcile import (
    linked_frame,
    match_table,
    result_from,
    review_reasons_for,
    unreported_households,
)
from verval_cli.result import ReconcileResult


def _primaries(linked: Sequence[tuple[Path, Path]]) -> pl.DataFrame:
    """Every primary link's household, person and row, with the row's file and row number."""
    found = []
    for rows_path, links_path in linked:
        links = pl.read_parquet(links_path, columns=[s.S_IDX, s.H_IDX, s.T_IDX, s.ROLE])
        rows = pl.read_parquet(rows_path, columns=[s.S_IDX, s.SOURCE_FILE, s.SOURCE_ROW])
        found.append(links.filter(pl.col(s.ROLE) == s.PRIMARY).join(rows, on=s.S_IDX))
    return pl.concat(found, how="vertical_relaxed")


def _part_findings(
    rows: pl.DataFrame, links: pl.DataFrame, listed: Province | Shared, primaries: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(linked frame, row findings with ``s_idx``) of one part's rows, as one run computes them."""
    own = rows[s.S_IDX]
    foreign = primaries.join(links.select(s.H_IDX).unique(), on=s.H_IDX, how="semi").filter(
        ~pl.col(s.S_IDX).is_in(own.implode())
    )
    stub_rows = foreign.select(s.S_IDX, s.SOURCE_FILE, s.SOURCE_ROW)
    stub_links = foreign.select(s.S_IDX, s.H_IDX, s.T_IDX, s.ROLE)
    all_rows = pl.concat([rows, stub_rows], how="diagonal_relaxed").sort(s.S_IDX)
    all_links = pl.concat([links, stub_links], how="diagonal_relaxed")
    linked = linked_frame(all_rows, listed.households, listed.persons, all_links)
    linked = linked.filter(pl.col(s.S_IDX).is_in(own.implode()))
    return linked, submission_findings(linked, keep_index=True)


def parts_review_reasons(
    listed: Province, linked: Sequence[tuple[Path, Path]], matches: pl.DataFrame, config: Config
) -> pl.DataFrame:
    """``review_reasons.parquet`` of the run, as one run works it out (the parts' rows read whole)."""
    rows = pl.concat([pl.read_parquet(r) for r, _ in linked], how="vertical_relaxed").sort(s.S_IDX)
    columns = [s.S_IDX, s.ROLE, "weight", "rival_weight"]
    links = pl.concat([pl.read_parquet(k, columns=columns) for _, k in linked], how="vertical_relaxed")
    return review_reasons_for(listed, rows, links.sort(s.S_IDX), matches, config)


def assemble_result(
    listed: Province, batch: Ingested, linked: Sequence[tuple[Path, Path]], config: Config
) -> ReconcileResult:
    """The ReconcileResult of one run, from the parts' (rows, links) files (``summary`` without
    ``input_files`` and ``run``: the caller knows the files)."""
    primaries = _primaries(linked)
    claimed = primaries.select(s.H_IDX, s.ROLE)
    unreported = unreported_households(listed.households, claimed)
    all_rows, matches, row_findings = [], [], []
    for rows_path, links_path in linked:
        rows, links = pl.read_parquet(rows_path), pl.read_parquet(links_path)
        frame, found = _part_findings(rows, links, listed, primaries)
        matches.append(match_table(frame, unreported.clear(), found))
        row_findings.append(found)
        all_rows.append(rows)
        only = match_table(frame.clear(), unreported, found.clear())
    rows = pl.concat(all_rows, how="vertical_relaxed").sort(s.S_IDX)
    submitted = pl.concat(matches).sort("submission_index")
    all_matches = pl.concat([submitted, only])
    ordered = pl.concat(row_findings).sort(s.S_IDX, maintain_order=True)
    result = result_from(listed, batch, rows, all_matches, ordered, unreported)
    result.review_reasons = parts_review_reasons(listed, linked, all_matches, config)
    return result


@dataclass(frozen=True)
class Flagging:
    """What flagging any part needs: the shared list and folder, the unreported households' columns."""

    shared: Shared
    unreported: pl.DataFrame  # no rows: the columns only
    mask: Callable[[pl.DataFrame], pl.DataFrame] | None = None  # NIK masking of the written rows/findings


FLAGGED = ("out-rows", "out-matches", "out-findings")


def flag_part(flagging: Flagging, item: tuple[int, tuple[Path, Path]]) -> tuple[list[Path], pl.DataFrame]:
    """One part's rows, matches and row findings (with ``s_idx``) written to the scratch folder.

    Returns their paths and the part's linked frame without rows (its columns). The primary links of
    the whole run are read from ``primaries.parquet`` in the scratch folder.
    """
    n, (rows_path, links_path) = item
    shared, mask = flagging.shared, flagging.mask or (lambda frame: frame)
    primaries = pl.read_parquet(shared.folder / "primaries.parquet")
    rows, links = pl.read_parquet(rows_path), pl.read_parquet(links_path)
    frame, found = _part_findings(rows, links, shared, primaries)
    matches = match_table(frame, flagging.unreported, found)
    tables = (mask(rows.rename({s.S_IDX: "submission_index"})), matches, mask(found))
    paths = [write_whole(table, shared.file(name, n)) for name, table in zip(FLAGGED, tables, strict=True)]
    return paths, frame.clear()


def share_primaries(shared: Shared, parts: Sequence[tuple[Path, Path]]) -> pl.DataFrame:
    """Write every primary link (with its row's file and row) for the parts' steps; return them."""
    primaries = _primaries(parts)
    write_whole(primaries, shared.folder / "primaries.parquet")
    return primaries
