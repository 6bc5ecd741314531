"""Which column takes which field when several want one, and whether a column's values fit its field.

The rule throughout: a wrong mapping is worse than a missed one. When columns compete for a field, the
person on the row beats the head of the family on forms that carry both; a config entry beats an exact
synonym, which beats a header read through its words; the same header repeated gives the field to its
first column, except for a personal field (two "NAMA" columns are likely the head's and a member's).
Columns still tied take nothing, and the user decides in ``verval.toml`` ``[columns]``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from verval_cli import schema
from verval_cli.io.columns import header_key, target_fields
from verval_cli.io.header_words import HEAD, PERSONAL_FIELDS, Reading

AMBIGUOUS: Final = "ambiguous"
RULED_OUT: Final = "ruled out"


@dataclass
class Choice:
    """One column's outcome: the field it takes, or why it takes none."""

    label: str | None
    reading: Reading
    field: str | None = None
    reason: str | None = None  # why a column whose header names a field does not take it
    kind: str | None = None  # AMBIGUOUS or RULED_OUT when reason is set
    rivals: list[str] = dataclasses.field(default_factory=list)


def _lose(choice: Choice, reason: str, kind: str, rivals: Sequence[Choice] = ()) -> None:
    choice.field, choice.reason, choice.kind = None, reason, kind
    choice.rivals = [r.label for r in rivals if r.label is not None and r is not choice]


def _quote(choices: Sequence[Choice]) -> str:
    return ", ".join(f"'{c.label}'" for c in choices)


def _settle(target: str, live: list[Choice]) -> None:
    """Leave at most one of the columns wanting ``target``; the others lose with a reason."""
    configured = [c for c in live if c.reading.strength == 3]
    if configured:
        for c in live:
            if c is not configured[0]:
                _lose(c, f"verval.toml maps '{configured[0].label}' to {target}", RULED_OUT, live)
        return
    if target in PERSONAL_FIELDS:
        heads = [c for c in live if c.reading.role == HEAD]
        others = [c for c in live if c.reading.role != HEAD]
        if heads and others:
            for c in heads:
                _lose(
                    c, f"the head's {target}; the person on the row is in {_quote(others)}", RULED_OUT, others
                )
            live = others
    first: dict[str, Choice] = {}
    for c in list(live):
        key = header_key(c.label or "")
        if key in first and target in PERSONAL_FIELDS:
            # Two "NAMA" columns are the head's and a member's more often than a copy: take neither.
            continue
        if key in first:
            _lose(c, f"same header repeated; '{first[key].label}' takes {target}", RULED_OUT, [first[key]])
            live.remove(c)
        else:
            first[key] = c
    strongest = max(c.reading.strength for c in live)
    for c in [c for c in live if c.reading.strength < strongest]:
        winners = [w for w in live if w.reading.strength == strongest]
        _lose(
            c,
            f"{_quote(winners)} names {target} more plainly ({winners[0].reading.rule})",
            RULED_OUT,
            winners,
        )
        live.remove(c)
    if len(live) > 1:
        for c in live:
            _lose(c, f"competes with {_quote([o for o in live if o is not c])} for {target}", AMBIGUOUS, live)


def choose(labels: Sequence[str | None], readings: Sequence[Reading]) -> list[Choice]:
    """Settle every field wanted by more than one column; each column's outcome, in sheet order."""
    choices = [Choice(label, r, r.field) for label, r in zip(labels, readings, strict=True)]
    for c in choices:
        if c.field is None and c.reading.reason is not None:
            c.reason, c.kind = c.reading.reason, RULED_OUT
    order = {f: i for i, f in enumerate(schema.CANONICAL_FIELDS)}
    wanted = sorted(
        {t for c in choices if c.field for t in target_fields(c.field)}, key=lambda f: order.get(f, 99)
    )
    for target in wanted:
        live = [c for c in choices if c.field is not None and target in target_fields(c.field)]
        if len(live) > 1:
            _settle(target, live)
    return choices


# --- values ---------------------------------------------------------------------------------------------

_DESA_CODE = re.compile(r"^\d{10}$|^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
# Other "status" columns: marital status (Dukcapil, BDT) and residence status (OpenSID: TETAP / PENDATANG).
_OTHER_STATUS = re.compile(
    r"(?i)^\s*(?:(?:belum\s+|tidak\s+)?(?:kawin|menikah|nikah)|cerai(?:\s+(?:hidup|mati))?"
    r"|(?:tidak\s+)?tetap|pendatang)\s*$"
)


def _region_code_problem(values: pl.Series) -> str | None:
    fits = values.str.strip_chars().str.contains(_DESA_CODE.pattern)
    if int(fits.sum()) * 2 > values.len():
        return None
    digits = values.str.replace_all(r"\D", "").str.len_chars().mode().sort()
    common = int(digits[0]) if digits.len() else 0
    return f"values are not 10-digit Kemendagri desa codes (most have {common} digits" + (
        "; a BPS code?)" if 0 < common < 10 else ")"
    )


def _status_problem(values: pl.Series) -> str | None:
    if bool(values.str.contains(_OTHER_STATUS.pattern).all()):
        return "values are marital or residence statuses (Kawin, Tetap), not verval results"
    return None


_VALUE_CHECKS: Final = {
    schema.REGION_CODE: _region_code_problem,
    schema.STATUS: _status_problem,
}


def value_problem(target: str, values: pl.Series) -> str | None:
    """Why a column's values (text, nulls dropped) cannot be ``target``, or None when they can."""
    check = _VALUE_CHECKS.get(target)
    if check is None or values.len() == 0:
        return None
    return check(values)
