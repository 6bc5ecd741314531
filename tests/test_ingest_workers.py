"""When a batch is read in worker processes: many files, a few MB, and more than two cores."""

from __future__ import annotations

import importlib

import pytest

ingest = importlib.import_module(
    "verval_cli.ingest"
)  # the module (verval_cli.ingest is also a function's name)

BIG_BATCH = [f"desa_{i}.xlsx" for i in range(ingest.PARALLEL_FROM)]


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 1), (3, 3), (4, 4), (16, ingest.MAX_WORKERS)])
def test_workers_only_where_they_pay(monkeypatch: pytest.MonkeyPatch, cores: int, workers: int) -> None:
    monkeypatch.setattr(ingest.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(ingest, "_size", lambda paths: ingest.PARALLEL_BYTES)
    assert ingest._auto_workers(BIG_BATCH) == workers


def test_a_small_batch_is_read_here_whatever_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest.os, "cpu_count", lambda: 16)
    monkeypatch.setattr(ingest, "_size", lambda paths: ingest.PARALLEL_BYTES - 1)
    assert ingest._auto_workers(BIG_BATCH) == 1
    monkeypatch.setattr(ingest, "_size", lambda paths: ingest.PARALLEL_BYTES)
    assert ingest._auto_workers(BIG_BATCH[1:]) == 1
