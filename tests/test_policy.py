"""Known answers for the matching policy (rules.py), through the public ``reconcile``.

Each case puts one submitted row on one side of one boundary of the policy: a comparison level, the
term-frequency name weight, "a repaired NIK needs an agreeing name", the head-change floor, the id
conflict rule and the ambiguity margin. The expected outcome is written as the policy states it
(matched / review / not linked, and by which evidence); the arithmetic in each comment shows why,
with the weights of rules.WEIGHTS. The tests then check three things against each other:

* the outcome (status, method, linked household) is the one the policy promises;
* the comparison levels in the link's evidence are the ones the case was built for, each with the
  weight rules.WEIGHTS gives that level;
* the link score is rules.score_from_weight of the sum of those weights (so the score band, not only
  an upper bound, is pinned).

A tuned weight may legitimately move a case across its boundary: then re-check the case's arithmetic,
don't copy the new output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from policy_scenarios import (
    ACCEPT,
    CONFIG,
    FILLER_COUNT,
    OTHER_DESA,
    REVIEW,
    Person,
    evidence,
    levels,
    near,
    nik,
    no_kk,
    row,
    run,
    weight_of,
    write_province,
    write_submission,
)
from rapidfuzz import fuzz

from verval_cli.io import load_table
from verval_cli.matching import link, prepare_province, prepare_submissions, rules
from verval_cli.normalize import normalize_frame

BORN = dt.date(1971, 3, 4)
OTHER_YEAR = dt.date(1980, 6, 7)  # another birth date: other year, day and month not swapped
SAME_YEAR = dt.date(1971, 9, 9)  # "close": same year
SWAPPED = dt.date(1972, 4, 3)  # "close": day and month of BORN swapped
NIK0 = nik(11, BORN)
OTHER_NIK = nik(55, OTHER_YEAR)  # differs from NIK0 in many digits, another birth date inside
KK0 = no_kk(1001)
NAME = "SUKIMAN HARJO"
# Name variants of NAME and the level each falls into (similarity = rapidfuzz ratio / token sort, 0-100).
HIGH = "SUKIMAN HARYO"  # 92: one letter typed wrong (>= NAME_HIGH)
PHONETIC = "SUKIMEN HARJA"  # other vowels, same phonetic key (old spellings are normalised before)
PARTIAL = "SUKIMAN"  # wholly inside NAME, 7 letters (>= NAME_CONTAINED_MIN_LETTERS)
MEDIUM = "SUKIMIN HARJONO"  # 86 (>= NAME_MEDIUM, < NAME_HIGH), another phonetic key
LOW = "SUKARNI HARTO"  # 77 (>= NAME_LOW, < NAME_MEDIUM)
OTHER = "BUDI SANTOSO"  # 40: another name

HEAD = Person(NAME, NIK0, BORN, "L", household_id="P0001")
HEAD_RTRW = dataclasses.replace(HEAD, rt=1, rw=2)
HEAD_KK = dataclasses.replace(HEAD, kk=KK0, rt=1, rw=2)
SPOUSE_BORN = dt.date(1975, 5, 5)

WIFE_NIK = nik(21, SPOUSE_BORN, "P")
FAMILY = [
    dataclasses.replace(HEAD, relation="Kepala Keluarga"),
    Person("PAINEM", WIFE_NIK, SPOUSE_BORN, "P", household_id="P0001", relation="Istri"),
]

UNKNOWN = {"kk": "unknown", "rt_rw": "unknown", "desa": "same", "household_id": "unknown"}


def lv(nik_level: str, name: str, birth_date: str, sex: str, **other: str) -> dict[str, str]:
    return {"nik": nik_level, "name": name, "birth_date": birth_date, "sex": sex, **UNKNOWN, **other}


def name_frequency(households: list[Person], name: str) -> float:
    """The share of the province list's people carrying ``name`` (the filler never does)."""
    return sum(p.name == name for p in households) / (len(households) + FILLER_COUNT)


@dataclasses.dataclass(frozen=True)
class Case:
    households: list[Person]
    submitted: Person
    linked: str | None  # expected province id; None: the row stays unlinked
    status: str  # matched / review / submission_only
    method: str | None = None
    levels: dict[str, str] | None = None


CASES: dict[str, Case] = {
    # --- NIK levels --------------------------------------------------------------------------------
    "identical NIK, everything agrees": Case(
        [HEAD], Person(NAME, NIK0, BORN, "L"), "P0001", "matched", "nik", lv("same", "exact", "same", "same")
    ),
    # 19.7 - 4.84 - 3.6 + 0.96 = 12.2 >= 10.1: an identical NIK outweighs a retyped name and date
    "identical NIK, other name and birth date": Case(
        [HEAD],
        Person(OTHER, NIK0, OTHER_YEAR, "L"),
        "P0001",
        "matched",
        "nik",
        lv("same", "differs", "differs", "same"),
    ),
    # 19.7 - 4.84 - 3.6 - 4.06 = 7.2 < 8.2: the NIK alone against name, date and sex is not a link
    "identical NIK, nothing else agrees": Case(
        [HEAD], Person(OTHER, NIK0, OTHER_YEAR, "P"), None, "submission_only"
    ),
    "near NIK with the listed name": Case(
        [HEAD],
        Person(NAME, near(NIK0), BORN, "L"),
        "P0001",
        "matched",
        "nik_repaired",
        lv("near", "exact", "same", "same"),
    ),
    # 10.97 + 2.0 - 3.6 + 0.96 = 10.33: just above the accept threshold (10.10)
    "near NIK, partial name, other birth date": Case(
        [HEAD],
        Person(PARTIAL, near(NIK0), OTHER_YEAR, "L"),
        "P0001",
        "matched",
        "nik_repaired",
        lv("near", "partial", "differs", "same"),
    ),
    # 10.97 + 0.74 - 3.6 + 0.96 = 9.07: in the review band (8.18 .. 10.10)
    "near NIK, medium name, other birth date": Case(
        [HEAD],
        Person(MEDIUM, near(NIK0), OTHER_YEAR, "L"),
        "P0001",
        "review",
        "nik_repaired",
        lv("near", "medium", "differs", "same"),
    ),
    # A repaired NIK counts only with an agreeing name: 0 - 2.32 + 8.73 + 0.96 = 7.37 < 8.18
    "near NIK, low name": Case([HEAD], Person(LOW, near(NIK0), BORN, "L"), None, "submission_only"),
    # Same, plus RT/RW: 0 - 2.32 + 8.73 + 0.96 + 2.82 = 10.19: linked, but by name, not by the NIK
    "near NIK, low name, same RT/RW: linked by name": Case(
        [HEAD_RTRW],
        Person(LOW, near(NIK0), BORN, "L", rt=1, rw=2),
        "P0001",
        "matched",
        "name",
        lv("near", "low", "same", "same", rt_rw="same"),
    ),
    # "SITI" inside "SITI AMINAH" says nothing (4 letters): no agreeing name, the near NIK weighs 0
    "near NIK, a short name inside the listed one": Case(
        [Person("SITI AMINAH", nik(21, SPOUSE_BORN, "P"), SPOUSE_BORN, "P")],
        Person("SITI", near(nik(21, SPOUSE_BORN, "P")), SPOUSE_BORN, "P"),
        None,
        "submission_only",
    ),
    "near NIK, a long enough name inside the listed one": Case(
        [Person("SITI AMINAH", nik(21, SPOUSE_BORN, "P"), SPOUSE_BORN, "P")],
        Person("AMINAH", near(nik(21, SPOUSE_BORN, "P")), SPOUSE_BORN, "P"),
        "P0000",
        "matched",
        "nik_repaired",
        lv("near", "partial", "same", "same"),
    ),
    # Found only through the NIK (the name "HARJO" is too unlike the listed one to be compared by name),
    # digits 7 and 8 swapped: 10.97 + 2.0 (HARJO inside the listed name) + 1.22 + 0.96 = 15.15
    "NIK with digits 7 and 8 swapped, a part of the name": Case(
        [Person(NAME, nik(11, dt.date(1971, 3, 12)), dt.date(1971, 3, 12), "L", household_id="P0001")],
        Person("HARJO", nik(11, dt.date(1971, 3, 21)), None, "L"),
        "P0001",
        "matched",
        "nik_repaired",
        lv("near", "partial", "close", "same"),
    ),
    # Digits 12 and 13 swapped (year 71 serial 0011 -> year 70 serial 1011), found through the NIK only;
    # its year then differs: 10.97 + 2.0 - 3.6 + 0.96 = 10.33
    "NIK with digits 12 and 13 swapped, a part of the name": Case(
        [HEAD],
        Person("HARJO", "3304030403701011", None, "L"),
        "P0001",
        "matched",
        "nik_repaired",
        lv("near", "partial", "differs", "same"),
    ),
    # Excel wrote the NIK in scientific notation: only the 6 region digits survive, which most NIKs of
    # the desa share (level region, 0.29): the name and birth date carry the link, 0.29 + 6.40 + 8.73 + 0.96
    "Excel-damaged NIK with the listed name": Case(
        [HEAD],
        Person(NAME, "3.30403E+15", BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("region", "exact", "same", "same"),
    ),
    # 0 (damaged NIK without agreeing name) - 2.32 + 8.73 + 0.96 = 7.37
    "Excel-damaged NIK, low name": Case(
        [HEAD], Person(LOW, "3.30403E+15", BORN, "L"), None, "submission_only"
    ),
    # Only the region digits survive: 0.29 + 0.74 + 0.96 = 1.99 (no birth date on the row): no link.
    # (Until issue 20 the region digits weighed 8.64, as if they named the person, and this was accepted.)
    "Excel-damaged NIK, medium name, no birth date": Case(
        [HEAD], Person(MEDIUM, "3.30403E+15", None, "L"), None, "submission_only"
    ),
    # 8.64 + 2.0 - 3.6 + 0.96 = 8.00: just below review
    "Excel-damaged NIK, partial name, other birth date": Case(
        [HEAD], Person(PARTIAL, "3.30403E+15", OTHER_YEAR, "L"), None, "submission_only"
    ),
    # The operator's corrected-NIK column holds the listed NIK, the NIK column another one:
    # 15.61 - 2.32 - 3.6 + 0.96 = 10.65 (matched); with another name altogether 15.61 - 4.84 - 3.6 + 0.96
    # = 8.13, just below review.
    "corrected NIK, low name, other birth date": Case(
        [HEAD],
        Person(LOW, OTHER_NIK, OTHER_YEAR, "L", nik_corrected=NIK0),
        "P0001",
        "matched",
        "nik",
        lv("corrected", "low", "differs", "same"),
    ),
    "corrected NIK, other name, other birth date": Case(
        [HEAD], Person(OTHER, OTHER_NIK, OTHER_YEAR, "L", nik_corrected=NIK0), None, "submission_only"
    ),
    # An individual-level list: the wife's NIK names a member of the family (not its head):
    # 15.61 - 2.32 - 3.6 + 0.96 = 10.65 and 15.61 - 4.84 - 3.6 + 0.96 = 8.13, as for a corrected NIK.
    "member's NIK, low name, other birth date": Case(
        FAMILY,
        Person("WAGINEM", WIFE_NIK, OTHER_YEAR, "P"),
        "P0001",
        "matched",
        "nik",
        lv("member", "low", "differs", "same"),
    ),
    "member's NIK, other name, other birth date": Case(
        FAMILY, Person(OTHER, WIFE_NIK, OTHER_YEAR, "P"), None, "submission_only"
    ),
    # -4.03 + 6.40 + 8.73 + 0.96 = 12.06: a rare name and the birth date outweigh another NIK
    "other NIK, listed name and birth date": Case(
        [HEAD],
        Person(NAME, OTHER_NIK, BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("differs", "exact", "same", "same"),
    ),
    # -4.03 + 6.40 + 1.22 + 0.96 = 4.55
    "other NIK, listed name, birth date of the same year": Case(
        [HEAD], Person(NAME, OTHER_NIK, SAME_YEAR, "L"), None, "submission_only"
    ),
    # The list's NIK is unreadable (14 digits): no NIK comparison at all, the name and date decide
    "the list's NIK unreadable": Case(
        [dataclasses.replace(HEAD, nik=NIK0[:14])],
        Person(NAME, NIK0, BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("unknown", "exact", "same", "same"),
    ),
    "the list has no NIK": Case(
        [dataclasses.replace(HEAD, nik=None)],
        Person(NAME, NIK0, BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("unknown", "exact", "same", "same"),
    ),
    # A patronym the operator added is left out of the comparison: the names are then alike (high)
    "the listed name with a patronym added": Case(
        [HEAD],
        Person(f"{NAME} BIN KARTO", NIK0, BORN, "L"),
        "P0001",
        "matched",
        "nik",
        lv("same", "high", "same", "same"),
    ),
    # --- names without a NIK -----------------------------------------------------------------------
    # 6.40 + 1.22 + 0.96 = 8.58: a rare name with a close date is worth a look, not a link
    "rare name, close birth date": Case(
        [HEAD],
        Person(NAME, None, SAME_YEAR, "L"),
        "P0001",
        "review",
        "name",
        lv("unknown", "exact", "close", "same"),
    ),
    # The same with the name twice on the list: 5.42 + 1.22 + 0.96 = 7.60 < 8.18
    "common name, close birth date": Case(
        [HEAD, Person(NAME, nik(12, dt.date(1950, 1, 2)), dt.date(1950, 1, 2), "L")],
        Person(NAME, None, SAME_YEAR, "L"),
        None,
        "submission_only",
    ),
    "day and month swapped is close": Case(
        [HEAD],
        Person(NAME, None, SWAPPED, "L"),
        "P0001",
        "review",
        "name",
        lv("unknown", "exact", "close", "same"),
    ),
    # 4.64 + 1.22 + 0.96 + 2.82 = 9.64: just below the accept threshold
    "typo in the name, close date, same RT/RW": Case(
        [HEAD_RTRW],
        Person(HIGH, None, SAME_YEAR, "L", rt=1, rw=2),
        "P0001",
        "review",
        "name",
        lv("unknown", "high", "close", "same", rt_rw="same"),
    ),
    "old spelling, same birth date": Case(
        [HEAD],
        Person(PHONETIC, None, BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("unknown", "phonetic", "same", "same"),
    ),
    # Day of one equals month of the other, but not the other way round: not a swap, another date.
    # 6.40 - 3.60 + 0.96 = 3.76
    "rare name, half a swapped date": Case(
        [HEAD], Person(NAME, None, dt.date(1980, 5, 3), "L"), None, "submission_only"
    ),
    # The list gives no birth date: its NIK's date stands in (the NIKs differ, so no double count).
    # -4.03 + 6.40 + 8.73 + 0.96 = 12.06
    "the list gives no birth date, other NIK": Case(
        [dataclasses.replace(HEAD, born=None)],
        Person(NAME, OTHER_NIK, BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("differs", "exact", "same", "same"),
    ),
    # 4.64 + 1.22 + 0.96 = 6.82: a name that only sounds the same, with a close date, is no link
    "other vowels, close birth date": Case(
        [HEAD], Person(PHONETIC, None, SAME_YEAR, "L"), None, "submission_only"
    ),
    # 2.0 + 8.73 + 0.96 = 11.69
    "partial name, same birth date": Case(
        [HEAD],
        Person(PARTIAL, None, BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("unknown", "partial", "same", "same"),
    ),
    # 0.74 + 8.73 + 0.96 = 10.43: just above the accept threshold
    "medium name, same birth date": Case(
        [HEAD],
        Person(MEDIUM, None, BORN, "L"),
        "P0001",
        "matched",
        "name",
        lv("unknown", "medium", "same", "same"),
    ),
    # -2.32 + 8.73 + 0.96 = 7.37: just below the review threshold
    "low name, same birth date": Case([HEAD], Person(LOW, None, BORN, "L"), None, "submission_only"),
    # No NIK and no sex on the row: sex unknown (0), 6.40 + 8.73 = 15.13
    "rare name and birth date, nothing else": Case(
        [HEAD],
        Person(NAME, None, BORN, None),
        "P0001",
        "matched",
        "name",
        lv("unknown", "exact", "same", "unknown"),
    ),
    # 6.40 + 8.73 - 4.06 = 11.07
    "rare name and birth date, other sex": Case(
        [HEAD],
        Person(NAME, None, BORN, "P"),
        "P0001",
        "matched",
        "name",
        lv("unknown", "exact", "same", "differs"),
    ),
    # 6.40 + 8.73 + 0.96 - 2.55 = 13.54
    "rare name and birth date, other RT": Case(
        [HEAD_RTRW],
        Person(NAME, None, BORN, "L", rt=5, rw=2),
        "P0001",
        "matched",
        "name",
        lv("unknown", "exact", "same", "same", rt_rw="differs"),
    ),
    # --- No KK and the head-change floor -----------------------------------------------------------
    # The spouse now heads the family: person evidence -16.5 is floored at -3; 14.87 - 3 + 2.82 = 14.69
    "same No KK, another person (head changed)": Case(
        [HEAD_KK],
        Person("PAINEM", nik(77, SPOUSE_BORN, "P"), SPOUSE_BORN, "P", kk=KK0, rt=1, rw=2),
        "P0001",
        "matched",
        "kk",
        lv("differs", "differs", "differs", "differs", kk="same", rt_rw="same"),
    ),
    # 14.87 - 3 - 2.55 = 9.32: the floor keeps the family in review, not lost
    "same No KK, another person, other RT": Case(
        [HEAD_KK],
        Person("PAINEM", nik(77, SPOUSE_BORN, "P"), SPOUSE_BORN, "P", kk=KK0, rt=5, rw=2),
        "P0001",
        "review",
        "kk",
        lv("differs", "differs", "differs", "differs", kk="same", rt_rw="differs"),
    ),
    "same No KK, same head": Case(
        [HEAD_KK],
        Person(HIGH, NIK0, BORN, "L", kk=KK0, rt=1, rw=2),
        "P0001",
        "matched",
        "nik",
        lv("same", "high", "same", "same", kk="same", rt_rw="same"),
    ),
    "other No KK, same head": Case(
        [HEAD_KK],
        Person(NAME, NIK0, BORN, "L", kk=no_kk(1999), rt=1, rw=2),
        "P0001",
        "matched",
        "nik",
        lv("same", "exact", "same", "same", kk="differs", rt_rw="same"),
    ),
    # 6.40 + 8.73 + 0.96 - 3.31 - 2.55 = 10.23: other No KK and RT, still just above accept
    "other No KK and RT, rare name and birth date": Case(
        [HEAD_KK],
        Person(NAME, None, BORN, "L", kk=no_kk(1999), rt=5, rw=2),
        "P0001",
        "matched",
        "name",
        lv("unknown", "exact", "same", "same", kk="differs", rt_rw="differs"),
    ),
    # 6.40 + 1.22 + 0.96 - 3.31 = 5.27: another family card sinks a rare name with a close date
    "other No KK, rare name, close birth date": Case(
        [HEAD_KK], Person(NAME, None, SAME_YEAR, "L", kk=no_kk(1999)), None, "submission_only"
    ),
    # Excel wrote the No KK in scientific notation: only the region digits survive, which every family
    # card of the kecamatan shares (level region, 0.29). 0.29 + 2.0 + 0.96 = 3.25: no link.
    "Excel-damaged No KK, partial name": Case(
        [HEAD_KK], Person(PARTIAL, None, None, "L", kk="3.30403E+15"), None, "submission_only"
    ),
    # --- household id ------------------------------------------------------------------------------
    # 13.21 - 4.03 + 0.74 - 3.6 + 0.96 = 7.28 would be unlinked; with the birth date: 19.61
    "listed id, other NIK, medium name": Case(
        [HEAD],
        Person(MEDIUM, OTHER_NIK, BORN, "L", household_id="P0001"),
        "P0001",
        "matched",
        "id",
        lv("differs", "medium", "same", "same", household_id="same"),
    ),
    # Contradicted by NIK and name, the id weighs 0: -4.03 - 2.32 + 8.73 + 0.96 = 3.34
    "listed id, other NIK, low name": Case(
        [HEAD], Person(LOW, OTHER_NIK, BORN, "L", household_id="P0001"), None, "submission_only"
    ),
    # The id contradicted by NIK and name weighs 0, the family card links it:
    # -4.03 - 2.32 + 8.73 + 0.96 + 14.87 + 2.82 + 0 = 21.03, method kk (not id)
    "listed id, other NIK, low name, same No KK": Case(
        [HEAD_KK],
        Person(LOW, OTHER_NIK, BORN, "L", kk=KK0, rt=1, rw=2, household_id="P0001"),
        "P0001",
        "matched",
        "kk",
        lv("differs", "low", "same", "same", kk="same", rt_rw="same", household_id="same"),
    ),
    # 13.21 - 4.84 + 0.96 = 9.33: an id with a wrong name and no NIK is worth a look
    "listed id alone, other name": Case(
        [HEAD],
        Person(OTHER, None, None, "L", household_id="P0001"),
        "P0001",
        "review",
        "id",
        lv("unknown", "differs", "unknown", "same", household_id="same"),
    ),
    # 13.21 - 4.84 + 1.22 + 0.96 = 10.55: just above accept
    "listed id, other name, close birth date": Case(
        [HEAD],
        Person(OTHER, None, SAME_YEAR, "L", household_id="P0001"),
        "P0001",
        "matched",
        "id",
        lv("unknown", "differs", "close", "same", household_id="same"),
    ),
    # An id the list does not know is no evidence against (weight 0): the boundary cases above keep
    # their outcome. 0.74 + 8.73 + 0.96 = 10.43 (matched); -2.32 + 8.73 + 0.96 = 7.37 (not linked)
    "unknown id, medium name, same birth date": Case(
        [HEAD],
        Person(MEDIUM, None, BORN, "L", household_id="P9999"),
        "P0001",
        "matched",
        "name",
        lv("unknown", "medium", "same", "same", household_id="differs"),
    ),
    "unknown id, low name, same birth date": Case(
        [HEAD], Person(LOW, None, BORN, "L", household_id="P9999"), None, "submission_only"
    ),
    # Listed in another desa: 19.7 - 4.84 - 3.6 + 0.96 + 2.82 - 4.91 = 10.13, just above accept
    "identical NIK, other name and date, same RT/RW, another desa": Case(
        [dataclasses.replace(HEAD_RTRW, desa=OTHER_DESA)],
        Person(OTHER, NIK0, OTHER_YEAR, "L", rt=1, rw=2),
        "P0001",
        "matched",
        "nik",
        lv("same", "differs", "differs", "same", rt_rw="same", desa="differs"),
    ),
    # --- desa --------------------------------------------------------------------------------------
    "identical NIK, household listed in another desa": Case(
        [dataclasses.replace(HEAD, desa=OTHER_DESA)],
        Person(NAME, NIK0, BORN, "L"),
        "P0001",
        "matched",
        "nik",
        lv("same", "exact", "same", "same", desa="differs"),
    ),
}


@pytest.mark.parametrize("case_name", list(CASES))
def test_policy_known_answers(case_name: str, tmp_path: Path) -> None:
    case = CASES[case_name]
    result = run(tmp_path, case.households, [case.submitted])
    got = row(result)
    assert got["match_status"] == case.status, (case_name, got["match_evidence"])
    assert got["province_id"] == case.linked
    if case.linked is None:
        assert got["match_method"] == "none" and got["match_score"] == 0.0
        return
    assert got["match_method"] == case.method
    found = evidence(got["match_evidence"])
    assert case.levels is not None
    assert {c: level for c, (level, _) in found.items()} == case.levels
    # Each level weighs what rules.WEIGHTS says (evidence shows one decimal; repaired NIKs and id
    # conflicts are zeroed by their rules, exact names are term-frequency weighted).
    freq = name_frequency(case.households, case.submitted.name or "")
    # Levels that weigh nothing show no number ("kk=unknown", "desa=same"), the others one decimal.
    assert re.search(r"\(-?0\.0\)", got["match_evidence"]) is None
    assert all(re.fullmatch(r"-?\d+\.\d", w) for w in re.findall(r"\(([^)]*)\)", got["match_evidence"]))
    id_conflict = (
        case.levels["household_id"] == "same"
        and case.levels["nik"] == "differs"
        and case.levels["name"] in ("low", "differs")
    )
    for comparison, (level, shown) in found.items():
        if level == "unknown" or (comparison == "household_id" and id_conflict):
            assert shown == 0.0
            continue
        if comparison == "name" and level == "exact":
            assert shown == pytest.approx(rules.name_exact_weight(freq), abs=0.051)
        elif comparison != "nik" or level not in ("near", "damaged") or case.method == "nik_repaired":
            assert shown == pytest.approx(rules.WEIGHTS[comparison][level], abs=0.051), comparison
    expected_weight = weight_of(case.levels, freq)
    if id_conflict:
        expected_weight -= rules.WEIGHTS["household_id"]["same"]  # an id the evidence contradicts
    if case.method == "name" and case.levels["nik"] in ("near", "damaged"):
        expected_weight -= rules.WEIGHTS["nik"][case.levels["nik"]]  # the repaired NIK did not count
    if case.levels["kk"] == "same":
        person = sum(expected_weight_of(case.levels, c, freq) for c in ("nik", "name", "birth_date", "sex"))
        expected_weight += max(person, rules.HEAD_CHANGE_FLOOR) - person
    assert got["match_score"] == pytest.approx(rules.score_from_weight(expected_weight), abs=0.051)
    band = (ACCEPT, 100.0) if case.status == "matched" else (REVIEW, ACCEPT)
    assert band[0] <= got["match_score"] <= band[1]
    if case.status == "review":
        assert got["match_score"] < ACCEPT


def expected_weight_of(levels_by: dict[str, str], comparison: str, freq: float) -> float:
    return weight_of({comparison: levels_by[comparison]}, freq)


def test_a_name_is_never_trusted_as_rarer_than_the_frequency_floor(tmp_path: Path) -> None:
    """On a list of 1,200 households a unique name has frequency 1/1,201 < NAME_FREQUENCY_FLOOR: its
    exact agreement weighs log2(m / floor), not more."""
    result = run(tmp_path, [HEAD], [Person(NAME, None, BORN, "L")], filler_count=1200)
    assert rules.NAME_FREQUENCY_FLOOR > 1 / 1201
    _, shown = evidence(row(result)["match_evidence"])["name"]
    assert shown == pytest.approx(rules.name_exact_weight(rules.NAME_FREQUENCY_FLOOR), abs=0.051)
    assert shown < round(math.log2(rules.NAME_EXACT_M * 1201), 1)


@pytest.mark.parametrize(
    ("typed_rt", "typed_rw", "level"),
    [
        (1, 2, "same"),
        (1, None, "same"),  # the row gives no RW: the RT decides
        (1, 3, "differs"),  # same RT in another RW is another place
        (5, None, "differs"),
        (None, None, "unknown"),
    ],
)
def test_rt_rw_levels(typed_rt: int | None, typed_rw: int | None, level: str, tmp_path: Path) -> None:
    """RT/RW agree when the RT is the same and the RW, if both give one, too; with an identical NIK the
    row links whatever its RT/RW, so the evidence shows the level."""
    result = run(tmp_path, [HEAD_RTRW], [Person(NAME, NIK0, BORN, "L", rt=typed_rt, rw=typed_rw)])
    assert levels(row(result)["match_evidence"])["rt_rw"] == level


# --- name similarity thresholds ------------------------------------------------------------------------

LONG_NAME = "SUPARMANTO WIJAYAKUSUMA"


def _similarity(a: str, b: str) -> float:
    """The policy's name similarity: the best of rapidfuzz ratio and token-sort ratio (no patronym here)."""
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


# (typed name, similarity band it must sit in, the level it falls into). Each pair straddles one of
# NAME_HIGH, NAME_MEDIUM, NAME_LOW: one name just above the threshold, one just below.
SIMILARITY_LEVELS = [
    ("SUPAGMANTO WIJAYAKUSU", rules.NAME_HIGH, "high"),
    ("SUPARSASTO WIJAYAKUSUMAA", rules.NAME_HIGH - 1, "medium"),
    ("KUPARLANTO GIJAYAKUKUM", rules.NAME_MEDIUM, "medium"),
    ("SUGARMAKGO WIJAYAKUS", rules.NAME_MEDIUM - 1, "low"),
    ("WUPARMALLO RITAYAKUL", rules.NAME_LOW, "low"),
]


@pytest.mark.parametrize(("typed", "band", "level"), SIMILARITY_LEVELS)
def test_name_level_thresholds(typed: str, band: float, level: str, tmp_path: Path) -> None:
    """With an identical NIK the row links whatever its name: the evidence shows the name's level."""
    assert band <= _similarity(LONG_NAME, typed) < band + 1
    listed = Person(LONG_NAME, NIK0, BORN, "L")
    result = run(tmp_path, [listed], [Person(typed, NIK0, BORN, "L")])
    assert levels(row(result)["match_evidence"])["name"] == level


@pytest.mark.parametrize(
    ("typed", "band", "linked"),
    [
        ("SUPARSANTO WIRAGA", rules.NAME_CANDIDATE_MIN, True),
        ("KUSARPANBO WIJATAKUS", rules.NAME_CANDIDATE_MIN - 1, False),
    ],
)
def test_fuzzy_candidates_start_at_name_candidate_min(
    typed: str, band: float, linked: bool, tmp_path: Path
) -> None:
    """Without a NIK a row is compared with a listed head only from NAME_CANDIDATE_MIN similarity on.

    Low name, same birth date, sex and RT/RW: -2.32 + 8.73 + 0.96 + 2.82 = 10.19 (matched) once compared.
    """
    assert band <= fuzz.token_sort_ratio(LONG_NAME, typed) < band + 1
    listed = Person(LONG_NAME, NIK0, BORN, "L", rt=1, rw=2)
    result = run(tmp_path, [listed], [Person(typed, None, BORN, "L", rt=1, rw=2)])
    assert row(result)["match_status"] == ("matched" if linked else "submission_only")


# --- findings of the head-change rule ------------------------------------------------------------------


def _codes(result: Any, submission_row: int = 2) -> list[str]:
    return row(result, submission_row)["discrepancies"]


def test_head_change_replaces_the_person_findings(tmp_path: Path) -> None:
    case = CASES["same No KK, another person (head changed)"]
    result = run(tmp_path, case.households, [case.submitted])
    assert _codes(result) == ["head_changed"]


def test_an_ordinary_same_kk_link_keeps_its_person_findings(tmp_path: Path) -> None:
    """Same No KK and same NIK: the head did not change; a typo in the name is still reported."""
    case = CASES["same No KK, same head"]
    result = run(tmp_path, case.households, [case.submitted])
    assert _codes(result) == ["name_differs"]


def test_head_change_needs_person_evidence_below_the_floor(tmp_path: Path) -> None:
    """Person evidence just above the floor is an ordinary link with its findings, just below a head change.

    Another NIK, a typo in the name, another birth date, same sex: -4.03 + 4.64 - 3.6 + 0.96 = -2.03,
    above the floor (-3): the same person, mistyped. Another NIK, a low name, a close date, same sex:
    -4.03 - 2.32 + 1.22 + 0.96 = -4.17, below it: another person now heads the family.
    """
    above = Person(HIGH, OTHER_NIK, OTHER_YEAR, "L", kk=KK0, rt=1, rw=2)
    below = Person(LOW, OTHER_NIK, SAME_YEAR, "L", kk=KK0, rt=1, rw=2)
    person_above = weight_of({"nik": "differs", "name": "high", "birth_date": "differs", "sex": "same"})
    person_below = weight_of({"nik": "differs", "name": "low", "birth_date": "close", "sex": "same"})
    assert person_below < rules.HEAD_CHANGE_FLOOR < person_above
    result = run(tmp_path / "above", [HEAD_KK], [above])
    assert levels(row(result)["match_evidence"])["name"] == "high"
    assert _codes(result) == ["nik_differs", "name_differs", "birthdate_differs"]
    result = run(tmp_path / "below", [HEAD_KK], [below])
    assert levels(row(result)["match_evidence"])["name"] == "low"
    assert _codes(result) == ["head_changed"]


def test_head_change_floor_is_minus_three(tmp_path: Path) -> None:
    """Person evidence of -3.88 (another name -4.84, same sex +0.96; the NIK unreadable, no birth date)
    lies below the floor: a head change. A floor of -4 would call it the same person mistyped."""
    person = weight_of({"nik": "unknown", "name": "differs", "birth_date": "unknown", "sex": "same"})
    assert -4.0 < person < rules.HEAD_CHANGE_FLOOR
    result = run(tmp_path, [HEAD_KK], [Person(OTHER, NIK0[:14], None, "L", kk=KK0, rt=1, rw=2)])
    assert levels(row(result)["match_evidence"])["nik"] == "unknown"
    assert "head_changed" in _codes(result) and "name_differs" not in _codes(result)


# --- ambiguity margin ----------------------------------------------------------------------------------


def _two_households(first: Person, second: Person) -> list[Person]:
    return [dataclasses.replace(first, household_id="PA"), dataclasses.replace(second, household_id="PB")]


TWIN = Person(NAME, nik(31, BORN), BORN, "L")
AMBIGUOUS: dict[str, tuple[list[Person], str, str, float]] = {
    # Two equally good households: the difference is 0
    "two identical households": (
        _two_households(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN))),
        "review",
        "PA",
        0.0,
    ),
    # high (4.64) against medium (0.74): 3.90 < AMBIGUITY_MARGIN
    "a typo against a worse typo": (
        _two_households(dataclasses.replace(TWIN, name=HIGH), Person(MEDIUM, nik(32, BORN), BORN, "L")),
        "review",
        "PA",
        rules.WEIGHTS["name"]["high"] - rules.WEIGHTS["name"]["medium"],
    ),
    # exact (6.42, one in 122) against partial (2.0): 4.42 >= AMBIGUITY_MARGIN
    "the listed name against a part of it": (
        _two_households(TWIN, Person(PARTIAL, nik(32, BORN), BORN, "L")),
        "matched",
        "PA",
        rules.name_exact_weight(1 / (2 + FILLER_COUNT)) - rules.WEIGHTS["name"]["partial"],
    ),
}


def _links(folder: Path) -> pl.DataFrame:
    """link() on the same files, for what matches.parquet does not carry (the rival's weight)."""
    province = normalize_frame(
        load_table(folder / "province" / "daftar_sasaran_3304.csv", CONFIG).frame, CONFIG
    )
    households, persons = prepare_province(province)
    loaded = load_table(next((folder / "submissions").iterdir()), CONFIG, regency="3304").frame
    rows = prepare_submissions(normalize_frame(loaded, CONFIG))
    return link(rows, households, persons, CONFIG.matching).join(
        households.select("h_idx", "household_id"), on="h_idx"
    )


@pytest.mark.parametrize("case_name", list(AMBIGUOUS))
def test_ambiguity_margin(case_name: str, tmp_path: Path) -> None:
    households, status, linked, difference = AMBIGUOUS[case_name]
    assert (difference >= rules.AMBIGUITY_MARGIN) == (status == "matched")
    submitted = Person(NAME, None, BORN, "L")
    result = run(tmp_path, households, [submitted])
    got = row(result)
    assert (got["match_status"], got["province_id"], got["match_method"]) == (status, linked, "name")
    # The best household alone would be accepted: only the rival sends the row to review.
    assert got["match_score"] >= ACCEPT
    review = result.discrepancies.filter(pl.col("code") == "review_needed")
    assert review.height == (status == "review")
    if status == "review":
        assert review["list_value"].item() == got["match_evidence"]
    primary = _links(tmp_path).filter(pl.col("role") == "primary").row(0, named=True)
    assert primary["household_id"] == linked
    assert primary["weight"] - primary["rival_weight"] == pytest.approx(difference, abs=0.02)
    # Without the rival the same row is accepted.
    alone = run(tmp_path / "alone", households[:1], [submitted])
    assert row(alone)["match_status"] == "matched"


def test_a_rival_owned_by_a_better_row_does_not_count(tmp_path: Path) -> None:
    """Two rows, two identical households: each row takes one, neither is left ambiguous by the other's."""
    households = AMBIGUOUS["two identical households"][0]
    rows = [Person(NAME, households[0].nik, BORN, "L"), Person(NAME, households[1].nik, BORN, "L")]
    result = run(tmp_path, households, rows)
    assert [row(result, r)["match_status"] for r in (2, 3)] == ["matched", "matched"]
    assert [row(result, r)["province_id"] for r in (2, 3)] == ["PA", "PB"]


def test_a_rival_owned_by_an_equally_good_row_still_counts(tmp_path: Path) -> None:
    """Two identical rows, two identical households: each row takes one, and the other household, owned
    by a row no better than this one, still makes the choice ambiguous: both rows go to review."""
    households = AMBIGUOUS["two identical households"][0]
    rows = [Person(NAME, None, BORN, "L"), Person(NAME, None, BORN, "L")]
    result = run(tmp_path, households, rows)
    assert [row(result, r)["match_status"] for r in (2, 3)] == ["review", "review"]
    assert sorted(row(result, r)["province_id"] for r in (2, 3)) == ["PA", "PB"]


def test_thresholds_come_from_the_config(tmp_path: Path) -> None:
    """A review-band link becomes matched when the officer lowers the accept threshold below its score."""
    case = CASES["near NIK, medium name, other birth date"]
    write_province(tmp_path, case.households)
    write_submission(tmp_path, [case.submitted])
    from verval_cli import reconcile
    from verval_cli.config import Config, MatchingConfig

    strict = reconcile(tmp_path / "province", [tmp_path / "submissions"], CONFIG)
    score = row(strict)["match_score"]
    assert REVIEW <= score < ACCEPT
    relaxed = Config(regency="33.04", matching=MatchingConfig(accept=score, review=REVIEW))
    assert (
        row(reconcile(tmp_path / "province", [tmp_path / "submissions"], relaxed))["match_status"]
        == "matched"
    )
    raised = Config(regency="33.04", matching=MatchingConfig(accept=ACCEPT, review=score + 0.1))
    assert (
        row(reconcile(tmp_path / "province", [tmp_path / "submissions"], raised))["match_status"]
        == "submission_only"
    )
