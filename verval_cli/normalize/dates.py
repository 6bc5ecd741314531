"""Birth dates typed every way an operator or Excel can produce them -> ``pl.Date``.

Day-first is the Indonesian order, so ``03/04/1990`` is 3 April; month-first is never tried.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

VALID: Final = "valid"
MISSING: Final = "missing"
UNPARSEABLE: Final = "unparseable"
IMPLAUSIBLE: Final = "implausible"
DATE_STATUSES: Final = (VALID, MISSING, UNPARSEABLE, IMPLAUSIBLE)

# Month words in Indonesian (old and new spellings) and English, full and abbreviated.
MONTHS: Final[dict[str, int]] = {
    **dict.fromkeys(("JANUARI", "JANUARY", "JAN"), 1),
    **dict.fromkeys(("FEBRUARI", "PEBRUARI", "FEBRUARY", "FEB", "PEB", "PEBR", "FEBR"), 2),
    **dict.fromkeys(("MARET", "MARCH", "MAR", "MRT"), 3),
    **dict.fromkeys(("APRIL", "APR", "APRL"), 4),
    **dict.fromkeys(("MEI", "MAY"), 5),
    **dict.fromkeys(("JUNI", "JUNE", "JUN"), 6),
    **dict.fromkeys(("JULI", "JULY", "JUL"), 7),
    **dict.fromkeys(("AGUSTUS", "AUGUST", "AGUSTUS", "AGU", "AGT", "AGS", "AGST", "AGUST", "AUG"), 8),
    **dict.fromkeys(("SEPTEMBER", "SEP", "SEPT", "SEPTEMBR"), 9),
    **dict.fromkeys(("OKTOBER", "OCTOBER", "OKT", "OCT", "OKTBR"), 10),
    **dict.fromkeys(("NOVEMBER", "NOPEMBER", "NOV", "NOP"), 11),
    **dict.fromkeys(("DESEMBER", "DECEMBER", "DES", "DEC", "DESEMBR"), 12),
}

# Excel's day zero (the 1900 leap-year bug is absorbed by starting on 30 December).
EXCEL_EPOCH: Final = date(1899, 12, 30)
EXCEL_SERIAL_MAX: Final = 73050  # 31 December 2099
YEAR_ALONE_MIN: Final = 1800
YEAR_ALONE_MAX: Final = 2100

# "Banjarnegara, 15-08-1995": a place typed before the date (tempat, tanggal lahir) is skipped.
_PLACE = r"^(?:[^,0-9]*,\s*)?"
_TIME = r"(?:[ T]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
_ISO = _PLACE + r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME + r"$"
_DMY = _PLACE + r"(?P<d>\d{1,2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4}|\d{2})" + _TIME + r"$"
_DMONY = _PLACE + r"(?P<d>\d{1,2})[\s\-/.]*(?P<m>[A-Z]+)[\s\-/.,]*(?P<y>\d{4}|\d{2})" + _TIME + r"$"
_SERIAL = r"^(?P<n>\d{1,5})(?:[.,]0+)?$"
# Nothing but zeros and separators ("-", "0", "00-00-0000") is an operator's way of saying "none".
_EMPTY = r"^[\s\-/.:,0]*$"
_PLACEHOLDERS: Final = ("TIDAK ADA", "TIDAK TAHU", "BELUM ADA", "N/A", "NA", "NULL", "NONE", "NAN", "KOSONG")


def century_year(yy: pl.Expr, today: date) -> pl.Expr:
    """Two-digit year -> four digits: 20YY up to the current year, else 19YY."""
    return pl.when(yy <= today.year % 100).then(yy + 2000).otherwise(yy + 1900)


def days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    """28-31 for months 1-12 (Gregorian leap years), null for any other month."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return (
        pl.when(month == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .when((month >= 1) & (month <= 12))
        .then(31)
    )


def ymd_to_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """A Date from integer parts, null when the day does not exist (never raises).

    Pure integer arithmetic (days from 1970-01-01 in the proleptic Gregorian calendar), so a million
    dates cost a few vector operations instead of building and parsing a million strings.
    """
    y, m, d = year.cast(pl.Int64), month.cast(pl.Int64), day.cast(pl.Int64)
    exists = (y >= 0) & (y <= 9999) & (d >= 1) & (d <= days_in_month(y, m))
    shifted = y - (m <= 2).cast(pl.Int64)  # the year counted from March, so leap days fall last
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    of_era_days = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    days = era * 146097 + of_era_days - 719468
    return pl.when(exists).then(days).cast(pl.Int32).cast(pl.Date)


def _parts_date(text: pl.Expr, pattern: str, today: date, *, month_words: bool = False) -> pl.Expr:
    parts = text.str.extract_groups(pattern)
    year_text = parts.struct.field("y")
    year = year_text.str.to_integer(strict=False)
    year = pl.when(year_text.str.len_chars() == 2).then(century_year(year, today)).otherwise(year)
    month_text = parts.struct.field("m")
    if month_words:
        month = month_text.replace_strict(MONTHS, default=None, return_dtype=pl.Int64)
    else:
        month = month_text.str.to_integer(strict=False)
    day = parts.struct.field("d").str.to_integer(strict=False)
    return ymd_to_date(year, month, day)


# The shapes nearly every date is typed in: 15-08-1995, 15/08/1995, 15.08.1995 and 1995-08-15.
_PLAIN_DMY = r"^\d{2}[-/.]\d{2}[-/.]\d{4}$"
_PLAIN_ISO = r"^\d{4}-\d{2}-\d{2}$"


def _plain_date(text: pl.Expr) -> pl.Expr:
    """The date of a text in one of the plain shapes (what _DMY / _ISO read from it), else null."""

    def number(start: int, length: int) -> pl.Expr:
        return text.str.slice(start, length).str.to_integer(strict=False)

    return (
        pl.when(text.str.contains(_PLAIN_DMY))
        .then(ymd_to_date(number(6, 4), number(3, 2), number(0, 2)))
        .when(text.str.contains(_PLAIN_ISO))
        .then(ymd_to_date(number(0, 4), number(5, 2), number(8, 2)))
    )


def _serial_date(text: pl.Expr) -> pl.Expr:
    n = text.str.extract(_SERIAL, 1).str.to_integer(strict=False)
    # A bare 1800..2100 is a year typed alone (serial days of 1904-1905 are no living person's birth).
    in_range = (n >= 1) & (n <= EXCEL_SERIAL_MAX) & ~n.is_between(YEAR_ALONE_MIN, YEAR_ALONE_MAX)
    return pl.when(in_range).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=n))


def normalize_birth_date(lf: pl.LazyFrame, field: str, today: date) -> pl.LazyFrame:
    """Add ``<field>`` (Date) and ``<field>_status`` from the raw text in ``<field>_raw``."""
    raw = pl.col(f"{field}_raw").cast(pl.Utf8)
    text = (
        raw.str.normalize("NFKC")
        .str.to_uppercase()
        .str.replace_all(r"[\s\u200B-\u200D\u2060\uFEFF]+", " ")
        .str.strip_chars(" '`")
    )
    parsed_name, text_name = f"__verval[{field}]parsed", f"__verval[{field}]text"
    slow_name = f"__verval[{field}]slow"
    lf = lf.with_columns(text.alias(text_name))
    text = pl.col(text_name)
    lf = lf.with_columns(_plain_date(text).alias(parsed_name))
    # The general patterns (place names, times, month words, serial days) read what the plain shapes
    # did not; regex captures cost ~100x a shape check, so only those texts go through them.
    rest = (
        lf.filter(pl.col(parsed_name).is_null())
        .select(text)
        .unique()
        .with_columns(
            pl.coalesce(
                _parts_date(text, _ISO, today),
                _parts_date(text, _DMY, today),
                _parts_date(text, _DMONY, today, month_words=True),
                _serial_date(text),
            ).alias(slow_name)
        )
    )
    lf = lf.join(rest, on=text_name, how="left", nulls_equal=True, maintain_order="left")
    lf = lf.with_columns(pl.coalesce(parsed_name, slow_name).alias(parsed_name)).drop(slow_name)
    parsed = pl.col(parsed_name)
    missing = raw.is_null() | text.str.contains(_EMPTY) | text.is_in(_PLACEHOLDERS)
    status = (
        pl.when(missing)
        .then(pl.lit(MISSING))
        .when(parsed.is_null())
        .then(pl.lit(UNPARSEABLE))
        .when((parsed < date(1900, 1, 1)) | (parsed > today))
        .then(pl.lit(IMPLAUSIBLE))
        .otherwise(pl.lit(VALID))
    )
    lf = lf.with_columns(status.alias(f"{field}_status"))
    valid = pl.col(f"{field}_status") == VALID
    lf = lf.with_columns(pl.when(valid).then(parsed).otherwise(pl.lit(None, pl.Date)).alias(field))
    return lf.drop(parsed_name, text_name)
