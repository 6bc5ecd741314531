"""validate --province links each row to the household reconcile links it to: one linker for both.

A row's household in validate is reconcile's ``matches.province_index`` for that row, whether the
link is ``matched`` or ``review`` and whatever its role (primary, secondary, member); a household
validate reports absent is one reconcile reports ``province_only``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from policy_scenarios import CONFIG, DESA, OTHER_DESA, Person, near, nik, write_province, write_submission

from verval_cli import reconcile
from verval_cli.config import Config
from verval_cli.ingest import ingest, ingest_province
from verval_cli.sample import SampleSpec, generate_truth, write_round
from verval_cli.validate import validate_paths
from verval_cli.validate.codes import VCode
from verval_cli.validate.province import linked_households

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
KEY = ["source_file", "source_sheet", "source_row"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("round")
    write_round(generate_truth(SampleSpec(seed=17, villages=5, kecamatan=2, level="individual")), folder)
    return folder


@pytest.fixture(scope="module")
def with_review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desa whose file has a review link, a duplicate and a household of another desa."""
    folder = tmp_path_factory.mktemp("review")
    born, other_year = dt.date(1971, 3, 4), dt.date(1980, 6, 7)
    head = Person("SUKIMAN HARJO", nik(11, born), born, "L", household_id="P0001")
    second = Person("WARSINI", nik(12, other_year, "P"), other_year, "P", household_id="P0002")
    elsewhere = Person("DARSONO", nik(13, born), born, "L", household_id="P0003", desa=OTHER_DESA)
    absent = Person("KARSIDI", nik(14, born), born, "L", household_id="P0004")
    write_province(folder, [head, second, elsewhere, absent])
    rows = [
        Person("SUKIMIN HARJONO", near(head.nik or ""), other_year, "L"),  # 9.07: review
        second,
        second,  # a duplicate: a secondary link
        Person("DARSONO", elsewhere.nik, born, "L", desa=DESA),  # listed in another desa
        Person("NAMA BARU", nik(99, other_year), other_year, "L", status="Baru"),
    ]
    write_submission(folder, rows)
    return folder


def _reconciled(folder: Path, config: Config) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(each submitted row's link, the households no row claims) as reconcile reports them."""
    matches = reconcile(folder / "province", folder / "submissions", config).matches
    rows = matches.filter(pl.col("submission_index").is_not_null()).select(
        pl.col("submission_file").alias("source_file"),
        pl.col("submission_sheet").alias("source_sheet"),
        pl.col("submission_row").alias("source_row"),
        pl.col("province_index").alias("reconcile_h"),
        "match_status",
        "link_role",
    )
    return rows, matches.filter(pl.col("match_status") == "province_only")


@pytest.mark.parametrize("which", ["sample_data", "generated", "with_review"])
def test_validate_links_every_row_where_reconcile_does(
    which: str, generated: Path, with_review: Path
) -> None:
    folder = {"sample_data": SAMPLE, "generated": generated, "with_review": with_review}[which]
    config = CONFIG if which == "with_review" else Config()
    reconciled, unclaimed = _reconciled(folder, config)
    province = ingest_province(folder / "province", config)
    batch = ingest(folder / "submissions", config, regency=province.regency)
    validated = linked_households(batch, province, province.regency, config.matching)

    both = reconciled.join(
        validated.select(*KEY, pl.col("h_idx").alias("validate_h")).with_columns(
            pl.col("source_row").cast(pl.Int64)
        ),
        on=KEY,
        how="full",
        coalesce=True,
        nulls_equal=True,
    )
    assert both.height == reconciled.height == validated.height  # the same rows on both sides
    differ = both.filter(pl.col("reconcile_h").ne_missing(pl.col("validate_h").cast(pl.Int64)))
    assert differ.height == 0, differ
    if which == "with_review":  # both kinds of link, and every role, are compared
        assert set(both["match_status"]) >= {"matched", "review"}
        assert set(both["link_role"].drop_nulls()) >= {"primary", "secondary"}

    # absent in validate = province_only in reconcile, for the desa the batch submitted
    report = validate_paths(folder / "submissions", config, province=province)
    absent = set(report.findings.filter(pl.col("code") == VCode.LISTED_HOUSEHOLD_ABSENT.value)["value"])
    submitted = {s.desa_code for s in report.sheets if s.desa_code}
    expected = set(unclaimed.filter(pl.col("desa_code").is_in(list(submitted)))["province_id"])
    assert absent == expected
