"""How two names are compared inside a pair (`verval_cli/matching/score.py`), and the score's form.

Cases the known-answer policy tests do not reach: a patronym ("BIN"/"BINTI ...") written on one side
only, and the score as the output contract writes it (one decimal).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from policy_scenarios import Person, levels, nik, no_kk, row, run

from verval_cli.matching import rules

BORN = dt.date(1968, 7, 21)
LISTED = Person("SITI AMINAH", nik(401, BORN, "P"), BORN, "P", rt=3, rw=1)


@pytest.mark.parametrize(
    ("listed_name", "typed_name"),
    [
        ("SITI AMINAH BINTI SALEH", "SITI AMINAH"),  # the list adds her father's name
        ("SITI AMINAH", "SITI AMINAH BINTI SALEH"),  # the village adds it
    ],
)
def test_a_patronym_on_one_side_only_still_compares_the_names_as_equal(
    tmp_path: Path, listed_name: str, typed_name: str
) -> None:
    listed = dataclasses.replace(LISTED, name=listed_name)
    # The NIK brings the pair together; the name is then judged without the patronym.
    got = row(run(tmp_path, [listed], [dataclasses.replace(LISTED, name=typed_name)]))
    assert levels(got["match_evidence"])["name"] == rules.HIGH
    assert got["match_status"] == "matched"


def test_match_score_has_one_decimal(tmp_path: Path) -> None:
    typed = dataclasses.replace(LISTED, name="SITI AMINA", nik=None)
    result = run(tmp_path, [LISTED], [typed])
    scores = result.matches["match_score"].to_list()
    assert all(round(s, 1) == s for s in scores)
    assert any(0 < s < 100 for s in scores)


def test_a_damaged_nik_against_a_listed_person_without_a_nik_is_unknown(tmp_path: Path) -> None:
    # Excel turned the NIK into 3.30403E+15: it fits any listed NIK of the regency's first digits, but a
    # listed person with no NIK at all gives it nothing to fit.
    listed = dataclasses.replace(LISTED, nik=None)
    typed = dataclasses.replace(LISTED, nik="3.30403E+15")
    got = row(run(tmp_path, [listed], [typed]))
    assert levels(got["match_evidence"])["nik"] == rules.UNKNOWN


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("SUPARMANSO", rules.HIGH),  # one letter of ten: similarity exactly NAME_HIGH (90.0)
        ("SUPARMAKSO", rules.MEDIUM),  # two letters of ten: exactly NAME_MEDIUM (80.0)
    ],
)
def test_name_similarity_thresholds_are_inclusive(tmp_path: Path, typed: str, level: str) -> None:
    listed = dataclasses.replace(LISTED, name="SUPARMANTO")
    got = row(run(tmp_path, [listed], [dataclasses.replace(listed, name=typed)]))
    assert levels(got["match_evidence"])["name"] == level


def test_the_household_id_is_household_evidence_not_the_persons(tmp_path: Path) -> None:
    # A template row with the list's household id and family card, but another person (no NIK typed):
    # the id says which household, not who heads it, so the person evidence alone (another name) shows
    # the head changed.
    listed = dataclasses.replace(LISTED, kk=no_kk(401), household_id="P0000")
    typed = Person("KASMINI PURWANTI", None, None, "P", kk=no_kk(401), rt=3, rw=1, household_id="P0000")
    got = row(run(tmp_path, [listed], [typed]))
    assert got["province_id"] == "P0000"
    assert got["discrepancies"] == ["nik_missing", "head_changed"]
