"""A generated corpus of deliberately broken village submissions, with the findings each must yield.

Every NIK, No KK and name is invented. Row numbers are the ones Excel shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from io_files import rows_at, write_xlsx

KEBANARAN = "3304032004"  # Kebanaran, Mandiraja, Banjarnegara
GUMELEM = "3304012003"  # Gumelem Wetan, Susukan, Banjarnegara
OUTSIDE = "3301012001"  # Tambakreja, Kedungreja, Cilacap
HEADER = ["NO", "NAMA KK", "NIK", "NO. KK", "JENIS KELAMIN", "TGL LAHIR", "RT", "RW", "HASIL VERVAL"]
FIRST_ROW = 4  # title on rows 1-2, header on row 3


def nik(serial: int, day: int = 15) -> str:
    """A valid NIK of Mandiraja (33 04 03), born 15-08-1995 (day + 40 for women)."""
    return f"330403{day:02d}0895{serial:04d}"


def kk(serial: int) -> str:
    return f"330403010110{1000 + serial:04d}"


def good(i: int, **changes: Any) -> list[Any]:
    """A row with nothing wrong; ``changes`` overrides columns by header."""
    row = {
        "NO": i,
        "NAMA KK": f"WARGA NOMOR {chr(65 + i % 26)}{chr(65 + i // 26)}",
        "NIK": nik(100 + i),
        "NO. KK": kk(i),
        "JENIS KELAMIN": "L",
        "TGL LAHIR": "15-08-1995",
        "RT": "001",
        "RW": "002",
        "HASIL VERVAL": "Ditemukan",
    }
    row.update(changes)
    return [row[h] for h in HEADER]


# (row changes, expected findings as (code, column letter)); one defect per row.
BROKEN: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    ({}, []),
    ({"NIK": None}, [("nik_missing", "C")]),
    ({"NIK": "33040315089500"}, [("nik_not_16_digits", "C")]),
    ({"NIK": "33040315O8950003"}, [("nik_non_digit", "C")]),
    ({"NIK": 3304031508950000}, [("nik_excel_number", "C")]),  # numeric cell, 16th digit lost
    ({"NIK": "3.30403E+15"}, [("nik_scientific", "C")]),
    ({"NIK": "9904031508950004"}, [("nik_bad_province", "C")]),
    ({"NIK": "3304031508950000"}, [("nik_bad_serial", "C")]),
    ({"NIK": "3304031513950005"}, [("nik_impossible_month", "C")]),
    ({"NIK": "3304033202950006"}, [("nik_impossible_date", "C")]),
    ({"NIK": nik(7, day=55)}, [("nik_sex_mismatch", "E")]),
    ({"TGL LAHIR": "16-08-1995"}, [("nik_birth_date_mismatch", "F")]),
    ({"NIK": nik(9)}, [("nik_duplicate_in_file", "C")]),
    ({"NIK": nik(9)}, [("nik_duplicate_in_file", "C")]),
    ({"NO. KK": "33040301011000"}, [("no_kk_invalid", "D")]),
    ({"NO. KK": 3304030101100000}, [("no_kk_excel_damaged", "D")]),
    ({"NAMA KK": None}, [("name_missing", "B")]),
    ({"NAMA KK": "SUPARNO 2"}, [("name_has_digits", "B")]),
    ({"HASIL VERVAL": None}, [("status_missing", "I")]),
    ({"HASIL VERVAL": "ENTAHLAH"}, [("status_unknown", "I")]),
    ({"TGL LAHIR": "kemarin sore"}, [("birth_date_unparseable", "F")]),
    ({"TGL LAHIR": "15-08-2095"}, [("birth_date_implausible", "F")]),
    ({"JENIS KELAMIN": "X"}, [("sex_unknown", "E")]),
    ({"RT": "satu"}, [("rt_not_numeric", "G")]),
    ({"RW": "B"}, [("rw_not_numeric", "H")]),
]
SHARED_NIK = nik(100)  # row FIRST_ROW of the broken file, also in the CSV file
AFTER_BLANK = FIRST_ROW + len(BROKEN) + 1  # a good row after one blank row


def write_broken(folder: Path) -> tuple[Path, list[tuple[str, int, str]]]:
    """The broken workbook and its expected (code, row, column) triples (batch duplicate excluded)."""
    rows = [good(i, **changes) for i, (changes, _) in enumerate(BROKEN)]
    cells = rows_at(
        1, [["HASIL VERIFIKASI DAN VALIDASI P3KE"], ["DESA KEBANARAN KECAMATAN MANDIRAJA"], HEADER]
    )
    cells |= rows_at(FIRST_ROW, rows)
    cells |= rows_at(AFTER_BLANK, [good(len(BROKEN) + 1), ["JUMLAH 26 KK"]])
    path = write_xlsx(folder / f"{KEBANARAN}_kebanaran.xlsx", {"Verval": cells}, merges={"Verval": ["A1:I1"]})
    expected = [
        (code, FIRST_ROW + i, column) for i, (_, found) in enumerate(BROKEN) for code, column in found
    ]
    return path, expected


def write_csv(folder: Path, rows: list[list[Any]], name: str = f"{GUMELEM}_gumelem.csv") -> Path:
    """A CSV as Excel saves it with the Indonesian locale: ';' separator, Windows-1252."""
    lines = [";".join(HEADER)] + [";".join("" if v is None else str(v) for v in row) for row in rows]
    path = folder / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def write_clean(folder: Path, name: str, rows: list[list[Any]]) -> Path:
    cells = rows_at(1, [HEADER, *rows])
    return write_xlsx(folder / name, {"Sheet1": cells})
