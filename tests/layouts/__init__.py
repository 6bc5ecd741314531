"""A corpus of real file layouts: headers in their real order, title and numbering rows, expected mapping.

Each layout names its public source. Values are synthetic (made-up names, NIKs with the Banjarnegara
3304 prefix); the files are written into a temporary folder at test time, never committed.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from layouts import values as v

# (header as typed, kind of synthetic value, expected canonical field or None)
Col = tuple[str, str, str | None]


@dataclass(frozen=True)
class Layout:
    """One real layout: its columns in order, what sits above them, and where it comes from."""

    name: str
    source: str  # URL or repository/path the headers were taken from
    columns: list[Col]
    title: list[list[str]] = field(default_factory=list)  # rows above the header (blank rows as [])
    numbering: bool = False  # a row "1 2 3 ..." under the header, as printed forms have
    fmt: str = (
        "xlsx"  # "csv" (";"-separated, as Excel saves it in Indonesia), "html" (an HTML table named .xls)
    )
    rows: int = 4
    note: str = ""  # what the layout exercises

    @property
    def expected(self) -> dict[str, str | None]:
        return {" ".join(h.split()): f for h, _, f in self.columns}

    def cells(self) -> list[list[str]]:
        """Every row of the sheet: title, header, numbering, data."""
        out = [list(r) for r in self.title]
        out.append([h for h, _, _ in self.columns])
        if self.numbering:
            out.append([str(i + 1) for i in range(len(self.columns))])
        for i in range(self.rows):
            person = v.person(i)
            out.append([v.value(kind, person) for _, kind, _ in self.columns])
        return out

    def write(self, folder: Path) -> Path:
        """The layout as a file in ``folder``."""
        path = folder / f"{self.name}.{'xls' if self.fmt == 'html' else self.fmt}"
        rows = self.cells()
        if self.fmt == "html":
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n" for row in rows
            )
            path.write_text(f"<html><body><table>\n{body}</table></body></html>\n", encoding="utf-8")
            return path
        if self.fmt == "csv":
            with path.open("w", newline="", encoding="cp1252") as fh:
                csv.writer(fh, delimiter=";").writerows(rows)
            return path
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Data"
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row, start=1):
                if text != "":
                    ws.cell(row=r, column=c, value=text).number_format = "@"
        wb.save(path)
        return path


LayoutFactory = Callable[[], list[Layout]]


def all_layouts() -> list[Layout]:
    """Every layout of the corpus."""
    from layouts import dukcapil, kemensos, opensid, p3ke, village

    return [*p3ke.LAYOUTS, *opensid.LAYOUTS, *dukcapil.LAYOUTS, *kemensos.LAYOUTS, *village.LAYOUTS]
