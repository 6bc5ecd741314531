"""Fixtures shared by the test modules; the builders behind them live in plain modules (builders.py,
io_files.py, hardening_files.py), never in a ``test_*`` module (tests/test_tests_layout.py checks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import synthetic_result, write_output_folder

from verval_cli.result import ReconcileResult


@pytest.fixture
def synthetic() -> ReconcileResult:
    """A fresh copy of the hand-built four-village reconcile result (tests/builders.py)."""
    return synthetic_result()


@pytest.fixture
def output_folder(synthetic: ReconcileResult, tmp_path: Path) -> Path:
    """``synthetic`` written as a reconcile output folder, ready for `verval report`."""
    return write_output_folder(synthetic, tmp_path / "out")
