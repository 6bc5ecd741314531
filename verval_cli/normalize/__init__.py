"""Stage 2: turn the loader's raw text into clean, typed columns (see ``verval_cli.schema``).

``normalize_frame`` is the one entry point for tables; the ``normalize_*_text`` functions run the very
same expressions on a one-row frame, for tests, fuzzing and notebooks.

Example::

    >>> normalize_nik_text("3.30403E+15")["nik_status"]
    'excel_damaged'
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, overload

import polars as pl

from verval_cli import schema
from verval_cli.config import Config
from verval_cli.normalize import misc
from verval_cli.normalize.dates import normalize_birth_date
from verval_cli.normalize.names import normalize_name
from verval_cli.normalize.names import output_columns as name_output_columns
from verval_cli.normalize.nik import normalize_id, numeric_cell_expr
from verval_cli.normalize.nik import output_columns as id_output_columns
from verval_cli.normalize.status import VOCABULARY, normalize_status

__all__ = [
    "VOCABULARY",
    "normalize_date_text",
    "normalize_frame",
    "normalize_name_text",
    "normalize_nik_text",
    "normalize_no_kk_text",
    "normalize_status_text",
    "normalize_value",
]

NAME_FIELDS = (schema.NAME, schema.NAME_CORRECTED, schema.MOTHER_NAME)

_Compute = Callable[[pl.LazyFrame], pl.LazyFrame]


def _from_columns(build: Callable[[], dict[str, pl.Expr]]) -> _Compute:
    return lambda lf: lf.with_columns(**build())


def _via_unique(lf: pl.LazyFrame, base: pl.LazyFrame, field: str, compute: _Compute) -> pl.LazyFrame:
    """Normalise each distinct raw value once and join back: statuses, dates and names repeat a lot.

    The distinct values come from ``base`` (the input as given), so each lookup table is planned on
    its own instead of re-running every earlier normalisation step.
    """
    raw = f"{field}_raw"
    table = compute(base.select(pl.col(field).cast(pl.Utf8).alias(raw)).unique())
    return lf.drop(field).join(table, on=raw, how="left", nulls_equal=True, maintain_order="left")


def _plan(
    field: str, config: Config, today: date, frame_schema: pl.Schema
) -> tuple[_Compute, tuple[str, ...], bool]:
    """How to normalise ``field``: the computation, its output columns, and whether to dedupe first."""
    raw = f"{field}_raw"
    if field in (schema.NIK, schema.NIK_CORRECTED):
        flag = numeric_cell_expr(field, frame_schema)
        return (
            (lambda lf: normalize_id(lf, field, "nik", today, flag)),
            id_output_columns(field, "nik"),
            False,
        )
    if field == schema.NO_KK:
        flag = numeric_cell_expr(field, frame_schema)
        return (
            (lambda lf: normalize_id(lf, field, "no_kk", today, flag)),
            id_output_columns(field, "no_kk"),
            False,
        )
    if field in NAME_FIELDS:
        return (lambda lf: normalize_name(lf, field)), name_output_columns(field), True
    if field == schema.BIRTH_DATE:
        return (lambda lf: normalize_birth_date(lf, field, today)), (raw, field, f"{field}_status"), True
    if field == schema.STATUS:
        return (lambda lf: normalize_status(lf, field, config.status)), (raw, field), True
    if field == schema.SEX:
        return _from_columns(lambda: misc.sex_columns(field)), (raw, field), True
    if field in (schema.RT, schema.RW):
        word = "RT|RW" if field == schema.RT else "RW|RT"
        build = lambda: misc.small_number_columns(field, word, dtype=pl.Int32(), low=1, high=9999)  # noqa: E731
        return _from_columns(build), (raw, field), True
    if field == schema.DESIL:
        build = lambda: misc.small_number_columns(field, "DESIL", dtype=pl.Int8(), low=1, high=10)  # noqa: E731
        return _from_columns(build), (raw, field), True
    if field == schema.REGION_CODE:
        return _from_columns(lambda: misc.region_code_columns(field)), (raw, field), True
    # household_id / individual_id: mostly unique, so no dedupe
    numeric = numeric_cell_expr(field, frame_schema)
    return _from_columns(lambda: misc.id_text_columns(field, numeric)), (raw, field), False


NORMALISED_FIELDS = (
    schema.NIK,
    schema.NIK_CORRECTED,
    schema.NO_KK,
    *NAME_FIELDS,
    schema.BIRTH_DATE,
    schema.STATUS,
    schema.SEX,
    schema.RT,
    schema.RW,
    schema.DESIL,
    schema.REGION_CODE,
    schema.HOUSEHOLD_ID,
    schema.INDIVIDUAL_ID,
)


def _normalize_lazy(lf: pl.LazyFrame, config: Config, today: date) -> pl.LazyFrame:
    base = lf
    frame_schema = lf.collect_schema()
    names = frame_schema.names()
    produced: dict[str, tuple[str, ...]] = {}
    parts: list[pl.LazyFrame] = []
    for field in NORMALISED_FIELDS:
        # a field whose _raw column exists was normalised already; leave it alone
        if field not in names or f"{field}_raw" in names:
            continue
        compute, outputs, dedupe = _plan(field, config, today, frame_schema)
        # Each field is normalised on a narrow frame (its text and its numeric-cell flag), so lookups
        # joined back and intermediate columns never carry the table's other columns along.
        flag = schema.numeric_cell_flag(field)
        narrow = lf.select(
            pl.col(field),
            *([pl.col(flag)] if flag in names else []),
            pl.col(field).cast(pl.Utf8).alias(f"{field}_raw"),
        )
        narrow = _via_unique(narrow, base, field, compute) if dedupe else compute(narrow)
        parts.append(narrow.select(outputs))
        produced[field] = outputs
    order: list[str] = []
    for name in names:
        order.extend(produced.get(name, (name,)))
    if parts:
        lf = pl.concat([lf.drop(list(produced)), *parts], how="horizontal")
    if schema.NOTES in names and "status_source" not in names:
        lf = _status_from_notes(lf, base, config, has_status=schema.STATUS in names)
        order.extend([] if schema.STATUS in names else [schema.STATUS])
        order.append("status_source")
    return lf.select(order)


_NOTE_STATUSES = [s for s in schema.STATUSES if s not in (schema.UNKNOWN, schema.MISSING)]


def _status_from_notes(
    lf: pl.LazyFrame, base: pl.LazyFrame, config: Config, *, has_status: bool
) -> pl.LazyFrame:
    """Take the verval result from the remarks when the status cell is empty or there is no status column.

    Operators often write "Meninggal" or "Pindah" under KETERANGAN and leave the status column empty;
    only remarks that are a recognised status count, and ``status_source`` says where it came from.
    """
    # Remarks repeat ("Meninggal", "Pindah", ...): each distinct one is read once, on a narrow frame.
    raw = pl.col(schema.NOTES).cast(pl.Utf8).alias("__notes_raw")
    table = normalize_status(base.select(raw).unique(), "__notes", config.status)
    notes = base.select(raw).join(
        table, on="__notes_raw", how="left", nulls_equal=True, maintain_order="left"
    )
    lf = pl.concat([lf, notes], how="horizontal")
    from_notes = pl.col("__notes").is_in(_NOTE_STATUSES)
    current = pl.col(schema.STATUS) if has_status else pl.lit(schema.MISSING)
    use_notes = (current == schema.MISSING) & from_notes
    return lf.with_columns(
        pl.when(use_notes).then(pl.col("__notes")).otherwise(current).alias(schema.STATUS),
        pl.when(use_notes)
        .then(pl.lit("notes"))
        .when(pl.lit(has_status) & (current != schema.MISSING))
        .then(pl.lit("status"))
        .alias("status_source"),
    ).drop("__notes_raw", "__notes")


@overload
def normalize_frame(
    frame: pl.DataFrame, config: Config | None = None, *, today: date | None = None
) -> pl.DataFrame: ...
@overload
def normalize_frame(
    frame: pl.LazyFrame, config: Config | None = None, *, today: date | None = None
) -> pl.LazyFrame: ...
def normalize_frame(
    frame: pl.DataFrame | pl.LazyFrame, config: Config | None = None, *, today: date | None = None
) -> pl.DataFrame | pl.LazyFrame:
    """Add stage-2 columns for every canonical field present; other columns and row order are kept.

    ``today`` decides two-digit years (20YY up to this year, else 19YY) and which birth dates are in
    the future; it defaults to ``date.today()``.
    """
    config = config or Config()
    today = today or date.today()
    if isinstance(frame, pl.LazyFrame):
        return _normalize_lazy(frame, config, today)
    # The joins leave some columns in several chunks and others in one; polars realigns such a frame
    # on every later eager step (a copy of all its columns each time), so it is realigned once here.
    return _normalize_lazy(frame.lazy(), config, today).collect().rechunk()


def normalize_value(
    field: str,
    text: str | None,
    *,
    numeric_cell: bool | None = None,
    config: Config | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Normalise one value of ``field`` exactly as ``normalize_frame`` would; returns its stage-2 columns."""
    data: dict[str, pl.Series] = {field: pl.Series(field, [text], dtype=pl.Utf8)}
    if field in schema.ID_FIELDS:
        flag = schema.numeric_cell_flag(field)
        data[flag] = pl.Series(flag, [numeric_cell], dtype=pl.Boolean)
    out = normalize_frame(pl.DataFrame(data), config, today=today)
    row = out.row(0, named=True)
    return {k: v for k, v in row.items() if k != schema.numeric_cell_flag(field)}


def normalize_nik_text(
    text: str | None, numeric_cell: bool | None = None, *, today: date | None = None
) -> dict[str, Any]:
    """``nik_raw``, ``nik``, ``nik_status``, ``nik_lo``/``nik_hi`` and the decoded parts of one NIK."""
    return normalize_value(schema.NIK, text, numeric_cell=numeric_cell, today=today)


def normalize_no_kk_text(
    text: str | None, numeric_cell: bool | None = None, *, today: date | None = None
) -> dict[str, Any]:
    """The stage-2 columns of one No KK."""
    return normalize_value(schema.NO_KK, text, numeric_cell=numeric_cell, today=today)


def normalize_name_text(text: str | None) -> dict[str, Any]:
    """``name``, ``name_titles``, ``name_deceased_title``, ``name_patronym``, ``name_key`` of one name."""
    return normalize_value(schema.NAME, text)


def normalize_date_text(text: str | None, *, today: date | None = None) -> dict[str, Any]:
    """``birth_date`` (a ``date`` or None) and ``birth_date_status`` of one typed date."""
    return normalize_value(schema.BIRTH_DATE, text, today=today)


def normalize_status_text(text: str | None, config: Config | None = None) -> str:
    """The canonical status (one of ``schema.STATUSES``) of one verval result."""
    return str(normalize_value(schema.STATUS, text, config=config)[schema.STATUS])
