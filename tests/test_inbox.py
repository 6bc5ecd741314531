"""An officer's inbox, replayed through the CLI: verval never reads what it wrote, and refuses what cannot be meant.

One inbox folder fills up over a week; results are written next to it or inside it. Small subsets of
``sample_data/submissions`` are copied into ``tmp_path`` to keep each run to a second or two.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from openpyxl.packaging.custom import StringProperty
from typer.testing import CliRunner, Result

from verval_cli import marks, reconcile
from verval_cli.cache import CACHE_DIR
from verval_cli.cli import app
from verval_cli.errors import InputFileError, OutputError, UsageError
from verval_cli.inbox import refuse_output_among_inputs, village_files_reason
from verval_cli.inspect import inspect_files
from verval_cli.io import discover, load_tables
from verval_cli.io.table import SheetReport
from verval_cli.validate import validate_paths
from verval_cli.writers.names import MAX_STEM_BYTES, safe_stem

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
PROVINCE = SAMPLE / "province" / "daftar_sasaran_p3ke_3304.xlsx"
VILLAGES = ("verval_ratamba.xlsx", "3304022002_PAGAK.csv", "Hasil Verval Desa Sawangan.xlsx")


def _inbox(tmp_path: Path, names: tuple[str, ...] = VILLAGES) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy(SAMPLE / "submissions" / name, inbox / name)
    return inbox


def _run(*args: str | Path) -> Result:
    """The command in English, the language these tests read its messages in."""
    words = [str(a) for a in args]
    return CliRunner().invoke(app, words if "--lang" in words else [*words, "--lang", "en"])


def test_a_refusal_speaks_the_run_s_language(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "tidak_ada.xlsx")])
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if line.startswith("galat:")], result.output
    inbox = _inbox(tmp_path)
    swapped = CliRunner().invoke(app, ["reconcile", str(inbox), str(PROVINCE), "--out", str(tmp_path / "o")])
    (line,) = [line for line in swapped.output.splitlines() if line.startswith("galat:")]
    assert "tampak seperti kiriman desa" in line and "looks like" not in line
    (inbox / "~$lock.xlsx").write_bytes(b"")
    noted = CliRunner().invoke(app, ["inspect", str(inbox)])
    notes = [line for line in noted.output.splitlines() if "~$lock.xlsx" in line]
    assert notes and all(n.startswith("catatan:") and "dilewati" in n and "skipped" not in n for n in notes)


def _errors(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def _loaded_rows(out: Path) -> int:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return int(summary["balance"]["submission_rows_loaded"])


# --- the week, replayed ------------------------------------------------------------------------------------
def test_a_week_in_one_inbox_reads_the_same_rows_every_time(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    hasil = inbox / "hasil"
    refused = _run("reconcile", PROVINCE, inbox, "--out", hasil)
    assert refused.exit_code == 2 and not hasil.exists()
    assert len(_errors(refused)) == 1 and "inside the input folder" in _errors(refused)[0]

    first = _run("reconcile", PROVINCE, inbox, "--out", hasil, "--force", "--json")
    assert first.exit_code == 0, first.output
    rows = _loaded_rows(hasil)
    assert rows > 100
    assert (hasil / marks.MANIFEST).is_file()

    per_desa = hasil / "per_desa"
    assert _run("report", hasil, "--per-desa", per_desa).exit_code == 0
    again = _run("report", hasil, "--per-desa", per_desa)  # now a non-empty folder: like reconcile
    assert again.exit_code == 2 and "not empty" in _errors(again)[0]
    assert _run("report", hasil, "--per-desa", per_desa, "--force").exit_code == 0
    village_books = list(per_desa.glob("*.xlsx"))

    annotated = inbox / "diperiksa"
    refused = _run("validate", inbox, "--annotate", annotated)
    assert refused.exit_code == 2 and "--annotate is inside the input folder" in _errors(refused)[0]
    checked = _run("validate", inbox, "--annotate", annotated, "--force")
    assert checked.exit_code in (0, 1), checked.output
    copies = list(annotated.glob("*.xlsx"))
    assert len(copies) == len(VILLAGES)

    second = _run("reconcile", PROVINCE, inbox, "--out", tmp_path / "hasil2", "--json")
    assert second.exit_code == 0, second.output
    assert _loaded_rows(tmp_path / "hasil2") == rows
    summary = json.loads((tmp_path / "hasil2" / "summary.json").read_text(encoding="utf-8"))
    notes = summary["input_notes"]
    skipped = {Path(n["file"]).name for n in notes if n["skipped"]}
    # every workbook and Parquet file verval wrote was found and set aside (HTML/JSON are not read in folders)
    expected = {
        p.name for p in [*village_books, *copies, *hasil.glob("*.parquet"), hasil / "laporan_verval.xlsx"]
    }
    expected.add(".verval-cache")  # the re-run cache of hasil: one note for the folder (verval_cli.cache)
    assert skipped == expected
    assert all("written by verval" in n["reason"] for n in notes)
    assert "written by verval" in second.output  # the officer is told, not only the JSON

    # validate and inspect of the same inbox skip the same files
    report = validate_paths(inbox)
    assert {Path(f.path).name for f in report.files} == set(VILLAGES)
    assert {Path(n.path).name for n in report.notes} == expected
    seen = inspect_files(inbox)
    assert {Path(s.path).name for s in seen.sheets} <= set(VILLAGES)
    assert {Path(n.path).name for n in seen.notes} == expected


def test_outputs_are_known_by_their_mark_not_their_name(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, VILLAGES[:1])
    out = tmp_path / "hasil"
    assert _run("reconcile", PROVINCE, inbox, "--out", out).exit_code == 0
    shutil.copy(out / "laporan_verval.xlsx", inbox / "Hasil Verval Desa Wangon.xlsx")
    shutil.copy(out / "matches.parquet", inbox / "3304012003_GUMELEM WETAN.parquet")
    shutil.copy(out / "ringkasan.html", inbox / "Hasil Desa Pagak.xls")  # HTML saved as .xls
    found = discover(inbox)
    assert [p.name for p in found.files] == [VILLAGES[0]]
    kinds = {Path(n.path).name: n.reason for n in found.notes}
    assert "reconcile report workbook" in kinds["Hasil Verval Desa Wangon.xlsx"]
    assert "reconcile output data" in kinds["3304012003_GUMELEM WETAN.parquet"]
    assert "progress page" in kinds["Hasil Desa Pagak.xls"]
    # a glob over the output folder: the files without a mark of their own are known by the manifest
    everything = discover(f"{out}/*")
    assert everything.files == []
    assert {Path(n.path).name for n in everything.notes} == {p.name for p in out.iterdir()} - {
        marks.MANIFEST,
        CACHE_DIR,  # hidden: `*` does not match it (and its files are never read, see test_cache.py)
    }
    assert any("listed in its folder's .verval-output.json" in n.reason for n in everything.notes)
    # an ordinary submission carries no mark, whatever its name says
    assert marks.read_mark(SAMPLE / "submissions" / "DATA FIX (1).xlsx") is None


def _backdate_mark(path: Path, hours: int) -> None:
    """What a village's Excel save does to a copy verval sent: the file is saved after verval wrote it."""
    wb = openpyxl.load_workbook(path)
    props = wb.custom_doc_props
    earlier = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=hours)
    del props[marks.KEY_WRITTEN]
    props.append(StringProperty(name=marks.KEY_WRITTEN, value=earlier.strftime("%Y-%m-%dT%H:%M:%SZ")))
    wb.save(path)


def test_a_copy_saved_again_after_verval_wrote_it_is_read_with_a_note(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, VILLAGES[:1])
    copies = tmp_path / "diperiksa"
    assert _run("validate", inbox, "--annotate", copies).exit_code in (0, 1)
    (copy,) = copies.glob("*.xlsx")
    assert marks.read_mark(copy) == marks.Mark(marks.ANNOTATED, edited=False)
    _backdate_mark(copy, hours=3)
    assert marks.read_mark(copy) == marks.Mark(marks.ANNOTATED, edited=True)
    # still in the folder verval wrote it to: an officer opened and saved it, not a village's answer
    found = discover(copies)
    assert found.files == [] and found.notes[0].skipped
    # the village's answer, returned and dropped into the inbox: read, with a note
    returned = inbox / copy.name
    returned.write_bytes(copy.read_bytes())
    found = discover(returned)
    assert found.files == [returned]
    assert not found.notes[0].skipped and "saved again since" in found.notes[0].reason


# --- refusals ----------------------------------------------------------------------------------------------
def test_swapped_arguments_are_refused_with_a_hint(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    result = _run("reconcile", inbox, PROVINCE, "--out", tmp_path / "o")
    assert result.exit_code == 2
    (line,) = _errors(result)
    assert "looks like village submissions" in line and "verval reconcile DAFTAR INBOX" in line
    assert not (tmp_path / "o").exists()
    one_village = inbox / VILLAGES[1]  # retyped by the village: a status and no list IDs
    with pytest.raises(UsageError, match="looks like village submissions"):
        reconcile(one_village, PROVINCE)
    assert reconcile(one_village, PROVINCE, check_province=False).province.height > 0  # what --force does


@pytest.mark.parametrize("twice", ["inbox", "province"])
def test_the_same_path_on_both_sides_is_refused(tmp_path: Path, twice: str) -> None:
    inbox = _inbox(tmp_path)
    same = inbox if twice == "inbox" else PROVINCE
    result = _run("reconcile", same, same, "--out", tmp_path / "o")
    assert result.exit_code == 2
    (line,) = _errors(result)
    assert "given both as the province list and as submissions" in line


def test_a_province_list_dropped_into_the_inbox_is_refused_with_where_to_move_it(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, VILLAGES[:1])
    shutil.copy(PROVINCE, inbox / "daftar.xlsx")
    result = _run("reconcile", inbox / "daftar.xlsx", inbox, "--out", tmp_path / "o")
    assert result.exit_code == 2
    (line,) = _errors(result)
    assert "daftar.xlsx" in line and "move it out of the inbox" in line
    checked = _run("validate", inbox, "--province", inbox / "daftar.xlsx")
    assert checked.exit_code == 2
    (line,) = _errors(checked)
    assert "daftar.xlsx" in line and "--province" in line and "out of the inbox" in line


@pytest.mark.parametrize("content", ["empty", "docx"])
@pytest.mark.parametrize("command", ["reconcile", "validate", "inspect"])
def test_an_inbox_without_a_spreadsheet_is_refused_by_every_command(
    tmp_path: Path, content: str, command: str
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if content == "docx":
        (inbox / "Surat pengantar.docx").write_bytes(b"PK\x03\x04 a letter")
    args: list[str | Path] = [command, *((PROVINCE,) if command == "reconcile" else ()), inbox]
    if command == "reconcile":
        args += ["--out", tmp_path / "o"]
    result = _run(*args)
    assert result.exit_code == 2, result.output
    (line,) = _errors(result)
    assert "no spreadsheet files to read" in line
    assert ("1 other file" in line) == (content == "docx")
    assert "silent" not in result.output and "Desa diam" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("reconcile", "{tmp}/tidak_ada.xlsx", "{inbox}", "--out", "{tmp}/o"),
        ("reconcile", str(PROVINCE), "{tmp}/kotak_masuk", "--out", "{tmp}/o"),
        ("validate", "{inbox}", "{tmp}/tidak_ada.xlsx"),
        ("validate", "{inbox}", "--province", "{tmp}/tidak_ada.xlsx"),
        ("inspect", "{tmp}/kotak_masuk"),
        ("report", "{tmp}/kotak_masuk"),
    ],
)
def test_a_missing_path_is_one_error_line_naming_it(tmp_path: Path, args: tuple[str, ...]) -> None:
    inbox = _inbox(tmp_path, VILLAGES[:1])
    result = _run(*[a.format(tmp=tmp_path, inbox=inbox) for a in args])
    assert result.exit_code == 2, result.output
    (line,) = _errors(result)
    missing = "tidak_ada.xlsx" if "tidak_ada.xlsx" in " ".join(args) else "kotak_masuk"
    assert missing in line
    assert "tidak terbaca" not in result.output  # not a row of the per-file table
    assert not (tmp_path / "o").exists()


def test_outputs_in_an_input_folder_are_refused_unless_forced(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    for folder, option in ((inbox, "--annotate"), (inbox, "--fix"), (inbox / "x", "--fix")):
        result = _run("validate", inbox, option, folder)
        assert result.exit_code == 2 and f"{option} is" in _errors(result)[0]
    globbed = _run("validate", f"{inbox}/*.xlsx", "--annotate", inbox)
    assert globbed.exit_code == 2 and "holding the input files" in _errors(globbed)[0]
    named = _run("validate", inbox / VILLAGES[0], "--annotate", inbox)
    assert named.exit_code == 2 and "holding the input files" in _errors(named)[0]
    # a pattern reads one folder, not its subfolders: a folder beside the files is fine; ** reads them all
    refuse_output_among_inputs(inbox / "diperiksa", [f"{inbox}/*.xlsx"], force=False)
    with pytest.raises(OutputError, match="inside the input folder"):
        refuse_output_among_inputs(inbox / "diperiksa", [f"{inbox}/**/*.xlsx"], force=False)
    # the province list's folder is not an inbox: results beside it are the normal layout
    refuse_output_among_inputs(tmp_path / "hasil", [str(PROVINCE), str(inbox)], force=False)
    refuse_output_among_inputs(inbox / "hasil", [str(inbox)], force=True)


# --- lock files and odd names ------------------------------------------------------------------------------
def test_lock_and_temporary_files_are_skipped_however_given(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, VILLAGES[:1])
    (inbox / "~$verval_ratamba.xlsx").write_bytes(b"\x0bOperator Desa" + b"\x00" * 40)
    (inbox / ".~lock.verval_ratamba.xlsx#").write_text("operator,desa,01.02.2023 08:00;", encoding="utf-8")
    (inbox / "verval_ratamba.xlsx.tmp").write_bytes(b"PK\x03\x04")
    globbed = _run("reconcile", PROVINCE, f"{inbox}/*.xlsx", "--out", tmp_path / "o", "--json")
    assert globbed.exit_code == 0, globbed.output
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["failures"] == []
    assert [Path(n["file"]).name for n in summary["input_notes"]] == ["~$verval_ratamba.xlsx"]
    assert "lock file" in globbed.output

    in_folder = discover(inbox)
    assert [p.name for p in in_folder.files] == [VILLAGES[0]]
    assert {Path(n.path).name for n in in_folder.notes} == {
        "~$verval_ratamba.xlsx",
        ".~lock.verval_ratamba.xlsx#",
        "verval_ratamba.xlsx.tmp",
    }
    alone = _run("validate", inbox / "~$verval_ratamba.xlsx")
    assert alone.exit_code == 2 and "only 1 lock or temporary file" in _errors(alone)[0]


def test_a_250_byte_name_does_not_stop_annotate_or_fix(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    long_name = "3304092003 Hasil Verval - 'Desa' \"Banjarmangu\" " + "- data rumah tangga " * 12
    long_name = long_name[:245] + ".xlsx"
    assert len(long_name.encode("utf-8")) == 250
    shutil.copy(SAMPLE / "submissions" / "3304092003_BANJARMANGU.xlsx", inbox / long_name)
    result = _run("validate", inbox, "--annotate", tmp_path / "ann", "--fix", tmp_path / "fix")
    assert result.exit_code == 1, result.output  # findings in the rows; nothing unreadable or unwritten
    assert "too long" not in result.output
    annotated = sorted(p.name for p in (tmp_path / "ann").glob("*.xlsx"))
    assert len(annotated) == len(VILLAGES) + 1
    shortened = [n for n in annotated if n.startswith("3304092003")]
    assert len(shortened) == 1 and len(shortened[0].encode("utf-8")) < 140 and '"' not in shortened[0]
    ready = list((tmp_path / "fix").glob("*_siap_unggah.xlsx"))
    assert len(ready) == len(VILLAGES) + 1


def test_one_copy_that_cannot_be_written_leaves_the_others(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    ann = tmp_path / "ann"
    (ann / "verval_ratamba_diperiksa.xlsx").mkdir(parents=True)  # something in the way of one copy
    result = _run("validate", inbox, "--annotate", ann)
    assert result.exit_code == 2, result.output
    assert "copy not written" in result.output
    written = {p.name for p in ann.glob("*.xlsx") if p.is_file()}
    assert written == {"3304022002_PAGAK_diperiksa.xlsx", "Hasil Verval Desa Sawangan_diperiksa.xlsx"}


@pytest.mark.parametrize(
    ("stem", "starts"),
    [
        ("Hasil Desa Pagak", "Hasil Desa Pagak"),
        ('VERVAL "FINAL" desa: Pagak?', "VERVAL _FINAL_ desa_ Pagak_"),
        ("x" * 300 + " 3304022002", "3304022002_xxx"),
        ("3304022002 " + "y" * 300, "3304022002 yyy"),
        ("é" * 200, "ééé"),
        ("...", "file"),
    ],
)
def test_output_stems_are_safe_short_and_keep_the_desa_code(stem: str, starts: str) -> None:
    safe = safe_stem(stem)
    assert safe.startswith(starts)
    assert len(safe.encode("utf-8")) <= MAX_STEM_BYTES
    assert not set('<>:"/\\|?*') & set(safe)


def test_two_long_names_that_start_alike_get_different_stems() -> None:
    base = "Hasil verval desa " * 20
    assert safe_stem(base + "RW 01") != safe_stem(base + "RW 02")


# --- the Python API and the province rule ------------------------------------------------------------------
def test_the_api_takes_one_path_or_a_list(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, VILLAGES[:2])
    one = str(inbox / VILLAGES[0])
    single = reconcile(str(PROVINCE), one)
    listed = reconcile([PROVINCE], [one])
    assert single.submissions.height == listed.submissions.height > 0
    assert set(single.matches["submission_file"].drop_nulls()) == {one}
    assert [f.path for f in validate_paths(one).files] == [one]
    assert [s.path for s in inspect_files(Path(one)).sheets] == [one]
    assert load_tables(one).frame.height == listed.submissions.height
    with pytest.raises(UsageError, match="given both"):
        reconcile(one, one)
    with pytest.raises(InputFileError, match="no such file"):
        reconcile(PROVINCE, str(inbox / "tidak_ada.xlsx"))


def _sheets(rows: list[int]) -> list[SheetReport]:
    return [
        SheetReport(f"desa{i}.xlsx", None, "xlsx", 1, {}, [], n, 0, 0, None, None, None, None)
        for i, n in enumerate(rows)
    ]


@pytest.mark.parametrize(
    ("files", "status", "ids", "refused"),
    [
        ([2000], 0.0, 1.0, False),  # one P3KE export
        ([900, 1200, 700, 1500], 0.0, 0.0, False),  # a DTKS list split per kecamatan, no P3KE IDs
        ([40, 60, 55], 0.0, 1.0, False),  # small pieces, but every row has a household ID
        ([40, 60, 55], 0.0, 0.2, True),  # small files without IDs: village files
        ([300], 0.9, 0.1, True),  # one village file retyped, status filled in, no list IDs
        # one file with IDs and a status: a DTKS export with its presence status ("sta_keberadaan") reads
        # the same as a village file kept in the province's template, so it is not refused
        ([300], 0.9, 1.0, False),
        ([40, 60, 55], 0.9, 1.0, True),  # small files in the province's template, status filled in
        ([2000], 0.3, 1.0, False),  # a few rows with some status text: still a list
    ],
)
def test_the_province_rule(files: list[int], status: float, ids: float, refused: bool) -> None:
    n = sum(files)

    def filled(share: float) -> list[str | None]:
        return ["x" if i < share * n else None for i in range(n)]

    frame = pl.DataFrame({"status_raw": filled(status), "household_id": filled(ids)})
    assert (village_files_reason(frame, _sheets(files)) is not None) == refused


def test_the_real_province_list_and_inbox_are_told_apart() -> None:
    province = load_tables(PROVINCE)
    assert village_files_reason(province.frame, province.sheets) is None
    villages = load_tables(discover(SAMPLE / "submissions").files)
    assert village_files_reason(villages.frame, villages.sheets) is not None


def test_every_writer_marks_its_files(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, VILLAGES[:1])
    out = tmp_path / "hasil"
    assert _run("reconcile", PROVINCE, inbox, "--out", out).exit_code == 0
    assert _run("report", out, "--per-desa", tmp_path / "desa").exit_code == 0
    assert _run("validate", inbox, "--fix", tmp_path / "fix").exit_code in (0, 1)
    written = [
        p
        for folder in (out, tmp_path / "desa", tmp_path / "fix")
        for p in folder.iterdir()
        if p.suffix != ".json" and p.name != CACHE_DIR
    ]
    written += (out / CACHE_DIR).rglob("*.parquet")  # the re-run cache's files carry the mark too
    assert written and all(marks.read_mark(p) is not None for p in written), written
    assert pl.read_parquet_metadata(out / "matches.parquet")[marks.KEY_KIND] == marks.RECONCILE_DATA
    with zipfile.ZipFile(out / "laporan_verval.xlsx") as book:
        assert b"verval_output" in book.read("docProps/custom.xml")
    for folder in (out, tmp_path / "desa", tmp_path / "fix"):
        manifest = json.loads((folder / marks.MANIFEST).read_text(encoding="utf-8"))
        listed = {p.name for p in folder.iterdir() if p.name not in (marks.MANIFEST, CACHE_DIR)}
        assert set(manifest["files"]) == listed
