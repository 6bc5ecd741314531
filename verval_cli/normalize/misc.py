"""Small fields: sex, RT/RW, desil, the desa code and the province's household / individual IDs."""

from __future__ import annotations

from typing import Final

import polars as pl

from verval_cli import schema
from verval_cli.normalize.nik import clean_id_text

# Compared after upper-casing and dropping everything but letters and digits ("Laki-laki" -> "LAKILAKI").
SEX_CODES: Final[dict[str, str]] = {
    **dict.fromkeys(("L", "LK", "LAKILAKI", "LAKI", "PRIA", "LELAKI", "1"), "L"),
    **dict.fromkeys(("P", "PR", "PRP", "PEREMPUAN", "WANITA", "2"), "P"),
}

_INVISIBLE = r"[\s\u200B-\u200D\u2060\uFEFF]"
_NUMBER_FROM_FLOAT = r"^(\d+)[.,]0+$"


def _text(field: str) -> pl.Expr:
    return pl.col(f"{field}_raw").cast(pl.Utf8).str.normalize("NFKC").str.to_uppercase()


def sex_columns(field: str) -> dict[str, pl.Expr]:
    """``sex`` ('L' / 'P' or null) from ``sex_raw``."""
    key = _text(field).str.replace(r"^\s*(\d+)[.,]0+\s*$", "$1").str.replace_all(r"[^A-Z0-9]", "")
    return {field: key.replace_strict(SEX_CODES, default=None, return_dtype=pl.Utf8)}


def small_number_columns(
    field: str, word: str, *, dtype: pl.DataType, low: int, high: int
) -> dict[str, pl.Expr]:
    """A small integer typed as "003", "RT 03", "03.", "Desil 2", "3.0"; null when not a number in range.

    ``RT/RW`` text such as "003/004" gives the RT to ``rt`` and the RW to ``rw``.
    """
    text = _text(field).str.replace_all(_INVISIBLE, "")
    text = text.str.replace(rf"^(?:{word})[.:\-]*", "").str.replace(r"[.,]0*$", "")
    pair = text.str.extract_groups(r"^(?P<first>\d{1,4})/(?P<second>\d{1,4})$")
    part = "second" if field == schema.RW else "first"
    digits = pl.coalesce(pair.struct.field(part), text.str.extract(r"^(\d{1,4})$", 1))
    number = digits.str.to_integer(strict=False)
    return {field: pl.when((number >= low) & (number <= high)).then(number).cast(dtype)}


def region_code_columns(field: str) -> dict[str, pl.Expr]:
    """The 10-digit desa code without dots; null unless exactly 10 digits remain."""
    text = _text(field).str.replace_all(_INVISIBLE, "").str.replace(r"^['`]+", "")
    digits = text.str.replace(_NUMBER_FROM_FLOAT, "$1").str.replace_all(r"[.\-]", "")
    return {field: pl.when(digits.str.contains(r"^\d{10}$")).then(digits)}


def id_text_columns(field: str, numeric_flag: pl.Expr) -> dict[str, pl.Expr]:
    """An ID kept as text: apostrophe and whitespace stripped, ".0" dropped when the cell was a number."""
    text = clean_id_text(pl.col(f"{field}_raw").cast(pl.Utf8))
    # CSV gives no cell type (null flag): "12345.0" there also means the value went through a float
    cleaned = (
        pl.when(numeric_flag.fill_null(True)).then(text.str.replace(_NUMBER_FROM_FLOAT, "$1")).otherwise(text)
    )
    return {field: pl.when(cleaned != "").then(cleaned)}
