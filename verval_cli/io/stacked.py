"""Many Parquet files read as one stack: header mapping, row classification and desa counting done once.

A province-scale folder holds thousands of village files. Read one by one, each costs a dozen small
frame operations (~15 ms); files with the same columns (names and types) share one header, so their rows
are stacked, told apart by a FILE column holding each file's position in the batch, and go through the
same steps a single file's rows go through in the loader. A group that does not fit this path (a file
that cannot be read, no recognisable header, a very wide table, an over-long cell) is handed back to be
read file by file, which names the file and the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from verval_cli import schema
from verval_cli.config import Config
from verval_cli.errors import InputFileError
from verval_cli.io import sniff
from verval_cli.io.desa import DesaEvidence, decide_desa, desa_evidence_by, says_proposal
from verval_cli.io.grid import FILE, ROW, blank_as_null, blank_to_null, col_name, guarded
from verval_cli.io.header import Header, check_values, header_at_first_row
from verval_cli.io.rows import CONTENT, REASON, classify
from verval_cli.io.table import (
    FileFailure,
    SheetReport,
    canonical,
    column_letters,
    extra_names,
)

_WIDE = 100  # from this width on a file's empty columns are dropped, which is a per-file decision
_PATH = "__path"
_NO_EVIDENCE = DesaEvidence({}, [])
_GROUP_THREADS = 2


@dataclass
class Stacked:
    """What the stacked path read: rows and layout rows (both with FILE), reports and failures by position."""

    frames: list[pl.DataFrame] = field(default_factory=list)
    rejected: list[pl.DataFrame] = field(default_factory=list)
    reports: list[tuple[int, SheetReport]] = field(default_factory=list)
    failures: list[tuple[int, FileFailure]] = field(default_factory=list)
    one_by_one: list[int] = field(default_factory=list)  # positions to read with the per-file path


@dataclass(frozen=True)
class _File:
    position: int
    path: Path
    given: str


def _text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A Parquet column as the text a spreadsheet would show; whole floats lose '.0' (decided per file)."""
    column = pl.col(name)
    if dtype.is_float():
        whole = ((column % 1 == 0) & (column.abs() < 2**63)).all(ignore_nulls=True).over(_PATH)
        return (
            pl.when(whole)
            .then(column.cast(pl.Int64, strict=False).cast(pl.Utf8))
            .otherwise(column.cast(pl.Utf8))
        )
    return column.cast(pl.Utf8)


def _numeric_flag_name(index: int) -> str:
    return f"__numeric_{index}"


def _header(names: Sequence[str], config: Config) -> Header | None:
    grid = pl.DataFrame(
        {ROW: [1], **{col_name(j): [n] for j, n in enumerate(names)}},
        schema={ROW: pl.Int64, **{col_name(j): pl.Utf8 for j in range(len(names))}},
    )
    return header_at_first_row(blank_to_null(grid), config.columns)


def _grid(files: Sequence[_File], schema_: pl.Schema, header: Header) -> pl.DataFrame:
    """The stacked body: FILE, ROW (the row as if saved to CSV: data from row 2), text cells, ID flags."""
    position = {str(f.path): f.position for f in files}
    names = list(schema_.names())
    ids = [c.index for c in header.columns if c.field in schema.ID_FIELDS]
    scan = pl.scan_parquet([str(f.path) for f in files], include_file_paths=_PATH)
    stacked = scan.select(
        pl.col(_PATH).replace_strict(position, return_dtype=pl.Int64).alias(FILE),
        # blank cells become null in the same pass (the stack is narrower than _WIDE: no column drops)
        *[blank_as_null(_text(n, schema_[n])).alias(col_name(j)) for j, n in enumerate(names)],
        *[
            pl.when(pl.col(names[j]).is_not_null())
            .then(pl.lit(schema_[names[j]].is_numeric()))
            .alias(_numeric_flag_name(j))
            for j in ids
        ],
    ).with_columns((pl.int_range(pl.len(), dtype=pl.Int64).over(FILE) + 2).alias(ROW))
    # A chunk per file in the cell columns, one in ROW: realigned once here, not by every later step.
    return stacked.collect().rechunk()


def _group(
    files: Sequence[_File], schema_: pl.Schema, config: Config, regency: str | None, out: Stacked
) -> None:
    names = list(schema_.names())
    header = _header(names, config) if len(names) < _WIDE else None
    if header is None:
        out.one_by_one.extend(f.position for f in files)
        return
    try:
        body = guarded(_grid(files, schema_, header), files[0].path)
    except (InputFileError, pl.exceptions.PolarsError, OSError):
        out.one_by_one.extend(f.position for f in files)
        return
    check_values(header, body)
    classified = classify(body, header, by=FILE)
    extras = extra_names(header, body)
    flags = [
        pl.col(_numeric_flag_name(c.index)).alias(schema.numeric_cell_flag(c.field))
        for c in header.columns
        if c.field in schema.ID_FIELDS
    ]
    is_layout = classified[REASON].is_not_null()
    households = classified.filter(~is_layout) if is_layout.any() else classified
    frame = households.select(FILE, *canonical(header, extras), *flags)
    counts = _counts(body, classified)
    evidence = desa_evidence_by(frame, FILE)
    letters = column_letters(header, extras)
    ignored = [c.label for c in header.columns if c.field is None and c.label is not None]
    given: dict[int, str] = {}
    desa: dict[int, str | None] = {}
    for f in files:
        total, data, layout = counts.get(f.position, (0, 0, 0))
        if data == 0:
            out.failures.append(
                (f.position, FileFailure(f.given, f"no data rows under the header (row {header.last_row})"))
            )
            continue
        guess = decide_desa(evidence.get(f.position, _NO_EVIDENCE), f.path, [], regency)
        given[f.position], desa[f.position] = f.given, guess.code
        report = SheetReport(
            path=f.given,
            sheet=None,
            format=sniff.PARQUET,
            header_row=header.last_row,
            mapping=dict(header.mapping),
            ignored=list(ignored),
            data_rows=data,
            blank_rows=total - data - layout,
            layout_rows=layout,
            desa_code=guess.code,
            desa_source=guess.source,
            encoding=None,
            delimiter=None,
            notes=[*header.all_notes(), *([guess.note] if guess.note else [])],
            columns=dict(letters),
            mapping_explained=header.explained(),
            mapping_summary=header.summary(),
            proposal=says_proposal([f.path.stem]),
        )
        out.reports.append((f.position, report))
    kept = pl.col(FILE).is_in(list(given))
    source = pl.col(FILE).replace_strict(given, default=None, return_dtype=pl.Utf8)
    if len(given) < len(counts):  # files without a data row are failures: their rows go
        frame = frame.filter(kept)
    frame = frame.with_columns(
        source.alias(schema.SOURCE_FILE),
        pl.lit(None, dtype=pl.Utf8).alias(schema.SOURCE_SHEET),
        pl.col(FILE).replace_strict(desa, default=None, return_dtype=pl.Utf8).alias(schema.SOURCE_DESA_CODE),
    )
    out.frames.append(frame)
    out.rejected.append(
        classified.filter(pl.col(REASON).is_not_null() & kept).select(
            FILE,
            source.alias(schema.SOURCE_FILE),
            pl.lit(None, dtype=pl.Utf8).alias(schema.SOURCE_SHEET),
            pl.col(ROW).alias(schema.SOURCE_ROW),
            pl.col(REASON).alias("reason"),
            pl.col(CONTENT).alias("content"),
        )
    )


def _counts(body: pl.DataFrame, classified: pl.DataFrame) -> dict[int, tuple[int, int, int]]:
    """Per file: rows under the header, household rows, layout rows (blank rows are the rest)."""
    kinds = classified.group_by(FILE).agg(
        pl.col(REASON).is_null().sum().alias("data"), pl.col(REASON).is_not_null().sum().alias("layout")
    )
    counted = body.group_by(FILE).len().join(kinds, on=FILE, how="left").fill_null(0)
    return {k: (int(n), int(d), int(lay)) for k, n, d, lay in counted.iter_rows()}


def _schema(path: Path) -> dict[str, pl.DataType] | None:
    try:
        return pl.read_parquet_schema(path)
    except Exception:  # the per-file path says what is wrong with the file
        return None


def load_stacked(files: Sequence[tuple[int, Path, str]], config: Config, regency: str | None) -> Stacked:
    """Read Parquet files (position in the batch, path, path as given) grouped by identical columns."""
    out = Stacked()
    groups: dict[tuple[tuple[str, str], ...], list[_File]] = defaultdict(list)
    schemas: dict[tuple[tuple[str, str], ...], pl.Schema] = {}
    seen: set[str] = set()
    for position, path, given in files:
        # ~0.2 ms a footer (threads only add contention). A path given twice is read twice, apart:
        # in one stack its two copies would share one position and number their rows as one file.
        schema_ = _schema(path) if str(path) not in seen else None
        seen.add(str(path))
        if schema_ is None:
            out.one_by_one.append(position)
            continue
        key = tuple((n, str(t)) for n, t in schema_.items())
        if key not in schemas:
            schemas[key] = pl.Schema(schema_)
        groups[key].append(_File(position, path, given))
    # Groups are independent, and each is a chain of small polars steps that seldom fills both cores:
    # two groups side by side do. Each writes into its own part; parts are merged in group order.
    keys = list(groups)
    parts = [Stacked() for _ in keys]

    def run(i: int) -> None:
        _group(groups[keys[i]], schemas[keys[i]], config, regency, parts[i])

    if len(keys) > 1:
        # The largest groups first, so the two threads finish at about the same time.
        largest_first = sorted(range(len(keys)), key=lambda i: -len(groups[keys[i]]))
        with ThreadPoolExecutor(max_workers=min(_GROUP_THREADS, len(keys))) as pool:
            list(pool.map(run, largest_first))
    elif keys:
        run(0)
    for part in parts:
        out.frames.extend(part.frames)
        out.rejected.extend(part.rejected)
        out.reports.extend(part.reports)
        out.failures.extend(part.failures)
        out.one_by_one.extend(part.one_by_one)
    return out
