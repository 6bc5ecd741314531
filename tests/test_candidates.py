"""Which (row, listed person) pairs the matcher compares at all (`verval_cli/matching/candidates.py`).

A pair never generated is never linked, whatever the weights: these tests put each way in (household
id, NIK, corrected NIK, No KK, an Excel-damaged NIK's narrow range, a NIK one edit away) on both sides
of its edge, with small hand-built frames.
"""

from __future__ import annotations

import polars as pl
import pytest

from verval_cli.matching import candidates as c

_BASES = ("3304031508950001", "3174054712880123", "7371010101010001", "1234567890123456")


def _people(niks: list[str], desa: str = "3304032004") -> pl.DataFrame:
    return pl.DataFrame({"t_idx": range(len(niks)), "desa_code": desa, "nik": niks})


def _typed(niks: list[str], desa: str = "3304032004") -> pl.DataFrame:
    return pl.DataFrame({"s_idx": range(len(niks)), "desa_code": desa, "nik": niks})


def _one_digit_changes(nik: str) -> list[str]:
    return [nik[:k] + str((int(nik[k]) + step) % 10) + nik[k + 1 :] for k in range(16) for step in (1, 5)]


def _neighbour_swaps(nik: str) -> list[str]:
    return [nik[:k] + nik[k + 1] + nik[k] + nik[k + 2 :] for k in range(15) if nik[k] != nik[k + 1]]


@pytest.mark.parametrize("listed", _BASES)
def test_every_one_edit_nik_is_a_candidate(listed: str) -> None:
    # Every position changed and every pair of neighbours swapped: each blocking key covers a window,
    # and together they must leave no position uncovered.
    typed = _one_digit_changes(listed) + _neighbour_swaps(listed)
    found = c._near_niks(_typed(typed), _people([listed]))
    assert sorted(found["s_idx"].to_list()) == list(range(len(typed)))


@pytest.mark.parametrize("listed", _BASES)
def test_two_edit_niks_are_not_near(listed: str) -> None:
    def change(nik: str, k: int) -> str:
        return nik[:k] + str((int(nik[k]) + 3) % 10) + nik[k + 1 :]

    two_changed = [change(change(listed, i), j) for i in range(16) for j in range(i + 1, 16)]
    found = c._near_niks(_typed(two_changed), _people([listed]))
    assert found.height == 0


def test_within_one_edit_on_integers() -> None:
    a = "3304031508950001"
    frame = pl.DataFrame(
        {
            "x": [int(a)] * 5,
            "y": [
                int(a),
                int("3304031508950002"),  # one digit
                int("3304031580950001"),  # neighbours swapped
                int("3304031508950012"),  # two digits, not a swap
                int("3304031505980001"),  # digits two apart swapped
            ],
        }
    )
    assert frame.select(c._within_one_edit("x", "y")).to_series().to_list() == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_near_niks_stay_inside_the_desa() -> None:
    listed = _BASES[0]
    near = listed[:15] + "9"
    rows = pl.DataFrame({"s_idx": [0, 1], "desa_code": ["3304032004", "3304032005"], "nik": [near, near]})
    assert c._near_niks(rows, _people([listed])).rows() == [(0, 0)]


# --- Excel-damaged NIKs: a narrow possible range is looked up directly --------------------------------------------
def _damaged(lo: int, hi: int, status: str = "excel_damaged") -> pl.DataFrame:
    return pl.DataFrame(
        {"s_idx": [0], "nik_status": [status], "nik_lo": [lo], "nik_hi": [hi]},
        schema={"s_idx": pl.Int64, "nik_status": pl.Utf8, "nik_lo": pl.Int64, "nik_hi": pl.Int64},
    )


def _targets(values: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {"t_idx": range(len(values)), "_value": values}, schema={"t_idx": pl.Int64, "_value": pl.Int64}
    )


LO = 3304031508950000


def test_damaged_range_bounds_are_inclusive() -> None:
    found = c._within_range(_damaged(LO, LO + 999), "nik", _targets([LO - 1, LO, LO + 999, LO + 1000]))
    assert sorted(found["t_idx"].to_list()) == [1, 2]


def test_damaged_range_of_exactly_the_narrow_width_is_looked_up() -> None:
    width = 1_000  # three digits lost to Excel: the widest range looked up directly
    found = c._within_range(_damaged(LO, LO + width), "nik", _targets([LO + width]))
    assert found.rows() == [(0, 0)]


def test_damaged_range_wider_than_narrow_is_left_to_the_desa_stage() -> None:
    width = 1_001
    found = c._within_range(_damaged(LO, LO + width), "nik", _targets([LO + 5]))
    assert found.height == 0


def test_damaged_range_across_a_bucket_edge() -> None:
    # lo and hi fall in two buckets of the lookup: a target in either is found.
    lo = LO + 600
    found = c._within_range(_damaged(lo, lo + 800), "nik", _targets([lo + 100, lo + 700, lo + 801]))
    assert sorted(found["t_idx"].to_list()) == [0, 1]


def test_only_excel_damaged_rows_use_their_range() -> None:
    found = c._within_range(_damaged(LO, LO + 999, status="invalid"), "nik", _targets([LO + 1]))
    assert found.height == 0


# --- exact keys --------------------------------------------------------------------------------------------------------
def _frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    households = pl.DataFrame(
        {"h_idx": [0, 1], "household_id": ["P-1", "P-2"], "no_kk": ["3304030101200001", "3304030101200002"]}
    )
    persons = pl.DataFrame(
        {
            "t_idx": [0, 1, 2],
            "h_idx": [0, 0, 1],
            "is_head": [True, False, True],
            "nik": ["3304031508950001", "3304034508970002", "3304031212800003"],
        }
    ).with_columns(nik_int=pl.col("nik").cast(pl.Int64))
    return households, persons, pl.DataFrame()


def _rows(**columns: list[object]) -> pl.DataFrame:
    base: dict[str, list[object]] = {
        "s_idx": [0],
        "household_id": [None],
        "nik": [None],
        "nik_corrected": [None],
        "no_kk": [None],
        "nik_status": ["missing"],
        "nik_lo": [None],
        "nik_hi": [None],
        "no_kk_status": ["missing"],
        "no_kk_lo": [None],
        "no_kk_hi": [None],
    }
    base.update(columns)
    schema = {
        k: (pl.Int64 if k in ("s_idx", "nik_lo", "nik_hi", "no_kk_lo", "no_kk_hi") else pl.Utf8) for k in base
    }
    return pl.DataFrame(base, schema=schema)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"household_id": ["P-1"]}, [(0, 0)]),  # the household's head only
        ({"household_id": ["P-9"]}, []),
        # a member's NIK finds the member and the rest of the family (the row may name another member)
        ({"nik": ["3304034508970002"]}, [(0, 0), (0, 1)]),
        ({"nik_corrected": ["3304031212800003"]}, [(0, 2)]),
        ({"nik": ["330403450897000"]}, []),  # fifteen digits: no exact key
        ({"no_kk": ["3304030101200001"]}, [(0, 0)]),  # the family card finds the head
        (
            {"nik_status": ["excel_damaged"], "nik_lo": [3304034508970000], "nik_hi": [3304034508970999]},
            [(0, 1)],
        ),
        (
            {
                "no_kk_status": ["excel_damaged"],
                "no_kk_lo": [3304030101200000],
                "no_kk_hi": [3304030101200999],
            },
            [(0, 0), (0, 2)],
        ),
    ],
)
def test_exact_candidates(row: dict[str, list[object]], expected: list[tuple[int, int]]) -> None:
    households, persons, _ = _frames()
    assert c.exact_candidates(_rows(**row), persons, households).rows() == expected


def test_a_listed_no_kk_too_long_for_a_number_is_no_candidate_and_no_crash() -> None:
    # An operator typed extra digits into the list's No KK (20 digits: past a 64-bit integer); a row
    # whose damaged No KK is compared with the list must still be read, the long number just fits nothing.
    households, persons, _ = _frames()
    households = households.with_columns(pl.Series("no_kk", ["33040301012000010000", "3304030101200002"]))
    row = _rows(no_kk_status=["excel_damaged"], no_kk_lo=[3304030101200000], no_kk_hi=[3304030101200999])
    assert c.exact_candidates(row, persons, households).rows() == [(0, 2)]
