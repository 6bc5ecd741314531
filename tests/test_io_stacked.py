"""Parquet files read as one stack give exactly what reading them one by one gives."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from verval_cli.io import LoadResult, load_tables
from verval_cli.io import loader as loader_module


def _village(rows: list[tuple[str | None, str | None, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kode_kemdagri": [r[0] for r in rows],
            "kepala_keluarga": [r[1] for r in rows],
            "nik": [r[2] for r in rows],
            "HASIL VERVAL": ["Ada" for _ in rows],
        },
        schema={c: pl.Utf8 for c in ("kode_kemdagri", "kepala_keluarga", "nik", "HASIL VERVAL")},
    )


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    """Files of several shapes, in an order that interleaves the column groups."""
    paths: list[Path] = []

    def save(name: str, frame: pl.DataFrame) -> None:
        path = tmp_path / name
        frame.write_parquet(path)
        paths.append(path)

    save("3304032001_a.parquet", _village([("3304032001", "SUPARNO", "3304031508950001"),
                                           ("3304032001", "TUKIYEM", "3304035708600002")]))  # fmt: skip
    # NIK stored as numbers, as a careless export does: a second column group with numeric-cell flags.
    save("b.parquet", pl.DataFrame({"nama": ["WAGIMAN", "PAINEM"], "nik": [3304031508950003, None],
                                    "desa": ["Kebanaran", "Kebanaran"], "rt": [1.0, 2.0]}))  # fmt: skip
    # Layout rows in the stack: a totals row and a signature block end this file, not the next one.
    save("3304032001_c.parquet", _village([("3304032001", "SARMI", "3304034101700004"),
                                           (None, "JUMLAH", None), (None, "Kepala Desa", None),
                                           (None, "SLAMET", None)]))  # fmt: skip
    save("3304032001_d.parquet", _village([("3304032001", "SLAMET", "3304031212650005")]))
    save("e_empty.parquet", _village([]))  # a header and no rows: a failure, not a silent skip
    save("f_fraction.parquet", pl.DataFrame({"nama": ["KARSO"], "nik": [3304031508950006],
                                             "desa": ["Kebanaran"], "rt": [1.5]}))  # fmt: skip
    (tmp_path / "g_broken.parquet").write_bytes(b"PAR1 not really parquet PAR1")
    paths.append(tmp_path / "g_broken.parquet")
    save("h_no_header.parquet", pl.DataFrame({"x": ["1"], "y": ["2"]}))
    save("i_blank_rows.parquet", pl.DataFrame({"nama": ["KASMAN", None, "  "], "nik": ["3304031508950007", None, ""],
                                               "desa": ["Kebanaran", None, None]}))  # fmt: skip
    return paths


def _one_by_one(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> LoadResult:
    with monkeypatch.context() as patch:
        patch.setattr(loader_module, "_sniffed", lambda path: None)  # no file is known as Parquet
        return load_tables(paths, regency="3304")


def test_stacked_parquet_equals_file_by_file(batch: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    read_alone: list[str] = []
    per_file = loader_module._load_file
    with monkeypatch.context() as patch:
        patch.setattr(
            loader_module, "_load_file", lambda path, *a: read_alone.append(path.name) or per_file(path, *a)
        )
        stacked = load_tables(batch, regency="3304")
    # only the files the stack cannot take are read alone (and they say why)
    assert sorted(read_alone) == ["g_broken.parquet", "h_no_header.parquet"]
    single = _one_by_one(batch, monkeypatch)
    assert_frame_equal(stacked.frame, single.frame)
    assert_frame_equal(stacked.rejected, single.rejected)
    assert [asdict(r) for r in stacked.sheets] == [asdict(r) for r in single.sheets]
    assert [asdict(f) for f in stacked.failures] == [asdict(f) for f in single.failures]


def test_stacked_parquet_accounts_for_every_row(batch: list[Path]) -> None:
    result = load_tables(batch, regency="3304")
    failed = {f.path for f in result.failures}
    assert failed == {str(p) for p in batch if p.stem in ("e_empty", "g_broken", "h_no_header")}
    by_file = dict(result.frame.group_by("source_file").len().iter_rows())
    for report in result.sheets:
        assert by_file[report.path] == report.data_rows
    assert sum(r.data_rows + r.layout_rows + r.blank_rows for r in result.sheets) == 2 + 2 + 4 + 1 + 1 + 3
    # the signature block of file c ends at its own last row; file d's household is kept
    c_rows = result.rejected.filter(pl.col("source_file").str.contains("_c.parquet"))
    assert c_rows["reason"].to_list() == ["totals row", "signature block", "signature block"]
    assert result.frame.filter(pl.col("source_file").str.contains("_d.parquet")).height == 1
    # whole floats lose ".0" per file; a file with a fraction keeps it
    rt = result.frame.group_by("source_file", maintain_order=True).agg(pl.col("rt").drop_nulls())
    as_read = dict(rt.iter_rows())
    assert as_read[str(batch[1])] == ["1", "2"] and as_read[str(batch[5])] == ["1.5"]
    flags = result.frame.filter(pl.col("source_file") == str(batch[1]))["nik_numeric_cell"].to_list()
    assert flags == [True, None]


def test_a_parquet_file_given_twice_is_read_twice_with_its_own_rows(batch: list[Path]) -> None:
    twice = load_tables([batch[0], batch[3], batch[0]], regency="3304")
    rows = twice.frame.group_by("source_file", maintain_order=True).agg(pl.col("source_row"))
    assert rows["source_row"].to_list() == [[2, 3, 2, 3], [2]]
    assert [r.data_rows for r in twice.sheets] == [2, 1, 2]
