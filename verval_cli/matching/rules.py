"""The whole matching policy on one screen: comparison levels and their evidence weights.

Each comparison of a (submission row, province person) pair falls into one level. A level's weight is
``log2(m / u)`` — how much likelier that level is for a true link (m) than for two different households
of the same desa (u) — so weights add up, as in Fellegi-Sunter record linkage. The m and u values below
are set from facts about Indonesian verval data (DOMAIN.md), not fitted to any generator:

* NIK never changes, but village operators mistype it, Excel damages it, and a new head of family
  brings another NIK; two different households share a NIK almost never.
* About 8% of listed birth dates disagree with reality, so a differing date is weak evidence against.
* Common single-word names (SUPARNO) repeat within a desa: the weight of an exact name agreement is
  lowered by the name's frequency in the province list (term-frequency adjustment).
* A shared No KK means the same family even when the head changed: then person-level disagreement is
  expected, and is capped at ``HEAD_CHANGE_FLOOR``. A damaged No KK (Excel) is not enough for that.

The link score (0-100) is the posterior probability of a link: ``PRIOR`` is the log2 prior odds that
a candidate pair in a desa of ~200 households is the same household.
"""

from __future__ import annotations

import math
from typing import Final


def _w(m: float, u: float) -> float:
    return round(math.log2(m / u), 2)


# comparison -> level -> weight. Level "unknown" (a value missing on either side) always weighs 0.
WEIGHTS: Final[dict[str, dict[str, float]]] = {
    "nik": {
        "same": _w(0.85, 1e-6),  # identical valid NIK
        "member": _w(0.05, 1e-6),  # the NIK of another member of the listed family
        "corrected": _w(0.05, 1e-6),  # the operator's corrected-NIK column equals the list
        "near": _w(0.04, 2e-5),  # one digit wrong or two adjacent digits swapped
        # Excel-damaged NIK whose surviving digits fit the list's NIK; people born on one day in one
        # kecamatan get consecutive serials, so a +-10 range can hold a neighbour's NIK too.
        "damaged": _w(0.04, 1e-4),
        "differs": _w(0.06, 0.98),
    },
    "name": {
        "exact": _w(0.70, 0.004),  # replaced by the term-frequency weight, see name_exact_weight()
        "phonetic": _w(0.10, 0.004),  # same Indonesian phonetic key (old spelling, doubled letters)
        "high": _w(0.10, 0.004),  # similarity >= 90: a typo
        "partial": _w(0.08, 0.02),  # one name's words all inside the other's ("SUPARNO" / "SUPARNO HADI")
        "medium": _w(0.05, 0.03),  # similarity >= 80
        "low": _w(0.02, 0.10),  # similarity >= 65
        "differs": _w(0.03, 0.86),
    },
    "birth_date": {
        "same": _w(0.85, 0.002),
        "close": _w(0.07, 0.03),  # same year, or day and month swapped
        "differs": _w(0.08, 0.97),
    },
    "sex": {"same": _w(0.97, 0.5), "differs": _w(0.03, 0.5)},
    # Family cards issued on one day in one kecamatan have consecutive serials: a damaged No KK is weak.
    "kk": {"same": _w(0.6, 2e-5), "damaged": _w(0.05, 1e-3), "differs": _w(0.1, 0.99)},
    "rt_rw": {"same": _w(0.85, 0.12), "differs": _w(0.15, 0.88)},
    "desa": {"same": 0.0, "differs": _w(0.03, 0.9)},  # candidates are mostly drawn within the desa
    "household_id": {"same": _w(0.95, 1e-4), "differs": 0.0},
}

NAME_EXACT_M: Final = 0.70
NAME_FREQUENCY_FLOOR: Final = 1e-3  # never trust a name as if it were rarer than 1 in 1,000
HEAD_CHANGE_FLOOR: Final = -3.0  # person evidence cannot push a same-No-KK pair below this
PRIOR: Final = -7.6  # log2 odds that a candidate pair in a desa of ~200 households is a link

# Name similarity thresholds (rapidfuzz, 0-100) that delimit the name levels.
NAME_HIGH: Final = 90.0
NAME_MEDIUM: Final = 80.0
NAME_LOW: Final = 65.0
NAME_CONTAINED_MIN_LETTERS: Final = 5  # "SITI" inside "SITI AMINAH" says nothing
# Fuzzy candidates within a desa are only considered from this name similarity on.
NAME_CANDIDATE_MIN: Final = 70.0
# When two households fit one row almost equally well, the link is left for review.
AMBIGUITY_MARGIN: Final = 4.0  # log2 units between the best and the second-best candidate

# Evidence kinds in the order the tiers name them; a link's method is the first that applies.
METHODS: Final = ("id", "nik", "nik_repaired", "kk", "name")


def name_exact_weight(frequency: float) -> float:
    """Weight of an exact name agreement for a name with this share of the province list."""
    return round(math.log2(NAME_EXACT_M / max(frequency, NAME_FREQUENCY_FLOOR)), 2)


def score_from_weight(total: float) -> float:
    """Posterior link probability, as a 0-100 score, from the summed weights plus the prior."""
    x = PRIOR + total
    return float(100.0 / (1.0 + 2.0 ** (-x)))
