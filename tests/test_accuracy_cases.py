"""Accuracy per case on generated rounds with the harder cases of issue 20 switched on (``damage.HARD``).

New seeds and another regency than the sample's; the thresholds are the issue's targets, not fitted.
"""

from __future__ import annotations

import polars as pl
import pytest

from verval_cli.evaluation import evaluate, evaluate_by_case
from verval_cli.reconcile import reconcile
from verval_cli.sample import HARD, SampleSpec, generate_truth, write_round
from verval_cli.sample.damage import NAME_PATRONYM, NAME_WORD_DROPPED, NIK_OF_MEMBER


@pytest.fixture(scope="module")
def hard_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame]:
    out = tmp_path_factory.mktemp("round_hard")
    spec = SampleSpec(seed=61, regency="33.06", villages=20, kecamatan=8, level="individual", damage=HARD)
    write_round(generate_truth(spec), out)
    result = reconcile(out / "province", [out / "submissions"])
    return result.matches, pl.read_parquet(out / "truth" / "truth_rows.parquet")


def test_individual_level_round_with_the_hard_cases(hard_round: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    matches, truth = hard_round
    accuracy = evaluate(matches, truth)
    p, r = accuracy.precision, accuracy.recall
    assert accuracy.rows_missing_from_matches == 0 and accuracy.rows_duplicated_in_matches == 0
    assert p >= 0.999, accuracy.to_dict()
    assert 2 * p * r / (p + r) >= 0.998, accuracy.to_dict()
    assert accuracy.review_share <= 0.02, accuracy.to_dict()


def test_each_hard_case_is_present_and_found(hard_round: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    cases = {row["case"]: row for row in evaluate_by_case(*hard_round).iter_rows(named=True)}
    for kind in (NIK_OF_MEMBER, NAME_WORD_DROPPED, NAME_PATRONYM):
        assert cases[kind]["rows"] > 0, f"the round has no {kind} rows"
        assert cases[kind]["precision"] == 1.0, cases[kind]
        assert cases[kind]["recall"] >= 0.9, cases[kind]


def test_households_found_in_another_village_are_flagged(
    hard_round: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    table = evaluate_by_case(*hard_round)
    total = table.select(pl.col("other_village_rows").sum(), pl.col("other_village_flagged").sum()).row(0)
    # every row of another village's file is counted once per damage kind it has: the ratio holds overall
    assert total[0] > 0 and total[1] >= 0.95 * total[0], table
