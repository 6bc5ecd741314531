"""Load any number of spreadsheets into one stage-1 canonical frame, with a report per sheet."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from verval_cli import schema
from verval_cli.config import Config
from verval_cli.errors import InputFileError
from verval_cli.io import excel, sniff, text
from verval_cli.io.desa import detect_desa, says_proposal
from verval_cli.io.discover import as_items
from verval_cli.io.grid import FILE, ROW, RawSheet, data_columns
from verval_cli.io.header import Header, detect_header, header_at_first_row
from verval_cli.io.rows import CONTENT, REASON, classify
from verval_cli.io.stacked import load_stacked
from verval_cli.io.table import (
    FRAME_SCHEMA,
    REJECTED_SCHEMA,
    FileFailure,
    SheetReport,
    canonical,
    column_letters,
    extra_names,
    provenance_order,
)
from verval_cli.progress import Progress, file_counter

_MAX_THREADS = 4
_FEW_CELLS = 10  # a sheet without a header holding at most this many cells is a note, not a failure


@dataclass
class LoadResult:
    """Everything read: household rows, layout rows set aside, per-sheet reports and failures."""

    frame: pl.DataFrame
    rejected: pl.DataFrame
    sheets: list[SheetReport]
    failures: list[FileFailure]


@dataclass
class _Table:
    frame: pl.DataFrame
    rejected: pl.DataFrame
    report: SheetReport
    title_lines: list[str]


def _raw_sheets(path: Path, fmt: str, wanted: str | None, failures: list[FileFailure]) -> list[RawSheet]:
    if wanted is not None and fmt not in (sniff.XLSX, sniff.XLSB, sniff.XLS, sniff.ODS):
        raise InputFileError(str(path), f"sheet {wanted!r} asked for, but a {fmt} file has no sheets")
    if fmt == sniff.CSV:
        sheets = [text.read_text(path)]
    elif fmt == sniff.HTML:
        sheets = [text.read_html(path)]
    elif fmt == sniff.PARQUET:
        sheets = [text.read_parquet(path)]
    else:
        reader = excel.open_workbook(path, fmt)
        names: list[str] = list(reader.sheet_names)
        if wanted is not None:
            chosen = [n for n in names if n.strip().lower() == wanted.strip().lower()]
            if not chosen:
                raise InputFileError(str(path), f"no sheet named {wanted!r} (sheets: {', '.join(names)})")
            names = chosen
        sheets = []
        for name in names:
            try:
                sheets.append(excel.read_sheet(reader, path, name, fmt))
            except InputFileError as exc:
                failures.append(FileFailure(str(path), exc.reason, sheet=name))
    return sheets


def _numeric_flags(frame: pl.DataFrame, raw: RawSheet, header: Header) -> pl.DataFrame:
    """Add <field>_numeric_cell for every ID field found, and exact digits where the reader rounded."""
    id_columns = {c.field: c.index for c in header.columns if c.field in schema.ID_FIELDS}
    types = raw.cell_types(list(id_columns.values())) if raw.cell_types and id_columns else {}
    for fld, index in id_columns.items():
        flag = schema.numeric_cell_flag(fld)
        found = types.get(index)
        if found is None:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Boolean).alias(flag))
            continue
        found = found.rename({ROW: schema.SOURCE_ROW, "numeric": flag, "exact": "__exact"})
        frame = frame.join(found, on=schema.SOURCE_ROW, how="left", maintain_order="left")
        frame = frame.with_columns(
            pl.when(pl.col(flag) & pl.col("__exact").is_not_null() & pl.col(fld).is_not_null())
            .then(pl.col("__exact"))
            .otherwise(pl.col(fld))
            .alias(fld)
        ).drop("__exact")
    return frame


def _table(raw: RawSheet, header: Header, given: str, fmt: str) -> _Table:
    body = raw.grid.filter(pl.col(ROW) > header.last_row)
    classified = classify(body, header)
    data = classified.filter(pl.col(REASON).is_null())
    extras = extra_names(header, body)
    frame = _numeric_flags(data.select(canonical(header, extras)), raw, header)
    rejected = classified.filter(pl.col(REASON).is_not_null()).select(
        pl.lit(given).alias(schema.SOURCE_FILE),
        pl.lit(raw.name, dtype=pl.Utf8).alias(schema.SOURCE_SHEET),
        pl.col(ROW).alias(schema.SOURCE_ROW),
        pl.col(REASON).alias("reason"),
        pl.col(CONTENT).alias("content"),
    )
    notes = [*raw.notes, *header.all_notes()]
    if raw.hidden:
        notes.append("hidden sheet")
    report = SheetReport(
        path=given,
        sheet=raw.name,
        format=fmt,
        header_row=header.last_row,
        mapping=header.mapping,
        ignored=[c.label for c in header.columns if c.field is None and c.label is not None],
        data_rows=data.height,
        blank_rows=body.height - classified.height,
        layout_rows=rejected.height,
        desa_code=None,
        desa_source=None,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        notes=notes,
        columns=column_letters(header, extras),
        mapping_explained=header.explained(),
        mapping_summary=header.summary(),
    )
    return _Table(frame, rejected, report, header.title_lines)


def _filled_cells(grid: pl.DataFrame) -> int:
    return int(sum(grid[c].count() for c in data_columns(grid)))


def _load_file(
    path: Path, given: str, config: Config, wanted: str | None, regency: str | None, fmt: str | None = None
) -> tuple[list[_Table], list[FileFailure]]:
    fmt = fmt or sniff.sniff_format(path)  # sniffed again only to raise the reason it failed
    tables: list[_Table] = []
    failures: list[FileFailure] = []
    skipped: list[str] = []
    headless: list[str] = []
    for raw in _raw_sheets(path, fmt, wanted, failures):
        if fmt == sniff.PARQUET:  # column names are the header by definition
            header = header_at_first_row(raw.grid, config.columns)
        else:
            header = detect_header(raw.grid, config.columns)
        if header is None:
            cells = _filled_cells(raw.grid)
            label = raw.name or path.name
            if cells <= _FEW_CELLS:
                skipped.append(f"sheet {label!r} skipped: {'empty' if cells == 0 else f'only {cells} cells'}")
            else:
                headless.append(label)
            continue
        tables.append(_table(raw, header, given, fmt))
    if not tables and failures:
        return [], [FileFailure(given, f.reason, f.sheet) for f in failures]
    if not tables and not headless:
        what = (
            "the file holds"
            if fmt in (sniff.CSV, sniff.PARQUET, sniff.HTML)
            else "every sheet is empty or holds"
        )
        raise InputFileError(given, f"no table found: {what} only a few cells")
    if not tables:
        where = (
            f" in sheet {headless[0]!r}"
            if len(headless) == 1 and fmt not in (sniff.CSV, sniff.PARQUET)
            else ""
        )
        raise InputFileError(
            given, f"no recognisable header{where} (needs a name or NIK column and one more)"
        )
    tables[0].report.notes.extend(skipped)
    tables[0].report.notes.extend(f"sheet {name!r} skipped: no recognisable header" for name in headless)
    if all(t.report.data_rows == 0 for t in tables):
        raise InputFileError(given, f"no data rows under the header (row {tables[0].report.header_row})")
    _assign_desa(tables, path, regency)
    return tables, [FileFailure(given, f.reason, f.sheet) for f in failures]


def _assign_desa(tables: list[_Table], path: Path, regency: str | None) -> None:
    combined = pl.concat([t.frame for t in tables], how="diagonal")
    title = [line for t in tables for line in t.title_lines]
    guess = detect_desa(combined, path, title, regency)
    for t in tables:
        t.report.desa_code, t.report.desa_source = guess.code, guess.source
        t.report.proposal = says_proposal([path.stem, t.report.sheet, *t.title_lines])
        t.frame = t.frame.with_columns(pl.lit(guess.code, dtype=pl.Utf8).alias(schema.SOURCE_DESA_CODE))
        if guess.note:
            t.report.notes.append(guess.note)


def _with_provenance(table: _Table, position: int) -> pl.DataFrame:
    return table.frame.with_columns(
        pl.lit(position, dtype=pl.Int64).alias(FILE),
        pl.lit(table.report.path).alias(schema.SOURCE_FILE),
        pl.lit(table.report.sheet, dtype=pl.Utf8).alias(schema.SOURCE_SHEET),
    )


def _sniffed(path: Path) -> str | None:
    try:
        return sniff.sniff_format(path)
    except InputFileError:
        return None  # the per-file path sniffs again and reports why


def _in_order(frames: list[pl.DataFrame], empty: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    """Frames carrying FILE (a position in the batch), as one frame in batch order, without FILE."""
    if not frames:
        return pl.DataFrame(schema=empty)
    frame = pl.concat(frames, how="diagonal")
    if not frame[FILE].is_sorted():
        frame = frame.sort(FILE, maintain_order=True)  # stable: sheets keep their workbook order
    return frame.drop(FILE)


@dataclass
class LoadedPieces:
    """What a share of a batch read, before assembly: every piece tagged with its position in the batch.

    Pieces of several shares (read in other processes) assemble into exactly the frame one
    ``load_tables`` over the whole batch gives: stacked frames first, then the rest, in batch order.
    """

    stacked: list[pl.DataFrame]
    frames: list[pl.DataFrame]
    rejected: list[pl.DataFrame]
    reports: list[tuple[int, SheetReport]]
    failures: list[tuple[int, FileFailure]]


def read_pieces(
    paths: str | Path | Sequence[str | Path],
    config: Config | None = None,
    *,
    sheet: str | None = None,
    regency: str | None = None,
    progress: Progress | None = None,
    positions: Sequence[int] | None = None,
) -> LoadedPieces:
    """Read ``paths`` (at ``positions`` of a batch; by default 0, 1, ...) into pieces for ``assemble``."""
    config = config or Config()
    regency = regency or config.regency
    items = as_items(paths)  # one path or many
    at = list(positions) if positions is not None else list(range(len(items)))

    formats = [_sniffed(Path(p)) for p in items]
    tick = file_counter(progress, "load", len(items))

    def one(position: int) -> tuple[list[_Table], list[FileFailure]]:
        item = items[position]
        try:
            return _load_file(Path(item), str(item), config, sheet, regency, formats[position])
        except InputFileError as exc:
            return [], [FileFailure(path=str(item), reason=exc.reason, sheet=exc.sheet)]
        except Exception as exc:  # one broken file must never stop a batch
            return [], [FileFailure(path=str(item), reason=f"cannot read: {type(exc).__name__}: {exc}")]
        finally:
            tick()

    stackable = [
        (at[i], Path(p), str(p)) for i, p in enumerate(items) if sheet is None and formats[i] == sniff.PARQUET
    ]
    stacked = load_stacked(stackable, config, regency)
    index = {position: i for i, position in enumerate(at)}
    done = {index[i] for i, _, _ in stackable} - {index[i] for i in stacked.one_by_one}
    for _ in done:
        tick()
    singles = [i for i in range(len(items)) if i not in done]
    # Readers and polars release the GIL for the heavy parts, so a few threads overlap the files'
    # I/O and parsing; results keep the order of the paths.
    workers = min(_MAX_THREADS, len(singles)) if len(singles) > 1 else 1
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(one, singles))
    else:
        results = [one(i) for i in singles]
    pieces = LoadedPieces(
        list(stacked.frames), [], list(stacked.rejected), list(stacked.reports), list(stacked.failures)
    )
    for i, (found, failed) in zip(singles, results, strict=True):
        position = at[i]
        pieces.frames.extend(_with_provenance(t, position) for t in found)
        pieces.rejected.extend(
            t.rejected.with_columns(pl.lit(position, dtype=pl.Int64).alias(FILE)) for t in found
        )
        pieces.reports.extend((position, t.report) for t in found)
        pieces.failures.extend((position, f) for f in failed)
    return pieces


def assemble(shares: Sequence[LoadedPieces]) -> LoadResult:
    """One LoadResult, in batch order, from the pieces of every share of the batch."""
    # Stacked frames first, as one read of the whole batch has them: the extra columns keep their order.
    stacked = [f for p in shares for f in p.stacked]
    frame = _in_order([*stacked, *(f for p in shares for f in p.frames)], FRAME_SCHEMA)
    reports = [r for p in shares for r in p.reports]
    failures = [f for p in shares for f in p.failures]
    return LoadResult(
        frame=frame.select(provenance_order(frame.columns)),
        rejected=_in_order([r for p in shares for r in p.rejected], REJECTED_SCHEMA).select(
            list(REJECTED_SCHEMA)
        ),
        sheets=[r for _, r in sorted(reports, key=lambda item: item[0])],
        failures=[f for _, f in sorted(failures, key=lambda item: item[0])],
    )


def load_tables(
    paths: str | Path | Sequence[str | Path],
    config: Config | None = None,
    *,
    sheet: str | None = None,
    regency: str | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Read every file into one stage-1 frame; a file that cannot be read becomes a FileFailure.

    ``progress`` is told ``("load", done, total)`` as each file is read.

    Parquet files go through the stacked path (one pass for all files with the same columns); the
    others, and any Parquet file that path hands back, are read one by one.
    """
    return assemble([read_pieces(paths, config, sheet=sheet, regency=regency, progress=progress)])


def load_table(
    path: str | Path, config: Config | None = None, *, sheet: str | None = None, regency: str | None = None
) -> LoadResult:
    """load_tables for one file."""
    return load_tables([path], config, sheet=sheet, regency=regency)
