"""The README's example sessions and figures are rerun on the bundled sample and must still be true.

Each ```console block is one command; it runs in order (reconcile before report) in a scratch folder
that sees ``sample_data/``. Every line shown must appear in the real output, in order; a line that is
only ``...`` stands for any number of lines, and a line ending in ``...`` for any line starting so.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from verval_cli import console
from verval_cli.cli import app
from verval_cli.evaluation import evaluate
from verval_cli.reconcile import reconcile

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SESSIONS = re.findall(r"```console\n(.*?)\n```", README, flags=re.S)


def shown_lines_match(shown: list[str], actual: list[str]) -> str | None:
    """None when every shown line appears in ``actual`` in order, else the first that does not."""
    actual = [line.rstrip() for line in actual]
    at, gap = 0, False
    for line in (line.rstrip() for line in shown):
        if line.strip() == "...":
            gap = True
            continue

        def fits(candidate: str, line: str = line) -> bool:
            return candidate.startswith(line[:-3]) if line.endswith("...") else candidate == line

        if gap:
            found = next((i for i in range(at, len(actual)) if fits(actual[i])), None)
        else:
            found = at if at < len(actual) and fits(actual[at]) else None
        if found is None:
            return line
        at, gap = found + 1, False
    return None


def test_the_matcher_can_fail() -> None:
    assert shown_lines_match(["a", "...", "d"], ["a", "b", "c", "d"]) is None
    assert shown_lines_match(["a", "c"], ["a", "b", "c"]) == "c"
    assert shown_lines_match(["x: 1..."], ["x: 12 tail"]) is None
    assert shown_lines_match(["Total 1692"], ["Total 1673"]) == "Total 1692"


@pytest.fixture(scope="module")
def session_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    scratch = tmp_path_factory.mktemp("readme")
    (scratch / "sample_data").symlink_to(ROOT / "sample_data", target_is_directory=True)
    widths = (console.out.width, console.err.width)
    console.out.width = console.err.width = 80
    before = Path.cwd()
    os.chdir(scratch)
    try:
        runs = []
        for session in SESSIONS:
            command = session.splitlines()[0]
            assert command.startswith("$ verval "), command
            result = CliRunner().invoke(app, shlex.split(command)[2:])
            runs.append((session, result.output))
    finally:
        os.chdir(before)
        console.out.width, console.err.width = widths
    return runs


def test_there_are_sessions_for_the_main_commands() -> None:
    commands = {s.splitlines()[0].split()[2] for s in SESSIONS}
    assert {"inspect", "sample", "reconcile", "validate", "report", "init"} <= commands


@pytest.mark.parametrize("index", range(len(SESSIONS)))
def test_readme_session_is_what_the_command_prints(
    index: int, session_outputs: list[tuple[str, str]]
) -> None:
    session, output = session_outputs[index]
    shown = session.splitlines()[1:]
    missing = shown_lines_match(shown, output.splitlines())
    assert missing is None, (
        f"README line not in the output of {session.splitlines()[0]!r}:\n{missing}\n---\n{output}"
    )


def test_accuracy_figures_quoted_for_the_sample_are_true() -> None:
    quoted = re.search(
        r"bundled `sample_data/` \(([\d,]+) submission rows, ([\d,]+) listed\s+households\): "
        r"precision ([\d.]+), recall ([\d.]+), review ([\d.]+)%\. The (\d+) missed links",
        README,
    )
    assert quoted, "the sample's accuracy sentence is gone from the README"
    rows, listed, precision, recall, review, missed = quoted.groups()
    result = reconcile(ROOT / "sample_data" / "province", [ROOT / "sample_data" / "submissions"])
    accuracy = evaluate(
        result.matches, pl.read_parquet(ROOT / "sample_data" / "truth" / "truth_rows.parquet")
    )
    assert int(rows.replace(",", "")) == result.summary["balance"]["submission_rows_loaded"]
    assert int(listed.replace(",", "")) == result.summary["balance"]["province_households"]
    assert f"{accuracy.precision:.3f}" == precision
    assert f"{accuracy.recall:.3f}" == recall
    assert f"{100 * accuracy.review_share:.1f}" == review
    assert int(missed) == accuracy.missed


def test_readme_config_example_loads(tmp_path: Path) -> None:
    from verval_cli.config import load_config

    (example,) = re.findall(r"```toml\n(.*?)\n```", README, flags=re.S)
    path = tmp_path / "verval.toml"
    path.write_text(example, encoding="utf-8")
    config = load_config(path)
    assert config.lang == "en" and config.regency == "33.04" and config.columns
