"""Issue 21's scripted verval week, end to end through the CLI: decisions, history and changes, cache.

Day 1: the sample's CSV files (Tlahab held back) are reconciled into OUT. One village file
(KEBUTUHDUWUR) has two rows blurred (review rows) and one retyped as a stranger (unlinked); the officer
fills OUT/laporan_verval.xlsx: accepts one review row, rejects the other, links the stranger by hand to
the household it was, and marks one unlinked row as a new proposal.

Day 2: five villages resend. PAGAK types the list's NIK on its ``nik_differs`` rows; Panawaren re-sorts
its file; Kalilunjar adds a new proposal; KEBUTUHDUWUR retypes the name of the row decided as a new
proposal (its decision goes stale); Tlahab, silent on day 1, sends its file. The rerun into the same OUT
(no --force) must apply the three live decisions, report the stale one, change exactly what was
scripted, serve the untouched files from the cache, and write what a full run without the cache writes.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner, Result
from village_edits import (
    PROPOSAL_NAME,
    edit_row,
    findings_of,
    fix_niks,
    lines_of,
    propose,
    resort,
)

from verval_cli.cli import app
from verval_cli.decisions import COLUMN_LABELS, DECISION_LABELS, KEY_HEADERS
from verval_cli.result import CHANGES_FILE, HISTORY_DIR, MATCHES_FILE, SUMMARY_FILE

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
PROVINCE = SAMPLE / "province" / "daftar_sasaran_p3ke_3304.xlsx"
DECIDED = "3304202004_KEBUTUHDUWUR.csv"  # the officer's decisions, and the stale one
FIXES = "3304022002_PAGAK.csv"
RESORTED = "Hasil Verval Desa Panawaren.csv"
PROPOSES = "verval kalilunjar pejawaran.csv"
NEW_VILLAGE = "verval tlahab pejawaran.csv"
STRANGER = "SLAMET RIYADI"
PARQUETS = ("matches", "province", "submissions", "discrepancies", "rejected", "review_reasons")


# --- the village files, edited as a village operator would ----------------------------------------------


def _blur(path: Path, row: int) -> None:
    """A NIK one digit off, a name a little off, another birth date: the row only looks like its household."""
    cells = lines_of(path)[0][row - 1].split(";")
    name = cells[1].replace("A", "E", 1).replace("U", "E", 1) + "NO"
    edit_row(path, row, {1: name, 2: cells[2][:-1] + str((int(cells[2][-1]) + 3) % 10), 3: ""})
    edit_row(path, row, {5: "7", 7: "01/01/1970"})


# --- the outputs --------------------------------------------------------------------------------------------
def _run(*args: str | Path) -> Result:
    words = [str(a) for a in args]
    return CliRunner().invoke(app, words if "--lang" in words else [*words, "--lang", "en"])


def _reconcile(inbox: Path, out: Path, *more: str | Path) -> Result:
    result = _run("reconcile", PROVINCE, inbox, "--out", out, *more)
    assert result.exit_code == 0, result.output
    return result


def _matches(out: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(out / MATCHES_FILE).filter(pl.col("submission_file").str.ends_with(name))


def _desa_of(out: Path, name: str) -> str:
    return str(_matches(out, name)["desa_code"].mode().sort()[0])


def _fill(
    path: Path, picks: list[tuple[dict[str, Any], str, str | None, str | None]], lang: str = "en"
) -> None:
    """Fill the decision columns as an officer would, on whichever sheet lists the row."""
    book = openpyxl.load_workbook(path)
    words, choices = COLUMN_LABELS[lang], DECISION_LABELS[lang]
    for match, decision, target, note in picks:
        placed = False
        for ws in book.worksheets:
            header = [c.value for c in ws[1]]
            if words["decision"] not in header or KEY_HEADERS["submission_row"] not in header:
                continue
            at_file = header.index(KEY_HEADERS["submission_file"]) + 1
            at_row = header.index(KEY_HEADERS["submission_row"]) + 1
            for line in range(2, ws.max_row + 1):
                if (ws.cell(line, at_file).value, ws.cell(line, at_row).value) == (
                    match["submission_file"],
                    match["submission_row"],
                ):
                    ws.cell(line, header.index(words["decision"]) + 1, choices[decision])
                    if target is not None:
                        ws.cell(line, header.index(words["target"]) + 1, target)
                    if note is not None:
                        ws.cell(line, header.index(words["note"]) + 1, note)
                    placed = True
                    break
            if placed:
                break
        assert placed, match
    book.save(path)


@dataclass
class Week:
    root: Path
    inbox: Path
    out: Path
    day1: Path  # a copy of day 1's outputs, taken before the officer filled the workbook
    decisions: Path  # a copy of the filled day-1 workbook
    console: str
    rows: dict[str, dict[str, Any]]  # the decided rows as day 1 listed them
    household: str  # the household the stranger row is linked to by hand
    fixed: pl.DataFrame

    @property
    def changes(self) -> pl.DataFrame:
        return pl.read_parquet(self.out / CHANGES_FILE)

    @property
    def kept(self) -> Path:
        (folder,) = [p for p in (self.out / HISTORY_DIR).iterdir() if not p.name.startswith(".")]
        return folder

    @property
    def summary(self) -> dict[str, Any]:
        return dict(json.loads((self.out / SUMMARY_FILE).read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Week:
    root = tmp_path_factory.mktemp("week")
    inbox, out, day1 = root / "inbox", root / "hasil", root / "day1"
    inbox.mkdir()
    for path in sorted((SAMPLE / "submissions").glob("*.csv")):
        if path.name != NEW_VILLAGE:
            shutil.copy(path, inbox / path.name)
    village = inbox / DECIDED
    for row in range(6, 14):  # blurred rows: some left for review, whatever the matcher makes of each
        _blur(village, row)
    lost_nik = edit_row(village, 4, {1: STRANGER, 2: "3304200101010001", 3: "", 7: "01/01/1970"})[2]
    # Day 1.
    _reconcile(inbox, out)
    shutil.copytree(out, day1)
    matches = _matches(day1, DECIDED).sort("submission_row")
    review = matches.filter(pl.col("match_status") == "review")
    assert review.height >= 2, "the week needs two review rows in the village file"
    manual = matches.filter(pl.col("submission_row") == 4).row(0, named=True)
    assert manual["match_status"] == "submission_only", manual
    unlinked = matches.filter((pl.col("match_status") == "submission_only") & (pl.col("submission_row") != 4))
    assert unlinked.height >= 1
    rows = {
        "accepted": review.row(0, named=True),
        "rejected": review.row(1, named=True),
        "manual": manual,
        "proposal": unlinked.row(-1, named=True),
    }
    province = pl.read_parquet(day1 / "province.parquet")
    household = str(province.filter(pl.col("nik") == lost_nik)["household_id"].item())
    _fill(
        out / "laporan_verval.xlsx",
        [
            (rows["accepted"], "same", None, "confirmed by the village head"),
            (rows["rejected"], "different", None, None),
            (rows["manual"], "same", household, "KK checked"),
            (rows["proposal"], "new", None, None),
        ],
    )
    decisions = root / "decisions_day1.xlsx"
    shutil.copy(out / "laporan_verval.xlsx", decisions)
    # Day 2: five villages resend.
    fixed = fix_niks(inbox / FIXES, day1)
    resort(inbox / RESORTED)
    propose(inbox / PROPOSES)
    edit_row(village, rows["proposal"]["submission_row"], {1: "BUDI SANTOSO"})
    shutil.copy(SAMPLE / "submissions" / NEW_VILLAGE, inbox / NEW_VILLAGE)
    result = _reconcile(inbox, out)  # no --force: the folder holds a verval run
    return Week(root, inbox, out, day1, decisions, result.output, rows, household, fixed)


def _now(week: Week, name: str) -> dict[str, Any]:
    """Day 2's matches row of a decided row (its file row is unchanged: the village did not re-sort)."""
    row = week.rows[name]
    return (
        _matches(week.out, DECIDED)
        .filter(pl.col("submission_row") == row["submission_row"])
        .row(0, named=True)
    )


# --- decisions ----------------------------------------------------------------------------------------------
def test_day_two_applies_the_decisions_and_reports_the_stale_one(week: Week) -> None:
    accepted = _now(week, "accepted")
    assert (accepted["match_status"], accepted["match_method"], accepted["decision"]) == (
        "matched",
        "decision",
        "same",
    )
    assert accepted["province_id"] == week.rows["accepted"]["province_id"]
    assert accepted["decision_note"] == "confirmed by the village head"
    rejected = _now(week, "rejected")
    assert (rejected["match_status"], rejected["match_method"], rejected["decision"]) == (
        "submission_only",
        "decision",
        "different",
    )
    manual = _now(week, "manual")
    assert (manual["match_status"], manual["match_method"], manual["province_id"]) == (
        "matched",
        "decision",
        week.household,
    )
    assert manual["decision_note"] == "KK checked"
    stale = _now(week, "proposal")
    assert stale["match_method"] != "decision" and stale["decision"] is None
    assert "decision_stale" in stale["discrepancies"]
    found = pl.read_parquet(week.out / "discrepancies.parquet").filter(pl.col("code") == "decision_stale")
    assert found.select("submission_file", "submission_row").rows() == [
        (week.rows["proposal"]["submission_file"], week.rows["proposal"]["submission_row"])
    ]
    counts = week.summary["decisions"]
    assert (counts["read"], counts["applied"], counts["stale"], counts["conflict"]) == (4, 3, 1, 0)
    assert "4 read, 3 applied, 1 stale" in " ".join(week.console.split())


# --- what changed: exactly what was scripted --------------------------------------------------------------
def _households(changes: pl.DataFrame) -> list[tuple[str, str]]:
    rows = changes.filter(pl.col("code").is_null() & pl.col("province_id").is_not_null())
    return sorted(rows.select("change", "province_id").rows())


def test_the_changes_are_exactly_the_scripted_ones(week: Week) -> None:
    changes = week.changes
    villages = {n: _desa_of(week.day1, n) for n in (FIXES, RESORTED, PROPOSES, DECIDED)}
    villages[NEW_VILLAGE] = _desa_of(week.out, NEW_VILLAGE)
    assert set(changes["desa_code"]) == set(villages.values())
    of = {n: changes.filter(pl.col("desa_code") == d) for n, d in villages.items()}
    # PAGAK: file resent, exactly the nik_differs findings fixed.
    fixed = of[FIXES].filter(pl.col("change") == "finding_fixed")
    assert week.fixed.height > 0
    assert sorted(fixed.select("code", "province_id").rows()) == sorted(
        week.fixed.select("code", "province_id").rows()
    )
    assert sorted(set(of[FIXES]["change"])) == ["file_resent", "finding_fixed"]
    # Panawaren's re-sorted file: resent, nothing else.
    assert of[RESORTED]["change"].to_list() == ["file_resent"]
    # Kalilunjar: one new proposal.
    assert of[PROPOSES].select("change", "code", "key").rows() == [
        ("file_resent", None, PROPOSES),
        ("finding_new", "new_household", f"name:{PROPOSAL_NAME}"),
    ]
    # Tlahab, first report: its households newly matched, their missing_from_submission fixed, its findings new.
    tlahab = of[NEW_VILLAGE]
    matched_now = _matches(week.out, NEW_VILLAGE).filter(
        (pl.col("match_status") == "matched") & (pl.col("link_role") == "primary")
    )
    missing_before = pl.read_parquet(week.day1 / "discrepancies.parquet").filter(
        (pl.col("code") == "missing_from_submission")
        & pl.col("province_id").is_in(matched_now["province_id"].implode())
    )
    assert dict(tlahab.group_by("change").len().iter_rows()) == {
        "village_reported": 1,
        "file_new": 1,
        "newly_matched": matched_now.height,
        "finding_new": findings_of(week.out, NEW_VILLAGE).height,
        "finding_fixed": missing_before.height,
    }
    # KEBUTUHDUWUR: the decisions. The accepted review row and the row linked by hand are matched, the
    # rejected review row's household no longer under review; findings change only on the decided rows.
    decided = of[DECIDED]
    rows = week.rows
    assert _households(decided) == sorted(
        [
            ("link_changed", rows["rejected"]["province_id"]),
            ("newly_matched", rows["accepted"]["province_id"]),
            ("newly_matched", week.household),
        ]
    )
    assert decided.filter(pl.col("change") == "file_resent").height == 1
    findings = decided.filter(pl.col("code").is_not_null())
    households = [rows[k]["province_id"] for k in ("accepted", "rejected")] + [week.household]
    on_rows = {r["submission_row"] for r in rows.values()}
    assert findings.filter(
        ~pl.col("submission_row").is_in(list(on_rows)) & ~pl.col("province_id").is_in(households)
    ).is_empty()

    # Checked against the findings themselves: the village's other rows and households are as they were.
    def rest(out: Path) -> list[tuple[Any, ...]]:
        found = pl.read_parquet(out / "discrepancies.parquet").filter(
            pl.col("desa_code") == villages[DECIDED]
        )
        keep = ~pl.col("submission_row").is_in(list(on_rows)).fill_null(False) & ~pl.col("province_id").is_in(
            households
        ).fill_null(False)
        return sorted(found.filter(keep).select("code", "submission_row", "province_id").rows(), key=str)

    assert rest(week.day1) and rest(week.out) == rest(week.day1)
    proposal = findings.filter(pl.col("submission_row") == rows["proposal"]["submission_row"])
    assert sorted(proposal.select("change", "code").rows()) == [
        ("finding_fixed", "new_household"),
        ("finding_new", "decision_stale"),
        ("finding_new", "new_household"),
    ]  # a renamed row is another row: its old proposal gone, the new name proposed, the decision stale


def test_the_console_and_the_summary_count_the_same_changes(week: Week) -> None:
    kinds = dict(week.changes.group_by("change").len().iter_rows())
    stored = week.summary["changes"]
    assert stored["findings_fixed"] == kinds["finding_fixed"]
    assert stored["findings_new"] == kinds["finding_new"]
    words = " ".join(week.console.split())
    assert f"{kinds['finding_fixed']} findings fixed, {kinds['finding_new']} new" in words
    assert (
        f"households: {kinds.get('newly_matched', 0)} newly matched, {kinds.get('no_longer_matched', 0)} no "
        f"longer matched, {kinds.get('link_changed', 0)} link changed" in words
    )
    assert "5 villages sent files (1 reported for the first time); files: 4 resent, 1 new, 0 gone" in words
    # The workbook's Changes sheet lists every change, the decisions' included.
    book = openpyxl.load_workbook(week.out / "laporan_verval.xlsx")
    shown = [r for r in book["Changes"].iter_rows(min_row=2, values_only=True) if any(r)]
    assert len(shown) == week.changes.height


# --- history, diff ------------------------------------------------------------------------------------------
def test_the_history_holds_day_one(week: Week) -> None:
    for name in [*(f"{p}.parquet" for p in PARQUETS), SUMMARY_FILE]:
        assert (week.kept / name).read_bytes() == (week.day1 / name).read_bytes(), name


def test_verval_diff_equals_the_automatic_changes(week: Week) -> None:
    result = _run("diff", week.kept, week.out, "--json")
    assert result.exit_code == 0, result.output
    shown, stored = json.loads(result.output), week.summary["changes"]
    assert {k: v for k, v in shown.items() if k != "after"} == {
        k: v for k, v in stored.items() if k != "after"
    }


# --- the cache, and the rerun against a full run -----------------------------------------------------------
def test_the_cache_served_the_unchanged_files(week: Week) -> None:
    untouched = [
        p.name
        for p in sorted(week.inbox.iterdir())
        if p.name not in (FIXES, RESORTED, PROPOSES, DECIDED, NEW_VILLAGE)
    ]
    assert untouched
    total = len(list(week.inbox.iterdir())) + 1  # and the province list
    words = " ".join(week.console.split())
    assert f"{len(untouched) + 1} of {total} files unchanged since the last run" in words


def test_the_rerun_writes_what_a_full_run_writes(week: Week, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    _reconcile(week.inbox, fresh, "--no-cache", "--decisions", week.decisions)
    for name in PARQUETS:
        assert (fresh / f"{name}.parquet").read_bytes() == (week.out / f"{name}.parquet").read_bytes(), name
    # What legitimately differs: only the rerun compares with a previous run (changes.parquet, summary
    # `changes`); `run` says when and where each was written; the decisions came from another path.
    assert not (fresh / CHANGES_FILE).exists() and (week.out / CHANGES_FILE).exists()
    full = json.loads((fresh / SUMMARY_FILE).read_text(encoding="utf-8"))
    rerun = week.summary
    assert "changes" in rerun and "changes" not in full
    assert full["decisions"].pop("source") == str(week.decisions)
    assert rerun["decisions"].pop("source") == str(week.out / "laporan_verval.xlsx")
    differs = ("run", "changes")
    assert {k: v for k, v in full.items() if k not in differs} == {
        k: v for k, v in rerun.items() if k not in differs
    }


def test_day_three_with_nothing_sent_changes_nothing_and_keeps_the_decisions(
    week: Week, tmp_path: Path
) -> None:
    """The day-2 workbook carries the decisions on; a rerun from the cache applies them again."""
    out = tmp_path / "hasil"
    shutil.copytree(week.out, out)
    result = _reconcile(week.inbox, out)
    total = len(list(week.inbox.iterdir())) + 1
    words = " ".join(result.output.split())
    assert f"{total} of {total} files unchanged since the last run" in words
    # The one change: the stale decision is reported on the run that found it, and not carried into the
    # day-2 workbook (its row shows the new content, undecided), so day 3 no longer reports it.
    proposal = week.rows["proposal"]
    assert pl.read_parquet(out / CHANGES_FILE).select("change", "code", "file", "submission_row").rows() == [
        ("finding_fixed", "decision_stale", DECIDED, proposal["submission_row"])
    ]
    counts = json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))["decisions"]
    assert (counts["read"], counts["applied"], counts["stale"]) == (3, 3, 0)
    day2 = pl.read_parquet(week.out / MATCHES_FILE)
    day3 = pl.read_parquet(out / MATCHES_FILE)
    columns = ["submission_file", "submission_row", "province_id", "match_status", "match_method", "decision"]
    assert day3.select(columns).equals(day2.select(columns))
