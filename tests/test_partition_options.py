"""reconcile --partition with the options of a one-process run: a rerun's history and changes, the
file cache, decisions and --mask-nik (refused in one line where a partitioned run cannot do it yet)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from province_round import province_round
from typer.testing import CliRunner

from benchmarks.scenario import ScenarioPaths
from verval_cli.cli import app
from verval_cli.decisions import COLUMN_LABELS


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> ScenarioPaths:
    return province_round(tmp_path_factory.mktemp("province"))


def _reconcile(round_: ScenarioPaths, inbox: Path, out: Path, *extra: str) -> Any:
    args = ["reconcile", str(round_.province), str(inbox), "--out", str(out), "--lang", "en", *extra]
    return CliRunner().invoke(app, args)


def _summary(out: Path) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary.pop("run")  # when it was written
    return summary


def _week(round_: ScenarioPaths, folder: Path) -> tuple[Path, Path]:
    """Day 1's inbox, and day 2's: one village resent its file with a row fewer."""
    day1, day2 = folder / "day1", folder / "day2"
    shutil.copytree(round_.submissions, day1)
    shutil.copytree(round_.submissions, day2)
    resent = sorted(day2.glob("*.parquet"))[1]
    pl.read_parquet(resent).slice(1).write_parquet(resent)
    return day1, day2


def test_a_partitioned_rerun_keeps_the_previous_run_and_says_what_changed(
    round_: ScenarioPaths, tmp_path: Path
) -> None:
    day1, day2 = _week(round_, tmp_path)
    outs = {"one": tmp_path / "one", "parts": tmp_path / "parts"}
    for how, out in outs.items():
        extra = ("--partition", "regency") if how == "parts" else ()
        # Each day's inbox is copied to the same place: the runs compare the same file names.
        inbox = tmp_path / f"inbox_{how}"
        for day in (day1, day2):
            shutil.rmtree(inbox, ignore_errors=True)
            shutil.copytree(day, inbox)
            done = _reconcile(round_, inbox, out, *extra)
            assert done.exit_code == 0, done.output
        assert len([p for p in (out / "riwayat").iterdir() if not p.name.startswith(".")]) == 1
    one, parts = outs["one"], outs["parts"]
    changes = pl.read_parquet(parts / "changes.parquet")
    assert changes.height > 0
    assert changes.equals(pl.read_parquet(one / "changes.parquet"))
    summary_one, summary_parts = _summary(one), _summary(parts)
    # The same changes; each names its own folders (the run before it, in riwayat/, and itself).
    said = summary_parts["changes"]
    assert said["after"] == str(parts) and said["before"].startswith(str(parts / "riwayat"))
    for summary in (summary_one, summary_parts):
        summary["changes"] = {k: v for k, v in summary["changes"].items() if k not in ("before", "after")}
        summary.pop("input_files")  # each run's own copy of the inbox
    assert summary_parts == summary_one
    kept = sorted((parts / "riwayat").iterdir())[0]
    rows = [pl.read_parquet(folder / "submissions.parquet").height for folder in (kept, parts)]
    assert rows[0] == rows[1] + 1  # day 1 kept whole, with the row day 2 no longer sends


def test_a_partitioned_run_keeps_no_file_cache_and_says_so(round_: ScenarioPaths, tmp_path: Path) -> None:
    done = _reconcile(round_, round_.submissions, tmp_path / "o", "--partition", "regency")
    assert done.exit_code == 0, done.output
    assert "the file cache (.verval-cache) is not used" in done.output
    assert not (tmp_path / "o" / ".verval-cache").exists()
    quiet = _reconcile(round_, round_.submissions, tmp_path / "q", "--partition", "regency", "--no-cache")
    assert quiet.exit_code == 0 and ".verval-cache" not in quiet.output


def test_partition_with_decisions_is_refused_in_one_line(round_: ScenarioPaths, tmp_path: Path) -> None:
    decisions = tmp_path / "keputusan.csv"
    decisions.write_text("row_key,decision\n", encoding="utf-8")
    out = tmp_path / "o"
    done = _reconcile(
        round_, round_.submissions, out, "--partition", "regency", "--decisions", str(decisions)
    )
    assert done.exit_code != 0
    assert "--partition cannot be combined with --decisions yet" in done.output
    assert "Traceback" not in done.output and not out.exists()


def test_partition_with_mask_nik_over_a_previous_run_is_refused(
    round_: ScenarioPaths, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    first = _reconcile(round_, round_.submissions, out, "--partition", "regency", "--mask-nik")
    assert first.exit_code == 0, first.output
    before = (out / "matches.parquet").read_bytes()
    again = _reconcile(round_, round_.submissions, out, "--partition", "regency", "--mask-nik")
    assert again.exit_code != 0
    assert "--partition --mask-nik cannot write over the previous run" in again.output
    assert (out / "matches.parquet").read_bytes() == before and not (out / "riwayat").exists()


def test_partition_over_a_workbook_with_decisions_is_refused(round_: ScenarioPaths, tmp_path: Path) -> None:
    # Day 1 without --partition; the officer fills a decision in the workbook; day 2 with --partition
    # would replace that workbook without applying it: refused, day 1 left as it was.
    out = tmp_path / "o"
    config = tmp_path / "verval.toml"
    config.write_text("[matching]\naccept = 99.99\nreview = 50\n", encoding="utf-8")  # review rows
    first = _reconcile(round_, round_.submissions, out, "--config", str(config), "--lang", "id")
    assert first.exit_code == 0, first.output
    book = openpyxl.load_workbook(out / "laporan_verval.xlsx")
    sheet = book["Perlu Diperiksa"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index(COLUMN_LABELS["id"]["decision"]) + 1, "Berbeda")
    book.save(out / "laporan_verval.xlsx")
    before = (out / "matches.parquet").read_bytes()
    again = _reconcile(round_, round_.submissions, out, "--config", str(config), "--partition", "regency")
    assert again.exit_code != 0
    assert "--partition cannot apply the decisions filled in" in again.output, again.output
    assert "Traceback" not in again.output
    assert (out / "matches.parquet").read_bytes() == before and not (out / "riwayat").exists()
