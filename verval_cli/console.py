"""Terminal rendering with Rich; the only library module that prints."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from verval_cli.messages import CATALOGUE, HISTORY_HEADINGS, RECONCILE_HEADINGS, localise_error, text

if TYPE_CHECKING:
    from verval_cli.explain import Candidate, Explanation
    from verval_cli.inspect import Inspection

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

Say = Callable[..., None]


def error(message: str, lang: str = "id") -> None:
    """One line on stderr, the library's words in the run's language."""
    message = localise_error(message, lang)
    err.print(f"[bold red]{text('error', lang)}:[/] {escape(message)}", soft_wrap=True, markup=True)


def warning(message: str, lang: str = "id") -> None:
    """One warning line on stderr."""
    err.print(f"[yellow]{text('warning', lang)}:[/] {escape(message)}", soft_wrap=True, markup=True)


def info(message: str) -> None:
    """One line on stderr (keeps stdout clean for data)."""
    err.print(message, soft_wrap=True, markup=False)


def open_first(path: Path, lang: str = "id") -> None:
    """The last line of a run: the one file to open first."""
    err.print(f"[bold green]{escape(text('open_first', lang, path=path))}[/]", soft_wrap=True)


def interactive() -> bool:
    """True when both stdout and stderr are terminals (progress bars only then)."""
    return bool(out.is_terminal and err.is_terminal and sys.stdout.isatty() and sys.stderr.isatty())


@contextmanager
def progress(lang: str = "id", *, enabled: bool | None = None) -> Iterator[Say]:
    """A progress bar on stderr: the current stage and files done of total; yields the library's callback.

    Shown only on a terminal (``enabled`` None) or when asked; otherwise the callback does nothing.
    """
    if not (interactive() if enabled is None else enabled):
        yield lambda *_args: None
        return
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task("verval", total=None)
    with bar:

        def say(stage: str, done: int | None = None, total: int | None = None, /) -> None:
            key = f"stage_{stage}"
            label = text(key, lang) if key in CATALOGUE else stage
            counted = done is not None and total is not None
            count = f" {done}/{total}" if counted else ""
            bar.update(task, description=f"verval: {label}{count}", completed=done or 0, total=total)
            if not counted:
                bar.reset(task, total=None, description=f"verval: {label}")
            bar.refresh()

        yield say


def note_lines(notes: Iterable[tuple[str, str]], *, listed: int = 3, lang: str = "en") -> list[str]:
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
    return [localise_error(line, lang) for line in lines]


def _source(source: str | None, lang: str) -> str:
    key = f"src_{source}"
    return text(key, lang) if key in CATALOGUE else str(source)


def render_inspection(result: Inspection, lang: str = "id") -> None:
    """One panel per table found, then the failures."""
    for sheet in result.sheets:
        where = sheet.path + (f" [sheet {sheet.sheet}]" if sheet.sheet else "")
        line = text(
            "ins_line",
            lang,
            format=sheet.format,
            header_row=sheet.header_row,
            data_rows=sheet.data_rows,
            rejected_rows=sheet.rejected_rows,
        )
        out.print(f"\n[bold]{escape(where)}[/]")
        out.print(f"  {line}")
        desa = (
            text(
                "ins_desa_from",
                lang,
                code=sheet.desa_code,
                name=sheet.desa_name,
                source=_source(sheet.desa_source, lang),
            )
            if sheet.desa_code
            else text("ins_desa_unknown", lang)
        )
        out.print(f"  {text('ins_desa', lang)}: {escape(desa)}")
        table = Table("#", text("ins_header", lang), text("ins_field", lang), "", box=None, padding=(0, 2))
        for column in sheet.mapping_explained:
            if column["field"]:
                field, how = str(column["field"]), str(column["rule"])
            elif column["reason"]:
                field, how = f"[yellow](unmapped: {column['unmapped']})[/]", str(column["reason"])
            else:
                field, how = f"[dim]{text('ins_kept', lang)}[/]", str(column["rule"] or "")
            table.add_row(str(column["column"]), escape(str(column["header"])), field, escape(how))
        out.print(table)
        if sheet.mapping_summary:
            out.print(f"  {escape(sheet.mapping_summary)}")
        for note in sheet.notes:
            out.print(f"  {text('ins_note', lang)}: {escape(note)}")
        for problem in sheet.problems:
            out.print(f"  [yellow]{text('ins_problem', lang)}:[/] {escape(problem)}")
        if sheet.sample:
            sample = Table(title=text("ins_sample", lang), box=None, padding=(0, 1))
            for key in sheet.sample[0]:
                sample.add_column(key, no_wrap=True)
            for row in sheet.sample:
                sample.add_row(*["" if v is None else escape(str(v)) for v in row.values()])
            out.print(sample)
    for line in note_lines(((n.path, n.reason) for n in result.notes), lang=lang):
        out.print(f"[dim]{text('ins_note', lang)}:[/] {escape(line)}", soft_wrap=True)
    for failure in result.failures:
        where = str(failure["file"]) + (f" [sheet {failure['sheet']}]" if failure.get("sheet") else "")
        error(f"{where}: {failure['reason']}", lang)


_RECONCILE_KEYS = ("listed", "submitted", "matched", "review", "not_reported", "new", "silent_villages")


def reconcile_table(summary: dict[str, Any], lang: str = "id") -> Table:
    """Per-kecamatan counts: names cut with an ellipsis rather than wrapped, numbers right-aligned."""
    headings = RECONCILE_HEADINGS[lang]
    table = Table(title=summary.get("regency_name") or "verval", box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column(headings[0], no_wrap=True, overflow="ellipsis", max_width=16)
    for heading in headings[1:]:
        table.add_column(heading, justify="right", no_wrap=True)
    totals = dict.fromkeys(_RECONCILE_KEYS, 0)
    for row in summary["kecamatan"]:
        name = str(row.get("kecamatan") or row.get("kecamatan_code") or "?")
        table.add_row(escape(name), *[str(row[k]) for k in _RECONCILE_KEYS])
        for k in _RECONCILE_KEYS:
            totals[k] += int(row[k])
    table.add_row("[bold]Total[/]", *[f"[bold]{totals[k]}[/]" for k in _RECONCILE_KEYS])
    return table


def render_reconcile(summary: dict[str, Any], written: Sequence[Path], *, lang: str = "id") -> None:
    """The per-kecamatan table, the balance, the failed files by name and where the files are."""
    out.print(reconcile_table(summary, lang))
    out.print(text("rec_legend", lang), style="dim")
    balance = summary["balance"]
    ok = (
        f"[green]{text('rec_balance_yes', lang)}[/]"
        if balance["balanced"]
        else f"[red]{text('rec_balance_no', lang)}[/]"
    )
    out.print(
        text(
            "rec_balance",
            lang,
            ok=ok,
            rows=balance["submission_rows_loaded"],
            rejected=balance["rows_rejected"],
            listed=balance["province_households"],
        )
    )
    for failure in summary.get("failures", []):
        error(text("failed_file", lang, file=failure["file"], reason=failure["reason"]), lang)
    if "decisions" in summary:
        counts = summary["decisions"]
        line = text("rec_decisions", lang, **{k: v for k, v in counts.items() if k != "by_decision"})
        if counts["stale"] or counts["conflict"] or counts["unknown_target"]:
            warning(line, lang)
        else:
            info(line)
    for line in note_lines(((n["file"], n["reason"]) for n in summary.get("input_notes", [])), lang=lang):
        info(f"{text('ins_note', lang)}: {line}")
    out.print(text("files_written", lang))
    for path in written:
        out.print(f"  {escape(str(path))}")


SECONDARY, MEMBER = "secondary", "member"


def _shown_nik(value: str | None, unmask: bool) -> str:
    if value is None:
        return "-"
    return value if unmask or len(value) <= 8 else value[:4] + "*" * (len(value) - 8) + value[-4:]


def _shown_name(value: str | None, unmask: bool) -> str:
    if value is None:
        return "-"
    return value if unmask else " ".join(f"{w[0]}." for w in value.split() if w)


def explanation_data(found: Explanation, lang: str, *, unmask: bool) -> dict[str, Any]:
    """``verval explain --json``: the explanation, NIKs and names masked unless ``unmask``."""
    from verval_cli.explain import why

    data = found.to_dict()
    data["why"] = why(found, lang)
    for item in [data, *data["candidates"], *([data["rival"]] if data["rival"] else [])]:
        for key, shown in (("nik", _shown_nik), ("name", _shown_name)):
            item[key] = None if item[key] is None else shown(item[key], unmask)
    return data


def _level_cell(level: str, weight: float, lang: str) -> str:
    label = text(f"lvl_{level}", lang) if f"lvl_{level}" in CATALOGUE else level
    return f"{escape(label)} ({weight:+.2f})" if weight else escape(label)


def _note(candidate: Candidate, found: Explanation, lang: str) -> str:
    if candidate.chosen:
        return f"[bold green]{text('exp_chosen', lang)}[/]"
    if not candidate.considered:
        return text("exp_not_considered", lang)
    notes = []
    if found.rival is not None and candidate.province_index == found.rival.province_index:
        notes.append(f"[yellow]{text('exp_rival', lang)}[/]")
    if candidate.score < found.review:
        notes.append(text("exp_below", lang))
    if candidate.owner is not None:
        o = candidate.owner
        # The owner's file is named only when it is not the row's own file.
        file = None if o.file == found.file else o.file
        owner = (
            _place(file, o.sheet, o.row, lang).strip() if file else _place("", o.sheet, o.row, lang).strip()
        )
        notes.append(escape(text("exp_owned", lang, owner=owner, weight=f"{o.weight:.2f}")))
    return "; ".join(notes)


def _place(file: str | None, sheet: str | None, row: int | None, lang: str) -> str:
    from verval_cli.explain import place

    return place(file, sheet, row, lang)


def render_explanation(found: Explanation, lang: str = "id", *, top: int = 5, unmask: bool = False) -> None:
    """The row, its outcome, its candidates with each comparison's level and weight, and why."""
    from verval_cli.explain import why

    out.print(f"[bold]{escape(_place(found.file, found.sheet, found.row, lang))}[/]")
    out.print(
        escape(
            text(
                "exp_submitted",
                lang,
                name=_shown_name(found.name, unmask),
                nik=_shown_nik(found.nik, unmask),
                desa=found.desa_code or "-",
            )
        )
    )
    status = (
        text(f"exp_status_{found.match_status}", lang)
        if f"exp_status_{found.match_status}" in CATALOGUE
        else found.match_status
    )
    if found.link_role in (SECONDARY, MEMBER):
        status += f" ({text(f'exp_role_{found.link_role}', lang)})"
    out.print(
        escape(
            text(
                "exp_outcome",
                lang,
                status=status,
                method=found.match_method,
                score=f"{found.match_score:.1f}",
            )
        )
    )
    shown = list(found.candidates[:top])
    table = Table(
        title=text("exp_candidates", lang), box=box.SIMPLE_HEAD, padding=(0, 1), title_justify="left"
    )
    for key in ("exp_h_rank", "exp_h_row", "exp_h_name", "exp_h_nik"):
        table.add_column(text(key, lang), no_wrap=key not in ("exp_h_name", "exp_h_row"), overflow="fold")
    table.add_column(text("exp_h_weight", lang), justify="right", no_wrap=True)
    table.add_column(text("exp_h_score", lang), justify="right", no_wrap=True)
    table.add_column(text("exp_h_note", lang), min_width=12)
    for rank, c in enumerate(shown, 1):
        table.add_row(
            str(rank),
            str(c.province_row or "-")
            + ("" if c.desa_code == found.desa_code else f" ({c.desa_code or '-'})"),
            escape(_shown_name(c.name, unmask)),
            _shown_nik(c.nik, unmask),
            f"{c.weight:.2f}",
            f"{c.score:.1f}",
            _note(c, found, lang),
        )
    if shown:
        out.print(table)
        out.print(_comparisons(shown[:3], lang))
    else:
        out.print(text("exp_none", lang))
    if len(found.candidates) > len(shown):
        out.print(text("exp_more", lang, count=len(found.candidates) - len(shown)), style="dim")
    out.print(
        text(
            "exp_thresholds",
            lang,
            accept=f"{found.accept:.1f}",
            review=f"{found.review:.1f}",
            margin=f"{found.margin:.1f}",
        ),
        style="dim",
    )
    out.print(f"[bold]{text('exp_why', lang)}:[/] {escape(why(found, lang))}")


def _comparisons(candidates: Sequence[Candidate], lang: str) -> Table:
    """Comparisons as rows, the first candidates as columns: the level each fell into and its weight."""
    table = Table(
        title=text("exp_comparisons", lang), box=box.SIMPLE_HEAD, padding=(0, 1), title_justify="left"
    )
    table.add_column(text("exp_h_comparison", lang), no_wrap=True)
    for rank, c in enumerate(candidates, 1):
        table.add_column(f"#{rank} ({text('exp_h_row', lang).lower()} {c.province_row or '-'})")
    for i, level in enumerate(candidates[0].levels):
        key = f"cmp_{level.comparison}"
        label = text(key, lang) if key in CATALOGUE else level.comparison
        table.add_row(label, *[_level_cell(c.levels[i].level, c.levels[i].weight, lang) for c in candidates])
    table.add_row(
        f"[bold]{text('exp_total', lang)}[/]",
        *[f"[bold]{c.weight:.2f} -> {c.score:.1f}[/]" for c in candidates],
    )
    return table


def render_changes(
    changes: dict[str, Any], *, lang: str = "id", rows: Sequence[dict[str, Any]] = (), listed: int = 40
) -> None:
    """The change summary; with ``rows`` (``verval diff``), the first changes one per line."""
    from verval_cli.changes import change_lines  # polars: not for `verval --help`

    out.print(f"[bold]{escape(text('chg_title', lang, before=changes['before']))}[/]")
    for line in change_lines(changes, lang):
        out.print(f"  {escape(line)}")
    for row in rows[:listed]:
        where = [str(row[k]) for k in ("desa_code", "file") if row.get(k)]
        if row.get("submission_row") is not None:
            where.append(f"#{row['submission_row']}")
        what = [str(row[k]) for k in ("province_id", "code") if row.get(k)]
        if row.get("before") or row.get("after"):
            what.append(f"{row.get('before') or '-'} -> {row.get('after') or '-'}")
        out.print(
            escape(f"  {row['change']:<18} {' '.join(where)}: {' '.join(what)}".rstrip(": ")), style="dim"
        )
    if len(rows) > listed:
        out.print(f"  … +{len(rows) - listed} (--json)", style="dim")


def render_history(runs: Sequence[dict[str, Any]], *, lang: str = "id") -> None:
    """One line per run kept, oldest first, and the command comparing the last two."""
    headings = HISTORY_HEADINGS[lang]
    folder = runs[-1]["folder"] if runs else ""
    table = Table(title=text("hist_title", lang, folder=folder), box=box.SIMPLE_HEAD, padding=(0, 1))
    for i, heading in enumerate(headings):
        table.add_column(heading, justify="right" if 1 < i < len(headings) - 1 else "left", no_wrap=i < 7)
    for run in runs:
        totals = run["totals"]
        table.add_row(
            escape(str(run["written"] or "?").replace("T", " ")[:16]),
            escape(str(run["verval_version"] or "?")),
            str(run["files"]),
            *(str(totals[k]) for k in ("matched", "review", "not_reported", "findings")),
            escape(run["label"]),
        )
    out.print(table)
    if len(runs) > 1:
        command = f"verval diff {Path(runs[-2]['folder'])} {Path(folder)}"
        out.print(escape(text("hist_diff", lang, command=command)), style="dim")
