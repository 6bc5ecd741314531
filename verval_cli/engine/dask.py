"""The parts of a partitioned run on Dask distributed: a local cluster of N worker processes, or a
running cluster's scheduler address. Needs the optional extra ``verval[cluster]``.

Each part's work is one Dask task; a task whose worker dies is run again on another worker (up to
``RETRIES`` times), since a task only (re)writes its own files in the run's scratch folder, each file
atomically. When a task still fails, the run raises and writes no output. Workers of a remote cluster
must see the scratch folder at the same path (a shared file system).

>>> with DaskEngine(workers=2) as engine:            # doctest: +SKIP
...     write_partitioned("daftar.parquet", "inbox/", Path("hasil"), engine=engine)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from verval_cli.errors import UsageError

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741
RETRIES = 2


class DaskEngine:
    """``map`` on a Dask cluster: ``workers`` local worker processes, or the scheduler at ``address``."""

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        self.workers = workers
        self.address = address
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        try:
            distributed = importlib.import_module("distributed")  # optional: typed as Any on purpose
        except ImportError as exc:
            raise UsageError(
                "the Dask engine needs the cluster extra: pip install 'verval[cluster]'"
            ) from exc
        if self.address is not None:
            self._client = distributed.Client(self.address)
        else:
            # One thread per worker: polars and rapidfuzz spread a part over the cores themselves.
            self._cluster = distributed.LocalCluster(
                n_workers=self.workers or 2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = distributed.Client(self._cluster)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def map(self, function: Callable[[I], T], items: Sequence[I]) -> list[T]:
        if self._client is None:
            raise RuntimeError("DaskEngine is used inside a with block")
        futures = self._client.map(function, list(items), pure=False, retries=RETRIES)
        return list(self._client.gather(futures))
