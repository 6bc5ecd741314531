"""The result of ``verval explain`` and the tables it reads: typed, for the CLI, ``--json`` and tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

import polars as pl

from verval_cli import schema as s
from verval_cli.errors import VervalError
from verval_cli.matching.rules import AMBIGUITY_MARGIN

S_IDX, T_IDX, H_IDX = s.S_IDX, s.T_IDX, s.H_IDX
MATCHED: Final = "matched"
REVIEW: Final = "review"
UNLINKED: Final = "submission_only"
# Reasons, each a sentence in messages.py (explain_why_<reason>).
REASONS: Final = (
    "clear",  # matched: score >= accept, no other household near
    "clear_of_rival",  # matched: score >= accept, the second household far enough behind
    "rival",  # review: a second household within the margin
    "low_score",  # review: score between the review and accept thresholds
    "taken",  # secondary: the household is the primary link of a heavier row
    "member",  # linked through the head of the family's row
    "decision",  # set by an officer's decision read back (match_method ``decision``)
    "below_review",  # unlinked: the best candidate stays under the review threshold
    "no_candidates",  # unlinked: nothing shares a key, no similar name in the desa
    "no_desa",  # unlinked: no key shared and no desa to compare names within
)


class ExplainError(VervalError):
    """The row cannot be explained: not in the run, or the run's tables cannot be replayed."""


@dataclass(frozen=True)
class Level:
    """One comparison of a candidate pair: the level it fell into and the weight that counted."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class Owner:
    """The row whose primary link is this household (when it is not the row explained)."""

    file: str | None
    sheet: str | None
    row: int | None
    weight: float  # that row's weight for this household
    score: float


@dataclass(frozen=True)
class Candidate:
    """A listed household the row was compared with, through its best-fitting person."""

    province_index: int
    province_row: int | None
    province_id: str | None
    desa_code: str | None
    name: str | None
    nik: str | None
    levels: tuple[Level, ...]
    weight: float  # log2 units, after the policy's special rules
    score: float  # 0-100
    method: str
    # "exact" (a shared id, NIK or No KK), "desa" (a similar name or NIK in the desa) or "wide" (the
    # regency-wide search, for a row no household took after the other two)
    stage: str
    considered: bool  # False: a desa candidate of a row the exact stage already linked
    owner: Owner | None
    chosen: bool


@dataclass(frozen=True)
class Explanation:
    """One row, the candidates it was compared with (best first), and why it ended as it did."""

    submission_index: int
    file: str
    sheet: str | None
    row: int
    name: str | None
    nik: str | None
    desa_code: str | None
    match_status: str
    link_role: str | None
    match_method: str
    match_score: float
    province_index: int | None
    reason: str
    candidates: tuple[Candidate, ...]
    accept: float
    review: float
    margin: float = AMBIGUITY_MARGIN
    rival: Candidate | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def chosen(self) -> Candidate | None:
        """The candidate the row links to (None when unlinked or linked as a family member)."""
        return next((c for c in self.candidates if c.chosen), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the ``--json`` output; keys documented in the README)."""
        data = asdict(self)
        data["candidates"] = [asdict(c) for c in self.candidates]
        return data


@dataclass
class Tables:
    """A run's tables as the linker read them: rows (``s_idx``), households (``h_idx``), persons (``t_idx``)."""

    rows: pl.DataFrame
    households: pl.DataFrame
    persons: pl.DataFrame
    matches: pl.DataFrame
