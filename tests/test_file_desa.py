"""A file that names its desa nowhere takes the desa of most of its NIK-linked rows
(`matching.infer_file_desa`), and a family member's row follows its head's link (`attach_members`).

The frames are the real prepared ones: a tiny list and village files written as CSV, read through
`ingest`; only the desa of a row is changed by hand where a case needs a file that names it for some
rows and not others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from policy_scenarios import (
    CONFIG,
    DESA,
    OTHER_DESA,
    Person,
    nik,
    no_kk,
    run,
    write_province,
    write_submission,
)

from verval_cli.ingest import Province, ingest, ingest_province, link_batch, link_rows
from verval_cli.matching import infer_file_desa

BORN = dt.date(1975, 3, 14)


def _household(serial: int, name: str, desa: str = DESA) -> Person:
    born = BORN + dt.timedelta(days=serial)
    return Person(name, nik(serial, born), born, "L", kk=no_kk(serial), rt=1, rw=2, desa=desa)


# Three listed households of DESA and one of OTHER_DESA, each with a unique name and NIK.
LISTED = [
    _household(101, "SUTRISNO HADI"),
    _household(102, "WAGIMAN PRAWIRO"),
    _household(103, "SUPARMI RAHAYU"),
    _household(104, "KASDI SUWARNO", desa=OTHER_DESA),
    _household(105, "MARYATUN NINGSIH"),  # found only by name: the file gives no NIK for her
]


def _by_name(person: Person) -> Person:
    return Person(person.name, None, person.born, person.sex, rt=person.rt, rw=person.rw)


def _prepared(tmp_path: Path, files: dict[str, list[Person]]) -> tuple[pl.DataFrame, Province]:
    province = write_province(tmp_path, LISTED)
    for name, people in files.items():
        write_submission(tmp_path, people, name)
    listed = ingest_province(province, CONFIG)
    rows = link_rows(ingest([tmp_path / "submissions"], CONFIG, regency=listed.regency), listed.regency)
    return rows, listed


def test_a_file_without_a_desa_takes_its_majority_desa(tmp_path: Path) -> None:
    # Three rows link by NIK into DESA, one into OTHER_DESA: the file is DESA's, and the row typed by
    # name only is then compared with DESA's households and found.
    rows = [*LISTED[:4], _by_name(LISTED[4])]
    result = run(tmp_path, LISTED, {"hasil_verval.csv": rows})
    subs = result.submissions.sort("source_row")
    assert subs["desa_code"].to_list() == [DESA] * 5
    assert subs["desa_inferred"].to_list() == [True] * 5
    found = result.matches.filter(pl.col("submission_row") == 6)
    assert found["province_id"].to_list() == ["P0004"]
    assert found["match_status"].to_list() == ["matched"]


def test_a_single_row_without_a_desa_is_placed_too(tmp_path: Path) -> None:
    rows, listed = _prepared(tmp_path, {"hasil_verval.csv": [LISTED[3]]})
    assert rows["desa_code"].to_list() == [None]
    placed = infer_file_desa(rows, listed.households, listed.persons, CONFIG.matching)
    assert placed.select("desa_code", "desa_inferred").rows() == [(OTHER_DESA, True)]


def test_files_that_name_their_desa_are_not_inferred(tmp_path: Path) -> None:
    rows, listed = _prepared(tmp_path, {f"{DESA}_verval.csv": LISTED[:2]})
    placed = infer_file_desa(rows, listed.households, listed.persons, CONFIG.matching)
    assert placed.select("desa_code", "desa_inferred").rows() == [(DESA, False), (DESA, False)]


def test_a_row_whose_desa_is_known_keeps_it(tmp_path: Path) -> None:
    # The file names no desa, but its first row says its own (as a desa column filled on some rows
    # would): that desa stays, and only the rows without one take the file's majority.
    rows, listed = _prepared(tmp_path, {"hasil_verval.csv": LISTED[:4]})
    rows = rows.with_columns(
        pl.when(pl.col("s_idx") == 3)
        .then(pl.lit(OTHER_DESA))
        .otherwise(pl.col("desa_code"))
        .alias("desa_code")
    )
    placed = infer_file_desa(rows, listed.households, listed.persons, CONFIG.matching)
    assert placed.sort("s_idx").select("desa_code", "desa_inferred").rows() == [
        (DESA, True),
        (DESA, True),
        (DESA, True),
        (OTHER_DESA, False),
    ]


def test_equal_votes_go_to_the_smaller_desa_code(tmp_path: Path) -> None:
    # One row links into each desa: a tie. Today's rule gives it to the smaller code, whatever the
    # order of the rows (any fixed rule would do; this pins that the choice does not follow row order).
    for order in ([LISTED[0], LISTED[3]], [LISTED[3], LISTED[0]]):
        folder = tmp_path / str(order[0].nik)
        rows, listed = _prepared(folder, {"hasil_verval.csv": order})
        placed = infer_file_desa(rows, listed.households, listed.persons, CONFIG.matching)
        assert set(placed["desa_code"].to_list()) == {min(DESA, OTHER_DESA)}


# --- family members of an individual-level submission ---------------------------------------------------------
def _family(relation_of_second: str | None, second_nik: str | None) -> list[Person]:
    head = LISTED[0]
    member = Person(
        "SITI KHOTIJAH",
        second_nik,
        dt.date(1980, 1, 2),
        "P",
        kk=head.kk,
        rt=1,
        rw=2,
        relation=relation_of_second,
    )
    return [
        Person(head.name, head.nik, head.born, "L", kk=head.kk, rt=1, rw=2, relation="KEPALA KELUARGA"),
        member,
    ]


def _roles(
    tmp_path: Path, rows: list[Person], listed: list[Person] = LISTED
) -> list[tuple[str | None, str | None]]:
    result = run(tmp_path, listed, rows)
    found = result.matches.filter(pl.col("submission_row").is_not_null()).sort("submission_row")
    return found.select("province_id", "link_role").rows()


def test_a_member_row_follows_its_heads_link(tmp_path: Path) -> None:
    assert _roles(tmp_path, _family("ISTRI", nik(9, dt.date(1980, 1, 2), "P"))) == [
        ("P0000", "primary"),
        ("P0000", "member"),
    ]


def test_a_row_without_a_relation_is_no_member(tmp_path: Path) -> None:
    # Same family card as the head, but the row says nothing of its relation: it is not taken for a
    # member of the family; its No KK makes it a second report of the household (a duplicate).
    assert _roles(tmp_path, _family(None, nik(9, dt.date(1980, 1, 2), "P"))) == [
        ("P0000", "primary"),
        ("P0000", "secondary"),
    ]


def test_link_batch_fills_the_desa_before_linking(tmp_path: Path) -> None:
    rows, listed = _prepared(tmp_path, {"hasil_verval.csv": [*LISTED[:3], _by_name(LISTED[4])]})
    linked_rows, links = link_batch(rows, listed, CONFIG.matching)
    assert linked_rows["desa_inferred"].all()
    assert links.filter(pl.col("s_idx") == 3)["h_idx"].to_list() == [4]


def test_a_member_row_that_reports_another_listed_household_keeps_that_link(tmp_path: Path) -> None:
    # The wife's row carries the NIK of another listed head, who is reported on a row of his own: her
    # row is a second report of that household (worth a look), not silently a member of her family.
    # (A row copied from his: his name, NIK and date, her family's card and relation.) The list has no
    # No KK for her family, so only his NIK, name and date pair her row with the list.
    listed = [dataclasses.replace(LISTED[0], kk=None), *LISTED[1:]]
    head, member = _family("ISTRI", LISTED[1].nik)
    member = dataclasses.replace(member, name=LISTED[1].name, born=LISTED[1].born, sex="L")
    assert _roles(tmp_path, [head, member, LISTED[1]], listed) == [
        ("P0000", "primary"),
        ("P0001", "secondary"),
        ("P0001", "primary"),
    ]


# --- the prepared list -----------------------------------------------------------------------------------------------
def test_a_household_level_list_has_one_member_per_household(tmp_path: Path) -> None:
    result = run(tmp_path, LISTED, LISTED[:2])
    assert result.province["member_count"].unique().to_list() == [1]


def test_a_listed_nik_too_long_for_a_number_is_read(tmp_path: Path) -> None:
    # An operator typed four digits too many into the list: the row stays on the list (an invalid NIK),
    # and the others link as usual.
    listed = [*LISTED[:4], dataclasses.replace(LISTED[4], nik=f"{LISTED[4].nik}1234")]
    result = run(tmp_path, listed, LISTED[:1])
    assert result.province.height == len(listed) + 120  # the filler households
    assert result.matches.filter(pl.col("submission_row") == 2)["province_id"].to_list() == ["P0000"]


def test_a_repeat_in_a_second_file_of_the_desa_that_names_no_desa_is_a_duplicate(tmp_path: Path) -> None:
    # The second file names no desa, but its rows show it is the same desa's (one file per RW): a
    # household it repeats is reported twice by its own desa, not by another village.
    result = run(tmp_path, LISTED, {f"{DESA}_rw1.csv": [LISTED[0]], "hasil_rw2.csv": [LISTED[0], LISTED[1]]})
    repeat = result.matches.filter(
        pl.col("submission_file").str.ends_with("hasil_rw2.csv") & (pl.col("submission_row") == 2)
    )
    assert repeat["link_role"].to_list() == ["secondary"]
    assert repeat["discrepancies"].to_list() == [["duplicate_in_submission"]]


def test_a_repeat_in_another_desas_file_is_in_another_village(tmp_path: Path) -> None:
    files: dict[str, Sequence[Person]] = {
        f"{DESA}_verval.csv": [LISTED[0]],
        f"{OTHER_DESA}_verval.csv": [LISTED[0], LISTED[3]],
    }
    result = run(tmp_path, LISTED, files)
    repeat = result.matches.filter(
        pl.col("submission_file").str.ends_with(f"{OTHER_DESA}_verval.csv") & (pl.col("submission_row") == 2)
    )
    assert repeat["discrepancies"].to_list() == [["in_other_village"]]


def test_a_listed_no_kk_too_long_for_a_number_is_read(tmp_path: Path) -> None:
    # The same with the family card: the pair is still compared (the card just fits nothing).
    listed = [dataclasses.replace(LISTED[0], kk=f"{LISTED[0].kk}1234"), *LISTED[1:]]
    typed = dataclasses.replace(LISTED[0], kk="3.30403E+15")  # an Excel-damaged card on the row
    result = run(tmp_path, listed, [typed])
    assert result.matches.filter(pl.col("submission_row") == 2)["province_id"].to_list() == ["P0000"]
