"""The library's progress callback: stage keys, and files done out of total while files are read or written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from verval_cli.io import expand_paths, load_tables
from verval_cli.reconcile import reconcile
from verval_cli.validate import validate_paths
from verval_cli.writers.annotate import annotate
from verval_cli.writers.report.per_desa import write_desa_workbooks

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
Call = tuple[str, int | None, int | None]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def __call__(self, stage: str, done: int | None = None, total: int | None = None, /) -> None:
        self.calls.append((stage, done, total))

    def counted(self, stage: str) -> list[tuple[int | None, int | None]]:
        return [(d, t) for s, d, t in self.calls if s == stage and t is not None]


@pytest.fixture(scope="module")
def some_files() -> list[Path]:
    return sorted((SAMPLE / "submissions").iterdir())[:6]


def test_loading_counts_every_file_once(some_files: list[Path]) -> None:
    seen = Recorder()
    load_tables(expand_paths([str(p) for p in some_files]), progress=seen)
    counts = seen.counted("load")
    assert counts[0] == (0, 6) and counts[-1] == (6, 6)
    assert sorted(d for d, _ in counts) == list(range(7))


def test_reconcile_reports_each_stage_in_order(some_files: list[Path], tmp_path: Path) -> None:
    seen = Recorder()
    result = reconcile(SAMPLE / "province", some_files, progress=seen)
    stages = list(dict.fromkeys(s for s, _, _ in seen.calls))
    assert stages == ["load", "normalise", "prepare", "link", "findings"]
    assert (6, 6) in seen.counted("load") and (1, 1) in seen.counted("load")  # submissions, province
    villages = Recorder()
    written = write_desa_workbooks(result, tmp_path, deadline=dt.date(2030, 1, 1), progress=villages)
    assert villages.counted("village")[-1] == (len(written), len(written))


def test_validate_and_annotate_count_files(some_files: list[Path], tmp_path: Path) -> None:
    seen = Recorder()
    report = validate_paths(some_files, progress=seen)
    assert seen.counted("load")[-1] == (6, 6)
    assert ("check", None, None) in seen.calls
    copies = Recorder()
    written = annotate(report, tmp_path, progress=copies)
    assert copies.counted("annotate")[-1] == (len(written), len(written))
