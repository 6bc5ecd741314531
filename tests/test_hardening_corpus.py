"""The broken-input corpus through `verval inspect`, `reconcile` and `validate`: one line per bad file.

Every corpus file is generated here (no committed binaries). Each case names what verval must do with
it: refuse it with a one-line reason naming the file (exit 2) while the good files of the same batch are
still processed, or read it (exit 0). Cases that need a change outside the loader's readers are marked
``xfail(strict=True)`` with the change they wait for.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from hardening_files import HEADER, ROWS, compound_file, good_xlsx, write_book
from typer.testing import CliRunner, Result

from verval_cli.cli import app
from verval_cli.io import load_table
from verval_cli.sample import SampleSpec, generate_truth, write_round

ENCODED_TEXT = "NAMA KK;NIK;HASIL VERVAL\r\nSUPARNO;3304031508950001;Ada\r\n"


def _rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes], *, level: int = 6) -> Path:
    """Rewrite one part of an xlsx in place (deflated at ``level``)."""
    src_bytes = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(src_bytes)) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(
                item.filename,
                change(data) if item.filename == part else data,
                compress_type=zipfile.ZIP_DEFLATED,
                compresslevel=level,
            )
    return path


SHEET1 = "xl/worksheets/sheet1.xml"


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff8_workbook(sheet: str, rows: list[list[str]]) -> bytes:
    """A real Excel 97-2003 workbook stream (BIFF8) with text cells."""

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    cells = b"".join(
        _record(0x0204, struct.pack("<HHHHB", r, c, 0, len(v), 1) + v.encode("utf-16-le"))
        for r, row in enumerate(rows)
        for c, v in enumerate(row)
    )
    dims = struct.pack("<IIHHH", 0, len(rows), 0, max(len(r) for r in rows), 0)
    worksheet = bof(0x10) + _record(0x0200, dims) + cells + _record(0x000A)
    name = sheet.encode("utf-16-le")
    globals_ = bof(0x05) + _record(0x0042, struct.pack("<H", 1200)) + _record(0x005C, b" " * 4000)
    boundsheet = struct.pack("<IBBBB", 0, 0, 0, len(sheet), 1) + name
    position = len(globals_) + len(_record(0x0085, boundsheet)) + len(_record(0x000A))
    globals_ += _record(0x0085, struct.pack("<I", position) + boundsheet[4:]) + _record(0x000A)
    return globals_ + worksheet


def _truncated(path: Path) -> None:
    data = good_xlsx(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt(path: Path) -> None:
    data = bytearray(good_xlsx(path).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET1)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 5, start + min(40, info.compress_size - 2)):
        data[k] ^= 0x5A  # bytes damaged in transfer; the zip directory is intact
    path.write_bytes(bytes(data))


def _password(path: Path) -> None:
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\0" * 4088  # agile encryption header, then filler
    package = random.Random(7).randbytes(6000)
    path.write_bytes(compound_file({"EncryptionInfo": info, "EncryptedPackage": package}))


def _xls_renamed(path: Path) -> None:
    rows = [HEADER, *[[str(v) for v in row] for row in ROWS]]
    path.write_bytes(compound_file({"Workbook": biff8_workbook("Desa", rows)}))


def _html_table(path: Path) -> None:
    cells = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in row)}</tr>" for row in [HEADER, *ROWS])
    path.write_text(f"<html><body><table>{cells}</table></body></html>", encoding="utf-8")


def _csv(path: Path, lines: list[list[str]]) -> None:
    path.write_text("\n".join(",".join(line) for line in lines) + "\n", encoding="utf-8")


def _long_cell_xlsx(path: Path) -> None:
    write_book(path, [["NAMA KK", "NIK", "HASIL VERVAL"], ["LONGCELL", "3304031508950001", "Ada"]])
    _rewrite_part(path, SHEET1, lambda xml: xml.replace(b"LONGCELL", b"B" * 40_000))


def _stray_cell_far_right(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in [HEADER, *ROWS]:
        ws.append(row)
    ws["XFD2"] = "x"  # a stray keystroke in Excel's last column: 16,384 columns wide
    wb.save(path)


def _formulas_cached(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["NAMA KK", "NIK", "HASIL VERVAL"])
    ws.write_formula(1, 0, '=UPPER("suparno")', None, "SUPARNO")
    ws.write_string(1, 1, "3304031508950001")
    ws.write_formula(1, 2, '=IF(1=1,"Ada","Pindah")', None, "Ada")
    book.close()


def _merged_header(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["NO", "IDENTITAS KEPALA KELUARGA", None, "HASIL VERVAL"])
    ws.append([None, "NAMA", "NIK", None])
    ws.append([1, "SUPARNO", "3304031508950001", "Ada"])
    for ref in ("A1:A2", "B1:C1", "D1:D2"):
        ws.merge_cells(ref)
    wb.save(path)


def _hidden_sheet(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    for row in [HEADER, *ROWS]:
        ws.append(row)
    old = wb.create_sheet("Lama")
    old.append(HEADER)
    old.append([1, "KASIRIN", "3304031203700003", "12-03-1970", "Meninggal"])
    old.sheet_state = "hidden"
    wb.save(path)


def _zip_bomb(path: Path) -> None:
    """50 MB of sheet XML deflated to ~50 KB."""
    good_xlsx(path)
    _rewrite_part(
        path, SHEET1, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (50 << 20)), level=9
    )


def _zip_bomb_declared(path: Path) -> None:
    """A small archive whose central directory promises 3 GiB: refused before anything is read."""
    data = bytearray(good_xlsx(path).read_bytes())
    name = SHEET1.encode()
    at = data.index(b"PK\x01\x02")  # first central directory entry
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    data[at + 24 : at + 28] = struct.pack("<I", 3 << 30)  # uncompressed size field
    path.write_bytes(bytes(data))


@dataclass(frozen=True)
class Case:
    """One corpus file: how to build it and what verval must say (None: it is read)."""

    name: str
    build: Callable[[Path], object]
    reason: str | None
    note: str | None = None
    waits_for: str | None = None  # a change outside this test's reach, for xfail


CASES = [
    Case("truncated.xlsx", _truncated, "corrupt or truncated file"),
    Case("corrupt.xlsx", _corrupt, "corrupt or truncated file"),
    Case("password.xlsx", _password, "password protected"),
    Case("empty.csv", lambda p: p.write_bytes(b""), "empty file"),
    Case(
        "header_only.xlsx",
        lambda p: write_book(p, [HEADER]),
        "no data rows",
    ),
    Case(
        "no_header.csv",
        lambda p: _csv(p, [["a", "b", "c"], *[[str(i), str(2 * i), str(3 * i)] for i in range(20)]]),
        "no recognisable header",
    ),
    Case("garbage.csv", lambda p: p.write_bytes(random.Random(1).randbytes(5000)), "binary file"),
    Case("html_table.xls", _html_table, None),
    Case("old_excel.xlsx", _xls_renamed, None),
    Case(
        "long_cell.csv",
        lambda p: _csv(p, [["NAMA KK", "NIK", "HASIL VERVAL"], ["A", "1", "Ada"], ["B", "2", "X" * 40_000]]),
        "row 3, column C: cell of 40000 characters",
    ),
    Case(
        "huge_cell.csv",
        lambda p: _csv(p, [["NAMA KK", "NIK", "HASIL VERVAL"], ["A", "1", "Ada"], ["B", "2", "X" * 200_000]]),
        "row 3: a cell longer than",
    ),
    Case("long_cell.xlsx", _long_cell_xlsx, "row 2, column A: cell of 40000 characters"),
    Case(
        "wide.csv",
        lambda p: _csv(
            p, [HEADER + [f"K{i}" for i in range(3000)], [str(v) for v in ROWS[0]] + ["x"] * 3000]
        ),
        "3005 filled columns",
    ),
    Case(
        "too_wide.csv",
        lambda p: _csv(p, [HEADER + [f"K{i}" for i in range(20_000)], [str(v) for v in ROWS[0]]]),
        "row 1: 20005 columns",
    ),
    Case("stray_cell_far_right.xlsx", _stray_cell_far_right, None),
    Case("utf16_no_bom.csv", lambda p: p.write_bytes(ENCODED_TEXT.encode("utf-16-le")), None),
    Case("utf16_bom.csv", lambda p: p.write_bytes(ENCODED_TEXT.encode("utf-16")), None),
    Case(
        "windows1252.csv",
        lambda p: p.write_bytes(ENCODED_TEXT.replace("SUPARNO", "SUPARNO É").encode("cp1252")),
        None,
    ),
    Case(
        "shift_jis.csv",
        lambda p: p.write_bytes(ENCODED_TEXT.replace("SUPARNO", "日本").encode("shift_jis")),
        None,
    ),
    Case("formulas.xlsx", _formulas_cached, None),
    Case(
        "dates_as_text.xlsx",
        lambda p: write_book(p, [HEADER, [1, "SUPARNO", "3304031508950001", "15 Agustus 1995", "Ada"]]),
        None,
    ),
    Case(
        "duplicate_headers.xlsx",
        lambda p: write_book(
            p, [["NAMA KK", "NIK", "NIK", "HASIL VERVAL"], ["SUPARNO", "3304031508950001", "x", "Ada"]]
        ),
        None,
        note="also maps to nik",
    ),
    Case("merged_header.xlsx", _merged_header, None, note="header spans rows 1-2"),
    Case("hidden_sheet.xlsx", _hidden_sheet, None, note="hidden sheet"),
    Case("zip_bomb.xlsx", _zip_bomb, "looks like a zip bomb"),
    Case("zip_bomb_declared.xlsx", _zip_bomb_declared, "would decompress to 3.0 GiB"),
    Case(
        "Hasil Verval [revisi].csv",
        lambda p: p.write_bytes(b""),
        "empty file",
    ),
]


def _params() -> list[object]:
    marks = {
        c.name: [pytest.mark.xfail(strict=True, reason=c.waits_for)] if c.waits_for else [] for c in CASES
    }
    return [pytest.param(c, id=c.name, marks=marks[c.name]) for c in CASES]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    paths = {}
    for case in CASES:
        path = folder / case.name
        case.build(path)
        paths[case.name] = path
    return paths


@pytest.fixture(scope="module")
def tiny_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A province list of two villages and their two submissions: the good files of every batch."""
    spec = SampleSpec(seed=5, villages=2, kecamatan=1, households_per_village=(3, 5), silent_villages=0)
    files = write_round(generate_truth(spec), tmp_path_factory.mktemp("round"))
    return files.province, list(files.submissions)


def _error_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def _assert_outcome(result: Result, case: Case, bad: Path) -> None:
    assert "Traceback" not in result.output
    errors = _error_lines(result)
    if case.reason is None:
        assert result.exit_code == 0, result.output
        assert errors == []
        return
    assert result.exit_code == 2, result.output
    assert len(errors) == 1, errors
    assert str(bad) in errors[0], errors[0]
    assert case.reason in errors[0], errors[0]


@pytest.mark.parametrize("case", _params())
def test_inspect_reports_each_corpus_file(case: Case, corpus: dict[str, Path], tmp_path: Path) -> None:
    bad = corpus[case.name]
    first, last = good_xlsx(tmp_path / "a_good.xlsx"), good_xlsx(tmp_path / "z_good.xlsx")
    batch = [str(first), str(bad), str(last)]
    if case.reason is not None:
        _assert_outcome(CliRunner().invoke(app, ["inspect", *batch, "--lang", "en"]), case, bad)
    listed = CliRunner().invoke(app, ["inspect", "--json", *batch])
    assert listed.exit_code == (0 if case.reason is None else 2)
    data = json.loads(listed.stdout)
    read = [s["path"] for s in data["sheets"]]
    assert read[0] == str(first) and read[-1] == str(last)
    assert [s["data_rows"] for s in data["sheets"] if s["path"] != str(bad)] == [2, 2]
    if case.reason is None:
        assert data["failures"] == []
        mine = [s for s in data["sheets"] if s["path"] == str(bad)]
        assert mine and sum(s["data_rows"] for s in mine) >= 1
        if case.note:
            assert any(case.note in n for s in mine for n in s["notes"]), mine
    else:
        assert [f["file"] for f in data["failures"]] == [str(bad)]


@pytest.mark.parametrize("case", _params())
def test_reconcile_reports_each_corpus_file(
    case: Case, corpus: dict[str, Path], tiny_round: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    province, submissions = tiny_round
    bad = corpus[case.name]
    out = tmp_path / "out"
    args = ["reconcile", str(province), str(submissions[0]), str(bad), str(submissions[1]), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--lang", "en"])  # the library's reasons, as raised
    _assert_outcome(result, case, bad)
    matches = pl.read_parquet(out / "matches.parquet")
    sent = set(matches["submission_file"].drop_nulls().unique())
    assert {str(p) for p in submissions} <= sent
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["balance"]["balanced"] is True
    failed = [f["file"] for f in summary["failures"]]
    assert failed == ([] if case.reason is None else [str(bad)])


@pytest.mark.parametrize("case", _params())
def test_validate_reports_each_corpus_file(case: Case, corpus: dict[str, Path], tmp_path: Path) -> None:
    bad = corpus[case.name]
    good = good_xlsx(tmp_path / "a_good.xlsx")
    result = CliRunner().invoke(app, ["validate", str(good), str(bad), "--lang", "en"])
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if str(bad) in line]
    if case.reason is None:
        assert result.exit_code in (0, 1), result.output  # 1: findings in the rows, not unreadable
        assert lines == []
    else:
        # validate counts a sheet without a header as a finding the operator fixes (exit 1), not unreadable
        finding = case.reason.startswith("no recognisable header")
        assert result.exit_code == (1 if finding else 2), result.output
        assert len(lines) == 1 and case.reason in lines[0], result.output
    listed = json.loads(CliRunner().invoke(app, ["validate", "--json", str(good), str(bad)]).stdout)
    status = {f["path"]: (f["status"], f["rows"]) for f in listed["files"]}
    assert status[str(good)][1] == 2
    expected = {None: ("ok", "warnings", "errors"), True: ("errors",), False: ("unreadable",)}
    assert status[str(bad)][0] in expected[None if case.reason is None else finding]


def test_unreadable_province_is_one_line_and_debug_shows_the_traceback(
    corpus: dict[str, Path], tiny_round: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    _, submissions = tiny_round
    args = ["reconcile", str(corpus["corrupt.xlsx"]), str(submissions[0]), "--out", str(tmp_path / "a")]
    result = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(_error_lines(result)) == 1 and "corrupt or truncated" in result.output
    debug = CliRunner().invoke(app, ["--debug", *args[:-1], str(tmp_path / "b")])
    assert debug.exit_code != 0 and debug.exception is not None
    assert type(debug.exception).__name__ == "InputFileError"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("formulas.xlsx", ("SUPARNO", "Ada")),  # the cached results, not the formula text
        ("old_excel.xlsx", ("SUPARNO", "Ada")),
        ("html_table.xls", ("SUPARNO", "Ada")),
        ("utf16_no_bom.csv", ("SUPARNO", "Ada")),
        ("windows1252.csv", ("SUPARNO É", "Ada")),
        ("stray_cell_far_right.xlsx", ("SUPARNO", "Ada")),
    ],
)
def test_strange_files_are_read_with_their_values(
    name: str, expected: tuple[str, str], corpus: dict[str, Path]
) -> None:
    loaded = load_table(corpus[name])
    assert loaded.failures == []
    first = loaded.frame.row(0, named=True)
    assert (first["name"], first["status"]) == expected
    assert first["nik"] == "3304031508950001"
