"""NIK / No KK normalisation: cleaning, Excel damage, validity and decoding (all NIKs are invented)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verval_cli.normalize import normalize_frame, normalize_nik_text, normalize_no_kk_text
from verval_cli.normalize.nik import PROVINCE_CODES

TODAY = date(2025, 6, 1)


def nik(text: str | None, numeric_cell: bool | None = None) -> dict[str, object]:
    return normalize_nik_text(text, numeric_cell, today=TODAY)


@pytest.mark.parametrize(
    ("text", "numeric_cell", "status", "digits"),
    [
        # clean text
        ("3304031508950001", None, "valid", "3304031508950001"),
        ("'3304031508950001", None, "valid", "3304031508950001"),
        ("`3304031508950001", False, "valid", "3304031508950001"),
        (" 3304 0315 0895 0001 ", None, "valid", "3304031508950001"),
        ("3304.0315.0895.0001", None, "valid", "3304031508950001"),
        ("3304-0315-0895-0001", None, "valid", "3304031508950001"),
        ("\u200b3304031508950001\ufeff", None, "valid", "3304031508950001"),
        ("3304031508950001\u00a0", None, "valid", "3304031508950001"),
        ("\u200c'3304\u200d031508950001", None, "valid", "3304031508950001"),
        ("３３０４０３１５０８９５０００１", None, "valid", "3304031508950001"),
        ("3304035508950001", None, "valid", "3304035508950001"),  # woman: day 15 + 40
        ("3304032902950001", None, "valid", "3304032902950001"),  # 29 February is accepted
        ("3304037108950001", None, "valid", "3304037108950001"),  # 31 + 40
        ("3101010101010001", None, "valid", "3101010101010001"),
        # numeric cells: exact when the last digit survived and the value fits a float
        ("3304031508950001", True, "valid", "3304031508950001"),
        ("3304031508950001.0", None, "valid", "3304031508950001"),
        ("3304031508950001,0", None, "valid", "3304031508950001"),
        # numeric cells whose 16th digit cannot be trusted
        ("3304031508950000", True, "excel_damaged", "3304031508950000"),
        ("3304031508950000.0", None, "excel_damaged", "3304031508950000"),
        ("3304031508950010,0", None, "excel_damaged", "3304031508950010"),
        ("9104035508950001", True, "excel_damaged", "9104035508950001"),  # above 2**53
        ("9104035508950001", None, "valid", "9104035508950001"),  # typed as text: exact
        # scientific text: the digits are gone
        ("3.30403E+15", None, "excel_damaged", None),
        ("3,30403E+15", None, "excel_damaged", None),
        ("3.30403e+15", None, "excel_damaged", None),
        ("3.304031508950E+015", None, "excel_damaged", None),
        ("3.3E+14", None, "invalid_format", None),  # 15 digits: not a NIK
        ("1.0E+15", None, "invalid_format", None),  # province 10 does not exist
        # impossible dates
        ("3304033202950001", None, "impossible_date", "3304033202950001"),
        ("3304031513950001", None, "impossible_date", "3304031513950001"),
        ("3304033102950001", None, "impossible_date", "3304033102950001"),
        ("3304033104950001", None, "impossible_date", "3304033104950001"),
        ("3304030008950001", None, "impossible_date", "3304030008950001"),
        ("3304034008950001", None, "impossible_date", "3304034008950001"),
        ("3304037208950001", None, "impossible_date", "3304037208950001"),
        ("3304031500950001", None, "impossible_date", "3304031500950001"),
        # wrong shape
        ("330403150895001", None, "invalid_format", "330403150895001"),
        ("33040315089500012", None, "invalid_format", "33040315089500012"),
        ("1004031508950001", None, "invalid_format", "1004031508950001"),
        ("9904031508950001", None, "invalid_format", "9904031508950001"),
        ("3304031508950000", None, "invalid_format", "3304031508950000"),  # serial 0000 typed
        ("3304031508950000", False, "invalid_format", "3304031508950000"),
        ("33O4031508950001", None, "invalid_format", None),
        ("NIK 3304031508950001", None, "invalid_format", None),
        ("٣٣٠٤٠٣١٥٠٨٩٥٠٠٠١", None, "invalid_format", None),
        # nothing there
        (None, None, "missing", None),
        ("", None, "missing", None),
        ("   ", None, "missing", None),
        ("-", None, "missing", None),
        ("--", None, "missing", None),
        ("0", None, "missing", None),
        ("00", None, "missing", None),
        ("0000000000000000", True, "missing", None),
        ("TIDAK ADA", None, "missing", None),
        ("Belum Punya", None, "missing", None),
        ("tidak punya", None, "missing", None),
        ("BELUM ADA", None, "missing", None),
        ("N/A", None, "missing", None),
    ],
)
def test_nik_status(text: str | None, numeric_cell: bool | None, status: str, digits: str | None) -> None:
    out = nik(text, numeric_cell)
    assert out["nik_status"] == status
    assert out["nik"] == digits
    assert out["nik_raw"] == text


@pytest.mark.parametrize(
    ("text", "numeric_cell", "lo", "hi"),
    [
        ("3.30403E+15", None, 3304024999999999, 3304035000000001),
        ("3,30403E+15", None, 3304024999999999, 3304035000000001),
        ("3.304031508950E+015", None, 3304031508949499, 3304031508950501),
        ("3.304031508950001E+15", None, 3304031508950000, 3304031508950002),
        ("3304031508950000", True, 3304031508949990, 3304031508950010),
        ("3304031508950000.0", None, 3304031508949990, 3304031508950010),
        ("9104035508950001", True, 9104035508949991, 9104035508950011),
        ("3304031508950001", None, None, None),
        ("3304031508950001", True, None, None),
    ],
)
def test_excel_damage_range(text: str, numeric_cell: bool | None, lo: int | None, hi: int | None) -> None:
    out = nik(text, numeric_cell)
    assert (out["nik_lo"], out["nik_hi"]) == (lo, hi)


def test_damage_range_is_clamped_to_sixteen_digits() -> None:
    out = nik("1E+15")  # a bare mantissa: province unknown, range 0.5e15..1.5e15 cut at 16 digits
    assert out["nik_status"] == "excel_damaged"
    assert out["nik_lo"] == 10**15
    assert out["nik_hi"] == 1500000000000001


_EXCEL_SHOWN = st.tuples(
    st.integers(min_value=1_100_000_000_000_000, max_value=9_699_999_999_999_999),  # the true NIK
    st.integers(min_value=2, max_value=15),  # significant digits Excel showed
    st.booleans(),  # Indonesian decimal comma
)


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(_EXCEL_SHOWN, min_size=1, max_size=25))
def test_scientific_range_contains_the_true_nik(cases: list[tuple[int, int, bool]]) -> None:
    """However the mantissa was rounded, the true NIK lies in [nik_lo, nik_hi]."""
    texts = []
    for true_nik, shown, comma in cases:
        text = f"{true_nik:.{shown - 1}E}"
        texts.append(text.replace(".", ",") if comma else text)
    out = normalize_frame(pl.DataFrame({"nik": texts}), today=TODAY)
    for (true_nik, _, _), text, row in zip(cases, texts, out.iter_rows(named=True), strict=True):
        if text[0] + text[2] not in PROVINCE_CODES:
            assert row["nik_status"] == "invalid_format"
            continue
        assert row["nik_status"] == "excel_damaged"
        assert row["nik"] is None
        assert row["nik_lo"] <= true_nik <= row["nik_hi"]


@pytest.mark.parametrize(
    ("text", "region", "sex", "birth"),
    [
        ("3304031508950001", "330403", "L", date(1995, 8, 15)),
        ("3304035508950001", "330403", "P", date(1995, 8, 15)),
        ("3171034101000002", "317103", "P", date(2000, 1, 1)),
        ("3304036902000001", "330403", "P", date(2000, 2, 29)),
        ("3304032902950001", "330403", "L", None),  # valid NIK, but 1995 had no 29 February
        ("3304031501250001", "330403", "L", date(2025, 1, 15)),  # 25 <= 25: this century
        ("3304031501260001", "330403", "L", date(1926, 1, 15)),
    ],
)
def test_nik_decoding(text: str, region: str, sex: str, birth: date | None) -> None:
    out = nik(text)
    assert out["nik_status"] == "valid"
    assert (out["nik_region"], out["nik_sex"], out["nik_birth_date"]) == (region, sex, birth)


def test_two_digit_year_follows_today() -> None:
    assert normalize_nik_text("3304031501250001", today=date(2024, 12, 31))["nik_birth_date"] == date(
        1925, 1, 15
    )


@pytest.mark.parametrize("text", ["3304033202950001", "3.30403E+15", "3304031508950000", "-", "abc"])
def test_nothing_decoded_unless_valid(text: str) -> None:
    out = nik(text, True)
    assert out["nik_region"] is None
    assert out["nik_sex"] is None
    assert out["nik_birth_date"] is None


@pytest.mark.parametrize(
    ("text", "numeric_cell", "status", "region"),
    [
        ("3304031508950001", None, "valid", "330403"),
        ("'3304 0312 1000 0005", None, "valid", "330403"),
        ("3304035508950001", None, "impossible_date", None),  # no +40 rule for a family card
        ("3304032902950001", None, "impossible_date", None),  # 1995 is not a leap year
        ("3304032902960001", None, "valid", "330403"),
        ("3304031508950000", None, "invalid_format", None),
        ("3304031508950000", True, "excel_damaged", None),
        ("3.30403E+15", None, "excel_damaged", None),
        ("5504031508950001", None, "invalid_format", None),
        ("TIDAK ADA", None, "missing", None),
    ],
)
def test_no_kk(text: str, numeric_cell: bool | None, status: str, region: str | None) -> None:
    out = normalize_no_kk_text(text, numeric_cell, today=TODAY)
    assert out["no_kk_status"] == status
    assert out["no_kk_region"] == region
    assert "no_kk_sex" not in out


def test_nik_corrected_gets_the_same_columns() -> None:
    frame = pl.DataFrame(
        {
            "nik_corrected": ["3304031508950000", "3304035508950001"],
            "nik_corrected_numeric_cell": [True, None],
        }
    )
    out = normalize_frame(frame, today=TODAY)
    assert out["nik_corrected_status"].to_list() == ["excel_damaged", "valid"]
    assert out["nik_corrected_sex"].to_list() == [None, "P"]
    assert out["nik_corrected_lo"].to_list() == [3304031508949990, None]


@settings(max_examples=50, deadline=None)
@given(
    texts=st.lists(
        st.one_of(st.none(), st.text(max_size=40), st.text(alphabet="0123456789.,Ee+-' \u00a0", max_size=24)),
        min_size=1,
        max_size=60,
    ),
    flag=st.booleans(),
)
def test_never_raises(texts: list[str | None], flag: bool) -> None:
    frame = pl.DataFrame(
        {"nik": texts, "nik_numeric_cell": [flag] * len(texts), "no_kk": texts},
        schema={"nik": pl.Utf8, "nik_numeric_cell": pl.Boolean, "no_kk": pl.Utf8},
    )
    out = normalize_frame(frame, today=TODAY)
    assert out.height == len(texts)
    assert set(out["nik_status"].to_list()) <= {
        "valid",
        "invalid_format",
        "impossible_date",
        "excel_damaged",
        "missing",
    }
    assert out["nik_raw"].to_list() == texts
