"""Rows the desa search used to miss: a patronym on one side, a household found in another desa."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policy_scenarios import Person, nik, row, run

BORN = dt.date(1968, 2, 9)
AMINAH = Person("SITI AMINAH BINTI SALEH", nik(31, BORN, "P"), BORN, "P", rt=3, rw=1)


def test_a_patronym_on_one_side_is_a_candidate(tmp_path: Path) -> None:
    """No NIK, the list adds BINTI SALEH (token-sort similarity 65, other phonetic keys): still compared,
    and the birth date, sex and RT/RW make the link.

    (Fixed: the pair never became a candidate; the row was not_on_list and the household not reported.)
    """
    got = row(run(tmp_path, [AMINAH], [Person("SITI AMINAH", None, BORN, "P", rt=3, rw=1)]))
    assert (got["match_status"], got["match_method"]) == ("matched", "name")
    assert "name=high" in got["match_evidence"]
