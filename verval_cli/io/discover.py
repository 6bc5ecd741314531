"""Which files a run reads: files, folders (recursively) and glob patterns, minus what is not a submission.

Skipped, each with a note, however it was given (in a folder, by a glob or by name): Excel and
LibreOffice lock files (``~$name.xlsx``, ``.~lock.name.xlsx#``), temporary files (``*.tmp``) and every
file verval wrote itself (by its mark, see :mod:`verval_cli.marks`). In folders, only spreadsheet
extensions are read and hidden files are left alone.

>>> found = discover(["inbox/"])          # doctest: +SKIP
>>> found.files, [n.reason for n in found.notes]   # doctest: +SKIP
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verval_cli import marks
from verval_cli.errors import InputFileError
from verval_cli.io import sniff

LOCK_FILE = "Excel or LibreOffice lock file (the workbook is open somewhere)"
TEMP_FILE = "temporary file"
Paths = str | Path | Sequence[str | Path]


@dataclass(frozen=True)
class InputNote:
    """Something said about one input file: skipped (and why), or read with a remark."""

    path: str
    reason: str
    skipped: bool = True

    def to_dict(self) -> dict[str, str | bool]:
        return {"file": self.path, "reason": self.reason, "skipped": self.skipped}


@dataclass
class Discovery:
    """The files to read, and what was set aside or remarked on."""

    files: list[Path]
    notes: list[InputNote] = field(default_factory=list)
    others: int = 0  # files in the folders given that are not spreadsheets (.docx, .pdf, ...)

    @property
    def skipped(self) -> list[InputNote]:
        return [n for n in self.notes if n.skipped]


def as_items(paths: Paths) -> list[str]:
    """One path or many, as a list of strings (a lone string is one path, not a list of letters)."""
    if isinstance(paths, str | Path):
        return [str(paths)]
    return [str(p) for p in paths]


def lock_or_temp(name: str) -> str | None:
    """Why a file name is a lock or temporary file, or None."""
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return LOCK_FILE
    if name.lower().endswith(".tmp"):
        return TEMP_FILE
    return None


def _in_folder(folder: Path) -> tuple[list[Path], int]:
    found, others = [], 0
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or (p.name.startswith(".") and not p.name.startswith(".~lock.")):
            continue
        if p.suffix.lower() in sniff.SUPPORTED_EXTENSIONS or lock_or_temp(p.name):
            found.append(p)
        else:
            others += 1
    return found, others


def _candidates(items: list[str], found: Discovery) -> list[Path]:
    out: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            files, others = _in_folder(path)
            out.extend(files)
            found.others += others
        elif path.exists():
            out.append(path)
        elif glob.has_magic(item):
            matches = sorted(Path(m) for m in glob.glob(item, recursive=True) if Path(m).is_file())
            if not matches:
                raise InputFileError(item, "no file matches this pattern")
            out.extend(matches)
        else:
            raise InputFileError(item, "no such file or folder")
    return list(dict.fromkeys(out))


def discover(paths: Paths) -> Discovery:
    """The files ``paths`` name, lock, temporary and verval's own files set aside with a note.

    Raises InputFileError for a path that does not exist or a pattern that matches nothing.
    """
    found = Discovery(files=[])
    manifests: dict[Path, frozenset[str]] = {}
    for path in _candidates(as_items(paths), found):
        reason = lock_or_temp(path.name)
        if reason:
            found.notes.append(InputNote(str(path), f"skipped: {reason}"))
            continue
        mark = marks.read_mark(path)
        listed = marks.listed_in_manifest(path, manifests)
        if mark is not None and mark.edited and listed is not None:
            # Saved again, but still inside the output folder verval wrote it to: an officer who opened
            # the report and saved it, not a village's answer. Only a copy moved out of there is read.
            mark = marks.Mark(mark.kind)
        mark = mark or listed
        if mark is not None:
            found.notes.append(InputNote(str(path), mark.note(), skipped=not mark.edited))
            if not mark.edited:
                continue
        found.files.append(path)
    return found


def require_files(found: Discovery, paths: Paths, *, role: str | None = None) -> Discovery:
    """``found`` when it holds a file to read; else InputFileError saying why nothing is left (one line)."""
    if found.files:
        return found
    where = ", ".join(as_items(paths)) or "(none)"
    why = []
    if found.others:
        why.append(f"{found.others} other file{'s' if found.others > 1 else ''} (not .xlsx, .xls, .csv)")
    skipped = found.skipped
    outputs = sum(1 for n in skipped if "written by verval" in n.reason)
    if outputs:
        why.append(f"{outputs} file{'s' if outputs > 1 else ''} written by verval")
    locks = len(skipped) - outputs
    if locks:
        why.append(f"{locks} lock or temporary file{'s' if locks > 1 else ''}")
    detail = f"only {', '.join(why)}" if why else "the folder is empty"
    raise InputFileError(where, f"no spreadsheet files to read{f' as {role}' if role else ''}: {detail}")


def expand_paths(items: Paths) -> list[Path]:
    """Files as given, folders (recursively, supported extensions, sorted) and glob patterns.

    Lock, temporary and verval-written files are left out (see :func:`discover` for the notes).
    """
    return discover(items).files
