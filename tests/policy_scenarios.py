"""Tiny hand-built reconcile scenarios: a province list and village files written as CSV, reconciled
through the public ``verval_cli.reconcile``. Every NIK, No KK and name is invented.

A province list always carries a background of unrelated households (``FILLER``) so that name
frequencies are those of a desa, not of a three-row table: their names share no letters pattern with
the test names, their NIKs are far from the test NIKs, so none of them is ever a candidate.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import reconcile
from verval_cli.config import Config
from verval_cli.matching import rules
from verval_cli.result import ReconcileResult

DESA = "3304032004"  # Kebanaran, Mandiraja, Banjarnegara
OTHER_DESA = "3304032005"  # another desa of Mandiraja
CONFIG = Config(regency="33.04")
ACCEPT, REVIEW = CONFIG.matching.accept, CONFIG.matching.review

# Person field -> header, for the province list (P3KE export style) and a village file (retyped style).
PROVINCE_HEADER = {
    "household_id": "id_keluarga_p3ke",
    "desa": "kode_kemdagri",
    "name": "kepala_keluarga",
    "nik": "nik",
    "sex": "jenis_kelamin",
    "born": "tanggal_lahir",
    "kk": "nomor_kk",
    "rt": "rt",
    "rw": "rw",
    "relation": "hubungan_dengan_kepala_keluarga",
}
SUBMISSION_HEADER = {
    "household_id": "ID KELUARGA",
    "name": "NAMA KK",
    "nik": "NIK",
    "kk": "NO. KK",
    "sex": "JENIS KELAMIN",
    "born": "TGL LAHIR",
    "rt": "RT",
    "rw": "RW",
    "relation": "HUBUNGAN KELUARGA",
    "nik_corrected": "NIK PERBAIKAN",
    "status": "HASIL VERVAL",
}
# Optional columns are written only when some row fills them.
_OPTIONAL = ("relation", "nik_corrected", "household_id", "kk", "rt", "rw")
FILLER_COUNT = 120


def nik(serial: int, born: dt.date, sex: str = "L", region: str = "330403") -> str:
    """A valid NIK: region of issue, birth date (day + 40 for women), serial."""
    day = born.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def no_kk(serial: int) -> str:
    return f"330403010110{serial:04d}"


def near(value: str) -> str:
    """The NIK with its last digit changed: one edit away."""
    return value[:-1] + str((int(value[-1]) + 1) % 10)


@dataclass(frozen=True)
class Person:
    """One household (province) or one data row (submission); None leaves a cell empty."""

    name: str | None
    nik: str | None = None
    born: dt.date | None = None
    sex: str | None = None
    kk: str | None = None
    rt: int | None = None
    rw: int | None = None
    household_id: str | None = None
    desa: str = DESA
    status: str | None = "Ditemukan"
    relation: str | None = None
    nik_corrected: str | None = None


def _cell(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def _write_csv(
    path: Path, header: dict[str, str], rows: Sequence[Person], left_out: Sequence[str] = ()
) -> Path:
    fields = [
        f
        for f in header
        if f not in left_out and (f not in _OPTIONAL or any(getattr(p, f) is not None for p in rows))
    ]
    lines = [";".join(header[f] for f in fields)]
    lines += [";".join(_cell(getattr(p, f)) for f in fields) for p in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def filler(count: int = FILLER_COUNT, desa: str = DESA) -> list[Person]:
    """Unrelated households of the desa: names unlike any test name, NIKs born in 1940-1959."""
    people = []
    for i in range(count):
        born = dt.date(1940 + i % 20, 1 + i % 12, 1 + i % 28)
        name = f"QX{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}{i // 676} ZYWV"
        people.append(Person(name, nik(9000 + i, born), born, "L", household_id=f"F{i:04d}", desa=desa))
    return people


def write_province(
    folder: Path, households: Sequence[Person], *, background: bool = True, filler_count: int = FILLER_COUNT
) -> Path:
    """The province list: ``households`` (ids P0000, P0001, ... unless given) then the filler."""
    listed = [
        p if p.household_id else dataclasses.replace(p, household_id=f"P{i:04d}")
        for i, p in enumerate(households)
    ]
    return _write_csv(
        folder / "province" / "daftar_sasaran_3304.csv",
        PROVINCE_HEADER,
        [*listed, *(filler(filler_count) if background else [])],
    )


def write_submission(
    folder: Path, rows: Sequence[Person], name: str | None = None, left_out: Sequence[str] = ()
) -> Path:
    """A village file named after its desa code (so the desa is known from the file name);
    ``left_out`` names Person fields whose column the file does not have."""
    desa = rows[0].desa if rows else DESA
    path = folder / "submissions" / (name or f"{desa}_verval.csv")
    return _write_csv(path, SUBMISSION_HEADER, rows, left_out)


def run(
    folder: Path,
    households: Sequence[Person],
    files: dict[str, Sequence[Person]] | Sequence[Person],
    *,
    background: bool = True,
    left_out: Sequence[str] = (),
    filler_count: int = FILLER_COUNT,
) -> ReconcileResult:
    """Reconcile ``households`` (plus the filler) against one or more village files."""
    province = write_province(folder, households, background=background, filler_count=filler_count)
    if isinstance(files, dict):
        for file_name, rows in files.items():
            write_submission(folder, rows, file_name)
    else:
        write_submission(folder, files, left_out=left_out)
    return reconcile(province, [folder / "submissions"], CONFIG)


# -- reading a result back ------------------------------------------------------------------------------

_EVIDENCE = re.compile(r"(\w+)=(\w+)(?:\((-?[\d.]+)\))?")


def evidence(text: str | None) -> dict[str, tuple[str, float]]:
    """``nik=same(19.7) name=exact(7.5) ...`` -> {"nik": ("same", 19.7), "name": ("exact", 7.5), ...}."""
    assert text is not None, "a link always carries its evidence"
    return {c: (level, float(w) if w else 0.0) for c, level, w in _EVIDENCE.findall(text)}


def levels(text: str | None) -> dict[str, str]:
    return {c: level for c, (level, _) in evidence(text).items()}


def row(result: ReconcileResult, submission_row: int = 2, file: str | None = None) -> dict[str, Any]:
    """The matches record of one submission row (row numbers as Excel/CSV shows them: data from 2)."""
    found = result.matches.filter(pl.col("submission_row") == submission_row)
    if file is not None:
        found = found.filter(pl.col("submission_file").str.ends_with(file))
    assert found.height == 1, found
    return found.row(0, named=True)


def findings(result: ReconcileResult, code: str) -> pl.DataFrame:
    return result.discrepancies.filter(pl.col("code") == code)


def weight_of(levels_by_comparison: dict[str, str], name_frequency: float | None = None) -> float:
    """The policy's total weight for these levels (the term-frequency weight for an exact name)."""
    total = 0.0
    for comparison, level in levels_by_comparison.items():
        if level == "unknown":
            continue
        if comparison == "name" and level == "exact" and name_frequency is not None:
            total += rules.name_exact_weight(name_frequency)
        else:
            total += rules.WEIGHTS[comparison][level]
    return total


def weight_for_score(score: float) -> float:
    """The total weight at which the link score reaches ``score`` (the inverse of score_from_weight)."""
    return math.log2(score / (100.0 - score)) - rules.PRIOR
