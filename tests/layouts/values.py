"""Synthetic cell values by kind: made-up people of Desa Kebanaran, Mandiraja, Banjarnegara (3304032004)."""

from __future__ import annotations

from dataclasses import dataclass

_NAMES = (
    ("SUPARNO", "L"), ("TUKIYEM", "P"), ("SLAMET RIYADI", "L"), ("WARSINI", "P"),
    ("DARSONO", "L"), ("KASMIRAH", "P"), ("RUSDI HARTONO", "L"), ("SITI AMINAH", "P"),
)  # fmt: skip
_MOTHERS = ("SAINEM", "PAIJEM", "RUMINAH", "TARSIH", "SUKINAH", "WAGINEM", "KARSIH", "MURTINI")
_FATHERS = ("KARTO", "SASTRO", "PAIMAN", "WIRYO", "TASLIM", "DIRJO", "KASAN", "MARDI")
_RELATIONS = ("KEPALA KELUARGA", "ISTRI", "ANAK", "ANAK")


@dataclass(frozen=True)
class Person:
    """One synthetic row: a member of one of two families."""

    i: int
    name: str
    sex: str
    day: int
    month: int
    year: int
    family: int

    @property
    def nik(self) -> str:
        day = self.day + (40 if self.sex == "P" else 0)
        return f"330403{day:02d}{self.month:02d}{self.year % 100:02d}{self.i + 1:04d}"

    @property
    def no_kk(self) -> str:
        return f"33040312031{self.family:01d}{7000 + self.family:04d}"

    @property
    def head(self) -> Person:
        return person(self.family * 4)


def person(i: int) -> Person:
    """The i-th synthetic person (families of four: head, wife, two children)."""
    name, sex = _NAMES[i % len(_NAMES)]
    return Person(i, name, sex, 1 + (i * 7) % 27, 1 + (i * 5) % 12, 1960 + (i * 9) % 45, i // 4)


def value(kind: str, p: Person) -> str:
    """The synthetic text of one cell of the given kind."""
    by_kind: dict[str, str] = {
        "nik": p.nik,
        "nik_apostrophe": "'" + p.nik,
        "nik_head": p.head.nik,
        "nik_other": person(p.i + 11).nik,
        "nik_new": p.nik[:-4] + "9" + p.nik[-3:],
        "kk": p.no_kk,
        "name": p.name,
        "name_head": p.head.name,
        "name_other": _FATHERS[p.i % len(_FATHERS)],
        "mother": _MOTHERS[p.i % len(_MOTHERS)],
        "sex_lp": p.sex,
        "sex_word": "LAKI-LAKI" if p.sex == "L" else "PEREMPUAN",
        "sex_code": "1" if p.sex == "L" else "2",
        "date_dmy": f"{p.day:02d}-{p.month:02d}-{p.year}",
        "date_slash": f"{p.day:02d}/{p.month:02d}/{p.year}",
        "date_iso": f"{p.year}-{p.month:02d}-{p.day:02d}",
        "place": ("BANJARNEGARA", "PURBALINGGA", "WONOSOBO")[p.i % 3],
        "address": f"DUSUN KRAJAN RT 00{1 + p.family} RW 002",
        "rt": f"00{1 + p.family}",
        "rw": "002",
        "dusun": "KRAJAN",
        "desa": "KEBANARAN",
        "kec": "MANDIRAJA",
        "kab": "BANJARNEGARA",
        "prov": "JAWA TENGAH",
        "code10": "3304032004",
        "code_dotted": "33.04.03.2004",
        "bps_prov": "33",
        "bps_kab": "04",
        "bps_kec": "030",
        "bps_desa": "004",
        "kdg_kec": "3",
        "kdg_kel": "2004",
        "relation": _RELATIONS[p.i % 4],
        "relation_code": str(1 + min(p.i % 4, 3)),
        "status": ("Ditemukan", "Meninggal", "Pindah", "Ditemukan")[p.i % 4],
        "resident": ("TETAP", "TETAP", "PENDATANG", "TETAP")[p.i % 4],
        "marital": ("KAWIN", "KAWIN", "BELUM KAWIN", "BELUM KAWIN")[p.i % 4],
        "desil": str(1 + p.family % 4),
        "yn": ("Ya", "Tidak")[p.i % 2],
        "id_household": f"P330403200400{p.family:04d}",
        "id_person": f"P330403200400{p.family:04d}{p.i % 4 + 1:02d}",
        "id_bdt": f"33040300400{p.family:05d}",
        "id_bdt_art": f"33040300400{p.family:05d}{p.i % 4 + 1:02d}",
        "card": f"60132{p.i:011d}",
        "text": ("TANI", "BURUH", "PEDAGANG", "LAINNYA")[p.i % 4],
        "note": ("", "SUDAH DICEK", "", "DATA GANDA")[p.i % 4],
        "int": str(1 + p.i % 5),
        "age": str(2023 - p.year),
        "seq": str(p.i + 1),
        "money": "300000",
        "empty": "",
    }
    return by_kind[kind]
