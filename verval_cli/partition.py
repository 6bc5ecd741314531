"""A reconcile in parts: submission files read, linked and flagged a part at a time, as one run would.

``reconcile_partitioned`` gives exactly what :func:`verval_cli.reconcile.reconcile` gives (the same
frames, row for row and column for column), but holds one part of the submissions at a time: each
part of the batch is read, normalised and prepared for linking, and its rows are spilled to a Parquet
file in a scratch folder. The parts are then linked (:mod:`verval_cli.partition_link`: pairs found and
scored per part, the identifiers joining each part to the whole list, one assignment over the keys of
all pairs) and flagged (:mod:`verval_cli.partition_result`), so a household reported by a village of
another regency, or a NIK listed twice, is linked and flagged as in one run. The province list is
read whole and held for the run.

The batch is cut by regency (:func:`cut_by_regency`: the desa code in a file's name; files whose
name says none are read together), at most ``files_per_part`` files a part. The outputs are then
also written as a dataset partitioned by regency (:mod:`verval_cli.writers.dataset`).

The rows keep the order one read of the whole batch gives them (``s_idx``): the stacked Parquet files
first, then the others, each by its position in the batch; the greedy assignment breaks ties on that
order, so the links do not depend on how the batch was cut or in which order the parts were read.

>>> result = reconcile_partitioned("daftar.parquet", "inbox/")       # doctest: +SKIP
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import schema as s
from verval_cli.config import Config
from verval_cli.engine import Engine, LocalEngine
from verval_cli.inbox import discover_inputs
from verval_cli.ingest import Ingested, Paths, Province, ingest_province, link_rows
from verval_cli.io import FileFailure, InputNote, SheetReport
from verval_cli.io.grid import FILE
from verval_cli.io.loader import LoadedPieces, assemble, read_pieces
from verval_cli.normalize import normalize_frame
from verval_cli.partition_link import Shared, forget_list, link_parts, share_list, write_whole
from verval_cli.partition_result import assemble_result
from verval_cli.progress import Progress, StageTimer, stages
from verval_cli.reconcile import reconcile
from verval_cli.result import ReconcileResult
from verval_cli.runs import file_fingerprints, run_stamp

UNKNOWN_REGENCY = "0000"
FILES_PER_PART = 250  # files read at once: a few hundred desa, a fraction of a province
_FLAG, _POS, _LOCAL = "_stacked_last", "_position", "_local"


@dataclass
class _Parts:
    """What the parts left behind: spilled row files, and the small per-file facts of the batch."""

    folder: Path
    spilled: list[Path] = field(default_factory=list)
    rejected: list[pl.DataFrame] = field(default_factory=list)
    sheets: list[tuple[int, SheetReport]] = field(default_factory=list)
    failures: list[tuple[int, FileFailure]] = field(default_factory=list)
    shapes: list[tuple[tuple[int, int], pl.DataFrame]] = field(default_factory=list)  # empty stage-1 frames


_DESA_IN_NAME = re.compile(r"(?<!\d)(\d{10})(?!\d)")


def file_regency(path: Path) -> str:
    """The regency a file's name says (the first four digits of a 10-digit desa code in it), else UNKNOWN."""
    found = _DESA_IN_NAME.search(path.name)
    return found.group(1)[:4] if found else UNKNOWN_REGENCY


def cut_by_regency(files: Sequence[Path], size: int) -> list[list[int]]:
    """The batch's positions in parts: one regency's files together (by their names), at most ``size`` a part.

    How the batch is cut only decides what is held at once, never the result (see the module's doc).
    """
    groups: dict[str, list[int]] = {}
    for position, path in enumerate(files):
        groups.setdefault(file_regency(path), []).append(position)
    size = max(1, size)
    return [g[i : i + size] for _, g in sorted(groups.items()) for i in range(0, len(g), size)]


@dataclass(frozen=True)
class _Reading:
    """What reading any part needs: the batch's files, the settings, the list's regency, the scratch folder."""

    files: tuple[Path, ...]
    config: Config
    regency: str | None
    folder: Path


def read_part(reading: _Reading, item: tuple[int, list[int]]) -> _Parts:
    """Read, normalise and prepare the files at the positions of part ``item``; spill its rows.

    Returns what the part read (an engine may run this in another process), with its batch order.
    """
    number, part = item
    files, config, regency = reading.files, reading.config, reading.regency
    facts = _Parts(reading.folder)
    pieces = read_pieces([files[i] for i in part], config, regency=regency, positions=part)
    stacked = {int(p) for f in pieces.stacked for p in f[FILE].unique().to_list()}
    # The columns as one read of the batch orders them: stacked groups, then single files, by position.
    for flag, frames in ((0, pieces.stacked), (1, pieces.frames)):
        for f in frames:
            if f.height:
                first: int = f[FILE].cast(pl.Int64).min()  # type: ignore[assignment]
                facts.shapes.append(((flag, first), f.clear()))
    facts.sheets.extend(pieces.reports)
    facts.failures.extend(pieces.failures)
    loaded = assemble([pieces])
    facts.rejected.append(loaded.rejected.with_columns(_position(files, part)))
    if loaded.frame.height == 0:
        return facts
    frame = normalize_frame(loaded.frame, config)
    loaded.frame = loaded.frame.clear()
    batch = Ingested(frame, loaded.rejected, [r for _, r in pieces.reports], [])
    rows = link_rows(batch, regency)
    rows = rows.with_columns(_position(files, part)).with_columns(
        (~pl.col(_POS).is_in(list(stacked))).alias(_FLAG), pl.col(s.S_IDX).alias(_LOCAL)
    )
    facts.spilled.append(write_whole(rows, reading.folder / f"part-{number:05d}.parquet"))
    return facts


def _merge(into: _Parts, facts: Sequence[_Parts]) -> None:
    for one in facts:
        into.spilled += one.spilled
        into.rejected += one.rejected
        into.sheets += one.sheets
        into.failures += one.failures
        into.shapes += one.shapes


def _position(files: Sequence[Path], part: list[int]) -> pl.Expr:
    """Each row's file position in the batch, from its ``source_file`` (the path as given)."""
    given = {str(files[i]): i for i in part}
    return pl.col(s.SOURCE_FILE).replace_strict(given, return_dtype=pl.Int64).alias(_POS)


def _number(parts: _Parts, config: Config, regency: str | None) -> None:
    """Give each spilled row its ``s_idx`` in one read of the whole batch; every part the batch's columns.

    Rows are numbered in batch order (stacked files first, then by position in the batch), and each
    part gets the columns one run's frame has, in its order (a column a part lacks reads as null).
    """
    keys = pl.concat(
        [
            pl.read_parquet(p, columns=[_FLAG, _POS, _LOCAL]).with_columns(pl.lit(n).alias("_part"))
            for n, p in enumerate(parts.spilled)
        ]
    )
    numbered = keys.sort(_FLAG, _POS, _LOCAL).with_columns(pl.int_range(pl.len()).alias(s.S_IDX))
    columns = _batch_columns(parts, config, regency)
    empty = [pl.read_parquet(p, n_rows=0) for p in parts.spilled]
    schema = pl.concat(empty, how="diagonal_relaxed").schema
    for n, path in enumerate(parts.spilled):
        mine = numbered.filter(pl.col("_part") == n).select(_LOCAL, s.S_IDX)
        rows = pl.read_parquet(path).drop(s.S_IDX).join(mine, on=_LOCAL, maintain_order="left")
        rows = rows.with_columns(
            pl.lit(None, dtype=schema[c]).alias(c) for c in columns if c not in rows.columns
        )
        typed = rows.select(pl.col(c).cast(schema[c]) for c in columns)
        # As infer_file_desa adds it: no row's desa inferred yet (partition_link.fill_desa sets it).
        write_whole(typed.with_columns(pl.lit(False).alias("desa_inferred")), path)


def _batch_columns(parts: _Parts, config: Config, regency: str | None) -> list[str]:
    """The prepared rows' columns in the order one read of the batch gives them.

    The loaded frames' columns in batch order (as ``assemble`` stacks them), put through the same
    steps on one empty row: the steps name their columns from their input's order.
    """
    shapes = [f for _, f in sorted(parts.shapes, key=lambda item: item[0])]
    loaded = assemble([LoadedPieces([], [pl.concat(shapes, how="diagonal")], [], [], [])]).frame
    empty = loaded.clear(1)
    batch = Ingested(normalize_frame(empty, config), empty.clear(), [], [])
    return link_rows(batch, regency).columns


def _batch_facts(parts: _Parts, notes: list[InputNote]) -> Ingested:
    rejected = pl.concat(parts.rejected, how="vertical_relaxed").sort(_POS, maintain_order=True).drop(_POS)
    sheets = [r for _, r in sorted(parts.sheets, key=lambda item: item[0])]
    failures = [f for _, f in sorted(parts.failures, key=lambda item: item[0])]
    return Ingested(pl.DataFrame(), rejected, sheets, failures, notes)


@dataclass
class LinkedParts:
    """A batch read, linked and spilled in parts: the list, the batch's facts, each part's (rows, links)."""

    listed: Province
    batch: Ingested
    parts: list[tuple[Path, Path]]
    shared: Shared  # the scratch folder and the list, for the parts' steps
    engine: Engine
    files: list[Path]  # the batch's submission files, in batch order

    def stamp(self, summary: dict[str, Any]) -> None:
        """What one run adds to its summary last: the input files' fingerprints, when and by what."""
        summary["input_files"] = file_fingerprints(self.files)
        summary["run"] = run_stamp()

    @property
    def folder(self) -> Path:
        return self.shared.folder


@contextmanager
def linked_parts(
    province: Paths,
    submissions: Paths,
    config: Config,
    *,
    progress: Progress | None = None,
    timer: StageTimer | None = None,
    check_province: bool = True,
    files_per_part: int = FILES_PER_PART,
    order: Callable[[list[list[int]]], list[list[int]]] | None = None,
    scratch: Path | None = None,
    engine: Engine | None = None,
) -> Iterator[LinkedParts | None]:
    """Read, normalise and link the batch a part at a time; None when not one submission row was read.

    The parts' files live in a temporary folder (under ``scratch``) until the block ends.
    """
    stage = stages(progress, timer)
    engine = engine or LocalEngine()
    province_found, found = discover_inputs(province, submissions)
    listed = ingest_province(
        province, config, found=province_found, progress=progress, timer=timer, check=check_province
    )
    files = list(found.files)
    cut = cut_by_regency(files, files_per_part)
    cut = order(cut) if order is not None else cut
    with tempfile.TemporaryDirectory(prefix=".verval_parts_", dir=scratch) as tmp:
        parts = _Parts(Path(tmp))
        with stage("load"):
            reading = _Reading(tuple(files), config, listed.regency, parts.folder)
            _merge(parts, engine.map(partial(read_part, reading), list(enumerate(cut))))
        if not parts.spilled:
            yield None
            return
        with stage("prepare"):
            _number(parts, config, listed.regency)
            batch = _batch_facts(parts, list(found.notes))
        shared = share_list(
            parts.folder, listed, config.matching, on_disk=not isinstance(engine, LocalEngine)
        )
        try:
            with stage("link"):
                linked = link_parts(shared, parts.spilled, engine)
            yield LinkedParts(listed, batch, linked, shared, engine, files)
        finally:
            forget_list(shared)


def reconcile_partitioned(
    province: Paths,
    submissions: Paths,
    config: Config | None = None,
    *,
    progress: Progress | None = None,
    timer: StageTimer | None = None,
    check_province: bool = True,
    files_per_part: int = FILES_PER_PART,
    order: Callable[[list[list[int]]], list[list[int]]] | None = None,
    scratch: Path | None = None,
    engine: Engine | None = None,
) -> ReconcileResult:
    """:func:`verval_cli.reconcile.reconcile`, reading the submissions ``files_per_part`` files at a time.

    ``order`` may reorder the parts before they are read (the result does not depend on it);
    ``scratch`` is where the parts' rows are spilled (default: a temporary folder, removed afterwards);
    ``engine`` runs the parts (default: here, one after another; see :mod:`verval_cli.engine`). The
    result is held whole, as one run's is; ``verval_cli.writers.partitioned`` writes the outputs part by
    part instead.
    """
    config = config or Config()
    with linked_parts(
        province,
        submissions,
        config,
        progress=progress,
        timer=timer,
        check_province=check_province,
        files_per_part=files_per_part,
        order=order,
        scratch=scratch,
        engine=engine,
    ) as run:
        if run is None:  # not one row read: the one-run path says what went wrong the same way
            return reconcile(province, submissions, config, progress=progress, check_province=check_province)
        with stages(progress, timer)("findings"):
            result = assemble_result(run.listed, run.batch, run.parts, config)
        run.stamp(result.summary)
        return result
