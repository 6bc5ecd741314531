"""Output file names for --annotate / --fix: ``<stem><suffix>``, unique, safe, and never an input's path.

An input's name can be anything an operator typed: 250 bytes of spaces, dashes and quotes, characters
Windows refuses. The output's stem keeps what identifies the village (a 10-digit desa code, then the
start of the name), drops what a file system may refuse, and stays short enough that the name and
its temporary sibling fit in 255 bytes; a shortened stem ends in a short hash of the full name, so two
long names that start alike still get different outputs.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Final

from verval_cli.errors import OutputError
from verval_cli.validate.run import ValidationReport

MAX_STEM_BYTES: Final = 96
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_DESA_CODE = re.compile(r"(?<!\d)\d{10}(?!\d)")


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` UTF-8 bytes (never half a character)."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_stem(stem: str, limit: int = MAX_STEM_BYTES) -> str:
    """``stem`` made safe on Windows and Linux, at most ``limit`` UTF-8 bytes, desa code kept.

    >>> safe_stem('Hasil "verval" desa: X')
    'Hasil _verval_ desa_ X'
    """
    clean = re.sub(r"\s+", " ", _UNSAFE.sub("_", stem)).strip(" .") or "file"
    if len(clean.encode("utf-8")) <= limit:
        return clean
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
    code = _DESA_CODE.search(clean)
    head = f"{code.group(0)}_" if code and code.start() > 0 else ""
    room = limit - len(head.encode("utf-8")) - len(digest) - 1
    return f"{head}{_cut(clean, room).rstrip(' .-_')}_{digest}"


class OutputNames:
    """Hands out target paths; two inputs with the same stem get ``_2``, ``_3`` ... suffixes."""

    def __init__(self, report: ValidationReport) -> None:
        self._inputs = {Path(f.path).resolve() for f in report.files}
        self._used: set[Path] = set()

    def target(self, out_dir: Path, source: Path, suffix: str, extension: str) -> Path:
        """The path to write ``source``'s output to."""
        stem = safe_stem(source.stem)
        n = 1
        while True:
            tail = "" if n == 1 else f"_{n}"
            candidate = out_dir / f"{stem}{suffix}{tail}{extension}"
            resolved = candidate.resolve()
            if resolved in self._inputs:
                raise OutputError(f"{candidate}: would overwrite an input file; choose another folder")
            if resolved not in self._used:
                self._used.add(resolved)
                return candidate
            n += 1
