"""Compare candidate pairs: one level per comparison, weights from rules.WEIGHTS, a 0-100 score."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from verval_cli.frames import beside, evaluated
from verval_cli.matching import rules

# Columns each side contributes to a pair, renamed with a prefix.
SUBMISSION_SIDE = (
    "s_idx",
    "household_id",
    "nik",
    "nik_status",
    "nik_lo",
    "nik_hi",
    "nik_birth_date",
    "nik_sex",
    "nik_corrected",
    "no_kk",
    "no_kk_status",
    "no_kk_lo",
    "no_kk_hi",
    "name",
    "name_key",
    "birth_date",
    "sex",
    "rt",
    "rw",
    "desa_code",
)
PERSON_SIDE = (
    "t_idx",
    "h_idx",
    "is_head",
    "nik",
    "nik_status",
    "nik_birth_date",
    "nik_sex",
    "nik_int",
    "name",
    "name_key",
    "birth_date",
    "sex",
    "name_frequency",
)
HOUSEHOLD_SIDE = ("h_idx", "household_id", "no_kk", "rt", "rw", "desa_code")

_PATRONYM = r" BIN(?:TI)? .*$"

COMPARISONS = ("nik", "name", "birth_date", "sex", "kk", "rt_rw", "desa", "household_id")


def attach_sides(
    pairs: pl.DataFrame, rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame
) -> pl.DataFrame:
    """Join both sides' columns onto distinct (s_idx, t_idx) pairs: ``s_*``, ``p_*`` (person) and ``h_*``.

    The candidate functions give each pair once; a pair given twice is compared twice.
    """
    out = pairs.select("s_idx", "t_idx")
    s_side = beside(rows, "s_idx", out["s_idx"], SUBMISSION_SIDE, "s_")
    p_side = beside(persons, "t_idx", out["t_idx"], PERSON_SIDE, "p_").rename({"p_h_idx": "h_idx"})
    h_side = beside(households, "h_idx", p_side["h_idx"], HOUSEHOLD_SIDE, "h_")
    return pl.concat([out, s_side, p_side, h_side], how="horizontal")


def _pairwise(left: pl.Series, right: pl.Series, *scorers: Any) -> list[np.ndarray]:
    """Each scorer's value for each pair of texts (nulls as empty text), as float64 arrays.

    Most candidate pairs carry the same text on both sides (an exact NIK link with the name as listed):
    those take the scorer's value of a text with itself, and only the differing pairs are scored.
    """
    a, b = left.fill_null(""), right.fill_null("")
    size = a.len()
    differ = np.flatnonzero((a != b).to_numpy()) if size else np.zeros(0, dtype=np.int64)
    a_list = a.gather(differ).to_list() if differ.size else []
    b_list = b.gather(differ).to_list() if differ.size else []
    blank: np.ndarray | None = None
    out: list[np.ndarray] = []
    for scorer in scorers:
        same, empty = float(scorer("A", "A")), float(scorer("", ""))
        if same == empty:
            values = np.full(size, same)
        else:  # a text of whitespace only scores with itself like an empty one (token scorers)
            if blank is None:
                blank = (~a.str.contains(r"\S")).to_numpy()
            values = np.where(blank, empty, same)
        if differ.size:
            values[differ] = process.cpdist(a_list, b_list, scorer=scorer, workers=-1)
        out.append(values)
    return out


def _level(conditions: list[tuple[pl.Expr, str]], default: str = "unknown", *, text: bool = False) -> pl.Expr:
    """The level of the first condition that holds, else ``default``: an Enum of the level names.

    An Enum compares, joins and dedupes as a small integer and reads as its name; ``text`` gives a
    plain text column instead (for a value that leaves the matcher).
    """
    # Chosen as a small integer, named once: a chain of text branches would build a text column per branch.
    names = [level for _, level in conditions] + [default]
    expr: Any = pl
    for code, (cond, _) in enumerate(conditions):
        expr = expr.when(cond).then(pl.lit(code, dtype=pl.UInt8))
    chosen: pl.Expr = expr.otherwise(pl.lit(len(conditions), dtype=pl.UInt8))
    dtype = pl.Utf8() if text else pl.Enum(names)
    return chosen.replace_strict(list(range(len(names))), names, return_dtype=dtype)


def _same_or_differs(left: str, right: str) -> pl.Expr:
    both = pl.col(left).is_not_null() & pl.col(right).is_not_null()
    return _level([(both & (pl.col(left) == pl.col(right)), "same"), (both, "differs")])


def compare(pairs: pl.DataFrame) -> pl.DataFrame:
    """Add ``<comparison>_level`` columns and the name similarity to pairs from :func:`attach_sides`."""
    # Names are compared whole and without a BIN/BINTI patronym that one side may have added; NIK edit
    # distance only counts between two 16-digit NIKs. The texts are prepared in one streaming select.
    sixteen_expr = pl.col("s_nik").str.contains(r"^\d{16}$").fill_null(False) & pl.col("p_nik").str.contains(
        r"^\d{16}$"
    ).fill_null(False)
    prepared = evaluated(
        pairs,
        pl.col("s_name").str.replace(_PATRONYM, "").alias("s_plain"),
        pl.col("p_name").str.replace(_PATRONYM, "").alias("p_plain"),
        sixteen_expr.alias("_sixteen"),
        *(pl.when(sixteen_expr).then(pl.col(c)).alias(c) for c in ("s_nik", "p_nik")),
    )
    s_plain, p_plain, sixteen = prepared["s_plain"], prepared["p_plain"], prepared["_sixteen"]
    s_name, p_name = pairs["s_name"], pairs["p_name"]
    whole_ratio, whole_sorted, plain_set = _pairwise(
        s_name, p_name, fuzz.ratio, fuzz.token_sort_ratio, fuzz.token_set_ratio
    )
    # Without a patronym on either side the plain names are the whole names: only the other pairs
    # are scored again without it.
    plain_ratio = whole_ratio.copy()
    stripped = np.flatnonzero(((s_plain != s_name) | (p_plain != p_name)).fill_null(False).to_numpy())
    if stripped.size:
        plain_ratio[stripped], plain_set[stripped] = _pairwise(
            s_plain.gather(stripped), p_plain.gather(stripped), fuzz.ratio, fuzz.token_set_ratio
        )
    similarity = np.maximum.reduce([whole_ratio, whole_sorted, plain_ratio])
    # One name wholly inside the other ("SUPARNO" / "SUPARNO HADI"): some support, not much.
    contained = plain_set >= 100
    shorter = np.minimum(
        s_plain.fill_null("").str.len_chars().to_numpy(), p_plain.fill_null("").str.len_chars().to_numpy()
    )
    (nik_distance,) = _pairwise(prepared["s_nik"], prepared["p_nik"], OSA.distance)
    # The similarities come from numpy; the levels are one lazy plan (polars' streaming engine).
    lf = pairs.with_columns(
        pl.Series("name_similarity", similarity, dtype=pl.Float64),
        pl.Series(
            "_name_contained", contained & (shorter >= rules.NAME_CONTAINED_MIN_LETTERS), dtype=pl.Boolean
        ),
        pl.Series("_nik_distance", nik_distance.astype(np.int64), dtype=pl.Int64),
        sixteen,
    ).lazy()
    both_sixteen = pl.col("_sixteen")
    s_valid = (pl.col("s_nik_status") == "valid").fill_null(False)
    nik_level = _level(
        [
            (both_sixteen & (pl.col("s_nik") == pl.col("p_nik")) & pl.col("p_is_head"), "same"),
            (both_sixteen & (pl.col("s_nik") == pl.col("p_nik")), "member"),
            ((pl.col("s_nik_corrected") == pl.col("p_nik")).fill_null(False), "corrected"),
            (
                (pl.col("s_nik_status") == "excel_damaged").fill_null(False)
                & pl.col("p_nik_int").is_between(pl.col("s_nik_lo"), pl.col("s_nik_hi")).fill_null(False),
                "damaged",
            ),
            (both_sixteen & (pl.col("_nik_distance") <= 1), "near"),
            (s_valid & both_sixteen, "differs"),
        ]
    )
    sim = pl.col("name_similarity")
    names_known = pl.col("s_name").is_not_null() & pl.col("p_name").is_not_null()
    name_level = _level(
        [
            (names_known & (pl.col("s_name") == pl.col("p_name")), "exact"),
            (names_known & (pl.col("s_name_key") == pl.col("p_name_key")).fill_null(False), "phonetic"),
            (names_known & (sim >= rules.NAME_HIGH), "high"),
            (names_known & pl.col("_name_contained"), "partial"),
            (names_known & (sim >= rules.NAME_MEDIUM), "medium"),
            (names_known & (sim >= rules.NAME_LOW), "low"),
            (names_known, "differs"),
        ]
    )
    # Dates typed in the columns; a NIK-decoded date only stands in when the NIKs differ (no double count).
    # The NIK level and both dates are materialised first: re-deriving them inside every date
    # comparison costs more than all the other comparisons together.
    lf = lf.with_columns(nik_level.alias("nik_level"))
    nik_level = pl.col("nik_level")
    lf = lf.with_columns(
        pl.coalesce(
            pl.col("s_birth_date"), pl.when(nik_level != "same").then(pl.col("s_nik_birth_date"))
        ).alias("_s_date"),
        pl.coalesce(
            pl.col("p_birth_date"), pl.when(nik_level != "same").then(pl.col("p_nik_birth_date"))
        ).alias("_p_date"),
    )
    s_date, p_date = pl.col("_s_date"), pl.col("_p_date")
    dates_known = s_date.is_not_null() & p_date.is_not_null()
    swapped = (s_date.dt.day() == p_date.dt.month()) & (s_date.dt.month() == p_date.dt.day())
    date_level = _level(
        [
            (dates_known & (s_date == p_date), "same"),
            (dates_known & ((s_date.dt.year() == p_date.dt.year()) | swapped), "close"),
            (dates_known, "differs"),
        ]
    )
    s_sex = pl.coalesce(pl.col("s_sex"), pl.col("s_nik_sex"))
    p_sex = pl.coalesce(pl.col("p_sex"), pl.col("p_nik_sex"))
    sex_level = _level(
        [
            (s_sex.is_not_null() & p_sex.is_not_null() & (s_sex == p_sex), "same"),
            (s_sex.is_not_null() & p_sex.is_not_null(), "differs"),
        ]
    )
    kk_known = pl.col("s_no_kk").str.contains(r"^\d{16}$").fill_null(False) & pl.col("h_no_kk").str.contains(
        r"^\d{16}$"
    ).fill_null(False)
    kk_damaged = (pl.col("s_no_kk_status") == "excel_damaged").fill_null(False) & pl.col("h_no_kk").cast(
        pl.Int64, strict=False
    ).is_between(pl.col("s_no_kk_lo"), pl.col("s_no_kk_hi")).fill_null(False)
    kk_level = _level(
        [
            (kk_known & (pl.col("s_no_kk") == pl.col("h_no_kk")), "same"),
            (kk_damaged, "damaged"),
            (kk_known, "differs"),
        ]
    )
    rt_known = pl.col("s_rt").is_not_null() & pl.col("h_rt").is_not_null()
    rw_known = pl.col("s_rw").is_not_null() & pl.col("h_rw").is_not_null()
    rt_same = rt_known & (pl.col("s_rt") == pl.col("h_rt"))
    rw_ok = ~rw_known | (pl.col("s_rw") == pl.col("h_rw"))
    rtrw_level = _level([(rt_same & rw_ok, "same"), (rt_known | rw_known, "differs")])
    return (
        lf.with_columns(
            nik_level.alias("nik_level"),
            name_level.alias("name_level"),
            date_level.alias("birth_date_level"),
            sex_level.alias("sex_level"),
            kk_level.alias("kk_level"),
            rtrw_level.alias("rt_rw_level"),
            _same_or_differs("s_desa_code", "h_desa_code").alias("desa_level"),
            _same_or_differs("s_household_id", "h_household_id").alias("household_id_level"),
        )
        .drop("_nik_distance", "_name_contained", "_sixteen", "_s_date", "_p_date")
        .collect()
    )


def _weight_of(comparison: str) -> pl.Expr:
    table = rules.WEIGHTS[comparison]
    return (
        pl.col(f"{comparison}_level")
        .replace_strict(list(table), list(table.values()), default=0.0, return_dtype=pl.Float64)
        .alias(f"{comparison}_weight")
    )


def weigh(pairs: pl.DataFrame) -> pl.DataFrame:
    """Add per-comparison weights, the policy adjustments, ``weight`` (total) and ``score`` (0-100)."""
    lf = pairs.lazy().with_columns([_weight_of(c) for c in COMPARISONS])
    # Term-frequency adjustment of an exact name agreement.
    tf = (
        pl.lit(rules.NAME_EXACT_M)
        .truediv(
            pl.max_horizontal(pl.col("p_name_frequency").fill_null(0.0), pl.lit(rules.NAME_FREQUENCY_FLOOR))
        )
        .log(2)
    )
    name_weight = pl.when(pl.col("name_level") == "exact").then(tf).otherwise(pl.col("name_weight"))
    # A repaired NIK counts only with agreeing name evidence.
    name_agrees = pl.col("name_level").is_in(["exact", "phonetic", "high", "partial", "medium"])
    repaired = pl.col("nik_level").is_in(["near", "damaged"])
    nik_weight = pl.when(repaired & ~name_agrees).then(0.0).otherwise(pl.col("nik_weight"))
    lf = lf.with_columns(name_weight.alias("name_weight"), nik_weight.alias("nik_weight"))
    person = pl.sum_horizontal("nik_weight", "name_weight", "birth_date_weight", "sex_weight")
    # Same family card: another person may now head the family, so person disagreement is capped.
    same_family = pl.col("kk_level") == "same"
    head_changed = same_family & (person < rules.HEAD_CHANGE_FLOOR)
    person = (
        pl.when(same_family)
        .then(pl.max_horizontal(person, pl.lit(rules.HEAD_CHANGE_FLOOR)))
        .otherwise(person)
    )
    # An id contradicted by both NIK and name is not evidence: the evidence wins.
    id_conflict = (
        (pl.col("household_id_level") == "same")
        & (pl.col("nik_level") == "differs")
        & pl.col("name_level").is_in(["low", "differs"])
    )
    id_weight = pl.when(id_conflict).then(0.0).otherwise(pl.col("household_id_weight"))
    household = pl.sum_horizontal("kk_weight", "rt_rw_weight", "desa_weight") + id_weight
    total = person + household
    lf = lf.with_columns(
        head_changed.alias("head_changed"),
        id_conflict.alias("id_conflict"),
        id_weight.alias("household_id_weight"),
        total.alias("weight"),
    )
    score = (100.0 / (1.0 + (pl.lit(2.0).pow(-(pl.col("weight") + rules.PRIOR))))).round(1)
    method = _level(
        [
            ((pl.col("household_id_level") == "same") & ~pl.col("id_conflict"), "id"),
            (pl.col("nik_level").is_in(["same", "member", "corrected"]), "nik"),
            (repaired & name_agrees, "nik_repaired"),
            (pl.col("kk_level").is_in(["same", "damaged"]), "kk"),
        ],
        default="name",
        text=True,
    )
    return lf.with_columns(score.alias("score"), method.alias("method")).collect()


def evidence_text(pairs: pl.DataFrame) -> pl.Expr:
    """A compact explanation such as ``nik=same(+19.7) name=exact(+7.5) birth_date=unknown``."""
    parts = [
        pl.concat_str(
            pl.lit(f"{c}="),
            pl.col(f"{c}_level"),
            pl.when(pl.col(f"{c}_weight") != 0)
            .then(pl.format("({})", pl.col(f"{c}_weight").round(1)))
            .otherwise(pl.lit("")),
        )
        for c in COMPARISONS
    ]
    del pairs
    return pl.concat_str(parts, separator=" ")
