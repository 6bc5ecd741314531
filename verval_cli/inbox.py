"""Refusing what cannot be meant: inputs that name nothing, swapped or repeated paths, outputs in an inbox.

An officer's inbox fills up over a week and results are written next to it. These checks run before
any file is read in full, and each says in one line what to do instead:

- a path that does not exist, or an input with no spreadsheet left once lock files and verval's own
  outputs are set aside (InputFileError);
- the same file given as the province list and as a submission (UsageError);
- a "province list" that reads like village files (UsageError): more than half of its rows carry a
  verval status (a P3KE/DTKS export has no such column), or it spreads over three or more files
  with a median under 300 rows each and fewer than half of its rows carry a household ID (a regency's
  list is one big export, or a few per kecamatan, with an ID on every row);
- an output folder that is an input folder, lies inside one, or is the folder holding input files
  named or matched by a pattern (OutputError, unless forced): the next run would find the outputs.

And whatever is given, the files of a re-run cache (``.verval-cache`` in an output folder, see
:mod:`verval_cli.cache`) are never read as input: they are set aside with one note per cache folder.
"""

from __future__ import annotations

import glob
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import polars as pl

from verval_cli.cache import CACHE_DIR
from verval_cli.errors import OutputError, UsageError
from verval_cli.io import Discovery, InputNote, SheetReport, as_items, discover, require_files

STATUS_SHARE: Final = 0.5  # above this share of rows with a verval status, a list is village results
MANY_FILES: Final = 3
SMALL_FILE_ROWS: Final = 300  # a village returns tens to a few hundred rows; a kecamatan's list thousands
ID_SHARE: Final = 0.5
Paths = str | Path | Sequence[str | Path]


def _cache_folder(path: str | Path) -> Path | None:
    parts = Path(path).parts
    return Path(*parts[: parts.index(CACHE_DIR) + 1]) if CACHE_DIR in parts[:-1] else None


def without_cache(found: Discovery) -> Discovery:
    """``found`` without the files inside a ``.verval-cache`` folder (whether or not their mark set
    them aside already): one note per such folder instead."""
    cached: Counter[Path] = Counter()
    files, notes = [], []
    for path in found.files:
        folder = _cache_folder(path)
        if folder is None:
            files.append(path)
        else:
            cached[folder] += 1
    for note in found.notes:
        folder = _cache_folder(note.path)
        if folder is None:
            notes.append(note)
        else:
            cached[folder] += 1
    if not cached:
        return found
    notes += [
        InputNote(str(folder), f"skipped: written by verval (re-run cache, {n} files), not a submission")
        for folder, n in cached.items()
    ]
    return Discovery(files, notes, found.others)


def discover_inputs(province: Paths, submissions: Paths) -> tuple[Discovery, Discovery]:
    """Both sides of a reconcile, each holding a file to read, no file on both sides."""
    province_found = require_files(without_cache(discover(province)), province, role="the province list")
    submissions_found = require_files(without_cache(discover(submissions)), submissions, role="submissions")
    listed = {p.resolve(): p for p in province_found.files}
    both = [p for p in submissions_found.files if p.resolve() in listed]
    if both:
        more = f" and {len(both) - 1} more" if len(both) > 1 else ""
        named = {Path(p).resolve() for p in as_items(submissions)}
        if len(both) == 1 and both[0].resolve() not in named:
            hint = "the province list lies in the submissions folder: move it out of the inbox"
        else:
            hint = "give the province list first, then the village files: verval reconcile DAFTAR INBOX --out DIR"
        raise UsageError(f"{both[0]}{more}: given both as the province list and as submissions; {hint}")
    return province_found, submissions_found


def _share(frame: pl.DataFrame, column: str) -> float:
    if column not in frame.columns or frame.height == 0:
        return 0.0
    return frame[column].count() / frame.height


def village_files_reason(frame: pl.DataFrame, sheets: Sequence[SheetReport]) -> str | None:
    """Why a (normalised) province list reads like village submissions, or None when it does not."""
    with_status = _share(frame, "status_raw")
    with_id = _share(frame, "household_id")
    # A DTKS/BDT export can carry a presence status ("sta_keberadaan") beside its household IDs: a
    # status alone does not make village files, a status without the list's IDs does.
    if with_status > STATUS_SHARE and with_id < ID_SHARE:
        return (
            f"{with_status:.0%} of its rows carry a verval status and {with_id:.0%} a household ID, "
            "which a province export has not"
        )
    rows = Counter[str]()
    for sheet in sheets:
        rows[sheet.path] += sheet.data_rows
    if len(rows) < MANY_FILES:
        return None
    median = statistics.median(rows.values())
    if median < SMALL_FILE_ROWS and (with_id < ID_SHARE or with_status > STATUS_SHARE):
        return f"{len(rows)} files of about {median:.0f} rows each, {with_id:.0%} of rows with a household ID"
    return None


def refuse_village_files_as_province(
    frame: pl.DataFrame, sheets: Sequence[SheetReport], province: Sequence[str]
) -> None:
    """Raise UsageError when the province list given reads like village files (swapped arguments)."""
    reason = village_files_reason(frame, sheets)
    if reason:
        raise UsageError(
            f"{', '.join(province)}: looks like village submissions, not the province list ({reason}); "
            "give the province list first: verval reconcile DAFTAR INBOX --out DIR (--force to use it anyway)"
        )


def _glob_base(pattern: str) -> Path:
    parts: list[str] = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _input_folders(inputs: Paths) -> tuple[list[Path], list[Path]]:
    """(folders read recursively, folders whose files are read).

    A folder given, or where a ``**`` pattern starts, is read with its subfolders; a file given by
    name, or a pattern like ``inbox/*.xlsx``, reads only the files of its folder.
    """
    folders, holding = [], []
    for item in as_items(inputs):
        path = Path(item)
        if path.is_dir():
            folders.append(path.resolve())
        elif path.is_file():
            holding.append(path.resolve().parent)
        elif glob.has_magic(item):
            base = _glob_base(item).resolve()
            (folders if "**" in item else holding).append(base)
    return folders, holding


def refuse_output_among_inputs(out_dir: Path, inputs: Paths, *, force: bool, option: str = "--out") -> None:
    """Raise OutputError when ``out_dir`` is an input folder, lies inside one, or holds an input file.

    Unless ``force``: then verval writes there, and its marks keep the next run from reading the outputs.
    """
    if force:
        return
    out = Path(out_dir).resolve()
    folders, holding = _input_folders(inputs)
    hint = f"write {option} outside the inputs, or add --force"
    for folder in folders:
        if out == folder:
            raise OutputError(f"{out_dir}: {option} is an input folder; {hint}")
        if out.is_relative_to(folder):
            raise OutputError(
                f"{out_dir}: {option} is inside the input folder {folder}, where the next run would look; {hint}"
            )
    if out in holding:
        raise OutputError(f"{out_dir}: {option} is the folder holding the input files; {hint}")
