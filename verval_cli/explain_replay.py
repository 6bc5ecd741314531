"""The replay behind ``verval explain``: one row's candidates scored by the matching library, and the
assignment rules (thresholds, rival margin, households owned by heavier rows) applied to them again.

:func:`replay` explains rows one by one and checks each against ``matches.parquet``;
:func:`review_reasons` gives all review rows' reasons at once, for the workbooks' review sheets.
"""

from __future__ import annotations

from typing import Any, Final

import polars as pl

from verval_cli import schema as s
from verval_cli.config import MatchingConfig
from verval_cli.decisions import MATCH_DECISION_COLUMNS
from verval_cli.decisions import METHOD as DECISION_METHOD
from verval_cli.explain_types import (
    H_IDX,
    MATCHED,
    REVIEW,
    S_IDX,
    T_IDX,
    UNLINKED,
    Candidate,
    ExplainError,
    Explanation,
    Level,
    Owner,
    Tables,
)
from verval_cli.matching import score_pairs, wide_pairs
from verval_cli.matching.assign import primary_rows
from verval_cli.matching.candidates import DESA_CANDIDATE_COLUMNS, desa_candidates, exact_candidates
from verval_cli.matching.rules import AMBIGUITY_MARGIN, KECAMATAN, WIDE
from verval_cli.matching.score import comparison_names, evidence_text
from verval_cli.result import (
    MATCHES_FILE,
    REVIEW_REASON_COLUMNS,
)


def _scored(pairs: pl.DataFrame, tables: Tables, *, wide: bool = False) -> pl.DataFrame:
    """Pairs with every comparison's level and weight, ``weight``, ``score``, ``method`` and ``evidence``."""
    if pairs.height == 0:
        pairs = pl.DataFrame(schema={S_IDX: pl.Int64, T_IDX: pl.Int64})
    scored = score_pairs(pairs, tables.rows, tables.persons, tables.households, wide=wide)
    levels = [f"{c}_{part}" for c in comparison_names() for part in ("level", "weight")]
    return scored.select(
        S_IDX, T_IDX, H_IDX, *levels, "weight", "score", "method", evidence_text(scored).alias("evidence")
    )


def candidate_pairs(tables: Tables, indices: list[int], th: MatchingConfig) -> pl.DataFrame:
    """The rows' scored candidates as ``matching.link`` compares them, with ``stage``, ``considered``
    and the household's recorded owner (``owner``, ``owner_weight``, ...).

    Exact keys first; names and NIKs in the desa for a row the exact stage left open; the regency-wide
    search (``wide``) for a row no household took after those two.
    """
    target = tables.rows.filter(pl.col(S_IDX).is_in(pl.Series(indices, dtype=pl.Int64).implode()))
    exact = exact_candidates(target, tables.persons, tables.households)
    fuzzy = desa_candidates(target.select(DESA_CANDIDATE_COLUMNS), tables.persons, tables.households)
    fuzzy = fuzzy.join(exact, on=[S_IDX, T_IDX], how="anti")
    first = _with_owners(
        tables,
        pl.concat(
            [
                _scored(exact, tables).with_columns(pl.lit("exact").alias("stage")),
                _scored(fuzzy, tables).with_columns(pl.lit("desa").alias("stage")),
            ]
        ),
    )
    linked_by_key = pl.col(S_IDX).is_in(exact_stage_primary(tables, th, indices)[S_IDX].implode())
    first = first.with_columns(((pl.col("stage") == "exact") | ~linked_by_key).alias("considered"))
    # A row with a considered pair reaching the review threshold is linked after the first pass.
    took = first.filter(pl.col("considered") & (pl.col("score") >= th.review)).select(S_IDX).unique()
    open_rows = target.join(took, on=S_IDX, how="anti")
    wide = wide_pairs(open_rows, [exact, fuzzy], tables.persons, tables.households)
    wide_scored = _scored(wide, tables, wide=True).with_columns(
        pl.lit("wide").alias("stage"), pl.lit(True).alias("considered")
    )
    return pl.concat([first, _with_owners(tables, wide_scored).select(first.columns)], how="vertical_relaxed")


def exact_stage_primary(tables: Tables, th: MatchingConfig, indices: list[int] | None = None) -> pl.DataFrame:
    """The rows (``s_idx``) the matcher's exact stage gave a primary link, as ``matching.link`` finds
    them: all rows' exact pairs assigned together. Only the other rows are compared within their desa.

    ``indices``: only these rows are asked about. The greedy choice of one row depends only on the rows
    and households its pairs connect it to, so only the pairs of that connected part are scored.
    """
    rows, persons, households = tables.rows, tables.persons, tables.households
    pairs = exact_candidates(rows, persons, households)
    if indices is not None:
        households_of = pairs.join(persons.select(T_IDX, H_IDX), on=T_IDX, how="left")
        pairs = pairs.join(_connected_rows(households_of, indices), on=S_IDX, how="semi")
    exact = score_pairs(pairs, rows, persons, households)
    return primary_rows(exact, th)


def _connected_rows(pairs: pl.DataFrame, indices: list[int]) -> pl.DataFrame:
    """(``s_idx``) of the rows that ``pairs`` connect to ``indices`` through shared households."""
    edges = pairs.select(pl.col(S_IDX).cast(pl.Int64), pl.col(H_IDX).cast(pl.Int64)).unique()
    found = pl.DataFrame({S_IDX: indices}, schema={S_IDX: pl.Int64}).unique()
    while True:
        reached = edges.join(found, on=S_IDX, how="semi").select(H_IDX).unique()
        grown = pl.concat([found, edges.join(reached, on=H_IDX, how="semi").select(S_IDX)]).unique()
        if grown.height == found.height:
            return found
        found = grown


def _with_owners(tables: Tables, pairs: pl.DataFrame) -> pl.DataFrame:
    pairs = pairs.with_columns(pl.col(H_IDX).cast(pl.Int64))
    return pairs.join(_owners(tables, pairs), on=H_IDX, how="left")


def owner_weights(tables: Tables, wanted: pl.DataFrame) -> pl.DataFrame:
    """(owner ``s_idx``, ``h_idx``, ``weight``, ``score``) for (owner, household, ``wide``) rows: best
    person each, scored as the regency-wide search scored it where ``wide``."""
    pairs = wanted.join(tables.persons.select(H_IDX, T_IDX), on=H_IDX).select(
        pl.col(S_IDX).cast(pl.Int64), pl.col(T_IDX).cast(pl.Int64), "wide"
    )
    scored = pl.concat(
        [
            _scored(pairs.filter(pl.col("wide") == w).drop("wide").unique(), tables, wide=w)
            for w in (False, True)
        ]
    )
    return (
        scored.sort([S_IDX, H_IDX, "weight", T_IDX], descending=[False, False, True, False])
        .unique(subset=[S_IDX, H_IDX], keep="first", maintain_order=True)
        .select(S_IDX, H_IDX, "weight", "score")
    )


# The evidence of a link the regency-wide search made: another desa, at the search's cost.
_WIDE_EVIDENCE = f"desa=({WIDE}|{KECAMATAN})\\("


def _owners(tables: Tables, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each candidate household's primary row as the run recorded it, with that row's weight for it."""
    m = tables.matches
    primary = m.filter((pl.col("link_role") == s.PRIMARY) & pl.col("submission_index").is_not_null()).select(
        pl.col("submission_index").cast(pl.Int64).alias("owner"),
        pl.col("province_index").cast(pl.Int64).alias(H_IDX),
        pl.col("match_evidence").str.contains(_WIDE_EVIDENCE).fill_null(False).alias("wide"),
    )
    owned = pairs.select(pl.col(H_IDX).cast(pl.Int64)).unique().join(primary, on=H_IDX)
    weights = owner_weights(tables, owned.select(pl.col("owner").alias(S_IDX), H_IDX, "wide"))
    where = tables.rows.select(
        pl.col(S_IDX).cast(pl.Int64).alias("owner"), s.SOURCE_FILE, s.SOURCE_SHEET, s.SOURCE_ROW
    )
    return (
        owned.drop("wide")
        .join(
            weights.rename({S_IDX: "owner", "weight": "owner_weight", "score": "owner_score"}),
            on=["owner", H_IDX],
            how="left",
        )
        .join(where, on="owner", how="left")
        .with_columns(pl.col(H_IDX).cast(pl.Int64))
    )


def _best_per_household(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(["weight", T_IDX], descending=[True, False]).unique(
        subset=[H_IDX], keep="first", maintain_order=True
    )


def _first(frame: pl.DataFrame) -> dict[str, Any] | None:
    """The heaviest pair (ties: the lower h_idx, as the greedy assignment breaks them)."""
    if frame.height == 0:
        return None
    return frame.sort(["weight", H_IDX], descending=[True, False]).row(0, named=True)


def _outcome(
    index: int, mine: pl.DataFrame, th: MatchingConfig
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str, str | None]:
    """(chosen pair, rival pair, match_status, role) replaying matching.assign for one row."""
    available = pl.col("owner").is_null() | (pl.col("owner") == index)
    pool = _best_per_household(mine.filter(pl.col("considered") & (pl.col("score") >= th.review)))
    chosen = _first(pool.filter(available))
    if chosen is not None:
        rivals = pool.filter(
            (pl.col(H_IDX) != chosen[H_IDX])
            & (pl.col("owner_weight").is_null() | (pl.col("owner_weight") <= pl.col("weight")))
        )
        rival = _first(rivals)
        clear = rival is None or chosen["weight"] - rival["weight"] >= AMBIGUITY_MARGIN
        accepted = chosen["score"] >= th.accept and clear
        return chosen, rival, MATCHED if accepted else REVIEW, s.PRIMARY
    chosen = _first(pool)
    if chosen is not None:
        return chosen, None, MATCHED if chosen["score"] >= th.accept else REVIEW, s.SECONDARY
    return None, None, UNLINKED, None


def _reason(
    chosen: dict[str, Any] | None,
    rival: dict[str, Any] | None,
    status: str,
    role: str | None,
    row: dict[str, Any],
) -> str:
    if role == s.PRIMARY:
        if status == MATCHED:
            return "clear" if rival is None else "clear_of_rival"
        return "low_score" if chosen is not None and chosen["score"] < row["_accept"] else "rival"
    if role == s.SECONDARY:
        return "taken"
    if row["_considered"]:
        return "below_review"
    return "no_desa" if row["desa_code"] is None else "no_candidates"


def _candidate(pair: dict[str, Any], tables: Tables, chosen: dict[str, Any] | None) -> Candidate:
    h = tables.households.row(int(pair[H_IDX]), named=True)
    p = tables.persons.row(int(pair[T_IDX]), named=True)
    owner = None
    if pair["owner"] is not None and pair["owner_weight"] is not None and pair["owner"] != pair[S_IDX]:
        owner = Owner(
            pair[s.SOURCE_FILE],
            pair[s.SOURCE_SHEET],
            pair[s.SOURCE_ROW],
            pair["owner_weight"],
            pair["owner_score"],
        )
    levels = tuple(Level(c, str(pair[f"{c}_level"]), float(pair[f"{c}_weight"])) for c in comparison_names())
    return Candidate(
        province_index=int(pair[H_IDX]),
        province_row=h.get(s.SOURCE_ROW),
        province_id=h.get(s.HOUSEHOLD_ID),
        desa_code=h.get(s.DESA_CODE),
        name=p.get("name"),
        nik=p.get("nik"),
        levels=levels,
        weight=float(pair["weight"]),
        score=float(pair["score"]),
        method=str(pair["method"]),
        stage=str(pair["stage"]),
        considered=bool(pair["considered"]),
        owner=owner,
        chosen=chosen is not None and pair[H_IDX] == chosen[H_IDX],
    )


def _recorded(tables: Tables, index: int) -> dict[str, Any]:
    found = tables.matches.filter(pl.col("submission_index") == index)
    if found.height != 1:
        raise ExplainError(f"{MATCHES_FILE}: submission_index {index} occurs {found.height} times, not once")
    return found.row(0, named=True)


def _check(
    index: int,
    recorded: dict[str, Any],
    chosen: dict[str, Any] | None,
    status: str,
    role: str | None,
    hint: str | None = None,
) -> None:
    """The replay must give what the run recorded, else the explanation would be of another run."""
    derived = {
        "match_status": status,
        "link_role": role,
        "province_index": None if chosen is None else int(chosen[H_IDX]),
        "match_method": "none" if chosen is None else chosen["method"],
        "match_score": 0.0 if chosen is None else chosen["score"],
        "match_evidence": None if chosen is None else chosen["evidence"],
    }
    differ = [k for k, v in derived.items() if recorded[k] != v]
    if differ:
        where = f"{recorded['submission_file']} row {recorded['submission_row']}"
        shown = ", ".join(f"{k} {recorded[k]!r} recorded, {derived[k]!r} now" for k in differ)
        raise ExplainError(
            f"{where}: the run's tables do not give what {MATCHES_FILE} recorded ({shown}); "
            "was it written with another verval or another --config? reconcile again" + (hint or "")
        )


def _explain_one(tables: Tables, index: int, pairs: pl.DataFrame, th: MatchingConfig) -> Explanation:
    recorded = _recorded(tables, index)
    row = tables.rows.row(index, named=True) if tables.rows[S_IDX][index] == index else None
    if row is None:
        row = tables.rows.filter(pl.col(S_IDX) == index).row(0, named=True)
    mine = pairs.filter(pl.col(S_IDX) == index)
    chosen, rival, status, role = _outcome(index, mine, th)
    details: dict[str, Any] = {}
    if recorded["match_method"] == DECISION_METHOD:
        # An officer's decision set the link after the matcher: nothing to check it against. The
        # candidates are the matcher's own; ``matcher`` is what the replay gives without the decision.
        details["decision"] = {k: recorded.get(k) for k in MATCH_DECISION_COLUMNS}
        details["matcher"] = {
            "match_status": status,
            "province_index": None if chosen is None else int(chosen[H_IDX]),
            "match_score": 0.0 if chosen is None else float(chosen["score"]),
        }
        linked = recorded["province_index"]
        reason, status, role, rival = "decision", recorded["match_status"], recorded["link_role"], None
        chosen = None if linked is None else {H_IDX: int(linked)}
    elif recorded["link_role"] == s.MEMBER:
        reason, status, role, chosen, rival = "member", recorded["match_status"], s.MEMBER, None, None
        details["head"] = _head(tables, recorded)
    else:
        _check(index, recorded, chosen, status, role, _decisions_hint(tables))
        context = {
            "_accept": th.accept,
            "_considered": bool(mine["considered"].any()),
            "desa_code": row["desa_code"],
        }
        reason = _reason(chosen, rival, status, role, context)
    shown = _best_per_household(mine).sort(["considered", "weight", H_IDX], descending=[True, True, False])
    candidates = tuple(_candidate(p, tables, chosen) for p in shown.iter_rows(named=True))
    rival_candidate = next(
        (c for c in candidates if rival is not None and c.province_index == rival[H_IDX]), None
    )
    if chosen is not None and rival is not None:
        details["gap"] = round(float(chosen["weight"] - rival["weight"]), 2)
    return Explanation(
        submission_index=index,
        file=str(row[s.SOURCE_FILE]),
        sheet=row[s.SOURCE_SHEET],
        row=int(row[s.SOURCE_ROW]),
        name=row.get("name"),
        nik=row.get("nik"),
        desa_code=row.get("desa_code"),
        match_status=str(recorded["match_status"]),
        link_role=recorded["link_role"],
        match_method=str(recorded["match_method"]),
        match_score=float(recorded["match_score"]),
        province_index=recorded["province_index"],
        reason=reason,
        candidates=candidates,
        accept=th.accept,
        review=th.review,
        rival=rival_candidate,
        details=details,
    )


def _decisions_hint(tables: Tables) -> str | None:
    """Officer decisions move links after the matcher: the rows they freed or took explain no longer."""
    m = tables.matches
    if "decision" not in m.columns or m["decision"].null_count() == m.height:
        return None
    return " (or officer decisions of this run moved the households this row was compared with)"


def _head(tables: Tables, recorded: dict[str, Any]) -> dict[str, Any] | None:
    """The row whose primary link brought a family member's row to the household."""
    head = tables.matches.filter(
        (pl.col("province_index") == recorded["province_index"]) & (pl.col("link_role") == s.PRIMARY)
    )
    if head.height == 0:
        return None
    found = head.row(0, named=True)
    return {
        "file": found["submission_file"],
        "sheet": found["submission_sheet"],
        "row": found["submission_row"],
    }


def replay(tables: Tables, indices: list[int], thresholds: MatchingConfig) -> dict[int, Explanation]:
    """Explain rows ``indices`` (their candidates found and scored together), each checked against the run."""
    pairs = candidate_pairs(tables, indices, thresholds)
    return {i: _explain_one(tables, i, pairs, thresholds) for i in indices}


REASON_SCHEMA: Final = REVIEW_REASON_COLUMNS


def review_reasons(
    tables: Tables, thresholds: MatchingConfig, recorded: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Why each ``review`` row of the run is in review, for the workbooks' review sheets (REASON_SCHEMA).

    The same replay as :func:`replay`, for all review rows at once: the rival of a primary link (the
    best other household it fits, unless a heavier row owns it), or the row that owns a secondary
    link's household. ``recorded``: the linker's own (``s_idx``, ``weight``, ``rival_weight``) of the
    primary links; the gap is then the linker's, and a replayed rival whose weight is not the
    linker's is not named (the sentence then names no list row rather than a wrong one).
    """
    m = tables.matches.filter(pl.col("match_status") == REVIEW)
    if m.height == 0:
        return pl.DataFrame(schema=REASON_SCHEMA)
    indices = m["submission_index"].cast(pl.Int64).to_list()
    pairs = candidate_pairs(tables, indices, thresholds)
    pool = (
        pairs.filter(pl.col("considered") & (pl.col("score") >= thresholds.review))
        .sort([S_IDX, H_IDX, "weight", T_IDX], descending=[False, False, True, False])
        .unique(subset=[S_IDX, H_IDX], keep="first", maintain_order=True)
    )
    links = m.select(
        pl.col("submission_index").cast(pl.Int64).alias(S_IDX),
        pl.col("province_index").cast(pl.Int64).alias("_linked"),
        "link_role",
        pl.col("match_score").alias("score"),
    )
    chosen_weight = pool.join(links, left_on=[S_IDX, H_IDX], right_on=[S_IDX, "_linked"]).select(
        S_IDX, pl.col("weight").alias("_weight")
    )
    rivals = (
        pool.join(links.select(S_IDX, "_linked"), on=S_IDX)
        .join(chosen_weight, on=S_IDX)
        .filter(
            (pl.col(H_IDX) != pl.col("_linked"))
            & (pl.col("owner_weight").is_null() | (pl.col("owner_weight") <= pl.col("weight")))
        )
        .sort([S_IDX, "weight", H_IDX], descending=[False, True, False])
        .unique(subset=[S_IDX], keep="first", maintain_order=True)
        .join(
            tables.households.select(pl.col(H_IDX).cast(pl.Int64), pl.col(s.SOURCE_ROW).alias("_rival_row")),
            on=H_IDX,
        )
        .select(
            S_IDX,
            pl.col("_rival_row").cast(pl.Int64).alias("rival_row"),
            pl.col("score").alias("rival_score"),
            (pl.col("_weight") - pl.col("weight")).round(2).alias("gap"),
            pl.col("weight").alias("_rival_weight"),
        )
    )
    if recorded is not None:
        rivals = _as_recorded(links.select(S_IDX), rivals, recorded)
    owners = _secondary_owners(tables, m)
    out = (
        links.join(rivals, on=S_IDX, how="left")
        .join(owners, on=S_IDX, how="left")
        .join(
            tables.households.select(pl.col(H_IDX).cast(pl.Int64).alias("_linked"), s.SOURCE_ROW),
            on="_linked",
            how="left",
        )
        .select(
            pl.col(S_IDX).alias("submission_index"),
            pl.when(pl.col("link_role") != s.PRIMARY)
            .then(pl.lit("taken"))
            .when(pl.col("score") < thresholds.accept)
            .then(pl.lit("low_score"))
            .otherwise(pl.lit("rival"))
            .alias("reason"),
            "score",
            pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("province_row"),
            pl.coalesce("rival_row", "_owner_row").alias("rival_row"),
            "rival_score",
            "_owner_file",
            "_owner_sheet",
            "gap",
        )
        .rename({"_owner_file": "rival_file", "_owner_sheet": "rival_sheet"})
        .with_columns(
            pl.lit(thresholds.accept).alias("accept"),
            pl.lit(thresholds.review).alias("review"),
            pl.lit(AMBIGUITY_MARGIN).alias("margin"),
        )
    )
    return out.select([pl.col(c).cast(t) for c, t in REASON_SCHEMA.items()])


def _as_recorded(links: pl.DataFrame, rivals: pl.DataFrame, recorded: pl.DataFrame) -> pl.DataFrame:
    """The linker's gap for each row; the replayed rival only where its weight is the linker's."""
    both = links.join(rivals, on=S_IDX, how="left").join(
        recorded.select(pl.col(S_IDX).cast(pl.Int64), "weight", pl.col("rival_weight").alias("_recorded")),
        on=S_IDX,
        how="left",
    )
    agrees = ((pl.col("_rival_weight") - pl.col("_recorded")).abs() < 1e-9).fill_null(False)
    return both.select(
        S_IDX,
        pl.when(agrees).then(pl.col("rival_row")).alias("rival_row"),
        pl.when(agrees).then(pl.col("rival_score")).alias("rival_score"),
        (pl.col("weight") - pl.col("_recorded")).round(2).alias("gap"),
    )


def _secondary_owners(tables: Tables, review: pl.DataFrame) -> pl.DataFrame:
    """For review rows whose household another row owns: that row's file, sheet and row."""
    primary = tables.matches.filter(pl.col("link_role") == s.PRIMARY).select(
        "province_index", pl.col("submission_index").alias("_owner")
    )
    where = tables.rows.select(
        pl.col(S_IDX).alias("_owner"),
        pl.col(s.SOURCE_FILE).alias("_owner_file"),
        pl.col(s.SOURCE_SHEET).alias("_owner_sheet"),
        pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("_owner_row"),
    )
    return (
        review.filter(pl.col("link_role") != s.PRIMARY)
        .select(pl.col("submission_index").cast(pl.Int64).alias(S_IDX), "province_index")
        .join(primary, on="province_index")
        .join(where, on="_owner")
        .drop("province_index", "_owner")
    )
