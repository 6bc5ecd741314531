"""Layout-row classification: the shortcuts for sheets whose rows all hold a full ID, and for big sheets."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from verval_cli.io import rows
from verval_cli.io.grid import ROW, grid_from_rows
from verval_cli.io.header import detect_header
from verval_cli.io.rows import CONTENT, REASON, TOTALS, classify


def _classified(lines: list[list[str]]) -> pl.DataFrame:
    table = [["NO", "NAMA KEPALA KELUARGA", "NIK", "NO KK"], *lines]
    grid = grid_from_rows(table, list(range(1, len(table) + 1)))
    header = detect_header(grid)
    assert header is not None
    return classify(grid.filter(pl.col(ROW) > header.last_row), header)


def _household(n: int) -> list[str]:
    return [str(n), f"WARGA {n}", f"3306{n:012d}", f"3306{n + 1:012d}"]


def test_sheet_of_full_ids_has_no_reason_and_text_columns() -> None:
    out = _classified([_household(n) for n in range(1, 6)])
    assert out.height == 5
    assert out.schema[REASON] == pl.Utf8 and out.schema[CONTENT] == pl.Utf8
    assert out[REASON].null_count() == 5 and out[CONTENT].null_count() == 5


def test_rows_without_a_full_id_still_get_their_layout_reason() -> None:
    lines = [_household(n) for n in range(1, 4)]
    lines.insert(1, ["", "SUPARMI", "", ""])  # a household typed without an ID: kept
    lines.append(["", "JUMLAH", "", ""])
    out = _classified(lines)
    assert out[REASON].to_list() == [None, None, None, None, TOTALS]
    assert out[CONTENT].to_list()[-1] == "JUMLAH"


@pytest.mark.parametrize(
    "lines", [[_household(n) for n in range(1, 4)], [_household(1), ["", "JUMLAH", "", ""]]]
)
def test_streaming_and_in_memory_checks_agree(
    lines: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    in_memory = _classified(lines)
    monkeypatch.setattr(rows, "_STREAM_FROM", 1)  # every sheet as a big one
    assert_frame_equal(_classified(lines), in_memory)
