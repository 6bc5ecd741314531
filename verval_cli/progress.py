"""The progress callback the library calls: a stage key, and files done out of total where known.

Library code never prints; the CLI turns these calls into a progress bar (``verval_cli.console``).
Stage keys: ``load``, ``normalise``, ``prepare``, ``link``, ``findings``, ``check``, ``annotate``,
``fix``, ``write``, ``village``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol


class Progress(Protocol):
    """``progress("load", 3, 41)``: stage ``load``, 3 of 41 files done; counts are optional."""

    def __call__(self, stage: str, done: int | None = None, total: int | None = None, /) -> None: ...


def file_counter(progress: Progress | None, stage: str, total: int) -> Callable[[], None]:
    """A thread-safe ``tick()`` reporting ``stage`` with one more file done each call (a no-op without one)."""
    if progress is None:
        return lambda: None
    lock = threading.Lock()
    done = [0]
    progress(stage, 0, total)

    def tick() -> None:
        with lock:
            done[0] += 1
            count = done[0]
        progress(stage, count, total)

    return tick


class StageTimer(Protocol):
    """Something that times named stages: ``with stage("link"): ...`` (benchmarks pass one)."""

    def __call__(self, name: str) -> AbstractContextManager[None]: ...


def stages(progress: Progress | None, timer: StageTimer | None = None) -> StageTimer:
    """A ``stage(name)`` context that tells ``progress`` the stage has started and times it with ``timer``."""

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if progress is not None:
            progress(name)
        if timer is None:
            yield
        else:
            with timer(name):
                yield

    return stage
