"""Every reconcile finding code, produced by a real reconcile of a scenario built for it.

Each scenario is a tiny province list (plus unrelated filler households) and one or two village files;
the test asserts the complete list of findings about the scenario's rows and households: code, row,
field, the values shown, and the code's messages. A check that stops firing, fires on the wrong row
or fires on rows it should leave alone turns a case red. The report tests elsewhere use hand-built
findings; these are the findings a reconcile produces.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from policy_scenarios import CONFIG, DESA, OTHER_DESA, Person, nik, no_kk, row, run, write_province

from verval_cli.codes import CODES, Code
from verval_cli.reconcile import reconcile

BORN = dt.date(1971, 3, 4)
NIK0 = nik(11, BORN)
KK0 = no_kk(1001)
NAME = "SUKIMAN HARJO"
HEAD = Person(NAME, NIK0, BORN, "L", kk=KK0, rt=1, rw=2, household_id="P0001")
SECOND = Person("TUKIYEM", nik(12, dt.date(1966, 7, 8), "P"), dt.date(1966, 7, 8), "P", household_id="P0002")
SPOUSE_BORN = dt.date(1975, 5, 5)
SPOUSE_NIK = nik(77, SPOUSE_BORN, "P")
AS_LISTED = Person(NAME, NIK0, BORN, "L", kk=KK0, rt=1, rw=2)

# A finding about a scenario row: (code, submission_row, field, submitted_value, list_value, suggested_value)
Found = tuple[str, int | None, str | None, str | None, str | None, str | None]


def _found(result: object, file: str | None = None) -> list[Found]:
    """The findings about submission rows and about listed (non-filler) households, in report order."""
    frame = result.discrepancies  # type: ignore[attr-defined]
    frame = frame.filter(~pl.col("province_id").str.starts_with("F").fill_null(False))
    if file is not None:
        frame = frame.filter(
            pl.col("submission_file").str.ends_with(file) | pl.col("submission_file").is_null()
        )
    columns = ("code", "submission_row", "field", "submitted_value", "list_value", "suggested_value")
    return list(frame.select(columns).iter_rows())


def _messages_match(result: object) -> None:
    frame = result.discrepancies  # type: ignore[attr-defined]
    for code, severity, message_id, message_en in (
        frame.select("code", "severity", "message_id", "message_en").unique().iter_rows()
    ):
        info = CODES[Code(code)]
        assert (severity, message_id, message_en) == (info.severity.value, info.message_id, info.message_en)


def _missing(household: Person) -> Found:
    return ("missing_from_submission", None, None, None, household.name, None)


SCENARIOS: dict[str, tuple[list[Person], list[Person], list[Found]]] = {
    "a row as listed has no finding": ([HEAD], [AS_LISTED], []),
    "the same household twice in one file": (
        [HEAD],
        [AS_LISTED, AS_LISTED],
        [("duplicate_in_submission", 3, None, None, "baris 2", None)],
    ),
    "NIK empty": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, nik=None)],
        [("nik_missing", 2, "nik", None, None, NIK0)],
    ),
    "NIK of 14 digits": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, nik=NIK0[:14])],
        [("nik_invalid", 2, "nik", NIK0[:14], NIK0, NIK0)],
    ),
    "NIK in scientific notation": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, nik="3.30403E+15")],
        [("nik_excel_damaged", 2, "nik", "3.30403E+15", NIK0, NIK0)],
    ),
    # One digit wrong: the list's NIK is suggested. Another NIK altogether: shown, not suggested.
    "NIK one digit wrong": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, nik=NIK0[:-1] + "9")],
        [("nik_differs", 2, "nik", NIK0[:-1] + "9", NIK0, NIK0)],
    ),
    "another NIK": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, nik=nik(55, BORN))],
        [("nik_differs", 2, "nik", nik(55, BORN), NIK0, None)],
    ),
    "a typo in the name": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, name="SUKIMAN HARYO")],
        [("name_differs", 2, "name", "SUKIMAN HARYO", NAME, None)],
    ),
    "another No KK": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, kk=no_kk(1999))],
        [("kk_differs", 2, "no_kk", no_kk(1999), KK0, None)],
    ),
    "another birth date": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, born=dt.date(1971, 3, 5))],
        [("birthdate_differs", 2, "birth_date", "1971-03-05", "1971-03-04", None)],
    ),
    "another sex": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, sex="P")],
        [("sex_differs", 2, "sex", "P", "L", None)],
    ),
    # The spouse now heads the family card: one head_changed, none of the person-level findings.
    "head changed, same No KK": (
        [HEAD],
        [Person("PAINEM", SPOUSE_NIK, SPOUSE_BORN, "P", kk=KK0, rt=1, rw=2)],
        [("head_changed", 2, "name", "PAINEM", NAME, None)],
    ),
    # Without the No KK nothing ties the spouse to the family: a row not on the list, a household absent.
    "head changed, no No KK": (
        [HEAD],
        [Person("PAINEM", SPOUSE_NIK, SPOUSE_BORN, "P", rt=1, rw=2)],
        [("not_on_list", 2, None, None, None, None), _missing(HEAD)],
    ),
    "household listed in another desa": (
        [dataclasses.replace(HEAD, desa=OTHER_DESA)],
        [AS_LISTED],
        [("in_other_village", 2, "desa", "3304032004", OTHER_DESA, None)],
    ),
    # The row carries P0001's id with P0002's NIK, name and birth date (rows shifted by a sort).
    "id of another household": (
        [HEAD, SECOND],
        [dataclasses.replace(SECOND, household_id="P0001")],
        [("id_conflict", 2, "household_id", "P0001", "P0002", "P0002"), _missing(HEAD)],
    ),
    "status empty": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, status=None)],
        [("status_missing", 2, "status", None, None, None)],
    ),
    "status not understood": (
        [HEAD],
        [dataclasses.replace(AS_LISTED, status="ENTAHLAH")],
        [("status_unknown", 2, "status", "ENTAHLAH", None, None)],
    ),
    "a proposed new household": (
        [HEAD],
        [AS_LISTED, Person("PARJIYEM", nik(88, SPOUSE_BORN, "P"), SPOUSE_BORN, "P", status="Usulan Baru")],
        [("new_household", 3, None, None, None, None)],
    ),
    "a row on no list, not proposed": (
        [HEAD],
        [AS_LISTED, Person("PARJIYEM", nik(88, SPOUSE_BORN, "P"), SPOUSE_BORN, "P")],
        [("not_on_list", 3, None, None, None, None)],
    ),
    "a listed household nobody reported": (
        [HEAD, SECOND],
        [AS_LISTED],
        [_missing(SECOND)],
    ),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_each_code_from_a_real_reconcile(name: str, tmp_path: Path) -> None:
    households, rows, expected = SCENARIOS[name]
    result = run(tmp_path, households, rows)
    assert _found(result) == expected
    _messages_match(result)
    # The matches table lists the same codes per row.
    for code, submission_row, *_ in expected:
        if submission_row is not None:
            assert code in row(result, submission_row)["discrepancies"]


def test_review_needed_shows_the_evidence(tmp_path: Path) -> None:
    # Near NIK (one edit), a name only 86% alike, another birth date: a link to check by hand.
    submitted = Person("SUKIMIN HARJONO", NIK0[:-1] + "9", dt.date(1980, 6, 7), "L")
    result = run(tmp_path, [HEAD], [submitted])
    got = row(result)
    assert got["match_status"] == "review"
    review = [f for f in _found(result) if f[0] == "review_needed"]
    assert review == [("review_needed", 2, None, None, got["match_evidence"], None)]
    assert got["match_evidence"].startswith("nik=near(")
    # A review link is still a link: its differences are listed too.
    assert [f[0] for f in _found(result)] == [
        "nik_differs",
        "name_differs",
        "birthdate_differs",
        "review_needed",
    ]


def test_same_household_in_two_files(tmp_path: Path) -> None:
    """The second village to report a household gets in_other_village, not a duplicate in its own file."""
    other = dataclasses.replace(AS_LISTED, desa=OTHER_DESA)
    result = run(
        tmp_path, [HEAD], {"3304032004_kebanaran.csv": [AS_LISTED], f"{OTHER_DESA}_lain.csv": [other]}
    )
    found = _found(result)
    assert [f[0] for f in found] == ["in_other_village"]
    roles = result.matches.filter(pl.col("submission_row").is_not_null()).sort("submission_file")
    assert roles["link_role"].to_list() == ["primary", "secondary"]
    assert roles["province_id"].to_list() == ["P0001", "P0001"]
    # The finding is on the secondary row, in the other desa's file.
    flagged = result.discrepancies.filter(pl.col("code") == "in_other_village").row(0, named=True)
    assert flagged["submission_file"].endswith("_lain.csv") and flagged["submission_row"] == 2
    assert (flagged["submitted_value"], flagged["list_value"]) == (OTHER_DESA, "3304032004")


def test_family_members_on_their_own_rows_are_not_duplicates(tmp_path: Path) -> None:
    """An individual-level list and file: the wife's row links to her family as a member, not a duplicate."""
    head = Person(NAME, NIK0, BORN, "L", kk=KK0, household_id="P0001", relation="Kepala Keluarga")
    wife = Person("PAINEM", SPOUSE_NIK, SPOUSE_BORN, "P", kk=KK0, household_id="P0001", relation="Istri")
    rows = [dataclasses.replace(p, household_id=None) for p in (head, wife)]
    result = run(tmp_path, [head, wife], rows)
    assert [row(result, r)["link_role"] for r in (2, 3)] == ["primary", "member"]
    assert [row(result, r)["province_id"] for r in (2, 3)] == ["P0001", "P0001"]
    assert _found(result) == []


@pytest.mark.parametrize("list_kk", [KK0, None], ids=["list has the No KK", "list without No KK"])
def test_family_rows_against_a_household_list_are_members_without_findings(
    tmp_path: Path, list_kk: str | None
) -> None:
    """One row per person (relation to the head) against a household-level list: the wife's row is a
    member of the family her head's row links to, through the shared No KK. She is not the listed
    head, so she is no duplicate, no head change, and her birth date and sex are not the head's.

    (Fixed: with the No KK on the list her row was a second link to the head, reported as
    duplicate_in_submission and head_changed; without it, birthdate_differs and sex_differs.)
    """
    head = dataclasses.replace(HEAD, kk=list_kk, rt=None, rw=None)
    rows = [
        dataclasses.replace(AS_LISTED, name="SUKIMAN HARYO", rt=None, rw=None, relation="Kepala Keluarga"),
        Person("PAINEM", SPOUSE_NIK, SPOUSE_BORN, "P", kk=KK0, relation="Istri"),
    ]
    result = run(tmp_path, [head], rows)
    assert [row(result, r)["link_role"] for r in (2, 3)] == ["primary", "member"]
    assert [row(result, r)["province_id"] for r in (2, 3)] == ["P0001", "P0001"]
    # The head's typo is his row's finding, not his wife's.
    assert _found(result) == [("name_differs", 2, "name", "SUKIMAN HARYO", NAME, None)]


def test_wife_nik_on_the_head_row_is_a_member_nik(tmp_path: Path) -> None:
    """The head's row typed with his wife's NIK: the head (same No KK, name, birth date) fits better than
    the wife whose NIK it is, so the row links to the family through him; the NIK of a member of his
    family is evidence for it (method nik, level family), and his own NIK is suggested."""
    head = Person(NAME, NIK0, BORN, "L", kk=KK0, household_id="P0001", relation="Kepala Keluarga")
    wife = Person("PAINEM", SPOUSE_NIK, SPOUSE_BORN, "P", kk=KK0, household_id="P0001", relation="Istri")
    result = run(tmp_path, [head, wife], [Person(NAME, SPOUSE_NIK, BORN, "L", kk=KK0)])
    got = row(result)
    assert got["province_id"] == "P0001" and got["match_status"] == "matched"
    assert got["match_method"] == "nik" and "nik=family(" in got["match_evidence"]
    assert _found(result) == [("nik_differs", 2, "nik", SPOUSE_NIK, NIK0, NIK0)]


def test_a_weak_second_row_is_a_duplicate_not_a_review(tmp_path: Path) -> None:
    """The household is already reported; a second, weaker row for it (review-band evidence) is a
    duplicate: review_needed is only for a row's own (primary) link."""
    weak = Person("SUKIMIN HARJONO", NIK0[:-1] + "9", dt.date(1980, 6, 7), "L")
    result = run(tmp_path, [HEAD], [AS_LISTED, weak])
    second = row(result, 3)
    assert (second["link_role"], second["match_status"]) == ("secondary", "review")
    assert [f[:2] for f in _found(result)] == [
        ("nik_differs", 3),
        ("name_differs", 3),
        ("birthdate_differs", 3),
        ("duplicate_in_submission", 3),
    ]


def test_same_household_in_two_files_of_one_desa(tmp_path: Path) -> None:
    """A desa that sent one file per RW and put a household in both: the second file's row is a
    duplicate of the desa's own report (never in_other_village: it is the household's own desa), the
    first file's row is not flagged."""
    files = {"3304032004_rw01.csv": [AS_LISTED], "3304032004_rw02.csv": [AS_LISTED]}
    result = run(tmp_path, [HEAD], files)
    flagged = result.discrepancies.filter(pl.col("code") == "duplicate_in_submission")
    assert flagged.select("submission_file", "submission_row").rows() == [
        (str(tmp_path / "submissions" / "3304032004_rw02.csv"), 2)
    ]
    assert [f[0] for f in _found(result)] == ["duplicate_in_submission"]


def test_file_without_a_status_column(tmp_path: Path) -> None:
    """No status column: no per-row status_missing noise, but a row on no list is still reported.

    (Fixed: such a row had no finding at all, since its null status was neither "new" nor not "new".)
    """
    stranger = Person("PARJIYEM", nik(88, SPOUSE_BORN, "P"), SPOUSE_BORN, "P")
    result = run(tmp_path, [HEAD], [AS_LISTED, stranger], left_out=["status"])
    assert row(result)["status"] is None
    assert sorted(_found(result), key=lambda f: f[0]) == [
        ("not_on_list", 3, None, None, None, None),
        # one finding for the file: the status is absent, its unlinked row counted as not on the list
        ("status_column_missing", None, "status", "2 baris", "0 usulan baru, 1 tidak ada dalam daftar", None),
    ]


def test_checks_declare_the_columns_they_read() -> None:
    """A caller may join only columns_read(): the row and link references every finding shows are in it."""
    from verval_cli.findings import columns_read

    read = columns_read()
    assert {"s_source_file", "s_source_sheet", "s_source_row", "h_household_id", "h_source_row"} <= read
    assert {"h_desa_code", "s_desa_code", "s_status", "nik_level", "head_changed", "t_idx"} <= read


def test_every_reconcile_code_has_a_scenario() -> None:
    covered = {f[0] for _, _, expected in SCENARIOS.values() for f in expected}
    covered |= {"review_needed"}  # test_review_needed_shows_the_evidence
    covered |= {"status_column_missing"}  # test_file_without_a_status_column
    covered |= {"decision_stale", "decision_conflict", "decision_target_unknown"}  # tests/test_decisions.py
    assert covered == {code.value for code in CODES}


def test_findings_of_nothing_have_the_documented_columns() -> None:
    """submission_findings keeps the row index only when asked (reconcile asks; a notebook need not)."""
    from verval_cli.findings import FINDING_SCHEMA, submission_findings

    flags = ("head_changed", "id_conflict", "s_household_id_on_list")
    linked = pl.DataFrame({flag: pl.Series([], dtype=pl.Boolean) for flag in flags})
    assert submission_findings(linked).schema == pl.Schema(FINDING_SCHEMA)
    assert submission_findings(linked, keep_index=True).columns == [*FINDING_SCHEMA, "s_idx"]


def test_household_reported_only_by_another_village_is_flagged(tmp_path: Path) -> None:
    """Its own desa did not report it, another desa's file did (the row's desa cell naming the
    household's own desa): the link is primary, and still in_other_village.

    (Fixed: a primary link whose row desa agreed with the list carried no finding; 209 of 1,353 such
    rows on one round.)
    """
    own = [SECOND, dataclasses.replace(SECOND, name="PONIRAH", nik=nik(13, SECOND.born or BORN, "P"))]
    own[1] = dataclasses.replace(own[1], household_id="P0003")
    province = write_province(tmp_path, [dataclasses.replace(HEAD, desa=OTHER_DESA), *own])
    path = tmp_path / "submissions" / f"{DESA}_verval.csv"
    path.parent.mkdir()
    lines = ["NAMA KK;NIK;TGL LAHIR;JENIS KELAMIN;KODE DESA;HASIL VERVAL"]
    for p, desa in ((own[0], DESA), (HEAD, OTHER_DESA), (own[1], DESA)):
        lines.append(f"{p.name};{p.nik};{p.born:%d-%m-%Y};{p.sex};{desa};Ditemukan")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = reconcile(province, [path], CONFIG)
    got = row(result, 3)
    assert (got["link_role"], got["match_status"], got["province_id"]) == ("primary", "matched", "P0001")
    assert [f[:2] for f in _found(result)] == [("in_other_village", 3)]


_FAMILY_HEAD = Person(NAME, NIK0, BORN, "L", household_id="P0001", relation="Kepala Keluarga", rt=1, rw=2)
_FAMILY_WIFE = Person(
    "PAINEM", SPOUSE_NIK, SPOUSE_BORN, "P", household_id="P0001", relation="Istri", rt=1, rw=2
)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        # the head's name and birth date with his wife's NIK: his row, his NIK suggested
        (
            Person(NAME, SPOUSE_NIK, BORN, "L", rt=1, rw=2),
            [("nik_differs", 2, "nik", SPOUSE_NIK, NIK0, NIK0)],
        ),
        # no birth date typed: the wife's NIK's date is hers, not evidence against him
        (
            Person(NAME, SPOUSE_NIK, None, "L", rt=1, rw=2),
            [("nik_differs", 2, "nik", SPOUSE_NIK, NIK0, NIK0)],
        ),
        # the wife named with the head's NIK: she now heads the family
        (
            Person("PAINEM", NIK0, SPOUSE_BORN, "P", rt=1, rw=2),
            [("head_changed", 2, "name", "PAINEM", "PAINEM", None)],
        ),
        # the wife with her own NIK on a household-level file: she now heads the family
        (
            Person("PAINEM", SPOUSE_NIK, SPOUSE_BORN, "P", rt=1, rw=2),
            [("head_changed", 2, "name", "PAINEM", "PAINEM", None)],
        ),
    ],
    ids=["head name, wife NIK", "head name, wife NIK, no date", "wife name, head NIK", "wife name and NIK"],
)
def test_a_member_nik_on_a_list_without_no_kk_is_accepted(
    tmp_path: Path, submitted: Person, expected: list[Found]
) -> None:
    """A member's NIK with a name that fits the family is accepted on the NIK (no No KK anywhere).

    (Fixed: the head's name with his wife's NIK only reached review, score 84.9, method name.)
    """
    result = run(tmp_path, [_FAMILY_HEAD, _FAMILY_WIFE], [submitted])
    got = row(result)
    assert (got["province_id"], got["match_status"], got["match_method"]) == ("P0001", "matched", "nik")
    assert _found(result) == expected


def test_a_member_nik_with_a_name_of_nobody_in_the_family_is_not_family_evidence(tmp_path: Path) -> None:
    """Another name with the wife's NIK: the family level does not count (the NIK still names her)."""
    stranger = Person("TUKIRAN WIJOYO", SPOUSE_NIK, dt.date(1960, 1, 2), "L", rt=1, rw=2)
    got = row(run(tmp_path, [_FAMILY_HEAD, _FAMILY_WIFE], [stranger]))
    assert "nik=family" not in (got["match_evidence"] or "")


def test_a_member_row_marked_as_member_is_no_head_change(tmp_path: Path) -> None:
    """An individual-level file whose head row is missing: the wife's row, marked Istri, links to her
    family by her own NIK, and says nothing about who heads it (no head_changed)."""
    wife_row = dataclasses.replace(_FAMILY_WIFE, household_id=None)
    got = row(run(tmp_path, [_FAMILY_HEAD, _FAMILY_WIFE], [wife_row]))
    assert (got["province_id"], got["match_status"]) == ("P0001", "matched")
    assert "head_changed" not in got["discrepancies"]


@pytest.mark.parametrize("head_status", ["Meninggal", "Ditemukan"])
@pytest.mark.parametrize("wife_nik", [SPOUSE_NIK, None], ids=["her NIK", "no NIK"])
def test_the_spouse_row_after_a_deceased_head_is_a_head_change(
    tmp_path: Path, head_status: str, wife_nik: str | None
) -> None:
    """An individual-level list; the file reports the head's row and then the wife's (no relation, no
    No KK). With the head reported Meninggal, the wife's row now stands for the family: head_changed on
    it. With the head alive, her row is only a member of the family, without a finding."""
    head_row = dataclasses.replace(_FAMILY_HEAD, household_id=None, relation=None, status=head_status)
    wife_row = Person("PAINEM", wife_nik, SPOUSE_BORN, "P", rt=1, rw=2)
    result = run(tmp_path, [_FAMILY_HEAD, _FAMILY_WIFE], [head_row, wife_row])
    got = row(result, 3)
    assert (got["province_id"], got["match_status"], got["link_role"]) == ("P0001", "matched", "member")
    assert ("head_changed" in got["discrepancies"]) == (head_status == "Meninggal")
    assert "head_changed" not in row(result, 2)["discrepancies"]
