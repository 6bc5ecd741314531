"""Read a header as words: split it, expand abbreviations, set aside roles and sources, name its field.

Headers of one field vary across systems: Dukcapil writes ``NAMA_LGKP`` and ``TGL_LHR``, Kemensos
``NMKEC`` and ``NOKK_DTKS``, BDT ``JnsKel``, operators "Jenis Kelamin Kepala Keluarga". Rather than list
every spelling, a header is split into words (at ``_``, spaces, punctuation and camelCase; glued words
such as ``NMKEC`` are cut into known words), abbreviations are expanded (NM -> NAMA, TGL -> TANGGAL), and
words that say *whose* value it is (the head "KRT", a member "ART", "IBU", "AYAH") or *where it came from*
("DTKS", "P3KE") are set aside. What remains is looked up among the synonyms, expanded the same way.

Another person's value (the father's NIK, "NIK ISTRI") names no field; the mother's name is the one
exception, as it has its own field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from verval_cli import schema

HEAD: Final = "head"  # the head of the family / household: KRT, KEPALA KELUARGA, "NAMA KK"
PERSON: Final = "person"  # the person on the row: ART, ANGGOTA, PENERIMA
OTHER: Final = "other"  # somebody else: IBU, AYAH, ISTRI, ...

EXACT: Final = "exact synonym"
WORDS: Final = "tokens+abbreviation"
ROLE: Final = "role stripped"
SOURCE: Final = "source stripped"
CONFIG: Final = "config"

_ABBREVIATIONS: Final[dict[str, tuple[str, ...]]] = {
    "NM": ("NAMA",), "NMA": ("NAMA",), "NAME": ("NAMA",),
    "TGL": ("TANGGAL",), "TG": ("TANGGAL",), "TANGAL": ("TANGGAL",), "TGLX": ("TANGGAL",),
    "TMPT": ("TEMPAT",), "TMP": ("TEMPAT",), "TPT": ("TEMPAT",), "TEMPT": ("TEMPAT",),
    "LHR": ("LAHIR",), "LHIR": ("LAHIR",),
    "JNS": ("JENIS",), "JENS": ("JENIS",), "JEN": ("JENIS",),
    "KLMIN": ("KELAMIN",), "KLMN": ("KELAMIN",), "KELAMN": ("KELAMIN",),
    "LGKP": ("LENGKAP",), "LKP": ("LENGKAP",), "LENGKP": ("LENGKAP",),
    "HBKEL": ("HUBUNGAN", "KELUARGA"), "HUBKEL": ("HUBUNGAN", "KELUARGA"),
    "HUB": ("HUBUNGAN",), "HBG": ("HUBUNGAN",), "HBNGN": ("HUBUNGAN",),
    "KEL": ("KELURAHAN",), "KELDESA": ("KELURAHAN", "DESA"),
    "PROP": ("PROVINSI",), "PROPINSI": ("PROVINSI",), "PROV": ("PROVINSI",),
    "KAB": ("KABUPATEN",), "KOTA": ("KABUPATEN",),
    "KEC": ("KECAMATAN",),
    "DS": ("DESA",),
    "KD": ("KODE",), "KODEWILAYAH": ("KODE", "WILAYAH"),
    "NO": ("NOMOR",), "NMR": ("NOMOR",), "NOMER": ("NOMOR",), "NOMR": ("NOMOR",),
    "STAT": ("STATUS",), "STA": ("STATUS",), "STTS": ("STATUS",), "STS": ("STATUS",),
    "DGN": ("DENGAN",), "DG": ("DENGAN",),
    "ALMT": ("ALAMAT",),
    "KWN": ("KAWIN",),
    "KEP": ("KEPALA",), "KPL": ("KEPALA",), "KPLA": ("KEPALA",),
    "KET": ("KETERANGAN",),
    "RUTA": ("RUMAH", "TANGGA"),
    "AGT": ("ANGGOTA",),
}  # fmt: skip

# Words that only join others ("STATUS HUBUNGAN DALAM KELUARGA", "NAMA SESUAI KTP", "NAMA GADIS IBU").
_FILLERS: Final = frozenset({"DALAM", "DENGAN", "DI", "YANG", "SESUAI", "TAMBAHAN", "GADIS", "DARI"})

# Whose value: phrases, longest first within a role. "KEPALA DESA" is somebody else, not the head.
_OTHER_PHRASES: Final = (
    ("KEPALA", "DESA"), ("KEPALA", "DUSUN"), ("KETUA", "RT"), ("KETUA", "RW"), ("ORANG", "TUA"),
    ("AHLI", "WARIS"), ("IBU", "KANDUNG"), ("IBU",), ("AYAH",), ("BAPAK",), ("ISTRI",), ("SUAMI",),
    ("ANAK",), ("WALI",), ("PASANGAN",), ("PELAPOR",), ("SAKSI",), ("PENDAMPING",), ("PETUGAS",),
    ("OPERATOR",), ("KADES",), ("PENGURUS",), ("KETUA",),
)  # fmt: skip
_HEAD_PHRASES: Final = (
    ("KEPALA", "RUMAH", "TANGGA"), ("KEPALA", "KELUARGA"), ("KEPALA", "KK"), ("KRT",), ("KEPALA",),
)  # fmt: skip
_PERSON_PHRASES: Final = (
    ("ANGGOTA", "RUMAH", "TANGGA"), ("ANGGOTA", "KELUARGA"), ("ART",), ("ANGGOTA",), ("PENERIMA",),
    ("PESERTA",), ("KPM",), ("PENDUDUK",), ("WARGA",), ("INDIVIDU",),
)  # fmt: skip
# Where the value came from: "NOKK_DTKS", "NIK DUKCAPIL", "ID P3KE".
_SOURCES: Final = frozenset(
    {"DTKS", "P3KE", "BDT", "PBDT", "DUKCAPIL", "CAPIL", "SIAK", "KEMENSOS", "SIKS", "SIKSNG", "NG", "DTSEN",
     "PKH", "BPNT", "KTP", "PRELIST", "KEMENDAGRI", "KEMDAGRI", "BPS"}
)  # fmt: skip
_OLD: Final = frozenset({"LAMA", "AWAL", "SEMULA"})
_CORRECTED: Final = frozenset({"PERBAIKAN", "BARU", "SEHARUSNYA", "BENAR", "DIPERBAIKI", "KOREKSI", "REVISI"})
# Fields whose value belongs to one person: on a form with the head's and the person's, the person's wins.
PERSONAL_FIELDS: Final = frozenset(
    {schema.NAME, schema.NIK, schema.SEX, schema.BIRTH_DATE, schema.BIRTH_PLACE}
)
_CORRECTED_FIELDS: Final = {schema.NIK: schema.NIK_CORRECTED, schema.NAME: schema.NAME_CORRECTED}

_GENERIC: Final = frozenset({"NOMOR", "NOMORURUT", "URUT", "ID", "KODE", "STATUS", "KETERANGAN", "HASIL"})

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPLIT = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True)
class Reading:
    """What one header says: its field (or None), the rule that found it, whose value it is, or why not."""

    field: str | None
    rule: str | None = None
    role: str | None = None  # HEAD, PERSON, OTHER or None
    reason: str | None = None  # why a header that names a field was not given it
    strength: int = 0  # 3 config, 2 exact synonym, 1 found through words, 0 nothing


def known_words() -> set[str]:
    """Abbreviations, their expansions, role, source and filler words."""
    words = set(_ABBREVIATIONS) | {w for e in _ABBREVIATIONS.values() for w in e} | set(_FILLERS)
    for phrases in (_OTHER_PHRASES, _HEAD_PHRASES, _PERSON_PHRASES):
        words |= {w for phrase in phrases for w in phrase}
    return words | set(_SOURCES) | set(_OLD) | set(_CORRECTED)


def raw_words(label: str) -> list[str]:
    """The words of a header as typed: split at punctuation, spaces and camelCase, upper case.

    >>> raw_words("NamaKep TglLahir_KRT")
    ['NAMA', 'KEP', 'TGL', 'LAHIR', 'KRT']
    """
    return [w.upper() for part in _SPLIT.split(label) for w in _CAMEL.split(part) if w]


def _expand(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word == "KEL" and out and out[-1] == "JENIS":
            out.append("KELAMIN")  # "JNS KEL", "JnsKel"
        elif word == "KEL" and out and out[-1] == "HUBUNGAN":
            out.append("KELUARGA")
        else:
            out.extend(_ABBREVIATIONS.get(word, (word,)))
    return out


@lru_cache(maxsize=4)
def _starts(vocabulary: frozenset[str]) -> frozenset[str]:
    return frozenset(w[:2] for w in vocabulary)


@lru_cache(maxsize=4)
def _longest(vocabulary: frozenset[str]) -> int:
    return max(map(len, vocabulary), default=0)


def _segment(word: str, vocabulary: frozenset[str]) -> list[str] | None:
    """A glued word cut into known words ("NMKEC" -> NM KEC), fewest pieces, or None."""
    n = len(word)
    longest = _longest(vocabulary)
    if word[:2] not in _starts(vocabulary) or not any(
        word[:k] in vocabulary for k in range(2, min(n, longest) + 1)
    ):
        return None  # no known word starts it (a name, a number): nothing to cut, no pass over its pieces
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(2, n + 1):
        for start in range(max(0, end - longest), end - 1):  # a longer piece is no known word
            prefix = best[start]
            piece = word[start:end]
            if prefix is not None and piece in vocabulary:
                candidate = [*prefix, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    found = best[n]
    return found if found is not None and len(found) > 1 else None


def _words(label: str, vocabulary: frozenset[str]) -> list[str]:
    out: list[str] = []
    for word in raw_words(label):
        pieces = _segment(word, vocabulary) if len(word) >= 4 and word not in vocabulary else None
        out.extend(pieces or [word])
    words = [w for w in _expand(out) if w not in _FILLERS]
    if len(words) > 1 and words[-1] == "NAMA":  # Dukcapil's KEC_NAME, KEL_NAME
        words = ["NAMA", *words[:-1]]
    return words


_PHRASE_WORDS: Final = frozenset(w for group in (_OTHER_PHRASES, _HEAD_PHRASES, _PERSON_PHRASES)
                                 for phrase in group for w in phrase)  # fmt: skip


def _take(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[list[str], bool]:
    """The words without every occurrence of the phrases, and whether any was found."""
    if _PHRASE_WORDS.isdisjoint(words):
        return words, False  # most cells: none of the phrases' words, so no phrase to look for
    present = set(words)  # taking words out never brings one in: a phrase whose first word is absent stays so
    found = False
    for phrase in phrases:
        if phrase[0] not in present:
            continue
        size = len(phrase)
        i = 0
        while i + size <= len(words):
            if tuple(words[i : i + size]) == phrase:
                words = words[:i] + words[i + size :]
                found = True
            else:
                i += 1
    return words, found


def _head_kk(words: list[str]) -> tuple[list[str], bool]:
    """'KK' after a personal word is the head ("NAMA KK", "NIK KK"); after NOMOR / ID it is the card."""
    for i, word in enumerate(words):
        if word == "KK" and i > 0 and words[i - 1] not in ("NOMOR", "ID", "KARTU", "KODE"):
            return words[:i] + words[i + 1 :], True
    return words, False


@dataclass(frozen=True)
class _Parts:
    core: list[str]
    role: str | None
    sourced: bool
    old: bool
    corrected: bool


def split_roles(words: list[str]) -> _Parts:
    """Set aside whose value it is, where it came from, and whether it is an old or a corrected value."""
    words, other = _take(words, _OTHER_PHRASES)
    words, head = _take(words, _HEAD_PHRASES)
    words, head_kk = _head_kk(words)
    words, person = _take(words, _PERSON_PHRASES)
    sourced = any(w in _SOURCES for w in words)
    old = any(w in _OLD for w in words)
    corrected = any(w in _CORRECTED for w in words)
    core = [w for w in words if w not in _SOURCES and w not in _OLD and w not in _CORRECTED]
    role = OTHER if other else HEAD if head or head_kk else PERSON if person else None
    return _Parts(core, role, sourced, old, corrected)


def role_of(label: str, vocabulary: frozenset[str]) -> str | None:
    """Whose value a header holds, from its words (also for headers that are exact synonyms)."""
    return split_roles(_words(label, vocabulary)).role


def words_key(label: str, vocabulary: frozenset[str]) -> str:
    """The lookup key of a header after expansion: its words joined ("TGL_LHR" -> "TANGGALLAHIR")."""
    return "".join(_words(label, vocabulary))


@lru_cache(maxsize=4)
def _known(vocabulary: frozenset[str]) -> frozenset[str]:
    """Every word that can change a reading: known, abbreviated, filler, role, source, "KK", "NAMA"."""
    return vocabulary | known_words() | {"KEL", "KK", "NAMA"}


def _unknown_words(label: str, vocabulary: frozenset[str]) -> list[str] | None:
    """The label's words when none is known and none cuts into known words (a name, a NIK, a date), else None.

    Such words are not expanded, cut or set aside: the reading is the lookup of the words joined.
    """
    words = raw_words(label)
    if not _known(vocabulary).isdisjoint(words):
        return None
    if any(len(w) >= 4 and _segment(w, vocabulary) is not None for w in words):
        return None
    return words


def plain_key(label: str, vocabulary: frozenset[str]) -> str | None:
    """The words of an ASCII label without brackets, joined, when none is a word the reader knows, else None.

    Such a label reads as the lookup of this key alone, and two such labels joined by a space or " / "
    read as the lookup of their keys joined ("SUPRIYADI", a NIK, a date: the data under a header).
    """
    if not label.isascii() or "(" in label or "[" in label:
        return None
    words = _unknown_words(label, vocabulary)
    return None if words is None else "".join(words)


def read_words(label: str, lookup: Mapping[str, str], vocabulary: frozenset[str]) -> Reading:
    """Read a header that is no exact synonym through its words (``lookup``: expanded key -> field)."""
    unknown = _unknown_words(label, vocabulary)
    if unknown is not None:  # most cells scanned for a header are data: the short way, same reading
        found = lookup.get("".join(unknown))
        return Reading(found, WORDS, None, strength=1) if found is not None else Reading(None)
    return read_all_words(label, lookup, vocabulary)


def read_all_words(label: str, lookup: Mapping[str, str], vocabulary: frozenset[str]) -> Reading:
    """:func:`read_words` the long way: every word cut, expanded and weighed for its role and source."""
    words = _words(label, vocabulary)
    direct = lookup.get("".join(words))
    parts = split_roles(words)
    if direct is not None and parts.role != OTHER:
        return Reading(direct, WORDS, parts.role, strength=1)
    core_key = "".join(parts.core)
    # "NO PESERTA PKH", "STATUS KRT": once the role or source goes, a bare NOMOR / STATUS names nothing.
    core = lookup.get(core_key) if parts.core and core_key not in _GENERIC else None
    if core is None:
        return Reading(None)
    steps = [WORDS]
    if parts.role is not None or parts.old or parts.corrected:
        steps.append(ROLE)
    if parts.sourced:
        steps.append(SOURCE)
    rule = " + ".join(steps)
    if parts.role == OTHER:
        if core in (schema.NAME, schema.MOTHER_NAME) and "IBU" in words and "HAMIL" not in words:
            return Reading(schema.MOTHER_NAME, rule, OTHER, strength=1)
        return Reading(None, rule, OTHER, reason=f"another person's {core} (not the person on the row)")
    if parts.corrected:
        corrected = _CORRECTED_FIELDS.get(core)
        if corrected is None:
            return Reading(
                None, rule, parts.role, reason=f"a corrected {core}, which has no field of its own"
            )
        return Reading(corrected, rule, parts.role, strength=1)
    return Reading(core, rule, parts.role, strength=1)
