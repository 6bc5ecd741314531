"""Folding an individual-level P3KE list into households."""

from __future__ import annotations

import polars as pl

from verval_cli.io import households_from_individuals


def _people() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source_file": ["p.xlsx"] * 6,
            "source_sheet": ["S"] * 6,
            "source_row": [2, 3, 4, 5, 6, 7],
            "household_id": ["H1", "H1", "H1", None, None, "H3"],
            "no_kk": [None, None, None, "KK2", "KK2", None],
            "name": ["ISTRI A", "SUPARNO", "ANAK A", "TUKIYEM", "ANAK B", "SENDIRI"],
            "nik": [
                "3304034101900001",
                "3304031508850002",
                None,
                "3304035708600003",
                "3304031201100004",
                None,
            ],
            "relation": ["Istri", "Kepala Keluarga", "Anak", "Anak", "Cucu", "KEPALA KELUARGA"],
        },
        schema_overrides={"source_row": pl.Int64},
    )


def test_one_row_per_family_with_the_heads_fields() -> None:
    households, _ = households_from_individuals(_people())
    assert households.select("household_key", "name", "member_count", "head_inferred").rows() == [
        ("id:H1", "SUPARNO", 3, False),
        ("kk:KK2", "TUKIYEM", 2, True),
        ("id:H3", "SENDIRI", 1, False),
    ]
    assert households["member_niks"].to_list() == [
        ["3304034101900001", "3304031508850002"],
        ["3304035708600003", "3304031201100004"],
        [],
    ]
    assert households["source_row"].to_list() == [3, 5, 7]


def test_members_keep_every_row_with_its_key() -> None:
    _, members = households_from_individuals(_people())
    assert members["source_row"].to_list() == [2, 3, 4, 5, 6, 7]
    assert members["household_key"].to_list() == ["id:H1", "id:H1", "id:H1", "kk:KK2", "kk:KK2", "id:H3"]


def test_rows_without_any_family_key_stand_alone() -> None:
    frame = _people().with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("household_id"), pl.lit(None, dtype=pl.Utf8).alias("no_kk")
    )
    households, _ = households_from_individuals(frame)
    assert households.height == 6
    assert households["household_key"][0] == "row:p.xlsx#S#2"
