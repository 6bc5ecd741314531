"""Reading village submissions and province lists: one loader for every format and layout."""

from __future__ import annotations

from verval_cli.io.discover import Discovery, InputNote, as_items, discover, expand_paths, require_files
from verval_cli.io.loader import (
    LoadResult,
    load_table,
    load_tables,
)
from verval_cli.io.table import FileFailure, SheetReport

__all__ = [
    "Discovery",
    "FileFailure",
    "InputNote",
    "LoadResult",
    "SheetReport",
    "as_items",
    "discover",
    "expand_paths",
    "load_table",
    "load_tables",
    "require_files",
]
