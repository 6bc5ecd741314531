"""Rerunning into the same ``--out``: the previous run is kept in ``riwayat/<UTC time>/`` and compared.

What a history folder keeps: the Parquet files (matches, province, submissions, discrepancies,
rejected, changes), ``summary.json`` and a manifest marking them as verval's (so that no run reads
them as submissions). The workbook and the HTML page are not kept: `verval report riwayat/<time>`
renders them again from the Parquet. The file cache (``.verval-cache/``) and older history stay where
they are.

Cheap and safe: each kept file is hard-linked into ``riwayat/.<time>.partial/`` (no data copied; moved
instead where the disk has no hard links; a file identical to the one kept with the run before, such as
``province.parquet`` of an unchanged list, is linked to that one, so it is stored once), and the folder is renamed to ``riwayat/<time>/`` once
complete. The new run then replaces the files in place, each atomically: a crash at any point leaves
the previous run whole, in place or in its history folder.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
from pathlib import Path
from typing import Final

from verval_cli import marks
from verval_cli.changes import Changes, compare_runs
from verval_cli.errors import OutputError, VervalError
from verval_cli.result import (
    CHANGES_FILE,
    DISCREPANCIES_FILE,
    HISTORY_DIR,
    MATCHES_FILE,
    PROVINCE_FILE,
    REJECTED_FILE,
    REVIEW_REASONS_FILE,
    SUBMISSIONS_FILE,
    SUMMARY_FILE,
    ReconcileResult,
)
from verval_cli.runs import holds_run, load_run, run_info, run_of_result, run_stamp
from verval_cli.writers.outputs import write_json
from verval_cli.writers.reconcile_outputs import write_reconcile_outputs

KEPT: Final = (
    MATCHES_FILE,
    PROVINCE_FILE,
    SUBMISSIONS_FILE,
    DISCREPANCIES_FILE,
    REJECTED_FILE,
    REVIEW_REASONS_FILE,
    CHANGES_FILE,
    SUMMARY_FILE,
)


def _history_name(out_dir: Path) -> str:
    """``20261203T081500Z``: when the previous run was written (UTC; no colons, for Windows)."""
    info = load_run_time(out_dir)
    base = info.replace("-", "").replace(":", "")
    taken = {p.name for p in (out_dir / HISTORY_DIR).glob("*")}
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def load_run_time(out_dir: Path) -> str:
    """The time the run in ``out_dir`` was written: summary.json ``run``, else the manifest, else the file's."""
    written = run_info(out_dir, out_dir.name).written
    if written:
        return written
    when = dt.datetime.fromtimestamp((out_dir / SUMMARY_FILE).stat().st_mtime, dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _keep(source: Path, target: Path, earlier: Path | None) -> None:
    """Hard-link ``source`` (or the same file kept earlier: an unchanged list is stored once) to ``target``."""
    same = earlier is not None and earlier.is_file() and filecmp.cmp(earlier, source, shallow=False)
    try:
        os.link(earlier if same and earlier else source, target)
    except OSError:
        os.replace(source, target)  # no hard links on this disk (FAT, some shares): move, never copy


def _already_kept(out_dir: Path) -> Path | None:
    """The history folder already holding the run in ``out_dir`` (same summary.json), if any."""
    current = (out_dir / SUMMARY_FILE).read_bytes()
    for folder in sorted((out_dir / HISTORY_DIR).glob("[!.]*"), reverse=True):
        if (folder / SUMMARY_FILE).is_file() and (folder / SUMMARY_FILE).read_bytes() == current:
            return folder
    return None


def recover(out_dir: Path) -> None:
    """Undo a keeping cut short: files moved into ``riwayat/.<time>.partial/`` go back, the rest is dropped."""
    for partial in sorted((Path(out_dir) / HISTORY_DIR).glob(".*.partial")):
        for kept in partial.iterdir():
            if kept.name in KEPT and not (out_dir / kept.name).exists():
                os.replace(kept, out_dir / kept.name)  # moved there (no hard links): the only copy
        shutil.rmtree(partial)  # what is left are links to files still in place


def archive_run(out_dir: Path) -> Path | None:
    """Keep the run in ``out_dir`` in ``out_dir/riwayat/<time>/``; None when it holds no run."""
    out_dir = Path(out_dir)
    try:
        recover(out_dir)
    except OSError as exc:
        raise OutputError(f"{out_dir / HISTORY_DIR}: cannot tidy up: {exc.strerror or exc}") from exc
    if not holds_run(out_dir):
        return None
    history = out_dir / HISTORY_DIR
    kept = _already_kept(out_dir)
    if kept is not None:  # a run that crashed after keeping it: the same run, kept once
        return kept
    name = _history_name(out_dir)
    partial = history / f".{name}.partial"
    try:
        partial.mkdir(parents=True)
        names = [n for n in KEPT if (out_dir / n).is_file()]
        last = max((p for p in history.glob("[!.]*") if p.is_dir()), default=None)
        for file_name in names:
            _keep(out_dir / file_name, partial / file_name, last / file_name if last else None)
        manifest = marks.read_manifest(out_dir) or {}
        write_json({**manifest, "files": sorted(names)}, partial / marks.MANIFEST)
        final = history / name
        os.replace(partial, final)
    except OSError as exc:
        raise OutputError(f"{history}: cannot keep the previous run: {exc.strerror or exc}") from exc
    return final


def write_reconcile_run(
    result: ReconcileResult, out_dir: Path, *, lang: str = "id", mask_nik: bool = False
) -> tuple[list[Path], Changes | None]:
    """Write ``result`` into ``out_dir``; when it holds a previous run, keep that in history and compare.

    Returns the paths written and what changed since the previous run (None when there was none).
    """
    result.summary.setdefault("run", run_stamp())
    archived = archive_run(Path(out_dir))
    changes = None
    if archived is not None:
        try:
            changes = compare_runs(load_run(archived), run_of_result(result, str(out_dir)))
        except VervalError as exc:  # another round's run, or a damaged one: kept, not compared
            result.summary["changes_skipped"] = str(exc)
            (Path(out_dir) / CHANGES_FILE).unlink(missing_ok=True)  # that run's own, kept with it
        else:
            result.changes = changes.frame
            result.summary["changes"] = changes.to_dict()
    written = write_reconcile_outputs(result, Path(out_dir), lang=lang, mask_nik=mask_nik)
    return written, changes
