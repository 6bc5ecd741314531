"""The partitioned reconcile on a 2-worker Dask LocalCluster (``verval[cluster]``): the same outputs as
one run, a worker killed mid-run retried by Dask, and a run whose parts keep failing writes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from province_round import province_round

from benchmarks.scenario import ScenarioPaths
from verval_cli.engine.dask import DaskEngine
from verval_cli.reconcile import reconcile
from verval_cli.writers.outputs import write_parquet
from verval_cli.writers.partitioned import write_partitioned

pytest.importorskip("distributed")

TABLES = ("matches", "province", "submissions", "discrepancies", "rejected", "review_reasons")


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> ScenarioPaths:
    return province_round(tmp_path_factory.mktemp("province"), households=2500)


@pytest.fixture(scope="module")
def one_run(round_: ScenarioPaths, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("one")
    result = reconcile(round_.province, [round_.submissions])
    for name in TABLES:
        write_parquet(getattr(result, name), out / f"{name}.parquet")
    return out


@pytest.fixture(scope="module")
def engine() -> Any:
    with DaskEngine(workers=2) as running:
        yield running


def _dies_once(marker: Path, function: Callable[[Any], Any], item: Any) -> Any:
    """The function, but the first call anywhere kills its worker process (as the OOM killer would)."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return function(item)
    os.close(fd)
    os._exit(1)


def _always_dies(function: Callable[[Any], Any], item: Any) -> Any:
    os._exit(1)


class Wrapped:
    """An engine whose mapped function is wrapped (to kill workers on purpose)."""

    def __init__(self, engine: DaskEngine, wrap: Callable[..., Any], *args: Any) -> None:
        self.engine, self.wrap, self.args = engine, wrap, args

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        from functools import partial

        return self.engine.map(partial(self.wrap, *self.args, function), items)


def _same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        x, y = pl.read_parquet(a / f"{name}.parquet"), pl.read_parquet(b / f"{name}.parquet")
        assert x.schema == y.schema and x.equals(y), name


def test_dask_workers_give_one_runs_outputs(
    round_: ScenarioPaths, one_run: Path, engine: DaskEngine, tmp_path: Path
) -> None:
    run = write_partitioned(round_.province, [round_.submissions], tmp_path, files_per_part=3, engine=engine)
    assert run is not None
    _same_tables(one_run, tmp_path)


def test_a_killed_worker_is_retried(
    round_: ScenarioPaths, one_run: Path, engine: DaskEngine, tmp_path: Path
) -> None:
    marker = tmp_path / "killed-once"
    out = tmp_path / "out"
    killer = Wrapped(engine, _dies_once, marker)
    write_partitioned(round_.province, [round_.submissions], out, files_per_part=3, engine=killer)  # type: ignore[arg-type]
    assert marker.exists()
    _same_tables(one_run, out)


def test_parts_that_keep_failing_write_nothing(
    round_: ScenarioPaths, engine: DaskEngine, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(Exception, match=r"KilledWorker|died|killed"):
        write_partitioned(
            round_.province, [round_.submissions], out, files_per_part=3, engine=Wrapped(engine, _always_dies)
        )  # type: ignore[arg-type]
    assert not out.exists() or list(out.iterdir()) == []
