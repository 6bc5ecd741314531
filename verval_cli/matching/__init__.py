"""Household-aware, explainable linkage of submission rows to the province list."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from verval_cli.config import MatchingConfig
from verval_cli.matching import rules
from verval_cli.matching.assign import assign, primary_rows
from verval_cli.matching.candidates import (
    DESA_CANDIDATE_COLUMNS,
    desa_candidates,
    exact_candidates,
    wide_candidates,
)
from verval_cli.matching.family import is_head_expr, usable_no_kk
from verval_cli.matching.prepare import prepare_province, prepare_submissions
from verval_cli.matching.score import attach_sides, compare, comparison_names, evidence_text, weigh
from verval_cli.schema import DECEASED, H_IDX, S_IDX, SIDES, T_IDX

__all__ = [
    "WIDE_COLUMNS",
    "assign_pairs",
    "attach_members",
    "exact_pairs_for",
    "file_desa_votes",
    "fill_file_desa",
    "finish_links",
    "infer_file_desa",
    "link",
    "open_pairs_for",
    "prepare_province",
    "prepare_submissions",
    "rows_of_files_without_desa",
    "score_pairs",
    "wide_pairs",
    "wide_pairs_for",
    "with_name_frequency",
]

# The columns of the rows the regency-wide search reads (see ``candidates.wide_candidates``).
WIDE_COLUMNS = (S_IDX, "nik_status", "nik_lo", "nik_hi", "birth_date", "desa_code", "name")


def with_name_frequency(persons: pl.DataFrame) -> pl.DataFrame:
    """The prepared list's persons with ``name_frequency`` (how common each name is): what scoring reads."""
    total = max(persons.height, 1)
    return persons.with_columns((pl.len().over("name") / total).alias("name_frequency"))


def score_pairs(
    pairs: pl.DataFrame,
    rows: pl.DataFrame,
    persons: pl.DataFrame,
    households: pl.DataFrame,
    *,
    wide: bool = False,
) -> pl.DataFrame:
    """Candidate pairs (s_idx, t_idx, h_idx) compared and weighed: the pairs' keys and verdict columns.

    ``persons`` from :func:`with_name_frequency`. A pair reads only its row, person and household.
    """
    sides = attach_sides(pairs, rows, persons, households)
    if wide:
        sides = sides.with_columns(pl.lit(True).alias(f"{SIDES[0]}wide"))
    scored = weigh(compare(sides))
    # Keep the pair's keys and verdict only: the sides' columns are joined back where needed.
    keep = [S_IDX, T_IDX, H_IDX, *(c for c in scored.columns if not c.startswith(SIDES))]
    return scored.select(list(dict.fromkeys(keep)))


# -- the phases of link(), in its order. Each per-row phase reads only the rows it is given (and the
# whole list), so a partitioned run (verval_cli.partition_link) calls them a part at a time, with the
# assignments (assign_pairs) run once over all parts' pairs in between.
def exact_pairs_for(rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Phase 1: the rows' exact-key pairs (id, NIK, No KK, damaged NIK), scored."""
    return score_pairs(exact_candidates(rows, persons, households), rows, persons, households)


def open_pairs_for(
    rows: pl.DataFrame,
    taken: pl.DataFrame,
    exact: pl.DataFrame,
    persons: pl.DataFrame,
    households: pl.DataFrame,
) -> pl.DataFrame | None:
    """Phase 2: the rows no exact pair takes (``taken``: :func:`assign.primary_rows` of all exact
    pairs) compared with every person of their desa, less the pairs ``exact`` already scored.

    None when the rows give no such pair at all.
    """
    open_rows = rows.select(DESA_CANDIDATE_COLUMNS).join(taken, on=S_IDX, how="anti")
    # Open rows are compared with every person of their desa, so a retyped duplicate still finds its household.
    pairs = desa_candidates(open_rows, persons, households)
    if not pairs.height:
        return None
    pairs = pairs.join(exact.select(S_IDX, T_IDX), on=[S_IDX, T_IDX], how="anti")
    return score_pairs(pairs, rows, persons, households)


def assign_pairs(scored: Sequence[pl.DataFrame], thresholds: MatchingConfig) -> pl.DataFrame:
    """Phases 3 and 5: every scored pair so far assigned together (see :func:`assign.assign`)."""
    return assign(pl.concat(scored, how="vertical_relaxed"), thresholds)


def wide_pairs_for(
    rows: pl.DataFrame,
    links: pl.DataFrame,
    scored: Sequence[pl.DataFrame],
    persons: pl.DataFrame,
    households: pl.DataFrame,
) -> pl.DataFrame:
    """Phase 4: regency-wide pairs of the rows ``links`` (the first assignment) left without any link,
    less the pairs ``scored`` already holds, scored; assigned again with all the others."""
    pairs = _wide_pairs(rows, links, scored, persons, households)
    if not pairs.height:
        return pairs  # nothing to score (and no pair to assign)
    return score_pairs(pairs, rows, persons, households, wide=True)


def finish_links(links: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Phase 6: family members, head changes after a death, the evidence text (per file: rows of a file
    are linked in one piece)."""
    return _explained(head_after_death(attach_members(links, rows), rows))


def link(
    rows: pl.DataFrame, households: pl.DataFrame, persons: pl.DataFrame, thresholds: MatchingConfig
) -> pl.DataFrame:
    """Link prepared submission rows to prepared province households; one row per link.

    Exact keys (id, NIK, No KK, damaged NIK) are scored and assigned first; rows and households left
    over are then compared fuzzily within their desa, and everything is assigned again together so a
    fuzzy pair never steals a household from a better exact one. Rows still without a link are then
    compared regency-wide and everything is assigned once more.
    """
    persons = with_name_frequency(persons)
    exact = exact_pairs_for(rows, persons, households)
    fuzzy = open_pairs_for(rows, primary_rows(exact, thresholds), exact, persons, households)
    scored = [exact] if fuzzy is None else [exact, fuzzy]
    links = assign_pairs(scored, thresholds)
    wide = wide_pairs_for(rows, links, scored, persons, households)
    if wide.height:
        links = assign_pairs([*scored, wide], thresholds)
    return finish_links(links, rows)


def head_after_death(links: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Keep ``head_changed`` on a row that does not report the household (secondary or member) only
    when the household's reporting row in the same file says the listed head is deceased.

    An individual-level file lists the head and the spouse; when the head died, the village marks his
    row Meninggal and the spouse's row now stands for the family: a head change, not just a member.
    With the head alive the spouse's row is only a member. A head change shown by the No KK (the
    family card's person differs) is kept wherever it is.
    """
    status = rows.select(S_IDX, "source_file", (pl.col("status") == DECEASED).fill_null(False).alias("_dead"))
    primary = (
        links.filter(pl.col("role") == "primary")
        .select(S_IDX, H_IDX)
        .join(status, on=S_IDX)
        .select(H_IDX, "source_file", pl.col("_dead").alias("_head_dead"))
    )
    found = (
        links.select(S_IDX, H_IDX)
        .join(status, on=S_IDX, how="left", maintain_order="left")
        .join(primary, on=[H_IDX, "source_file"], how="left", maintain_order="left")
    )
    after_death = found["_head_dead"].fill_null(False) & ~found["_dead"].fill_null(False)
    keep = (
        (pl.col("role") == "primary")
        | rules.head_changed_by_kk(rules.person_weight())
        | pl.Series(values=after_death, dtype=pl.Boolean)
    )
    return links.with_columns((pl.col("head_changed") & keep).alias("head_changed"))


def _wide_pairs(
    rows: pl.DataFrame,
    links: pl.DataFrame,
    scored: Sequence[pl.DataFrame],
    persons: pl.DataFrame,
    households: pl.DataFrame,
) -> pl.DataFrame:
    """Regency-wide candidate pairs of the rows still without any link, not compared yet."""
    unlinked = rows.select(WIDE_COLUMNS).join(links.select(S_IDX), on=S_IDX, how="anti")
    return wide_pairs(unlinked, scored, persons, households)


def wide_pairs(
    open_rows: pl.DataFrame,
    compared: Sequence[pl.DataFrame],
    persons: pl.DataFrame,
    households: pl.DataFrame,
) -> pl.DataFrame:
    """Regency-wide candidate pairs of ``open_rows`` (rows no household took), minus the (s_idx, t_idx)
    pairs of ``compared`` (already scored in the first pass)."""
    if open_rows.height == 0:
        return open_rows.select(S_IDX, pl.lit(None, dtype=pl.Int64).alias(T_IDX))
    pairs = wide_candidates(open_rows.select(WIDE_COLUMNS), persons, households)
    for frame in compared:
        pairs = pairs.join(frame.select(S_IDX, T_IDX), on=[S_IDX, T_IDX], how="anti")
    return pairs


def _explained(links: pl.DataFrame) -> pl.DataFrame:
    """Add ``evidence`` to the links (only links are explained, not every pair that was compared).

    The text depends on the levels and weights only, and a million links share a few thousand of
    those: each distinct combination is written once and joined back.
    """
    keys = [f"{c}_{part}" for c in comparison_names() for part in ("level", "weight")]
    combos = links.select(keys).unique()
    combos = combos.with_columns(evidence_text(combos).alias("evidence"))
    text = links.select(keys).join(
        combos, on=keys, how="left", nulls_equal=True, maintain_order="left", validate="m:1"
    )
    return links.with_columns(text["evidence"])


def infer_file_desa(
    rows: pl.DataFrame, households: pl.DataFrame, persons: pl.DataFrame, thresholds: MatchingConfig
) -> pl.DataFrame:
    """Fill a missing ``desa_code`` from the desa most of the file's exactly-linked rows belong to.

    A file whose desa is named nowhere (no column, file name or title) still has rows that link by
    NIK or No KK; their households' desa is the file's desa, so its other rows can be compared
    within that desa too. Adds ``desa_inferred`` (Boolean).
    """
    rows = rows.with_columns(pl.lit(False).alias("desa_inferred"))
    if rows["desa_code"].null_count() == 0:
        return rows
    in_files = rows_of_files_without_desa(rows)
    exact = exact_pairs_for(in_files, with_name_frequency(persons), households)
    votes = file_desa_votes(assign_pairs([exact], thresholds), in_files, households)
    return fill_file_desa(rows, votes)


def rows_of_files_without_desa(rows: pl.DataFrame) -> pl.DataFrame:
    """The rows of the files with a row whose desa is unknown: whose exact links vote for the file's desa."""
    files = (
        rows.select("source_file", "desa_code").filter(pl.col("desa_code").is_null()).select("source_file")
    )
    return rows.join(files.unique(), on="source_file", how="semi", maintain_order="left")


def file_desa_votes(links: pl.DataFrame, in_files: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """(source_file, _voted): the desa most of each file's matched links lie in (ties: the lowest code)."""
    accepted = links.select(S_IDX, H_IDX).filter(links["match_status"] == "matched")
    return (
        accepted.join(in_files.select(S_IDX, "source_file"), on=S_IDX)
        .join(households.select(H_IDX, pl.col("desa_code").alias("_voted")), on=H_IDX)
        .group_by("source_file", "_voted")
        .agg(pl.len().alias("_n"))
        .sort(["source_file", "_n", "_voted"], descending=[False, True, False])
        .unique(subset=["source_file"], keep="first", maintain_order=True)
        .select("source_file", "_voted")
    )


def fill_file_desa(rows: pl.DataFrame, votes: pl.DataFrame) -> pl.DataFrame:
    """The file's voted desa (:func:`file_desa_votes`) where a row has none; ``desa_inferred`` marks it."""
    voted = rows.select("source_file").join(votes, on="source_file", how="left", maintain_order="left")
    rows = rows.with_columns(voted["_voted"])  # rows keep their order
    fill = pl.col("desa_code").is_null() & pl.col("_voted").is_not_null()
    return rows.with_columns(
        pl.when(fill).then(pl.col("_voted")).otherwise(pl.col("desa_code")).alias("desa_code"),
        fill.alias("desa_inferred"),
    ).drop("_voted")


def attach_members(links: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Link a family member's unlinked row to the household its head's row links to.

    An individual-level submission (one row per person with the relation to the head) against a
    household-level list: only the head can match the list, the others are found through the head
    row of the same file that shares their No KK (a usable one: see ``family.usable_no_kk``). They become
    ``member`` links of that household.
    """
    if "relation" not in rows.columns:
        return links
    head = is_head_expr()
    family = (
        rows.lazy()
        .filter(usable_no_kk())
        .select(
            S_IDX,
            "source_file",
            "no_kk",
            head.alias("_is_head"),
            pl.col("relation").is_not_null().alias("_has_relation"),
        )
        .collect()
    )
    heads = (
        family.filter(pl.col("_is_head"))
        .join(links, on=S_IDX)
        .filter(pl.col("role") == "primary")
        .unique(subset=["source_file", "no_kk"], keep="first", maintain_order=True)
        .drop(S_IDX, "_is_head", "_has_relation")
    )
    own = links.select(S_IDX, pl.col("role").alias("_own_role"), pl.col(T_IDX).alias("_own_t"))
    members = (
        family.filter(~pl.col("_is_head") & pl.col("_has_relation"))
        .select(S_IDX, "source_file", "no_kk")
        .join(heads, on=["source_file", "no_kk"])
        .join(own, on=S_IDX, how="left")
        # Unlinked, or only a second link to the head's own person (the family's No KK on the list):
        # a member compared with its own listed person (an individual-level list) keeps that link.
        .filter(
            pl.col("_own_role").is_null()
            | ((pl.col("_own_role") != "primary") & (pl.col("_own_t") == pl.col(T_IDX))).fill_null(False)
        )
        .drop("source_file", "no_kk", "_own_role", "_own_t")
        # A member names no listed person: no person (t_idx) to compare its NIK, name or dates with.
        .with_columns(
            pl.lit("member").alias("role"),
            pl.lit("kk").alias("method"),
            pl.lit(None, dtype=links.schema[T_IDX]).alias(T_IDX),
        )
    )
    if members.height == 0:
        return links
    kept = links.join(members.select(S_IDX), on=S_IDX, how="anti")
    return pl.concat([kept, members.select(links.columns)], how="vertical_relaxed").sort(S_IDX)
