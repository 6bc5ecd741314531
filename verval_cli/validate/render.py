"""Rich rendering of a ValidationReport: one row per file, totals, then counts per code.

Only counts are shown: values (NIKs, names) are personal data and appear in --json and the
annotated copies only.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from verval_cli.messages import text
from verval_cli.validate.codes import VCODES
from verval_cli.validate.run import ERRORS, OK, UNREADABLE, WARNINGS, ValidationReport

_STYLE = {OK: "green", WARNINGS: "yellow", ERRORS: "red", UNREADABLE: "bold magenta"}
_LABEL = {OK: "val_ok", WARNINGS: "val_has_warnings", ERRORS: "val_has_errors", UNREADABLE: "val_unreadable"}


def _add_count_column(table: Table, key: str, lang: str, footer: str) -> None:
    """A right-aligned count column that is never cut: at least as wide as its heading."""
    heading = text(key, lang)
    table.add_column(heading, footer=footer, justify="right", no_wrap=True, min_width=len(heading))


def files_table(report: ValidationReport, lang: str = "id", width: int = 80) -> Table:
    """File, desa, rows, status, errors and warnings, then a totals row."""
    table = Table(
        title=text("val_title", lang),
        show_footer=True,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    totals = report.totals
    table.add_column(
        text("val_file", lang),
        footer=text("val_files", lang, count=totals["files"]),
        no_wrap=True,
        overflow="ellipsis",
        max_width=max(12, width - 60),  # the other columns take 60 characters
    )
    table.add_column(text("val_desa", lang), footer="", no_wrap=True, overflow="ellipsis", max_width=12)
    _add_count_column(table, "val_rows", lang, str(totals["rows"]))
    table.add_column(
        text("val_status", lang),
        no_wrap=True,
        overflow="ellipsis",
        max_width=13,
        footer=text("val_ok_count", lang, count=totals[OK]),
    )
    _add_count_column(table, "val_errors", lang, str(totals["errors"]))
    _add_count_column(table, "val_warnings", lang, str(totals["warnings"]))
    for f in report.files:
        style = _STYLE[f.status]
        table.add_row(
            escape(Path(f.path).name),
            escape(f.desa_name or f.desa_code or "-"),
            str(f.rows),
            f"[{style}]{text(_LABEL[f.status], lang)}[/]",
            str(f.errors) if f.errors else "",
            str(f.warnings) if f.warnings else "",
        )
    return table


def codes_table(report: ValidationReport, lang: str = "id") -> Table:
    """Every code found, with its severity, count and message in the run's language."""
    counts = Counter(report.findings["code"].to_list())
    table = Table(title=text("val_codes_title", lang), header_style="bold")
    table.add_column(text("val_code", lang), no_wrap=True)
    table.add_column(text("val_severity", lang))
    table.add_column(text("val_count", lang), justify="right")
    table.add_column(text("val_message", lang), overflow="fold")
    for code, info in VCODES.items():
        if counts.get(code.value):
            severity = info.severity.value
            style = "red" if severity == "error" else "yellow"
            message = info.message_en if lang == "en" else info.message_id
            table.add_row(
                code.value, f"[{style}]{text('sev_' + severity, lang)}[/]", str(counts[code.value]), message
            )
    return table


def render_report(report: ValidationReport, console: Console, lang: str = "id") -> None:
    """The per-file table, the per-code table and the unreadable inputs' reasons."""
    console.print(files_table(report, lang, console.width))
    if report.findings.height:
        console.print(codes_table(report, lang))
    for failure in report.failures:
        where = failure.path + (f" [sheet {failure.sheet}]" if failure.sheet else "")
        console.print(
            f"[bold magenta]{escape(where)}[/]: {escape(failure.reason)}", soft_wrap=True, highlight=False
        )
    if report.regency is None:
        console.print(f"[yellow]{text('val_no_regency', lang)}[/]")
