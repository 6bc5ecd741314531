"""verval: reconcile village verval submissions against the province priority list.

>>> from verval_cli import reconcile                                   # doctest: +SKIP
>>> result = reconcile("daftar_p3ke.xlsx", ["hasil_desa/"])            # doctest: +SKIP
"""

from __future__ import annotations

from verval_cli import _allocator  # noqa: F401  (first: sets polars' allocator before polars loads)
from verval_cli.config import Config, load_config
from verval_cli.errors import ConfigError, InputFileError, OutputError, VervalError
from verval_cli.ingest import ingest, ingest_province
from verval_cli.io import load_table, load_tables
from verval_cli.normalize import normalize_frame
from verval_cli.reconcile import ReconcileResult, reconcile, write_reconcile_outputs

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "InputFileError",
    "OutputError",
    "ReconcileResult",
    "VervalError",
    "__version__",
    "ingest",
    "ingest_province",
    "load_config",
    "load_table",
    "load_tables",
    "normalize_frame",
    "reconcile",
    "write_reconcile_outputs",
]
