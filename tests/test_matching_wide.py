"""Rows the desa search used to miss: a patronym on one side, a household found in another desa."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from policy_scenarios import OTHER_DESA, Person, levels, nik, row, run

from verval_cli.matching import rules

BORN = dt.date(1968, 2, 9)
AMINAH = Person("SITI AMINAH BINTI SALEH", nik(31, BORN, "P"), BORN, "P", rt=3, rw=1)


def test_a_patronym_on_one_side_is_a_candidate(tmp_path: Path) -> None:
    """No NIK, the list adds BINTI SALEH (token-sort similarity 65, other phonetic keys): still compared,
    and the birth date, sex and RT/RW make the link.

    (Fixed: the pair never became a candidate; the row was not_on_list and the household not reported.)
    """
    got = row(run(tmp_path, [AMINAH], [Person("SITI AMINAH", None, BORN, "P", rt=3, rw=1)]))
    assert (got["match_status"], got["match_method"]) == ("matched", "name")
    assert "name=high" in got["match_evidence"]


MOVED = Person("SITI AMINAH", nik(31, BORN, "P"), BORN, "P", rt=3, rw=1, desa=OTHER_DESA)
SCIENTIFIC = format(int(MOVED.nik or "0"), ".5E")  # "3.30403E+15": the kecamatan digits survive


def test_a_household_in_another_desa_is_found_by_the_digits_its_nik_kept(tmp_path: Path) -> None:
    """The household is listed in another desa of the kecamatan; the row's NIK was saved in scientific
    notation. Not found within the file's desa, it is found by the regency-wide search: name and birth
    date within the kecamatan the NIK digits name, one household fits, accepted and in_other_village.

    (Fixed: the name search stayed inside the file's desa; the row was not_on_list.)
    """
    got = row(run(tmp_path, [MOVED], [Person("SITI AMINAH", SCIENTIFIC, BORN, "P", rt=1, rw=2)]))
    assert (got["province_id"], got["match_status"]) == ("P0000", "matched")
    assert levels(got["match_evidence"])["desa"] == rules.KECAMATAN
    assert "in_other_village" in got["discrepancies"]


def test_two_households_fitting_in_other_desa_leave_the_row_for_review(tmp_path: Path) -> None:
    twin = dataclasses.replace(MOVED, nik=nik(32, BORN, "P"), household_id="PX02", desa="3304032006")
    got = row(run(tmp_path, [MOVED, twin], [Person("SITI AMINAH", SCIENTIFIC, BORN, "P", rt=1, rw=2)]))
    assert got["match_status"] == "review"


def test_name_and_birth_date_alone_in_another_desa_are_only_a_review(tmp_path: Path) -> None:
    """No NIK at all: the search covers the whole regency, whose households are many: review, never accepted."""
    got = row(run(tmp_path, [MOVED], [Person("SITI AMINAH", None, BORN, "P", rt=1, rw=2)]))
    assert (got["province_id"], got["match_status"]) == ("P0000", "review")
    assert levels(got["match_evidence"])["desa"] == rules.WIDE


def test_a_scientific_nik_alone_says_nothing_within_the_desa(tmp_path: Path) -> None:
    """Its region digits fit every NIK of the kecamatan: another person of the same name in the file's
    desa, born on another day, is no link (the digits used to weigh 8.6 and made it one)."""
    namesake = Person("SITI AMINAH", nik(40, dt.date(1970, 5, 6), "P"), dt.date(1970, 5, 6), "P")
    got = row(run(tmp_path, [namesake], [Person("SITI AMINAH", SCIENTIFIC, BORN, "P")]))
    assert got["match_status"] == "submission_only"
