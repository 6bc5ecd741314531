"""An xlsxwriter Workbook that serialises its big worksheets in parallel, in forked child processes.

xlsxwriter is pure Python: at ``close()`` it turns every stored cell into XML one sheet after the other,
on one core, and for a report of ~100k discrepancy rows that is most of the report's time. Each
worksheet's XML depends only on that sheet (strings are indices into the shared-string table, which is
complete before the sheets are written), so a big sheet can be written by a forked copy of the process
while the parent goes on with the next sheets; the parent waits for its children before the files are
zipped. The output is byte for byte what the serial writer produces (tested).

Only where it is safe and worth it: on Linux (``fork`` elsewhere is unavailable or unsafe), for sheets
of at least ``MIN_CELLS`` cells written to a file (not ``in_memory``, not ``constant_memory``). A child
only runs xlsxwriter's Python code and leaves with ``os._exit``; a child that fails is redone in the
parent, so the workbook never misses a sheet.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.packager import Packager
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

MIN_CELLS = 20_000  # below this a sheet is written in a few tens of ms: not worth a process
_CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")


@dataclass
class _Child:
    pid: int
    sheet: Worksheet
    filename: str


@dataclass
class _Forks:
    enabled: bool
    children: list[_Child] = field(default_factory=list)

    def finish(self) -> None:
        """Wait for every child; a sheet whose child failed is written again here."""
        children, self.children = self.children, []
        for child in children:
            _, status = os.waitpid(child.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                child.sheet._set_xml_writer(child.filename)
                Worksheet._assemble_xml_file(child.sheet)


def _cells(sheet: Worksheet) -> int:
    """Cells stored in the sheet (0 when xlsxwriter keeps them some other way: then nothing is forked)."""
    table = getattr(sheet, "table", None)
    if not isinstance(table, dict):
        return 0
    return sum(len(row) for row in table.values() if isinstance(row, dict))


class _ForkingWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter is untyped for mypy
    forks: _Forks | None = None  # set by ParallelWorkbook when the workbook is packaged

    def _assemble_xml_file(self) -> None:
        forks = self.forks
        filename = getattr(self.fh, "name", None)
        if (
            forks is None
            or not forks.enabled
            or self.constant_memory
            or not self.internal_fh
            or not isinstance(filename, str)
            or _cells(self) < MIN_CELLS
        ):
            super()._assemble_xml_file()
            return
        self.fh.flush()  # nothing is written yet: the child must not inherit buffered bytes
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns about forking a process with threads
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:  # no memory or processes left for a child: write the sheet here
            super()._assemble_xml_file()
            return
        if pid == 0:  # the child: write this sheet's XML to the file, then leave at once
            code = 1
            try:
                super()._assemble_xml_file()
                code = 0
            finally:
                os._exit(code)
        self.fh.close()  # the parent's handle; the child holds its own copy of the file
        forks.children.append(_Child(pid, self, filename))


def _claim_formats(sheet: Worksheet) -> None:
    """Give the sheet's formats their style numbers in the order the serial writer would.

    xlsxwriter numbers a format the first time a sheet's XML uses it; a number given in a child would
    never reach the parent's style sheet. So, before any fork, every format is numbered here, walking
    columns, then rows and their cells, as the serial writer does.
    """
    for col in sorted(sheet.col_info):
        column_format = sheet.col_info[col].column_format
        if column_format:
            column_format._get_xf_index()
    for row in sorted(set(sheet.table) | set(sheet.row_info)):
        info = sheet.row_info.get(row)
        if info is not None and info.row_format:
            info.row_format._get_xf_index()
        cells = sheet.table.get(row)
        if not cells or all(c.format is None or c.format.xf_index is not None for c in cells.values()):
            continue
        for col in sorted(cells):
            cell_format = cells[col].format
            if cell_format:
                cell_format._get_xf_index()


class _Packager(Packager):  # type: ignore[misc]
    forks: _Forks | None = None

    def _create_package(self) -> Any:
        forks = self.forks
        if forks is not None and forks.enabled:
            sheets = [s for s in self.workbook.worksheets() if isinstance(s, _ForkingWorksheet)]
            if any(_cells(s) >= MIN_CELLS for s in sheets):
                for sheet in sheets:
                    _claim_formats(sheet)
        try:
            files = super()._create_package()
        finally:
            if forks is not None:
                forks.finish()
        return files


class ParallelWorkbook(Workbook):  # type: ignore[misc]
    """``xlsxwriter.Workbook`` whose big worksheets are written to XML in parallel at ``close()``."""

    worksheet_class = _ForkingWorksheet

    def __init__(self, filename: str, options: dict[str, Any] | None = None, *, parallel: bool = True):
        super().__init__(filename, options or {})
        self._forks = _Forks(enabled=parallel and _CAN_FORK)

    def _get_packager(self) -> Packager:
        # xlsxwriter's hook for a custom packager, called once by close() before the sheets are written
        for sheet in self.worksheets():
            if isinstance(sheet, _ForkingWorksheet):
                sheet.forks = self._forks
        packager = _Packager()
        packager.forks = self._forks
        return packager
