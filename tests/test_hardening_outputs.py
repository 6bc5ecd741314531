"""Safe outputs: inputs never change, writes are atomic, formulas stay inert, no personal data on screen."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from verval_cli.cli import app
from verval_cli.errors import OutputError
from verval_cli.sample import SampleSpec, Scenario, generate_truth, write_round
from verval_cli.writers import outputs
from verval_cli.writers.outputs import inert_text, inert_text_expr, write_atomic, write_parquet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [
    ('=HYPERLINK("http://example.invalid/x","klik")', "@SUM(A1:A9)"),
    ("+CMD|' /C calc'!A0", "-2+3"),
    ("\tTABIRIN", "\rCATATAN"),
]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate_truth(
        SampleSpec(seed=5, villages=3, kecamatan=1, households_per_village=(4, 6), silent_villages=0)
    )


@pytest.fixture(scope="module")
def round_dir(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated round plus one submission whose cells are formula-like text."""
    folder = tmp_path_factory.mktemp("round")
    write_round(scenario, folder)
    desa = scenario.truth_province["desa_code"][0]
    with (folder / "submissions" / f"{desa}_USULAN.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["NAMA KK", "NIK", "HASIL VERVAL", "KETERANGAN"])
        for i, (name, note) in enumerate(HOSTILE):
            writer.writerow([name, f"33040315089500{i + 70}", "Usulan Baru", note])
    return folder


def _fingerprint(folder: Path) -> dict[str, tuple[str, int, int]]:
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
            p.stat().st_size,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _has(command: str) -> bool:
    return command in getattr(typer.main.get_command(app), "commands", {})


def _reconcile(round_dir: Path, out: Path, *extra: str) -> Result:
    province = next((round_dir / "province").iterdir())
    args = ["reconcile", str(province), str(round_dir / "submissions"), "--out", str(out), *extra]
    return CliRunner().invoke(app, args)


def test_inputs_are_never_modified(round_dir: Path, tmp_path: Path) -> None:
    before = _fingerprint(round_dir)
    runner = CliRunner()
    assert runner.invoke(app, ["inspect", str(round_dir / "submissions")]).exit_code == 0
    assert _reconcile(round_dir, tmp_path / "out").exit_code == 0
    if _has("validate"):
        args = ["validate", str(round_dir / "submissions"), "--annotate", str(tmp_path / "annotated")]
        assert runner.invoke(app, [*args, "--fix", str(tmp_path / "fixed")]).exit_code in (0, 1)
    assert _fingerprint(round_dir) == before


def test_non_empty_output_is_refused_and_force_keeps_other_files(round_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "catatan.txt").write_text("punya petugas", encoding="utf-8")
    refused = _reconcile(round_dir, out)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert [p.name for p in out.iterdir()] == ["catatan.txt"]
    forced = _reconcile(round_dir, out, "--force")
    assert forced.exit_code == 0, forced.output
    assert (out / "catatan.txt").read_text(encoding="utf-8") == "punya petugas"
    assert (out / "matches.parquet").is_file()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_failed_parquet_write_leaves_neither_target_nor_temp(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def half_then_fail(self: pl.DataFrame, file: Any, **_: Any) -> None:
        Path(file).write_bytes(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", half_then_fail)
    target = tmp_path / "matches.parquet"
    with pytest.raises(OutputError, match="No space left"):
        write_parquet(pl.DataFrame({"a": [1]}), target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError])
def test_interrupted_overwrite_keeps_the_previous_file(
    interruption: type[BaseException], tmp_path: Path
) -> None:
    target = tmp_path / "summary.json"
    target.write_text('{"old": true}\n', encoding="utf-8")

    def write(tmp: Path) -> None:
        tmp.write_text('{"new": ', encoding="utf-8")
        raise interruption()

    with pytest.raises(interruption):
        write_atomic(target, write)
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(("interruption", "exit_code"), [(KeyboardInterrupt, 130), (RuntimeError, 3)])
def test_cli_interrupted_while_writing_the_report_leaves_no_partial_file(
    interruption: type[BaseException],
    exit_code: int,
    round_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import xlsxwriter.workbook

    def close_halfway(self: xlsxwriter.workbook.Workbook) -> None:
        Path(self.filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise interruption()

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "close", close_halfway)
    out = tmp_path / "out"
    result = _reconcile(round_dir, out)
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert not (out / "laporan_verval.xlsx").exists()
    assert _leftovers(out) == []
    for done in out.glob("*.parquet"):  # what was finished before the interruption is whole
        pl.read_parquet(done)


def test_unexpected_error_is_one_line_without_ids(
    round_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    module = importlib.import_module("verval_cli.reconcile")  # the package re-exports a same-named function

    def broken(*_: Any, **__: Any) -> None:
        raise ValueError("could not convert '3304031508950001' in column nik\nsecond line of detail")

    monkeypatch.setattr(module, "reconcile", broken)
    result = _reconcile(round_dir, tmp_path / "out")
    assert result.exit_code == 3
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("galat: kesalahan internal: ValueError")
    assert "3304031508950001" not in result.output and "Traceback" not in result.output


def test_formula_like_text_is_inert_in_the_excel_report(round_dir: Path, tmp_path: Path) -> None:
    result = _reconcile(round_dir, tmp_path / "out")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "out" / "laporan_verval.xlsx")
    seen: set[str] = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type == "s" and cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
                    seen.add(cell.value)
    assert HOSTILE[0][0] in seen  # the hostile row reached the report, as text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_inert_text_never_starts_a_formula_and_only_adds_a_quote(value: str) -> None:
    safe = inert_text(value)
    assert not safe.startswith(FORMULA_START)
    assert safe == value or safe == "'" + value
    assert pl.DataFrame({"v": [value]}).select(inert_text_expr("v"))["v"][0] == safe


def _personal(scenario: Scenario) -> tuple[set[str], set[str]]:
    names = set(scenario.province["kepala_keluarga"].to_list()) | set(
        scenario.truth_rows["true_name"].drop_nulls()
    )
    niks = set(scenario.province["nik"].cast(pl.Utf8).to_list())
    return names, niks


def _leaks(text: str, names: set[str]) -> list[str]:
    found = re.findall(r"\d{16}", text)
    return found + [n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", text)]


def test_no_nik_or_name_on_the_console_by_default(
    scenario: Scenario, round_dir: Path, tmp_path: Path
) -> None:
    names, niks = _personal(scenario)
    assert len(names) > 10 and all(re.fullmatch(r"\d{16}", n) for n in niks)
    province = str(next((round_dir / "province").iterdir()))
    submissions = str(round_dir / "submissions")
    runs = [
        ["inspect", province, submissions],
        ["inspect", "--json", submissions],
        ["reconcile", province, submissions, "--out", str(tmp_path / "a")],
        ["reconcile", "--json", province, submissions, "--out", str(tmp_path / "b")],
    ]
    if _has("validate"):
        runs += [["validate", submissions], ["validate", "--province", province, submissions]]
    for args in runs:
        result = CliRunner().invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert _leaks(result.output, names) == [], args
    # the check can fail: asked for, inspect shows the sample rows in full
    unmasked = CliRunner().invoke(app, ["inspect", "--unmask", submissions])
    assert _leaks(unmasked.output, names)


def test_masking_hides_ids_in_every_nik_column() -> None:
    frame = pl.DataFrame(
        {"nik": ["3304031508950001", None, "123"], "s_no_kk": ["3304030101200001", "x", None]}
    )
    masked = outputs.mask_frame(frame)
    assert masked["nik"].to_list() == ["3304********0001", None, "***"]
    assert masked["s_no_kk"][0] == "3304********0001"
