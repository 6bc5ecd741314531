"""Known answers for turning scored pairs into links (`verval_cli/matching/assign.py`).

The scored frame is built by hand here: `assign` only reads the keys (s_idx, h_idx, t_idx), the
weight and the score, so each rule (one primary link per row and per household, the greedy order,
the accept threshold, the ambiguity margin, secondary links, members of one household) can be put on
each side of its boundary without a whole reconcile.
"""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from verval_cli.config import MatchingConfig
from verval_cli.matching import rules
from verval_cli.matching.assign import assign, best_per_household, greedy_one_to_one, primary_rows

THRESHOLDS = MatchingConfig()  # accept 85, review 60


def _scored(rows: list[tuple[int, int, int, float, float]]) -> pl.DataFrame:
    """(s_idx, h_idx, t_idx, weight, score) rows as the scorer would hand them over."""
    return pl.DataFrame(
        rows,
        schema={
            "s_idx": pl.Int64,
            "h_idx": pl.Int64,
            "t_idx": pl.Int64,
            "weight": pl.Float64,
            "score": pl.Float64,
        },
        orient="row",
    )


def _links(rows: list[tuple[int, int, int, float, float]]) -> dict[int, tuple[int, str, str]]:
    """s_idx -> (h_idx, role, match_status) of what `assign` decided."""
    out = assign(_scored(rows), THRESHOLDS)
    return {
        s: (h, role, status)
        for s, h, role, status in out.select("s_idx", "h_idx", "role", "match_status").iter_rows()
    }


def _greedy_by_hand(pairs: list[tuple[int, int, float]]) -> set[tuple[int, int]]:
    """The one-at-a-time greedy: heaviest pair first, ties by s_idx then h_idx."""
    rows: set[int] = set()
    households: set[int] = set()
    chosen = set()
    for s, h, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if s not in rows and h not in households:
            rows.add(s)
            households.add(h)
            chosen.add((s, h))
    return chosen


def _greedy(pairs: list[tuple[int, int, float]], max_rounds: int = 100) -> set[tuple[int, int]]:
    frame = pl.DataFrame(
        pairs, schema={"s_idx": pl.Int64, "h_idx": pl.Int64, "weight": pl.Float64}, orient="row"
    )
    return set(greedy_one_to_one(frame, max_rounds=max_rounds).iter_rows())


# --- the greedy one-to-one choice ----------------------------------------------------------------------------
def test_greedy_takes_the_heaviest_pair_first_not_each_rows_best() -> None:
    # Row 0 fits household 0 best (10) but row 1 fits it better (12): row 1 takes it, row 0 gets household 1.
    assert _greedy([(0, 0, 10.0), (0, 1, 9.0), (1, 0, 12.0)]) == {(1, 0), (0, 1)}


def test_greedy_breaks_equal_weights_by_row_then_household() -> None:
    assert _greedy([(1, 0, 10.0), (0, 0, 10.0)]) == {(0, 0)}
    assert _greedy([(0, 1, 10.0), (0, 0, 10.0)]) == {(0, 0)}


def test_greedy_chain_needs_several_rounds() -> None:
    # Each pair is only the mutual best once the heavier one before it is taken: 3 rounds.
    pairs = [(0, 0, 10.0), (1, 0, 9.0), (1, 1, 8.0), (2, 1, 7.0), (2, 2, 6.0)]
    assert _greedy(pairs) == {(0, 0), (1, 1), (2, 2)}
    # Stopped after one round, the rest is finished one pair at a time, with the same answer.
    assert _greedy(pairs, max_rounds=1) == {(0, 0), (1, 1), (2, 2)}
    assert _greedy(pairs, max_rounds=0) == {(0, 0), (1, 1), (2, 2)}


def test_greedy_of_nothing_is_an_empty_integer_frame() -> None:
    empty = pl.DataFrame(schema={"s_idx": pl.Int32, "h_idx": pl.Int32, "weight": pl.Float64})
    out = greedy_one_to_one(empty)
    assert out.height == 0
    assert out.schema == pl.Schema({"s_idx": pl.Int64, "h_idx": pl.Int64})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from([5.0, 6.0, 6.5, 7.0, 9.0])),
        min_size=1,
        max_size=25,
        unique_by=lambda p: (p[0], p[1]),
    ),
    st.integers(0, 3),
)
def test_greedy_rounds_equal_the_one_at_a_time_greedy(
    pairs: list[tuple[int, int, float]], max_rounds: int
) -> None:
    # Few distinct weights make many ties; few rounds force the one-pair-at-a-time finish.
    assert _greedy(pairs, max_rounds=max_rounds) == _greedy_by_hand(pairs)
    assert _greedy(pairs) == _greedy_by_hand(pairs)


# --- the best person pair of each (row, household) ---------------------------------------------------------------
def test_best_per_household_keeps_the_heaviest_member_ties_by_person() -> None:
    scored = _scored([(0, 0, 1, 5.0, 70.0), (0, 0, 2, 9.0, 90.0), (0, 0, 3, 9.0, 90.0), (1, 0, 1, 4.0, 65.0)])
    kept = best_per_household(scored).select("s_idx", "h_idx", "t_idx").rows()
    assert kept == [(0, 0, 2), (1, 0, 1)]


# --- thresholds ----------------------------------------------------------------------------------------------------
def test_accept_threshold_is_inclusive() -> None:
    assert _links([(0, 0, 0, 12.0, THRESHOLDS.accept)])[0] == (0, "primary", "matched")
    assert _links([(0, 0, 0, 12.0, THRESHOLDS.accept - 0.01)])[0] == (0, "primary", "review")


def test_review_threshold_is_inclusive() -> None:
    assert _links([(0, 0, 0, 5.0, THRESHOLDS.review)])[0] == (0, "primary", "review")
    assert _links([(0, 0, 0, 5.0, THRESHOLDS.review - 0.01)]) == {}


def test_primary_rows_are_the_rows_assign_links() -> None:
    # Row 1 is under the review score; row 3 only fits household 0, which row 0 owns (a duplicate): it
    # has a pair but no primary link, so the fuzzy stage still looks for its own household.
    rows = [(0, 0, 0, 12.0, 95.0), (1, 1, 1, 5.0, 59.0), (2, 1, 1, 6.0, 70.0), (3, 0, 0, 10.0, 90.0)]
    assert sorted(primary_rows(_scored(rows), THRESHOLDS)["s_idx"].to_list()) == [0, 2]
    assert _links(rows)[3] == (0, "secondary", "matched")


# --- the ambiguity margin --------------------------------------------------------------------------------------------
def test_a_rival_exactly_the_margin_behind_does_not_block() -> None:
    best = 12.0
    assert _links([(0, 0, 0, best, 95.0), (0, 1, 1, best - rules.AMBIGUITY_MARGIN, 90.0)])[0] == (
        0,
        "primary",
        "matched",
    )


def test_a_rival_closer_than_the_margin_sends_the_row_to_review() -> None:
    best = 12.0
    links = _links([(0, 0, 0, best, 95.0), (0, 1, 1, best - rules.AMBIGUITY_MARGIN + 0.01, 90.0)])
    assert links[0] == (0, "primary", "review")


def test_rival_weight_is_reported_for_the_primary_link_only() -> None:
    out = assign(_scored([(0, 0, 0, 12.0, 95.0), (0, 1, 1, 10.0, 90.0)]), THRESHOLDS)
    assert out.select("h_idx", "role", "rival_weight").rows() == [(0, "primary", 10.0)]


def test_a_rival_household_owned_by_a_better_row_does_not_count() -> None:
    # Row 1 owns household 1 with more weight than row 0 gives it: no ambiguity left for row 0.
    rows = [(0, 0, 0, 12.0, 95.0), (0, 1, 1, 11.0, 93.0), (1, 1, 1, 14.0, 97.0)]
    assert _links(rows) == {0: (0, "primary", "matched"), 1: (1, "primary", "matched")}


def test_a_rival_household_owned_by_a_weaker_row_still_counts() -> None:
    # Row 1 fits household 1 exactly as well as row 0 does: row 0 remains ambiguous.
    rows = [(0, 0, 0, 12.0, 95.0), (0, 1, 1, 11.0, 93.0), (1, 1, 1, 11.0, 93.0)]
    links = _links(rows)
    assert links[0] == (0, "primary", "review")
    assert links[1] == (1, "primary", "matched")


def test_another_member_of_the_chosen_household_is_no_rival() -> None:
    # An individual-level list: the row fits two members of household 0 equally well (a spouse with the
    # same name and date, say); nothing else competes, so the link is not ambiguous.
    rows = [(0, 0, 0, 12.0, 95.0), (0, 0, 1, 12.0, 95.0)]
    out = assign(_scored(rows), THRESHOLDS)
    assert out.select("h_idx", "t_idx", "role", "match_status").rows() == [(0, 0, "primary", "matched")]
    assert out["rival_weight"].to_list() == [None]


# --- secondary links (duplicates) ---------------------------------------------------------------------------------------
def test_a_row_whose_household_was_taken_keeps_a_secondary_link() -> None:
    rows = [(0, 0, 0, 14.0, 97.0), (1, 0, 0, 12.0, 95.0), (2, 0, 0, 6.0, 70.0)]
    assert _links(rows) == {
        0: (0, "primary", "matched"),
        1: (0, "secondary", "matched"),
        2: (0, "secondary", "review"),
    }


def test_secondary_link_goes_to_the_rows_best_remaining_household() -> None:
    # Row 1 lost household 0 and household 1 to better rows: its secondary link is its heaviest pair.
    rows = [
        (0, 0, 0, 14.0, 97.0),
        (2, 1, 1, 14.0, 97.0),
        (1, 0, 0, 9.0, 88.0),
        (1, 1, 1, 12.0, 95.0),
    ]
    assert _links(rows)[1] == (1, "secondary", "matched")


def test_links_carry_the_scored_columns_of_the_chosen_pair() -> None:
    scored = _scored([(0, 0, 7, 12.0, 95.0), (0, 0, 8, 3.0, 62.0)]).with_columns(
        pl.Series("evidence", ["chosen", "other"])
    )
    out = assign(scored, THRESHOLDS)
    assert out.select("s_idx", "h_idx", "t_idx", "evidence").rows() == [(0, 0, 7, "chosen")]


def test_secondary_link_at_exactly_the_accept_score_is_matched() -> None:
    rows = [(0, 0, 0, 14.0, 97.0), (1, 0, 0, 10.0, THRESHOLDS.accept)]
    assert _links(rows)[1] == (0, "secondary", "matched")


def test_secondary_link_ties_go_to_the_first_listed_household() -> None:
    # Row 2 lost both households to better rows and fits them equally: its duplicate report names the
    # household listed first, whatever order the pairs came in.
    rows = [(0, 0, 0, 14.0, 97.0), (1, 1, 1, 14.0, 97.0), (2, 1, 1, 9.0, 88.0), (2, 0, 0, 9.0, 88.0)]
    assert _links(rows)[2] == (0, "secondary", "matched")
