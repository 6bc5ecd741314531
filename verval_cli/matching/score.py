"""Score candidate pairs by the policy in rules.py: a level per comparison, its weight, a 0-100 score."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from verval_cli import schema
from verval_cli.frames import beside, evaluated
from verval_cli.matching import rules
from verval_cli.schema import H_IDX, S_IDX, T_IDX

if TYPE_CHECKING:  # numpy loads inside the functions below: importing matching stays light
    import numpy as np

# Columns each side contributes to a pair, renamed with a prefix.
SUBMISSION_SIDE = (
    S_IDX,
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
    "relation",
)
PERSON_SIDE = (
    T_IDX,
    H_IDX,
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
HOUSEHOLD_SIDE = (H_IDX, "household_id", "no_kk", "rt", "rw", "desa_code")

_PATRONYM = r" BIN(?:TI)? .*$"


def attach_sides(
    pairs: pl.DataFrame, rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame
) -> pl.DataFrame:
    """Join both sides' columns onto distinct (s_idx, t_idx) pairs: ``s_*``, ``p_*`` (person) and ``h_*``.

    The candidate functions give each pair once; a pair given twice is compared twice.
    """
    out = pairs.select(S_IDX, T_IDX)
    s_side = beside(rows, S_IDX, out[S_IDX], SUBMISSION_SIDE, schema.ROW_SIDE)
    p_side = beside(persons, T_IDX, out[T_IDX], PERSON_SIDE, schema.PERSON_SIDE).rename(
        {f"{schema.PERSON_SIDE}{H_IDX}": H_IDX}
    )
    h_side = beside(households, H_IDX, p_side[H_IDX], HOUSEHOLD_SIDE, schema.HOUSEHOLD_SIDE)
    member_nik = _member_nik(s_side[f"{schema.ROW_SIDE}nik"], p_side[H_IDX], persons)
    # Whether the pair comes from the regency-wide search (``matching.link`` sets it for those pairs).
    wide = pl.DataFrame({f"{schema.ROW_SIDE}wide": pl.Series(values=[False] * out.height, dtype=pl.Boolean)})
    return pl.concat([out, s_side, p_side, h_side, member_nik, wide], how="horizontal")


def _member_nik(s_nik: pl.Series, h_idx: pl.Series, persons: pl.DataFrame) -> pl.DataFrame:
    """``h_member_nik``: whether the row's 16-digit NIK is the NIK of a listed person of the pair's household.

    On a household-level list (one person per household) that person is the compared one.
    """
    column = f"{schema.HOUSEHOLD_SIDE}member_nik"
    if persons.height == persons[H_IDX].n_unique():
        return pl.DataFrame({column: pl.Series(values=[False] * s_nik.len(), dtype=pl.Boolean)})
    listed = (
        persons.lazy()
        .select(H_IDX, pl.col("nik").alias("_nik"))
        .filter(pl.col("_nik").str.contains(r"^\d{16}$").fill_null(False))
        .unique()
        .with_columns(pl.lit(True).alias(column))
    )
    pairs = pl.LazyFrame({H_IDX: h_idx, "_nik": s_nik})
    found = pairs.join(listed, on=[H_IDX, "_nik"], how="left", maintain_order="left").collect()
    return found.select(pl.col(column).fill_null(False))


def _pairwise(left: pl.Series, right: pl.Series, *scorers: Any) -> list[np.ndarray]:
    """Each scorer's value for each pair of texts (nulls as empty text), as float64 arrays.

    Most candidate pairs carry the same text on both sides (an exact NIK link with the name as listed):
    those take the scorer's value of a text with itself, and only the differing pairs are scored.
    """
    import numpy as np  # loaded by matching only: `verval inspect` and `--help` go without

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


def _level(
    conditions: list[tuple[pl.Expr, str]], default: str = rules.UNKNOWN, *, text: bool = False
) -> pl.Expr:
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


def _features(pairs: pl.DataFrame) -> pl.DataFrame:
    """The pair features the policy's conditions read besides the sides' columns (see rules.py).

    Names are compared whole and without a BIN/BINTI patronym that one side may have added; NIK edit
    distance only counts between two 16-digit NIKs.
    """
    import numpy as np  # loaded by matching only: `verval inspect` and `--help` go without

    sixteen_expr = pl.col("s_nik").str.contains(r"^\d{16}$").fill_null(False) & pl.col("p_nik").str.contains(
        r"^\d{16}$"
    ).fill_null(False)
    # The texts are prepared in one streaming select.
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
    return pl.DataFrame(
        [
            pl.Series("name_similarity", similarity, dtype=pl.Float64),
            pl.Series(
                "_name_contained", contained & (shorter >= rules.NAME_CONTAINED_MIN_LETTERS), dtype=pl.Boolean
            ),
            pl.Series("_nik_distance", nik_distance.astype(np.int64), dtype=pl.Int64),
            sixteen,
        ]
    )


def level_expr(comparison: rules.Comparison) -> pl.Expr:
    """A comparison's level column: one ``when/then`` chain over its levels, in order."""
    return _level([(level.when, level.name) for level in comparison.levels]).alias(f"{comparison.name}_level")


def compare(pairs: pl.DataFrame) -> pl.DataFrame:
    """Add ``<comparison>_level`` columns of ``rules.COMPARISONS`` and the name similarity to pairs from
    :func:`attach_sides`."""
    features = _features(pairs)
    # The similarities come from numpy; the levels are one lazy plan (polars' streaming engine).
    lf = pairs.hstack(features).lazy()
    helpers = [c for c in features.columns if c.startswith("_")]
    pending: list[pl.Expr] = []
    for comparison in rules.COMPARISONS:
        if comparison.inputs:
            # Inputs read the levels before them (a date from the NIK only when the NIKs differ):
            # those are materialised first, re-deriving them inside every condition costs more.
            lf = lf.with_columns(pending).with_columns(comparison.inputs)
            helpers += [e.meta.output_name() for e in comparison.inputs]
            pending = []
        pending.append(level_expr(comparison))
    return lf.with_columns(pending).drop(helpers).collect()


def _weight_of(comparison: rules.Comparison) -> pl.Expr:
    level = rules.level_of(comparison.name)
    names, weights = [lv.name for lv in comparison.levels], [lv.weight for lv in comparison.levels]
    weight = level.replace_strict(names, weights, default=0.0, return_dtype=pl.Float64)
    for lv in comparison.levels:
        if lv.pair_weight is not None:
            weight = pl.when(level == lv.name).then(lv.pair_weight).otherwise(weight)
    return weight.alias(f"{comparison.name}_weight")


def weigh(pairs: pl.DataFrame) -> pl.DataFrame:
    """Add per-comparison weights, the policy's special rules, ``weight`` (total) and ``score`` (0-100)."""
    comparisons = rules.COMPARISONS
    lf = pairs.lazy().with_columns([_weight_of(c) for c in comparisons])
    lf = lf.with_columns(
        rule(pl.col(f"{c}_weight")).alias(f"{c}_weight") for c, rule in rules.WEIGHT_RULES.items()
    )
    person = pl.sum_horizontal([f"{c.name}_weight" for c in comparisons if c.person])
    household = pl.sum_horizontal([f"{c.name}_weight" for c in comparisons if not c.person])
    lf = lf.with_columns(
        rules.head_changed(person).alias("head_changed"),
        rules.id_conflict().alias("id_conflict"),
        (rules.head_change_floor(person) + household).alias("weight"),
    )
    method = _level(
        [(condition, name) for name, condition in rules.METHOD_TIERS], default=rules.LAST_METHOD, text=True
    )
    score = rules.score_from_weight(pl.col("weight")).round(1)
    return lf.with_columns(score.alias("score"), method.alias("method")).collect()


def comparison_names() -> list[str]:
    """The comparisons of the policy, in evidence order."""
    return [c.name for c in rules.COMPARISONS]


def evidence_text(pairs: pl.DataFrame) -> pl.Expr:
    """A compact explanation such as ``nik=same(19.7) name=exact(7.5) birth_date=unknown``."""
    parts = [
        pl.concat_str(
            pl.lit(f"{c}="),
            pl.col(f"{c}_level"),
            pl.when(pl.col(f"{c}_weight") != 0)
            .then(pl.format("({})", pl.col(f"{c}_weight").round(1)))
            .otherwise(pl.lit("")),
        )
        for c in comparison_names()
    ]
    del pairs
    return pl.concat_str(parts, separator=" ")
