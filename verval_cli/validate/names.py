"""Output file names for --annotate / --fix: ``<stem><suffix>``, unique, and never an input's path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from verval_cli.errors import OutputError

if TYPE_CHECKING:
    from verval_cli.validate.run import ValidationReport


class OutputNames:
    """Hands out target paths; two inputs with the same stem get ``_2``, ``_3`` ... suffixes."""

    def __init__(self, report: ValidationReport) -> None:
        self._inputs = {Path(f.path).resolve() for f in report.files}
        self._used: set[Path] = set()

    def target(self, out_dir: Path, source: Path, suffix: str, extension: str) -> Path:
        """The path to write ``source``'s output to."""
        n = 1
        while True:
            tail = "" if n == 1 else f"_{n}"
            candidate = out_dir / f"{source.stem}{suffix}{tail}{extension}"
            resolved = candidate.resolve()
            if resolved in self._inputs:
                raise OutputError(f"{candidate}: would overwrite an input file; choose another folder")
            if resolved not in self._used:
                self._used.add(resolved)
                return candidate
            n += 1
