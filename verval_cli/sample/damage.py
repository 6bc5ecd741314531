"""The ways village operators damage data: NIK cells, names, statuses, rows.

Each damage is a small pure function of a string and a seeded ``random.Random``; the rates live in
``DamageRates`` and the kinds recorded in the ground truth are the ``*_KIND`` constants below.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Any

from verval_cli import schema
from verval_cli.sample.people import ACCENTED_NAMES
from verval_cli.sample.writers import Cell, Entry

# --- damage kinds recorded per submission row (truth_rows.damages) -----------------------------------------
NIK_EXCEL_NUMBER = "nik_excel_number"  # numeric cell, 16th digit zeroed (or those digits as CSV text)
NIK_NUMBER_EXACT = "nik_number_exact"  # numeric cell holding all 16 digits
NIK_SCIENTIFIC = "nik_scientific"  # CSV text "3.30403E+15"
NIK_APOSTROPHE = "nik_apostrophe"
NIK_SPACED = "nik_spaced"
NIK_DOTTED = "nik_dotted"
NIK_DIGIT_WRONG = "nik_digit_wrong"
NIK_DIGITS_SWAPPED = "nik_digits_swapped"
NIK_MISSING = "nik_missing"
KK_EXCEL_NUMBER = "kk_excel_number"
NAME_TYPO = "name_typo"
NAME_OLD_SPELLING = "name_old_spelling"
NAME_TITLE = "name_title"
NAME_ABBREVIATION = "name_abbreviation"
HEAD_CHANGED = "head_changed"
DUPLICATE_ROW = "duplicate_row"
OTHER_VILLAGE = "other_village"
STATUS_MISSING = "status_missing"
STATUS_UNKNOWN = "status_unknown"
ID_MISALIGNED = "id_misaligned"
# Off by default (rate 0): the harder cases of issue 20, drawn only when their rate is set.
NIK_OF_MEMBER = "nik_of_member"  # the head's row typed with the spouse's NIK
NAME_WORD_DROPPED = "name_word_dropped"  # "SITI AMINAH" typed as "AMINAH"
NAME_PATRONYM = "name_patronym"  # "SITI AMINAH" typed as "SITI AMINAH BINTI SALEH"

ROW_DAMAGE_KINDS: tuple[str, ...] = (
    NIK_EXCEL_NUMBER, NIK_NUMBER_EXACT, NIK_SCIENTIFIC, NIK_APOSTROPHE, NIK_SPACED, NIK_DOTTED,
    NIK_DIGIT_WRONG, NIK_DIGITS_SWAPPED, NIK_MISSING, KK_EXCEL_NUMBER, NAME_TYPO, NAME_OLD_SPELLING,
    NAME_TITLE, NAME_ABBREVIATION, HEAD_CHANGED, DUPLICATE_ROW, OTHER_VILLAGE, STATUS_MISSING,
    STATUS_UNKNOWN, ID_MISALIGNED,
)  # fmt: skip
# Kinds only a round with ``HARD`` rates has.
HARD_DAMAGE_KINDS: tuple[str, ...] = (NIK_OF_MEMBER, NAME_WORD_DROPPED, NAME_PATRONYM)


@dataclass(frozen=True)
class DamageRates:
    """How often each damage happens (per row unless the name says otherwise)."""

    nik_number_files: float = 0.3  # share of files whose NIK column was typed as numbers (Excel "General")
    nik_number_exact: float = 0.1  # in those files, share of NIK cells that kept all 16 digits
    nik_apostrophe: float = 0.04
    nik_spaced: float = 0.03
    nik_dotted: float = 0.02
    nik_digit_wrong: float = 0.015
    nik_digits_swapped: float = 0.015
    nik_missing: float = 0.02
    name_typo: float = 0.04
    name_old_spelling: float = 0.04
    name_title: float = 0.03
    name_abbreviation: float = 0.3  # of names that contain an abbreviable word (MUHAMMAD, AHMAD, ABDUL, NUR)
    head_changed: float = 0.025  # of found households with a spouse
    duplicate_row: float = 0.015
    other_village: float = 0.01
    not_reported: float = 0.04
    new_households_max: int = 4  # per reporting village, drawn uniformly from 0..max
    status_missing: float = 0.02
    status_unknown: float = 0.01
    status_mixed: float = 0.1  # rows whose status comes from another vocabulary than the file's
    misaligned_files: int = 1  # template-kept files where a sorted column broke the id alignment
    # Harder cases, off by default so a round without them is unchanged (no random draw is made at 0).
    nik_of_member: float = 0.0  # head's row typed with the spouse's NIK (household-shaped rows)
    name_word_dropped: float = 0.0  # of names of two or more words: the first word left out
    name_patronym: float = 0.0  # BIN/BINTI and the father's name added


# The harder cases switched on, at rates an officer meets them (see DOMAIN.md): ``SampleSpec(damage=HARD)``.
HARD = DamageRates(nik_of_member=0.02, name_word_dropped=0.02, name_patronym=0.02)


# --- NIK -------------------------------------------------------------------------------------------------
def excel_number(digits: str) -> int:
    """What Excel keeps of a 16-digit number: 15 significant digits, the 16th becomes 0."""
    return int(digits[:15] + "0")


def excel_scientific(digits: str) -> str:
    """How a General-format numeric NIK is saved to CSV: ``3.30403E+15``."""
    return format(int(digits), ".5E")


def spaced(digits: str, sep: str = " ") -> str:
    return sep.join(digits[i : i + 4] for i in range(0, len(digits), 4))


def digit_wrong(rng: random.Random, digits: str) -> str:
    pos = rng.randrange(len(digits))
    new = rng.choice([d for d in "0123456789" if d != digits[pos]])
    return digits[:pos] + new + digits[pos + 1 :]


def digits_swapped(rng: random.Random, digits: str) -> str:
    """Two adjacent, different digits swapped (falls back to one wrong digit when all are equal)."""
    spots = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
    if not spots:
        return digit_wrong(rng, digits)
    i = rng.choice(spots)
    return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]


# --- names -----------------------------------------------------------------------------------------------
_KEY_NEIGHBOURS = {"A": "S", "I": "U", "U": "I", "O": "I", "E": "R", "N": "M", "M": "N", "R": "T", "T": "R",
                   "S": "A", "K": "J", "D": "S", "J": "K", "Y": "T", "H": "G", "P": "O", "W": "E"}  # fmt: skip
# Modern spelling -> the old (pre-1972 / Dutch) spelling a record may keep.
_OLD_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"(?<=[^AEIOU ])U", "OE"),
    (r"(?<![DN])J", "DJ"),
    (r"C", "TJ"),
    (r"(?<=[AEIOU])Y(?=[AEIOU])", "J"),
    (r"NY", "NJ"),
    (r"SY", "SJ"),
    (r"KH", "CH"),
)
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "MUHAMMAD": ("MOCH.", "MOH.", "MUH.", "M.", "MOCHAMMAD", "MUHAMAD", "MOHAMAD"),
    "AHMAD": ("ACHMAD", "ACHMAD", "A."),
    "ABDUL": ("ABD.",),
    "NUR": ("NOOR",),
    "SITI": ("ST.",),
}


def name_typo(rng: random.Random, name: str) -> str:
    """One letter wrong, dropped or doubled."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(letters)
    how = rng.randrange(3)
    if how == 0:
        return name[:i] + _KEY_NEIGHBOURS.get(name[i], "A" if name[i] != "A" else "E") + name[i + 1 :]
    if how == 1 and len(letters) > 3:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def old_spelling(rng: random.Random, name: str) -> str | None:
    """SUPARMAN -> SOEPARMAN, JUMADI -> DJUMADI ...; None when no rule applies."""
    usable = [(p, r) for p, r in _OLD_SPELLINGS if re.search(p, name)]
    if not usable:
        return None
    pattern, repl = rng.choice(usable)
    return re.sub(pattern, repl, name)


def abbreviate(rng: random.Random, name: str) -> str | None:
    """MUHAMMAD -> MOCH. and friends; None when the name has no such word."""
    words = name.split(" ")
    spots = [i for i, w in enumerate(words) if w in _ABBREVIATIONS and i < len(words) - 1]
    if not spots:
        return None
    i = rng.choice(spots)
    words[i] = rng.choice(_ABBREVIATIONS[words[i]])
    return " ".join(words)


def add_title(rng: random.Random, name: str, *, female: bool, deceased: bool) -> str:
    """Honorifics seen in village lists: H., HJ., NY., BPK., ALM./ALMH., a degree after a comma."""
    if deceased:
        return ("ALMH. " if female else "ALM. ") + name
    if rng.random() < 0.2:
        return name + rng.choice((", S.PD", ", S.E."))
    return rng.choice(("HJ. ", "NY. ", "IBU ") if female else ("H. ", "BPK. ", "H. ")) + name


def _draw(rng: random.Random, rate: float) -> bool:
    """A rare event at ``rate``; no random number is drawn at rate 0 (a default round stays the same)."""
    return rate > 0 and rng.random() < rate


def _harder_name(rng: random.Random, rates: DamageRates, name: str, female: bool, kinds: list[str]) -> str:
    """A first word left out ("SITI AMINAH" -> "AMINAH"), or a patronym added, at their (default 0) rates."""
    words = name.split(" ")
    if len(words) > 1 and len(words[-1]) >= 5 and _draw(rng, rates.name_word_dropped):
        kinds.append(NAME_WORD_DROPPED)
        return " ".join(words[1:])
    if " BIN" not in name and _draw(rng, rates.name_patronym):
        kinds.append(NAME_PATRONYM)
        return f"{name} {'BINTI' if female else 'BIN'} {rng.choice(_FATHERS)}"
    return name


_FATHERS = ("SALEH", "KARTO", "SUMARNO", "WAGIMAN", "DARSONO", "MARDI")


# --- statuses --------------------------------------------------------------------------------------------
Vocabulary = dict[str, tuple[str | int, ...]]

VOCABULARIES: tuple[Vocabulary, ...] = (
    {
        schema.FOUND: ("Ditemukan", "DITEMUKAN", "ditemukan"),
        schema.DECEASED: ("Meninggal", "MENINGGAL"),
        schema.MOVED: ("Pindah", "PINDAH"),
        schema.NOT_FOUND: ("Tidak Ditemukan", "TIDAK DITEMUKAN"),
        schema.NO_LONGER_POOR: ("Sudah Mampu",),
        schema.DUPLICATE: ("Ganda",),
        schema.OTHER: ("Kesalahan Prelist",),
        schema.NEW: ("Usulan Baru",),
    },
    {
        schema.FOUND: ("Ada", "ADA", "ada "),
        schema.DECEASED: ("MD", "Meninggal Dunia"),
        schema.MOVED: ("Pindah Domisili",),
        schema.NOT_FOUND: ("TDK DITEMUKAN", "Tdk Ditemukan"),
        schema.NO_LONGER_POOR: ("Mampu", "SUDAH MAMPU"),
        schema.DUPLICATE: ("Data Ganda", "GANDA"),
        schema.OTHER: ("Bagian dari RT lain",),
        schema.NEW: ("Baru", "BARU"),
    },
    {
        schema.FOUND: ("Sesuai", "SESUAI", "Layak"),
        schema.DECEASED: ("Meninggal Dunia", "meninggal"),
        schema.MOVED: ("Pindah", "Tidak tinggal di Ruta"),
        schema.NOT_FOUND: ("Tidak Ditemukan",),
        schema.NO_LONGER_POOR: ("Sudah Mampu",),
        schema.DUPLICATE: ("Ganda",),
        schema.OTHER: ("Responden Menolak",),
        schema.NEW: ("Usulan Baru", "Form Tambahan"),
    },
    {  # DTKS codes typed as numbers: 1 Tinggal di Ruta, 2 Meninggal, 3 Pindah, 5 Kesalahan Prelist, 6 Tdk Ditemukan
        schema.FOUND: (1,),
        schema.DECEASED: (2,),
        schema.MOVED: (3,),
        schema.NOT_FOUND: (6,),
        schema.NO_LONGER_POOR: ("Sudah Mampu",),
        schema.DUPLICATE: ("Ganda",),
        schema.OTHER: (5,),
        schema.NEW: ("Usulan Baru",),
    },
    {
        schema.FOUND: ("Tinggal di Ruta", "TINGGAL DI RUTA"),
        schema.DECEASED: ("Meninggal",),
        schema.MOVED: ("Pindah",),
        schema.NOT_FOUND: ("Tidak Ditemukan",),
        schema.NO_LONGER_POOR: ("Mampu",),
        schema.DUPLICATE: ("Ganda",),
        schema.OTHER: ("Kesalahan Prelist",),
        schema.NEW: ("Baru",),
    },
)
UNKNOWN_STATUS_TEXTS: tuple[str, ...] = ("Belum dicek", "cek lagi", "Proses", "??")
FATE_WEIGHTS: dict[str, float] = {
    schema.FOUND: 0.76,
    schema.DECEASED: 0.05,
    schema.MOVED: 0.05,
    schema.NOT_FOUND: 0.05,
    schema.NO_LONGER_POOR: 0.04,
    schema.DUPLICATE: 0.02,
    schema.OTHER: 0.03,
}
FATE_NOTES: dict[str, tuple[str, ...]] = {
    schema.DECEASED: ("Meninggal th 2022", "sudah meninggal", ""),
    schema.MOVED: ("Pindah ke Jakarta", "ikut anak", "pindah luar desa", ""),
    schema.NOT_FOUND: ("tidak dikenal", ""),
    schema.NO_LONGER_POOR: ("rumah sudah permanen", ""),
    schema.DUPLICATE: ("ganda dengan KK lain", ""),
}


def status_text(rng: random.Random, vocabulary: Vocabulary, status: str, *, mixed: bool) -> str | int:
    """The text (or DTKS code) an operator typed for a canonical status."""
    if mixed:
        vocabulary = rng.choice([v for v in VOCABULARIES if not isinstance(v[schema.FOUND][0], int)])
    return rng.choice(vocabulary[status])


# --- one row ---------------------------------------------------------------------------------------------
def nik_cell(
    rng: random.Random, rates: DamageRates, digits: str, kinds: list[str], *, numeric: bool, csv: bool
) -> str | int | None:
    """The NIK cell an operator produced; ``numeric``: the file's NIK column was typed as numbers."""
    if rng.random() < rates.nik_digit_wrong:
        digits = digit_wrong(rng, digits)
        kinds.append(NIK_DIGIT_WRONG)
    elif rng.random() < rates.nik_digits_swapped:
        digits = digits_swapped(rng, digits)
        kinds.append(NIK_DIGITS_SWAPPED)
    if numeric:
        if csv:
            scientific = rng.random() < 0.7
            kinds.append(NIK_SCIENTIFIC if scientific else NIK_EXCEL_NUMBER)
            return excel_scientific(digits) if scientific else str(excel_number(digits))
        if rng.random() < rates.nik_number_exact:
            kinds.append(NIK_NUMBER_EXACT)
            return int(digits)
        kinds.append(NIK_EXCEL_NUMBER)
        return excel_number(digits)
    u = rng.random()
    for rate, kind in (
        (rates.nik_apostrophe, NIK_APOSTROPHE),
        (rates.nik_spaced, NIK_SPACED),
        (rates.nik_dotted, NIK_DOTTED),
    ):
        if u < rate:
            kinds.append(kind)
            return (
                "'" + digits if kind == NIK_APOSTROPHE else spaced(digits, " " if kind == NIK_SPACED else ".")
            )
        u -= rate
    return digits


def damaged_name(
    rng: random.Random, rates: DamageRates, name: str, female: bool, fate: str, kinds: list[str]
) -> str:
    """The name as typed: at most one of title, abbreviation, typo, old spelling."""
    if fate == schema.DECEASED and rng.random() < 0.3:
        kinds.append(NAME_TITLE)
        return add_title(rng, name, female=female, deceased=True)
    short = abbreviate(rng, name) if rng.random() < rates.name_abbreviation else None
    if short is not None:
        kinds.append(NAME_ABBREVIATION)
        return short
    u = rng.random()
    if u < rates.name_typo:
        kinds.append(NAME_TYPO)
        return name_typo(rng, name)
    if u < rates.name_typo + rates.name_old_spelling:
        old = old_spelling(rng, name)
        if old is not None:
            kinds.append(NAME_OLD_SPELLING)
            return old
    elif u < rates.name_typo + rates.name_old_spelling + rates.name_title:
        kinds.append(NAME_TITLE)
        return add_title(rng, name, female=female, deceased=False)
    return name


def status_cell(
    rng: random.Random, rates: DamageRates, vocabulary: Vocabulary, fate: str, kinds: list[str]
) -> tuple[str | int | None, str]:
    """The status as typed and the canonical status it means."""
    u = rng.random()
    if u < rates.status_missing:
        kinds.append(STATUS_MISSING)
        return None, schema.MISSING
    if u < rates.status_missing + rates.status_unknown:
        kinds.append(STATUS_UNKNOWN)
        return rng.choice(UNKNOWN_STATUS_TEXTS), schema.UNKNOWN
    return status_text(rng, vocabulary, fate, mixed=rng.random() < rates.status_mixed), fate


# --- one file ------------------------------------------------------------------------------------------
@dataclass
class RowDamager:
    """Turns household records into damaged entries for one submission file."""

    rates: DamageRates
    rng: random.Random
    vocabulary: Vocabulary
    numeric_nik: bool  # the file's NIK column was typed as numbers
    shape: str
    per_person: bool  # individual-level template: one entry per family member
    bases: dict[int, list[dict[str, Any]]]  # province rows of the households, for the template shape
    fates: dict[int, str]  # canonical status of each listed household

    def entry(
        self, h: dict[str, Any], person: dict[str, Any] | None, fate: str, base: dict[str, Any]
    ) -> Entry:
        rng, rates = self.rng, self.rates
        kinds: list[str] = []
        status, true_status = status_cell(rng, rates, self.vocabulary, fate, kinds)
        name, nik, female, birth = h["name"], h["nik"], h["female"], h["birth_date"]
        notes = rng.choice(FATE_NOTES.get(fate, ("",)))
        if person is not None:
            name, nik, birth = person["nama"], person["nik"], person["tanggal_lahir"]
            female = person["jenis_kelamin"] == "Perempuan"
        elif fate == schema.FOUND and h["sp_nik"] is not None and rng.random() < rates.head_changed:
            # the head died: the spouse now heads the same KK
            name, nik, female, birth = h["sp_name"], h["sp_nik"], h["sp_female"], h["sp_birth_date"]
            notes = rng.choice(
                ("KK diganti", "KK meninggal, diganti " + ("istri" if female else "suami"), "")
            )
            kinds.append(HEAD_CHANGED)
        if h["is_new"] and self.shape == "csv" and rng.random() < 0.5:
            name = rng.choice(ACCENTED_NAMES)  # an operator's accented name: the CSV needs its code page
        true_name, true_nik = name, nik
        name = damaged_name(rng, rates, name, female, fate, kinds)
        name = _harder_name(rng, rates, name, female, kinds)
        if (
            person is None
            and HEAD_CHANGED not in kinds
            and h["sp_nik"] is not None
            and _draw(rng, rates.nik_of_member)
        ):
            nik = h["sp_nik"]  # the spouse's NIK on the head's row: the row is still the head's
            kinds.append(NIK_OF_MEMBER)
        if rng.random() < rates.nik_missing:
            nik_value: Cell = rng.choice((None, None, "-", "BELUM ADA"))
            kinds.append(NIK_MISSING)
        else:
            nik_value = nik_cell(rng, rates, nik, kinds, numeric=self.numeric_nik, csv=self.shape == "csv")
        kk: Cell = h["no_kk"]
        if self.numeric_nik:
            kk = excel_scientific(h["no_kk"]) if self.shape == "csv" else excel_number(h["no_kk"])
            kinds.append(KK_EXCEL_NUMBER)
        return Entry(
            province_id=h["province_id"] if not h["is_new"] else None,
            individual_id=person["id_individu"] if person is not None and not h["is_new"] else None,
            true_status=true_status, true_nik=true_nik, true_name=true_name, name=name, nik=nik_value,
            no_kk=kk, birth=birth, rt=h["rt"],
            rw=h["rw"], dusun=h["dusun"], status=status, notes=notes,
            id_cell=base.get("id_keluarga_p3ke"), base=base, damages=kinds,
        )  # fmt: skip

    def household(self, h: dict[str, Any], *, other_village: bool = False) -> list[Entry]:
        fate = schema.NEW if h["is_new"] else self.fates[h["hh"]]
        per_person = self.per_person and not h["is_new"]
        bases = self.bases.get(h["hh"], [{}])
        if per_person:
            out = [self.entry(h, p, fate, p) for p in bases]
        else:
            out = [self.entry(h, None, fate, bases[0])]
        if other_village:
            for e in out:
                e.other_village = True
                e.damages.append(OTHER_VILLAGE)
        if not h["is_new"] and self.rng.random() < self.rates.duplicate_row:
            copy = replace(out[0], damages=[*out[0].damages, DUPLICATE_ROW], duplicate=True)
            out.insert(1, copy)
        return out


def misalign(rng: random.Random, entries: list[Entry]) -> None:
    """The operator sorted one column only: a block of ids no longer sits beside its household."""
    listed = [e for e in entries if e.province_id is not None]
    if len(listed) < 6:
        return
    size = min(8, len(listed) // 3)
    start = rng.randrange(len(listed) - size)
    block = listed[start : start + size]
    ids = [e.id_cell for e in block]
    for e, new_id in zip(block, ids[1:] + ids[:1], strict=True):
        if new_id != e.id_cell:
            e.id_cell = new_id
            e.damages.append(ID_MISALIGNED)
