"""A verval week replayed through the CLI: day 1 a round, day 2 five villages resend, rerun into one --out.

The round is the CSV files of ``sample_data/submissions`` (one village held back until day 2). Each day-2
edit is derived from day 1's outputs, and the changes expected of it are derived the same way:

- PAGAK fixes its NIKs flagged ``nik_differs`` (types the list's NIK): exactly those findings fixed;
- Panawaren re-sorts its rows, content unchanged: the file is resent, nothing else changes;
- Kalilunjar adds a new proposal: one ``new_household`` finding, nothing else;
- Legoksayem deletes one matched household's row: it is no longer matched, ``missing_from_submission``
  new, the row's own findings fixed;
- Tlahab, silent on day 1, reports: a village reported, a file new, its households newly matched.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner, Result
from village_edits import (
    PROPOSAL_NAME,
    findings_of,
    fix_niks,
    lines_of,
    propose,
    resort,
    write_lines,
)

from verval_cli.changes import change_lines, compare_runs
from verval_cli.cli import app
from verval_cli.errors import OutputError, UsageError
from verval_cli.io import discover
from verval_cli.result import CHANGES_FILE, HISTORY_DIR, MATCHES_FILE, SUMMARY_FILE, WORKBOOK_FILE
from verval_cli.runs import RunData, list_runs, load_run
from verval_cli.writers import history
from verval_cli.writers.outputs import prepare_out_dir

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
PROVINCE = SAMPLE / "province" / "daftar_sasaran_p3ke_3304.xlsx"
FIXES = "3304022002_PAGAK.csv"
RESORTED = "Hasil Verval Desa Panawaren.csv"
PROPOSES = "verval kalilunjar pejawaran.csv"
REMOVES = "verval legoksayem wanayasa.csv"
NEW_VILLAGE = "verval tlahab pejawaran.csv"


def _run(*args: str | Path) -> Result:
    words = [str(a) for a in args]
    return CliRunner().invoke(app, words if "--lang" in words else [*words, "--lang", "en"])


def _reconcile(inbox: Path, out: Path, *more: str) -> Result:
    result = _run("reconcile", PROVINCE, inbox, "--out", out, *more)
    assert result.exit_code == 0, result.output
    return result


def _remove_matched(path: Path, day1: Path) -> tuple[str, int]:
    """Delete the first data row matched to a household; return its province_id and its file row."""
    matches = pl.read_parquet(day1 / MATCHES_FILE).filter(
        pl.col("submission_file").str.ends_with(path.name)
        & (pl.col("match_status") == "matched")
        & (pl.col("link_role") == "primary")
    )
    province_id, row = matches.sort("submission_row").select("province_id", "submission_row").row(0)
    lines, _ = lines_of(path)
    write_lines(path, lines[: row - 1] + lines[row:])
    return str(province_id), int(row)


@dataclass
class Week:
    inbox: Path
    out: Path
    day1: Path  # a copy of day 1's outputs, taken before day 2 ran
    day2_output: str
    fixed: pl.DataFrame
    removed: tuple[str, int]

    @property
    def changes(self) -> pl.DataFrame:
        return pl.read_parquet(self.out / CHANGES_FILE)

    @property
    def kept(self) -> Path:
        (folder,) = [p for p in (self.out / HISTORY_DIR).iterdir() if not p.name.startswith(".")]
        return folder

    def of(self, name: str) -> pl.DataFrame:
        return self.changes.filter(pl.col("file") == name)


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Week:
    root = tmp_path_factory.mktemp("week")
    inbox, out = root / "inbox", root / "hasil"
    inbox.mkdir()
    for path in sorted((SAMPLE / "submissions").glob("*.csv")):
        if path.name != NEW_VILLAGE:
            shutil.copy(path, inbox / path.name)
    _reconcile(inbox, out)
    day1 = root / "day1"
    shutil.copytree(out, day1)
    fixed = fix_niks(inbox / FIXES, day1)
    resort(inbox / RESORTED)
    propose(inbox / PROPOSES)
    removed = _remove_matched(inbox / REMOVES, day1)
    shutil.copy(SAMPLE / "submissions" / NEW_VILLAGE, inbox / NEW_VILLAGE)
    result = _reconcile(inbox, out)  # no --force: the folder holds a verval run
    return Week(inbox, out, day1, result.output, fixed, removed)


def _desa_of(out: Path, name: str) -> str:
    matches = pl.read_parquet(out / MATCHES_FILE).filter(pl.col("submission_file").str.ends_with(name))
    return str(matches["desa_code"].mode().sort()[0])


# --- history -----------------------------------------------------------------------------------------------
def test_the_history_holds_day_1_and_no_workbook(week: Week) -> None:
    kept = week.kept
    assert sorted(p.name for p in kept.iterdir()) == sorted(
        [".verval-output.json", *(p.name for p in week.day1.glob("*.parquet")), SUMMARY_FILE]
    )
    for name in [*(p.name for p in week.day1.glob("*.parquet")), SUMMARY_FILE]:
        assert (kept / name).read_bytes() == (week.day1 / name).read_bytes(), name
    assert not list(kept.glob("*.xlsx")) and not list(kept.glob("*.html"))
    assert (week.out / WORKBOOK_FILE).is_file()


def test_verval_history_lists_both_runs(week: Week) -> None:
    result = _run("history", week.out, "--json")
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    assert [r["label"] for r in runs] == [f"{HISTORY_DIR}/{week.kept.name}", week.out.name]
    day1 = json.loads((week.day1 / SUMMARY_FILE).read_text(encoding="utf-8"))
    assert runs[0]["totals"]["matched"] == day1["totals_households"]["matched"]
    assert runs[0]["written"] == day1["run"]["written"]
    assert [r["files"] for r in runs] == [7, 8]
    assert runs == [r.to_dict() for r in list_runs(week.out)]
    shown = _run("history", week.out)
    assert shown.exit_code == 0 and week.kept.name[:8] in shown.output


def test_the_history_is_never_read_as_submissions(week: Week) -> None:
    found = discover([week.inbox, week.out])
    assert all(week.out not in p.parents for p in found.files)
    refused = _run("reconcile", PROVINCE, week.out / HISTORY_DIR, "--out", week.out.parent / "x")
    assert refused.exit_code == 2 and "no spreadsheet files" in refused.output


# --- what changed ------------------------------------------------------------------------------------------
def test_a_re_sorted_file_is_resent_and_changes_nothing(week: Week) -> None:
    assert week.of(RESORTED)["change"].to_list() == ["file_resent"]
    desa = _desa_of(week.out, RESORTED)
    assert week.changes.filter(pl.col("desa_code") == desa)["change"].to_list() == ["file_resent"]


def test_fixed_niks_are_exactly_the_findings_fixed(week: Week) -> None:
    changes = week.of(FIXES)
    assert week.fixed.height > 0
    fixed = changes.filter(pl.col("change") == "finding_fixed")
    assert sorted(fixed.select("code", "province_id").rows()) == sorted(
        week.fixed.select("code", "province_id").rows()
    )
    assert sorted(set(changes["change"])) == ["file_resent", "finding_fixed"]


def test_a_new_proposal_is_one_new_finding(week: Week) -> None:
    changes = week.of(PROPOSES)
    assert changes.select("change", "code", "key").rows() == [
        ("file_resent", None, PROPOSES),
        ("finding_new", "new_household", f"name:{PROPOSAL_NAME}"),
    ]


def test_a_removed_household_is_no_longer_matched(week: Week) -> None:
    province_id, row = week.removed
    desa = _desa_of(week.day1, REMOVES)
    changes = week.changes.filter(pl.col("desa_code") == desa)
    own = findings_of(week.day1, REMOVES).filter(pl.col("submission_row") == row)
    expected = [("file_resent", None, None), ("no_longer_matched", province_id, None)]
    expected += [("finding_fixed", province_id, code) for code in own["code"]]
    expected += [("finding_new", province_id, "missing_from_submission")]
    assert sorted(changes.select("change", "province_id", "code").rows(), key=str) == sorted(
        expected, key=str
    )
    gone = changes.filter(pl.col("change") == "no_longer_matched")
    assert gone["before"].to_list()[0].startswith("matched") and gone["after"].to_list() == ["not_reported"]


def test_a_village_reporting_for_the_first_time(week: Week) -> None:
    desa = _desa_of(week.out, NEW_VILLAGE)
    changes = week.changes.filter(pl.col("desa_code") == desa)
    counts = dict(changes.group_by("change").len().iter_rows())
    matched_now = pl.read_parquet(week.out / MATCHES_FILE).filter(
        pl.col("submission_file").str.ends_with(NEW_VILLAGE)
        & (pl.col("match_status") == "matched")
        & (pl.col("link_role") == "primary")
    )
    findings_now = findings_of(week.out, NEW_VILLAGE)
    missing_before = pl.read_parquet(week.day1 / "discrepancies.parquet").filter(
        (pl.col("code") == "missing_from_submission")
        & pl.col("province_id").is_in(matched_now["province_id"].implode())
    )
    assert counts == {
        "village_reported": 1,
        "file_new": 1,
        "newly_matched": matched_now.height,
        "finding_new": findings_now.height,
        "finding_fixed": missing_before.height,
    }


def test_nothing_else_changed(week: Week) -> None:
    sent = {_desa_of(week.day1, n) for n in (FIXES, RESORTED, PROPOSES, REMOVES)}
    sent.add(_desa_of(week.out, NEW_VILLAGE))
    assert set(week.changes["desa_code"]) == sent
    summary = json.loads((week.out / SUMMARY_FILE).read_text(encoding="utf-8"))["changes"]
    assert summary["villages_sent"] == 5 and summary["villages_reported_since"] == 1
    assert summary["files_resent"] == 4 and summary["files_new"] == 1 and summary["files_gone"] == 0
    assert summary["findings_fixed"] == week.changes.filter(pl.col("change") == "finding_fixed").height


def test_the_console_says_what_changed_in_the_run_s_language(week: Week) -> None:
    c = json.loads((week.out / SUMMARY_FILE).read_text(encoding="utf-8"))["changes"]
    assert f"{c['findings_fixed']} findings fixed, {c['findings_new']} new" in week.day2_output
    assert "5 villages sent files (1 reported for the first time)" in " ".join(week.day2_output.split())
    again = _run("diff", week.kept, week.out, "--lang", "id")
    words = " ".join(again.output.split())
    assert f"{c['findings_fixed']} temuan diperbaiki, {c['findings_new']} baru" in words
    assert "5 desa mengirim ulang" in words


def test_verval_diff_equals_the_automatic_one(week: Week) -> None:
    result = _run("diff", week.kept, week.out, "--json")
    assert result.exit_code == 0, result.output
    stored = json.loads((week.out / SUMMARY_FILE).read_text(encoding="utf-8"))["changes"]
    shown = json.loads(result.output)
    assert {k: v for k, v in shown.items() if k != "after"} == {
        k: v for k, v in stored.items() if k != "after"
    }
    again = compare_runs(load_run(week.kept), load_run(week.out)).frame
    assert again.equals(week.changes)


def test_a_rerun_with_nothing_changed(week: Week, tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    shutil.copytree(week.day1, out)
    day1_inbox = tmp_path / "inbox"
    day1_inbox.mkdir()
    for path in sorted((SAMPLE / "submissions").glob("*.csv")):
        if path.name != NEW_VILLAGE:
            shutil.copy(path, day1_inbox / path.name)
    result = _reconcile(day1_inbox, out)
    assert pl.read_parquet(out / CHANGES_FILE).height == 0
    assert "nothing changed" in result.output
    again = _run("reconcile", PROVINCE, day1_inbox, "--out", out, "--json")
    assert again.exit_code == 0, again.output
    first, second = sorted((out / HISTORY_DIR).iterdir())
    # The same list written twice is kept once: both history folders link one province.parquet.
    assert (first / "province.parquet").stat().st_ino == (second / "province.parquet").stat().st_ino
    # matches.parquet names each file by its path, another inbox here: a different file, kept apart.
    assert (first / "matches.parquet").stat().st_ino != (second / "matches.parquet").stat().st_ino
    counts = json.loads(again.output)["changes"]
    assert counts["findings_fixed"] == counts["findings_new"] == counts["files_resent"] == 0
    assert counts["findings_still_open"] == sum(json.loads(again.output)["by_discrepancy"].values())
    assert len(list((out / HISTORY_DIR).iterdir())) == 2


def test_a_run_of_another_round_is_kept_but_not_compared(week: Week, tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    shutil.copytree(week.out, out)
    summary = json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))
    (out / SUMMARY_FILE).write_text(json.dumps({**summary, "regency": "3301"}), encoding="utf-8")
    result = _run("reconcile", PROVINCE, week.inbox / FIXES, "--out", out)
    assert result.exit_code == 0, result.output
    assert "not compared" in result.output and "not two runs of one round" in result.output
    assert not (out / CHANGES_FILE).exists()
    unrelated = _run("diff", week.out, out)  # out now holds a run for regency 3304; its history one "3301"
    assert unrelated.exit_code == 0
    (other,) = [p for p in (out / HISTORY_DIR).iterdir() if (p / CHANGES_FILE).exists()]
    refused = _run("diff", week.out, other)
    assert refused.exit_code == 2 and refused.output.count("\n") == 1
    assert refused.output.startswith("error:") and "not two runs of one round" in refused.output
    (kept,) = [p for p in (out / HISTORY_DIR).iterdir() if (p / CHANGES_FILE).exists()]
    assert (kept / CHANGES_FILE).read_bytes() == (week.out / CHANGES_FILE).read_bytes()


def test_an_output_folder_inside_the_inbox_is_not_read_on_the_rerun(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE / "submissions" / RESORTED, inbox)
    out = inbox / "hasil"
    first = json.loads(_reconcile(inbox, out, "--force", "--json").output)
    second = json.loads(_reconcile(inbox, out, "--force", "--json").output)
    assert (out / HISTORY_DIR).is_dir()
    assert second["balance"] == first["balance"]
    assert second["changes"]["files_new"] == 0 and second["changes"]["findings_new"] == 0


# --- refusals and crashes ----------------------------------------------------------------------------------
def test_diff_of_a_folder_that_is_not_a_run(week: Week, tmp_path: Path) -> None:
    result = _run("diff", tmp_path, week.out)
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "not a verval reconcile output folder" in result.output


def test_diff_of_unrelated_runs(week: Week, tmp_path: Path) -> None:
    other = load_run(week.out)
    other.matches = other.matches.with_columns((pl.lit("X") + pl.col("province_id")).alias("province_id"))
    with pytest.raises(UsageError, match="no household of the province list in common"):
        compare_runs(load_run(week.kept), other)
    other = load_run(week.out)
    other.summary = {**other.summary, "regency": "3301"}
    with pytest.raises(UsageError, match="not two runs of one round"):
        compare_runs(load_run(week.kept), other)


def test_a_folder_that_holds_no_run_still_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    out.mkdir()
    (out / "catatan.txt").write_text("milik petugas", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE / "submissions" / RESORTED, inbox)
    refused = _run("reconcile", PROVINCE, inbox, "--out", out)
    assert refused.exit_code == 2 and "--force" in refused.output
    with pytest.raises(OutputError):
        prepare_out_dir(out, force=False)


def test_a_crash_while_writing_leaves_the_previous_run_whole(
    week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "hasil"
    shutil.copytree(week.day1, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def crash(*_: object, **__: object) -> list[Path]:
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(history, "write_reconcile_outputs", crash)
        result = _run("reconcile", PROVINCE, week.inbox / FIXES, "--out", out)
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # in place
    (kept,) = list((out / HISTORY_DIR).iterdir())
    assert (kept / MATCHES_FILE).read_bytes() == before[MATCHES_FILE]  # and in history
    _reconcile(week.inbox / FIXES, out)  # the rerun keeps that run once, not twice
    assert list((out / HISTORY_DIR).iterdir()) == [kept]
    assert (out / CHANGES_FILE).is_file()


def test_without_hard_links_the_previous_run_is_moved(
    week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "hasil"
    shutil.copytree(week.day1, out)
    matches = (out / MATCHES_FILE).read_bytes()

    def no_links(*_: object) -> None:
        raise OSError("no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    kept = history.archive_run(out)
    assert kept is not None and (kept / MATCHES_FILE).read_bytes() == matches
    assert not (out / MATCHES_FILE).exists() and (out / WORKBOOK_FILE).exists()


# --- the workbook and the page -----------------------------------------------------------------------------
def test_the_workbook_has_a_perubahan_sheet_with_every_change(week: Week) -> None:
    book = openpyxl.load_workbook(week.out / WORKBOOK_FILE)
    assert "Changes" in book.sheetnames  # the run was in English; "Perubahan" in Bahasa Indonesia
    rows = [r for r in book["Changes"].iter_rows(values_only=True) if any(v is not None for v in r)]
    kinds = [r[0] for r in rows[1:]]
    assert len(kinds) == week.changes.height
    assert kinds.count("finding fixed") == week.changes.filter(pl.col("change") == "finding_fixed").height
    day1 = openpyxl.load_workbook(week.day1 / WORKBOOK_FILE)
    assert "Changes" not in day1.sheetnames  # a first run has nothing to compare with


def test_the_page_and_verval_report_show_the_changes(week: Week, tmp_path: Path) -> None:
    page = (week.out / "ringkasan.html").read_text(encoding="utf-8")
    assert 'id="changes"' in page and "findings fixed" in page
    assert 'id="changes"' not in (week.day1 / "ringkasan.html").read_text(encoding="utf-8")
    out = tmp_path / "hasil"
    shutil.copytree(week.out, out)
    result = _run("report", out, "--lang", "id")
    assert result.exit_code == 0, result.output
    assert "temuan diperbaiki" in (out / "ringkasan.html").read_text(encoding="utf-8")
    assert "Perubahan" in openpyxl.load_workbook(out / WORKBOOK_FILE).sheetnames


# --- the keys, on hand-made runs ---------------------------------------------------------------------------
def _run_data(
    households: list[tuple[str, str, str | None, int | None]], findings: list[tuple[str, str | None, int]]
):
    """A run: (province_id, match_status, status, submission_row) per household; (code, province_id, row)."""
    matches = pl.DataFrame(
        {
            "submission_file": ["in/desa.csv" if row else None for *_, row in households],
            "submission_sheet": [None for _ in households],
            "submission_row": [row for *_, row in households],
            "province_id": [h[0] for h in households],
            "province_row": list(range(2, len(households) + 2)),
            "desa_code": ["3304012003"] * len(households),
            "match_status": [h[1] for h in households],
            "status": [h[2] for h in households],
            "link_role": ["primary" if h[1] != "province_only" else None for h in households],
        },
        schema_overrides={"submission_sheet": pl.Utf8, "submission_row": pl.Int64, "status": pl.Utf8},
    )
    rows = pl.DataFrame(
        {
            "source_file": ["in/desa.csv"] * 3,
            "source_sheet": [None] * 3,
            "source_row": [7, 8, 9],
            "name": ["SITI AMINAH", "BUDI", "TONO"],
            "nik": [None] * 3,
        },
        schema_overrides={"source_sheet": pl.Utf8, "nik": pl.Utf8},
    )
    found = pl.DataFrame(
        {
            "code": [f[0] for f in findings],
            "submission_file": ["in/desa.csv"] * len(findings),
            "submission_sheet": [None] * len(findings),
            "submission_row": [f[2] for f in findings],
            "province_id": [f[1] for f in findings],
            "province_row": [None] * len(findings),
            "desa_code": ["3304012003"] * len(findings),
        },
        schema_overrides={"submission_sheet": pl.Utf8, "province_id": pl.Utf8, "province_row": pl.Int64},
    )
    return RunData("run", matches, found, rows, {"regency": "3304"})


def test_each_kind_of_household_change() -> None:
    before = _run_data(
        [
            ("P1", "matched", "found", 2),
            ("P2", "review", "found", 3),
            ("P3", "province_only", None, None),
            ("P4", "matched", "found", 4),
            ("P5", "matched", "moved", 5),  # re-sorted to row 2 below: no change
        ],
        [],
    )
    after = _run_data(
        [
            ("P1", "matched", "moved", 3),
            ("P2", "province_only", None, None),
            ("P3", "matched", "found", 6),
            ("P4", "review", "found", 4),
            ("P5", "matched", "moved", 2),
        ],
        [],
    )
    changes = compare_runs(before, after).frame
    assert sorted(changes.select("change", "province_id", "before", "after").rows()) == [
        ("link_changed", "P2", "review found", "not_reported"),
        ("newly_matched", "P3", "not_reported", "matched found"),
        ("no_longer_matched", "P4", "matched found", "review found"),
        ("status_changed", "P1", "matched found", "matched moved"),
    ]


def test_findings_are_keyed_by_content_and_counted_per_key() -> None:
    listed = [("P1", "matched", "found", 7)]
    # Row 9 (TONO, no household) moves to row 7 and back: the same finding. P1's two findings become one.
    before = _run_data(
        listed, [("name_differs", "P1", 7), ("name_differs", "P1", 7), ("nik_missing", None, 9)]
    )
    after = _run_data(listed, [("name_differs", "P1", 8), ("nik_missing", None, 9), ("nik_missing", None, 8)])
    changes = compare_runs(before, after)
    assert sorted(changes.frame.select("change", "code", "key").rows()) == [
        ("finding_fixed", "name_differs", "P1"),
        ("finding_new", "nik_missing", "name:BUDI"),
    ]
    assert changes.counts["findings_still_open"] == 2


def test_findings_of_a_file_taken_out_of_the_inbox_are_gone_not_fixed() -> None:
    before = _run_data([("P1", "matched", "found", 7)], [("name_differs", "P1", 7)])
    after = _run_data([("P1", "province_only", None, None)], [("missing_from_submission", "P1", 0)])
    after.findings = after.findings.with_columns(pl.lit(None, dtype=pl.Utf8).alias("submission_file"))
    before.summary["input_files"] = [{"file": "in/desa.csv", "name": "desa.csv", "sha256": "ab"}]
    after.summary["input_files"] = []
    changes = compare_runs(before, after)
    assert sorted(changes.frame.select("change", "code").rows(), key=str) == sorted(
        [
            ("file_gone", None),
            ("no_longer_matched", None),
            ("finding_file_gone", "name_differs"),
            ("finding_new", "missing_from_submission"),
        ],
        key=str,
    )
    assert changes.counts["findings_fixed"] == 0 and changes.counts["findings_file_gone"] == 1
    assert "not fixed" in " ".join(change_lines(changes.to_dict(), "en"))


def test_a_move_cut_short_is_undone_by_the_next_run(
    week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "hasil"
    shutil.copytree(week.day1, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    real_replace, moves = os.replace, []

    def no_links(*_: object) -> None:
        raise OSError("no hard links here")

    def replace_then_fail(source: str | Path, target: str | Path) -> None:
        moves.append(source)
        if len(moves) == 3:
            raise OSError("unplugged")
        real_replace(source, target)

    with monkeypatch.context() as patched:
        patched.setattr(os, "link", no_links)
        patched.setattr(os, "replace", replace_then_fail)
        with pytest.raises(OutputError):
            history.archive_run(out)
    assert len([p for p in out.iterdir() if p.is_file()]) < len(before)  # two files moved away
    assert [r.label for r in list_runs(out)] == [out.name]  # the partial folder is no run
    kept = history.archive_run(out)
    assert kept is not None and not list((out / HISTORY_DIR).glob(".*"))
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    for name in history.KEPT:
        if name in before:
            assert (kept / name).read_bytes() == before[name], name
