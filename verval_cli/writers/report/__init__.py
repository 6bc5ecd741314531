"""Reports re-rendered from a reconcile output folder: village workbooks, the progress page, the workbook."""

from __future__ import annotations

from verval_cli.writers.report.html import progress_page, write_progress_html
from verval_cli.writers.report.load import load_result
from verval_cli.writers.report.per_desa import desa_file_name, write_desa_workbooks
from verval_cli.writers.report.progress import desa_progress, kecamatan_progress, progress_totals
from verval_cli.writers.report.run import render_reports

__all__ = [
    "desa_file_name",
    "desa_progress",
    "kecamatan_progress",
    "load_result",
    "progress_page",
    "progress_totals",
    "render_reports",
    "write_desa_workbooks",
    "write_progress_html",
]
