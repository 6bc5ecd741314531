"""A generated multi-regency round (benchmarks/scenario.py) for the partitioned-reconcile tests.

The benchmark generator lives beside the package, not in it: the repository root is put on the path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scenario import ScenarioPaths, build_scenario, write_scenario  # noqa: E402


def province_round(folder: Path, households: int = 4000, regencies: int = 3, seed: int = 5) -> ScenarioPaths:
    """Write a round of ``regencies`` regencies (movers across their borders, NIKs listed twice)."""
    return write_scenario(build_scenario(households, seed, regencies), folder)


def cross_regency_rows(paths: ScenarioPaths) -> pl.DataFrame:
    """Truth rows (file_name, source_row, province_id) reported by a village of another regency."""
    truth = pl.read_parquet(paths.truth).filter(pl.col("province_id").is_not_null())
    listed = pl.read_parquet(paths.province).select(
        pl.col("id_keluarga_p3ke").alias("province_id"),
        pl.col("kode_kemdagri").str.slice(0, 4).alias("_listed"),
    )
    return (
        truth.join(listed, on="province_id")
        .filter(pl.col("file_name").str.slice(0, 4) != pl.col("_listed"))
        .select("file_name", "source_row", "province_id")
    )
