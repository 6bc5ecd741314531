"""Every count in summary.json names its unit; the units were added without changing any existing key."""

from __future__ import annotations

from pathlib import Path

import pytest

from verval_cli.reconcile import reconcile
from verval_cli.result import ReconcileResult

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def summary() -> dict[str, object]:
    result: ReconcileResult = reconcile(SAMPLE / "province", [SAMPLE / "submissions"])
    return result.summary


def test_every_count_names_its_unit(summary: dict[str, object]) -> None:
    units = summary["units"]
    assert isinstance(units, dict)
    for section in ("kecamatan", "desa"):
        rows = summary[section]
        assert isinstance(rows, list) and rows
        counted = {k for k, v in rows[0].items() if isinstance(v, int) and not isinstance(v, bool)}
        assert counted <= set(units[section]), counted - set(units[section])
    balance = summary["balance"]
    assert isinstance(balance, dict)
    counted = {k for k, v in balance.items() if isinstance(v, int) and not isinstance(v, bool)}
    assert counted == set(units["balance"])
    for key in ("totals", "totals_households", "by_status", "by_discrepancy"):
        assert units[key], key
    assert summary["totals_unit"] == "rows"


def test_household_totals_are_the_console_table_and_rows_stay_rows(summary: dict[str, object]) -> None:
    kecamatan = summary["kecamatan"]
    households = summary["totals_households"]
    totals = summary["totals"]
    assert isinstance(kecamatan, list) and isinstance(households, dict) and isinstance(totals, dict)
    for key in ("listed", "matched", "review", "not_reported"):
        assert households[key] == sum(int(row[key]) for row in kecamatan)
    assert households["matched"] < totals["matched"]  # duplicates and members are rows, not households
    assert households["not_reported"] == totals["province_only"]


def test_existing_keys_are_unchanged(summary: dict[str, object]) -> None:
    old = {
        "regency",
        "regency_name",
        "totals",
        "by_status",
        "by_discrepancy",
        "kecamatan",
        "desa",
        "balance",
        "failures",
    }
    assert old <= set(summary)
    assert set(summary) - old == {
        "totals_households",
        "totals_unit",
        "units",
        "input_notes",
        "files_without_status",
        "input_files",  # issue 21: name, size and SHA-256 of each submission file (resent = hash changed)
        "run",  # issue 21: when this run was written, by which verval
    }
