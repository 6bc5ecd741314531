"""The one check type of both commands, and the finding row every check produces.

A check is data: a code, the field it marks, a condition over a frame of rows, and the values a finding
shows. Every check, of ``verval reconcile`` or ``verval validate``, yields rows of ``RAW_SCHEMA``; each
command then renders its public table from them (severity and messages from :mod:`verval_cli.codes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import polars as pl

from verval_cli import schema
from verval_cli.codes import Code, Command, catalogue_of

# A finding before a command renders it: where (file, sheet, row), what (field, code), the values shown.
RAW_SCHEMA: dict[str, pl.DataType] = {
    schema.SOURCE_FILE: pl.Utf8(),
    schema.SOURCE_SHEET: pl.Utf8(),
    schema.SOURCE_ROW: pl.Int64(),
    "field": pl.Utf8(),
    "code": pl.Utf8(),
    "value": pl.Utf8(),  # what the row holds, as typed
    "listed": pl.Utf8(),  # what the province list holds
    "suggested": pl.Utf8(),  # the value to put instead
    "detail": pl.Utf8(),  # context: the other rows of a duplicate, what the NIK says, the listed desa
}

# The columns naming a finding's row, in the order of RAW_SCHEMA's first three; None: no row (null).
Where = Sequence[str | None]

Rows = TypeVar("Rows", pl.DataFrame, pl.LazyFrame)


def _text(expr: pl.Expr | None) -> pl.Expr:
    return pl.lit(None, dtype=pl.Utf8) if expr is None else expr.cast(pl.Utf8)


def finding_rows(
    hits: Rows,
    code: Code,
    field: str | None,
    *,
    value: pl.Expr | None = None,
    listed: pl.Expr | None = None,
    suggested: pl.Expr | None = None,
    detail: pl.Expr | None = None,
    where: Where = schema.PROVENANCE,
    carry: Sequence[pl.Expr] = (),
) -> Rows:
    """One finding of ``code`` per row of ``hits`` (RAW_SCHEMA, then the ``carry`` columns)."""
    located = [
        (pl.lit(None) if column is None else pl.col(column)).cast(dtype).alias(name)
        for column, (name, dtype) in zip(where, list(RAW_SCHEMA.items())[:3], strict=True)
    ]
    return hits.select(
        *located,
        pl.lit(field, dtype=pl.Utf8).alias("field"),
        pl.lit(code.value).alias("code"),
        _text(value).alias("value"),
        _text(listed).alias("listed"),
        _text(suggested).alias("suggested"),
        _text(detail).alias("detail"),
        *carry,
    )


@dataclass(frozen=True)
class Check:
    """One named check: where ``when`` holds, a finding of ``code`` about ``field`` showing the values."""

    code: Code
    field: str | None
    when: pl.Expr
    value: pl.Expr | None = None  # the row's value, as typed
    listed: pl.Expr | None = None  # the province list's value
    suggested: pl.Expr | None = None  # the value to put instead
    detail: pl.Expr | None = None  # context

    def reads(self) -> frozenset[str]:
        """The columns the check reads."""
        exprs = (self.when, self.value, self.listed, self.suggested, self.detail)
        return frozenset(name for expr in exprs if expr is not None for name in expr.meta.root_names())

    def findings(
        self, rows: Rows, *, where: Where = schema.PROVENANCE, carry: Sequence[pl.Expr] = ()
    ) -> Rows:
        """A finding (RAW_SCHEMA, then ``carry``) for each of ``rows`` where the check's condition holds."""
        hits = rows.filter(self.when.fill_null(False))
        return finding_rows(
            hits,
            self.code,
            self.field,
            value=self.value,
            listed=self.listed,
            suggested=self.suggested,
            detail=self.detail,
            where=where,
            carry=carry,
        )


def described(command: Command) -> list[pl.Expr]:
    """``severity``, ``message_id`` and ``message_en`` of each finding's code, as ``command`` shows them."""
    infos = catalogue_of(command)

    def column(name: str) -> pl.Expr:
        mapping = {code.value: str(getattr(info, name)) for code, info in infos.items()}
        return pl.col("code").replace_strict(mapping, return_dtype=pl.Utf8).alias(name)

    return [column("severity"), column("message_id"), column("message_en")]
