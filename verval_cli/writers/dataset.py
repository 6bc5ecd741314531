"""The reconcile outputs once more as a Parquet dataset partitioned by regency, hive-style.

``DIR/dataset/<table>/kab=<4 digits>/part-<n>.parquet`` for ``matches``, ``submissions``,
``province`` and ``discrepancies``: each row in the folder of the regency of its ``desa_code`` (its
first four digits; ``kab=0000`` when the row has no desa). Each file keeps the single file's order. The
dataset is built in a temporary folder beside it and renamed into place, so a run that stops half-way
leaves the previous dataset (or none), never a mixture.

>>> import polars as pl
>>> pl.scan_parquet("hasil/dataset/matches/**/*.parquet", hive_partitioning=True)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final

import polars as pl

from verval_cli import marks
from verval_cli.errors import OutputError
from verval_cli.writers.outputs import write_parquet

DATASET_DIR: Final = "dataset"
PARTITION_KEY: Final = "kab"
UNKNOWN_REGENCY: Final = "0000"


def regency_expr(desa_column: str = "desa_code") -> pl.Expr:
    """The first four digits of a 10-digit desa code; UNKNOWN_REGENCY otherwise."""
    code = pl.col(desa_column).cast(pl.Utf8)
    own = pl.when(code.str.contains(r"^\d{10}$")).then(code.str.slice(0, 4))
    return pl.coalesce(own, pl.lit(UNKNOWN_REGENCY)).alias(PARTITION_KEY)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


Piece = Callable[[], pl.DataFrame]


def write_dataset(out_dir: Path, tables: Mapping[str, Sequence[Piece]]) -> Path:
    """``out_dir/dataset/``: each table's pieces (loaded one at a time) split by regency.

    Piece ``n`` of a table goes to ``<table>/kab=<regency>/part-<n>.parquet``: a piece is a part of
    the run (mostly one regency), so only a part is held at a time. The dataset replaces a previous
    one whole.
    """
    final = Path(out_dir) / DATASET_DIR
    try:
        building = Path(tempfile.mkdtemp(prefix=f".{DATASET_DIR}.", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"{final}: cannot write: {exc.strerror or exc}") from exc
    meta = marks.parquet_metadata(marks.RECONCILE_DATA)
    try:
        for name, pieces in tables.items():
            for n, load in enumerate(pieces):
                keyed = load().with_columns(regency_expr())
                split = keyed.partition_by(
                    PARTITION_KEY, maintain_order=True, include_key=False, as_dict=True
                )
                for (regency,), part in split.items():
                    target = building / name / f"{PARTITION_KEY}={regency}" / f"part-{n:05d}.parquet"
                    write_parquet(part, target, metadata=meta)
        _swap(building, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return final


def _swap(building: Path, final: Path) -> None:
    """Put the finished ``building`` folder at ``final``, the previous one (if any) removed after."""
    os.chmod(building, 0o777 & ~_umask())
    old = final.with_name(f".{DATASET_DIR}.old")
    shutil.rmtree(old, ignore_errors=True)
    try:
        if final.exists():
            os.replace(final, old)
        os.replace(building, final)
    except OSError as exc:
        raise OutputError(f"{final}: cannot write: {exc.strerror or exc}") from exc
    shutil.rmtree(old, ignore_errors=True)
