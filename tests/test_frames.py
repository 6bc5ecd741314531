"""beside(): one table's columns set beside another's keys, by position or by join, nulls kept."""

from __future__ import annotations

import polars as pl
import pytest

from verval_cli.frames import beside

TABLE = pl.DataFrame({"k": [0, 1, 2], "name": ["A", "B", "C"]})


@pytest.mark.parametrize("table", [TABLE, TABLE.reverse()], ids=["numbered in order", "shuffled"])
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (pl.Series([2, None, 0, 2]), ["C", None, "A", "C"]),
        (pl.Series([None, None], dtype=pl.Int64), [None, None]),
        (pl.Series([None, None]), [None, None]),  # no links at all: a column of dtype Null
        (pl.Series([], dtype=pl.Int64), []),
    ],
)
def test_beside_takes_each_key_in_order(
    table: pl.DataFrame, at: pl.Series, expected: list[str | None]
) -> None:
    out = beside(table, "k", at, ["k", "name"], "p_")
    assert out.columns == ["p_name"]
    assert out["p_name"].to_list() == expected


def test_numbered_means_each_key_is_its_row_position() -> None:
    from verval_cli.frames import numbered

    assert numbered(pl.DataFrame({"k": [0, 1, 2]}), "k")
    assert numbered(pl.DataFrame({"k": []}, schema={"k": pl.Int64}), "k")
    # sorted, first 0 and last n-1, yet a repeated key: not row positions
    assert not numbered(pl.DataFrame({"k": [0, 1, 1, 3]}), "k")
    assert not numbered(pl.DataFrame({"k": [1, 0, 2]}), "k")
