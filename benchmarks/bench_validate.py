"""Benchmark `verval validate`: 300 village files of ~100 rows (synthetic), timed end to end.

Run: .venv/bin/python benchmarks/bench_validate.py [--files 300] [--rows 100] [--workers N]
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import xlsxwriter

from verval_cli.config import Config
from verval_cli.regions import desa_in_regency
from verval_cli.validate import validate_paths

REGENCY = "33.02"  # Banyumas: 331 desa, enough for 300 distinct village files
HEADER = [
    "NO",
    "NAMA KEPALA KELUARGA",
    "NIK",
    "NO KK",
    "JENIS KELAMIN",
    "TGL LAHIR",
    "RT",
    "RW",
    "HASIL VERVAL",
]
STATUSES = ["Ditemukan", "Ada", "Meninggal", "Pindah", "Tidak Ditemukan", "Usulan Baru", "", "entah"]
NAMES = ["SUPARNO", "TUKIYEM", "SUMARNI", "KASMIN", "RAHAYU", "MULYONO", "SITI AMINAH", "DARSONO"]


def _row(rng: random.Random, code: str, i: int) -> list[object]:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(40, 99)
    female = rng.random() < 0.5
    nik = f"{code[:6]}{day + 40 * female:02d}{month:02d}{year:02d}{rng.randint(1, 9999):04d}"
    if rng.random() < 0.05:
        nik = f"{nik[0]}.{nik[1:6]}E+15"  # Excel damage seen in CSV exports
    return [
        i,
        rng.choice(NAMES),
        nik,
        f"{code[:6]}0101{rng.randint(10, 22):02d}{rng.randint(1, 9999):04d}",
        "P" if female else "L",
        f"{day:02d}-{month:02d}-19{year:02d}" if rng.random() > 0.05 else "kemarin",
        f"{rng.randint(1, 9):03d}",
        f"{rng.randint(1, 5):03d}",
        rng.choice(STATUSES),
    ]


def write_corpus(folder: Path, files: int, rows: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for desa in desa_in_regency(REGENCY)[:files]:
        path = folder / f"{desa.code}_{desa.name}.xlsx"
        workbook = xlsxwriter.Workbook(str(path))
        sheet = workbook.add_worksheet("Verval")
        sheet.write_string(0, 0, f"HASIL VERVAL DESA {desa.name.upper()}")
        for j, title in enumerate(HEADER):
            sheet.write_string(2, j, title)
        for i in range(rows + rng.randint(-10, 10)):
            for j, value in enumerate(_row(rng, desa.code, i + 1)):
                if isinstance(value, int):
                    sheet.write_number(3 + i, j, value)
                else:
                    sheet.write_string(3 + i, j, str(value))
        workbook.close()
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU (up to 8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        paths = write_corpus(folder, args.files, args.rows)
        print(f"generated {len(paths)} files in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        report = validate_paths([str(folder)], Config(regency=REGENCY), workers=args.workers)
        elapsed = time.perf_counter() - started
        totals = report.totals
        print(
            f"validate: {totals['files']} files, {totals['rows']} rows, {report.findings.height} findings "
            f"in {elapsed:.2f} s ({totals['rows'] / elapsed:,.0f} rows/s)"
        )


if __name__ == "__main__":
    main()
