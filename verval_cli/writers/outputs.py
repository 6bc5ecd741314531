"""Safe output writing: atomic files, guarded output folders, masking, inert spreadsheet text."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import marks
from verval_cli.errors import OutputError

# Cell text starting with one of these is run as a formula by Excel and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NIK_LIKE_COLUMNS = ("nik", "no_kk", "nik_corrected", "nik_raw", "no_kk_raw", "nik_corrected_raw")


def prepare_out_dir(out_dir: Path, *, force: bool, create: bool = True) -> None:
    """Create ``out_dir`` (unless not ``create``: the writers will); refuse a non-empty one unless ``force``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise OutputError(f"{out_dir}: folder is not empty; use --force to write into it")
    if not create:
        return
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create folder: {exc.strerror}") from exc


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is kept short: a target name near the 255-byte limit must still get one.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp creates the file private (0600); give it the mode a normal new file would have.
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Run ``write(tmp_path)`` and move the result to ``target`` atomically."""
    try:
        with atomic_path(target) as tmp:
            write(tmp)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return target


def write_parquet(frame: pl.DataFrame, target: Path, *, metadata: dict[str, str] | None = None) -> Path:
    """Parquet, atomically, with deterministic content for the same frame (and key-value ``metadata``)."""
    return write_atomic(
        target,
        lambda tmp: frame.write_parquet(
            tmp, compression="zstd", compression_level=1, statistics=False, metadata=metadata
        ),
    )


def write_json(data: Any, target: Path) -> Path:
    """Pretty JSON, atomically (UTF-8, keys in insertion order)."""

    def _write(tmp: Path) -> None:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")

    return write_atomic(target, _write)


def update_manifest(folder: Path, command: str, written: list[Path]) -> Path:
    """Add ``written`` (files in ``folder``) to the folder's manifest, atomically; returns its path."""
    return write_json(marks.manifest_data(folder, command, written), Path(folder) / marks.MANIFEST)


def mask_id_expr(column: str) -> pl.Expr:
    """``3304031508950001`` -> ``3304********0001``; other text keeps only its first 4 and last 4 characters."""
    value = pl.col(column).cast(pl.Utf8)
    n = value.str.len_chars()
    masked = pl.concat_str(
        value.str.slice(0, 4), pl.lit("*").repeat_by(n - 8).list.join(""), value.str.slice(-4)
    )
    return (
        pl.when(n > 8)
        .then(masked)
        .otherwise(pl.when(value.is_not_null()).then(pl.lit("*").repeat_by(n).list.join("")))
        .alias(column)
    )


def mask_frame(frame: pl.DataFrame, columns: tuple[str, ...] = NIK_LIKE_COLUMNS) -> pl.DataFrame:
    """Mask every NIK / No KK column present (also ``s_``/``p_``/``h_``-prefixed ones)."""
    targets = [c for c in frame.columns if c in columns or c.split("_", 1)[-1] in columns]
    targets += [c for c in frame.columns if c in ("submitted_value", "list_value", "suggested_value")]
    exprs = []
    for c in dict.fromkeys(targets):
        if c in ("submitted_value", "list_value", "suggested_value"):
            digits = pl.col(c).str.contains(r"^\d{12,}$").fill_null(False)
            exprs.append(pl.when(digits).then(mask_id_expr(c)).otherwise(pl.col(c)).alias(c))
        elif frame.schema[c] == pl.Utf8:
            exprs.append(mask_id_expr(c))
    return frame.with_columns(exprs) if exprs else frame


def inert_text(value: str) -> str:
    """Text that a spreadsheet will show as typed, never evaluate (formula injection guard)."""
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def inert_text_expr(column: str) -> pl.Expr:
    """Vectorised :func:`inert_text` for a text column."""
    starts = pl.col(column).str.contains(r"^[=+\-@\t\r]").fill_null(False)
    return pl.when(starts).then(pl.lit("'") + pl.col(column)).otherwise(pl.col(column)).alias(column)
