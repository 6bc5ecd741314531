"""The command line as a user meets it: help, version, -h, --debug anywhere, dates, init, language, progress."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
import typer.main
from rich.console import Console
from typer.testing import CliRunner, Result

from verval_cli import console
from verval_cli.cli import app
from verval_cli.config import Config, load_config
from verval_cli.messages import text

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]

# Words only one language uses on the console (whole words, case-sensitive).
ID_WORDS = (
    "ditulis", "Buka", "dulu", "Cocok", "Periksa", "Belum", "Lapor", "galat", "kesalahan", "peringatan",
    "baris", "keluarga", "tercatat", "Jumlah", "Pesan", "Tingkat", "Laporan", "Kesalahan", "Peringatan",
    "Baris", "Hasil", "ya", "TIDAK", "sudah", "lewat",
)  # fmt: skip
EN_WORDS = (
    "written", "Open", "first", "Matched", "Review", "Missing", "Sent", "Listed", "error", "warning",
    "rows", "households", "accounted", "Count", "Message", "Severity", "Results", "files", "yes",
    "Errors", "Warnings", "Rows", "already", "past", "Reports",
)  # fmt: skip


def _words_of_other_language(output: str, lang: str) -> list[str]:
    # File and folder names are the user's own words: leave them out of the check.
    text = re.sub(r"\S*(/|\.xlsx|\.csv|\.html|\.parquet|\.json)\S*", " ", output)
    text = re.sub(r"Hasil Verval Desa \w+", " ", text)
    words = set(re.findall(r"[A-Za-z]+", text))
    return sorted(words & set(EN_WORDS if lang == "id" else ID_WORDS))


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, [*args])


@pytest.fixture(scope="module")
def reconciled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Result]]:
    runs = {}
    for lang in ("id", "en"):
        out = tmp_path_factory.mktemp(f"out_{lang}")
        result = _invoke(
            "reconcile", str(SAMPLE / "province"), str(SAMPLE / "submissions"), "--out", str(out), "--force",
            "--lang", lang,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        runs[lang] = (out, result)
    return runs


# --- conventions -------------------------------------------------------------------------------------


def test_help_shows_flags_as_flags_and_lists_choices() -> None:
    reconcile = _invoke("reconcile", "--help")
    assert reconcile.exit_code == 0
    assert "<bool>" not in reconcile.output
    assert "--mask-nik" in reconcile.output and "id|en" in reconcile.output
    sample = _invoke("sample", "--help")
    assert "household|individual" in sample.output


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    result = _invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"verval {version('verval')}"


@pytest.mark.parametrize("name", COMMANDS)
def test_h_is_help_on_every_command(name: str) -> None:
    result = _invoke(name, "-h")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and f" {name} [OPTIONS]" in result.output


def test_debug_is_accepted_after_the_subcommand(tmp_path: Path) -> None:
    broken = tmp_path / "daftar.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    args = ["reconcile", str(broken), str(SAMPLE / "submissions"), "--out", str(tmp_path / "out")]
    plain = _invoke(*args)
    assert (plain.exit_code == 2 and plain.exception is None) or isinstance(plain.exception, SystemExit)
    debug = _invoke(*args, "--debug")
    assert type(debug.exception).__name__ == "InputFileError"
    before = _invoke("--debug", *args)
    assert type(before.exception).__name__ == "InputFileError"
    # and the next run without it is quiet again
    assert _invoke(*args).exit_code == 2


def test_wrong_choice_is_refused_with_exit_2() -> None:
    assert _invoke("reconcile", "a", "b", "--out", "c", "--lang", "fr").exit_code == 2
    assert _invoke("sample", "--out", "x", "--level", "desa").exit_code == 2


# --- --deadline ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2030-02-10", "10-02-2030", "10/02/2030"])
def test_deadline_takes_three_spellings_and_a_future_date_is_quiet(
    typed: str, reconciled: dict[str, tuple[Path, Result]], tmp_path: Path
) -> None:
    from verval_cli.cli import _parse_deadline

    assert _parse_deadline(typed, "id") == dt.date(2030, 2, 10)
    out, _ = reconciled["id"]
    result = _invoke("report", str(out), "--deadline", typed)
    assert result.exit_code == 0, result.output
    assert "lewat" not in result.output


def test_past_deadline_is_one_warning_line_and_the_run_goes_on(
    reconciled: dict[str, tuple[Path, Result]],
) -> None:
    out, _ = reconciled["id"]
    result = _invoke("report", str(out), "--deadline", "10-02-2023")
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "sudah lewat" in line]
    assert len(warned) == 1 and warned[0].startswith("peringatan:") and "10-02-2023" in warned[0]
    english = _invoke("report", str(out), "--deadline", "2023-02-10", "--lang", "en")
    assert [line for line in english.output.splitlines() if line.startswith("warning:")]


def test_unreadable_deadline_is_refused_in_one_line(reconciled: dict[str, tuple[Path, Result]]) -> None:
    out, _ = reconciled["id"]
    result = _invoke("report", str(out), "--deadline", "31-31-2023")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "HH-BB-TTTT" in result.output


# --- init --------------------------------------------------------------------------------------------


def test_init_writes_a_commented_config_that_loads_as_the_defaults(tmp_path: Path) -> None:
    target = tmp_path / "verval.toml"
    result = _invoke("init", str(target))
    assert result.exit_code == 0, result.output
    body = target.read_text(encoding="utf-8")
    assert body.count("#") >= 10 and "[matching]" in body and "regency" in body and "lang" in body
    tomllib.loads(body)
    loaded = load_config(target)
    assert (loaded.matching, loaded.required, loaded.columns, loaded.status) == (
        Config().matching,
        Config().required,
        {},
        {},
    )


@pytest.mark.parametrize(
    ("sources", "regency"),
    [
        (["province/daftar_sasaran_p3ke_3304.xlsx"], "33.04"),  # region codes of the list
        (["submissions/verval legoksayem wanayasa.csv"], "33.04"),  # a file with NIKs only
        ([], None),
    ],
)
def test_init_writes_the_regency_found_in_the_files_given(
    sources: list[str], regency: str | None, tmp_path: Path
) -> None:
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    target = tmp_path / "verval.toml"
    args = [a for src in sources for a in ("--from", str(sample / src))]
    result = _invoke("init", str(target), *args)
    assert result.exit_code == 0, result.output
    assert load_config(target).regency == regency
    if regency:
        assert "Banjarnegara" in target.read_text(encoding="utf-8")


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "verval.toml"
    target.write_text("# mine\n", encoding="utf-8")
    refused = _invoke("init", str(target))
    assert refused.exit_code == 2 and "--force" in refused.output
    assert target.read_text(encoding="utf-8") == "# mine\n"
    forced = _invoke("init", str(target), "--force", "--lang", "en")
    assert forced.exit_code == 0
    assert "Lines starting with #" in target.read_text(encoding="utf-8")


def test_lang_in_verval_toml_sets_the_run_language(tmp_path: Path) -> None:
    config = tmp_path / "verval.toml"
    config.write_text('lang = "en"\n', encoding="utf-8")
    result = _invoke("validate", str(SAMPLE / "submissions" / "verval_wangon.xlsx"), "--config", str(config))
    assert "Results per file" in result.output
    assert _words_of_other_language(result.output, "en") == []
    bad = tmp_path / "bad.toml"
    bad.write_text('lang = "fr"\n', encoding="utf-8")
    assert _invoke("validate", str(SAMPLE / "submissions"), "--config", str(bad)).exit_code == 2


# --- one language per run -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_reconcile_speaks_one_language(lang: str, reconciled: dict[str, tuple[Path, Result]]) -> None:
    out, result = reconciled[lang]
    assert _words_of_other_language(result.output, lang) == []
    last = result.output.strip().splitlines()[-1]
    assert last == ("Buka dulu: " if lang == "id" else "Open first: ") + str(out / "laporan_verval.xlsx")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_validate_speaks_one_language(lang: str, tmp_path: Path) -> None:
    result = _invoke(
        "validate", str(SAMPLE / "submissions"), "--province", str(SAMPLE / "province"), "--lang", lang,
        "--fix", str(tmp_path / "fix"),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert _words_of_other_language(result.output, lang) == []
    assert ("Kesalahan" if lang == "id" else "Errors") in result.output


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_speaks_one_language(
    lang: str, reconciled: dict[str, tuple[Path, Result]], tmp_path: Path
) -> None:
    out, _ = reconciled[lang]
    result = _invoke(
        "report", str(out), "--per-desa", str(tmp_path / "desa"), "--deadline", "01-01-2020", "--lang", lang
    )
    assert result.exit_code == 0, result.output
    assert _words_of_other_language(result.output, lang) == []
    assert result.output.strip().splitlines()[-1].endswith("laporan_verval.xlsx")


def test_the_marker_check_can_fail() -> None:
    assert _words_of_other_language("every row accounted for: yes", "id") == ["accounted", "yes"]
    assert _words_of_other_language("Buka dulu: hasil/laporan_verval.xlsx", "en") == ["Buka", "dulu"]


# --- progress and tables ---------------------------------------------------------------------------------


def test_no_progress_off_a_terminal_or_with_json(
    reconciled: dict[str, tuple[Path, Result]], tmp_path: Path
) -> None:
    _, plain = reconciled["id"]
    assert "membaca file" not in plain.output and "mencocokkan" not in plain.output
    as_json = _invoke(
        "reconcile", str(SAMPLE / "province"), str(SAMPLE / "submissions"), "--out", str(tmp_path), "--force",
        "--json",
    )  # fmt: skip
    assert as_json.exit_code == 0
    json.loads(as_json.stdout)
    assert "mencocokkan" not in as_json.output and "Buka dulu" not in as_json.output


def test_progress_on_a_terminal_shows_the_stage_and_file_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(console, "err", Console(file=screen, force_terminal=True, width=80))
    with console.progress("en", enabled=True) as say:
        say("load", 3, 41)
        console.err.file.flush()
        say("link")
    shown = screen.getvalue()
    assert "verval: reading files" in shown and "3/41" in shown
    with console.progress("en", enabled=False) as quiet:
        quiet("load", 1, 2)
    assert "1/2" not in screen.getvalue()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_reconcile_table_fits_80_columns_without_phantom_rows(
    lang: str, reconciled: dict[str, tuple[Path, Result]]
) -> None:
    out, _ = reconciled[lang]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    screen = Console(width=80, record=True, file=io.StringIO())
    screen.print(console.reconcile_table(summary, lang))
    lines = [line for line in screen.export_text().splitlines() if line.strip()]
    body = lines[3:]  # title, headings, rule
    assert len(body) == len(summary["kecamatan"]) + 1
    assert all(line[:4].strip() for line in body), "a row without its kecamatan name: a wrapped cell"
    assert all(len(line) <= 80 for line in lines)
    ends = {len(line.rstrip()) for line in [lines[1], *body]}
    assert len(ends) == 1, "numbers are right-aligned under their heading"


ID_PAGE_WORDS = {
    "Cocok",
    "keluarga",
    "Belum",
    "Progres",
    "Terdaftar",
    "Dilaporkan",
    "JUMLAH",
    "Keadaan",
    "Semua",
}
EN_PAGE_WORDS = {"Matched", "households", "Progress", "Listed", "Reported", "TOTAL", "Village", "Still"}


def _page_words(path: Path) -> set[str]:
    import html

    page = re.sub(r"<style>.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return set(re.findall(r"[A-Za-z]+", html.unescape(re.sub(r"<[^>]+>", " ", page))))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_page_and_workbook_follow_the_run_language(
    lang: str, reconciled: dict[str, tuple[Path, Result]]
) -> None:
    import openpyxl

    out, _ = reconciled[lang]
    words = _page_words(out / "ringkasan.html")
    own, other = (ID_PAGE_WORDS, EN_PAGE_WORDS) if lang == "id" else (EN_PAGE_WORDS, ID_PAGE_WORDS)
    assert words & own and not words & other, sorted(words & other)
    wb = openpyxl.load_workbook(out / "laporan_verval.xlsx")
    invalid = wb.worksheets[-1]
    reasons = {row[6] for row in invalid.iter_rows(min_row=2, values_only=True)}
    assert ("blok tanda tangan" in reasons) == (lang == "id")
    assert ("signature block" in reasons) == (lang == "en")
    wb.close()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "galat: {out}: folder tidak kosong; pakai --force untuk menulis ke dalamnya"),
        ("en", "error: {out}: folder is not empty; use --force to write into it"),
    ],
)
def test_library_errors_speak_the_run_language(lang: str, expected: str, tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    out.mkdir()
    (out / "lain.txt").write_text("x", encoding="utf-8")
    args = ["reconcile", str(SAMPLE / "province"), str(SAMPLE / "submissions"), "--out", str(out)]
    refused = _invoke(*args, "--lang", lang)
    assert refused.exit_code == 2
    assert refused.output.strip() == expected.format(out=out)
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    checked = _invoke("validate", str(broken), "--lang", lang)
    assert checked.exit_code == 2
    assert ("file rusak atau terpotong" in checked.output) == (lang == "id")
    assert _words_of_other_language(checked.output, lang) == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_validate_tables_fit_80_columns_without_phantom_rows(lang: str) -> None:
    from verval_cli.validate import validate_paths
    from verval_cli.validate.render import render_report

    report = validate_paths([SAMPLE / "submissions"])
    screen = Console(width=80, record=True, file=io.StringIO())
    render_report(report, screen, lang)
    lines = screen.export_text().splitlines()
    assert all(len(line) <= 80 for line in lines)
    files = lines[3 : 3 + len(report.files)]  # after title, headings and rule
    assert all(line[:6].strip() for line in files), "a file row without its name: a wrapped cell"
    heading = lines[1]
    ends = {heading.index(h) + len(h) for h in (text("val_errors", lang), text("val_warnings", lang))}
    assert {len(line.rstrip()) for line in files if line.rstrip()[-1].isdigit()} <= ends  # right-aligned
    # In the per-code table a long message wraps inside its row: a rule closes every row.
    body = lines[lines.index(next(line for line in lines if line.startswith("┡"))) + 1 :]
    starts = [i for i, line in enumerate(body) if line.startswith("│") and line[1:10].strip()]
    assert starts and all(body[i - 1].startswith(("├", "┡")) for i in starts if i > 0)
