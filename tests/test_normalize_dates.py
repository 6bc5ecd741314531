"""Birth-date parsing: every format operators and Excel produce, day-first, with plausibility checks."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from verval_cli.normalize import normalize_date_text, normalize_frame
from verval_cli.normalize.dates import ymd_to_date

TODAY = date(2025, 6, 1)
AUG15 = date(1995, 8, 15)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1995-08-15", AUG15),
        ("1995-08-15 00:00:00", AUG15),
        ("1995-08-15T00:00:00", AUG15),
        ("1995-08-15 00:00:00.000", AUG15),
        ("15/08/1995", AUG15),
        ("15-08-1995", AUG15),
        ("15.08.1995", AUG15),
        ("15/08/1995 0:00:00", AUG15),
        ("15/08/1995 00:00", AUG15),
        (" 15 / 08 / 1995 ", AUG15),
        ("5/8/1995", date(1995, 8, 5)),
        ("03/04/1990", date(1990, 4, 3)),  # day first, never month first
        ("15/08/95", AUG15),
        ("15-08-05", date(2005, 8, 15)),
        ("15/08/25", None),  # 2025-08-15 is after TODAY: implausible
        ("15 Agustus 1995", AUG15),
        ("15 AGUSTUS 1995", AUG15),
        ("15-Agu-1995", AUG15),
        ("15 AGT 1995", AUG15),
        ("15 Ags 1995", AUG15),
        ("15 Aug 1995", AUG15),
        ("15-agustus-95", AUG15),
        ("15 Mei 1980", date(1980, 5, 15)),
        ("1 Des 1970", date(1970, 12, 1)),
        ("1 Desember 1970", date(1970, 12, 1)),
        ("3 Okt 1960", date(1960, 10, 3)),
        ("3 Oktober 1960", date(1960, 10, 3)),
        ("2 Peb 1980", date(1980, 2, 2)),
        ("2 Pebruari 1980", date(1980, 2, 2)),
        ("2 Februari 1980", date(1980, 2, 2)),
        ("9 Nopember 1966", date(1966, 11, 9)),
        ("9 Jan 1966", date(1966, 1, 9)),
        ("9 Maret 1966", date(1966, 3, 9)),
        ("9 April 1966", date(1966, 4, 9)),
        ("9 Juni 1966", date(1966, 6, 9)),
        ("9 Juli 1966", date(1966, 7, 9)),
        ("9 Sept 1966", date(1966, 9, 9)),
        ("29 Peb 1980", date(1980, 2, 29)),
        ("Banjarnegara, 15-08-1995", AUG15),
        ("Banjarnegara, 15 Agustus 1995", AUG15),
        # Excel serial numbers
        ("34926", AUG15),
        ("34926.0", AUG15),
        ("60", date(1900, 2, 28)),
    ],
)
def test_parses(raw: str, expected: date | None) -> None:
    out = normalize_date_text(raw, today=TODAY)
    assert out["birth_date"] == expected
    assert out["birth_date_raw"] == raw


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("15/08/1995", "valid"),
        (None, "missing"),
        ("", "missing"),
        ("  ", "missing"),
        ("-", "missing"),
        ("0", "missing"),
        ("00-00-0000", "missing"),
        ("0000-00-00", "missing"),
        ("TIDAK TAHU", "missing"),
        ("31/02/1990", "unparseable"),
        ("29/02/1981", "unparseable"),
        ("13/13/1990", "unparseable"),
        ("15 Agustusan 1995", "unparseable"),
        ("abc", "unparseable"),
        ("99999", "unparseable"),
        ("12/31/1990", "unparseable"),  # month-first is never tried
        ("01/01/1850", "implausible"),
        ("1899-12-31", "implausible"),
        ("1", "implausible"),
        ("02/06/2025", "implausible"),
        ("01/06/2025", "valid"),
        ("15/08/2030", "implausible"),
    ],
)
def test_status(raw: str | None, status: str) -> None:
    out = normalize_date_text(raw, today=TODAY)
    assert out["birth_date_status"] == status
    assert (out["birth_date"] is not None) == (status == "valid")


def test_bare_year_is_not_read_as_serial() -> None:
    # "1995" typed alone is a year, not Excel day 1995 (17 June 1905): no full date can be taken from it
    out = normalize_date_text("1995", today=TODAY)
    assert out["birth_date_status"] == "unparseable"
    assert out["birth_date"] is None
    assert normalize_date_text("34567", today=TODAY)["birth_date"] == date(1994, 8, 21)


def test_two_digit_year_depends_on_today() -> None:
    assert normalize_date_text("15/08/24", today=date(2025, 1, 1))["birth_date"] == date(2024, 8, 15)
    assert normalize_date_text("15/08/24", today=date(2023, 1, 1))["birth_date"] == date(1924, 8, 15)


def test_date_typed_column_is_accepted() -> None:
    frame = pl.DataFrame({"birth_date": [AUG15, None]})
    out = normalize_frame(frame, today=TODAY)
    assert out["birth_date"].to_list() == [AUG15, None]
    assert out["birth_date_status"].to_list() == ["valid", "missing"]


@settings(max_examples=50, deadline=None)
@given(
    texts=st.lists(
        st.one_of(
            st.none(), st.text(max_size=30), st.text(alphabet="0123456789/-. :AGUSTMEIDOKPB", max_size=22)
        ),
        min_size=1,
        max_size=60,
    )
)
def test_never_raises(texts: list[str | None]) -> None:
    out = normalize_frame(pl.DataFrame({"birth_date": texts}, schema={"birth_date": pl.Utf8}), today=TODAY)
    assert out["birth_date_raw"].to_list() == texts
    for value, status in zip(out["birth_date"].to_list(), out["birth_date_status"].to_list(), strict=True):
        assert status in {"valid", "missing", "unparseable", "implausible"}
        if value is not None:
            assert status == "valid"
            assert date(1900, 1, 1) <= value <= TODAY


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 99),
            st.integers(0, 99),
            st.integers(0, 9999),
            st.sampled_from(["-", "/", "."]),
            st.booleans(),
        ),
        min_size=1,
        max_size=50,
    )
)
def test_plain_shapes_read_as_the_general_patterns_read_them(
    parts: list[tuple[int, int, int, str, bool]],
) -> None:
    from verval_cli.normalize.dates import _DMY, _ISO, _parts_date, _plain_date

    texts = [
        f"{y:04d}-{m:02d}-{d:02d}" if iso else f"{d:02d}{sep}{m:02d}{sep}{y:04d}"
        for d, m, y, sep, iso in parts
    ]
    text = pl.col("t")
    today = date(2026, 11, 28)
    got = pl.DataFrame({"t": texts}).select(
        _plain_date(text).alias("plain"),
        pl.coalesce(_parts_date(text, _ISO, today), _parts_date(text, _DMY, today)).alias("general"),
    )
    assert got["plain"].equals(got["general"])  # Series compare: year 0 has no Python date


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("29/02/2000", "valid"),  # divisible by 400: leap
        ("29/02/1900", "unparseable"),  # divisible by 100 only: not leap
        ("29/02/2024", "valid"),
        ("30/02/2000", "unparseable"),  # a leap February still ends on the 29th
        ("01/01/0000", "implausible"),  # a real calendar date, an absurd year: implausible, not unreadable
        ("31/12/9999", "implausible"),
        ("29/02/2023", "unparseable"),
        ("30/04/1980", "valid"),  # 30-day months: April, June, September, November
        ("31/04/1980", "unparseable"),
        ("31/06/1980", "unparseable"),
        ("31/07/1980", "valid"),  # July has 31
        ("31/09/1980", "unparseable"),
        ("31/11/1980", "unparseable"),
        ("00/05/1980", "unparseable"),  # day 0
        ("28/02/1981", "valid"),
        ("31/01/1990", "valid"),
        ("32/01/1990", "unparseable"),
        ("15/00/1990", "unparseable"),  # month 0
        # a bare number from 1800 to 2100 is a year alone (no date); outside it, an Excel serial
        ("1800", "unparseable"),
        ("2100", "unparseable"),
        ("1799", "valid"),  # serial 1799: 3 December 1904
        ("2101", "valid"),
        ("01/01/1900", "valid"),  # the first plausible day
        ("31/12/1899", "implausible"),
    ],
)
def test_calendar_bounds(raw: str, status: str) -> None:
    assert normalize_date_text(raw, today=TODAY)["birth_date_status"] == status


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1600, 1, 1), max_value=date(2399, 12, 31)))
# the turns of the centuries inside a 400-year era, where the day count's corrections apply
@example(date(1700, 3, 1))
@example(date(1800, 3, 1))
@example(date(1900, 3, 1))
@example(date(1901, 1, 1))
@example(date(2000, 2, 29))
@example(date(2100, 3, 1))
def test_ymd_to_date_is_the_calendar(day: date) -> None:
    frame = pl.DataFrame({"y": [day.year], "m": [day.month], "d": [day.day]})
    got = frame.select(ymd_to_date(pl.col("y"), pl.col("m"), pl.col("d"))).item()
    assert got == day
