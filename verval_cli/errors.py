"""Exceptions the library raises; the CLI turns them into one-line messages and exit codes."""

from __future__ import annotations


class VervalError(Exception):
    """Base class for every error verval reports to the user."""


class InputFileError(VervalError):
    """An input file cannot be read (corrupt, encrypted, empty, unknown format, no header)."""

    def __init__(self, path: str, reason: str, *, sheet: str | None = None, row: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.sheet = sheet
        self.row = row
        where = path
        if sheet:
            where += f" [sheet {sheet}]"
        if row is not None:
            where += f" row {row}"
        super().__init__(f"{where}: {reason}")


class UsageError(VervalError):
    """The inputs given cannot be what was meant: nothing to read, swapped or repeated paths."""


class ConfigError(VervalError):
    """The configuration file is missing, unreadable or invalid."""


class OutputError(VervalError):
    """An output cannot be written (existing non-empty directory without --force, permissions)."""
