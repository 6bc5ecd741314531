"""The `verval` command line: parses options, calls one library function, renders the result."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from verval_cli import console
from verval_cli.config import Config, load_config, with_regency
from verval_cli.errors import VervalError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="verval: check, match and report village verval submissions against the province priority list.",
)

_state = {"debug": False}
T = TypeVar("T")

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="verval.toml with column, status and threshold overrides."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
LangOption = Annotated[str, typer.Option("--lang", help="Report language: id (Bahasa Indonesia) or en.")]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Write into a non-empty output folder, or one inside the inputs.")
]
MaskNikOption = Annotated[
    bool, typer.Option("--mask-nik", help="Show NIK and No KK as 3304********0001 in reports.")
]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="Read only this sheet (by name).")]
RegencyOption = Annotated[
    str | None,
    typer.Option(
        "--regency",
        metavar="NAME|CODE",
        help="The regency the files belong to (Banjarnegara, 33.04 or 3304); default: found in the files.",
    ),
]


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    """verval: check, match and report village verval submissions against the province list."""
    _state["debug"] = debug


@contextmanager
def _reported_errors() -> Iterator[None]:
    """One-line errors and exit code 2 for user-facing failures; tracebacks only with --debug."""
    try:
        yield
    except VervalError as exc:
        if _state["debug"]:
            raise
        console.error(str(exc))
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        console.error("interrupted; no partial output was left behind")
        raise typer.Exit(130) from None
    except Exception as exc:
        if _state["debug"]:
            raise
        import re  # kept local: only this unexpected path needs it

        # Library messages (polars' especially) can span lines and quote cell values: keep one line, no IDs.
        lines = str(exc).strip().splitlines()
        detail = re.sub(r"\d{12,}", "<number>", lines[0] if lines else "")
        console.error(f"internal error: {type(exc).__name__}: {detail} (run with --debug for details)")
        raise typer.Exit(3) from None


def _config(path: Path | None, regency: str | None = None) -> Config:
    return with_regency(load_config(path), regency)


def _check_lang(lang: str) -> str:
    if lang not in ("id", "en"):
        raise typer.BadParameter("use id or en", param_hint="--lang")
    return lang


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _run(task: Callable[[], T]) -> T:
    with _reported_errors():
        return task()
    raise AssertionError("unreachable")  # pragma: no cover


@app.command()
def inspect(
    files: Annotated[list[str], typer.Argument(help="Files, folders or globs to inspect.")],
    config: ConfigOption = None,
    sheet: SheetOption = None,
    as_json: JsonOption = False,
    unmask: Annotated[bool, typer.Option("--unmask", help="Show sample NIKs and names in full.")] = False,
    regency: RegencyOption = None,
) -> None:
    """Show how verval reads each file: format, sheet, header row, column mapping, desa, problems."""
    from verval_cli.inspect import inspect_files

    result = _run(lambda: inspect_files(files, _config(config, regency), sheet=sheet, unmask=unmask))
    if as_json:
        _print_json(result.to_dict())
    else:
        console.render_inspection(result)
    if result.failures:
        raise typer.Exit(2)


@app.command()
def sample(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the synthetic round into.")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same round.")] = 2023,
    level: Annotated[str, typer.Option(help="Province list level: household or individual.")] = "household",
    villages: Annotated[int, typer.Option(help="Number of priority villages.")] = 44,
    force: ForceOption = False,
) -> None:
    """Generate a synthetic verval round (province list, village submissions, ground truth)."""
    from verval_cli.outputs import prepare_out_dir
    from verval_cli.sample import SampleSpec, generate_truth, write_round

    if level not in ("household", "individual"):
        raise typer.BadParameter("use household or individual", param_hint="--level")

    def _task() -> Any:
        prepare_out_dir(out, force=force)
        spec = SampleSpec(
            seed=seed,
            level=level,
            villages=villages,
            kecamatan=min(14, villages),
            silent_villages=min(3, villages // 10),
        )
        return write_round(generate_truth(spec), out, overwrite=force)

    _run(_task)
    console.info(f"Synthetic round written to {out}")


@app.command()
def reconcile(
    province: Annotated[str, typer.Argument(help="The province priority list (file or folder).")],
    submissions: Annotated[list[str], typer.Argument(help="Village submissions: files, folders or globs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    config: ConfigOption = None,
    lang: LangOption = "id",
    mask_nik: MaskNikOption = False,
    as_json: JsonOption = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty output folder or one inside the inputs; "
            "accept a province list that looks like village files.",
        ),
    ] = False,
    regency: RegencyOption = None,
) -> None:
    """Match every submitted row to the province list, flag what disagrees, write Parquet and Excel."""
    from verval_cli.inbox import refuse_output_among_inputs
    from verval_cli.outputs import prepare_out_dir
    from verval_cli.reconcile import reconcile as run_reconcile
    from verval_cli.reconcile import write_reconcile_outputs

    _check_lang(lang)

    def _task() -> tuple[Any, list[Path]]:
        settings = _config(config, regency)
        refuse_output_among_inputs(out, [province, *submissions], force=force)
        prepare_out_dir(out, force=force, create=False)  # created when written: a refused run leaves none
        with console.progress() as say:
            result = run_reconcile(province, submissions, settings, progress=say, check_province=not force)
            say("menulis hasil")
            written = write_reconcile_outputs(result, out, lang=lang, mask_nik=mask_nik)
        return result, written

    result, written = _run(_task)
    if as_json:
        _print_json(result.summary)
    else:
        console.render_reconcile(result.summary, written, lang=lang)
    if result.failures:
        raise typer.Exit(2)


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(help="Village submissions: files, folders or globs.")],
    province: Annotated[
        Path | None, typer.Option("--province", "-p", help="Also check against this province list.")
    ] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings also fail (exit 1).")] = False,
    annotate_dir: Annotated[
        Path | None, typer.Option("--annotate", help="Write a highlighted, commented copy of each file here.")
    ] = None,
    fix_dir: Annotated[
        Path | None, typer.Option("--fix", help="Write upload-ready files and the rejected rows here.")
    ] = None,
    sheet: SheetOption = None,
    force: ForceOption = False,
    regency: RegencyOption = None,
) -> None:
    """Check village submissions before upload: every problem with its row and column; exit 1 on errors."""
    from verval_cli.inbox import refuse_output_among_inputs
    from verval_cli.validate import validate_paths
    from verval_cli.validate.annotate import annotate
    from verval_cli.validate.fix import write_fixed
    from verval_cli.validate.render import render_report

    def _task() -> tuple[Any, list[Path]]:
        for folder, option in ((annotate_dir, "--annotate"), (fix_dir, "--fix")):
            if folder is not None:
                refuse_output_among_inputs(folder, paths, force=force, option=option)
        report = validate_paths(paths, _config(config, regency), province=province, sheet=sheet)
        written = annotate(report, annotate_dir) if annotate_dir else []
        return report, written + (write_fixed(report, fix_dir) if fix_dir else [])

    report, written = _run(_task)
    if as_json:
        _print_json(report.to_dict())
    else:
        render_report(report, console.out)
        for path in written:
            console.info(f"ditulis: {path}")
    raise typer.Exit(report.exit_code(strict))


MaskNamesOption = Annotated[bool, typer.Option("--mask-names", help="Reduce names to initials in reports.")]


@app.command()
def report(
    out_dir: Annotated[Path, typer.Argument(help="A folder written by `verval reconcile --out`.")],
    per_desa: Annotated[
        Path | None, typer.Option("--per-desa", help="Also write one workbook per village into this folder.")
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", metavar="YYYY-MM-DD", help="Deadline printed on the village workbooks."),
    ] = None,
    lang: LangOption = "id",
    mask_nik: MaskNikOption = False,
    mask_names: MaskNamesOption = False,
    force: ForceOption = False,
) -> None:
    """Re-render the reports from a reconcile output folder without matching again (fast)."""
    import datetime as dt

    from verval_cli.outputs import prepare_out_dir
    from verval_cli.report import render_reports

    _check_lang(lang)
    try:
        due = dt.date.fromisoformat(deadline) if deadline else None
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD, e.g. 2023-02-10", param_hint="--deadline") from None

    def _task() -> list[Path]:
        if per_desa is not None:
            prepare_out_dir(per_desa, force=force, create=False)  # written only once the folder is read
        return render_reports(
            out_dir, per_desa_dir=per_desa, deadline=due, mask_nik=mask_nik, mask_names=mask_names, lang=lang
        )

    written = _run(_task)
    console.info(f"Laporan ditulis: {written[0]}, {written[1]}")
    if per_desa is not None:
        console.info(f"{len(written) - 2} file desa ditulis ke {per_desa}")


def main() -> None:
    """Entry point of the console script."""
    app()
