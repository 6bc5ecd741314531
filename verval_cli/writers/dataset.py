"""The reconcile outputs once more as a Parquet dataset partitioned by regency, hive-style.

``DIR/dataset/<table>/kab=<4 digits>/<n>.parquet`` for ``matches``, ``submissions``, ``province``
and ``discrepancies``: each row in the part of the regency of its ``desa_code`` (its first four
digits; ``kab=0000`` when the row has no desa). Within a part the rows keep the order of the single
file. The dataset is streamed from the single files already written (never held whole), built in a
temporary folder beside it and renamed into place, so a run that stops half-way leaves the previous
dataset (or none), never a mixture.

>>> import polars as pl
>>> pl.scan_parquet("hasil/dataset/matches/**/*.parquet", hive_partitioning=True)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Final

import polars as pl

from verval_cli import marks
from verval_cli.errors import OutputError

DATASET_DIR: Final = "dataset"
PARTITION_KEY: Final = "kab"
UNKNOWN_REGENCY: Final = "0000"
TABLES: Final = ("matches", "submissions", "province", "discrepancies")


def regency_expr(desa_column: str = "desa_code") -> pl.Expr:
    """The first four digits of a 10-digit desa code; UNKNOWN_REGENCY otherwise."""
    code = pl.col(desa_column).cast(pl.Utf8)
    own = pl.when(code.str.contains(r"^\d{10}$")).then(code.str.slice(0, 4))
    return pl.coalesce(own, pl.lit(UNKNOWN_REGENCY)).alias(PARTITION_KEY)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_dataset_streamed(out_dir: Path) -> Path:
    """``out_dir/dataset/`` streamed from the single files already written in ``out_dir`` (never held whole).

    Each regency's part is ``<table>/kab=<4 digits>/<n>.parquet`` (polars names the files); the dataset
    replaces a previous one whole, as :func:`write_dataset` does.
    """
    final = Path(out_dir) / DATASET_DIR
    try:
        building = Path(tempfile.mkdtemp(prefix=f".{DATASET_DIR}.", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"{final}: cannot write: {exc.strerror or exc}") from exc
    meta = marks.parquet_metadata(marks.RECONCILE_DATA)
    try:
        for name in TABLES:
            frame = pl.scan_parquet(Path(out_dir) / f"{name}.parquet").with_columns(regency_expr())
            target = pl.PartitionBy(building / name, key=PARTITION_KEY, include_key=False)
            frame.sink_parquet(target, mkdir=True, metadata=meta, compression="zstd", statistics=False)
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
