"""A whole verval round: the province list, one damaged submission per reporting village, the truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli.errors import OutputError, VervalError
from verval_cli.regions import Desa, desa_in_regency, plain_code, region_name
from verval_cli.sample import damage as dm
from verval_cli.sample.people import MALE_GIVEN, MALE_SECOND, Population, make_population
from verval_cli.sample.writers import (
    Entry,
    FilePlan,
    Village,
    render_csv,
    render_per_rw,
    render_retyped,
    render_template,
    write_plan,
    write_province,
)

HOUSEHOLD_COLUMNS: tuple[str, ...] = (
    "id_keluarga_p3ke", "provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan", "kode_kemdagri",
    "desil_kesejahteraan", "alamat", "kepala_keluarga", "nik", "padan_dukcapil", "jenis_kelamin",
    "tanggal_lahir", "pekerjaan", "pendidikan", "kepemilikan_rumah", "penerima_bpnt", "penerima_pkh",
    "penerima_sembako", "nomor_kk", "rt", "rw", "dusun",
)  # fmt: skip
INDIVIDUAL_COLUMNS: tuple[str, ...] = (
    "id_keluarga_p3ke", "id_individu", "provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan",
    "kode_kemdagri", "desil_kesejahteraan", "alamat", "kepala_keluarga", "nama", "nik",
    "hubungan_dengan_kepala_keluarga", "padan_dukcapil", "jenis_kelamin", "tanggal_lahir", "pekerjaan",
    "pendidikan", "kepemilikan_rumah", "penerima_bpnt", "penerima_pkh", "penerima_sembako", "nomor_kk",
    "rt", "rw", "dusun",
)  # fmt: skip
SHAPES: tuple[str, ...] = ("retyped", "template", "csv", "per_rw")
_SHAPE_CYCLE = (
    "retyped",
    "template",
    "csv",
    "per_rw",
    "retyped",
    "template",
    "retyped",
    "csv",
    "template",
    "per_rw",
)
TRUTH_ROWS_SCHEMA: dict[str, Any] = {
    "file_name": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "file_desa_code": pl.String,
    "province_id": pl.String,
    "province_individual_id": pl.String,
    "true_status": pl.String,
    "damages": pl.List(pl.String),
    "is_duplicate_row": pl.Boolean,
    "in_other_village": pl.Boolean,
    "true_nik": pl.String,
    "true_name": pl.String,
}


@dataclass(frozen=True)
class SampleSpec:
    """What to generate; the same spec always gives the same round."""

    seed: int = 2023
    regency: str = "33.04"  # Banjarnegara
    villages: int = 44  # priority villages, spread over `kecamatan` kecamatan
    kecamatan: int = 14
    households_per_village: tuple[int, int] = (25, 60)  # min, max
    level: str = "household"  # or "individual" (province list one row per person)
    silent_villages: int = 3  # villages that send nothing at all
    damage: dm.DamageRates = field(default_factory=dm.DamageRates)


@dataclass(frozen=True)
class Scenario:
    """A generated round, in memory: what write_round writes and the ground truth."""

    spec: SampleSpec
    province: pl.DataFrame  # the province list exactly as written (columns HOUSEHOLD_/INDIVIDUAL_COLUMNS)
    province_title: tuple[str, ...]
    population: Population  # every household and person, new proposals included
    files: tuple[FilePlan, ...]
    truth_rows: pl.DataFrame
    truth_province: pl.DataFrame

    @property
    def province_file_name(self) -> str:
        return f"daftar_sasaran_p3ke_{plain_code(self.spec.regency)}.xlsx"


@dataclass(frozen=True)
class RoundFiles:
    """Paths written by write_round."""

    province: Path
    submissions: tuple[Path, ...]
    truth_rows: Path
    truth_province: Path


@dataclass
class _File:
    """Per-village choices for its submission."""

    village: Village
    index: int
    shape: str
    name: str
    numeric_nik: bool
    vocabulary: dm.Vocabulary
    misaligned: bool = False
    incoming: list[dict[str, Any]] = field(default_factory=list)


def _check(spec: SampleSpec) -> None:
    lo, hi = spec.households_per_village
    if spec.level not in ("household", "individual"):
        raise VervalError(f"level must be 'household' or 'individual', not {spec.level!r}")
    if not 1 <= lo <= hi:
        raise VervalError("households_per_village must be (min, max) with 1 <= min <= max")
    if not 0 <= spec.silent_villages < spec.villages or spec.kecamatan < 1:
        raise VervalError("need at least one reporting village and one kecamatan")


def _choose_villages(spec: SampleSpec, rng: random.Random) -> list[Desa]:
    every = desa_in_regency(spec.regency)
    if not every:
        raise VervalError(f"no desa known for regency {spec.regency!r}")
    by_kec: dict[str, list[Desa]] = {}
    for d in every:
        by_kec.setdefault(d.kecamatan_code, []).append(d)
    if spec.kecamatan > len(by_kec):
        raise VervalError(f"regency {spec.regency} has only {len(by_kec)} kecamatan")
    kecs = sorted(rng.sample(sorted(by_kec), spec.kecamatan))
    pool = [d for k in kecs for d in by_kec[k]]
    if spec.villages < spec.kecamatan or spec.villages > len(pool):
        raise VervalError(f"cannot spread {spec.villages} villages over {spec.kecamatan} kecamatan")
    chosen = [rng.choice(by_kec[k]) for k in kecs]  # every chosen kecamatan gets at least one desa
    rest = [d for d in pool if d not in chosen]
    chosen += rng.sample(rest, spec.villages - len(chosen))
    return sorted(chosen, key=lambda d: d.code)


def _population(spec: SampleSpec, desa: list[Desa], rng: random.Random) -> Population:
    lo, hi = spec.households_per_village
    villages = pl.DataFrame(
        {
            "village": list(range(len(desa))),
            "desa_code": [d.code for d in desa],
            "kec_code": [d.kecamatan_code for d in desa],
            "dtks": [rng.random() < 0.5 for _ in desa],
            "n_households": [rng.randint(lo, hi) for _ in desa],
            "n_new": [rng.randint(0, spec.damage.new_households_max) for _ in desa],
        }
    )
    return make_population(spec.seed, villages, spec.regency)


def _province_frame(pop: Population, desa: list[Desa], spec: SampleSpec) -> pl.DataFrame:
    """Province-style rows for every household (new proposals too: the template shape reuses them)."""
    regency = (region_name(spec.regency) or spec.regency).upper()
    names = pl.DataFrame(
        {
            "desa_code": [d.code for d in desa],
            "desa_kelurahan": [d.name.upper() for d in desa],
            "kecamatan": [d.kecamatan.upper() for d in desa],
        }
    )
    h = pop.households.join(names, on="desa_code", how="left", maintain_order="left")
    yes_no = {
        c: pl.when(pl.col(c)).then(pl.lit("Ya")).otherwise(pl.lit("Tidak"))
        for c in ("bpnt", "pkh", "sembako")
    }
    dtks = pl.col("dtks")
    h = h.select(
        "hh",
        "is_new",
        id_keluarga_p3ke=pl.when(pl.col("is_new")).then(None).otherwise(pl.col("province_id")),
        provinsi=pl.lit((region_name(spec.regency[:2]) or "").upper()),
        kabupaten_kota=pl.lit(regency),
        kecamatan="kecamatan",
        desa_kelurahan="desa_kelurahan",
        kode_kemdagri="desa_code",
        desil_kesejahteraan="desil",
        alamat=pl.when(dtks)
        .then(
            pl.format(
                "DUSUN {} RT {} RW {}",
                "dusun",
                pl.col("rt").cast(pl.String).str.zfill(3),
                pl.col("rw").cast(pl.String).str.zfill(3),
            )
        )
        .otherwise(pl.format("DUSUN {}", "dusun")),
        padan_dukcapil=pl.when(pl.col("padan")).then(pl.lit("Padan")).otherwise(pl.lit("Tidak Padan")),
        pekerjaan_kk="pekerjaan",
        pendidikan="pendidikan",
        kepemilikan_rumah="kepemilikan",
        penerima_bpnt=yes_no["bpnt"],
        penerima_pkh=yes_no["pkh"],
        penerima_sembako=yes_no["sembako"],
        nomor_kk=pl.when(dtks).then(pl.col("no_kk")),
        rt=pl.when(dtks).then(pl.col("rt").cast(pl.String).str.zfill(3)),
        rw=pl.when(dtks).then(pl.col("rw").cast(pl.String).str.zfill(3)),
        dusun=pl.when(dtks).then(pl.col("dusun")),
    )
    p = pop.persons.with_columns(
        kepala_keluarga=pl.col("name").first().over("hh"),
        jenis_kelamin=pl.when(pl.col("sex") == "L").then(pl.lit("Laki-laki")).otherwise(pl.lit("Perempuan")),
    )
    frame = p.join(h, on="hh", how="left", maintain_order="left").with_columns(
        pekerjaan=pl.when(pl.col("member") == 0)
        .then(pl.col("pekerjaan_kk"))
        .when(pl.col("relation") == "Istri")
        .then(pl.lit("Mengurus Rumah Tangga"))
        .when(pl.col("birth_date").dt.year() >= 2005)
        .then(pl.lit("Pelajar/Mahasiswa"))
        .otherwise(pl.lit("Tidak/Belum Bekerja")),
    )
    frame = frame.rename({"individual_id": "id_individu", "name": "nama", "relation": "hubungan_dengan_kepala_keluarga",
                          "birth_date": "tanggal_lahir"})  # fmt: skip
    frame = frame.sort("kode_kemdagri", "hh", "member")
    if spec.level == "household":
        return frame.filter(pl.col("member") == 0).select("hh", "is_new", *HOUSEHOLD_COLUMNS)
    return frame.select("hh", "is_new", "member", *INDIVIDUAL_COLUMNS)


def _heads(pop: Population) -> pl.DataFrame:
    """One row per household with its head and (when there is one) spouse."""
    person = ["name", "nik", "female", "birth_date"]
    head = pop.persons.filter(pl.col("member") == 0).select("hh", *person)
    spouse = pop.persons.filter(pl.col("relation").is_in(["Istri", "Suami"])).select(
        "hh", *[pl.col(c).alias(f"sp_{c}") for c in person]
    )
    return (
        pop.households.select("hh", "village", "province_id", "is_new", "no_kk", "rt", "rw", "dusun")
        .join(head, on="hh", how="left", maintain_order="left")
        .join(spouse, on="hh", how="left", maintain_order="left")
    )


def _file_name(rng: random.Random, v: Village, shape: str, ambiguous: bool, counter: list[int]) -> str:
    title, up, low = v.name.title(), v.name.upper(), v.name.lower()
    kec = v.kecamatan
    if shape == "csv":
        styles = [f"verval {low} {kec.lower()}.csv", f"{v.code}_{up}.csv", f"Hasil Verval Desa {title}.csv"]
        return styles[rng.randrange(2) if ambiguous else rng.randrange(3)]
    style = rng.choices(range(5), weights=(3, 3, 3, 2, 1))[0]
    if ambiguous and style in (0, 3):
        style = 2
    if style == 4:
        counter[0] += 1
        return f"DATA FIX ({counter[0]}).xlsx"  # the desa is only in the title block / columns
    return (f"Hasil Verval Desa {title}.xlsx", f"{v.code}_{up}.xlsx", f"VERVAL P3KE {up} {kec.upper()}.xlsx",
            f"verval_{low.replace(' ', '_')}.xlsx")[style]  # fmt: skip


def _title(spec: SampleSpec) -> tuple[str, ...]:
    regency = (region_name(spec.regency) or spec.regency).upper()
    province = (region_name(spec.regency[:2]) or "").upper()
    return (
        "DAFTAR SASARAN PENSASARAN PERCEPATAN PENGHAPUSAN KEMISKINAN EKSTREM (P3KE)",
        f"PROVINSI {province}",
        regency,
        "Tanggal data: 06 Februari 2023",
    )


def _plan_files(spec: SampleSpec, desa: list[Desa], rng: random.Random) -> dict[int, _File]:
    """Which villages report, in which shape and under which file name."""
    regency = (region_name(spec.regency) or spec.regency).upper()
    province = (region_name(spec.regency[:2]) or "").upper()
    names = [d.name.upper() for d in desa_in_regency(spec.regency)]
    silent = set(rng.sample(range(len(desa)), spec.silent_villages))
    reporting = [i for i in range(len(desa)) if i not in silent]
    shape_of = {
        i: _SHAPE_CYCLE[k % len(_SHAPE_CYCLE)] for k, i in enumerate(rng.sample(reporting, len(reporting)))
    }
    files: dict[int, _File] = {}
    counter, taken = [0], set()
    misaligned = spec.damage.misaligned_files
    for i in reporting:
        d, shape = desa[i], shape_of[i]
        v = Village(d.code, d.name, d.kecamatan, regency, province)
        name = _file_name(rng, v, shape, names.count(d.name.upper()) > 1, counter)
        while name.lower() in taken:
            name = name.replace(".", "_2.", 1)
        taken.add(name.lower())
        numeric = shape != "template" and rng.random() < spec.damage.nik_number_files
        f = _File(v, i, shape, name, numeric, rng.choice(dm.VOCABULARIES))
        if shape == "template" and misaligned > 0:
            f.misaligned, misaligned = True, misaligned - 1
        files[i] = f
    return files


def _route(
    spec: SampleSpec,
    desa: list[Desa],
    files: dict[int, _File],
    heads: list[dict[str, Any]],
    rng: random.Random,
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, str]]:
    """Listed households each reporting village returns itself; others go missing or to a neighbour's file."""
    rates = spec.damage
    fates = list(dm.FATE_WEIGHTS)
    weights = list(dm.FATE_WEIGHTS.values())
    own: dict[int, list[dict[str, Any]]] = {i: [] for i in files}
    fate_of: dict[int, str] = {}
    for h in heads:
        if h["is_new"]:
            continue
        fate_of[h["hh"]] = rng.choices(fates, weights)[0]
        v = h["village"]
        if v not in files:
            continue
        u = rng.random()
        if u < rates.not_reported:
            continue
        if u < rates.not_reported + rates.other_village:
            kec = desa[v].kecamatan_code
            near = [j for j in files if j != v and desa[j].kecamatan_code == kec]
            near = near or [j for j in files if j != v]
            if near:
                files[rng.choice(near)].incoming.append(h)
                continue
        own[v].append(h)
    return own, fate_of


def _signatories(rng: random.Random) -> tuple[str, str]:
    return (rng.choice(MALE_GIVEN), f"{rng.choice(MALE_GIVEN)} {rng.choice(MALE_SECOND)}")


def _render(
    spec: SampleSpec, f: _File, rng: random.Random, entries: list[Entry], new: list[Entry]
) -> FilePlan:
    if f.shape == "template":
        columns = HOUSEHOLD_COLUMNS if spec.level == "household" else INDIVIDUAL_COLUMNS
        sheets = render_template(rng, columns, _title(spec), entries, new)
    elif f.shape == "retyped":
        sheets = render_retyped(rng, f.village, entries, new, _signatories(rng))
    elif f.shape == "csv":
        sheets = render_csv(rng, f.village, entries, new)
    else:
        sheets = render_per_rw(rng, f.village, entries, new)
    return FilePlan(f.name, f.shape == "csv", sheets)


def _truth_rows(plans: list[tuple[_File, FilePlan]]) -> pl.DataFrame:
    cols: dict[str, list[Any]] = {name: [] for name in TRUTH_ROWS_SCHEMA}
    for f, plan in plans:
        for sheet in plan.sheets:
            for row, e in sheet.data:
                values = (plan.name, sheet.name, row, f.village.code, e.province_id, e.individual_id,
                          e.true_status, e.damages, e.duplicate, e.other_village, e.true_nik, e.true_name)  # fmt: skip
                for column, value in zip(cols.values(), values, strict=True):
                    column.append(value)
    return pl.DataFrame(cols, schema=TRUTH_ROWS_SCHEMA)


def generate_truth(spec: SampleSpec) -> Scenario:
    """Generate a whole round in memory; the same spec always gives the same scenario."""
    _check(spec)
    rng = random.Random(f"{spec.seed}/round")
    desa = _choose_villages(spec, rng)
    pop = _population(spec, desa, rng)
    full = _province_frame(pop, desa, spec)
    files = _plan_files(spec, desa, rng)
    heads = _heads(pop).to_dicts()
    own, fates = _route(spec, desa, files, heads, rng)
    templated = {
        h["hh"] for f in files.values() if f.shape == "template" for h in [*own[f.index], *f.incoming]
    }
    templated |= {h["hh"] for h in heads if h["is_new"] and files.get(h["village"], None) is not None}
    bases: dict[int, list[dict[str, Any]]] = {}
    for row in full.filter(pl.col("hh").is_in(list(templated))).to_dicts():
        bases.setdefault(row["hh"], []).append(row)
    new_by_village: dict[int, list[dict[str, Any]]] = {}
    for h in heads:
        if h["is_new"]:
            new_by_village.setdefault(h["village"], []).append(h)
    plans: list[tuple[_File, FilePlan]] = []
    for i, f in files.items():
        vrng = random.Random(f"{spec.seed}/village/{f.village.code}")
        per_person = f.shape == "template" and spec.level == "individual"
        b = dm.RowDamager(spec.damage, vrng, f.vocabulary, f.numeric_nik, f.shape, per_person, bases, fates)
        entries = [e for h in own[i] for e in b.household(h)]
        entries += [e for h in f.incoming for e in b.household(h, other_village=True)]
        new = [e for h in new_by_village.get(i, []) for e in b.household(h)]
        if f.misaligned:
            dm.misalign(vrng, entries)
        plans.append((f, _render(spec, f, vrng, entries, new)))
    truth_rows = _truth_rows(plans)
    province = full.filter(~pl.col("is_new")).drop("hh", "is_new", "member", strict=False)
    reported = truth_rows["province_id"].drop_nulls().unique()
    silent_codes = [d.code for i, d in enumerate(desa) if i not in files]
    truth_province = province.select(
        province_id=pl.col("id_keluarga_p3ke"), desa_code=pl.col("kode_kemdagri")
    ).unique(maintain_order=True).with_columns(
        reported=pl.col("province_id").is_in(reported.implode()),
        silent_village=pl.col("desa_code").is_in(silent_codes),
    )  # fmt: skip
    return Scenario(spec, province, _title(spec), pop, tuple(p for _, p in plans), truth_rows, truth_province)


def write_round(scenario: Scenario, out_dir: Path, *, overwrite: bool = False) -> RoundFiles:
    """Write the province list, the submissions and the truth under ``out_dir``."""
    out_dir = Path(out_dir)
    folders = {k: out_dir / k for k in ("province", "submissions", "truth")}
    for folder in folders.values():
        if folder.is_dir() and any(folder.iterdir()):
            if not overwrite:
                raise OutputError(f"{folder} is not empty (use overwrite to replace a generated round)")
            for old in folder.iterdir():
                if old.is_file():
                    old.unlink()
        folder.mkdir(parents=True, exist_ok=True)
    province = folders["province"] / scenario.province_file_name
    write_province(scenario.province, scenario.province_title, province)
    submissions = tuple(write_plan(plan, folders["submissions"]) for plan in scenario.files)
    truth_rows = folders["truth"] / "truth_rows.parquet"
    truth_province = folders["truth"] / "truth_province.parquet"
    scenario.truth_rows.write_parquet(truth_rows)
    scenario.truth_province.write_parquet(truth_province)
    return RoundFiles(province, submissions, truth_rows, truth_province)
