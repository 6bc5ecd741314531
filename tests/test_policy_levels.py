"""The policy is data: the scorer follows ``rules.COMPARISONS`` as it finds it when it runs.

Adding a level, or a whole comparison, is one edit of rules.py: no other module names the levels. Here
the edit is made with monkeypatch, and a reconcile shows the new level in the link's evidence, weighed
as declared and counted in the score.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from policy_scenarios import Person, evidence, nik, row, run

from verval_cli.matching import rules

BORN = dt.date(1971, 3, 4)
LISTED = Person("SUKIMAN HARJO", nik(11, BORN), BORN, "L")
# Another second name: no level of today's name comparison supports it.
SUBMITTED = dataclasses.replace(LISTED, name="SUKIMAN BUDIYONO")

_first_word = r"^(\S+)"
FIRST_WORD = rules.Level(
    "first_word",
    pl.col("s_name").str.extract(_first_word) == pl.col("p_name").str.extract(_first_word),
    2.32,  # log2(0.05 / 0.01)
)


def _with_level(comparison: str, level: rules.Level, before: str) -> tuple[rules.Comparison, ...]:
    """rules.COMPARISONS with ``level`` inserted before the level named ``before``."""
    out = []
    for c in rules.COMPARISONS:
        if c.name == comparison:
            at = [lv.name for lv in c.levels].index(before)
            c = dataclasses.replace(c, levels=(*c.levels[:at], level, *c.levels[at:]))
        out.append(c)
    return tuple(out)


def _total(found: dict[str, tuple[str, float]]) -> float:
    return sum(weight for _, weight in found.values())


def test_today_no_name_level_supports_the_other_second_name(tmp_path: Path) -> None:
    found = evidence(row(run(tmp_path, [LISTED], [SUBMITTED]))["match_evidence"])
    assert found["name"][0] in (rules.LOW, rules.DIFFERS)
    assert found["name"][1] < 0


def test_a_level_added_to_the_policy_is_scored_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "COMPARISONS", _with_level("name", FIRST_WORD, before=rules.LOW))
    got = row(run(tmp_path, [LISTED], [SUBMITTED]))
    found = evidence(got["match_evidence"])
    assert found["name"] == ("first_word", pytest.approx(FIRST_WORD.weight, abs=0.051))
    assert "name=first_word(2.3)" in got["match_evidence"]
    assert list(found) == [c.name for c in rules.COMPARISONS]
    assert got["match_score"] == pytest.approx(rules.score_from_weight(_total(found)), abs=0.2)
    # An earlier level still wins: the listed name itself is exact, not first_word.
    exact = row(run(tmp_path / "exact", [LISTED], [LISTED]))
    assert evidence(exact["match_evidence"])["name"][0] == rules.EXACT


def test_a_comparison_added_to_the_policy_is_scored_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    region = pl.col("s_nik").str.slice(0, 6) == pl.col("p_nik").str.slice(0, 6)
    known = pl.col("s_nik").is_not_null() & pl.col("p_nik").is_not_null()
    nik_region = rules.Comparison(
        "nik_region",
        (rules.Level(rules.SAME, known & region, 1.5), rules.Level(rules.DIFFERS, known, -1.5)),
        person=True,
    )
    monkeypatch.setattr(rules, "COMPARISONS", (*rules.COMPARISONS, nik_region))
    got = row(run(tmp_path, [LISTED], [SUBMITTED]))
    assert got["match_evidence"].endswith(" nik_region=same(1.5)")
    found = evidence(got["match_evidence"])
    assert got["match_score"] == pytest.approx(rules.score_from_weight(_total(found)), abs=0.2)


def test_a_weight_edited_in_the_policy_is_the_weight_scored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sex = next(c for c in rules.COMPARISONS if c.name == "sex")
    heavier = dataclasses.replace(
        sex, levels=(dataclasses.replace(sex.levels[0], weight=3.0), *sex.levels[1:])
    )
    monkeypatch.setattr(rules, "COMPARISONS", tuple(heavier if c is sex else c for c in rules.COMPARISONS))
    got = row(run(tmp_path, [LISTED], [LISTED]))
    assert evidence(got["match_evidence"])["sex"] == (rules.SAME, 3.0)


def test_weights_table_is_the_levels_weights() -> None:
    assert {c.name: {lv.name: lv.weight for lv in c.levels} for c in rules.COMPARISONS} == rules.WEIGHTS
    assert rules.METHODS == ("id", "nik", "nik_repaired", "kk", "name")


@pytest.mark.parametrize("names", [("same", "same"), ("same", rules.UNKNOWN)])
def test_level_names_are_distinct_and_never_unknown(names: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="distinct"):
        rules.Comparison("x", tuple(rules.Level(n, pl.lit(True), 0.0) for n in names), person=False)


def test_the_policy_functions_take_numbers_and_columns() -> None:
    """name_exact_weight and score_from_weight are the scorer's own expressions, evaluated on a number."""
    frame = pl.DataFrame({"f": [0.0005, 0.01, None], "w": [-5.0, 2.6, 12.0]})
    got = frame.select(
        rules.name_exact_weight(pl.col("f")).alias("f"), rules.score_from_weight(pl.col("w")).alias("w")
    )
    assert got["f"].to_list() == [
        rules.name_exact_weight(0.0005),
        rules.name_exact_weight(0.01),
        rules.name_exact_weight(0.0),
    ]
    assert got["w"].to_list() == [rules.score_from_weight(w) for w in (-5.0, 2.6, 12.0)]
    assert rules.score_from_weight(-rules.PRIOR) == 50.0
