"""verval: reconcile village verval submissions against the province priority list.

>>> from verval_cli import reconcile                                   # doctest: +SKIP
>>> result = reconcile("daftar_p3ke.xlsx", ["hasil_desa/"])            # doctest: +SKIP

The names below load on first use (PEP 562), so ``import verval_cli.writers.report.run`` (what
``verval report`` runs) does not load the matching stack, and ``verval --help`` starts quickly.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from verval_cli import _allocator  # noqa: F401  (first: sets polars' allocator before polars loads)
from verval_cli._version import __version__

if TYPE_CHECKING:  # what static checkers see; at run time __getattr__ below imports each on first use
    from verval_cli.changes import Changes, compare_runs
    from verval_cli.config import Config, load_config
    from verval_cli.errors import ConfigError, InputFileError, OutputError, VervalError
    from verval_cli.ingest import ingest, ingest_province
    from verval_cli.io import load_table, load_tables
    from verval_cli.normalize import normalize_frame
    from verval_cli.reconcile import reconcile
    from verval_cli.result import ReconcileResult
    from verval_cli.runs import list_runs, load_run
    from verval_cli.writers.history import write_reconcile_run
    from verval_cli.writers.reconcile_outputs import write_reconcile_outputs

# Public name -> the module that defines it.
_PUBLIC: dict[str, str] = {
    "Changes": "verval_cli.changes",
    "compare_runs": "verval_cli.changes",
    "list_runs": "verval_cli.runs",
    "load_run": "verval_cli.runs",
    "write_reconcile_run": "verval_cli.writers.history",
    "Config": "verval_cli.config",
    "load_config": "verval_cli.config",
    "ConfigError": "verval_cli.errors",
    "InputFileError": "verval_cli.errors",
    "OutputError": "verval_cli.errors",
    "VervalError": "verval_cli.errors",
    "ingest": "verval_cli.ingest",
    "ingest_province": "verval_cli.ingest",
    "load_table": "verval_cli.io",
    "load_tables": "verval_cli.io",
    "normalize_frame": "verval_cli.normalize",
    "reconcile": "verval_cli.reconcile",
    "ReconcileResult": "verval_cli.result",
    "write_reconcile_outputs": "verval_cli.writers.reconcile_outputs",
}

__all__ = [
    "Changes",
    "Config",
    "ConfigError",
    "InputFileError",
    "OutputError",
    "ReconcileResult",
    "VervalError",
    "__version__",
    "compare_runs",
    "ingest",
    "ingest_province",
    "list_runs",
    "load_config",
    "load_run",
    "load_table",
    "load_tables",
    "normalize_frame",
    "reconcile",
    "write_reconcile_outputs",
    "write_reconcile_run",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use, and keep it here."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """The package module: importing ``verval_cli.reconcile`` binds the function, not the module, here."""

    def __setattr__(self, name: str, value: Any) -> None:
        # The import system sets each loaded submodule as an attribute of its package; the public
        # function ``reconcile`` shares its module's name and must win, as it did with eager imports.
        if isinstance(value, ModuleType) and _PUBLIC.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
