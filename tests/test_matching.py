"""Known-answer cases for the matcher, on small normalised frames built by hand (synthetic people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from verval_cli.config import MatchingConfig
from verval_cli.matching import infer_file_desa, link, prepare_province, prepare_submissions
from verval_cli.matching.score import _pairwise, attach_sides

DESA = "3304032004"
OTHER_DESA = "3304032005"

# A background of unrelated households so that name frequencies are realistic.
_FILLER_NAMES = [f"WARGA{chr(65 + i)}{chr(65 + j)} SANTOSO" for i in range(10) for j in range(20)]


def _nik(serial: int, day: int = 15, month: int = 8, year: int = 95) -> str:
    return f"330403{day:02d}{month:02d}{year:02d}{serial:04d}"


def _province(rows: list[dict[str, Any]]) -> pl.DataFrame:
    filler = [
        {"household_id": f"F{i}", "nik": _nik(5000 + i, 1 + i % 28, 1 + i % 12, 60 + i % 30), "name": name}
        for i, name in enumerate(_FILLER_NAMES)
    ]
    frame = pl.DataFrame([*rows, *filler], infer_schema_length=None)
    return _normalised(frame, region_code=DESA)


def _normalised(frame: pl.DataFrame, region_code: str | None = None, desa: str | None = None) -> pl.DataFrame:
    defaults: dict[str, Any] = {
        "household_id": None,
        "nik": None,
        "name": None,
        "birth_date": None,
        "sex": None,
        "no_kk": None,
        "rt": None,
        "rw": None,
        "status": "found",
        "nik_lo": None,
        "nik_hi": None,
    }
    for column, value in defaults.items():
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(value).alias(column))
    frame = frame.with_columns(
        [pl.col(c).cast(pl.Utf8) for c in ("household_id", "nik", "name", "sex", "no_kk", "status")]
    )
    frame = frame.with_columns(
        pl.col("rt").cast(pl.Int32),
        pl.col("rw").cast(pl.Int32),
        pl.col("birth_date").cast(pl.Date),
        pl.col("nik_lo").cast(pl.Int64),
        pl.col("nik_hi").cast(pl.Int64),
        pl.when(pl.col("nik").is_null())
        .then(pl.lit("missing"))
        .when(pl.col("nik").str.ends_with("0") & pl.col("nik_lo").is_not_null())
        .then(pl.lit("excel_damaged"))
        .otherwise(pl.lit("valid"))
        .alias("nik_status"),
        pl.col("name").str.replace_all(r"[AIUEO]", "").alias("name_key"),
        pl.lit(region_code, dtype=pl.Utf8).alias("region_code"),
        pl.lit(desa, dtype=pl.Utf8).alias("source_desa_code"),
        pl.lit("sub.xlsx").alias("source_file"),
        pl.lit("Sheet1").alias("source_sheet"),
        (pl.int_range(pl.len()) + 2).cast(pl.Int64).alias("source_row"),
    )
    return frame


def _link(province: pl.DataFrame, submitted: list[dict[str, Any]], desa: str = DESA) -> pl.DataFrame:
    households, persons = prepare_province(province)
    rows = prepare_submissions(_normalised(pl.DataFrame(submitted, infer_schema_length=None), desa=desa))
    links = link(rows, households, persons, MatchingConfig())
    return links.join(households.select("h_idx", pl.col("household_id").alias("linked_id")), on="h_idx")


def _outcome(links: pl.DataFrame, s_idx: int) -> tuple[str | None, str | None, str | None]:
    row = links.filter(pl.col("s_idx") == s_idx)
    if row.height == 0:
        return None, None, None
    return row["linked_id"][0], row["match_status"][0], row["role"][0]


BASE = [
    {
        "household_id": "P1",
        "nik": _nik(1),
        "name": "SUPARNO",
        "birth_date": dt.date(1995, 8, 15),
        "rt": 1,
        "rw": 2,
    },
    {
        "household_id": "P2",
        "nik": _nik(2, 55, 5, 80),
        "name": "TUKIYEM",
        "birth_date": dt.date(1980, 5, 15),
        "rt": 3,
        "rw": 1,
    },
    {
        "household_id": "P3",
        "nik": _nik(3, 1, 1, 70),
        "name": "SUPARNO",
        "birth_date": dt.date(1970, 1, 1),
        "rt": 4,
        "rw": 2,
    },
    {
        "household_id": "P4",
        "nik": _nik(4, 12, 12, 65),
        "name": "AHMAD FAUZI",
        "no_kk": "3304031212100004",
        "birth_date": dt.date(1965, 12, 12),
        "rt": 2,
        "rw": 2,
    },
]


@pytest.mark.parametrize(
    ("case", "submitted", "expected"),
    [
        ("exact NIK", {"nik": _nik(2, 55, 5, 80), "name": "TUKIYEM"}, ("P2", "matched")),
        (
            "NIK one digit wrong, same name",
            {"nik": _nik(2, 55, 5, 80)[:-1] + "9", "name": "TUKIYEM"},
            ("P2", "matched"),
        ),
        ("NIK digits swapped, same name", {"nik": "3304035505800020", "name": "TUKIYEM"}, ("P2", "matched")),
        (
            "NIK one digit wrong, other name",
            {"nik": _nik(2, 55, 5, 80)[:-1] + "9", "name": "BUDI HARTONO"},
            (None, None),
        ),
        (
            "Excel-damaged NIK, same name",
            {
                "nik": _nik(4, 12, 12, 65)[:-1] + "0",
                "nik_lo": int(_nik(4, 12, 12, 65)) - 14,
                "nik_hi": int(_nik(4, 12, 12, 65)) + 6,
                "name": "AHMAD FAUZI",
            },
            ("P4", "matched"),
        ),
        (
            "head changed: same No KK, spouse now heads",
            {
                "nik": _nik(77, 52, 3, 70),
                "name": "SITI AMINAH",
                "no_kk": "3304031212100004",
                "rt": 2,
                "rw": 2,
            },
            ("P4", "matched"),
        ),
        (
            "homonym: name and birth date pick the right SUPARNO",
            {"name": "SUPARNO", "birth_date": dt.date(1970, 1, 1), "rt": 4, "rw": 2},
            ("P3", "matched"),
        ),
        ("a common name alone is never accepted", {"name": "SUPARNO"}, (None, None)),
        (
            "typo in a rarer name plus RT/RW",
            {"name": "AHMAD FAUZY", "rt": 2, "rw": 2, "birth_date": dt.date(1965, 12, 12)},
            ("P4", "matched"),
        ),
    ],
)
def test_single_row_outcomes(
    case: str, submitted: dict[str, Any], expected: tuple[str | None, str | None]
) -> None:
    links = _link(_province(BASE), [submitted])
    linked, status, _role = _outcome(links, 0)
    if expected[0] is None:
        assert linked is None or status == "review", case
    else:
        assert (linked, status) == expected, case


def test_common_name_alone_is_not_auto_accepted() -> None:
    links = _link(_province(BASE), [{"name": "SUPARNO"}])
    _linked, status, _role = _outcome(links, 0)
    assert status != "matched"


def test_duplicate_row_is_secondary_link_to_same_household() -> None:
    row = {"nik": _nik(1), "name": "SUPARNO"}
    links = _link(_province(BASE), [row, dict(row)])
    assert _outcome(links, 0) == ("P1", "matched", "primary")
    assert _outcome(links, 1) == ("P1", "matched", "secondary")


def test_id_contradicted_by_nik_and_name_loses_to_evidence() -> None:
    # The operator sorted the name/NIK columns: P1's id now sits on TUKIYEM's row.
    submitted = [
        {"household_id": "P1", "nik": _nik(2, 55, 5, 80), "name": "TUKIYEM"},
        {"household_id": "P2", "nik": _nik(1), "name": "SUPARNO"},
    ]
    links = _link(_province(BASE), submitted)
    assert _outcome(links, 0)[:2] == ("P2", "matched")
    assert _outcome(links, 1)[:2] == ("P1", "matched")
    assert links.filter(pl.col("s_idx") == 0)["method"][0] == "nik"


def test_household_listed_in_other_desa_is_still_linked_by_nik() -> None:
    links = _link(_province(BASE), [{"nik": _nik(3, 1, 1, 70), "name": "SUPARNO"}], desa=OTHER_DESA)
    assert _outcome(links, 0)[:2] == ("P3", "matched")
    assert links["desa_level"][0] == "differs"


def test_individual_level_list_links_by_member_nik() -> None:
    members = pl.DataFrame(
        [
            {"household_id": "K1", "nik": _nik(11), "name": "KARTO", "relation": "Kepala Keluarga"},
            {"household_id": "K1", "nik": _nik(12, 55, 1, 75), "name": "SUMIYATI", "relation": "Istri"},
            {"household_id": "K2", "nik": _nik(13), "name": "PAIJO", "relation": "Kepala Keluarga"},
        ]
    )
    province = _normalised(members, region_code=DESA)
    links = _link(province, [{"nik": _nik(12, 55, 1, 75), "name": "SUMIYATI"}])
    assert _outcome(links, 0)[:2] == ("K1", "matched")
    assert links["nik_level"][0] == "member"


def test_file_without_desa_takes_the_desa_of_its_nik_matches() -> None:
    households, persons = prepare_province(_province(BASE))
    submitted = [
        {"nik": _nik(2, 55, 5, 80), "name": "TUKIYEM"},
        {"name": "AHMAD FAUZY", "rt": 2, "rw": 2, "birth_date": dt.date(1965, 12, 12)},
    ]
    rows = prepare_submissions(_normalised(pl.DataFrame(submitted, infer_schema_length=None), desa=None))
    assert rows["desa_code"].null_count() == 2
    without = link(rows, households, persons, MatchingConfig())
    assert without.filter(pl.col("s_idx") == 1).height == 0  # no desa: no fuzzy comparison
    rows = infer_file_desa(rows, households, persons, MatchingConfig())
    assert rows["desa_code"].to_list() == [DESA, DESA]
    assert rows["desa_inferred"].all()
    links = link(rows, households, persons, MatchingConfig())
    assert links.filter(pl.col("s_idx") == 1)["match_status"].to_list() == ["matched"]


def test_members_of_an_individual_level_submission_follow_their_head() -> None:
    households, persons = prepare_province(_province(BASE))
    kk = "3304031212100099"
    submitted = [
        {"nik": _nik(2, 55, 5, 80), "name": "TUKIYEM", "no_kk": kk, "relation": "Kepala Keluarga"},
        {"nik": _nik(91, 3, 3, 5), "name": "DWI LESTARI", "no_kk": kk, "relation": "Anak"},
        {"nik": _nik(92, 4, 4, 6), "name": "TRI WAHYUNI", "no_kk": "3304031212100098", "relation": "Anak"},
    ]
    frame = _normalised(pl.DataFrame(submitted, infer_schema_length=None), desa=DESA)
    links = link(prepare_submissions(frame), households, persons, MatchingConfig())
    linked = links.join(households.select("h_idx", pl.col("household_id").alias("linked_id")), on="h_idx")
    assert _outcome(linked, 0) == ("P2", "matched", "primary")
    assert _outcome(linked, 1) == ("P2", "matched", "member")
    assert _outcome(linked, 2) == (None, None, None)  # another family card: not this family


def test_members_follow_a_head_coded_01_but_not_an_excel_damaged_no_kk() -> None:
    """The submission side reads the head and the family card as the province fold does (family.py)."""
    households, persons = prepare_province(_province(BASE))
    kk = "3304031212100099"
    submitted = [
        {"nik": _nik(2, 55, 5, 80), "name": "TUKIYEM", "no_kk": kk, "relation": " 01 "},
        {"nik": _nik(91, 3, 3, 5), "name": "DWI LESTARI", "no_kk": kk, "relation": "04"},
        {"nik": _nik(1), "name": "SUPARNO", "no_kk": "3304031212100090", "relation": "1"},
        {"nik": _nik(93, 4, 4, 6), "name": "EKO PRASETYO", "no_kk": "3304031212100090", "relation": "4"},
    ]
    frame = _normalised(pl.DataFrame(submitted, infer_schema_length=None), desa=DESA).with_columns(
        pl.Series("no_kk_status", ["valid", "valid", "excel_damaged", "excel_damaged"])
    )
    links = link(prepare_submissions(frame), households, persons, MatchingConfig())
    linked = links.join(households.select("h_idx", pl.col("household_id").alias("linked_id")), on="h_idx")
    assert _outcome(linked, 0) == ("P2", "matched", "primary")
    assert _outcome(linked, 1) == ("P2", "matched", "member")
    assert _outcome(linked, 2) == ("P1", "matched", "primary")
    assert _outcome(linked, 3) == (None, None, None)  # a rounded card may be another family's


_TEXTS = st.one_of(st.none(), st.sampled_from(["", " ", "SUPARNO", "SUPARNO HADI", "HADI SUPARNO", "3304031508950001"]),
                   st.text(alphabet="AB 01", max_size=6))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS), max_size=30))
def test_pairwise_scores_equal_scoring_every_pair(pairs: list[tuple[str | None, str | None]]) -> None:
    """Equal texts take the scorer's self-score without being scored; the result is as if all were scored."""
    left = pl.Series([a for a, _ in pairs], dtype=pl.Utf8)
    right = pl.Series([b for _, b in pairs], dtype=pl.Utf8)
    for scorer in (fuzz.ratio, fuzz.token_sort_ratio, fuzz.token_set_ratio, OSA.distance):
        every = process.cpdist([a or "" for a, _ in pairs], [b or "" for _, b in pairs], scorer=scorer)
        (scored,) = _pairwise(left, right, scorer)
        assert scored.tolist() == [float(x) for x in every]


def test_sides_are_found_by_key_whatever_the_row_order() -> None:
    """attach_sides gathers by position when tables are numbered 0, 1, 2...; shuffled ones are joined."""
    households, persons = prepare_province(_province(BASE))
    persons = persons.with_columns(pl.lit(0.01).alias("name_frequency"))
    rows = prepare_submissions(_normalised(pl.DataFrame(BASE, infer_schema_length=None), desa=DESA))
    pairs = pl.DataFrame({"s_idx": [2, 0, 1, 0], "t_idx": [0, 3, 1, 0]})
    ordered = attach_sides(pairs, rows, persons, households)
    shuffled = attach_sides(
        pairs, rows.sample(fraction=1.0, shuffle=True, seed=3), persons.reverse(), households.reverse()
    )
    assert ordered.height == 4
    assert ordered["s_name"].to_list() == [BASE[2]["name"], BASE[0]["name"], BASE[1]["name"], BASE[0]["name"]]
    assert ordered.equals(shuffled)


# --- NIKs one edit apart, found by joins on their parts ----------------------------------------------------
_LISTED_NIK = "3304031508950001"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        (_LISTED_NIK, True),  # the same NIK
        ("3304031508950007", True),  # last digit changed
        ("9304031508950001", True),  # first digit changed
        ("3304031058950001", True),  # neighbours swapped across the middle (8th and 9th digits)
        ("3304301508950001", True),  # neighbours swapped in the first half
        ("3304031508950010", True),  # neighbours swapped in the second half
        ("3304031505980001", False),  # two digits apart swapped: two edits
        ("3304031508950022", False),  # two digits changed
        ("330403150895001", False),  # fifteen digits
    ],
)
def test_near_niks_are_the_nik_within_one_edit(typed: str, found: bool) -> None:
    from verval_cli.matching.candidates import _near_niks

    rows = pl.DataFrame({"s_idx": [0, 1], "desa_code": ["3304032004", "3304032005"], "nik": [typed, typed]})
    people = pl.DataFrame({"t_idx": [7], "desa_code": ["3304032004"], "nik": [_LISTED_NIK]})
    pairs = _near_niks(rows, people)
    expected = OSA.distance(typed, _LISTED_NIK) <= 1 and len(typed) == 16
    assert expected == found
    assert pairs.rows() == ([(0, 7)] if found else [])  # the row of another desa never pairs


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("0123456789", min_size=16, max_size=16), min_size=1, max_size=8),
    st.lists(st.text("0123", min_size=16, max_size=16), min_size=1, max_size=8),
)
def test_near_niks_agree_with_edit_distance(typed: list[str], listed: list[str]) -> None:
    from verval_cli.matching.candidates import _near_niks

    # Few distinct digits on the list side, so near pairs actually occur among the random NIKs.
    typed = typed + [n[:7] + n[8] + n[7] + n[9:] for n in listed] + [n[:15] + "9" for n in listed]
    rows = pl.DataFrame({"s_idx": range(len(typed)), "desa_code": "3304032004", "nik": typed})
    people = pl.DataFrame({"t_idx": range(len(listed)), "desa_code": "3304032004", "nik": listed})
    found = set(_near_niks(rows, people).rows())
    expected = {(i, j) for i, a in enumerate(typed) for j, b in enumerate(listed) if OSA.distance(a, b) <= 1}
    assert found == expected


def test_one_pair_per_household_check() -> None:
    from verval_cli.matching.assign import _one_pair_per_household

    def pairs(s: list[int], h: list[int]) -> pl.DataFrame:
        return pl.DataFrame({"s_idx": s, "h_idx": h}, schema={"s_idx": pl.Int64, "h_idx": pl.Int64})

    assert _one_pair_per_household(pairs([], []))
    assert _one_pair_per_household(pairs([0, 0, 1], [0, 1, 0]))
    assert not _one_pair_per_household(pairs([0, 1, 0], [5, 5, 5]))  # row 0 meets household 5 twice
    assert _one_pair_per_household(pairs([1, 0], [0, 1]))  # (1, 0) and (0, 1) are not the same key


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 9)), max_size=40))
def test_candidate_pairs_deduped_and_sorted_as_one_key(pairs: list[tuple[int, int]]) -> None:
    from verval_cli.matching.candidates import PAIR_SCHEMA, _distinct_sorted

    frame = pl.DataFrame(pairs, schema=PAIR_SCHEMA, orient="row")
    expected = frame.unique().sort("s_idx", "t_idx")
    assert _distinct_sorted(frame.lazy(), persons=10).equals(expected)


def test_candidate_pair_key_does_not_overflow_32_bit_indices() -> None:
    from verval_cli.matching.candidates import _distinct_sorted

    # 3,000 x a million-person width is past 2**31: an Int32 key would wrap to a negative number.
    frame = pl.DataFrame(
        {"s_idx": [3_000, 3_000, 2], "t_idx": [999_999, 999_999, 5]},
        schema={"s_idx": pl.Int32, "t_idx": pl.Int32},
    )
    out = _distinct_sorted(frame.lazy(), persons=1_000_000)
    assert out.rows() == [(2, 5), (3_000, 999_999)]
