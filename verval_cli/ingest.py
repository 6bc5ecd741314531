"""One way in for every command: find the inputs, read them, normalise them; and the prepared province list.

``inspect``, ``validate`` and ``reconcile`` all read submissions through :func:`ingest`, and
``validate --province`` and ``reconcile`` both read the list through :func:`ingest_province`, so a
file is read, normalised and placed in a desa the same way whichever command looks at it.

>>> batch = ingest("inbox/", Config(), regency="3304")       # doctest: +SKIP
>>> province = ingest_province("daftar_p3ke.xlsx", Config())  # doctest: +SKIP
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import polars as pl

from verval_cli import schema as s
from verval_cli.cache import FileCache, reading_key
from verval_cli.config import Config, MatchingConfig
from verval_cli.errors import InputFileError
from verval_cli.inbox import refuse_village_files_as_province, without_cache
from verval_cli.io import (
    Discovery,
    FileFailure,
    InputNote,
    LoadResult,
    SheetReport,
    as_items,
    discover,
    require_files,
)
from verval_cli.io.loader import LoadedPieces, assemble, read_pieces
from verval_cli.matching import infer_file_desa, link, prepare_province, prepare_submissions
from verval_cli.normalize import normalize_frame
from verval_cli.progress import Progress, StageTimer, stages
from verval_cli.row_desa import infer_regency, majority_regency, resolve_row_desa
from verval_cli.submission_status import apply_sheet_status

Paths = str | Path | Sequence[str | Path]

# Starting a worker process costs seconds (it imports polars and the region tables again): worth it
# for many files read one by one that hold a few MB between them, not for a village round of 40 files.
# Nor on two cores: the workers share them with the process that waits for them, and reading a regency
# round of 300 or 1,000 messy files was slower in workers than here (benchmarks/README.md, the real path).
PARALLEL_FROM = 40
PARALLEL_BYTES = 4_000_000
MAX_WORKERS = 8
MIN_CORES = 3


@dataclass
class Ingested:
    """A batch as read: normalised rows, layout rows set aside, sheets, files not read, inputs skipped."""

    frame: pl.DataFrame  # stage 2 (normalised), in batch order; the stage-1 frame when no row was read
    rejected: pl.DataFrame
    sheets: list[SheetReport]
    failures: list[FileFailure]
    notes: list[InputNote] = field(default_factory=list)  # lock files, verval's own outputs


@dataclass
class Province:
    """The province list prepared for linking: households (``h_idx``), persons (``t_idx``), its regency."""

    households: pl.DataFrame  # schema.HOUSEHOLDS
    persons: pl.DataFrame  # schema.PERSONS
    regency: str | None  # 4 digits: the hint, else what the list's rows say (see infer_regency)
    rejected: pl.DataFrame
    sheets: list[SheetReport]
    failures: list[FileFailure]
    notes: list[InputNote] = field(default_factory=list)


def find_inputs(paths: Paths, role: str | None = None) -> Discovery:
    """The files ``paths`` name (files, folders, globs); InputFileError when none is left to read."""
    return require_files(without_cache(discover(paths)), paths, role=role)


def _read_one_by_one(path: str) -> bool:
    return Path(path).suffix.lower() != ".parquet"  # Parquet files are stacked in one pass instead


def _size(paths: Sequence[str]) -> int:
    return sum(Path(p).stat().st_size for p in paths if Path(p).is_file())


def _auto_workers(slow: Sequence[str]) -> int:
    cores = os.cpu_count() or 1
    if cores < MIN_CORES or len(slow) < PARALLEL_FROM or _size(slow) < PARALLEL_BYTES:
        return 1
    return min(cores, MAX_WORKERS)


def load_files(
    files: Sequence[str | Path],
    config: Config,
    *,
    sheet: str | None = None,
    regency: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    cache: FileCache | None = None,
) -> LoadResult:
    """``load_tables``, with files read one by one spread over worker processes in a big batch.

    The result is the same whichever way it was read. ``workers``: processes (default: one per
    CPU, up to 8, on 3 or more CPUs once 40 or more files holding 4 MB or more need reading one by
    one; Parquet files are stacked here). A program that starts verval from a script needs the usual
    ``if __name__ == "__main__":`` guard for worker processes; without it the batch is read here.
    ``cache``: files read before with the same bytes are taken from it (see :mod:`verval_cli.cache`).
    """
    items = [str(p) for p in files]
    read = partial(_read_shares, items, config=config, sheet=sheet, regency=regency, workers=workers)
    if cache is None:
        return assemble(read(list(range(len(items))), progress))
    cacheable = [i for i, p in enumerate(items) if _read_one_by_one(p)]
    return assemble(cache.load(items, cacheable, reading_key(config, sheet, regency), read, progress))


def _read_shares(
    items: list[str],
    todo: list[int],
    progress: Progress | None,
    *,
    config: Config,
    sheet: str | None,
    regency: str | None,
    workers: int | None,
) -> list[LoadedPieces]:
    """The pieces of the files at positions ``todo`` of ``items``, for ``assemble``."""
    slow = [i for i in todo if sheet is not None or _read_one_by_one(items[i])]
    if workers is None:
        workers = _auto_workers([items[i] for i in slow])
    read = partial(read_pieces, config=config, sheet=sheet, regency=regency)
    if workers <= 1 or len(slow) < 2:
        return [read([items[i] for i in todo], positions=todo, progress=progress)]
    try:
        return _load_in_workers(items, todo, slow, read, workers, progress)
    except BrokenProcessPool:  # a worker could not start (an unguarded script): read them here
        return [read([items[i] for i in todo], positions=todo, progress=progress)]


def _load_in_workers(
    items: list[str],
    todo: list[int],
    slow: list[int],
    read: Callable[..., LoadedPieces],
    workers: int,
    progress: Progress | None,
) -> list[LoadedPieces]:
    size = max(1, -(-len(slow) // (workers * 4)))  # a few chunks per worker evens out slow files
    chunks = [slow[i : i + size] for i in range(0, len(slow), size)]
    one_by_one = set(slow)
    fast = [i for i in todo if i not in one_by_one]
    # spawn, not fork: a forked child of a process running polars threads can deadlock
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(read, [items[i] for i in chunk], positions=chunk) for chunk in chunks]
        shares: list[LoadedPieces] = [read([items[i] for i in fast], positions=fast)] if fast else []
        for n, future in enumerate(futures, 1):
            shares.append(future.result())
            if progress is not None:
                progress("load", len(fast) + sum(len(c) for c in chunks[:n]), len(todo))
    return shares


def ingest(
    paths: Paths,
    config: Config | None = None,
    *,
    found: Discovery | None = None,
    regency: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    timer: StageTimer | None = None,
    workers: int | None = None,
    role: str | None = None,
    cache: FileCache | None = None,
) -> Ingested:
    """Find, read and normalise a batch (stages ``load`` and ``normalise``).

    ``found``: the files ``paths`` name, when already discovered (see :func:`find_inputs`; ``role``
    names the inputs in its error). ``regency`` lets desa names be found within it. A file that
    cannot be read is a failure; the others are read. ``cache``: see :func:`load_files`.
    """
    config = config or Config()
    stage = stages(progress, timer)
    found = found or find_inputs(paths, role)
    with stage("load"):
        loaded = load_files(
            found.files,
            config,
            sheet=sheet,
            regency=regency,
            progress=progress,
            workers=workers,
            cache=cache,
        )
    with stage("normalise"):
        # Each stage's input frame is let go once the next one exists: at province scale every copy counts.
        frame = normalize_frame(loaded.frame, config) if loaded.frame.height else loaded.frame
        loaded.frame = loaded.frame.clear()
    return Ingested(frame, loaded.rejected, loaded.sheets, loaded.failures, list(found.notes))


def ingest_province(
    paths: Paths,
    config: Config | None = None,
    *,
    found: Discovery | None = None,
    regency: str | None = None,
    progress: Progress | None = None,
    timer: StageTimer | None = None,
    check: bool = True,
    cache: FileCache | None = None,
) -> Province:
    """Read and prepare the province list (stages ``load``, ``normalise``, ``prepare``).

    ``regency`` (default ``config.regency``) places desa named in words. Raises InputFileError when
    no household row can be read, and (``check``) UsageError when the list reads like village files.
    """
    config = config or Config()
    hint = regency or config.regency
    stage = stages(progress, timer)
    items = as_items(paths)
    read = ingest(
        paths,
        config,
        found=found,
        regency=hint,
        progress=progress,
        timer=timer,
        role="the province list",
        cache=cache,
    )
    if read.frame.height == 0:
        reason = "; ".join(f.reason for f in read.failures) or "no household rows found"
        raise InputFileError(", ".join(items), reason)
    if check:
        refuse_village_files_as_province(read.frame, read.sheets, items)
    with stage("prepare"):
        # The list's rows say its regency (codes, regency names, NIKs); failing that, its desa codes.
        said = infer_regency(read.frame, hint)
        households, persons = prepare_province(resolve_row_desa(read.frame, said))
        regency_ = said or majority_regency(households[s.DESA_CODE])
    return Province(households, persons, regency_, read.rejected, read.sheets, read.failures, read.notes)


def link_rows(batch: Ingested, regency: str | None) -> pl.DataFrame:
    """The batch's rows as the linker reads them (``s_idx`` in batch order): statuses the layout
    decides, each row's desa (``regency`` resolves desa named in words): schema.SUBMISSION_ROWS."""
    frame = apply_sheet_status(batch.frame, batch.sheets, batch.rejected)
    return prepare_submissions(resolve_row_desa(frame, regency))


def link_batch(
    rows: pl.DataFrame, province: Province, thresholds: MatchingConfig
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows, links): rows from :func:`link_rows` (file desa inferred where unnamed) and their links.

    The rows are schema.LINKED_ROWS, the links schema.LINKS (one row per link).

    The one linker: reconcile and validate --province both link a row to the list through here.
    """
    rows = infer_file_desa(rows, province.households, province.persons, thresholds)
    return rows, link(rows, province.households, province.persons, thresholds)
