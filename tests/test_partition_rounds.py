"""The partitioned reconcile on the sample generator's rounds (Excel, household and individual level)
and on files that name no desa and compete for the same households from different parts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from policy_scenarios import CONFIG, DESA, OTHER_DESA, Person, nik, no_kk, write_province, write_submission

from verval_cli.partition import reconcile_partitioned
from verval_cli.reconcile import reconcile
from verval_cli.result import ReconcileResult
from verval_cli.sample import SampleSpec, generate_truth, write_round
from verval_cli.writers.partitioned import write_partitioned

FRAMES = ("matches", "province", "submissions", "discrepancies", "rejected", "review_reasons")
BORN = dt.date(1968, 7, 2)


def _same(a: ReconcileResult, b: ReconcileResult) -> None:
    for name in FRAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert x.schema == y.schema, name
        assert x.equals(y), name
    # ``run`` says when each was made: the same keys, the same verval
    assert a.summary["run"]["verval_version"] == b.summary["run"]["verval_version"]
    assert {**a.summary, "run": None} == {**b.summary, "run": None}


@pytest.mark.parametrize(
    "spec",
    [
        SampleSpec(seed=21, villages=8, kecamatan=4),
        SampleSpec(seed=22, villages=6, kecamatan=3, level="individual"),
    ],
    ids=["household", "individual"],
)
def test_generated_rounds(spec: SampleSpec, tmp_path: Path) -> None:
    write_round(generate_truth(spec), tmp_path)
    one = reconcile(tmp_path / "province", [tmp_path / "submissions"])
    _same(one, reconcile_partitioned(tmp_path / "province", [tmp_path / "submissions"], files_per_part=2))


def _household(serial: int, name: str, desa: str = DESA) -> Person:
    born = BORN + dt.timedelta(days=serial)
    return Person(name, nik(serial, born), born, "L", kk=no_kk(serial), rt=3, rw=1, desa=desa)


def test_files_without_a_desa_in_different_parts(tmp_path: Path) -> None:
    # Two files name no desa (their desa is voted by their NIK-linked rows, over the whole batch) and
    # report some of the same households as a file that names its desa; each file is its own part.
    listed = [_household(i, n) for i, n in enumerate(["SUKIRMAN", "PAIJO WIRYO", "TUMINAH", "SAMIDI"], 201)]
    listed.append(_household(205, "DARSONO", desa=OTHER_DESA))
    province = write_province(tmp_path, listed)
    by_name = dataclasses.replace(listed[2], nik=None)
    write_submission(tmp_path, [listed[0], listed[1], by_name, listed[4]], "a_hasil.csv")
    write_submission(tmp_path, [listed[1], listed[3]], "c_hasil.csv")
    write_submission(tmp_path, [listed[0], listed[3]], f"b_{DESA}.csv")
    one = reconcile(province, [tmp_path / "submissions"], CONFIG)
    assert one.submissions["desa_inferred"].any()
    for size in (1, 2):
        _same(one, reconcile_partitioned(province, [tmp_path / "submissions"], CONFIG, files_per_part=size))
        # Written part by part: the parts are not ranges of the rows here (a_hasil, c_hasil and the
        # desa's file interleave), so the single files are put back in one run's order.
        out = tmp_path / f"out{size}"
        write_partitioned(province, [tmp_path / "submissions"], out, CONFIG, files_per_part=size)
        for name in FRAMES:
            written = pl.read_parquet(out / f"{name}.parquet")
            assert written.equals(getattr(one, name)) and written.schema == getattr(one, name).schema, name


def test_files_that_cannot_be_read_and_lock_files(tmp_path: Path) -> None:
    # A broken workbook is a failure and an Office lock file a note, in the same order as one run's,
    # whichever part they fall in; an empty part (only the broken file) reads no rows.
    listed = [_household(i, n) for i, n in enumerate(["SUKIRMAN", "PAIJO WIRYO", "TUMINAH"], 301)]
    province = write_province(tmp_path, listed)
    write_submission(tmp_path, listed[:2], f"{DESA}_a.csv")
    (tmp_path / "submissions" / f"{OTHER_DESA}_rusak.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (tmp_path / "submissions" / f"~${DESA}_a.xlsx").write_bytes(b"lock")
    write_submission(tmp_path, listed[2:], f"{OTHER_DESA}_b.csv")
    one = reconcile(province, [tmp_path / "submissions"], CONFIG)
    assert one.failures and one.notes
    parted = reconcile_partitioned(province, [tmp_path / "submissions"], CONFIG, files_per_part=1)
    _same(one, parted)
    assert (one.failures, one.notes, one.sheets) == (parted.failures, parted.notes, parted.sheets)


def test_no_row_read_at_all_goes_the_one_run_way(tmp_path: Path) -> None:
    province = write_province(tmp_path, [_household(401, "SUKIRMAN")])
    inbox = tmp_path / "submissions"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / f"{DESA}_rusak.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    _same(reconcile(province, [inbox], CONFIG), reconcile_partitioned(province, [inbox], CONFIG))
    assert write_partitioned(province, [inbox], tmp_path / "out", CONFIG) is None


WIDE_BORN = dt.date(1968, 2, 9)


def test_rows_the_first_assignment_leaves_unlinked_are_searched_regency_wide(tmp_path: Path) -> None:
    # Each file its own part. The household lives in another desa: one file (no NIK, its own desa)
    # finds it only in link()'s regency-wide pass, which runs on the rows the first assignment (over
    # all parts) left unlinked; another file's row, listed by NIK, owns the household (a part earlier
    # or later in the batch), so the wide row is then a duplicate of it and the second assignment
    # (again over all parts) must see both.
    moved = Person("SITI AMINAH", nik(31, WIDE_BORN, "P"), WIDE_BORN, "P", rt=3, rw=1, desa=OTHER_DESA)
    alone = Person("PAIJEM RAHAYU", nik(33, WIDE_BORN, "P"), WIDE_BORN, "P", rt=2, rw=1, desa=OTHER_DESA)
    province = write_province(tmp_path, [moved, alone])
    unnumbered = Person("SITI AMINAH", None, WIDE_BORN, "P", rt=1, rw=2)
    write_submission(
        tmp_path, [unnumbered, dataclasses.replace(alone, nik=None, rt=1, rw=2)], f"a_{DESA}.csv"
    )
    write_submission(tmp_path, [moved], f"b_{OTHER_DESA}.csv")
    one = reconcile(province, [tmp_path / "submissions"], CONFIG)
    wide = one.matches.filter(pl.col("match_evidence").str.contains("desa=wide"))
    assert wide.height == 2 and set(wide["link_role"]) == {"primary", "secondary"}
    for size in (1, 2):
        _same(one, reconcile_partitioned(province, [tmp_path / "submissions"], CONFIG, files_per_part=size))
        out = tmp_path / f"out{size}"
        write_partitioned(province, [tmp_path / "submissions"], out, CONFIG, files_per_part=size)
        for name in FRAMES:
            written = pl.read_parquet(out / f"{name}.parquet")
            assert written.equals(getattr(one, name)) and written.schema == getattr(one, name).schema, name
