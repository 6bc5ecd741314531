"""Terminal rendering with Rich; the only library module that prints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from verval_cli.inspect import Inspection

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    """One line on stderr."""
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True, markup=True)


def info(message: str) -> None:
    """One line on stderr (keeps stdout clean for data)."""
    err.print(message, soft_wrap=True, markup=False)


@contextmanager
def progress() -> Iterator[Callable[[str], None]]:
    """A spinner on stderr showing the current stage; yields the callback the library calls."""
    with err.status("verval") as status:

        def say(stage: str) -> None:
            status.update(f"verval: {stage} ...")

        yield say


def note_lines(notes: Iterable[tuple[str, str]], *, listed: int = 3) -> list[str]:
    """Notes about inputs, grouped by reason: a few files by name, more as a count with their folders.

    >>> note_lines([("a/x.xlsx", "skipped: lock file")])
    ['a/x.xlsx: skipped: lock file']
    """
    groups: dict[str, list[str]] = {}
    for path, reason in notes:
        groups.setdefault(reason, []).append(path)
    lines = []
    for reason, paths in groups.items():
        if len(paths) <= listed:
            lines += [f"{path}: {reason}" for path in paths]
        else:
            folders = ", ".join(dict.fromkeys(str(Path(p).parent) for p in paths))
            lines.append(f"{len(paths)} files in {folders}: {reason}")
    return lines


def render_inspection(result: Inspection) -> None:
    """One panel per table found, then the failures."""
    for sheet in result.sheets:
        where = sheet.path + (f" [sheet {sheet.sheet}]" if sheet.sheet else "")
        out.print(
            f"\n[bold]{where}[/]  format={sheet.format} header_row={sheet.header_row} "
            f"data_rows={sheet.data_rows} rejected_rows={sheet.rejected_rows}"
        )
        desa = (
            f"{sheet.desa_code} {sheet.desa_name} (from {sheet.desa_source})"
            if sheet.desa_code
            else "not identified"
        )
        out.print(f"  desa: {escape(desa)}")
        table = Table("col", "header", "field", "how", box=None, padding=(0, 2))
        for column in sheet.mapping_explained:
            if column["field"]:
                field, how = str(column["field"]), str(column["rule"])
            elif column["reason"]:
                field, how = f"[yellow](unmapped: {column['unmapped']})[/]", str(column["reason"])
            else:
                field, how = "[dim](kept as extra)[/]", str(column["rule"] or "")
            table.add_row(str(column["column"]), escape(str(column["header"])), field, escape(how))
        out.print(table)
        if sheet.mapping_summary:
            out.print(f"  {escape(sheet.mapping_summary)}")
        for note in sheet.notes:
            out.print(f"  note: {escape(note)}")
        for problem in sheet.problems:
            out.print(f"  [yellow]problem:[/] {escape(problem)}")
        if sheet.sample:
            sample = Table(title="sample rows", box=None, padding=(0, 1))
            for key in sheet.sample[0]:
                sample.add_column(key, no_wrap=True)
            for row in sheet.sample:
                sample.add_row(*["" if v is None else escape(str(v)) for v in row.values()])
            out.print(sample)
    for line in note_lines((n.path, n.reason) for n in result.notes):
        out.print(f"[dim]note:[/] {escape(line)}", soft_wrap=True)
    for failure in result.failures:
        where = str(failure["file"]) + (f" [sheet {failure['sheet']}]" if failure.get("sheet") else "")
        error(f"{where}: {failure['reason']}")


_HEADERS = {
    "id": ("Kecamatan", "Daftar", "Lapor", "Cocok", "Periksa", "Belum", "Baru", "Desa diam"),
    "en": ("Kecamatan", "Listed", "Sent", "Matched", "Review", "Missing", "New", "Silent"),
}
_LEGEND = {
    "id": "Daftar = keluarga di daftar provinsi; Lapor = baris dari desa; Periksa = perlu diperiksa; "
    "Belum = keluarga belum dilaporkan; Baru = usulan baru; Desa diam = desa yang belum mengirim file.",
    "en": "Listed = households on the province list; Sent = rows from villages; Missing = listed but not "
    "reported; New = new proposals; Silent = villages that sent no file.",
}


def render_reconcile(summary: dict[str, Any], written: Sequence[Path], *, lang: str = "id") -> None:
    """The per-kecamatan table, the balance and where the files are."""
    table = Table(*_HEADERS[lang], title=summary.get("regency_name") or "verval", box=box.SIMPLE_HEAD)
    keys = ("listed", "submitted", "matched", "review", "not_reported", "new", "silent_villages")
    totals = dict.fromkeys(keys, 0)
    for row in summary["kecamatan"]:
        table.add_row(
            str(row.get("kecamatan") or row.get("kecamatan_code") or "?"), *[str(row[k]) for k in keys]
        )
        for k in keys:
            totals[k] += int(row[k])
    table.add_row("[bold]Total[/]", *[f"[bold]{totals[k]}[/]" for k in keys])
    out.print(table)
    out.print(_LEGEND[lang], style="dim")
    balance = summary["balance"]
    ok = "[green]yes[/]" if balance["balanced"] else "[red]NO[/]"
    out.print(
        f"every row accounted for: {ok} — {balance['submission_rows_loaded']} submission rows, "
        f"{balance['rows_rejected']} layout/rejected rows, {balance['province_households']} listed households"
    )
    for failure in summary.get("failures", []):
        error(f"{failure['file']}: {failure['reason']}")
    for line in note_lines((n["file"], n["reason"]) for n in summary.get("input_notes", [])):
        info(f"note: {line}")
    out.print("files:")
    for path in written:
        out.print(f"  {escape(str(path))}")
