"""The bundled sample's findings by code must equal the committed golden counts.

A code that stops firing (a check silently switched off) or starts firing everywhere turns this red.
When a change is meant to move the counts, regenerate with ``make golden`` and commit the new file
with the change; this test never rewrites it.
"""

from __future__ import annotations

import json

from sample_golden import GOLDEN, sample_counts

from verval_cli.codes import CODES


def test_sample_findings_match_the_golden_counts() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    counts = sample_counts()
    assert counts["unexpected_codes"] == []
    # Compared code by code first, so the failure names the code that moved.
    for code, expected in golden["findings_by_code"].items():
        assert counts["findings_by_code"].get(code) == expected, (
            f"{code}: regenerate with `make golden` if meant"
        )
    assert counts == golden


def test_golden_file_lists_every_code() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert set(golden["findings_by_code"]) == {code.value for code in CODES}
    # The sample exercises the codes its damages produce (sample_data/README.md): these must not be 0.
    produced = {
        "nik_missing", "nik_invalid", "nik_excel_damaged", "nik_differs", "name_differs", "head_changed",
        "duplicate_in_submission", "in_other_village", "id_conflict", "status_unknown", "status_missing",
        "missing_from_submission", "new_household",
    }  # fmt: skip
    assert all(golden["findings_by_code"][code] > 0 for code in produced)


def test_golden_duplicates_agree_with_the_ground_truth() -> None:
    """An anchor outside the code: the sample's generator planted this many duplicate rows."""
    import polars as pl
    from sample_golden import SAMPLE

    truth = pl.read_parquet(SAMPLE / "truth" / "truth_rows.parquet")
    planted = truth.filter(pl.col("damages").list.contains("duplicate_row")).height
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["findings_by_code"]["duplicate_in_submission"] == planted
