"""Rich rendering of a ValidationReport: one row per file, totals, then counts per code.

Only counts are shown: values (NIKs, names) are personal data and appear in --json and the
annotated copies only.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from verval_cli.console import note_lines
from verval_cli.validate.codes import VCODES
from verval_cli.validate.run import ERRORS, OK, UNREADABLE, WARNINGS, ValidationReport

_STYLE = {OK: "green", WARNINGS: "yellow", ERRORS: "red", UNREADABLE: "bold magenta"}
_LABEL = {OK: "OK", WARNINGS: "peringatan", ERRORS: "kesalahan", UNREADABLE: "tidak terbaca"}


def files_table(report: ValidationReport) -> Table:
    """File, desa, rows, status, errors and warnings, then a totals row."""
    table = Table(title="Hasil pemeriksaan per file", show_footer=True, header_style="bold")
    totals = report.totals
    table.add_column("File", footer=f"{totals['files']} file", overflow="fold")
    table.add_column("Desa", footer="", overflow="fold")
    table.add_column("Baris", justify="right", footer=str(totals["rows"]))
    table.add_column("Status", footer=f"{totals[OK]} OK")
    table.add_column("Kesalahan", justify="right", footer=str(totals["errors"]))
    table.add_column("Peringatan", justify="right", footer=str(totals["warnings"]))
    for f in report.files:
        style = _STYLE[f.status]
        table.add_row(
            escape(Path(f.path).name),
            escape(f.desa_name or f.desa_code or "-"),
            str(f.rows),
            f"[{style}]{_LABEL[f.status]}[/]",
            str(f.errors) if f.errors else "",
            str(f.warnings) if f.warnings else "",
        )
    return table


def codes_table(report: ValidationReport) -> Table:
    """Every code found, with its severity, count and Indonesian message."""
    counts = Counter(report.findings["code"].to_list())
    table = Table(title="Jumlah temuan per kode", header_style="bold")
    table.add_column("Kode")
    table.add_column("Tingkat")
    table.add_column("Jumlah", justify="right")
    table.add_column("Pesan", overflow="fold")
    for code, info in VCODES.items():
        if counts.get(code.value):
            style = "red" if info.severity.value == "error" else "yellow"
            table.add_row(
                code.value, f"[{style}]{info.severity.value}[/]", str(counts[code.value]), info.message_id
            )
    return table


def render_report(report: ValidationReport, console: Console) -> None:
    """The per-file table, the per-code table and the unreadable inputs' reasons."""
    console.print(files_table(report))
    if report.findings.height:
        console.print(codes_table(report))
    for failure in report.failures:
        where = failure.path + (f" [sheet {failure.sheet}]" if failure.sheet else "")
        console.print(
            f"[bold magenta]{escape(where)}[/]: {escape(failure.reason)}", soft_wrap=True, highlight=False
        )
    for line in note_lines((n.path, n.reason) for n in report.notes):
        console.print(f"[dim]catatan:[/] {escape(line)}", soft_wrap=True)
    for failure in report.write_failures:
        console.print(
            f"[bold magenta]{escape(failure.path)}[/]: {escape(failure.reason)}",
            soft_wrap=True,
            highlight=False,
        )
    if report.regency is None:
        console.print("[yellow]kabupaten tidak diketahui: pemeriksaan desa di luar kabupaten dilewati[/]")
