"""NIK and No KK: clean the text, detect Excel damage, validate the structure, decode the NIK.

A NIK is ``PP KK CC DDMMYY SSSS`` (province, regency, district of first issue, birth date with day + 40
for women, serial); a No KK is ``PP KK CC DDMMYY SSSS`` with the registration date. Neither has a check
digit. Excel damage is *detected and bounded* (``<field>_lo`` / ``<field>_hi``), never "repaired": the
true number can only be recovered by matching against the province list.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

import polars as pl
from lokal.provinces import PROVINCES

from verval_cli import schema
from verval_cli.normalize.dates import century_year, ymd_to_date

IdKind = Literal["nik", "no_kk"]

PROVINCE_CODES: Final[tuple[str, ...]] = tuple(sorted(PROVINCES))
_PROVINCE_NUMBERS: Final[tuple[int, ...]] = tuple(int(code) for code in PROVINCE_CODES)
FLOAT_EXACT_LIMIT: Final = 2**53  # above this a float64 cannot hold every integer
SIXTEEN_MIN: Final = 10**15
SIXTEEN_MAX: Final = 10**16 - 1
DAMAGE_MARGIN: Final = 10  # a numeric cell's 16th digit is unreliable: +-10 covers it

# Compared after upper-casing and dropping all but letters and digits ("N/A" -> "NA", "-" -> "").
PLACEHOLDERS: Final = (
    "",
    "TIDAKADA",
    "TDKADA",
    "BELUMADA",
    "BLMADA",
    "TIDAKPUNYA",
    "BELUMPUNYA",
    "TIDAKMEMILIKI",
    "BELUMMEMILIKI",
    "BELUMREKAM",
    "TIDAKTAHU",
    "NA",
    "NIHIL",
    "KOSONG",
    "NULL",
    "NONE",
    "NAN",
    "X",
    "XX",
)

_INVISIBLE = r"[\s\u200B-\u200D\u2060\uFEFF]"
_LEADING_QUOTES = r"^['`‘’]+"
_SEPARATORS = r"[.\-‐‑‒–—―−_,]"
# Scientific text as Excel shows a numeric cell: 3.30403E+15, 3,30403E+15, 3.304031508950E+015.
_SCIENTIFIC = r"^(?P<lead>[0-9])(?:[.,](?P<frac>[0-9]*))?E\+?0*(?P<exp>[0-9]{1,3})$"
# A value that passed through a float: 3304031508950001.0 / 3304031508950001,0.
_FLOAT_SUFFIX = r"^[0-9]{16}[.,]0+$"


# Full-width forms an IME can produce; NFKC would cover them but costs ~5x more on a million IDs.
_FULL_WIDTH: Final[dict[str, str]] = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "\uff0e": ".",
    "\uff0c": ",",
    "\uff0b": "+",
    "\uff0d": "-",
    "\uff25": "E",
    "\uff45": "E",
}


def clean_id_text(raw: pl.Expr) -> pl.Expr:
    """Identifier text without whitespace (NBSP and zero-width included) or a leading apostrophe."""
    return raw.str.replace_many(_FULL_WIDTH).str.replace_all(_INVISIBLE, "").str.replace(_LEADING_QUOTES, "")


def numeric_cell_expr(field: str, frame_schema: pl.Schema) -> pl.Expr:
    """Was ``field`` stored as a number: its ``_numeric_cell`` column, True for a numeric dtype, else null."""
    flag = schema.numeric_cell_flag(field)
    if flag in frame_schema:
        return pl.col(flag).cast(pl.Boolean)
    if field in frame_schema and frame_schema[field].is_numeric():
        return pl.lit(True)
    return pl.lit(None, pl.Boolean)


def _tmp(field: str, name: str) -> str:
    return f"__verval[{field}]{name}"


def _clip16(value: pl.Expr) -> pl.Expr:
    return value.clip(SIXTEEN_MIN, SIXTEEN_MAX)


def _max_day(month: pl.Expr) -> pl.Expr:
    # February 29 is accepted for every year: a NIK's two-digit year does not say whether it was leap.
    return pl.when(month == 2).then(29).when(month.is_in([4, 6, 9, 11])).then(30).otherwise(31)


def output_columns(field: str, kind: IdKind) -> tuple[str, ...]:
    """The stage-2 columns produced for ``field``, in order (``<field>_raw`` first)."""
    common = (f"{field}_raw", field, f"{field}_status", f"{field}_lo", f"{field}_hi", f"{field}_region")
    if kind == "nik":
        return (*common, f"{field}_sex", f"{field}_birth_date")
    return common


def normalize_id(
    lf: pl.LazyFrame, field: str, kind: IdKind, today: date, numeric_flag: pl.Expr | None = None
) -> pl.LazyFrame:
    """Add the stage-2 columns of a NIK-like ``field`` from ``<field>_raw``.

    ``numeric_flag`` (Boolean, null = unknown) says the cell was stored as a number; by default the
    ``<field>_numeric_cell`` column when there is one.
    """

    def t(name: str) -> str:
        return _tmp(field, name)

    raw = pl.col(f"{field}_raw").cast(pl.Utf8)
    if numeric_flag is None:
        numeric_flag = numeric_cell_expr(field, lf.collect_schema())

    # Most IDs are typed as 16 plain digits: those skip the cleaning below. The other rows are cleaned
    # through columns that are null on the plain ones, which the string kernels pass over.
    lf = lf.with_columns(raw.str.contains(r"^[0-9]{16}$").fill_null(False).alias(t("plain")))
    plain = pl.col(t("plain"))
    lf = lf.with_columns(clean_id_text(pl.when(~plain).then(raw)).str.to_uppercase().alias(t("text")))
    s = pl.col(t("text"))  # null on plain rows
    float_suffix = s.str.contains(_FLOAT_SUFFIX).fill_null(False)
    lf = lf.with_columns(
        s.str.replace_all(r"[^\p{L}\p{N}]", "").alias(t("key")),
        s.str.extract_groups(_SCIENTIFIC).alias(t("sci")),
        float_suffix.alias(t("float")),
        pl.when(float_suffix)
        .then(s.str.replace(r"[.,]0+$", ""))
        .otherwise(s)
        .str.replace_all(_SEPARATORS, "")
        .alias(t("typed")),
    )
    key, typed = pl.col(t("key")), pl.col(t("typed"))  # null on plain rows
    digits = pl.when(plain).then(raw).otherwise(typed)
    lf = lf.with_columns(
        digits.alias(t("digits")),
        (plain | typed.str.contains(r"^[0-9]{16}$").fill_null(False)).alias(t("is16")),
        (plain | typed.str.contains(r"^[0-9]+$").fill_null(False)).alias(t("is_digits")),
    )
    digits, is16 = pl.col(t("digits")), pl.col(t("is16"))
    lf = lf.with_columns(pl.when(is16).then(digits.str.to_integer(strict=False)).alias(t("value")))
    value = pl.col(t("value"))  # PP KK CC DD MM YY SSSS as one integer: the parts below are arithmetic
    lead = pl.col(t("sci")).struct.field("lead")
    frac = pl.col(t("sci")).struct.field("frac").fill_null("")
    exponent = pl.col(t("sci")).struct.field("exp").str.to_integer(strict=False)
    lf = lf.with_columns(
        (
            raw.is_null()
            | key.is_in(PLACEHOLDERS).fill_null(False)
            | key.str.contains(r"^0+$").fill_null(False)
            | (plain & (value == 0))
        ).alias(t("missing")),
        lead.is_not_null().alias(t("is_sci")),
        # the mantissa's digits, placed at the 16-digit magnitude, and its last place's exponent
        (lead + frac).str.pad_end(16, "0").str.to_integer(strict=False).alias(t("sci_center")),
        (15 - frac.str.len_chars().cast(pl.Int64)).alias(t("sci_place")),
        (
            (exponent == 15)
            & (frac.str.len_chars() <= 15)
            & ((frac.str.len_chars() == 0) | (lead + frac.str.slice(0, 1)).is_in(PROVINCE_CODES))
        ).alias(t("sci_ok")),
        (value // 10**14).is_in(_PROVINCE_NUMBERS).fill_null(False).alias(t("province_ok")),
        (value // 10**8 % 100).alias(t("dd")),
        (value // 10**6 % 100).alias(t("mm")),
        century_year(value // 10**4 % 100, today).alias(t("year")),
        (value % 10**4 != 0).alias(t("serial_ok")),
        (value % 10).alias(t("last")),
        (numeric_flag.fill_null(False) | float_suffix).alias(t("numeric")),
    )

    dd, mm, year, value = pl.col(t("dd")), pl.col(t("mm")), pl.col(t("year")), pl.col(t("value"))
    month_ok = (mm >= 1) & (mm <= 12)
    if kind == "nik":
        day = pl.when(dd > 40).then(dd - 40).otherwise(dd)
        date_ok = month_ok & (day >= 1) & (day <= _max_day(mm)) & (dd <= 71)
    else:
        day = dd
        date_ok = month_ok & (dd >= 1) & (dd <= 31) & ymd_to_date(year, mm, dd).is_not_null()
    damaged_numeric = pl.col(t("numeric")) & ((pl.col(t("last")) == 0) | (value > FLOAT_EXACT_LIMIT))
    status = (
        pl.when(pl.col(t("missing")))
        .then(pl.lit(schema.NIK_MISSING))
        .when(pl.col(t("is_sci")) & pl.col(t("sci_ok")))
        .then(pl.lit(schema.NIK_EXCEL_DAMAGED))
        .when(pl.col(t("is_sci")) | ~pl.col(t("is16")) | ~pl.col(t("province_ok")))
        .then(pl.lit(schema.NIK_INVALID_FORMAT))
        .when(~date_ok)
        .then(pl.lit(schema.NIK_IMPOSSIBLE_DATE))
        .when(damaged_numeric)
        .then(pl.lit(schema.NIK_EXCEL_DAMAGED))
        .when(~pl.col(t("serial_ok")))
        .then(pl.lit(schema.NIK_INVALID_FORMAT))
        .otherwise(pl.lit(schema.NIK_VALID))
    )
    lf = lf.with_columns(status.alias(f"{field}_status"), day.alias(t("day")))

    status_col = pl.col(f"{field}_status")
    valid = status_col == schema.NIK_VALID
    damaged = status_col == schema.NIK_EXCEL_DAMAGED
    is_sci = pl.col(t("is_sci"))
    place = pl.col(t("sci_place"))
    # half a unit of the mantissa's last place (0 when all 16 digits were shown), widened by one
    half = pl.when(place >= 1).then(pl.lit(5, pl.Int64) * pl.lit(10, pl.Int64).pow(place - 1)).otherwise(0)
    center = pl.col(t("sci_center"))
    lo = pl.when(damaged & is_sci).then(center - half - 1).when(damaged).then(value - DAMAGE_MARGIN)
    hi = pl.when(damaged & is_sci).then(center + half + 1).when(damaged).then(value + DAMAGE_MARGIN)
    out: list[pl.Expr] = [
        pl.when(status_col.is_in([schema.NIK_MISSING]) | is_sci | ~pl.col(t("is_digits")))
        .then(pl.lit(None, pl.Utf8))
        .otherwise(digits)
        .alias(field),
        _clip16(lo).cast(pl.Int64).alias(f"{field}_lo"),
        _clip16(hi).cast(pl.Int64).alias(f"{field}_hi"),
        pl.when(valid).then(digits.str.slice(0, 6)).alias(f"{field}_region"),
    ]
    if kind == "nik":
        out += [
            pl.when(valid)
            .then(pl.when(dd > 40).then(pl.lit("P")).otherwise(pl.lit("L")))
            .alias(f"{field}_sex"),
            pl.when(valid).then(ymd_to_date(year, mm, pl.col(t("day")))).alias(f"{field}_birth_date"),
        ]
    lf = lf.with_columns(out)
    temps = [c for c in lf.collect_schema().names() if c.startswith(_tmp(field, ""))]
    return lf.drop(temps)
