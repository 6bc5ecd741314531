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
        # keys absent from the table (rows past the last linked one): nulls, as a join gives
        (pl.Series([2, 3, 0, -1, 7]), ["C", None, "A", None, None]),
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


def _chunked(parts: int = 3) -> pl.DataFrame:
    """A frame whose columns are each in ``parts`` chunks (as a stack of files gives them)."""
    piece = pl.DataFrame({"code": ["33.04.03.2001", "3304032002", None], "n": [1, 2, 3]})
    return pl.concat([piece] * parts, rechunk=False)


def test_evaluated_is_select_in_one_chunk() -> None:
    from verval_cli.frames import evaluated

    frame = _chunked()
    exprs = [pl.col("code").str.replace_all(r"\D", "").alias("digits"), (pl.col("n") * 2).alias("twice")]
    out = evaluated(frame, *exprs)
    assert out.equals(frame.select(exprs))
    assert out.n_chunks("all") == [1, 1]


def test_normalised_frame_is_evenly_chunked() -> None:
    """Lookups joined back leave some columns chunked; the normalised frame comes back one chunk each.

    polars copies a frame whose columns are chunked differently on every later eager step (seconds at
    province scale), so this is a performance contract, checked here on a small frame.
    """
    from verval_cli.normalize import normalize_frame

    piece = pl.DataFrame(
        {
            "nik": ["3304031508950001", "3.30403E+15", None],
            "name": ["H. Soeparman", "TUKIYEM", None],
            "birth_date": ["15/08/1995", "-", "1960-01-01"],
        }
    )
    frame = pl.concat([piece] * 4, rechunk=False)
    out = normalize_frame(frame)
    assert set(out.n_chunks("all")) == {1}
    assert out.equals(normalize_frame(frame.rechunk()))
