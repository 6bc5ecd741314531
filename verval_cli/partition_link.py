"""The link of a partitioned run: pairs found and scored a part at a time, assigned once over their keys.

:func:`verval_cli.matching.link` finds candidate pairs, scores them and assigns them greedily over the
whole batch. Finding and scoring a pair reads only that row, that listed person and that household
(a NIK, No KK or household id joins rows to the whole list; names are compared within the row's
desa), so they are done here one part at a time, each part's scored pairs spilled to disk. The
assignment is global (a household reported by villages of two regencies must go to the better row,
with its rivals and margins); it reads only the pairs' keys, weights and scores, a few numbers per
pair, so it runs once over all parts, exactly as in one run. Each part's links then get their
comparison columns back from its spill.

The same steps, in the same order as one run: the file desa of files that name none (voted by their
exactly-linked rows), exact pairs, the rows they leave open compared within their desa, then the one
assignment over all pairs, family members and the evidence text.

The per-part steps are module-level functions of (:class:`Shared`, part): an engine
(:mod:`verval_cli.engine`) may run them in other processes; they read and write only the run's
scratch folder, each file written whole or not at all.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from verval_cli.config import MatchingConfig
from verval_cli.engine import Engine, LocalEngine
from verval_cli.ingest import Province
from verval_cli.matching import _explained, _score, _with_name_frequency, attach_members
from verval_cli.matching.assign import assign, primary_rows
from verval_cli.matching.candidates import DESA_CANDIDATE_COLUMNS, desa_candidates, exact_candidates
from verval_cli.schema import H_IDX, S_IDX, T_IDX

KEYS = (S_IDX, H_IDX, T_IDX, "weight", "score")
_EMPTY_KEYS = {S_IDX: pl.Int64, H_IDX: pl.Int64, T_IDX: pl.Int64, "weight": pl.Float64, "score": pl.Float64}
_LOADED: dict[str, pl.DataFrame] = {}  # the list's tables, loaded once per process


def write_whole(frame: pl.DataFrame, target: Path) -> Path:
    """Write ``frame`` to ``target`` through a temporary name: a reader sees all of it or nothing."""
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        frame.write_parquet(tmp, compression="lz4", statistics=False)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class Shared:
    """What every part's step reads besides its part: the scratch folder (with the list) and thresholds."""

    folder: Path
    thresholds: MatchingConfig

    def table(self, name: str) -> pl.DataFrame:
        path = str(self.folder / f"{name}.parquet")
        if path not in _LOADED:
            _LOADED[path] = pl.read_parquet(path)
        return _LOADED[path]

    @property
    def households(self) -> pl.DataFrame:
        return self.table("list-households")

    @property
    def persons(self) -> pl.DataFrame:
        return self.table("list-persons")

    def file(self, name: str, n: int) -> Path:
        return self.folder / f"{name}-{n:05d}.parquet"

    def scored(self, pairs: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
        return _score(pairs, rows, self.persons, self.households)


def share_list(folder: Path, province: Province, thresholds: MatchingConfig, *, on_disk: bool) -> Shared:
    """The list's tables for the parts' steps: in this process, and (``on_disk``) in the scratch folder."""
    shared = Shared(folder, thresholds)
    tables = {"list-households": province.households, "list-persons": _with_name_frequency(province.persons)}
    for name, frame in tables.items():
        _LOADED[str(folder / f"{name}.parquet")] = frame
        if on_disk:
            write_whole(frame, folder / f"{name}.parquet")
    return shared


def forget_list(shared: Shared) -> None:
    for name in ("list-households", "list-persons"):
        _LOADED.pop(str(shared.folder / f"{name}.parquet"), None)


def _keys(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The pairs' keys of all parts, in (s_idx, t_idx) order: the order one run's candidate step gives."""
    found = [f.select(KEYS) for f in frames if f.height]
    if not found:
        return pl.DataFrame(schema=_EMPTY_KEYS)
    return pl.concat(found, how="vertical_relaxed").sort(S_IDX, T_IDX)


# -- the steps of one part ------------------------------------------------------------------------------
Part = tuple[int, Path]  # (number, prepared rows of the part)


def desa_evidence(shared: Shared, part: Part) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Scored exact pairs (keys) and (s_idx, file) of the part's rows in files that name no desa."""
    if not pl.read_parquet(part[1], columns=["desa_code"])["desa_code"].null_count():
        return pl.DataFrame(schema=_EMPTY_KEYS), pl.DataFrame(
            schema={S_IDX: pl.Int64, "source_file": pl.Utf8}
        )
    rows = pl.read_parquet(part[1])
    missing = rows.filter(pl.col("desa_code").is_null()).select("source_file").unique()
    in_files = rows.join(missing, on="source_file", how="semi", maintain_order="left")
    scored = shared.scored(exact_candidates(in_files, shared.persons, shared.households), in_files)
    return scored.select(KEYS), in_files.select(S_IDX, "source_file")


def fill_desa(shared: Shared, part: Part) -> None:
    """``infer_file_desa``'s last step on one part: the file's voted desa where the row has none.

    The part's rows already have ``desa_inferred`` (all false: see ``partition._number``).
    """
    votes_file = shared.folder / "votes.parquet"
    if not votes_file.is_file():
        return
    rows = pl.read_parquet(part[1])
    if rows["desa_code"].null_count():
        votes = pl.read_parquet(votes_file)
        voted = rows.select("source_file").join(votes, on="source_file", how="left", maintain_order="left")
        rows = rows.with_columns(voted["_voted"])
        fill = pl.col("desa_code").is_null() & pl.col("_voted").is_not_null()
        rows = rows.with_columns(
            pl.when(fill).then(pl.col("_voted")).otherwise(pl.col("desa_code")).alias("desa_code"),
            fill.alias("desa_inferred"),
        ).drop("_voted")
        write_whole(rows, part[1])


def exact_pairs(shared: Shared, part: Part) -> pl.DataFrame:
    """The part's exact pairs, scored (spilled whole); their keys."""
    rows = pl.read_parquet(part[1])
    scored = shared.scored(exact_candidates(rows, shared.persons, shared.households), rows)
    write_whole(scored, shared.file("exact", part[0]))
    return scored.select(KEYS)


def fuzzy_pairs(shared: Shared, part: Part) -> pl.DataFrame:
    """The part's open rows compared within their desa, scored (spilled whole); their keys."""
    rows = pl.read_parquet(part[1])
    taken = pl.read_parquet(shared.folder / "taken.parquet")
    open_rows = rows.select(DESA_CANDIDATE_COLUMNS).join(taken, on=S_IDX, how="anti")
    pairs = desa_candidates(open_rows, shared.persons, shared.households)
    exact = pl.read_parquet(shared.file("exact", part[0]), columns=[S_IDX, T_IDX])
    scored = shared.scored(pairs.join(exact, on=[S_IDX, T_IDX], how="anti"), rows)
    write_whole(scored, shared.file("fuzzy", part[0]))
    return scored.select(KEYS)


def part_links(shared: Shared, part: Part) -> Path:
    """The part's chosen links with every column of their scored pair, members and evidence (spilled)."""
    exact = pl.read_parquet(shared.file("exact", part[0]))
    fuzzy = pl.read_parquet(shared.file("fuzzy", part[0]))
    scored = pl.concat([exact, fuzzy], how="vertical_relaxed") if fuzzy.height else exact
    rows = pl.read_parquet(part[1])
    chosen = pl.scan_parquet(shared.folder / "chosen.parquet").join(
        rows.lazy().select(S_IDX), on=S_IDX, how="semi"
    )
    columns = [S_IDX, H_IDX, *(c for c in scored.columns if c not in (S_IDX, H_IDX))]
    links = chosen.collect().join(scored, on=[S_IDX, T_IDX], how="inner", maintain_order="left")
    links = links.select(*columns, "role", "rival_weight", "match_status").sort(S_IDX)
    return write_whole(_explained(attach_members(links, rows)), shared.file("links", part[0]))


# -- the whole run ---------------------------------------------------------------------------------------
def link_parts(
    shared: Shared, parts: Sequence[Path], engine: Engine | None = None
) -> list[tuple[Path, Path]]:
    """(rows, links) Parquet files per part, as ``link_batch`` gives them for the part's rows.

    ``shared`` from :func:`share_list` (the list must stay shared until the parts are flagged).
    """
    engine = engine or LocalEngine()
    thresholds, folder = shared.thresholds, shared.folder
    items: list[Part] = list(enumerate(parts))
    _file_desa(shared, items, engine)
    exact = _keys(engine.map(partial(exact_pairs, shared), items))
    write_whole(primary_rows(exact, thresholds), folder / "taken.parquet")
    fuzzy = _keys(engine.map(partial(fuzzy_pairs, shared), items))
    both = pl.concat([exact, fuzzy], how="vertical_relaxed") if fuzzy.height else exact
    del exact, fuzzy
    chosen = assign(both, thresholds).select(S_IDX, T_IDX, "role", "rival_weight", "match_status")
    del both
    write_whole(chosen, folder / "chosen.parquet")
    del chosen
    links = engine.map(partial(part_links, shared), items)
    return list(zip(parts, links, strict=True))


def _file_desa(shared: Shared, items: list[Part], engine: Engine) -> None:
    """Each part's missing desa codes, as ``infer_file_desa`` fills them over the whole batch."""
    found = engine.map(partial(desa_evidence, shared), items)
    files = [f for _, f in found if f.height]
    if files:
        links = assign(_keys([k for k, _ in found]), shared.thresholds)
        accepted = links.select(S_IDX, H_IDX).filter(links["match_status"] == "matched")
        votes = (
            accepted.join(pl.concat(files), on=S_IDX)
            .join(shared.households.select(H_IDX, pl.col("desa_code").alias("_voted")), on=H_IDX)
            .group_by("source_file", "_voted")
            .agg(pl.len().alias("_n"))
            .sort(["source_file", "_n", "_voted"], descending=[False, True, False])
            .unique(subset=["source_file"], keep="first", maintain_order=True)
            .select("source_file", "_voted")
        )
        write_whole(votes, shared.folder / "votes.parquet")
    engine.map(partial(fill_desa, shared), items)
