"""The link of a partitioned run: pairs found and scored a part at a time, assigned once over their keys.

:func:`verval_cli.matching.link` runs in phases (``exact_pairs_for``, ``open_pairs_for``,
``assign_pairs``, ``wide_pairs_for``, ``assign_pairs`` again, ``finish_links``). Finding and scoring a
pair reads only that row, that listed person and that household (a NIK, No KK or household id joins
rows to the whole list; names are compared within the row's desa, or regency-wide for rows the first
assignment left without a link), so those phases run here one part at a time, each part's scored
pairs spilled to disk. The assignments are global (a household reported by villages of two regencies
must go to the better row, with its rivals and margins); they read only the pairs' keys, weights and
scores, a few numbers per pair, so they run over all parts, exactly as in one run. Each part's links
then get their comparison columns back from its spills. The file desa of files that name none is
voted the same way (``infer_file_desa``'s phases). The phases' order is written once, in
``matching.link``; :func:`link_parts` calls the same phases in the same order.

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
from verval_cli.matching import (
    assign_pairs,
    exact_pairs_for,
    file_desa_votes,
    fill_file_desa,
    finish_links,
    open_pairs_for,
    rows_of_files_without_desa,
    wide_pairs_for,
    with_name_frequency,
)
from verval_cli.matching.assign import primary_rows
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


def share_list(folder: Path, province: Province, thresholds: MatchingConfig, *, on_disk: bool) -> Shared:
    """The list's tables for the parts' steps: in this process, and (``on_disk``) in the scratch folder."""
    shared = Shared(folder, thresholds)
    tables = {"list-households": province.households, "list-persons": with_name_frequency(province.persons)}
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
PHASES = ("exact", "fuzzy", "wide")  # the scored pairs spilled per part, in link()'s order


def _spill(shared: Shared, phase: str, part: Part, scored: pl.DataFrame | None) -> pl.DataFrame:
    """Spill a part's scored pairs of one phase whole (None: an empty file of keys); return their keys."""
    frame = pl.DataFrame(schema=_EMPTY_KEYS) if scored is None else scored
    write_whole(frame, shared.file(phase, part[0]))
    return frame.select(KEYS)


def _scored(shared: Shared, part: Part, phases: Sequence[str]) -> list[pl.DataFrame]:
    """The part's spilled scored pairs of ``phases`` that hold any (as ``link`` keeps them)."""
    found = [pl.read_parquet(shared.file(phase, part[0])) for phase in phases]
    return [found[0], *(f for f in found[1:] if f.height)]


def desa_evidence(shared: Shared, part: Part) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Scored exact pairs (keys) and (s_idx, file) of the part's rows in files that name no desa."""
    if not pl.read_parquet(part[1], columns=["desa_code"])["desa_code"].null_count():
        return pl.DataFrame(schema=_EMPTY_KEYS), pl.DataFrame(
            schema={S_IDX: pl.Int64, "source_file": pl.Utf8}
        )
    in_files = rows_of_files_without_desa(pl.read_parquet(part[1]))
    scored = exact_pairs_for(in_files, shared.persons, shared.households)
    return scored.select(KEYS), in_files.select(S_IDX, "source_file")


def fill_desa(shared: Shared, part: Part) -> None:
    """``infer_file_desa``'s last phase on one part: the file's voted desa where the row has none.

    The part's rows already have ``desa_inferred`` (all false: see ``partition._number``).
    """
    votes_file = shared.folder / "votes.parquet"
    if not votes_file.is_file():
        return
    rows = pl.read_parquet(part[1])
    if rows["desa_code"].null_count():
        write_whole(fill_file_desa(rows, pl.read_parquet(votes_file)), part[1])


def exact_pairs(shared: Shared, part: Part) -> pl.DataFrame:
    """``link``'s first phase on the part: exact pairs, scored (spilled whole); their keys."""
    rows = pl.read_parquet(part[1])
    return _spill(shared, "exact", part, exact_pairs_for(rows, shared.persons, shared.households))


def fuzzy_pairs(shared: Shared, part: Part) -> pl.DataFrame:
    """``link``'s second phase on the part: open rows compared within their desa (spilled); their keys."""
    rows = pl.read_parquet(part[1])
    taken = pl.read_parquet(shared.folder / "taken.parquet")
    exact = pl.read_parquet(shared.file("exact", part[0]), columns=[S_IDX, T_IDX])
    fuzzy = open_pairs_for(rows, taken, exact, shared.persons, shared.households)
    return _spill(shared, "fuzzy", part, fuzzy)


def wide_pairs(shared: Shared, part: Part) -> pl.DataFrame:
    """``link``'s fourth phase on the part: rows the first assignment left unlinked, regency-wide."""
    rows = pl.read_parquet(part[1])
    linked = pl.scan_parquet(shared.folder / "first.parquet").join(
        rows.lazy().select(S_IDX), on=S_IDX, how="semi"
    )
    scored = [f.select(S_IDX, T_IDX) for f in _scored(shared, part, PHASES[:2])]
    wide = wide_pairs_for(rows, linked.collect(), scored, shared.persons, shared.households)
    return _spill(shared, "wide", part, wide if wide.height else None)


def part_links(shared: Shared, part: Part) -> Path:
    """The part's chosen links with every column of their scored pair, finished as ``link`` does (spilled)."""
    found = _scored(shared, part, PHASES)
    scored = pl.concat(found, how="vertical_relaxed") if len(found) > 1 else found[0]
    rows = pl.read_parquet(part[1])
    chosen = pl.scan_parquet(shared.folder / "chosen.parquet").join(
        rows.lazy().select(S_IDX), on=S_IDX, how="semi"
    )
    columns = [S_IDX, H_IDX, *(c for c in scored.columns if c not in (S_IDX, H_IDX))]
    links = chosen.collect().join(scored, on=[S_IDX, T_IDX], how="inner", maintain_order="left")
    links = links.select(*columns, "role", "rival_weight", "match_status").sort(S_IDX)
    return write_whole(finish_links(links, rows), shared.file("links", part[0]))


# -- the whole run ---------------------------------------------------------------------------------------
_CHOSEN = (S_IDX, T_IDX, "role", "rival_weight", "match_status")


def link_parts(
    shared: Shared, parts: Sequence[Path], engine: Engine | None = None
) -> list[tuple[Path, Path]]:
    """(rows, links) Parquet files per part, as ``link_batch`` gives them for the part's rows.

    ``link``'s phases in its order, the per-row ones part by part, the assignments over all parts.
    ``shared`` from :func:`share_list` (the list must stay shared until the parts are flagged).
    """
    engine = engine or LocalEngine()
    thresholds, folder = shared.thresholds, shared.folder
    items: list[Part] = list(enumerate(parts))
    _file_desa(shared, items, engine)
    keys = [_keys(engine.map(partial(exact_pairs, shared), items))]
    write_whole(primary_rows(keys[0], thresholds), folder / "taken.parquet")
    fuzzy = _keys(engine.map(partial(fuzzy_pairs, shared), items))
    keys += [fuzzy] if fuzzy.height else []
    first = assign_pairs(keys, thresholds).select(_CHOSEN)
    write_whole(first.select(S_IDX), folder / "first.parquet")
    wide = _keys(engine.map(partial(wide_pairs, shared), items))
    chosen = assign_pairs([*keys, wide], thresholds).select(_CHOSEN) if wide.height else first
    del keys, fuzzy, wide, first
    write_whole(chosen, folder / "chosen.parquet")
    del chosen
    links = engine.map(partial(part_links, shared), items)
    return list(zip(parts, links, strict=True))


def _file_desa(shared: Shared, items: list[Part], engine: Engine) -> None:
    """Each part's missing desa codes, as ``infer_file_desa`` fills them over the whole batch."""
    found = engine.map(partial(desa_evidence, shared), items)
    files = [f for _, f in found if f.height]
    if files:
        links = assign_pairs([_keys([k for k, _ in found])], shared.thresholds)
        votes = file_desa_votes(links, pl.concat(files), shared.households)
        write_whole(votes, shared.folder / "votes.parquet")
    engine.map(partial(fill_desa, shared), items)
