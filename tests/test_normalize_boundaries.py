"""The calendar bounds of NIK and No KK dates, on each side (days 1 and 31, months 1 and 12, February,
30-day months, the +40 of women's NIKs). Synthetic numbers in the official layout."""

from __future__ import annotations

from datetime import date

import pytest

from verval_cli.normalize import normalize_nik_text, normalize_no_kk_text

TODAY = date(2025, 6, 1)


def _nik(ddmmyy: str) -> str:
    return f"330403{ddmmyy}0001"


@pytest.mark.parametrize(
    ("ddmmyy", "status"),
    [
        ("010195", "valid"),  # day 1
        ("000195", "impossible_date"),  # day 0
        ("311295", "valid"),  # 31 December: month 12 exists
        ("311395", "impossible_date"),  # month 13
        ("150095", "impossible_date"),  # month 0
        ("290295", "valid"),  # 29 February: the two-digit year cannot say whether it was leap
        ("300295", "impossible_date"),  # 30 February
        ("310595", "valid"),  # 31 May
        ("300695", "valid"),  # 30 June
        ("310695", "impossible_date"),  # 31 June
        ("310995", "impossible_date"),  # 31 September
        ("311195", "impossible_date"),  # 31 November
        ("410195", "valid"),  # a woman born on the 1st
        ("400195", "impossible_date"),  # day 0 + 40
        ("710195", "valid"),  # a woman born on the 31st
        ("720195", "impossible_date"),  # day 32 + 40
        ("320195", "impossible_date"),  # day 32 (a man)
    ],
)
def test_nik_birth_date_bounds(ddmmyy: str, status: str) -> None:
    out = normalize_nik_text(_nik(ddmmyy), None, today=TODAY)
    assert out["nik_status"] == status


@pytest.mark.parametrize(
    ("ddmmyy", "status"),
    [
        ("010195", "valid"),
        ("000195", "impossible_date"),
        ("311295", "valid"),
        ("311395", "impossible_date"),
        ("310595", "valid"),
        ("310695", "impossible_date"),
        ("320195", "impossible_date"),
    ],
)
def test_no_kk_date_bounds(ddmmyy: str, status: str) -> None:
    out = normalize_no_kk_text(_nik(ddmmyy), None, today=TODAY)
    assert out["no_kk_status"] == status


@pytest.mark.parametrize(
    ("text", "numeric_cell", "status"),
    [
        ("3304031508950001", None, "valid"),  # serial 0001
        ("3304031508950040", None, "valid"),  # serial 0040: only 0000 is no serial
        ("3304031508951000", None, "valid"),  # serial 1000
        ("3304031508950000", None, "invalid_format"),  # serial 0000
        # A number cell holds a NIK exactly up to 2**53 (about 9.007e15): Bali's (51...) is exact...
        ("5171010101900001", True, "valid"),
        ("7371010101900001", True, "valid"),
        # ...Papua's (91...) is past it: the last digit cannot be trusted.
        ("9171010101900001", True, "excel_damaged"),
        ("9171010101900001", False, "valid"),
        # Excel never shows 17 significant digits: 16 after the point is no scientific NIK
        ("3.3040315089500011E+15", None, "invalid_format"),
        ("3.304031508950001E+15", None, "excel_damaged"),
        # a full-width colon among full-width digits is no digit
        ("３３０４：３１５０８９５０００１", None, "invalid_format"),
        ("３３０４０３１５０８９５００：", None, "invalid_format"),  # 14 digits and a colon
        ("３３０４０３１５０８９５０００１", None, "valid"),
    ],
)
def test_nik_serial_number_cells_and_digit_forms(text: str, numeric_cell: bool | None, status: str) -> None:
    assert normalize_nik_text(text, numeric_cell, today=TODAY)["nik_status"] == status
