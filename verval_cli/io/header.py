"""Find the header row (or two-row header) of a sheet and map its columns to canonical fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from verval_cli import schema
from verval_cli.io.column_choice import AMBIGUOUS, Choice, choose, value_problem
from verval_cli.io.columns import (
    clean_label,
    header_role,
    inert_key,
    names_nothing,
    read_header,
    target_fields,
)
from verval_cli.io.grid import ROW, col_index, col_name, column_letter, data_columns
from verval_cli.io.header_words import HEAD, OTHER, PERSON, Reading

SCAN_ROWS = 40  # non-blank rows searched for the header
_MIN_FIELDS = 2

Cell = str | None


@dataclass
class HeaderColumn:
    """One grid column under a header."""

    index: int  # absolute 0-based column index
    label: str | None  # header as typed (line breaks collapsed); None when the column has no header
    field: str | None  # canonical field or combined pseudo-field; None: kept as extra
    rule: str | None = None  # how the field was found (exact synonym, tokens+abbreviation, config, ...)
    reason: str | None = None  # why a header that names a field was left unmapped
    kind: str | None = None  # "ambiguous" or "ruled out" when reason is set
    rivals: list[str] = dataclasses.field(default_factory=list)  # the columns it competed with
    reading: Reading | None = None  # what its header says, before columns were weighed against each other


@dataclass
class Header:
    """Where the header is and what its columns mean."""

    first_row: int
    last_row: int
    columns: list[HeaderColumn]
    title_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    column_notes: list[str] = field(default_factory=list)  # columns left unmapped and why

    def all_notes(self) -> list[str]:
        return [*self.notes, *self.column_notes]

    @property
    def mapping(self) -> dict[str, str]:
        return {c.label: c.field for c in self.columns if c.label is not None and c.field is not None}

    def fields(self) -> set[str]:
        return {f for c in self.columns if c.field for f in target_fields(c.field)}

    def explained(self) -> list[dict[str, object]]:
        """Per labelled column: field, rule, why unmapped, competing columns (for ``inspect``)."""
        return [
            {
                "column": column_letter(c.index),
                "header": c.label,
                "field": c.field,
                "rule": c.rule,
                "unmapped": c.kind if c.field is None and c.reason else (None if c.field else "extra"),
                "reason": c.reason,
                "competing": list(c.rivals),
            }
            for c in self.columns
            if c.label is not None
        ]

    def summary(self) -> str:
        """ "17 of 21 columns mapped, 2 left unmapped as ambiguous, 2 kept as extra"."""
        labelled = [c for c in self.columns if c.label is not None]
        mapped = sum(c.field is not None for c in labelled)
        ambiguous = sum(c.field is None and c.kind == AMBIGUOUS for c in labelled)
        ruled_out = sum(c.field is None and c.reason is not None and c.kind != AMBIGUOUS for c in labelled)
        extra = len(labelled) - mapped - ambiguous - ruled_out
        parts = [f"{mapped} of {len(labelled)} columns mapped"]
        if ambiguous:
            parts.append(f"{ambiguous} left unmapped as ambiguous")
        if ruled_out:
            parts.append(f"{ruled_out} ruled out")
        parts.append(f"{extra} kept as extra")
        return ", ".join(parts)


def _single(row: Sequence[Cell]) -> list[list[str]]:
    return [[clean_label(v)] if v else [] for v in row]


def _double_parts(top: Sequence[Cell], bottom: Sequence[Cell]) -> list[tuple[str | None, str | None]]:
    """(upper, lower) label per column of a two-row header; a merged group label spreads over its group."""
    out: list[tuple[str | None, str | None]] = []
    group: str | None = None
    for t, b in zip(top, bottom, strict=True):
        if t:
            group = clean_label(t) if b else None
        elif not b:
            group = None
        out.append((clean_label(t) if t else group, clean_label(b) if b else None))
    return out


def _double(parts: Sequence[tuple[str | None, str | None]]) -> list[list[str]]:
    """Candidate labels per column of a two-row header (see _double_parts)."""
    out: list[list[str]] = []
    for upper, lower in parts:
        if lower is not None and upper:
            out.append([lower, f"{upper} {lower}", f"{upper} / {lower}"])
        elif lower is not None:
            out.append([lower])
        elif upper:
            out.append([upper])
        else:
            out.append([])
    return out


@lru_cache(maxsize=1 << 16)
def _inert(upper: str | None, lower: str | None) -> bool:
    """Whether no candidate label of a column (upper, lower, both joined) can name a field.

    Kept per pair: the first rows of a sheet repeat their cells (blanks, "L"/"P", RT numbers) many times.
    """
    keys = [inert_key(part) for part in (upper, lower) if part is not None]
    if any(key is None for key in keys):
        return False
    return len(keys) < 2 or names_nothing("".join(k for k in keys if k is not None))


def _inert_columns(
    parts: Sequence[tuple[str | None, str | None]], overrides: Mapping[str, str] | None
) -> list[bool]:
    """Per column, whether it is data that names nothing (see _inert); none is without settings to check."""
    return [False] * len(parts) if overrides else [_inert(upper, lower) for upper, lower in parts]


def _with_group_role(options: list[str], reading: Reading, overrides: Mapping[str, str] | None) -> Reading:
    """A sub-column's reading with the role its group label gives it ("KEPALA KELUARGA" over "NAMA")."""
    if len(options) < 2 or reading.role is not None or reading.strength == 3:
        return reading
    role = header_role(options[1])
    if role in (HEAD, PERSON):
        return dataclasses.replace(reading, role=role)
    if role == OTHER:  # "IBU" over "NAMA" / "NIK": the mother's name, or nobody's field here
        combined = read_header(options[1], overrides)
        if combined.field == schema.MOTHER_NAME:
            return combined
        return Reading(
            None, reading.rule, OTHER, reason=f"another person's {reading.field} (group '{options[1]}')"
        )
    return reading


def _read(options: list[str], overrides: Mapping[str, str] | None) -> tuple[str | None, Reading]:
    """The label and reading of one column: the first candidate label that names a field wins."""
    fallback: tuple[str | None, Reading] = (options[-1] if options else None, Reading(None))
    for n, option in enumerate(options):
        reading = read_header(option, overrides)
        if reading.field is not None:
            return option, _with_group_role(options, reading, overrides) if n == 0 else reading
        if reading.reason is not None or reading.strength == 3:
            fallback = (option, reading) if fallback[1].reason is None else fallback
    return fallback


_NOTHING: tuple[list[Choice], int] = ([], 0)  # a row whose columns name nothing: no header, score 0


def _resolve(
    candidates: list[list[str]], overrides: Mapping[str, str] | None, inert: Sequence[bool] | None = None
) -> tuple[list[Choice], int]:
    """Each column's choice and the number of distinct fields mapped (_NOTHING when no column names one).

    ``inert`` columns read as nothing without being read (they would be: see _inert).
    """
    nothing = [False] * len(candidates) if inert is None else inert
    read = [
        (options[-1] if options else None, Reading(None)) if skip else _read(options, overrides)
        for options, skip in zip(candidates, nothing, strict=True)
    ]
    if all(reading.field is None for _, reading in read):
        return _NOTHING
    choices = choose([label for label, _ in read], [reading for _, reading in read])
    taken = {f for c in choices if c.field for f in target_fields(c.field)}
    return choices, len(taken)


def _acceptable(resolved: list[Choice]) -> bool:
    fields = {f for c in resolved if c.field for f in target_fields(c.field)}
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
    singles = [
        _resolve(
            _single(row),
            overrides,
            _inert_columns([(None, clean_label(v) if v else None) for v in row], overrides),
        )
        for row in rows
    ]
    best: tuple[int, int, int, list[Choice]] | None = None  # score, top, bottom
    for i, (resolved, score) in enumerate(singles):
        if _acceptable(resolved) and (best is None or score > best[0]):
            best = (score, i, i, resolved)
        if i + 1 < len(rows) and numbers[i + 1] == numbers[i] + 1:
            # A two-row header must add fields to both of its rows read alone (a title merged over the
            # header, or a row of column numbers under it, adds none).
            parts = _double_parts(rows[i], rows[i + 1])
            resolved, score = _resolve(_double(parts), overrides, _inert_columns(parts, overrides))
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
    header.columns, header.column_notes = _columns(cols, resolved)
    check_values(header, _rows_after(grid, header.last_row))
    return header


def _columns(cols: list[str], resolved: list[Choice]) -> tuple[list[HeaderColumn], list[str]]:
    out: list[HeaderColumn] = []
    notes: list[str] = []
    for name, c in zip(cols, resolved, strict=True):
        index = col_index(name)
        wanted = c.reading.field
        if c.field is None and c.label is not None and wanted is not None and c.reason is not None:
            if c.reason.startswith("same header repeated"):
                notes.append(
                    f"column {column_letter(index)} '{c.label}' also maps to {wanted}; kept as extra:{c.label}"
                )
            elif c.kind == AMBIGUOUS:
                notes.append(
                    f"column {column_letter(index)} '{c.label}' also maps to {wanted}; {c.reason}: left unmapped "
                    f"(set it in verval.toml [columns])"
                )
            else:
                notes.append(f"column {column_letter(index)} '{c.label}' not taken as {wanted}: {c.reason}")
        elif c.field is None and c.label is not None and c.reading.reason is not None and wanted is None:
            notes.append(f"column {column_letter(index)} '{c.label}' left unmapped: {c.reason}")
        out.append(
            HeaderColumn(
                index=index,
                label=c.label,
                field=c.field,
                rule=c.reading.rule if c.field or c.reading.strength == 3 else None,  # config may say "extra"
                reason=c.reason,
                kind=c.kind,
                rivals=list(c.rivals),
                reading=c.reading,
            )
        )
    return out, notes


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
    header.columns, header.column_notes = _columns(cols, resolved)
    check_values(header, _rows_after(grid, first))
    return header


_VALUE_ROWS = 200  # rows under the header whose values are checked against their field


def _rows_after(grid: pl.DataFrame, row: int) -> pl.DataFrame:
    """The first rows under ``row`` (grid rows are in sheet order: no pass over a million-row grid)."""
    start = int(grid[ROW].search_sorted(row, side="right"))
    return grid.slice(start, _VALUE_ROWS)


def check_values(header: Header, body: pl.DataFrame) -> None:
    """Weigh the columns again without those whose values cannot be their field (a 3-digit KDDESA is no
    desa code), so that a column fitting the field can take it; config entries are trusted."""
    head = body.head(_VALUE_ROWS)
    readings: list[Reading] = []
    changed = False
    for c in header.columns:
        reading = c.reading or Reading(None)
        name = col_name(c.index)
        if reading.field is not None and reading.strength < 3 and name in head.columns:
            problem = value_problem(reading.field, head[name].drop_nulls())
            if problem is not None:
                reading = Reading(None, reading.rule, reading.role, reason=problem, strength=reading.strength)
                changed = True
        readings.append(reading)
    if changed:
        choices = choose([c.label for c in header.columns], readings)
        header.columns, header.column_notes = _columns([col_name(c.index) for c in header.columns], choices)
