"""A village operator's edits to the sample's `;` CSV files, for the tests of a verval week.

Shared by tests/test_changes.py and tests/test_week.py (a test module never imports another test
module). Rows are the file rows a text editor shows; cells are edited byte for byte in Latin-1.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

PROPOSAL_NAME = "WULANDARI SETYANINGSIH"  # the new proposal a village adds (synthetic)


def lines_of(path: Path) -> tuple[list[str], int]:
    """The file's lines and the index of its header line (the one starting with NO;)."""
    lines = path.read_bytes().decode("latin-1").splitlines()  # byte for byte, whatever the encoding
    return lines, next(i for i, line in enumerate(lines) if line.startswith("NO;"))


def write_lines(path: Path, lines: list[str]) -> None:
    """Write ``lines`` back with the file's own line ending."""
    newline = "\r\n" if b"\r\n" in path.read_bytes() else "\n"
    path.write_bytes((newline.join(lines) + newline).encode("latin-1"))


def edit_row(path: Path, row: int, edit: dict[int, str]) -> list[str]:
    """Set some cells of file row ``row``; returns the row's cells as they were."""
    lines, _ = lines_of(path)
    cells = lines[row - 1].split(";")
    old = list(cells)
    for at, value in edit.items():
        cells[at] = value
    lines[row - 1] = ";".join(cells)
    write_lines(path, lines)
    return old


def findings_of(out: Path, name: str) -> pl.DataFrame:
    """The findings of a run in ``out`` on the file named ``name``."""
    found = pl.read_parquet(out / "discrepancies.parquet")
    return found.filter(pl.col("submission_file").str.ends_with(name))


def fix_niks(path: Path, day1: Path) -> pl.DataFrame:
    """Type the list's NIK on each row the run in ``day1`` flagged nik_differs; returns those findings."""
    flagged = findings_of(day1, path.name).filter(pl.col("code") == "nik_differs")
    for row, wrong, right in flagged.select("submission_row", "submitted_value", "list_value").iter_rows():
        assert edit_row(path, row, {2: right})[2].lstrip("'") == wrong
    return flagged


def resort(path: Path) -> None:
    """The data rows in reverse order, the header and what is above it in place."""
    lines, header = lines_of(path)
    write_lines(path, [*lines[: header + 1], *reversed(lines[header + 1 :])])


def propose(path: Path) -> None:
    """Add one new proposal (PROPOSAL_NAME) below the data rows."""
    lines, header = lines_of(path)
    width = len(lines[header].split(";"))
    cells = ["99", PROPOSAL_NAME, "3304155506900003", "3304151203180009", "DUSUN GUNUNGSARI", "1", "1"]
    cells += ["15/06/1990", "Usulan Baru"]
    write_lines(path, [*lines, ";".join(cells + [""] * (width - len(cells)))])
