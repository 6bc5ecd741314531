"""Reading village submissions and province lists: one loader for every format and layout."""

from __future__ import annotations

from verval_cli.io.households import households_from_individuals
from verval_cli.io.loader import (
    LoadResult,
    expand_paths,
    load_table,
    load_tables,
)
from verval_cli.io.table import FileFailure, SheetReport

__all__ = [
    "FileFailure",
    "LoadResult",
    "SheetReport",
    "expand_paths",
    "households_from_individuals",
    "load_table",
    "load_tables",
]
