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

from verval_cli.console import note_lines
from verval_cli.messages import localise_error, text
from verval_cli.validate.codes import VCODES
from verval_cli.validate.run import ERRORS, OK, UNREADABLE, WARNINGS, ValidationReport

_STYLE = {OK: "green", WARNINGS: "yellow", ERRORS: "red", UNREADABLE: "bold magenta"}
_LABEL = {OK: "val_ok", WARNINGS: "val_has_warnings", ERRORS: "val_has_errors", UNREADABLE: "val_unreadable"}


def files_table(report: ValidationReport, lang: str = "id", width: int = 80) -> Table:
    """File, desa, rows, status, errors and warnings, then a totals row; fits ``width`` without wrapping.

    Every column but the file name has a fixed width (counts never cut); the file name takes the rest
    and ends in an ellipsis when it is longer.
    """
    table = Table(
        title=text("val_title", lang),
        show_footer=True,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    totals = report.totals
    statuses = [text(label, lang) for label in _LABEL.values()]
    fixed = {
        "val_desa": 12,
        "val_rows": max(len(text("val_rows", lang)), len(str(totals["rows"]))),
        "val_status": max(len(text("val_status", lang)), *(len(x) for x in statuses)),
        "val_errors": max(len(text("val_errors", lang)), len(str(totals["error_findings"]))),
        "val_warnings": max(len(text("val_warnings", lang)), len(str(totals["warning_findings"]))),
    }
    columns = len(fixed) + 1
    between = 3 * (columns - 1)  # a separator and a space either side, between each two columns
    file_width = max(12, width - sum(fixed.values()) - between)
    footers = {
        "val_desa": "",
        "val_rows": str(totals["rows"]),
        "val_status": text("val_ok_count", lang, count=totals[OK]),
        "val_errors": str(totals["error_findings"]),
        "val_warnings": str(totals["warning_findings"]),
    }
    table.add_column(
        text("val_file", lang),
        footer=text("val_files", lang, count=totals["files"]),
        no_wrap=True,
        overflow="ellipsis",
        max_width=file_width,
    )
    for key, size in fixed.items():
        numeric = key not in ("val_desa", "val_status")
        table.add_column(
            text(key, lang),
            footer=footers[key],
            justify="right" if numeric else "left",
            no_wrap=True,
            overflow="ellipsis",
            width=size,
        )
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
    table = Table(title=text("val_codes_title", lang), header_style="bold", show_lines=True)
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
            f"[bold magenta]{escape(where)}[/]: {escape(localise_error(failure.reason, lang))}",
            soft_wrap=True,
            highlight=False,
        )
    for line in note_lines(((n.path, n.reason) for n in report.notes), lang=lang):
        console.print(f"[dim]{text('ins_note', lang)}:[/] {escape(line)}", soft_wrap=True)
    for failure in report.write_failures:
        console.print(
            f"[bold magenta]{escape(failure.path)}[/]: {escape(failure.reason)}",
            soft_wrap=True,
            highlight=False,
        )
    if report.regency is None:
        console.print(f"[yellow]{text('val_no_regency', lang)}[/]")
