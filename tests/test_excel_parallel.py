"""ParallelWorkbook: big sheets written by forked children, byte for byte what the serial writer gives."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import synthetic_result
from xlsxwriter.worksheet import Worksheet

from verval_cli import marks
from verval_cli.writers import excel_parallel
from verval_cli.writers.excel_parallel import ParallelWorkbook
from verval_cli.writers.excel_report import write_excel_report

needs_fork = pytest.mark.skipif(
    not excel_parallel._CAN_FORK, reason="forked sheets are written on Linux only"
)


def _members(path: Path) -> dict[str, bytes]:
    """The package's files, without the creation timestamp (the only part that differs run to run)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _book(path: Path, *, parallel: bool) -> Path:
    """Small sheets and big ones, with formats first used inside sheets that are forked."""
    wb = ParallelWorkbook(str(path), {"strings_to_numbers": False}, parallel=parallel)
    plain, bold = wb.add_format(), wb.add_format({"bold": True})
    fills = [wb.add_format({"bg_color": colour}) for colour in ("#FFE699", "#FF9999", "#DDEBF7", "#C6E0B4")]
    text = wb.add_format({"num_format": "@"})
    summary = wb.add_worksheet("Summary")  # small: written in the parent
    summary.write_string(0, 0, "title", bold)
    for n, fill in enumerate(fills[:2]):  # big sheets whose formats appear nowhere else
        ws = wb.add_worksheet(f"Big {n}")
        ws.set_column(1, 1, 20, text)
        for r in range(400):
            ws.write_string(r, 0, f"row {r} of {n}", fill if r % 7 == 3 else plain)
            ws.write_number(r, 2, r * 1.5, fills[2] if r == 399 else None)
            ws.write_string(r, 1, f"{r:016d}")
    last = wb.add_worksheet("Last")
    last.write_string(0, 0, "end", fills[3])
    wb.close()
    return path


def _count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    forks: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    return forks


@needs_fork
def test_forked_sheets_match_the_serial_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel_parallel, "MIN_CELLS", 100)
    forks = _count_forks(monkeypatch)
    parallel = _book(tmp_path / "parallel.xlsx", parallel=True)
    assert len(forks) == 2  # the two big sheets, not the small ones
    serial = _book(tmp_path / "serial.xlsx", parallel=False)
    assert len(forks) == 2
    assert _members(parallel) == _members(serial)


@needs_fork
def test_a_failed_child_is_redone_in_the_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel_parallel, "MIN_CELLS", 100)
    parent = os.getpid()
    real: Callable[[Worksheet], None] = Worksheet._write_sheet_data

    def fails_in_children(self: Worksheet) -> None:
        if os.getpid() != parent:
            raise RuntimeError("child lost")
        real(self)

    monkeypatch.setattr(Worksheet, "_write_sheet_data", fails_in_children)
    forks = _count_forks(monkeypatch)
    broken = _book(tmp_path / "redone.xlsx", parallel=True)
    assert len(forks) == 2
    monkeypatch.setattr(Worksheet, "_write_sheet_data", real)
    assert _members(broken) == _members(_book(tmp_path / "serial.xlsx", parallel=False))


def test_without_fork_every_sheet_is_written_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel_parallel, "MIN_CELLS", 100)
    monkeypatch.setattr(excel_parallel, "_CAN_FORK", False)

    def no_fork() -> int:
        raise AssertionError("forked although forking is off")

    monkeypatch.setattr(os, "fork", no_fork)
    path = _book(tmp_path / "book.xlsx", parallel=True)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert b"row 399 of 1" in z.read("xl/sharedStrings.xml")


@needs_fork
def test_fork_failure_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel_parallel, "MIN_CELLS", 100)

    def no_memory() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_memory)
    failed = _book(tmp_path / "failed.xlsx", parallel=True)
    monkeypatch.undo()
    assert _members(failed) == _members(_book(tmp_path / "serial.xlsx", parallel=False))


@needs_fork
def test_report_is_the_same_with_forked_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = synthetic_result()
    # the mark's time is whole seconds: two writes either side of a second boundary differ there only
    written = marks.stamp(marks.MAIN_WORKBOOK).written
    monkeypatch.setattr(marks, "stamp", lambda kind: marks.Stamp(kind, written, "0.1.0"))
    monkeypatch.setattr(excel_parallel, "MIN_CELLS", 1)  # every sheet in a child
    forks = _count_forks(monkeypatch)
    forked = write_excel_report(result, tmp_path / "forked.xlsx")
    assert len(forks) == 6
    monkeypatch.setattr(excel_parallel, "_CAN_FORK", False)
    serial = write_excel_report(result, tmp_path / "serial.xlsx")
    assert _members(forked) == _members(serial)
