"""The one fold of an individual-level province list into households: who heads a family, who is in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from layouts import Layout, all_layouts
from layouts.values import person

from verval_cli.io import load_table
from verval_cli.matching import prepare_province
from verval_cli.matching.family import is_head_expr, is_individual_level
from verval_cli.normalize import normalize_frame

Row = dict[str, Any]


def _nik(i: int) -> str:
    return f"3304031508{i // 10000 % 100:02d}{i % 10000:04d}"


def _kk(i: int) -> str:
    return f"330403010120{i % 10000:04d}"


def _frame(rows: list[Row]) -> pl.DataFrame:
    columns = ("household_id", "no_kk", "no_kk_status", "nik", "name", "relation")
    return pl.DataFrame(
        {
            "source_file": ["p.xlsx"] * len(rows),
            "source_row": list(range(2, len(rows) + 2)),
            **{c: [r.get(c) for r in rows] for c in columns},
        },
        schema_overrides={c: pl.Utf8 for c in columns} | {"source_row": pl.Int64},
    )


def _fold(rows: list[Row]) -> list[tuple[str | None, list[str | None]]]:
    """(head's NIK, every member's NIK: the head's first, then in list order) per household, in order."""
    households, persons = prepare_province(_frame(rows))
    assert households["h_idx"].to_list() == list(range(households.height))
    members = persons.group_by("h_idx", maintain_order=True).agg("nik").sort("h_idx")
    heads = persons.filter("is_head").sort("h_idx")
    assert heads["h_idx"].to_list() == households["h_idx"].to_list()  # one chosen head per household
    assert heads["nik"].to_list() == households["nik"].to_list()  # the household row is the head's row
    assert households["member_count"].to_list() == members["nik"].list.len().to_list()
    return list(zip(heads["nik"].to_list(), members["nik"].to_list(), strict=True))


def _person(i: int, relation: str | None, household_id: str | None = None, no_kk: str | None = None) -> Row:
    return {
        "nik": _nik(i),
        "name": f"WARGA {i}",
        "relation": relation,
        "household_id": household_id,
        "no_kk": no_kk,
    }


# --- who is the head ---------------------------------------------------------------------------------

HEADS = [
    "Kepala Keluarga",  # P3KE individu, OpenSID "Hub. Keluarga"
    "KEPALA KELUARGA",  # Dukcapil DKB / SIAK text, OpenSID print
    "kepala keluarga",
    " Kepala Keluarga ",
    "Kepala",  # operators' sheets
    "KEPALA RUMAH TANGGA",  # DTKS / BDT "hubungan dengan KRT"
    "Kepala Rumah Tangga",
    "KEPALA RUTA",
    "Kepala Keluarga (KK)",
    "KK",
    "KRT",
    "1",  # SHDK / STAT_HBKEL / OpenSID kk_level / DTKS HubKRT code 1
    "01",
    " 01 ",
    " 1",
    "1 ",
    "1. Kepala Keluarga",  # code and label in one cell, as in drop-down templates
    "01 - KEPALA KELUARGA",
]
NOT_HEADS = [
    "Istri",
    "Suami",
    "ISTRI/SUAMI",
    "Anak",
    "ANAK KANDUNG",
    "Menantu",
    "Cucu",
    "Orang Tua",
    "Mertua",
    "Famili Lain",
    "Pembantu",
    "Lainnya",
    "Anggota Keluarga",
    "2",
    "02",
    "3",
    "10",  # Dukcapil 10 = PEMBANTU
    "11",  # Dukcapil 11 = LAINNYA
    "",
    " ",
    None,
]


@pytest.mark.parametrize("relation", HEADS)
def test_each_head_vocabulary_marks_the_head(relation: str) -> None:
    frame = pl.DataFrame({"relation": [relation]}, schema={"relation": pl.Utf8})
    assert frame.select(is_head_expr()).item() is True


@pytest.mark.parametrize("relation", NOT_HEADS)
def test_other_relations_are_members(relation: str | None) -> None:
    frame = pl.DataFrame({"relation": [relation]}, schema={"relation": pl.Utf8})
    assert frame.select(is_head_expr()).item() is False


@pytest.mark.parametrize(
    "head", ["1", "01", " 01 ", "Kepala Keluarga", "KEPALA KELUARGA", "Kepala", "KK", "KRT"]
)
def test_a_coded_list_folds_like_a_worded_one(head: str) -> None:
    """A list whose only head mark is "01" (or "Kepala") is individual-level: the old matcher read "01"
    as no head at all, so took the list as household-level and made every person a household."""
    member = {"1": "4", "01": "04", " 01 ": " 04 "}.get(head, "Anak")
    rows = [
        _person(1, head, no_kk=_kk(1)),
        _person(2, member, no_kk=_kk(1)),
        _person(3, head, no_kk=_kk(2)),
        _person(4, member, no_kk=_kk(2)),
        _person(5, member, no_kk=_kk(2)),
    ]
    assert is_individual_level(_frame(rows))
    assert _fold(rows) == [(_nik(1), [_nik(1), _nik(2)]), (_nik(3), [_nik(3), _nik(4), _nik(5)])]


def test_the_head_need_not_be_listed_first() -> None:
    rows = [_person(1, "Istri", "H1"), _person(2, "Kepala Keluarga", "H1"), _person(3, "Anak", "H1")]
    rows.append(_person(4, "Kepala Keluarga", "H2"))
    assert _fold(rows) == [(_nik(2), [_nik(2), _nik(1), _nik(3)]), (_nik(4), [_nik(4)])]


def test_a_family_without_a_marked_head_is_headed_by_its_first_listed_member() -> None:
    rows = [_person(1, "Kepala Keluarga", "H1"), _person(2, "Istri", "H2"), _person(3, "Anak", "H2")]
    assert _fold(rows) == [(_nik(1), [_nik(1)]), (_nik(2), [_nik(2), _nik(3)])]


def test_a_family_with_two_marked_heads_is_headed_by_the_first_listed() -> None:
    rows = [
        _person(1, "Anak", "H1"),
        _person(2, "KEPALA KELUARGA", "H1"),
        _person(3, "Kepala Keluarga", "H1"),
    ]
    rows.append(_person(4, "Kepala Keluarga", "H2"))
    assert _fold(rows) == [(_nik(2), [_nik(2), _nik(1), _nik(3)]), (_nik(4), [_nik(4)])]


# --- who is in the family ------------------------------------------------------------------------------


def test_one_row_per_family_with_the_heads_fields() -> None:
    """Moved from the old io fold: families by household id, else No KK; the household row is the head's."""
    rows = [
        _person(1, "Istri", "H1"),
        _person(2, "Kepala Keluarga", "H1"),
        _person(3, "Anak", "H1"),
        _person(4, "Anak", no_kk=_kk(2)),
        _person(5, "Cucu", no_kk=_kk(2)),
        _person(6, "KEPALA KELUARGA", "H3"),
    ]
    households, persons = prepare_province(_frame(rows))
    assert households.select("household_id", "no_kk", "nik", "member_count", "source_row").rows() == [
        ("H1", None, _nik(2), 3, 3),
        (None, _kk(2), _nik(4), 2, 5),  # no head marked: the first member stands in
        ("H3", None, _nik(6), 1, 7),
    ]
    assert persons.height == len(rows)
    assert persons["h_idx"].to_list() == [0, 0, 0, 1, 1, 2]


def test_the_household_id_wins_over_the_no_kk() -> None:
    rows = [
        _person(1, "Kepala Keluarga", "H1", _kk(1)),
        _person(2, "Anak", "H1", _kk(9)),  # another card (split family), same P3KE household
        _person(3, "Kepala Keluarga", None, _kk(9)),
    ]
    assert _fold(rows) == [(_nik(1), [_nik(1), _nik(2)]), (_nik(3), [_nik(3)])]


def test_an_id_equal_to_another_familys_no_kk_does_not_join_them() -> None:
    rows = [_person(1, "Kepala Keluarga", _kk(5)), _person(2, "Kepala Keluarga", None, _kk(5))]
    rows.append(_person(3, "Anak", None, _kk(5)))
    assert _fold(rows) == [(_nik(1), [_nik(1)]), (_nik(2), [_nik(2), _nik(3)])]


def test_rows_without_a_family_key_follow_the_row_above() -> None:
    """Members sit under their head: a row with no id and no usable No KK joins the family above it."""
    rows = [
        _person(1, "Anak"),  # above any head or key: a family of its own
        _person(2, "Anak"),
        _person(3, "Kepala Keluarga"),
        _person(4, "Istri"),
        _person(5, "Kepala Keluarga", no_kk=_kk(7)),
        _person(6, "Anak", no_kk=_kk(7)),
        _person(7, "Anak"),  # No KK left empty: still the family above, not a household of its own
        _person(8, "KEPALA KELUARGA", no_kk="3.30403E+15"),  # unusable No KK, a head: a new family
        _person(9, "ANAK", no_kk="33040301"),
    ]
    assert _fold(rows) == [
        (_nik(1), [_nik(1), _nik(2)]),
        (_nik(3), [_nik(3), _nik(4)]),
        (_nik(5), [_nik(5), _nik(6), _nik(7)]),
        (_nik(8), [_nik(8), _nik(9)]),
    ]


def test_excel_damaged_no_kks_do_not_merge_families() -> None:
    """Excel rounds the 16th digit: the cards of families registered the same day become one value."""
    damaged = {"no_kk": "3304030101200000", "no_kk_status": "excel_damaged"}
    rows = [
        _person(1, "Kepala Keluarga") | damaged,
        _person(2, "Istri") | damaged,
        _person(3, "Kepala Keluarga") | damaged,
        _person(4, "Anak") | damaged,
    ]
    assert _fold(rows) == [(_nik(1), [_nik(1), _nik(2)]), (_nik(3), [_nik(3), _nik(4)])]


@pytest.mark.parametrize("relation", [None, "Kepala Keluarga", "01"])
def test_a_household_level_list_passes_through_unchanged(relation: str | None) -> None:
    """One row per household (every row the head, or no relation at all): each row is its household."""
    rows = [_person(i, relation, f"H{i % 3}", _kk(1)) for i in range(6)]  # shared keys are not merged
    frame = _frame(rows)
    assert not is_individual_level(frame)
    households, persons = prepare_province(frame)
    assert households.select(frame.columns).equals(frame)
    assert households["h_idx"].to_list() == list(range(6))
    assert households["member_count"].to_list() == [1] * 6
    assert persons["nik"].to_list() == frame["nik"].to_list()
    assert persons["is_head"].all()


# --- properties ----------------------------------------------------------------------------------------

_RELATIONS = st.sampled_from(
    ["Kepala Keluarga", "KEPALA", "01", "1", "KRT", "Istri", "Anak", "04", "Cucu", None]
)


@st.composite
def _keyed_families(draw: st.DrawFn) -> list[Row]:
    """Families keyed by household id or No KK, each with exactly one marked head."""
    rows: list[Row] = []
    for family in range(draw(st.integers(1, 6))):
        key = {"household_id": f"H{family}"} if draw(st.booleans()) else {"no_kk": _kk(family)}
        head = draw(st.sampled_from(["Kepala Keluarga", "KEPALA KELUARGA", "01", "1", "KK", "KRT", "Kepala"]))
        size = draw(st.integers(0, 4))
        others = draw(
            st.lists(
                st.sampled_from(["Istri", "Suami", "Anak", "04", "3", None]), min_size=size, max_size=size
            )
        )
        for member, relation in enumerate([head, *others]):
            rows.append(_person(family * 10 + member, relation) | key)
    return rows


def _by_household(rows: list[Row]) -> set[tuple[str | None, frozenset[str | None]]]:
    return {(head, frozenset(members)) for head, members in _fold(rows)}


@settings(max_examples=60, deadline=None)
@given(_keyed_families(), st.randoms(use_true_random=False))
def test_members_in_any_row_order_give_the_same_households(rows: list[Row], random: Any) -> None:
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert _by_household(shuffled) == _by_household(rows)


@st.composite
def _any_rows(draw: st.DrawFn) -> list[Row]:
    """Any mix of relations, ids, No KKs (valid, damaged, missing) in any order."""
    n = draw(st.integers(1, 25))
    return [
        _person(
            i,
            draw(_RELATIONS),
            draw(st.sampled_from([None, None, "H1", "H2"])),
            draw(st.sampled_from([None, _kk(1), _kk(2), "3.30403E+15", ""])),
        )
        for i in range(n)
    ]


@settings(max_examples=80, deadline=None)
@given(_any_rows())
def test_every_person_row_lands_in_exactly_one_household(rows: list[Row]) -> None:
    households, persons = prepare_province(_frame(rows))
    assert sorted(persons["nik"].to_list()) == sorted(r["nik"] for r in rows)  # none dropped, none doubled
    assert persons["t_idx"].to_list() == list(range(len(rows)))
    assert set(persons["h_idx"].to_list()) == set(households["h_idx"].to_list())
    assert int(households["member_count"].sum()) == len(rows)
    assert persons.filter("is_head")["h_idx"].is_unique().all()
    assert persons.filter("is_head").height == households.height


# --- the real layouts ----------------------------------------------------------------------------------

_PERSON_LAYOUTS = [layout for layout in all_layouts() if "relation" in layout.expected.values()]


def test_the_corpus_has_person_layouts_of_each_vocabulary() -> None:
    kinds = {kind for layout in _PERSON_LAYOUTS for _, kind, field in layout.columns if field == "relation"}
    assert kinds == {"relation", "relation_code"}  # "KEPALA KELUARGA" and SHDK codes "1".."4"


@pytest.mark.parametrize("layout", _PERSON_LAYOUTS, ids=lambda layout: layout.name)
def test_each_person_layout_folds_into_its_families(layout: Layout, tmp_path: Path) -> None:
    """Families of four (head, wife, two children) written as each real export writes them."""
    loaded = load_table(layout.write(tmp_path))
    households, persons = prepare_province(normalize_frame(loaded.frame))
    families = -(-layout.rows // 4)
    assert households.height == families
    assert persons.height == layout.rows
    assert households["member_count"].to_list() == [min(4, layout.rows - 4 * f) for f in range(families)]
    if "nik" in layout.expected.values():
        assert households["nik"].to_list() == [person(4 * f).nik for f in range(families)]
