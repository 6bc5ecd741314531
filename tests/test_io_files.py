"""The spreadsheet builders of tests/io_files.py place cells where the io tests expect them."""

from __future__ import annotations

from io_files import rows_at
from openpyxl.utils import get_column_letter


def test_rows_at_places_cells_at_excel_coordinates() -> None:
    cells = rows_at(3, [["a", None, "b"], None, ["c"]], first_col=2)
    assert cells == {(3, 2): "a", (3, 4): "b", (5, 2): "c"}
    assert get_column_letter(4) == "D"
