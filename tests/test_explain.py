"""`verval explain`: the candidates, levels and weights behind one row's outcome, re-derived from the
run's own tables, agree with what the run recorded; the reason names the rival, the threshold or why
nothing linked; bad input is a one-line error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from policy_scenarios import DESA, OTHER_DESA, Person, near, nik, no_kk, run, write_province, write_submission
from typer.testing import CliRunner, Result

from verval_cli import reconcile
from verval_cli.cli import app
from verval_cli.config import Config, MatchingConfig
from verval_cli.explain import (
    ExplainError,
    Explanation,
    explain_row,
    explain_rows,
    review_reasons,
    tables_of,
    why,
)
from verval_cli.explain_replay import exact_stage_primary
from verval_cli.matching import rules
from verval_cli.matching.candidates import exact_candidates
from verval_cli.result import ReconcileResult
from verval_cli.schema import H_IDX, S_IDX, T_IDX
from verval_cli.writers.reasons import why_column
from verval_cli.writers.reconcile_outputs import write_reconcile_outputs

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
BORN = dt.date(1971, 3, 4)
NAME = "SUKIMAN HARJO"
MEDIUM = "SUKIMIN HARJONO"  # medium name similarity
OTHER = "BUDI SANTOSO"
TWIN = Person(NAME, nik(31, BORN), BORN, "L")
FILE = f"{DESA}_verval.csv"


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, [*args])


def _one(result: ReconcileResult, submission_row: int = 2) -> Explanation:
    return explain_row(tables_of(result), FILE, submission_row)


# --- the sample round: every row agrees with the run ------------------------------------------------------


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReconcileResult, Path]:
    result = reconcile(SAMPLE / "province", SAMPLE / "submissions")
    out = tmp_path_factory.mktemp("sample_out")
    write_reconcile_outputs(result, out)
    return result, out


def test_every_sample_row_explains_what_the_run_recorded(sample_out: tuple[ReconcileResult, Path]) -> None:
    """All rows at once: the replay raises on any row whose winner, score, method or evidence differ."""
    result, _ = sample_out
    tables = tables_of(result)
    indices = tables.rows["s_idx"].to_list()
    explained = explain_rows(tables, indices, MatchingConfig())
    matches = result.matches.filter(pl.col("submission_index").is_not_null())
    assert len(explained) == matches.height == len(indices)
    for record in matches.iter_rows(named=True):
        e = explained[record["submission_index"]]
        chosen = e.chosen
        assert (chosen.province_index if chosen else None) == record["province_index"]
        assert (chosen.score if chosen else 0.0) == record["match_score"]
        assert e.match_status == record["match_status"]
    reasons = {e.reason for e in explained.values()}
    assert {"clear", "taken", "below_review", "no_candidates"} <= reasons


def test_a_tampered_score_is_refused(sample_out: tuple[ReconcileResult, Path]) -> None:
    result, _ = sample_out
    tampered = dataclasses.replace(
        result,
        matches=result.matches.with_columns(
            pl.when(pl.col("submission_index") == 0)
            .then(pl.col("match_score") - 1)
            .otherwise(pl.col("match_score"))
            .alias("match_score")
        ),
    )
    with pytest.raises(ExplainError, match=r"do not give what matches\.parquet recorded"):
        explain_rows(tables_of(tampered), [0], MatchingConfig())


def test_another_config_is_refused_not_explained(sample_out: tuple[ReconcileResult, Path]) -> None:
    """Thresholds other than the run's would explain another run: the replay says so."""
    result, _ = sample_out
    tables = tables_of(result)
    strict = MatchingConfig(accept=100.0, review=60.0)
    linked = result.matches.filter(pl.col("match_score").is_between(85, 99.9))["submission_index"][0]
    with pytest.raises(ExplainError, match="another --config"):
        explain_rows(tables, [linked], strict)


# --- review, rivals, unlinked -----------------------------------------------------------------------------


def _two(first: Person, second: Person) -> list[Person]:
    return [dataclasses.replace(first, household_id="PA"), dataclasses.replace(second, household_id="PB")]


def test_a_review_row_names_its_rival(tmp_path: Path) -> None:
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    result = run(tmp_path, households, [Person(NAME, None, BORN, "L")])
    e = _one(result)
    assert (e.match_status, e.reason) == ("review", "rival")
    assert e.chosen is not None and e.rival is not None
    assert {e.chosen.province_id, e.rival.province_id} == {"PA", "PB"}
    assert e.details["gap"] == 0.0 < rules.AMBIGUITY_MARGIN
    assert e.chosen.score >= e.accept  # only the rival keeps it from being accepted
    sentence = why(e, "en")
    assert f"list row {e.rival.province_row}" in sentence and "less than 4.0" in sentence
    assert f"baris daftar {e.rival.province_row}" in why(e, "id")


def test_a_rival_far_enough_behind_is_named_too(tmp_path: Path) -> None:
    households = _two(TWIN, Person("SUKIMAN", nik(32, BORN), BORN, "L"))  # partial name: > margin behind
    e = _one(run(tmp_path, households, [Person(NAME, None, BORN, "L")]))
    assert (e.match_status, e.reason) == ("matched", "clear_of_rival")
    assert e.rival is not None and e.details["gap"] >= rules.AMBIGUITY_MARGIN


def test_a_household_owned_by_a_better_row_is_no_rival(tmp_path: Path) -> None:
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    rows = [Person(NAME, households[0].nik, BORN, "L"), Person(NAME, households[1].nik, BORN, "L")]
    result = run(tmp_path, households, rows)
    for submission_row in (2, 3):
        e = _one(result, submission_row)
        assert (e.match_status, e.reason, e.rival) == ("matched", "clear", None)
        others = [c for c in e.candidates if not c.chosen]
        assert others and all(c.owner is not None and c.owner.weight > c.weight for c in others)


def test_a_near_household_owned_by_a_heavier_row_is_no_rival(tmp_path: Path) -> None:
    """Row 2 (name only) fits both twins alike; PB is row 3's by NIK, a heavier pair: row 2 is clear."""
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    rows = [Person(NAME, None, BORN, "L"), Person(NAME, households[1].nik, BORN, "L")]
    result = run(tmp_path, households, rows)
    e = _one(result, 2)
    assert (e.match_status, e.reason, e.rival) == ("matched", "clear", None)
    owned = next(c for c in e.candidates if not c.chosen)
    assert owned.score >= e.review and owned.owner is not None and owned.owner.row == 3
    assert owned.weight - e.candidates[0].weight < rules.AMBIGUITY_MARGIN  # near enough to be a rival


def test_desa_candidates_of_a_row_linked_by_a_key_are_not_considered(tmp_path: Path) -> None:
    """The NIK links the row to PA in the exact stage; PB fits its name and birth date almost as well,
    which would make it a rival, but a row the exact stage linked is never compared within its desa
    (matching.link): the row is matched, clear."""
    other_year = dt.date(1980, 6, 7)
    pa = Person(OTHER, nik(11, other_year), other_year, "L", household_id="PA")
    pb = Person(NAME, nik(44, BORN), BORN, "L", household_id="PB")
    result = run(tmp_path, [pa, pb], [Person(NAME, pa.nik, BORN, "L")])
    e = _one(result)
    assert e.chosen is not None and e.chosen.province_id == "PA" and e.chosen.stage == "exact"
    assert (e.match_status, e.reason, e.rival) == ("matched", "clear", None)
    near_twin = next(c for c in e.candidates if c.province_id == "PB")
    assert abs(near_twin.weight - e.chosen.weight) < rules.AMBIGUITY_MARGIN <= near_twin.score
    assert (near_twin.considered, near_twin.stage) == (False, "desa")


def test_a_household_owned_by_an_equally_good_row_is_still_a_rival(tmp_path: Path) -> None:
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    rows = [Person(NAME, None, BORN, "L"), Person(NAME, None, BORN, "L")]
    result = run(tmp_path, households, rows)
    for submission_row in (2, 3):
        e = _one(result, submission_row)
        assert (e.match_status, e.reason) == ("review", "rival")
        assert e.rival is not None and e.rival.owner is not None and e.rival.owner.weight == e.rival.weight


def test_a_score_under_accept_goes_to_review(tmp_path: Path) -> None:
    other_year = dt.date(1980, 6, 7)
    head = Person(NAME, nik(11, BORN), BORN, "L", household_id="P0001")
    e = _one(run(tmp_path, [head], [Person(MEDIUM, near(head.nik or ""), other_year, "L")]))
    assert (e.match_status, e.reason) == ("review", "low_score")
    assert e.review <= e.match_score < e.accept
    levels = {lv.comparison: lv.level for lv in e.candidates[0].levels}
    assert (levels["nik"], levels["name"], levels["birth_date"]) == ("near", "medium", "differs")
    assert "below the accept threshold 85.0" in why(e, "en")


def test_a_second_report_names_the_row_that_owns_the_household(tmp_path: Path) -> None:
    rows = [TWIN, TWIN]
    result = run(tmp_path, [TWIN], rows)
    e = _one(result, 3)
    assert (e.link_role, e.reason) == ("secondary", "taken")
    assert e.chosen is not None and e.chosen.owner is not None and e.chosen.owner.row == 2
    assert "row 2" in why(e, "en")


def test_an_unlinked_row_says_why(tmp_path: Path) -> None:
    head = Person(NAME, nik(11, BORN), BORN, "L")
    rows = [
        Person(OTHER, head.nik, dt.date(1980, 6, 7), "P"),  # the NIK alone, against name, date and sex
        Person("ZULKARNAEN", nik(77, dt.date(1990, 1, 1)), dt.date(1990, 1, 1), "L"),  # nothing alike
    ]
    result = run(tmp_path, [head], rows)
    below, nothing = _one(result, 2), _one(result, 3)
    assert (below.match_status, below.reason) == ("submission_only", "below_review")
    assert below.candidates[0].score < below.review and below.chosen is None
    assert f"only scores {below.candidates[0].score:.1f}" in why(below, "en")
    assert (nothing.reason, nothing.candidates) == ("no_candidates", ())
    assert "no similar name" in why(nothing, "en")


def test_a_row_without_desa_says_its_name_was_not_compared(tmp_path: Path) -> None:
    head = Person(NAME, nik(11, BORN), BORN, "L")
    write_province(tmp_path, [head])
    write_submission(tmp_path, [Person(NAME, None, BORN, "L")], name="verval.csv")
    result = reconcile(tmp_path / "province", [tmp_path / "submissions"], Config(regency="33.04"))
    e = explain_row(tables_of(result), "verval.csv", 2)
    assert (e.match_status, e.reason, e.desa_code) == ("submission_only", "no_desa", None)


def test_a_family_member_is_explained_through_the_head(tmp_path: Path) -> None:
    kk = no_kk(5)
    head = Person(NAME, nik(11, BORN), BORN, "L", kk=kk)
    wife = Person("SITI AMINAH", nik(21, dt.date(1975, 5, 5), "P"), dt.date(1975, 5, 5), "P", kk=kk)
    rows = [
        dataclasses.replace(head, relation="Kepala Keluarga"),
        dataclasses.replace(wife, relation="Istri"),
    ]
    result = run(tmp_path, [head], rows)
    e = _one(result, 3)
    assert (e.link_role, e.reason, e.details["head"]["row"]) == ("member", "member", 2)


# --- refusals ---------------------------------------------------------------------------------------------


def test_a_masked_run_is_refused(tmp_path: Path) -> None:
    result = run(tmp_path, [TWIN], [TWIN])
    out = tmp_path / "out"
    write_reconcile_outputs(result, out, mask_nik=True)
    done = _invoke("explain", str(out), FILE, "2", "--lang", "en")
    assert done.exit_code == 2 and "--mask-nik" in done.output and len(done.output.strip().splitlines()) == 1


def test_another_version_is_refused(tmp_path: Path) -> None:
    result = run(tmp_path, [TWIN], [TWIN])
    out = tmp_path / "out"
    write_reconcile_outputs(result, out)
    table = pq.read_table(out / "matches.parquet")
    meta = dict(table.schema.metadata or {})
    meta[b"verval_version"] = b"0.0.1"
    pq.write_table(table.replace_schema_metadata(meta), out / "matches.parquet")
    done = _invoke("explain", str(out), FILE, "2", "--lang", "en")
    assert done.exit_code == 2 and "written by verval 0.0.1" in done.output


# --- the command --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def review_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    result = run(folder, households, [Person(NAME, None, BORN, "L")])
    write_reconcile_outputs(result, folder / "out")
    return folder / "out"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ("Alasan", "Perlu diperiksa", "pesaing", "Nama", "persis (+", "kosong")),
        ("en", ("Why", "Review", "rival", "Name", "exact (+", "unknown")),
    ],
)
def test_the_command_explains_in_the_run_language(
    review_out: Path, lang: str, words: tuple[str, ...]
) -> None:
    done = _invoke("explain", str(review_out), FILE, "2", "--lang", lang)
    assert done.exit_code == 0, done.output
    for word in words:
        assert word in done.output
    assert TWIN.nik not in done.output and NAME not in done.output  # masked unless --unmask
    shown = _invoke("explain", str(review_out), FILE, "2", "--unmask")
    assert NAME in shown.output
    one = _invoke("explain", str(review_out), FILE, "2", "--top", "1", "--lang", "en")
    assert "and 1 more candidates" in one.output and "#2" not in one.output


def test_json_output(review_out: Path) -> None:
    done = _invoke("explain", str(review_out), f"some/where/{FILE}", "2", "--json", "--lang", "en")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["reason"] == "rival" and data["why"].startswith("Review:")
    assert data["rival"]["province_id"] in ("PA", "PB")
    assert {"comparison", "level", "weight"} == set(data["candidates"][0]["levels"][0])
    assert data["nik"] is None  # the row was sent without a NIK
    assert all("*" in c["nik"] for c in data["candidates"])


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("verval_desa.csv", "2"), "did you mean 3304032004_verval.csv"),
        ((FILE, "99"), "row 99: not a data row of the run (data rows 2-2"),
        ((FILE, "2", "--sheet", "Sheet9"), "no such sheet"),
    ],
)
def test_bad_input_is_one_line(review_out: Path, args: tuple[str, ...], said: str) -> None:
    done = _invoke("explain", str(review_out), *args, "--lang", "en")
    assert done.exit_code == 2
    assert said in done.output and len(done.output.strip().splitlines()) == 1, done.output


def test_bad_input_in_bahasa(review_out: Path) -> None:
    done = _invoke("explain", str(review_out), FILE, "99")
    assert done.exit_code == 2 and "bukan baris data" in done.output


def test_not_an_output_folder(tmp_path: Path) -> None:
    done = _invoke("explain", str(tmp_path), FILE, "2", "--lang", "en")
    assert done.exit_code == 2 and "not a verval reconcile output folder" in done.output


# --- the review sheets' Alasan column ----------------------------------------------------------------------


def _why_column(path: Path, sheet: str) -> list[object]:
    """The sheet's "why" column (Alasan / Why), wherever it stands (the decision columns follow it)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    rows = list(book[sheet].iter_rows(values_only=True))
    at = next(i for i, v in enumerate(rows[0]) if v in ("Alasan", "Why"))
    return [r[at] for r in rows]


def test_review_reasons_agree_with_explain(tmp_path: Path) -> None:
    twins = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    households = [*twins, Person(NAME, nik(55, BORN), BORN, "L", household_id="PC")]
    rows = [Person(NAME, None, BORN, "L"), Person(MEDIUM, near(nik(55, BORN)), dt.date(1980, 6, 7), "L")]
    result = run(tmp_path, households, rows)
    reasons = result.review_reasons
    assert reasons["reason"].to_list() == ["rival", "low_score"]
    explained = explain_rows(tables_of(result), reasons["submission_index"].to_list(), MatchingConfig())
    for record in reasons.iter_rows(named=True):
        e = explained[record["submission_index"]]
        assert e.reason == record["reason"]
        assert (e.rival.province_row if e.rival else None) == record["rival_row"]
        assert e.details.get("gap") == record["gap"]


def test_the_review_sheets_say_why(tmp_path: Path) -> None:
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    result = run(tmp_path, households, [Person(NAME, None, BORN, "L")])
    out = tmp_path / "out"
    write_reconcile_outputs(result, out, lang="en")
    header, why_text = _why_column(out / "laporan_verval.xlsx", "Needs Review")[:2]
    assert header == "Why" and isinstance(why_text, str)
    assert why_text.startswith("Review: two households") and "list row 3" in why_text
    done = _invoke("report", str(out), "--per-desa", str(tmp_path / "desa"))
    assert done.exit_code == 0, done.output
    (village,) = (tmp_path / "desa").glob("*.xlsx")
    header, alasan = _why_column(village, "Perlu Diperiksa")[:2]
    assert header == "Alasan" and isinstance(alasan, str) and "baris daftar 3" in alasan


def test_a_folder_without_reasons_still_reports(tmp_path: Path) -> None:
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    result = run(tmp_path, households, [Person(NAME, None, BORN, "L")])
    out = tmp_path / "out"
    write_reconcile_outputs(result, out)
    (out / "review_reasons.parquet").unlink()  # a folder written before the column existed
    done = _invoke("report", str(out), "--per-desa", str(tmp_path / "desa"))
    assert done.exit_code == 0, done.output
    (village,) = (tmp_path / "desa").glob("*.xlsx")
    assert _why_column(village, "Perlu Diperiksa")[:2] == ["Alasan", None]


def test_review_reasons_agree_with_explain_on_the_sample_under_other_thresholds() -> None:
    """Thresholds that put many sample rows in review (and one second report): both paths agree."""
    th = MatchingConfig(accept=99.95, review=0.5)
    result = reconcile(SAMPLE / "province", SAMPLE / "submissions", Config(matching=th))
    reasons = result.review_reasons
    assert reasons.height == result.matches.filter(pl.col("match_status") == "review").height > 10
    explained = explain_rows(tables_of(result), reasons["submission_index"].to_list(), th)
    for record in reasons.iter_rows(named=True):
        e = explained[record["submission_index"]]
        assert e.reason == record["reason"]
        if e.reason != "taken":
            assert (e.rival.province_row if e.rival else None) == record["rival_row"]
            assert e.details.get("gap") == record["gap"]
        else:
            assert e.chosen is not None and e.chosen.owner is not None
            assert e.chosen.owner.row == record["rival_row"]


def _reasons_and_explained(
    folder: Path, households: list[Person], rows: list[Person], th: MatchingConfig
) -> list[tuple[dict[str, object], Explanation]]:
    write_province(folder, households)
    write_submission(folder, rows)
    result = reconcile(folder / "province", [folder / "submissions"], Config(regency="33.04", matching=th))
    explained = explain_rows(tables_of(result), result.review_reasons["submission_index"].to_list(), th)
    return [
        (r, explained[int(str(r["submission_index"]))]) for r in result.review_reasons.iter_rows(named=True)
    ]


def test_the_rival_is_the_heaviest_household_no_heavier_row_owns(tmp_path: Path) -> None:
    """Row 2 fits PA and PB alike, PC (a typo) a little less, PD (part of the name) less still; PB is
    row 3's by NIK, a heavier pair. The rival of row 2 is PC (list row 4): not PB (owned by a heavier
    row), not PD."""
    twins = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    typo = Person("SUKIMAN HARYO", nik(55, BORN), BORN, "L", household_id="PC")
    part = Person("SUKIMAN", nik(66, BORN), BORN, "L", household_id="PD")  # further behind than PC
    rows = [Person(NAME, None, BORN, "L"), Person(NAME, twins[1].nik, BORN, "L")]
    ((record, e),) = _reasons_and_explained(tmp_path, [*twins, typo, part], rows, MatchingConfig())
    assert {c.province_id for c in e.candidates if c.score >= e.review} == {"PA", "PB", "PC", "PD"}
    assert (record["reason"], record["province_row"], record["rival_row"]) == ("rival", 2, 4)
    assert e.rival is not None and (e.reason, e.rival.province_id) == ("rival", "PC")
    assert record["gap"] == e.details["gap"] > 0


def test_a_review_row_linked_by_its_nik_has_no_desa_rival(tmp_path: Path) -> None:
    """Linked by NIK to PA under a strict accept threshold: PB fits the name and date almost as well
    but was never compared (matching.link), so the reason is the score alone, with no rival."""
    other_year = dt.date(1980, 6, 7)
    pa = Person(OTHER, nik(11, other_year), other_year, "L", household_id="PA")
    pb = Person(NAME, nik(44, BORN), BORN, "L", household_id="PB")
    th = MatchingConfig(accept=99.0, review=60.0)
    ((record, e),) = _reasons_and_explained(tmp_path, [pa, pb], [Person(NAME, pa.nik, BORN, "L")], th)
    assert (record["reason"], record["rival_row"]) == ("low_score", None)
    assert (e.reason, e.rival) == ("low_score", None)


def test_a_rival_the_linker_did_not_weigh_so_is_not_named(tmp_path: Path) -> None:
    """review_reasons takes the gap from the linker; a replayed rival of another weight goes unnamed."""
    households = _two(TWIN, dataclasses.replace(TWIN, nik=nik(32, BORN)))
    result = run(tmp_path, households, [Person(NAME, None, BORN, "L")])
    tables = tables_of(result)
    honest = review_reasons(tables, MatchingConfig())
    assert (honest["rival_row"].item(), honest["gap"].item()) == (3, 0.0)
    weight = explain_rows(tables, [0], MatchingConfig())[0].candidates[0].weight
    other = pl.DataFrame({"s_idx": [0], "weight": [weight], "rival_weight": [weight - 1.5]})
    shifted = review_reasons(tables, MatchingConfig(), other)
    assert (shifted["rival_row"].item(), shifted["gap"].item()) == (None, 1.5)
    same = review_reasons(tables, MatchingConfig(), other.with_columns(pl.lit(weight).alias("rival_weight")))
    assert (same["rival_row"].item(), same["gap"].item()) == (3, 0.0)
    shown = why_column(dataclasses.replace(result, review_reasons=shifted), "en")
    assert shown["_alasan"].item().startswith("Review: another household fits almost as well as list row 2")


# --- the regency-wide pass, a member's NIK, an officer's decision -------------------------------------------

_WIDE = r"desa=(wide|kecamatan)\("


def test_a_link_of_the_regency_wide_pass_is_replayed_and_said(
    sample_out: tuple[ReconcileResult, Path],
) -> None:
    """The sample has rows only the regency-wide search linked: explain finds that candidate and says so."""
    result, _ = sample_out
    wide = result.matches.filter(pl.col("match_evidence").str.contains(_WIDE).fill_null(False))
    assert wide.height >= 1
    explained = explain_rows(tables_of(result), wide["submission_index"].to_list(), MatchingConfig())
    for e in explained.values():
        assert e.chosen is not None and e.chosen.stage == "wide"
        assert "regency-wide search" in why(e, "en") and "se-kabupaten" in why(e, "id")
    linked = result.matches.filter(pl.col("province_index").is_not_null())
    others = explain_rows(tables_of(result), linked["submission_index"].head(40).to_list(), MatchingConfig())
    assert all(
        "regency-wide" not in why(e, "en") for e in others.values() if e.chosen and e.chosen.stage != "wide"
    )


def test_the_wide_pass_is_replayed_only_for_rows_no_household_took(tmp_path: Path) -> None:
    """A namesake born the same day in another desa is a wide candidate of the unlinked row only."""
    listed = Person(NAME, nik(11, BORN), BORN, "L", household_id="PA")
    namesake = Person(NAME, nik(71, BORN), BORN, "L", household_id="PB", desa=OTHER_DESA)
    linked, moved = Person(NAME, nik(11, BORN), BORN, "L"), Person(NAME, None, BORN, "L")
    first = run(tmp_path / "a", [listed, namesake], [linked])
    e = explain_rows(tables_of(first), [0], MatchingConfig())[0]
    assert e.chosen is not None and e.chosen.stage == "exact"
    assert all(c.stage != "wide" for c in e.candidates)
    # No household of its desa fits the second row (no NIK, the listed one is away): the wide pass runs.
    second = run(tmp_path / "b", [namesake], [moved])
    e = explain_rows(tables_of(second), [0], MatchingConfig())[0]
    assert [c.stage for c in e.candidates] == ["wide"]
    assert e.match_status == second.matches["match_status"][0]


def test_a_members_nik_is_said(sample_out: tuple[ReconcileResult, Path]) -> None:
    """A link whose NIK level is another member's (an individual-level list: explain refuses those
    runs today, so the sentence is checked on an explanation built by hand)."""
    result, _ = sample_out
    tables = tables_of(result)
    clear = next(e for e in explain_rows(tables, [0, 1, 2, 3], MatchingConfig()).values() if e.chosen)
    chosen = clear.chosen
    assert chosen is not None and "member" not in why(clear, "en")
    levels = tuple(
        dataclasses.replace(lv, level=rules.FAMILY) if lv.comparison == "nik" else lv for lv in chosen.levels
    )
    family = dataclasses.replace(chosen, levels=levels)
    shown = dataclasses.replace(clear, candidates=(family,))
    assert "another listed member" in why(shown, "en") and "anggota lain" in why(shown, "id")


def _decided(tmp_path: Path, decided: list[dict[str, str]], rows: list[Person]) -> ReconcileResult:
    from verval_cli.decisions import read_decisions

    households = [Person(NAME, nik(11, BORN), BORN, "L", household_id="P0001"), _STRANGER_LISTED]
    province = write_province(tmp_path, households)
    write_submission(tmp_path, rows)
    lines = ["decision,desa_code,nik,name,province_id,note"]
    lines += [
        ",".join(d[k] for k in ("decision", "desa_code", "nik", "name", "province_id", "note"))
        for d in decided
    ]
    (tmp_path / "keputusan.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config(regency="33.04")
    return reconcile(
        province, [tmp_path / "submissions"], config, decisions=read_decisions(tmp_path / "keputusan.csv")
    )


_STRANGER_LISTED = Person(
    "TUKIYEM", nik(12, dt.date(1966, 7, 8), "P"), dt.date(1966, 7, 8), "P", household_id="P0002"
)
_STRANGER = Person("WAGIMIN", nik(13, dt.date(1980, 1, 2)), dt.date(1980, 1, 2), "L")


def _decide(person: Person, decision: str, target: str = "", note: str = "") -> dict[str, str]:
    return {
        "decision": decision,
        "desa_code": DESA,
        "nik": person.nik or "",
        "name": person.name or "",
        "province_id": target,
        "note": note,
    }


def test_a_link_set_by_an_officers_decision_shows_the_decision_and_the_matchers_candidates(
    tmp_path: Path,
) -> None:
    head = Person(NAME, nik(11, BORN), BORN, "L")
    result = _decided(tmp_path, [_decide(_STRANGER, "same", "P0002", "pindah rumah")], [head, _STRANGER])
    tables = tables_of(result)
    decided = result.matches.filter(pl.col("match_method") == "decision")
    assert decided.height == 1
    index = int(decided["submission_index"].item())
    e = explain_rows(tables, [index], MatchingConfig())[index]
    assert e.reason == "decision" and e.match_method == "decision"
    assert (
        e.details["decision"]["decision"] == "same"
        and e.details["decision"]["decision_note"] == "pindah rumah"
    )
    assert e.details["matcher"]["province_index"] is None  # the matcher itself linked the row nowhere
    said = why(e, "en")
    assert "officer's decision" in said and "Same household" in said and "pindah rumah" in said
    assert "P0002" in said and "not linked" in said
    assert "keputusan petugas" in why(e, "id")
    # The row the matcher linked is still explained and checked against the run.
    other = explain_rows(tables, [1 - index], MatchingConfig())[1 - index]
    assert other.reason == "clear"
    done = _invoke("explain", str(_written(result, tmp_path)), FILE, str(e.row), "--lang", "en", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["reason"] == "decision"


def _written(result: ReconcileResult, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_reconcile_outputs(result, out)
    return out


def test_every_row_of_a_hard_round_explains_what_the_run_recorded(tmp_path: Path) -> None:
    """Spouse NIKs, dropped first names, patronyms, moved households: every row still replays.

    The desa stage is replayed only for rows the exact stage (all rows' keys assigned together) left
    without a primary link, as the matcher does: a row whose key-linked household a better desa pair
    took later stays a second report there.
    """
    from verval_cli.sample import HARD, SampleSpec, generate_truth, write_round

    spec = SampleSpec(seed=11, level="household", villages=44, kecamatan=14, silent_villages=3, damage=HARD)
    write_round(generate_truth(spec), tmp_path / "round")
    result = reconcile(tmp_path / "round" / "province", tmp_path / "round" / "submissions")
    tables = tables_of(result)
    explained = explain_rows(tables, tables.rows["s_idx"].to_list(), MatchingConfig())
    for record in result.matches.filter(pl.col("submission_index").is_not_null()).iter_rows(named=True):
        e = explained[record["submission_index"]]
        assert (e.chosen.province_index if e.chosen else None) == record["province_index"]
    assert any(c.stage == "wide" and c.chosen for e in explained.values() for c in e.candidates)


def test_the_exact_stage_asked_about_some_rows_answers_as_for_all(
    sample_out: tuple[ReconcileResult, Path],
) -> None:
    # Review reasons ask only about the review rows: the pairs scored are those of the rows connected
    # to them through shared households. Every row asked about alone (with a household that another
    # row's exact pair also reaches, so the connected part matters) answers as when all rows are scored.
    tables = tables_of(sample_out[0])
    th = Config().matching
    everyone = set(exact_stage_primary(tables, th)[S_IDX].to_list())
    pairs = exact_candidates(tables.rows, tables.persons, tables.households).join(
        tables.persons.select(T_IDX, H_IDX), on=T_IDX
    )
    shared = pairs.filter(pl.col(S_IDX).n_unique().over(H_IDX) > 1)[S_IDX].unique().sort().to_list()
    assert len(shared) >= 20, "the sample has rows whose households other rows reach too"
    for index in shared:
        alone = set(exact_stage_primary(tables, th, [index])[S_IDX].to_list())
        assert (index in alone) == (index in everyone), index
