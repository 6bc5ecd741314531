"""An officer's decisions carried from one reconcile to the next (``verval_cli.decisions``).

The first tests replay a two-day verval week on the bundled sample through the command line: day 1
reconcile, the officer fills the workbook with openpyxl, a village re-sorts its file and another
retypes a name, day 2 reconciles again into the same folder. The rest are small scenarios for what a
decision must never do (link a household twice, trust a changed row) and for bad decisions files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from policy_scenarios import CONFIG, DESA, Person, nik, write_province, write_submission
from typer.testing import CliRunner, Result

from verval_cli import decisions as decisions_module
from verval_cli.cli import app
from verval_cli.decisions import COLUMN_LABELS, KEY_HEADERS, nik_ref, read_decisions, row_key
from verval_cli.errors import InputFileError
from verval_cli.reconcile import reconcile
from verval_cli.writers.excel_report import write_excel_report

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
VILLAGE = "3304202004_KEBUTUHDUWUR.csv"  # the file the village re-sorts on day 2
REVIEW, NEW_SHEET = "Perlu Diperiksa", "Usulan Baru"


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, [*args])


def _reconcile(root: Path, out: Path, *extra: str) -> Result:
    args = ["reconcile", str(root / "province"), str(root / "submissions"), "--out", str(out)]
    result = _invoke(*args, "--config", str(root / "verval.toml"), *extra)
    assert result.exit_code == 0, result.output
    return result


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _retype_row(path: Path, data_row: int, name: str) -> str:
    """Give one row of a ``;`` file another person's name and NIK (nothing links it); returns its old NIK."""
    lines = _lines(path)
    cells = lines[data_row - 1].split(";")
    old = cells[2]
    cells[1], cells[2], cells[3], cells[7] = name, "3304200101010001", "", "01/01/1970"
    lines[data_row - 1] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return old


def _blur_row(path: Path, data_row: int) -> None:
    """Make one row only look like its household: a NIK one digit off, a name a little off, another birth date."""
    lines = _lines(path)
    cells = lines[data_row - 1].split(";")
    cells[1] = cells[1].replace("A", "E", 1).replace("U", "E", 1) + "NO"
    cells[2] = cells[2][:-1] + str((int(cells[2][-1]) + 3) % 10)
    cells[3], cells[5], cells[7] = "", "7", "01/01/1970"
    lines[data_row - 1] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _resort(path: Path) -> None:
    lines = _lines(path)
    path.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")


def _rename_in_workbook(path: Path, sheet: str, row: int, old: str, new: str) -> None:
    book = openpyxl.load_workbook(path)
    cells = [c for c in book[sheet][row] if c.value == old]
    assert cells, f"{old!r} is not on row {row} of {path.name} [{sheet}]"
    cells[0].value = new
    book.save(path)


def _fill(path: Path, picks: list[tuple[str, dict[str, Any], str, str | None, str | None]]) -> None:
    """Fill the decision columns as an officer would: (sheet, match row, decision, target, note)."""
    book = openpyxl.load_workbook(path)
    words = COLUMN_LABELS["id"]
    for sheet, match, decision, target, note in picks:
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        at_file, at_row = (
            header.index(KEY_HEADERS["submission_file"]),
            header.index(KEY_HEADERS["submission_row"]),
        )
        line = next(
            r
            for r in range(2, ws.max_row + 1)
            if ws.cell(r, at_file + 1).value == match["submission_file"]
            and ws.cell(r, at_row + 1).value == match["submission_row"]
        )
        for column, value in (
            (words["decision"], decision),
            (words["target"], target),
            (words["note"], note),
        ):
            if value is not None:
                ws.cell(line, header.index(column) + 1, value)
    book.save(path)


def _row_of(matches: pl.DataFrame, submissions: pl.DataFrame, key: str) -> dict[str, Any]:
    """The matches row of the submission row whose content key is ``key``."""
    keys = submissions.select(
        "submission_index",
        pl.struct("desa_code", "nik", "name")
        .map_elements(lambda r: row_key(r["desa_code"], r["nik"], r["name"]), return_dtype=pl.Utf8)
        .alias("_key"),
    )
    index = keys.filter(pl.col("_key") == key)["submission_index"]
    assert index.len() == 1, key
    return matches.filter(pl.col("submission_index") == index[0]).row(0, named=True)


def _key(submissions: pl.DataFrame, match: dict[str, Any]) -> str:
    row = submissions.filter(pl.col("submission_index") == match["submission_index"]).row(0, named=True)
    return row_key(row["desa_code"], row["nik"], row["name"])


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("week")
    for part in ("province", "submissions"):
        shutil.copytree(SAMPLE / part, root / part)
    # Two rows blurred, and every link short of certain left for review: review rows whatever the matcher.
    (root / "verval.toml").write_text("[matching]\naccept = 99.99\nreview = 50\n", encoding="utf-8")
    village = root / "submissions" / VILLAGE
    _blur_row(village, 2)
    _blur_row(village, 6)
    lost_nik = _retype_row(village, 4, "SLAMET RIYADI")  # a new head of family: the officer knows it
    out = root / "hasil"
    _reconcile(root, out)
    matches = pl.read_parquet(out / "matches.parquet")
    subs = pl.read_parquet(out / "submissions.parquet")
    province = pl.read_parquet(out / "province.parquet")
    in_village = matches.filter(pl.col("submission_file").str.ends_with(VILLAGE))
    review = in_village.filter(pl.col("match_status") == "review").sort("submission_row")
    assert review.height >= 2, "the week needs two review rows in the village file"
    accepted, rejected = review.row(0, named=True), review.row(1, named=True)
    manual = in_village.filter(pl.col("submission_row") == 4).row(0, named=True)
    assert manual["match_status"] == "submission_only", manual
    household = province.filter(pl.col("nik") == lost_nik)["household_id"].item()
    elsewhere = matches.filter(
        (pl.col("match_status") == "submission_only") & pl.col("submission_file").str.ends_with(".xlsx")
    ).sort("submission_file", "submission_row")
    proposal = elsewhere.row(0, named=True)
    day1 = {name: _key(subs, m) for name, m in (("accepted", accepted), ("rejected", rejected))}
    day1 |= {"manual": _key(subs, manual), "proposal": _key(subs, proposal)}
    _fill(
        out / "laporan_verval.xlsx",
        [
            (REVIEW, accepted, "Rumah tangga sama", None, "ditelepon kades"),
            (REVIEW, rejected, "Berbeda", None, None),
            (NEW_SHEET, manual, "Rumah tangga sama", household, "KK dicek"),
            (NEW_SHEET, proposal, "Usulan baru", None, None),
        ],
    )
    shutil.copy(out / "laporan_verval.xlsx", root / "keputusan_hari1.xlsx")
    # Day 2: the village re-sorts its file; another retypes the name of the row proposed as new.
    _resort(village)
    name_row = subs.filter(pl.col("submission_index") == proposal["submission_index"]).row(0, named=True)
    _rename_in_workbook(
        Path(proposal["submission_file"]),
        proposal["submission_sheet"],
        proposal["submission_row"],
        name_row["name_raw"],
        "BUDI SANTOSO",
    )
    day2 = _reconcile(root, out, "--force")
    return {
        "root": root,
        "out": out,
        "day1": day1,
        "day1_rows": {"accepted": accepted, "rejected": rejected, "manual": manual, "proposal": proposal},
        "household": household,
        "console": day2.output,
        "matches": pl.read_parquet(out / "matches.parquet"),
        "subs": pl.read_parquet(out / "submissions.parquet"),
        "findings": pl.read_parquet(out / "discrepancies.parquet"),
        "summary": json.loads((out / "summary.json").read_text(encoding="utf-8")),
    }


def test_day_two_applies_the_decisions_of_day_one(week: dict[str, Any]) -> None:
    matches, subs, keys = week["matches"], week["subs"], week["day1"]
    accepted = _row_of(matches, subs, keys["accepted"])
    assert (accepted["match_status"], accepted["match_method"]) == ("matched", "decision")
    assert accepted["province_id"] == week["day1_rows"]["accepted"]["province_id"]
    assert (accepted["decision"], accepted["decision_note"]) == ("same", "ditelepon kades")
    rejected = _row_of(matches, subs, keys["rejected"])
    assert (rejected["match_status"], rejected["match_method"], rejected["decision"]) == (
        "submission_only",
        "decision",
        "different",
    )
    manual = _row_of(matches, subs, keys["manual"])
    assert (manual["match_status"], manual["match_method"]) == ("matched", "decision")
    assert manual["province_id"] == week["household"]
    assert week["summary"]["decisions"] | {"source": None} == {
        "source": None,
        "read": 4,
        "applied": 3,
        "stale": 1,
        "conflict": 0,
        "unknown_target": 0,
        "by_decision": {"same": 2, "different": 1, "new": 0},
    }


def test_the_resorted_file_keeps_its_decisions_on_their_new_rows(week: dict[str, Any]) -> None:
    matches, subs = week["matches"], week["subs"]
    for name in ("accepted", "rejected", "manual"):
        now = _row_of(matches, subs, week["day1"][name])
        assert now["submission_row"] != week["day1_rows"][name]["submission_row"], name
        assert now["match_method"] == "decision", name


def test_a_row_that_changed_is_stale_not_applied(week: dict[str, Any]) -> None:
    proposal = week["day1_rows"]["proposal"]
    at = (pl.col("submission_file") == proposal["submission_file"]) & (
        pl.col("submission_row") == proposal["submission_row"]
    )
    now = week["matches"].filter(at).row(0, named=True)
    assert now["match_method"] != "decision" and now["decision"] is None
    assert "decision_stale" in now["discrepancies"]
    stale = week["findings"].filter(pl.col("code") == "decision_stale")
    assert stale.select("submission_file", "submission_row", "submitted_value").rows() == [
        (proposal["submission_file"], proposal["submission_row"], "new")
    ]
    assert "1 usang" in week["console"]
    # The officer sees it in the workbook, though the row is on no list (the sheet shows matched rows' findings).
    book = openpyxl.load_workbook(week["out"] / "laporan_verval.xlsx")
    shown = [r for r in book["Perbedaan"].iter_rows(values_only=True) if "decision_stale" in r]
    assert [(r[0], r[2]) for r in shown] == [(proposal["submission_file"], proposal["submission_row"])]


def test_decisions_keep_the_balance(week: dict[str, Any]) -> None:
    matches, summary = week["matches"], week["summary"]
    balance = summary["balance"]
    assert balance["balanced"]
    assert matches["submission_index"].drop_nulls().is_unique().all()
    assert matches["submission_index"].drop_nulls().len() == balance["submission_rows_loaded"]
    # Each household once: held by one primary row, or not reported.
    primary = matches.filter(pl.col("link_role") == "primary")["province_index"]
    only = matches.filter(pl.col("match_status") == "province_only")["province_index"]
    assert primary.is_unique().all() and not primary.is_in(only.implode()).any()
    assert primary.len() + only.len() == balance["province_households"]
    # The household linked by hand is no longer unreported; the one rejected is, unless another row holds it.
    listed = matches.filter(pl.col("province_id") == week["household"])
    assert listed["match_status"].to_list() == ["matched"]
    rejected = week["day1_rows"]["rejected"]["province_id"]
    assert matches.filter(pl.col("province_id") == rejected)["match_status"].to_list() == ["province_only"]


def test_the_day_two_workbook_carries_the_decisions_on(week: dict[str, Any], tmp_path: Path) -> None:
    carried = read_decisions(week["out"] / "laporan_verval.xlsx")
    assert sorted(carried["decision"].to_list()) == ["different", "same", "same"]
    assert set(carried["row_key"]) == {week["day1"][k] for k in ("accepted", "rejected", "manual")}
    # The same decisions, given explicitly from the saved day-1 workbook, give the same links.
    out = tmp_path / "again"
    _reconcile(week["root"], out, "--decisions", str(week["root"] / "keputusan_hari1.xlsx"))
    again = pl.read_parquet(out / "matches.parquet")
    columns = ["submission_file", "submission_row", "province_id", "match_method", "decision"]
    assert again.select(columns).equals(week["matches"].select(columns))


# --- small scenarios --------------------------------------------------------------------------------------
BORN = dt.date(1971, 3, 4)
HEAD = Person("SUKIMAN HARJO", nik(11, BORN), BORN, "L", rt=1, rw=2, household_id="P0001")
SECOND = Person("TUKIYEM", nik(12, dt.date(1966, 7, 8), "P"), dt.date(1966, 7, 8), "P", household_id="P0002")
STRANGER = Person("WAGIMIN", nik(13, dt.date(1980, 1, 2)), dt.date(1980, 1, 2), "L")


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    header = list(rows[0])
    lines = [",".join(header), *(",".join(r[h] for h in header) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _decide(person: Person, decision: str, target: str = "") -> dict[str, str]:
    return {
        "decision": decision,
        "desa_code": DESA,
        "nik": person.nik or "",
        "name": person.name or "",
        "province_id": target,
    }


def _run(folder: Path, households: list[Person], rows: list[Person], decided: list[dict[str, str]]) -> Any:
    province = write_province(folder, households)
    write_submission(folder, rows)
    decisions = read_decisions(_csv(folder / "keputusan.csv", decided))
    return reconcile(province, [folder / "submissions"], CONFIG, decisions=decisions)


def _by_name(result: Any, name: str) -> dict[str, Any]:
    subs = result.submissions.filter(pl.col("name_raw") == name)["submission_index"]
    return result.matches.filter(pl.col("submission_index") == subs[0]).row(0, named=True)


def test_a_csv_decision_links_what_the_matcher_could_not(tmp_path: Path) -> None:
    result = _run(tmp_path, [HEAD, SECOND], [HEAD, STRANGER], [_decide(STRANGER, "same", "P0002")])
    linked = _by_name(result, "WAGIMIN")
    assert (linked["province_id"], linked["match_method"], linked["link_role"]) == (
        "P0002",
        "decision",
        "primary",
    )
    assert result.summary["balance"]["province_households_not_reported"] == result.province.height - 2


def test_a_household_is_never_linked_twice_by_a_decision(tmp_path: Path) -> None:
    result = _run(tmp_path, [HEAD], [HEAD, STRANGER], [_decide(STRANGER, "same", "P0001")])
    assert _by_name(result, "WAGIMIN")["match_status"] == "submission_only"
    assert _by_name(result, "SUKIMAN HARJO")["match_method"] != "decision"
    assert result.discrepancies.filter(pl.col("code") == "decision_conflict").height == 1
    assert result.summary["decisions"]["conflict"] == 1


def test_unlinking_a_row_frees_its_household_for_another(tmp_path: Path) -> None:
    decided = [_decide(HEAD, "different"), _decide(STRANGER, "same", HEAD.nik or "")]
    result = _run(tmp_path, [HEAD], [HEAD, STRANGER], decided)
    assert _by_name(result, "SUKIMAN HARJO")["match_status"] == "submission_only"
    assert _by_name(result, "WAGIMIN")["province_id"] == "P0001"
    assert result.summary["decisions"]["applied"] == 2


def test_a_duplicate_row_takes_the_place_of_a_rejected_primary(tmp_path: Path) -> None:
    again = dataclasses.replace(HEAD, name="SUKIMAN")  # the same household typed twice
    result = _run(tmp_path, [HEAD], [HEAD, again], [_decide(HEAD, "different")])
    roles = result.matches.filter(pl.col("province_id") == "P0001")["link_role"].to_list()
    assert roles == ["primary"]
    assert result.discrepancies.filter(pl.col("code") == "duplicate_in_submission").height == 0


def test_a_household_not_on_the_list_is_reported(tmp_path: Path) -> None:
    result = _run(tmp_path, [HEAD], [HEAD, STRANGER], [_decide(STRANGER, "same", "P9999")])
    assert _by_name(result, "WAGIMIN")["match_status"] == "submission_only"
    assert result.discrepancies.filter(pl.col("code") == "decision_target_unknown").height == 1


def test_a_new_proposal_by_decision_counts_as_new(tmp_path: Path) -> None:
    result = _run(tmp_path, [HEAD], [HEAD, STRANGER], [_decide(STRANGER, "new")])
    row = _by_name(result, "WAGIMIN")
    assert (row["status"], row["decision"], row["discrepancies"]) == ("new", "new", ["new_household"])


# --- bad decisions files: one line naming file, sheet, row, column -----------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "decision,nik,name,desa_code\nsama sekali,1,A,3304\n",
            "keputusan.csv row 2: column 'decision': 'sama sekali'",
        ),
        ("nik,name\n1,A\n", "keputusan.csv: column 'decision' is missing"),
        ("decision,nik\nsame,1\n", "keputusan.csv: needs column 'row_key'"),
        ("decision,row_key,submission_row\nnew,abc,baris5\n", "keputusan.csv row 2: column 'submission_row'"),
    ],
)
def test_a_bad_csv_is_one_line_naming_row_and_column(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "keputusan.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_decisions(path)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_a_bad_workbook_cell_names_file_sheet_row_and_column(week: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "laporan_verval.xlsx"
    shutil.copy(week["root"] / "keputusan_hari1.xlsx", path)
    book = openpyxl.load_workbook(path)
    ws = book[REVIEW]
    header = [c.value for c in ws[1]]
    decision, target = (header.index(COLUMN_LABELS["id"][k]) + 1 for k in ("decision", "target"))
    ws.cell(2, decision, "mungkin")
    book.save(path)
    with pytest.raises(InputFileError) as caught:
        read_decisions(path)
    assert str(caught.value).startswith(
        f"{path} [sheet {REVIEW}] row 2: column 'Keputusan petugas': 'mungkin'"
    )
    # A NIK Excel stored as a number has lost its last digits: refused, not guessed.
    ws.cell(3, decision, "Rumah tangga sama")
    ws.cell(3, target, 3304200101800001.0)
    ws.cell(2, decision).value = None
    book.save(path)
    with pytest.raises(InputFileError, match=r"row 3: column 'ID/NIK keluarga pilihan petugas': .* as text"):
        read_decisions(path)
    result = _invoke(
        "reconcile", str(SAMPLE / "province"), str(SAMPLE / "submissions"), "--out", str(tmp_path / "o"),
        "--decisions", str(path),
    )  # fmt: skip
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "baris 3" in result.output and "ID/NIK keluarga" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_a_missing_decisions_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="decisions file not found"):
        read_decisions(tmp_path / "tidak_ada.csv")
    (tmp_path / "kosong").mkdir()
    with pytest.raises(InputFileError, match="no decisions file"):
        read_decisions(tmp_path / "kosong")


def test_a_rejection_of_another_household_is_stale(tmp_path: Path) -> None:
    """Berbeda said 'not P0002'; the row now links to P0001: the officer never judged that link."""
    decided = {**_decide(HEAD, "different"), "proposed_id": "P0002"}
    result = _run(tmp_path, [HEAD, SECOND], [HEAD], [decided])
    assert _by_name(result, "SUKIMAN HARJO")["province_id"] == "P0001"
    stale = result.discrepancies.filter(pl.col("code") == "decision_stale")
    assert stale.select("submission_row", "submitted_value", "list_value").rows() == [
        (2, "different", "P0002")
    ]


def test_a_row_decided_while_unlinked_is_stale_once_linked(tmp_path: Path) -> None:
    decided = {**_decide(HEAD, "new"), "proposed_id": "-"}
    result = _run(tmp_path, [HEAD], [HEAD], [decided])
    assert _by_name(result, "SUKIMAN HARJO")["match_status"] == "matched"
    assert result.summary["decisions"]["stale"] == 1


def test_village_workbooks_carry_decisions_back(week: dict[str, Any], tmp_path: Path) -> None:
    """A village's own workbook (report --per-desa) is a decisions file too; report keeps laporan's decisions."""
    out, folder = tmp_path / "hasil", tmp_path / "desa"
    shutil.copytree(week["out"], out)
    result = _invoke("report", str(out), "--per-desa", str(folder))
    assert result.exit_code == 0, result.output
    assert read_decisions(out / "laporan_verval.xlsx").height == 3  # re-rendered, still filled in
    assert read_decisions(folder).height == 0  # nothing decided in the village workbooks yet
    matches, subs = week["matches"], week["subs"]
    pick = (
        matches.filter((pl.col("match_status") == "submission_only") & pl.col("decision").is_null())
        .sort("submission_file", "submission_row")
        .row(0, named=True)
    )
    workbook = next(p for p in folder.glob("*.xlsx") if p.name.startswith(pick["desa_code"]))
    book = openpyxl.load_workbook(workbook)
    ws = book[NEW_SHEET]
    header = [c.value for c in ws[1]]
    line = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, header.index(KEY_HEADERS["submission_row"]) + 1).value == pick["submission_row"]
        and ws.cell(r, header.index(KEY_HEADERS["submission_file"]) + 1).value == pick["submission_file"]
    )
    ws.cell(line, header.index(COLUMN_LABELS["id"]["decision"]) + 1, "Usulan baru")
    book.save(workbook)
    decided = read_decisions(folder)
    assert decided.select("decision", "row_key").rows() == [("new", _key(subs, pick))]
    _reconcile(week["root"], tmp_path / "again", "--decisions", str(folder))
    again = pl.read_parquet(tmp_path / "again" / "matches.parquet")
    row = _row_of(again, pl.read_parquet(tmp_path / "again" / "submissions.parquet"), _key(subs, pick))
    assert (row["match_method"], row["decision"], row["status"]) == ("decision", "new", "new")


def test_a_list_without_household_ids_names_households_without_showing_a_nik(tmp_path: Path) -> None:
    province = write_province(tmp_path, [HEAD, SECOND])
    lines = _lines(province)
    at = lines[0].split(";").index("id_keluarga_p3ke")
    province.write_text(
        "\n".join(";".join(c for i, c in enumerate(line.split(";")) if i != at) for line in lines) + "\n"
    )
    write_submission(tmp_path, [HEAD, STRANGER])
    decisions = read_decisions(
        _csv(tmp_path / "keputusan.csv", [_decide(STRANGER, "same", SECOND.nik or "")])
    )
    result = reconcile(province, [tmp_path / "submissions"], CONFIG, decisions=decisions)
    linked = _by_name(result, "WAGIMIN")
    assert linked["match_method"] == "decision" and linked["province_id"] is None
    assert linked["decision_province_id"] == nik_ref(SECOND.nik or "") != SECOND.nik
    # The workbook carries the decision by that reference, and the next run applies it again.
    write_excel_report(result, tmp_path / "laporan_verval.xlsx", mask_nik=True)
    carried = read_decisions(tmp_path / "laporan_verval.xlsx")
    assert carried.select("decision", "target").rows() == [("same", nik_ref(SECOND.nik or ""))]
    book = openpyxl.load_workbook(tmp_path / "laporan_verval.xlsx")
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not any(SECOND.nik in c or (HEAD.nik or "") in c for c in cells)
    again = reconcile(province, [tmp_path / "submissions"], CONFIG, decisions=carried)
    assert _by_name(again, "WAGIMIN")["decision_province_id"] == linked["decision_province_id"]
    assert again.summary["decisions"]["applied"] == 1


def test_the_english_workbook_offers_english_choices_and_reads_back(tmp_path: Path) -> None:
    result = _run(tmp_path, [HEAD, SECOND], [HEAD, STRANGER], [_decide(HEAD, "different")])
    path = tmp_path / "laporan_verval.xlsx"
    write_excel_report(result, path, lang="en")
    book = openpyxl.load_workbook(path)
    ws = book["New Proposals"]
    header = [c.value for c in ws[1]]
    at = header.index(COLUMN_LABELS["en"]["decision"]) + 1
    rules = [v.formula1 for v in ws.data_validations.dataValidation]
    assert rules == ['"Same household,Different,New proposal"']
    assert {ws.cell(r, at).value for r in range(2, ws.max_row + 1)} == {"Different", None}  # carried on
    hidden = [k for k, d in ws.column_dimensions.items() if d.hidden]
    assert hidden and all(ws[f"{k}1"].value.startswith("verval:") for k in hidden)
    line = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, at).value is None)
    ws.cell(line, at, "New proposal")
    book.save(path)
    assert sorted(read_decisions(path)["decision"].to_list()) == ["different", "new"]


def test_decisions_given_and_decisions_in_the_out_folder_are_both_applied(
    week: dict[str, Any], tmp_path: Path
) -> None:
    """The day-1 workbook given again beside the day-2 workbook in --out: the same decisions, counted once."""
    out = tmp_path / "hasil"
    shutil.copytree(week["out"], out)
    day1 = week["root"] / "keputusan_hari1.xlsx"
    result = _reconcile(week["root"], out, "--force", "--json", "--decisions", str(day1))
    counts = json.loads(result.stdout)["decisions"]  # --json shows what summary.json holds
    assert counts == json.loads((out / "summary.json").read_text(encoding="utf-8"))["decisions"]
    assert (counts["read"], counts["applied"], counts["stale"], counts["conflict"]) == (7, 3, 1, 0)
    assert counts["source"] == f"{day1}, {out / 'laporan_verval.xlsx'}"


def test_a_run_without_decisions_writes_no_decision_columns(tmp_path: Path) -> None:
    province = write_province(tmp_path, [HEAD])
    write_submission(tmp_path, [HEAD, STRANGER])
    result = reconcile(province, [tmp_path / "submissions"], CONFIG)
    assert not set(result.matches.columns) & {"decision", "decision_province_id", "decision_note"}
    assert "decisions" not in result.summary
    assert "decision" not in set(result.matches["match_method"])


def test_a_parquet_decisions_file_and_a_folder_of_mixed_files(tmp_path: Path) -> None:
    """A script's Parquet file (keys as verval writes them) and a CSV in one folder: both read, in name order."""
    folder = tmp_path / "keputusan"
    folder.mkdir()
    key = row_key(DESA, STRANGER.nik, "WAGIMIN")
    pl.DataFrame({"row_key": [key], "decision": ["new"], "note": ["usulan RT"]}).write_parquet(
        folder / "a.parquet"
    )
    _csv(folder / "b.csv", [_decide(HEAD, "different")])
    (folder / "catatan.txt").write_text("not a table of decisions\n", encoding="utf-8")  # left alone
    decided = read_decisions(folder)
    assert decided.select("decision", "note").rows() == [("new", "usulan RT"), ("different", None)]
    province = write_province(tmp_path, [HEAD])
    write_submission(tmp_path, [HEAD, STRANGER])
    result = reconcile(province, [tmp_path / "submissions"], CONFIG, decisions=decided)
    assert result.summary["decisions"]["applied"] == 2
    row = _by_name(result, "WAGIMIN")
    assert (row["decision"], row["decision_note"], row["status"]) == ("new", "usulan RT", "new")


def _clear_decisions(path: Path, blank: str | None) -> None:
    """Empty every decision cell of the workbook (``blank``: what is left in them)."""
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        header = [c.value for c in ws[1]]
        if COLUMN_LABELS["id"]["decision"] in header:
            at = header.index(COLUMN_LABELS["id"]["decision"]) + 1
            for r in range(2, ws.max_row + 1):
                ws.cell(r, at).value = blank
    book.save(path)


@pytest.mark.parametrize("blank", [None, "  "])
def test_a_workbook_with_no_decision_typed_is_not_read_through(
    week: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blank: str | None
) -> None:
    out = tmp_path / "hasil"
    out.mkdir()
    workbook = out / "laporan_verval.xlsx"
    shutil.copy(week["root"] / "keputusan_hari1.xlsx", workbook)
    assert decisions_module._typed_decisions(workbook) is True
    _clear_decisions(workbook, blank)
    assert decisions_module._typed_decisions(workbook) is False

    def full_read(path: Path) -> bool:
        raise AssertionError(f"{path} read through although no decision is typed in it")

    monkeypatch.setattr(decisions_module, "has_decision_sheets", full_read)
    assert decisions_module.decisions_for_run(None, out) is None


def test_the_quick_look_leaves_a_damaged_workbook_to_the_full_reader(tmp_path: Path) -> None:
    damaged = tmp_path / "laporan_verval.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not a workbook")
    assert decisions_module._typed_decisions(damaged) is None
    assert decisions_module.decisions_for_run(None, tmp_path) is None  # as before: a damaged one is ignored
