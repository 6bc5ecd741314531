"""The review sheets' "why" column (Alasan), written from ``ReconcileResult.review_reasons``.

One sentence per review row, in the workbook's language: the two households that fit almost equally
well and the gap between them, a score under the accept threshold, or the row that already owns the
household. The words are the catalogue's (``verval_cli.messages``), the same as ``verval explain``'s.
"""

from __future__ import annotations

import re

import polars as pl

from verval_cli.messages import text
from verval_cli.result import ReconcileResult

WHY: str = "_alasan"
_FIELD = re.compile(r"\{(\w+)\}")


def _sentence(template: str, values: dict[str, pl.Expr]) -> pl.Expr:
    """``template``'s ``{name}`` fields filled from text expressions, as one polars expression."""
    parts: list[pl.Expr] = []
    at = 0
    for found in _FIELD.finditer(template):
        parts += [pl.lit(template[at : found.start()]), values[found.group(1)]]
        at = found.end()
    parts.append(pl.lit(template[at:]))
    return pl.concat_str(parts)


def _one(column: str) -> pl.Expr:
    return pl.col(column).round(1).cast(pl.Utf8).fill_null("-")


def why_column(result: ReconcileResult, lang: str) -> pl.DataFrame:
    """(``submission_index``, ``_alasan``) for the run's review rows that have a reason."""
    reasons = result.review_reasons
    if reasons.height == 0 or "reason" not in reasons.columns:
        return pl.DataFrame(schema={"submission_index": pl.Int64, WHY: pl.Utf8})
    sheet = pl.when(pl.col("rival_sheet").is_not_null()).then(
        pl.concat_str(pl.lit(" [sheet "), pl.col("rival_sheet"), pl.lit("]"))
    )
    owner = pl.concat_str(
        pl.col("rival_file").str.replace(r"^.*[\\/]", ""),
        sheet.fill_null(""),
        pl.lit(" " + text("exp_row", lang, file="", sheet="", row="").strip() + " "),
        pl.col("rival_row").cast(pl.Utf8),
    )
    values = {
        "row": pl.col("province_row").cast(pl.Utf8).fill_null("-"),
        "score": _one("score"),
        "accept": _one("accept"),
        "review": _one("review"),
        "margin": _one("margin"),
        "rival_row": pl.col("rival_row").cast(pl.Utf8).fill_null("-"),
        "rival_score": _one("rival_score"),
        "gap": pl.col("gap").round(2).cast(pl.Utf8).fill_null("-"),
        "owner": owner.fill_null("-"),
    }
    sentence = (
        pl.when((pl.col("reason") == "rival") & pl.col("rival_row").is_null())
        .then(_sentence(text("exp_sheet_rival_unnamed", lang), values))
        .when(pl.col("reason") == "rival")
        .then(_sentence(text("exp_why_rival", lang), values))
        .when(pl.col("reason") == "taken")
        .then(_sentence(text("exp_sheet_taken", lang), values))
        .when(pl.col("rival_row").is_not_null())
        .then(_sentence(text("exp_sheet_low_score_rival", lang), values))
        .otherwise(_sentence(text("exp_why_low_score", lang), values))
    )
    return reasons.select(pl.col("submission_index").cast(pl.Int64), sentence.alias(WHY))
