"""Small frame operations shared by the matcher and the reconcile."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl


def numbered(frame: pl.DataFrame, key: str) -> bool:
    """Whether ``frame``'s ``key`` column is its row position (0, 1, 2, ...): then a key is a row number."""
    return frame.height == 0 or bool((frame[key] == pl.int_range(frame.height, eager=True)).all())


def beside(frame: pl.DataFrame, key: str, at: pl.Series, columns: Iterable[str], prefix: str) -> pl.DataFrame:
    """``frame``'s ``columns`` (prefixed) for each value of ``at`` in its ``key`` column, in ``at``'s order.

    A null in ``at`` gives a row of nulls.

    The prepared tables number their rows 0, 1, 2, ... in ``key``: then the side is a gather by position;
    otherwise a join.
    """
    wanted = [pl.col(c).alias(f"{prefix}{c}") for c in columns if c != key]
    if frame.height and numbered(frame, key):
        # A key past the frame's last row (a row that links to nothing after rows that all link) is
        # absent from ``frame``: it gathers a null, as a join would give, never an out-of-bounds error.
        position = at.cast(pl.Int64)
        if not position.is_between(0, frame.height - 1).fill_null(True).all():
            inside = pl.col("p").is_between(0, frame.height - 1)
            position = position.to_frame("p").select(pl.when(inside).then("p")).to_series()
        return frame.select(wanted).select(pl.all().gather(position))
    keyed = frame.select(pl.col(key).alias("_at"), *wanted)
    at = at.cast(keyed.schema["_at"]).rename("_at")
    found = at.to_frame().join(keyed, on="_at", how="left", maintain_order="left")
    return found.drop("_at")


def evaluated(frame: pl.DataFrame, *exprs: pl.Expr) -> pl.DataFrame:
    """``frame.select(*exprs)`` on polars' streaming engine, each column in one chunk.

    The in-memory engine runs an element-wise text expression over a one-chunk column on one core;
    the streaming engine spreads it over the cores in morsels. The result is put back into one chunk:
    set beside a frame whose columns are single chunks, it keeps that frame evenly chunked (polars
    copies an unevenly chunked frame whole on each later step).
    """
    return frame.lazy().select(*exprs).collect(engine="streaming").rechunk()
