"""Where the parts of a partitioned run are worked on: here, one after another, or on a Dask cluster.

An engine has one method, ``map(function, items)``: the function's results for each item, in the
items' order. The functions the partitioned run maps are plain module-level functions of one part
that read and write the run's scratch folder (:mod:`verval_cli.partition_link`), so any engine that
can call a function in another process can run them; every global step (the assignment, the
numbering of the rows) stays with the caller.

``LocalEngine`` runs them here, one part at a time. ``DaskEngine`` (:mod:`verval_cli.engine.dask`,
the optional extra ``verval[cluster]``) runs them on the workers of a Dask distributed cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741


class Engine(Protocol):
    """Runs a function over the parts; results in the parts' order."""

    def map(self, function: Callable[[I], T], items: Sequence[I]) -> list[T]: ...


class LocalEngine:
    """One part after another, in this process."""

    def map(self, function: Callable[[I], T], items: Sequence[I]) -> list[T]:
        return [function(item) for item in items]
