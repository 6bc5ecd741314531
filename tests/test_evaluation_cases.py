"""evaluate_by_case: accuracy per damage kind of the truth, and the in_other_village flag rate."""

from __future__ import annotations

import polars as pl

from verval_cli.evaluation import CASE_COLUMNS, case_table_text, evaluate_by_case


def _truth(rows: list[tuple[int, str | None, list[str], bool]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file_name": ["a.csv"] * len(rows),
            "source_sheet": [None] * len(rows),
            "source_row": [r[0] for r in rows],
            "province_id": [r[1] for r in rows],
            "damages": [r[2] for r in rows],
            "in_other_village": [r[3] for r in rows],
        },
        schema_overrides={"source_sheet": pl.Utf8, "damages": pl.List(pl.Utf8)},
    )


def _matches(rows: list[tuple[int, str | None, str, list[str]]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "submission_file": ["/in/a.csv"] * len(rows),
            "submission_sheet": [None] * len(rows),
            "submission_row": [r[0] for r in rows],
            "province_id": [r[1] for r in rows],
            "match_status": [r[2] for r in rows],
            "discrepancies": [r[3] for r in rows],
        },
        schema_overrides={"submission_sheet": pl.Utf8, "discrepancies": pl.List(pl.Utf8)},
    )


def test_each_damage_kind_is_a_case_and_undamaged_rows_are_clean() -> None:
    truth = _truth(
        [
            (2, "P1", [], False),
            (3, "P2", ["name_typo"], False),
            (4, "P3", ["name_typo", "other_village"], True),
            (5, "P4", ["other_village"], True),
            (6, None, [], False),
        ]
    )
    matches = _matches(
        [
            (2, "P1", "matched", []),
            (3, "P9", "matched", []),  # wrong household
            (4, "P3", "matched", ["in_other_village"]),
            (5, "P4", "review", []),
            (6, None, "submission_only", ["not_on_list"]),
        ]
    )
    cases = {r["case"]: r for r in evaluate_by_case(matches, truth).iter_rows(named=True)}
    assert set(cases) == {"clean", "name_typo", "other_village"}
    typo, other, clean = cases["name_typo"], cases["other_village"], cases["clean"]
    assert (typo["rows"], typo["accepted"], typo["accepted_correct"], typo["missed"]) == (2, 2, 1, 0)
    assert typo["precision"] == 0.5 and typo["recall"] == 0.5
    assert (
        other["review"],
        other["missed"],
        other["other_village_rows"],
        other["other_village_flagged"],
    ) == (
        1,
        1,
        2,
        1,
    )
    assert (clean["rows"], clean["true_links"], clean["accepted_correct"], clean["f1"]) == (2, 1, 1, 1.0)
    text = case_table_text(evaluate_by_case(matches, truth))
    assert text.splitlines()[0].startswith("case") and len(text.splitlines()) == 4
    assert evaluate_by_case(matches, truth).columns == list(CASE_COLUMNS)
