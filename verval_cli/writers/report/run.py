"""`verval report` as a library call: re-render every report from a reconcile output folder, no matching.

>>> render_reports(Path("hasil"), per_desa_dir=Path("hasil/per_desa"), mask_nik=True)   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from verval_cli.progress import Progress
from verval_cli.result import PROGRESS_PAGE_FILE, WORKBOOK_FILE
from verval_cli.writers.excel_report import write_excel_report
from verval_cli.writers.outputs import update_manifest
from verval_cli.writers.report.html import write_progress_html
from verval_cli.writers.report.load import load_result
from verval_cli.writers.report.per_desa import write_desa_workbooks


def render_reports(
    out_dir: Path,
    *,
    per_desa_dir: Path | None = None,
    deadline: dt.date | None = None,
    mask_nik: bool = False,
    mask_names: bool = False,
    lang: str = "id",
    progress: Progress | None = None,
) -> list[Path]:
    """Rewrite the workbook and the progress page in ``out_dir`` (and the village workbooks if asked)."""
    out_dir = Path(out_dir)
    if progress is not None:
        progress("load")
    result = load_result(out_dir)
    if progress is not None:
        progress("write")
    written = [
        write_excel_report(
            result, out_dir / WORKBOOK_FILE, lang=lang, mask_nik=mask_nik, mask_names=mask_names
        ),
        write_progress_html(result, out_dir / PROGRESS_PAGE_FILE, lang=lang),
    ]
    update_manifest(out_dir, "report", written)
    if per_desa_dir is not None:
        written += write_desa_workbooks(
            result,
            Path(per_desa_dir),
            deadline=deadline,
            mask_nik=mask_nik,
            mask_names=mask_names,
            progress=progress,
        )
    return written
