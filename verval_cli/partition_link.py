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
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from verval_cli.config import MatchingConfig
from verval_cli.ingest import Province
from verval_cli.matching import _explained, _score, _with_name_frequency, attach_members
from verval_cli.matching.assign import assign, primary_rows
from verval_cli.matching.candidates import DESA_CANDIDATE_COLUMNS, desa_candidates, exact_candidates
from verval_cli.schema import H_IDX, S_IDX, T_IDX

KEYS = (S_IDX, H_IDX, T_IDX, "weight", "score")
_EMPTY_KEYS = {S_IDX: pl.Int64, H_IDX: pl.Int64, T_IDX: pl.Int64, "weight": pl.Float64, "score": pl.Float64}


def _keys(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The pairs' keys of all parts, in (s_idx, t_idx) order: the order one run's candidate step gives."""
    found = [f.select(KEYS) for f in frames if f.height]
    if not found:
        return pl.DataFrame(schema=_EMPTY_KEYS)
    return pl.concat(found, how="vertical_relaxed").sort(S_IDX, T_IDX)


class PartLinker:
    """Links the rows of a batch spilled in parts (Parquet files of prepared rows, global ``s_idx``)."""

    def __init__(self, parts: Sequence[Path], province: Province, thresholds: MatchingConfig) -> None:
        self.parts = list(parts)
        self.households = province.households
        self.persons = _with_name_frequency(province.persons)
        self.thresholds = thresholds

    def _rows(self, part: Path) -> pl.DataFrame:
        return pl.read_parquet(part)

    def _scored(self, pairs: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
        return _score(pairs, rows, self.persons, self.households)

    # -- the file desa (matching.infer_file_desa, its one assignment over all parts) ---------------------
    def file_desa(self) -> None:
        """Fill each part's missing desa codes as ``infer_file_desa`` would over the whole batch."""
        scored, files = [], []
        for part in self.parts:
            rows = self._rows(part)
            missing = rows.filter(pl.col("desa_code").is_null()).select("source_file").unique()
            in_files = rows.join(missing, on="source_file", how="semi", maintain_order="left")
            if in_files.height:
                scored.append(
                    self._scored(exact_candidates(in_files, self.persons, self.households), in_files)
                )
                files.append(in_files.select(S_IDX, "source_file"))
        votes = self._votes(scored, files) if files else None
        for part in self.parts:
            _fill_desa(self._rows(part), votes).write_parquet(part, compression="lz4", statistics=False)

    def _votes(self, scored: list[pl.DataFrame], files: list[pl.DataFrame]) -> pl.DataFrame:
        links = assign(_keys(scored), self.thresholds)
        accepted = links.select(S_IDX, H_IDX).filter(links["match_status"] == "matched")
        return (
            accepted.join(pl.concat(files), on=S_IDX)
            .join(self.households.select(H_IDX, pl.col("desa_code").alias("_voted")), on=H_IDX)
            .group_by("source_file", "_voted")
            .agg(pl.len().alias("_n"))
            .sort(["source_file", "_n", "_voted"], descending=[False, True, False])
            .unique(subset=["source_file"], keep="first", maintain_order=True)
            .select("source_file", "_voted")
        )

    # -- pairs, scored a part at a time; one assignment -------------------------------------------------
    def link(self, folder: Path) -> list[tuple[Path, Path]]:
        """(rows, links) Parquet files per part, as ``link_batch`` gives them for the part's rows."""
        self.file_desa()
        exact = []
        for n, part in enumerate(self.parts):
            rows = self._rows(part)
            scored = self._scored(exact_candidates(rows, self.persons, self.households), rows)
            scored.write_parquet(folder / f"exact-{n:05d}.parquet", statistics=False)
            exact.append(scored.select(KEYS))
        exact_keys = _keys(exact)
        taken = primary_rows(exact_keys, self.thresholds)
        fuzzy = []
        for n, part in enumerate(self.parts):
            rows = self._rows(part)
            open_rows = rows.select(DESA_CANDIDATE_COLUMNS).join(taken, on=S_IDX, how="anti")
            pairs = desa_candidates(open_rows, self.persons, self.households)
            pairs = pairs.join(exact[n].select(S_IDX, T_IDX), on=[S_IDX, T_IDX], how="anti")
            scored = self._scored(pairs, rows)
            scored.write_parquet(folder / f"fuzzy-{n:05d}.parquet", statistics=False)
            fuzzy.append(scored.select(KEYS))
        fuzzy_keys = _keys(fuzzy)
        both = (
            pl.concat([exact_keys, fuzzy_keys], how="vertical_relaxed") if fuzzy_keys.height else exact_keys
        )
        chosen = assign(both, self.thresholds).drop("weight", "score", H_IDX)
        del exact, fuzzy, exact_keys, fuzzy_keys, both
        out = []
        for n, part in enumerate(self.parts):
            links = self._gathered(chosen, folder, n)
            target = folder / f"links-{n:05d}.parquet"
            _explained(attach_members(links, self._rows(part))).write_parquet(target, statistics=False)
            out.append((part, target))
        return out

    def _gathered(self, chosen: pl.DataFrame, folder: Path, n: int) -> pl.DataFrame:
        """The part's chosen links with every column of their scored pair, in ``assign``'s layout."""
        exact = pl.read_parquet(folder / f"exact-{n:05d}.parquet")
        fuzzy = pl.read_parquet(folder / f"fuzzy-{n:05d}.parquet")
        scored = pl.concat([exact, fuzzy], how="vertical_relaxed") if fuzzy.height else exact
        columns = [S_IDX, H_IDX, *(c for c in scored.columns if c not in (S_IDX, H_IDX))]
        links = chosen.join(scored, on=[S_IDX, T_IDX], how="inner", maintain_order="left")
        return links.select(*columns, *(c for c in chosen.columns if c not in (S_IDX, T_IDX))).sort(S_IDX)


def _fill_desa(rows: pl.DataFrame, votes: pl.DataFrame | None) -> pl.DataFrame:
    """``infer_file_desa``'s last step on one part: the file's voted desa where the row has none."""
    rows = rows.with_columns(pl.lit(False).alias("desa_inferred"))
    if votes is None or rows["desa_code"].null_count() == 0:
        return rows
    voted = rows.select("source_file").join(votes, on="source_file", how="left", maintain_order="left")
    rows = rows.with_columns(voted["_voted"])
    fill = pl.col("desa_code").is_null() & pl.col("_voted").is_not_null()
    return rows.with_columns(
        pl.when(fill).then(pl.col("_voted")).otherwise(pl.col("desa_code")).alias("desa_code"),
        fill.alias("desa_inferred"),
    ).drop("_voted")
