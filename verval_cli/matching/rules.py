"""The whole matching policy on one screen: comparisons as ordered levels, their weights, special rules.

Each comparison of a (submission row, province person) pair falls into one level: the first of its
``levels`` whose condition holds, else ``unknown`` (a value missing on either side, weight 0). A level's
weight is ``log2(m / u)`` — how much likelier that level is for a true link (m) than for two different
households of the same desa (u) — so weights add up, as in Fellegi-Sunter record linkage. The m and u
values below are set from facts about Indonesian verval data (DOMAIN.md), not fitted to any generator:

* NIK never changes, but village operators mistype it, Excel damages it, and a new head of family
  brings another NIK; two different households share a NIK almost never.
* About 8% of listed birth dates disagree with reality, so a differing date is weak evidence against.
* Common single-word names (SUPARNO) repeat within a desa: the weight of an exact name agreement is
  lowered by the name's frequency in the province list (term-frequency adjustment).
* A shared No KK means the same family even when the head changed: then person-level disagreement is
  expected, and is capped at ``HEAD_CHANGE_FLOOR``. A damaged No KK (Excel) is not enough for that.

The link score (0-100) is the posterior probability of a link: ``PRIOR`` is the log2 prior odds that
a candidate pair in a desa of ~200 households is the same household.

Conditions are polars expressions over the pair columns of :func:`verval_cli.matching.score.attach_sides`
(``s_*`` the submission row, ``p_*`` the listed person, ``h_*`` the listed household) and the features
:func:`verval_cli.matching.score.compare` computes first: ``name_similarity`` (0-100), ``_name_contained``
(one name wholly inside the other), ``_sixteen`` (both NIKs have 16 digits) and ``_nik_distance`` (digit
edits between them); ``p_name_frequency`` is the person's name's share of the province list. The scorer
reads ``COMPARISONS`` when it runs: adding a level, or a comparison, is one edit here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, overload

import polars as pl

from verval_cli.matching.family import is_head_expr

PRIOR: Final = -7.6  # log2 odds that a candidate pair in a desa of ~200 households is a link
NAME_EXACT_M: Final = 0.70
NAME_FREQUENCY_FLOOR: Final = 1e-3  # never trust a name as if it were rarer than 1 in 1,000
HEAD_CHANGE_FLOOR: Final = -3.0  # person evidence cannot push a same-No-KK pair below this
# Name similarity thresholds (rapidfuzz, 0-100) that delimit the name levels.
NAME_HIGH: Final = 90.0
NAME_MEDIUM: Final = 80.0
NAME_LOW: Final = 65.0
NAME_CONTAINED_MIN_LETTERS: Final = 5  # "SITI" inside "SITI AMINAH" says nothing
# Fuzzy candidates within a desa are only considered from this name similarity on.
NAME_CANDIDATE_MIN: Final = 70.0
# Desa per regency in Indonesia (~84,000 desa and kelurahan in 514 regencies and cities): a search over
# the regency draws candidates from this many times more households than a desa search.
DESA_PER_REGENCY: Final = 160
DESA_PER_KECAMATAN: Final = 12  # ~84,000 desa in ~7,200 kecamatan
# A damaged NIK or No KK whose possible range is wider than this lost its date digits (7-12): it only
# names the region (kecamatan) of issue, which most households of a desa share.
REGION_ONLY_WIDTH: Final = 10**8
# Share of a desa's people whose NIK was first issued in its own kecamatan: in one real regency file
# about 18% of NIKs carried another regency's prefix (DOMAIN.md). A number that kept only its region
# digits fits a non-link of the desa that often, and a link always: log2(1 / 0.82), next to nothing.
REGION_SHARE: Final = 0.82
# When two households fit one row almost equally well, the link is left for review.
AMBIGUITY_MARGIN: Final = 4.0  # log2 units between the best and the second-best candidate

# Level names, as the ``<comparison>_level`` columns and the evidence text carry them.
SAME: Final = "same"
DIFFERS: Final = "differs"
UNKNOWN: Final = "unknown"  # no level holds: a value missing on either side; weighs 0
MEMBER: Final = "member"
CORRECTED: Final = "corrected"
NEAR: Final = "near"
DAMAGED: Final = "damaged"
EXACT: Final = "exact"
PHONETIC: Final = "phonetic"
HIGH: Final = "high"
PARTIAL: Final = "partial"
MEDIUM: Final = "medium"
LOW: Final = "low"
CLOSE: Final = "close"
WIDE: Final = "wide"  # another desa, found by the regency-wide search for rows no household took
KECAMATAN: Final = "kecamatan"  # the same, within the kecamatan an Excel-damaged NIK still names
REGION: Final = "region"  # an Excel-damaged number that kept only its region digits (scientific notation)
ELSEWHERE: Final = "elsewhere"  # RT/RW of a household in another desa: not comparable
FAMILY: Final = "family"  # the row's NIK is another listed member's of the compared person's family


@dataclass(frozen=True)
class Level:
    """One level of a comparison: where ``when`` holds (and no earlier level did), ``weight`` counts.

    ``pair_weight`` replaces ``weight`` by a value that varies from pair to pair (term frequency).
    """

    name: str
    when: pl.Expr
    weight: float
    pair_weight: pl.Expr | None = None


@dataclass(frozen=True)
class Comparison:
    """One comparison of a pair: its levels in order, the first that holds wins (none: ``UNKNOWN``).

    ``person``: evidence about the person (capped by the head-change floor), else about the household.
    ``inputs``: helper columns its conditions read, computed before them (and dropped after).
    """

    name: str
    levels: tuple[Level, ...]
    person: bool
    inputs: tuple[pl.Expr, ...] = ()

    def __post_init__(self) -> None:
        names = [level.name for level in self.levels]
        if len(set(names)) < len(names) or UNKNOWN in names:
            raise ValueError(f"{self.name}: level names must be distinct and not {UNKNOWN!r}: {names}")


def _w(m: float, u: float) -> float:
    return round(math.log2(m / u), 2)


def level_of(comparison: str) -> pl.Expr:
    """The column holding a comparison's level."""
    return pl.col(f"{comparison}_level")


def _value(expr: pl.Expr) -> float:
    return float(pl.select(expr).item())


@overload
def name_exact_weight(frequency: float) -> float: ...
@overload
def name_exact_weight(frequency: pl.Expr) -> pl.Expr: ...
def name_exact_weight(frequency: float | pl.Expr) -> float | pl.Expr:
    """Term frequency: the weight of an exact name agreement for a name with this share of the list."""
    if not isinstance(frequency, pl.Expr):
        return _value(name_exact_weight(pl.lit(frequency, dtype=pl.Float64)))
    share = pl.max_horizontal(frequency.fill_null(0.0), pl.lit(NAME_FREQUENCY_FLOOR))
    return pl.lit(NAME_EXACT_M).truediv(share).log(2)


def _known(left: str, right: str) -> pl.Expr:
    return pl.col(left).is_not_null() & pl.col(right).is_not_null()


def _sixteen_digits(column: str) -> pl.Expr:
    return pl.col(column).str.contains(r"^\d{16}$").fill_null(False)


def _same_or_differs(left: str, right: str, same: float, differs: float) -> tuple[Level, ...]:
    return (
        Level(SAME, _known(left, right) & (pl.col(left) == pl.col(right)), same),
        Level(DIFFERS, _known(left, right), differs),
    )


_nik_equal = pl.col("_sixteen") & (pl.col("s_nik") == pl.col("p_nik"))
_names_known = _known("s_name", "p_name")
_similarity = pl.col("name_similarity")
# Dates typed in the columns; a NIK-decoded date only stands in when the NIKs differ (no double count),
# and not when the row's NIK is another family member's (its date is that member's, not the person's).
_nik_speaks_for_person = ~level_of("nik").is_in([SAME, FAMILY])
_dates = tuple(
    pl.coalesce(
        pl.col(f"{side}_birth_date"), pl.when(_nik_speaks_for_person).then(pl.col(f"{side}_nik_birth_date"))
    ).alias(f"_{side}_date")
    for side in ("s", "p")
)
_s_date, _p_date = pl.col("_s_date"), pl.col("_p_date")
_dates_known = _s_date.is_not_null() & _p_date.is_not_null()
_swapped = (_s_date.dt.day() == _p_date.dt.month()) & (_s_date.dt.month() == _p_date.dt.day())
_s_sex = pl.coalesce(pl.col("s_sex"), pl.when(level_of("nik") != FAMILY).then(pl.col("s_nik_sex")))
_p_sex = pl.coalesce(pl.col("p_sex"), pl.col("p_nik_sex"))
_sexes_known = _s_sex.is_not_null() & _p_sex.is_not_null()
_kk_known = _sixteen_digits("s_no_kk") & _sixteen_digits("h_no_kk")
_kk_damaged = (pl.col("s_no_kk_status") == "excel_damaged").fill_null(False) & pl.col("h_no_kk").cast(
    pl.Int64, strict=False
).is_between(pl.col("s_no_kk_lo"), pl.col("s_no_kk_hi")).fill_null(False)
_kk_region_only = ((pl.col("s_no_kk_hi") - pl.col("s_no_kk_lo")) > REGION_ONLY_WIDTH).fill_null(False)
_nik_damaged = (pl.col("s_nik_status") == "excel_damaged").fill_null(False) & pl.col("p_nik_int").is_between(
    pl.col("s_nik_lo"), pl.col("s_nik_hi")
).fill_null(False)
_nik_region_only = ((pl.col("s_nik_hi") - pl.col("s_nik_lo")) > REGION_ONLY_WIDTH).fill_null(False)
_wide_elsewhere = (
    pl.col("s_wide").fill_null(False)
    & _known("s_desa_code", "h_desa_code")
    & (pl.col("s_desa_code") != pl.col("h_desa_code"))
)
_rt_known, _rw_known = _known("s_rt", "h_rt"), _known("s_rw", "h_rw")
_rt_same = _rt_known & (pl.col("s_rt") == pl.col("h_rt"))
_rw_fits = ~_rw_known | (pl.col("s_rw") == pl.col("h_rw"))  # a RW given on one side only does not count

# The comparisons, in evidence order; each one's levels are tried in order.
COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "nik",
        (
            Level(SAME, _nik_equal & pl.col("p_is_head"), _w(0.85, 1e-6)),  # identical valid NIK
            Level(MEMBER, _nik_equal, _w(0.05, 1e-6)),  # the NIK of another member of the listed family
            # the operator's corrected-NIK column equals the list
            Level(CORRECTED, (pl.col("s_nik_corrected") == pl.col("p_nik")).fill_null(False), _w(0.05, 1e-6)),
            # The NIK of another member of the compared person's listed family (the spouse's NIK typed on
            # the head's row, or the head's on the spouse's): the family is known, the person only with
            # an agreeing name (see ``nik_needs_name``). m: a member's NIK typed for the family; u: a
            # household of the desa listing a member with this exact NIK.
            Level(FAMILY, pl.col("h_member_nik").fill_null(False) & ~_nik_equal, _w(0.02, 1e-6)),
            # Scientific notation kept the region digits only: most NIKs of a desa fit (u ~ m).
            Level(REGION, _nik_damaged & _nik_region_only, _w(1.0, REGION_SHARE)),
            # Excel-damaged NIK whose surviving digits fit the list's NIK; people born on one day in one
            # kecamatan get consecutive serials, so a +-10 range can hold a neighbour's NIK too.
            Level(DAMAGED, _nik_damaged, _w(0.04, 1e-4)),
            # one digit wrong or two adjacent digits swapped
            Level(NEAR, pl.col("_sixteen") & (pl.col("_nik_distance") <= 1), _w(0.04, 2e-5)),
            Level(
                DIFFERS,
                (pl.col("s_nik_status") == "valid").fill_null(False) & pl.col("_sixteen"),
                _w(0.06, 0.98),
            ),
        ),
        person=True,
    ),
    Comparison(
        "name",
        (
            Level(
                EXACT,
                _names_known & (pl.col("s_name") == pl.col("p_name")),
                _w(NAME_EXACT_M, 0.004),  # nominal: the term-frequency weight counts
                pair_weight=name_exact_weight(pl.col("p_name_frequency")),
            ),
            # same Indonesian phonetic key (old spelling, doubled letters)
            Level(
                PHONETIC,
                _names_known & (pl.col("s_name_key") == pl.col("p_name_key")).fill_null(False),
                _w(0.10, 0.004),
            ),
            Level(HIGH, _names_known & (_similarity >= NAME_HIGH), _w(0.10, 0.004)),  # a typo
            # one name's words all inside the other's ("SUPARNO" / "SUPARNO HADI")
            Level(PARTIAL, _names_known & pl.col("_name_contained"), _w(0.08, 0.02)),
            Level(MEDIUM, _names_known & (_similarity >= NAME_MEDIUM), _w(0.05, 0.03)),
            Level(LOW, _names_known & (_similarity >= NAME_LOW), _w(0.02, 0.10)),
            Level(DIFFERS, _names_known, _w(0.03, 0.86)),
        ),
        person=True,
    ),
    Comparison(
        "birth_date",
        (
            Level(SAME, _dates_known & (_s_date == _p_date), _w(0.85, 0.002)),
            # same year, or day and month swapped
            Level(
                CLOSE, _dates_known & ((_s_date.dt.year() == _p_date.dt.year()) | _swapped), _w(0.07, 0.03)
            ),
            Level(DIFFERS, _dates_known, _w(0.08, 0.97)),
        ),
        person=True,
        inputs=_dates,
    ),
    Comparison(
        "sex",
        (
            Level(SAME, _sexes_known & (_s_sex == _p_sex), _w(0.97, 0.5)),
            Level(DIFFERS, _sexes_known, _w(0.03, 0.5)),
        ),
        person=True,
    ),
    # Family cards issued on one day in one kecamatan have consecutive serials: a damaged No KK is weak.
    Comparison(
        "kk",
        (
            Level(SAME, _kk_known & (pl.col("s_no_kk") == pl.col("h_no_kk")), _w(0.6, 2e-5)),
            Level(REGION, _kk_damaged & _kk_region_only, _w(1.0, REGION_SHARE)),  # the kecamatan's cards fit
            Level(DAMAGED, _kk_damaged, _w(0.05, 1e-3)),
            Level(DIFFERS, _kk_known, _w(0.1, 0.99)),
        ),
        person=False,
    ),
    Comparison(
        "rt_rw",
        (
            Level(ELSEWHERE, _wide_elsewhere, 0.0),  # RT numbers of two desa are unrelated
            Level(SAME, _rt_same & _rw_fits, _w(0.85, 0.12)),
            Level(DIFFERS, _rt_known | _rw_known, _w(0.15, 0.88)),
        ),
        person=False,
    ),
    # Candidates are mostly drawn within the desa: the same desa says nothing. A pair found by the
    # regency-wide search (``s_wide``, only for rows no household of their desa took) pays for the
    # larger search instead: its prior odds are those of one household among a kecamatan's (the one the
    # damaged NIK names) or a regency's, not a desa's.
    Comparison(
        "desa",
        (
            Level(KECAMATAN, _wide_elsewhere & _nik_damaged, round(-math.log2(DESA_PER_KECAMATAN), 2)),
            Level(WIDE, _wide_elsewhere, round(-math.log2(DESA_PER_REGENCY), 2)),
            *_same_or_differs("s_desa_code", "h_desa_code", 0.0, _w(0.03, 0.9)),
        ),
        person=False,
    ),
    Comparison(
        "household_id",
        _same_or_differs("s_household_id", "h_household_id", _w(0.95, 1e-4), 0.0),
        person=False,
    ),
)

# comparison -> level -> weight, as declared above (an exact name's nominal weight: term frequency counts).
WEIGHTS: Final[dict[str, dict[str, float]]] = {
    c.name: {level.name: level.weight for level in c.levels} for c in COMPARISONS
}


# Special rules: applied by the scorer to the levels and their weights.
def name_agrees() -> pl.Expr:
    """Name evidence that supports a link: exact, phonetic, a typo, one name inside the other, or medium."""
    return level_of("name").is_in([EXACT, PHONETIC, HIGH, PARTIAL, MEDIUM])


def nik_repaired() -> pl.Expr:
    """A NIK that fits only once repaired: one digit or swap away, or damaged by Excel."""
    return level_of("nik").is_in([NEAR, DAMAGED])


def repaired_nik_needs_name(nik_weight: pl.Expr) -> pl.Expr:
    """A repaired NIK counts only with agreeing name evidence."""
    return pl.when(nik_repaired() & ~name_agrees()).then(0.0).otherwise(nik_weight)


def nik_needs_name(nik_weight: pl.Expr) -> pl.Expr:
    """A repaired NIK, or a family member's NIK on another person's row, counts only with an agreeing name."""
    family = (level_of("nik") == FAMILY) & ~name_agrees()
    return pl.when(family).then(0.0).otherwise(repaired_nik_needs_name(nik_weight))


def id_conflict() -> pl.Expr:
    """An id contradicted by both NIK and name is not evidence: the evidence wins."""
    return (
        (level_of("household_id") == SAME)
        & (level_of("nik") == DIFFERS)
        & level_of("name").is_in([LOW, DIFFERS])
    )


def id_needs_no_conflict(household_id_weight: pl.Expr) -> pl.Expr:
    """A household id counts only when NIK and name do not both contradict it."""
    return pl.when(id_conflict()).then(0.0).otherwise(household_id_weight)


# comparison -> rule over its weight, applied after the levels' weights.
WEIGHT_RULES: Final = {"nik": nik_needs_name, "household_id": id_needs_no_conflict}


def member_named() -> pl.Expr:
    """The row stands for the family (no relation, or marked head) yet names a listed member who is not
    the head: an agreeing name, with a member's NIK or no NIK at all."""
    for_family = pl.col("s_relation").is_null() | is_head_expr("s_relation")
    return (
        ~pl.col("p_is_head").fill_null(True)
        & for_family
        & level_of("nik").is_in([MEMBER, FAMILY, UNKNOWN])  # a member's NIK, or none to contradict
        & name_agrees()
    )


def head_changed_by_kk(person: pl.Expr) -> pl.Expr:
    """Same No KK, but the person evidence falls below the floor: another person heads the family card."""
    return (level_of("kk") == SAME) & (person < HEAD_CHANGE_FLOOR)


def head_changed(person: pl.Expr) -> pl.Expr:
    """Another person now heads the family: same No KK but the person evidence falls below the floor,
    or the row names another member of the listed family (see ``member_named``).

    A member named on a row that does not report the household (a second row of the family) is a head
    change only when that file reports the listed head as deceased (``matching.head_after_death``).
    """
    return head_changed_by_kk(person) | member_named()


def person_weight() -> pl.Expr:
    """The summed weight of the person comparisons of a link (before the head-change floor)."""
    return pl.sum_horizontal([f"{c.name}_weight" for c in COMPARISONS if c.person])


def head_change_floor(person: pl.Expr) -> pl.Expr:
    """Same family card: another person may now head the family, so person disagreement is capped."""
    return (
        pl.when(level_of("kk") == SAME)
        .then(pl.max_horizontal(person, pl.lit(HEAD_CHANGE_FLOOR)))
        .otherwise(person)
    )


@overload
def score_from_weight(total: float) -> float: ...
@overload
def score_from_weight(total: pl.Expr) -> pl.Expr: ...
def score_from_weight(total: float | pl.Expr) -> float | pl.Expr:
    """Posterior link probability, as a 0-100 score, from the summed weights plus the prior."""
    if not isinstance(total, pl.Expr):
        return _value(score_from_weight(pl.lit(total, dtype=pl.Float64)))
    return 100.0 / (1.0 + (pl.lit(2.0).pow(-(total + PRIOR))))


def clear_of_rival(weight: pl.Expr, rival_weight: pl.Expr) -> pl.Expr:
    """No other household fits the row almost as well (within ``AMBIGUITY_MARGIN``)."""
    return rival_weight.is_null() | ((weight - rival_weight) >= AMBIGUITY_MARGIN)


# Evidence kinds in the order the tiers name them; a link's method is the first that applies.
METHOD_TIERS: Final[tuple[tuple[str, pl.Expr], ...]] = (
    ("id", (level_of("household_id") == SAME) & ~pl.col("id_conflict")),
    ("nik", level_of("nik").is_in([SAME, MEMBER, CORRECTED]) | ((level_of("nik") == FAMILY) & name_agrees())),
    ("nik_repaired", nik_repaired() & name_agrees()),
    ("kk", level_of("kk").is_in([SAME, DAMAGED])),
)
LAST_METHOD: Final = "name"
METHODS: Final = (*(method for method, _ in METHOD_TIERS), LAST_METHOD)
