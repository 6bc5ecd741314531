"""Find the header row (or two-row header) of a sheet and map its columns to canonical fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from verval_cli import schema
from verval_cli.io.columns import clean_label, map_header, target_fields
from verval_cli.io.grid import ROW, col_index, column_letter, data_columns

SCAN_ROWS = 40  # non-blank rows searched for the header
_MIN_FIELDS = 2

Cell = str | None


@dataclass
class HeaderColumn:
    """One grid column under a header."""

    index: int  # absolute 0-based column index
    label: str | None  # header as typed (line breaks collapsed); None when the column has no header
    field: str | None  # canonical field or combined pseudo-field; None: kept as extra


@dataclass
class Header:
    """Where the header is and what its columns mean."""

    first_row: int
    last_row: int
    columns: list[HeaderColumn]
    title_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def mapping(self) -> dict[str, str]:
        return {c.label: c.field for c in self.columns if c.label is not None and c.field is not None}

    def fields(self) -> set[str]:
        return {f for c in self.columns if c.field for f in target_fields(c.field)}


def _single(row: Sequence[Cell]) -> list[list[str]]:
    return [[clean_label(v)] if v else [] for v in row]


def _double(top: Sequence[Cell], bottom: Sequence[Cell]) -> list[list[str]]:
    """Candidate labels per column for a two-row header; a merged group label spreads over its group."""
    out: list[list[str]] = []
    group: str | None = None
    for t, b in zip(top, bottom, strict=True):
        if t:
            group = clean_label(t) if b else None
        elif not b:
            group = None
        upper = clean_label(t) if t else group
        if b and upper:
            lower = clean_label(b)
            out.append([lower, f"{upper} {lower}", f"{upper} / {lower}"])
        elif b:
            out.append([clean_label(b)])
        elif upper:
            out.append([upper])
        else:
            out.append([])
    return out


def _resolve(
    candidates: list[list[str]], overrides: Mapping[str, str] | None
) -> tuple[list[tuple[str | None, str | None]], int]:
    """(label, field) per column and the number of distinct fields mapped."""
    resolved: list[tuple[str | None, str | None]] = []
    taken: set[str] = set()
    for options in candidates:
        label: str | None = options[-1] if options else None
        found: str | None = None
        for option in options:
            mapped = map_header(option, overrides)
            if mapped is not None:
                label, found = option, mapped
                break
        if found is not None:
            targets = set(target_fields(found))
            if targets & taken:
                found = None  # a later column for a field already filled: kept as extra
            else:
                taken |= targets
        resolved.append((label, found))
    return resolved, len(taken)


def _acceptable(resolved: list[tuple[str | None, str | None]]) -> bool:
    fields = {f for _, fld in resolved if fld for f in target_fields(fld)}
    return bool(fields & {schema.NAME, schema.NIK}) and len(fields) >= _MIN_FIELDS


def detect_header(grid: pl.DataFrame, overrides: Mapping[str, str] | None = None) -> Header | None:
    """The best-scoring header among the first non-blank rows, or None when no row is a header."""
    cols = data_columns(grid)
    if not cols:
        return None
    head = (
        grid.head(SCAN_ROWS * 25)
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cols))
        .head(SCAN_ROWS)
    )
    rows = head.select(cols).rows()
    numbers: list[int] = head[ROW].to_list()
    singles = [_resolve(_single(row), overrides) for row in rows]
    best: tuple[int, int, int, list[tuple[str | None, str | None]]] | None = None  # score, top, bottom
    for i, (resolved, score) in enumerate(singles):
        if _acceptable(resolved) and (best is None or score > best[0]):
            best = (score, i, i, resolved)
        if i + 1 < len(rows) and numbers[i + 1] == numbers[i] + 1:
            # A two-row header must add fields to both of its rows read alone (a title merged over the
            # header, or a row of column numbers under it, adds none).
            resolved, score = _resolve(_double(rows[i], rows[i + 1]), overrides)
            if _acceptable(resolved) and score > max(
                singles[i][1], singles[i + 1][1], best[0] if best else 0
            ):
                best = (score, i, i + 1, resolved)
    if best is None:
        return None
    _, top, last, resolved = best
    header = Header(first_row=numbers[top], last_row=numbers[last], columns=[])
    if last != top:
        header.notes.append(f"header spans rows {numbers[top]}-{numbers[last]} (merged)")
    header.title_lines = [" ".join(v for v in r if v) for r in rows[:top]]
    header.columns = _columns(cols, resolved, header.notes, overrides)
    return header


def _columns(
    cols: list[str],
    resolved: list[tuple[str | None, str | None]],
    notes: list[str],
    overrides: Mapping[str, str] | None,
) -> list[HeaderColumn]:
    out: list[HeaderColumn] = []
    for name, (label, found) in zip(cols, resolved, strict=True):
        index = col_index(name)
        if found is None and label is not None:
            wanted = map_header(label, overrides)
            if wanted is not None:
                notes.append(
                    f"column {column_letter(index)} '{label}' also maps to {wanted}; kept as extra:{label}"
                )
        out.append(HeaderColumn(index=index, label=label, field=found))
    return out


def header_at_first_row(grid: pl.DataFrame, overrides: Mapping[str, str] | None = None) -> Header | None:
    """The header of a table whose first row is its column names (Parquet): no scan, no title block."""
    cols = data_columns(grid)
    if not cols or grid.height == 0:
        return None
    resolved, _ = _resolve(_single(grid.head(1).select(cols).row(0)), overrides)
    if not _acceptable(resolved):
        return None
    first = int(grid[ROW][0])
    header = Header(first_row=first, last_row=first, columns=[])
    header.columns = _columns(cols, resolved, header.notes, overrides)
    return header
