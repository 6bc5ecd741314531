"""What every reader hands back for one table: its report, failures, and the canonical column set."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from verval_cli import schema
from verval_cli.io.columns import COMBINED, split_combined, target_fields
from verval_cli.io.grid import ROW, col_name, column_letter
from verval_cli.io.header import Header

REJECTED_SCHEMA = {
    schema.SOURCE_FILE: pl.Utf8,
    schema.SOURCE_SHEET: pl.Utf8,
    schema.SOURCE_ROW: pl.Int64,
    "reason": pl.Utf8,
    "content": pl.Utf8,
}
FRAME_SCHEMA = {
    schema.SOURCE_FILE: pl.Utf8,
    schema.SOURCE_SHEET: pl.Utf8,
    schema.SOURCE_ROW: pl.Int64,
    schema.SOURCE_DESA_CODE: pl.Utf8,
}


@dataclass
class SheetReport:
    """What was read from one (file, sheet) that yielded a table."""

    path: str
    sheet: str | None
    format: str
    header_row: int | None
    mapping: dict[str, str]
    ignored: list[str]
    data_rows: int
    blank_rows: int
    layout_rows: int
    desa_code: str | None
    desa_source: str | None
    encoding: str | None
    delimiter: str | None
    notes: list[str] = field(default_factory=list)
    # canonical field (or extra:<header>) -> Excel column letter; for text files the 1-based column
    # number as a letter (A, B, ...). Both fields of a combined column (RT/RW) name the same letter.
    columns: dict[str, str] = field(default_factory=dict)
    # Per labelled column: field, rule, why unmapped, competing columns (Header.explained), and a summary.
    mapping_explained: list[dict[str, object]] = field(default_factory=list)
    mapping_summary: str | None = None
    # the file name, sheet name or title says USULAN: a list of new proposals, not a verval result
    proposal: bool = False


@dataclass
class FileFailure:
    """A file (or sheet) that could not be read, with a one-line reason."""

    path: str
    reason: str
    sheet: str | None = None


def extra_names(header: Header, body: pl.DataFrame) -> dict[int, str]:
    """Output names of the columns kept as extra:<header>, made unique."""
    names: dict[int, str] = {}
    used: Counter[str] = Counter()
    for c in header.columns:
        if c.field is not None:
            continue
        if c.label is None:
            if body[col_name(c.index)].null_count() == body.height:
                continue  # no header and no data: nothing to keep
            label = f"(column {column_letter(c.index)})"
        else:
            label = c.label
        used[label] += 1
        names[c.index] = f"{schema.EXTRA_PREFIX}{label}" + (f" ({used[label]})" if used[label] > 1 else "")
    return names


def column_letters(header: Header, extras: dict[int, str]) -> dict[str, str]:
    letters: dict[str, str] = {}
    for c in header.columns:
        if c.field is not None:
            letters.update(dict.fromkeys(target_fields(c.field), column_letter(c.index)))
        elif c.index in extras:
            letters[extras[c.index]] = column_letter(c.index)
    return letters


def canonical(header: Header, extras: dict[int, str]) -> list[pl.Expr]:
    exprs: list[pl.Expr] = [pl.col(ROW).alias(schema.SOURCE_ROW)]
    for c in header.columns:
        source = col_name(c.index)
        if c.field in COMBINED:
            exprs.extend(split_combined(c.field, source))
        elif c.field is not None:
            exprs.append(pl.col(source).alias(c.field))
        elif c.index in extras:
            exprs.append(pl.col(source).alias(extras[c.index]))
    return exprs


def provenance_order(columns: list[str]) -> list[str]:
    """The stage-1 column order: provenance, canonical fields, numeric-cell flags, extras."""
    canonical_fields = [c for c in schema.CANONICAL_FIELDS if c in columns]
    flags = [schema.numeric_cell_flag(f) for f in schema.ID_FIELDS if schema.numeric_cell_flag(f) in columns]
    extras = [c for c in columns if c.startswith(schema.EXTRA_PREFIX)]
    return [*FRAME_SCHEMA, *canonical_fields, *flags, *extras]
