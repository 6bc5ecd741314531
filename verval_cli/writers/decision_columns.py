"""The decision columns of the review sheets: a dropdown, the household chosen, a note, and hidden keys.

The officer fills them in ``laporan_verval.xlsx`` (or a village's workbook); the next ``verval reconcile``
reads them back (:func:`verval_cli.decisions.read_decisions`). The hidden columns carry the row's content
key, desa, place and the household it was proposed to, under headers that are the same in every language.
A decision this run applied is shown filled in, so the next workbook carries it on.
"""

from __future__ import annotations

import polars as pl
from xlsxwriter.workbook import Workbook

from verval_cli.decisions import (
    COLUMN_LABELS,
    DECISION_LABELS,
    KEY_HEADERS,
    SAME,
    UNLINKED,
    household_refs,
    row_keys,
)
from verval_cli.result import ReconcileResult
from verval_cli.writers.excel_style import Col, text_of

_HIDDEN = {
    "row_key": "_dk_row_key",
    "desa_code": "_dk_desa_code",
    "proposed_id": "_dk_proposed_id",
    "submission_file": "_dk_file",
    "submission_sheet": "_dk_sheet",
    "submission_row": "_dk_row",
}
_FILLED = ("_dk_decision", "_dk_target", "_dk_note")


def _linked_refs(province: pl.DataFrame, indexes: pl.Series) -> pl.DataFrame:
    """The reference (decisions.household_refs) of the listed households at ``indexes``, as ``_dk_ref``."""
    listed = province.filter(pl.col("province_index").is_in(indexes.drop_nulls().implode()))
    listed = listed.select(
        pl.col("province_index").cast(pl.Int64),
        *(text_of(listed, c).alias(c) for c in ("household_id", "nik")),
    )
    return listed.select("province_index", household_refs(listed, "household_id", "nik").alias("_dk_ref"))


def with_decision_columns(
    frame: pl.DataFrame, result: ReconcileResult, lang: str
) -> tuple[pl.DataFrame, list[Col]]:
    """``frame`` (rows of matches.parquet) with the decision columns, and those columns to append.

    A row with no submission row (a listed household nobody reported) gets no key and cannot be decided.
    """
    if "province_index" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("province_index"))
    subs = result.submissions
    side = subs.select(
        pl.col("submission_index").cast(pl.Int64),
        *(
            pl.col(c).cast(pl.Utf8).alias(f"_dk_{c}")
            for c in ("desa_code", "nik", "name")
            if c in subs.columns
        ),
    )
    for c in ("desa_code", "nik", "name"):
        if f"_dk_{c}" not in side.columns:
            side = side.with_columns(pl.lit(None, dtype=pl.Utf8).alias(f"_dk_{c}"))
    joined = frame.join(side, on="submission_index", how="left", maintain_order="left").join(
        _linked_refs(result.province, frame["province_index"]),
        on="province_index",
        how="left",
        maintain_order="left",
    )
    keys = row_keys(joined, "_dk_desa_code", "_dk_nik", "_dk_name")
    labels = DECISION_LABELS[lang]
    decided, named, note = (
        pl.col(c) if c in frame.columns else pl.lit(None, dtype=pl.Utf8)
        for c in ("decision", "decision_province_id", "decision_note")
    )
    out = joined.with_columns(
        pl.when(pl.col("submission_index").is_not_null()).then(keys).alias("_dk_row_key"),
        pl.col("submission_file").alias("_dk_file"),
        pl.col("submission_sheet").alias("_dk_sheet"),
        pl.col("submission_row").cast(pl.Int64).alias("_dk_row"),
        # What the row is proposed to now; for a decision applied, the household it was decided against.
        pl.when(pl.col("submission_index").is_null())
        .then(None)
        .when(decided.is_null())
        .then(pl.col("_dk_ref").fill_null(UNLINKED))
        .when(decided != SAME)
        .then(named.fill_null(UNLINKED))
        .alias("_dk_proposed_id"),
        decided.replace_strict(labels, default=None, return_dtype=pl.Utf8).alias("_dk_decision"),
        pl.when(decided == SAME).then(named).alias("_dk_target"),
        note.cast(pl.Utf8).alias("_dk_note"),
    ).drop("_dk_nik", "_dk_name", "_dk_ref")
    return out, decision_cols(lang)


def decision_cols(lang: str) -> list[Col]:
    """The decision columns a review sheet ends with: three the officer fills, then the hidden keys."""
    words = COLUMN_LABELS[lang]
    return [
        Col("_dk_decision", words["decision"]),
        Col("_dk_target", words["target"], "id"),
        Col("_dk_note", words["note"]),
        *(
            Col(key, KEY_HEADERS[name], "int" if name == "submission_row" else "text")
            for name, key in _HIDDEN.items()
        ),
    ]


def finish_decision_sheets(
    workbook: Workbook, names: list[str], columns: list[Col], rows: int, max_rows: int, lang: str
) -> None:
    """On each sheet written: the dropdown on the decision column, the key columns hidden."""
    keys = [c.key for c in columns]
    if "_dk_decision" not in keys:
        return
    decision_at = keys.index("_dk_decision")
    hidden = [keys.index(k) for k in _HIDDEN.values()]
    choices = list(DECISION_LABELS[lang].values())
    for part, name in enumerate(names):
        ws = workbook.get_worksheet_by_name(name)
        if ws is None:  # pragma: no cover - write_table returned the names it added
            continue
        for c in hidden:
            ws.set_column(c, c, None, None, {"hidden": True})
        height = min(max_rows, rows - part * max_rows)
        if height > 0:
            ws.data_validation(
                1,
                decision_at,
                height,
                decision_at,
                {"validate": "list", "source": choices, "ignore_blank": True},
            )
