"""Discrepancy checks of a reconcile, as data: each is a code, a field, a condition and the values to show.

The checks run over the *linked frame*: one row per submission row, with the row's own columns
(``s_*``), its link (``match_status``, ``role``, comparison levels) and the linked household's and
person's columns (``h_*``, ``p_*``, null when unlinked).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from verval_cli import schema
from verval_cli.check import Check, described, finding_rows
from verval_cli.codes import Code, Command
from verval_cli.io import SheetReport
from verval_cli.matching.rules import DIFFERS, FAMILY, HIGH, LOW, MEDIUM, NEAR, PARTIAL
from verval_cli.submission_status import counts_without_status, files_without_status

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.Utf8(),
    "severity": pl.Utf8(),
    "submission_file": pl.Utf8(),
    "submission_sheet": pl.Utf8(),
    "submission_row": pl.Int64(),
    "province_id": pl.Utf8(),
    "province_row": pl.Int64(),
    "desa_code": pl.Utf8(),
    "field": pl.Utf8(),
    "submitted_value": pl.Utf8(),
    "list_value": pl.Utf8(),
    "suggested_value": pl.Utf8(),
    "message_id": pl.Utf8(),
    "message_en": pl.Utf8(),
}


def _row(field: str) -> pl.Expr:
    """The submission row's own ``field`` in the linked frame."""
    return pl.col(schema.ROW_SIDE + field)


def _household(field: str) -> pl.Expr:
    """The linked household's ``field`` (null when unlinked)."""
    return pl.col(schema.HOUSEHOLD_SIDE + field)


def _person(field: str) -> pl.Expr:
    """The linked person's ``field`` (null when unlinked, or linked through the head's row)."""
    return pl.col(schema.PERSON_SIDE + field)


_linked = pl.col(schema.H_IDX).is_not_null()
_primary = _linked & (pl.col(schema.ROLE) == schema.PRIMARY)
# The row was compared with a listed person (a family member linked through its head's row was not).
_compared = _linked & pl.col(schema.T_IDX).is_not_null()
_head_changed = pl.col(schema.HEAD_CHANGED).fill_null(False)
_list_nik = _person(schema.NIK)
_nik_bad = _row("nik_status").is_in(["invalid_format", "impossible_date"])
_dates_known = _row(schema.BIRTH_DATE).is_not_null() & _person(schema.BIRTH_DATE).is_not_null()
_sexes_known = _row(schema.SEX).is_not_null() & _person(schema.SEX).is_not_null()
# A household listed in the file's own desa is never "in another village", whatever a row's desa cell says.
# The file's desa is the one it names, or, for a file that names none, the one its linked rows showed
# (the desa filled in for all its rows).
_file_desa = (
    pl.when(_row(schema.DESA_INFERRED).fill_null(False))
    .then(_row(schema.DESA_CODE))
    .otherwise(_row(schema.SOURCE_DESA_CODE))
)
_own_desa = (_household(schema.DESA_CODE) == _file_desa).fill_null(False)
# A file of one desa reporting a household the list places in another desa: the household was found
# in another village, whether or not its own village reported it too (primary, secondary or member).
_elsewhere = (_household(schema.DESA_CODE) != _file_desa).fill_null(False)
_own_id_elsewhere = (
    _row(schema.HOUSEHOLD_ID).is_not_null()
    & pl.col(schema.ON_LIST).fill_null(False)
    & (
        _household(schema.HOUSEHOLD_ID).is_null()
        | (_household(schema.HOUSEHOLD_ID) != _row(schema.HOUSEHOLD_ID))
    )
)

SUBMISSION_CHECKS: tuple[Check, ...] = (
    Check(Code.NIK_MISSING, "nik", _row("nik_status") == "missing", suggested=_list_nik),
    Check(Code.NIK_INVALID, "nik", _nik_bad, _row("nik_raw"), _list_nik, _list_nik),
    Check(
        Code.NIK_EXCEL_DAMAGED,
        "nik",
        _row("nik_status") == "excel_damaged",
        _row("nik_raw"),
        _list_nik,
        _list_nik,
    ),
    Check(
        Code.NIK_DIFFERS,
        "nik",
        _compared & (pl.col(schema.level_column("nik")).is_in([NEAR, DIFFERS, FAMILY])) & ~_head_changed,
        _row(schema.NIK),
        _list_nik,
        # one edit away, or another member's NIK on this person's row: the list's NIK is the fix
        pl.when(pl.col(schema.level_column("nik")).is_in([NEAR, FAMILY])).then(_list_nik),
    ),
    Check(
        Code.NAME_DIFFERS,
        "name",
        _compared
        & pl.col(schema.level_column("name")).is_in([HIGH, PARTIAL, MEDIUM, LOW, DIFFERS])
        & ~_head_changed,
        _row("name_raw"),
        _person("name_raw"),
    ),
    Check(
        Code.KK_DIFFERS,
        "no_kk",
        _linked & (pl.col(schema.level_column("kk")) == DIFFERS),
        _row(schema.NO_KK),
        _household(schema.NO_KK),
    ),
    Check(
        Code.BIRTHDATE_DIFFERS,
        "birth_date",
        _compared & _dates_known & (_row(schema.BIRTH_DATE) != _person(schema.BIRTH_DATE)) & ~_head_changed,
        _row(schema.BIRTH_DATE).cast(pl.Utf8),
        _person(schema.BIRTH_DATE).cast(pl.Utf8),
    ),
    Check(
        Code.SEX_DIFFERS,
        "sex",
        _compared & _sexes_known & (_row(schema.SEX) != _person(schema.SEX)) & ~_head_changed,
        _row(schema.SEX),
        _person(schema.SEX),
    ),
    Check(
        Code.HEAD_CHANGED,
        "name",
        # (matching.head_after_death keeps it on a row that does not report the household only with
        # the family card's evidence, or when the same file reports the listed head as deceased)
        _compared & _head_changed,
        _row("name_raw"),
        _person("name_raw"),
    ),
    Check(
        Code.DUPLICATE_IN_SUBMISSION,
        None,
        # again in the same file, or again by its own desa in another of the desa's files (one per RW)
        _linked
        & (pl.col(schema.ROLE) == schema.SECONDARY)
        & ((pl.col(schema.PRIMARY_FILE) == _row(schema.SOURCE_FILE)) | _own_desa),
        listed=pl.format("baris {}", pl.col(schema.PRIMARY_ROW)),
    ),
    Check(
        Code.IN_OTHER_VILLAGE,
        "desa",
        _linked
        & (
            _elsewhere
            | (
                (
                    (pl.col(schema.ROLE) == schema.SECONDARY)
                    & (pl.col(schema.PRIMARY_FILE) != _row(schema.SOURCE_FILE))
                )
                | (pl.col(schema.level_column("desa")) == DIFFERS)
            )
            & ~_own_desa
        ),
        _row(schema.DESA_CODE),
        _household(schema.DESA_CODE),
    ),
    Check(
        Code.ID_CONFLICT,
        "household_id",
        _own_id_elsewhere | (_compared & pl.col(schema.ID_CONFLICT).fill_null(False)),
        _row(schema.HOUSEHOLD_ID),
        _household(schema.HOUSEHOLD_ID),
        _household(schema.HOUSEHOLD_ID),
    ),
    Check(Code.STATUS_MISSING, "status", _row(schema.STATUS) == "missing"),
    Check(Code.STATUS_UNKNOWN, "status", _row(schema.STATUS) == "unknown", _row("status_raw")),
    Check(
        Code.REVIEW_NEEDED,
        None,
        _primary & (pl.col(schema.MATCH_STATUS) == schema.REVIEW),
        listed=pl.col(schema.EVIDENCE),
    ),
    Check(Code.NEW_HOUSEHOLD, None, ~_linked & (_row(schema.STATUS) == "new")),
    # no status column at all (a recipient list): an unlinked row is still not on the list
    Check(Code.NOT_ON_LIST, None, ~_linked & (_row(schema.STATUS) != "new").fill_null(True)),
)


_WHERE = (
    schema.ROW_SIDE + schema.SOURCE_FILE,
    schema.ROW_SIDE + schema.SOURCE_SHEET,
    schema.ROW_SIDE + schema.SOURCE_ROW,
)
_ROW_COLUMNS = (*_WHERE, schema.S_IDX)
_PROVINCE_ID = schema.HOUSEHOLD_SIDE + schema.HOUSEHOLD_ID
_PROVINCE_ROW = schema.HOUSEHOLD_SIDE + schema.SOURCE_ROW
_LISTED_DESA = schema.HOUSEHOLD_SIDE + schema.DESA_CODE
_ROW_DESA = schema.ROW_SIDE + schema.DESA_CODE
_LINK_COLUMNS = (_PROVINCE_ID, _PROVINCE_ROW, _LISTED_DESA, _ROW_DESA)
# What a finding about a submission row shows of the row's link.
_LINK = (
    _household(schema.HOUSEHOLD_ID).alias("province_id"),
    _household(schema.SOURCE_ROW).cast(pl.Int64).alias("province_row"),
    pl.coalesce(_LISTED_DESA, _ROW_DESA).alias("desa_code"),
)


def columns_read() -> frozenset[str]:
    """The linked frame's columns the checks read: a caller may join only these."""
    names = set(_ROW_COLUMNS) | set(_LINK_COLUMNS)
    for check in SUBMISSION_CHECKS:
        names.update(check.reads())
    return frozenset(names)


def rendered(raw: pl.LazyFrame, *keep: str) -> pl.LazyFrame:
    """Raw findings (with the link columns) as the discrepancies table (FINDING_SCHEMA, then ``keep``)."""
    return raw.with_columns(described(Command.RECONCILE)).select(
        "code",
        "severity",
        pl.col(schema.SOURCE_FILE).alias("submission_file"),
        pl.col(schema.SOURCE_SHEET).alias("submission_sheet"),
        pl.col(schema.SOURCE_ROW).alias("submission_row"),
        "province_id",
        "province_row",
        "desa_code",
        "field",
        pl.col("value").alias("submitted_value"),
        pl.col("listed").alias("list_value"),
        pl.col("suggested").alias("suggested_value"),
        "message_id",
        "message_en",
        *keep,
    )


def submission_findings(linked: pl.DataFrame, *, keep_index: bool = False) -> pl.DataFrame:
    """Every finding about submission rows, in row order then check order.

    ``keep_index`` keeps ``s_idx`` (the row's index in the linked frame) as a last column.
    """
    # One plan: each check reads only its own columns, and the checks run in parallel. A column the
    # input never had (no NIK column: no nik_raw) reads as null.
    absent = sorted(columns_read() - set(linked.columns))
    declared = schema.linked_schema(frozenset(absent))
    # (A flag reads as a null flag, anything else as null text.)
    rows = linked.lazy().with_columns(
        pl.lit(None, dtype=pl.Boolean if declared[c] == pl.Boolean else pl.Utf8).alias(c) for c in absent
    )
    frames = [
        check.findings(
            rows, where=_WHERE, carry=(*_LINK, pl.col(schema.S_IDX), pl.lit(order).alias("_order"))
        )
        for order, check in enumerate(SUBMISSION_CHECKS)
    ]
    found = rendered(pl.concat(frames).sort(schema.S_IDX, "_order"), schema.S_IDX).collect()
    wanted: dict[str, pl.DataType] = {**FINDING_SCHEMA, **({schema.S_IDX: pl.Int64()} if keep_index else {})}
    return found.select(list(wanted)).cast(pl.Schema(wanted)) if found.height else pl.DataFrame(schema=wanted)


def province_findings(unreported: pl.DataFrame) -> pl.DataFrame:
    """``missing_from_submission`` for each listed household no submission row matched."""
    name = pl.col("name_raw") if "name_raw" in unreported.columns else None
    raw = finding_rows(
        unreported.lazy(),
        Code.MISSING_FROM_SUBMISSION,
        None,
        listed=name,
        where=(None, None, None),
        carry=(
            pl.col("household_id").alias("province_id"),
            pl.col("source_row").cast(pl.Int64).alias("province_row"),
            pl.col("desa_code"),
        ),
    )
    return rendered(raw).collect()


def status_column_findings(matches: pl.DataFrame, sheets: Sequence[SheetReport]) -> pl.DataFrame:
    """One ``status_column_missing`` finding per file without a status column (rows counted in it)."""
    counts = counts_without_status(matches, files_without_status(sheets))
    if not counts:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    files = pl.DataFrame(
        [{schema.SOURCE_FILE: path, **found} for path, found in counts.items()],
        schema={
            schema.SOURCE_FILE: pl.Utf8,
            "rows": pl.Int64,
            "new": pl.Int64,
            "not_on_list": pl.Int64,
            "desa_code": pl.Utf8,
        },
    )
    raw = finding_rows(
        files.lazy(),
        Code.STATUS_COLUMN_MISSING,
        schema.STATUS,
        value=pl.format("{} baris", "rows"),
        listed=pl.format("{} usulan baru, {} tidak ada dalam daftar", "new", "not_on_list"),
        where=(schema.SOURCE_FILE, None, None),
        carry=(
            pl.lit(None, pl.Utf8).alias("province_id"),
            pl.lit(None, pl.Int64).alias("province_row"),
            pl.col("desa_code"),
        ),
    )
    return rendered(raw).collect()
