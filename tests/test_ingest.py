"""The one way in (``ingest``), the one province loader (``ingest_province``) and the one regency rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from verval_cli import schema
from verval_cli.config import Config
from verval_cli.errors import InputFileError, UsageError
from verval_cli.ingest import find_inputs, ingest, ingest_province, load_files
from verval_cli.io import load_tables
from verval_cli.row_desa import majority_regency

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
FILES = sorted(p for p in (SAMPLE / "submissions").iterdir() if p.is_file())


def test_one_file_is_read_and_normalised() -> None:
    batch = ingest(FILES[0])
    assert batch.frame.height > 0
    assert {"nik_raw", "nik", "nik_status"} <= set(batch.frame.columns)  # stage 2: normalised
    assert batch.frame[schema.SOURCE_FILE].unique().to_list() == [str(FILES[0])]
    assert {s.path for s in batch.sheets} == {str(FILES[0])}
    assert batch.failures == []


def test_a_folder_keeps_its_rows_and_the_layout_rows_set_aside() -> None:
    batch = ingest(SAMPLE / "submissions", regency="3304")
    assert batch.frame[schema.SOURCE_FILE].n_unique() == len(FILES)
    assert batch.frame.height == sum(s.data_rows for s in batch.sheets)
    # totals rows and signature blocks are kept, as rejected rows, not dropped
    assert batch.rejected.height > 0
    assert set(batch.rejected["reason"]) >= {"totals row"}


def test_a_bad_file_is_a_failure_and_the_others_are_read(tmp_path: Path) -> None:
    for p in FILES[:3]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "rusak.xlsx").write_bytes(b"not a workbook at all")
    batch = ingest(tmp_path)
    assert [Path(f.path).name for f in batch.failures] == ["rusak.xlsx"]
    assert batch.frame[schema.SOURCE_FILE].n_unique() == 3


def test_lock_files_are_noted_not_read(tmp_path: Path) -> None:
    shutil.copy(FILES[0], tmp_path / FILES[0].name)
    (tmp_path / f"~${FILES[0].name}").write_bytes(b"lock")
    batch = ingest(tmp_path)
    assert len(batch.notes) == 1 and batch.notes[0].skipped
    assert batch.failures == []


def test_nothing_to_read_raises(tmp_path: Path) -> None:
    with pytest.raises(InputFileError):
        ingest(tmp_path)


def test_a_batch_read_in_worker_processes_is_the_batch_read_here() -> None:
    """reconcile's outputs may not depend on how many processes read the files."""
    serial = load_tables(FILES, Config(), regency="3304")
    spread = load_files(FILES, Config(), regency="3304", workers=2)
    assert spread.frame.columns == serial.frame.columns
    assert spread.frame.equals(serial.frame)
    assert spread.rejected.equals(serial.rejected)
    assert spread.sheets == serial.sheets
    assert spread.failures == serial.failures


def test_the_province_list_is_prepared_for_linking() -> None:
    province = ingest_province(SAMPLE / "province")
    assert province.regency == "3304"
    assert province.households["h_idx"].to_list() == list(range(province.households.height))
    assert province.persons["h_idx"].is_in(province.households["h_idx"].implode()).all()
    assert province.households["desa_code"].null_count() == 0
    assert province.failures == []


def test_one_province_file_or_its_folder_give_the_same_list() -> None:
    folder = ingest_province(SAMPLE / "province")
    [only] = find_inputs(SAMPLE / "province").files
    assert ingest_province(only).households.equals(folder.households)


def test_a_bad_file_beside_the_province_list_is_a_failure_and_the_list_is_read(tmp_path: Path) -> None:
    [only] = find_inputs(SAMPLE / "province").files
    shutil.copy(only, tmp_path / only.name)
    (tmp_path / "daftar_rusak.xlsx").write_bytes(b"not a workbook")
    province = ingest_province(tmp_path)
    assert [Path(f.path).name for f in province.failures] == ["daftar_rusak.xlsx"]
    assert province.households.height == ingest_province(only).households.height
    assert {Path(s.path).name for s in province.sheets} == {only.name}


def test_a_province_list_without_rows_raises(tmp_path: Path) -> None:
    (tmp_path / "daftar.xlsx").write_bytes(b"broken")
    with pytest.raises(InputFileError):
        ingest_province(tmp_path / "daftar.xlsx")


def test_village_files_given_as_the_province_list_are_refused() -> None:
    with pytest.raises(UsageError):
        ingest_province(SAMPLE / "submissions")
    accepted = ingest_province(SAMPLE / "submissions", check=False)
    assert accepted.households.height > 0


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["3304011001", "3304022002", "3305011001"], "3304"),
        (["3305011001", "3304011001"], "3304"),  # a tie goes to the smallest code, whatever the order
        (["3402", "3401", "3402", "3401"], "3401"),
        ([None, "12", ""], None),
        ([], None),
    ],
)
def test_majority_regency(codes: list[str | None], expected: str | None) -> None:
    assert majority_regency(codes) == expected
    assert majority_regency(pl.Series(codes, dtype=pl.Utf8)) == expected
