"""A regency round of messy village files from the ``verval sample`` generator, generated once and kept.

The generator's spec is one regency; a round of more villages than the largest regency of Jawa Tengah
holds is spread over several (each its own province list file and submissions folder), as a province
office would receive them.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from verval_cli.regions import desa_in_regency, kecamatan_in_regency

ROUND_VERSION = 1
PER_REGENCY = 300  # villages generated per regency
HOUSEHOLDS = (200, 400)  # listed households per village: ~300, as in a regency-sized round
REGENCIES = ("33.06", "33.05", "33.18", "33.10", "33.08")  # Jawa Tengah, the most desa first


@dataclass(frozen=True)
class MessyRound:
    """Where a generated round lives and what it holds."""

    folder: Path
    villages: int

    @property
    def province(self) -> Path:
        return self.folder / "province"

    @property
    def submissions(self) -> Path:
        return self.folder / "submissions"

    def submission_files(self) -> list[Path]:
        return sorted(p for p in self.submissions.rglob("*") if p.is_file())

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = json.loads((self.folder / "round.json").read_text(encoding="utf-8"))
        return counts


def _plan(villages: int) -> list[tuple[str, int]]:
    """(regency, villages) per regency until ``villages`` are placed."""
    plan: list[tuple[str, int]] = []
    left = villages
    for regency in REGENCIES:
        if left <= 0:
            break
        take = min(left, PER_REGENCY, len(desa_in_regency(regency)) - 10)
        plan.append((regency, take))
        left -= take
    if left > 0:
        raise ValueError(f"at most {villages - left} villages in the benchmark's regencies")
    return plan


def _generate(villages: int, folder: Path) -> dict[str, int]:
    from verval_cli.sample import SampleSpec, generate_truth, write_round

    counts = {"files": 0, "xlsx": 0, "csv": 0, "sheets": 0, "submission_rows": 0, "households": 0}
    for n, (regency, count) in enumerate(_plan(villages)):
        spec = SampleSpec(
            seed=2023 + n,
            regency=regency,
            villages=count,
            kecamatan=len(kecamatan_in_regency(regency)),
            households_per_village=HOUSEHOLDS,
            silent_villages=3,
        )
        part = folder / "parts" / regency.replace(".", "")
        written = write_round(generate_truth(spec), part, overwrite=True)
        (folder / "province").mkdir(parents=True, exist_ok=True)
        written.province.replace(folder / "province" / written.province.name)
        (folder / "submissions").mkdir(parents=True, exist_ok=True)
        (part / "submissions").replace(folder / "submissions" / part.name)
        truth = pl.read_parquet(written.truth_rows)
        counts["submission_rows"] += truth.height
        counts["sheets"] += truth.select("file_name", "source_sheet").n_unique()
        counts["households"] += pl.read_parquet(written.truth_province).height
    files = sorted(p for p in (folder / "submissions").rglob("*") if p.is_file())
    counts["files"] = len(files)
    counts["csv"] = sum(p.suffix.lower() == ".csv" for p in files)
    counts["xlsx"] = counts["files"] - counts["csv"]
    return counts


def ensure_round(villages: int, scenarios: Path) -> MessyRound:
    """The round of ``villages`` villages under ``scenarios``, generated on first use."""
    folder = scenarios / f"messy_v{ROUND_VERSION}_{villages}"
    scenario = MessyRound(folder, villages)
    if (folder / "round.json").is_file():
        return scenario
    if folder.exists():
        shutil.rmtree(folder)  # an interrupted generation
    start = time.perf_counter()
    print(f"generating the messy round of {villages} villages (once) ...", flush=True)
    counts = _generate(villages, folder)
    (folder / "round.json").write_text(
        json.dumps(counts), encoding="utf-8"
    )  # written last: the round is whole
    print(f"  {counts['files']} files in {time.perf_counter() - start:.0f} s", flush=True)
    return scenario
