"""The reconcile outputs once more as a Parquet dataset partitioned by regency, hive-style.

``DIR/dataset/<table>/kab=<4 digits>/part-0.parquet`` for ``matches``, ``submissions``, ``province``
and ``discrepancies``: each row in the part of the regency of its ``desa_code`` (its first four
digits; ``kab=0000`` when the row has no desa). Within a part the rows keep the order of the single
file. The whole dataset is built in a temporary folder beside it and renamed into place, so a run
that stops half-way leaves the previous dataset (or none), never a mixture.

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
from verval_cli.result import ReconcileResult
from verval_cli.writers.outputs import mask_frame, write_parquet

DATASET_DIR: Final = "dataset"
PARTITION_KEY: Final = "kab"
UNKNOWN_REGENCY: Final = "0000"
PART_FILE: Final = "part-0.parquet"


def regency_expr(desa_column: str = "desa_code") -> pl.Expr:
    """The first four digits of a 10-digit desa code; UNKNOWN_REGENCY otherwise."""
    code = pl.col(desa_column).cast(pl.Utf8)
    own = pl.when(code.str.contains(r"^\d{10}$")).then(code.str.slice(0, 4))
    return pl.coalesce(own, pl.lit(UNKNOWN_REGENCY)).alias(PARTITION_KEY)


def _tables(result: ReconcileResult, mask_nik: bool) -> dict[str, pl.DataFrame]:
    def masked(frame: pl.DataFrame) -> pl.DataFrame:
        return mask_frame(frame) if mask_nik else frame

    return {
        "matches": result.matches,
        "submissions": masked(result.submissions),
        "province": masked(result.province),
        "discrepancies": masked(result.discrepancies),
    }


def _write_table(frame: pl.DataFrame, folder: Path) -> list[Path]:
    keyed = frame.with_columns(regency_expr()) if "desa_code" in frame.columns else None
    if keyed is None:
        keyed = frame.with_columns(pl.lit(UNKNOWN_REGENCY).alias(PARTITION_KEY))
    written = []
    parts = keyed.partition_by(PARTITION_KEY, maintain_order=True, include_key=False, as_dict=True)
    for (regency,), part in sorted(parts.items(), key=lambda item: str(item[0][0])):
        target = folder / f"{PARTITION_KEY}={regency}" / PART_FILE
        written.append(write_parquet(part, target, metadata=marks.parquet_metadata(marks.RECONCILE_DATA)))
    return written


def write_dataset(result: ReconcileResult, out_dir: Path, *, mask_nik: bool = False) -> list[Path]:
    """Write ``out_dir/dataset/`` (replacing a previous one whole); return the files, at their final paths."""
    final = Path(out_dir) / DATASET_DIR
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{DATASET_DIR}.", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"{final}: cannot write: {exc.strerror or exc}") from exc
    try:
        written = []
        for name, frame in _tables(result, mask_nik).items():
            written += _write_table(frame, building / name)
        os.chmod(building, 0o777 & ~_umask())
        old = final.with_name(f".{DATASET_DIR}.old")
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            os.replace(final, old)
        os.replace(building, final)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return [final / p.relative_to(building) for p in written]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
