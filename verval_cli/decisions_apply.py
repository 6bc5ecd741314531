"""Apply an officer's decisions (:mod:`verval_cli.decisions`) to a run's links, after the matcher, before findings.

A decision is applied only when its row is found by content (``row_key``) and what it decided still
holds: ``different`` and ``new`` only while the row is still linked to the household it was decided
against (or to none), ``same`` only when the household chosen is on the list and no other row claims it.
Every other decision is a finding (``decision_stale``, ``decision_conflict``,
``decision_target_unknown``) and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from verval_cli import schema as s
from verval_cli.check import finding_rows
from verval_cli.codes import Code
from verval_cli.decisions import (
    DIFFERENT,
    MATCH_DECISION_COLUMNS,
    METHOD,
    NEW,
    SAME,
    UNLINKED,
    household_refs,
    row_keys,
)
from verval_cli.findings import FINDING_SCHEMA, rendered

APPLIED: Final = "applied"
_OUTCOME_CODES: Final[dict[str, Code]] = {
    "stale": Code.DECISION_STALE,
    "conflict": Code.DECISION_CONFLICT,
    "unknown_target": Code.DECISION_TARGET_UNKNOWN,
}
_BASENAME = r"^.*[\\/]"


@dataclass
class Applied:
    """Rows and links after the decisions, the rows decided, the findings about decisions not applied."""

    rows: pl.DataFrame
    links: pl.DataFrame
    decided: pl.DataFrame  # s_idx + MATCH_DECISION_COLUMNS: one row per row a decision settled
    findings: pl.DataFrame  # FINDING_SCHEMA + s_idx (null when the row is gone)
    counts: dict[str, Any] = field(default_factory=dict)


def apply_decisions(
    decisions: pl.DataFrame,
    rows: pl.DataFrame,
    links: pl.DataFrame,
    households: pl.DataFrame,
    persons: pl.DataFrame,
) -> Applied:
    """Apply ``decisions`` (DECISION_SCHEMA) to ``rows`` (LINKED_ROWS) and ``links`` (LINKS)."""
    # ``-`` says the row was linked to nothing when decided: checked, but no household.
    numbered = (
        _one_per_row(decisions)
        .with_row_index("_d_key")
        .with_columns(
            pl.col("proposed_id").is_not_null().alias("_checked"),
            pl.when(pl.col("proposed_id") != UNLINKED).then(pl.col("proposed_id")).alias("proposed_id"),
        )
    )
    judged = _judge(_located(numbered, rows), links, households, persons)
    judged = _without_conflicts(judged, links)
    ok = judged.filter(pl.col("outcome") == APPLIED)
    new_links = _relinked(ok, links, persons)
    new_rows = rows.with_columns(
        pl.when(pl.col(s.S_IDX).is_in(ok.filter(pl.col("decision") == NEW)[s.S_IDX].implode()))
        .then(pl.lit(s.NEW))
        .otherwise(pl.col(s.STATUS))
        .alias(s.STATUS)
    )
    named = pl.when(pl.col("decision") == SAME).then(pl.col("_target_ref"))
    decided = ok.select(
        s.S_IDX,
        "decision",
        named.otherwise(pl.coalesce("proposed_id", "_now_ref")).alias("decision_province_id"),
        pl.col("note").alias("decision_note"),
    ).sort(s.S_IDX)
    counts = {
        "read": decisions.height,
        **{o: int((judged["outcome"] == o).sum()) for o in (APPLIED, *_OUTCOME_CODES)},
        "by_decision": {d: int((ok["decision"] == d).sum()) for d in (SAME, DIFFERENT, NEW)},
    }
    return Applied(new_rows, new_links, decided, _findings(judged, rows), counts)


def _one_per_row(decisions: pl.DataFrame) -> pl.DataFrame:
    """Identical decisions counted once; two that disagree about one row are both a conflict."""
    # The household a ``same`` names, however it was written down (a target, or the proposal accepted).
    chosen = pl.when(pl.col("decision") == SAME).then(pl.coalesce("target", "proposed_id")).alias("_chosen")
    unique = (
        decisions.with_columns(chosen)
        .unique(["row_key", "decision", "_chosen"], keep="first", maintain_order=True)
        .drop("_chosen")
    )
    disagree = pl.col("row_key").count().over("row_key") > 1
    return unique.with_columns(pl.when(disagree).then(pl.lit("conflict")).alias("outcome"))


def _keyed(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` by s_idx with their content key and place (file name, sheet, row)."""
    return rows.select(
        s.S_IDX,
        row_keys(rows, s.DESA_CODE, s.NIK, s.NAME),
        pl.col(s.SOURCE_FILE).str.replace(_BASENAME, "").alias("_file"),
        pl.col(s.SOURCE_SHEET).alias("_sheet"),
        pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("_row"),
    )


def _located(decisions: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Each decision with ``s_idx``: the row of the same content (at the same place if several), else null.

    Keys are hashed in Python, so first only the rows at the places decided are (most files are not
    re-sorted); the rows of a desa only for the decisions not found at their place.
    """
    numbered = decisions.with_row_index("_d").with_columns(
        pl.col("submission_file").str.replace(_BASENAME, "").alias("_file"),
        pl.col("submission_sheet").alias("_sheet"),
        pl.col("submission_row").alias("_row"),
    )
    place = ["_file", "_sheet", "_row"]
    at_place = _keyed(rows.head(0))
    if numbered["_row"].is_not_null().any():
        spots = numbered.select(place).unique()
        candidates = rows.with_columns(
            pl.col(s.SOURCE_FILE).str.replace(_BASENAME, "").alias("_file"),
            pl.col(s.SOURCE_SHEET).alias("_sheet"),
            pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("_row"),
        ).join(spots, on=place, how="semi", nulls_equal=True)
        at_place = _keyed(candidates)
    here = numbered.join(at_place.drop(place), on="row_key", how="inner").join(
        at_place.select(s.S_IDX, *place), on=[s.S_IDX, *place], how="semi", nulls_equal=True
    )
    found = here.unique("_d", keep="first").select("_d", s.S_IDX)
    rest = numbered.join(found, on="_d", how="anti")
    if rest.height:
        near = (
            rows
            if rest["desa_code"].is_null().any()
            else rows.filter(pl.col(s.DESA_CODE).is_in(rest["desa_code"].unique().implode()))
        )
        pairs = rest.join(_keyed(near).drop(place), on="row_key", how="inner")
        # One row of that content elsewhere: found (a re-sorted file). Several: ambiguous, left stale.
        moved = pairs.filter(pl.len().over("_d") == 1).select("_d", s.S_IDX)
        found = pl.concat([found, moved])
    return numbered.join(found, on="_d", how="left").drop("_d", *place)


def _household_refs(households: pl.DataFrame) -> pl.DataFrame:
    """Each of ``households`` by h_idx with its reference (``_ref``, see decisions.household_refs)."""
    return households.select(s.H_IDX, household_refs(households, s.HOUSEHOLD_ID, s.NIK).alias("_ref"))


def _targets(judged: pl.DataFrame, households: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """The household a ``same`` decision names (by household ID, else by a listed NIK), as ``_target``."""
    chosen = judged.with_columns(pl.coalesce("target", "proposed_id").alias("_ref"))
    asked = chosen["_ref"].drop_nulls().unique()
    wanted = asked.implode()
    # Only the households and persons a decision names are looked at (every row of a NIK, to see it is unique).
    by_id = households.filter(pl.col(s.HOUSEHOLD_ID).is_in(wanted)).select(
        pl.col(s.HOUSEHOLD_ID).alias("_ref"), pl.col(s.H_IDX).alias("_target")
    )
    by_nik = pl.concat(
        [
            persons.filter(pl.col(s.NIK).is_in(wanted)).select(s.NIK, s.H_IDX),
            households.filter(pl.col(s.NIK).is_in(wanted)).select(s.NIK, s.H_IDX),
        ],
        how="vertical_relaxed",
    ).unique()
    by_nik = by_nik.filter(pl.len().over(s.NIK) == 1).select(
        pl.col(s.NIK).alias("_ref"), pl.col(s.H_IDX).alias("_target")
    )
    # A household without an ID is named by a hash of its head's NIK: hashed only where one is asked for.
    hashed = bool(asked.str.starts_with("#").any())
    unnamed = households.filter(pl.col(s.HOUSEHOLD_ID).is_null() & pl.col(s.NIK).is_not_null())
    by_hash = _household_refs(unnamed if hashed else unnamed.clear()).rename({s.H_IDX: "_target"})
    refs = (
        pl.concat(
            [
                by_id.filter(pl.len().over("_ref") == 1),
                by_nik.join(by_id, on="_ref", how="anti"),
                by_hash.select("_ref", "_target"),
            ]
        )
        .drop_nulls()
        .unique("_ref")
    )
    return chosen.join(refs, on="_ref", how="left").drop("_ref")


def _judge(
    decisions: pl.DataFrame, links: pl.DataFrame, households: pl.DataFrame, persons: pl.DataFrame
) -> pl.DataFrame:
    """Each decision with its row's current household (``_now``, ``_now_ref``), the household a ``same``
    names (``_target``, ``_target_ref``) and an ``outcome``."""
    current = (
        links.select(s.S_IDX, pl.col(s.H_IDX).alias("_now"))
        .filter(pl.col(s.S_IDX).is_in(decisions[s.S_IDX].drop_nulls().implode()))
        .unique(s.S_IDX, keep="first")
    )
    judged = _targets(decisions.join(current, on=s.S_IDX, how="left"), households, persons)
    named = pl.concat([judged["_now"], judged["_target"]]).drop_nulls().unique().implode()
    refs = _household_refs(households.filter(pl.col(s.H_IDX).is_in(named)))
    now_nik = households.filter(pl.col(s.H_IDX).is_in(named)).select(
        pl.col(s.H_IDX).alias("_now"), pl.col(s.NIK).alias("_now_nik")
    )
    judged = (
        judged.join(
            refs.rename({s.H_IDX: "_now", "_ref": "_now_ref"}), on="_now", how="left", maintain_order="left"
        )
        .join(now_nik, on="_now", how="left", maintain_order="left")
        .join(
            refs.rename({s.H_IDX: "_target", "_ref": "_target_ref"}),
            on="_target",
            how="left",
            maintain_order="left",
        )
    )
    # (A script may name the household decided against by its head's NIK rather than its reference.)
    same_household = pl.col("_now_ref").eq_missing(pl.col("proposed_id")) | (
        pl.col("_now_nik") == pl.col("proposed_id")
    ).fill_null(False)
    linked_elsewhere = pl.col("_checked") & ~same_household
    outcome = (
        pl.when(pl.col("outcome").is_not_null())
        .then(pl.col("outcome"))
        .when(pl.col(s.S_IDX).is_null())
        .then(pl.lit("stale"))
        .when(pl.col("decision").is_in([DIFFERENT, NEW]) & linked_elsewhere)
        .then(pl.lit("stale"))  # the row now links to another household than the one decided against
        .when((pl.col("decision") == SAME) & pl.col("_target").is_null())
        .then(pl.lit("unknown_target"))
        .otherwise(pl.lit(APPLIED))
    )
    # Two decisions settling one row (two contents never share a row, but a row key may repeat): conflict.
    twice = pl.col(s.S_IDX).is_not_null() & (pl.len().over(s.S_IDX) > 1)
    return judged.with_columns(pl.when(twice).then(pl.lit("conflict")).otherwise(outcome).alias("outcome"))


def _moves(judged: pl.DataFrame) -> pl.Expr:
    """Applied decisions that take the row off its current link (all but ``same`` to its own household)."""
    keeps = (pl.col("decision") == SAME) & (pl.col("_target") == pl.col("_now")).fill_null(False)
    return (pl.col("outcome") == APPLIED) & ~keeps


def _without_conflicts(judged: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """A ``same`` decision that would give a household a second primary row is a conflict, not applied."""
    primaries = links.filter(pl.col(s.ROLE) == s.PRIMARY).select(pl.col(s.S_IDX).alias("_holder"), s.H_IDX)
    while True:
        moved = judged.filter(_moves(judged))[s.S_IDX].implode()
        held = primaries.filter(~pl.col("_holder").is_in(moved)).rename({s.H_IDX: "_target"})
        adding = (_moves(judged) & (pl.col("decision") == SAME) & pl.col("_target").is_not_null()).alias(
            "_adding"
        )
        claimed = judged.with_columns(adding).join(held, on="_target", how="left")
        twice = pl.col("_adding").cast(pl.Int32).sum().over("_target") > 1
        clash = claimed.filter(pl.col("_adding") & (pl.col("_holder").is_not_null() | twice))["_d_key"]
        if clash.len() == 0:
            return judged
        judged = judged.with_columns(
            pl.when(pl.col("_d_key").is_in(clash.implode()))
            .then(pl.lit("conflict"))
            .otherwise("outcome")
            .alias("outcome")
        )


def _relinked(ok: pl.DataFrame, links: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """The links with the applied decisions: taken off, kept as decided, or made by the officer."""
    moved = ok.filter(_moves(ok))
    kept = ok.filter(~_moves(ok))[s.S_IDX].implode()
    settled = pl.col(s.S_IDX).is_in(kept)
    out = links.filter(~pl.col(s.S_IDX).is_in(moved[s.S_IDX].implode())).with_columns(
        pl.when(settled).then(pl.lit(METHOD)).otherwise(pl.col(s.METHOD)).alias(s.METHOD),
        pl.when(settled).then(pl.lit(s.MATCHED)).otherwise(pl.col(s.MATCH_STATUS)).alias(s.MATCH_STATUS),
    )
    made = moved.filter(pl.col("decision") == SAME)
    if made.height == 0:
        return _promoted(out, links)
    heads = persons.filter(pl.col(s.IS_HEAD)).unique(s.H_IDX, keep="first").select(s.H_IDX, s.T_IDX)
    fresh = made.select(s.S_IDX, pl.col("_target").alias(s.H_IDX)).join(heads, on=s.H_IDX, how="left")
    fresh = fresh.with_columns(
        pl.lit(METHOD).alias(s.METHOD),
        pl.lit(s.PRIMARY).alias(s.ROLE),
        pl.lit(s.MATCHED).alias(s.MATCH_STATUS),
        pl.lit(METHOD).alias(s.EVIDENCE),
    )
    fresh = fresh.with_columns(
        pl.lit(None, dtype=links.schema[c]).alias(c) for c in links.columns if c not in fresh.columns
    ).select(links.columns)
    both = pl.concat([out, fresh.cast(links.schema)]).sort(s.S_IDX, maintain_order=True)
    return _promoted(both, links)


def _promoted(out: pl.DataFrame, before: pl.DataFrame) -> pl.DataFrame:
    """A household that lost its primary row to a decision: its best further row becomes primary."""
    had = before.filter(pl.col(s.ROLE) == s.PRIMARY)[s.H_IDX].unique()
    has = out.filter(pl.col(s.ROLE) == s.PRIMARY)[s.H_IDX].unique()
    orphaned = had.filter(~had.is_in(has.implode()))
    if orphaned.len() == 0:
        return out
    candidates = out.with_row_index("_at").filter(
        pl.col(s.H_IDX).is_in(orphaned.implode()) & (pl.col(s.ROLE) == s.SECONDARY)
    )
    best = candidates.sort(s.WEIGHT, descending=True, nulls_last=True).unique(s.H_IDX, keep="first")["_at"]
    at = pl.int_range(pl.len(), dtype=pl.UInt32)
    return out.with_columns(
        pl.when(at.is_in(best.implode())).then(pl.lit(s.PRIMARY)).otherwise(pl.col(s.ROLE)).alias(s.ROLE)
    )


def _findings(judged: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """One finding per decision not applied, at its row now (else where it was when decided)."""
    wanted: dict[str, pl.DataType] = {**FINDING_SCHEMA, s.S_IDX: pl.Int64()}
    missed = judged.filter(pl.col("outcome") != APPLIED)
    if missed.height == 0:
        return pl.DataFrame(schema=wanted)
    # A row no longer found by its content: the finding goes to the row now at the place it was decided.
    place = ["_place_file", "submission_sheet", "submission_row"]
    at_place = rows.select(
        pl.col(s.S_IDX).alias("_place_idx"),
        pl.col(s.SOURCE_FILE).str.replace(_BASENAME, "").alias(place[0]),
        pl.col(s.SOURCE_SHEET).alias(place[1]),
        pl.col(s.SOURCE_ROW).cast(pl.Int64).alias(place[2]),
    ).unique(place, keep="first")
    missed = (
        missed.with_columns(pl.col("submission_file").str.replace(_BASENAME, "").alias(place[0]))
        .join(at_place, on=place, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(pl.coalesce(s.S_IDX, "_place_idx").alias(s.S_IDX))
    )
    at = rows.select(s.S_IDX, s.SOURCE_FILE, s.SOURCE_SHEET, pl.col(s.SOURCE_ROW).alias("_now_row"))
    here = missed.join(at, on=s.S_IDX, how="left").with_columns(
        pl.coalesce(s.SOURCE_FILE, "submission_file").alias("_file"),
        pl.coalesce(s.SOURCE_SHEET, "submission_sheet").alias("_sheet"),
        pl.coalesce("_now_row", "submission_row").alias("_row"),
    )
    frames = [
        finding_rows(
            here.lazy().filter(pl.col("outcome") == outcome),
            code,
            "decision",
            value=pl.col("decision"),
            listed=pl.coalesce("target", "proposed_id"),
            detail=pl.col("source"),
            where=("_file", "_sheet", "_row"),
            carry=(
                pl.coalesce("target", "proposed_id").alias("province_id"),
                pl.lit(None, dtype=pl.Int64).alias("province_row"),
                pl.col("desa_code"),
                pl.col(s.S_IDX),
            ),
        )
        for outcome, code in _OUTCOME_CODES.items()
    ]
    found = rendered(pl.concat(frames), s.S_IDX).collect()
    return found.select(list(wanted)).cast(pl.Schema(wanted))


def with_decisions(matches: pl.DataFrame, decided: pl.DataFrame) -> pl.DataFrame:
    """matches.parquet with ``decision`` and ``decision_note``; a decided row's ``match_method`` is ``decision``."""
    keyed = decided.rename({s.S_IDX: "submission_index"})
    out = matches.join(keyed, on="submission_index", how="left", maintain_order="left")
    return out.with_columns(
        pl.when(pl.col("decision").is_not_null())
        .then(pl.lit(METHOD))
        .otherwise("match_method")
        .alias("match_method")
    ).cast(pl.Schema(MATCH_DECISION_COLUMNS))
