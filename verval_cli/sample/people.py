"""Synthetic people for the sample generator: invented names, NIKs, No KK and families.

Every name is assembled at random from the word lists below and every NIK / No KK is drawn at random,
so no row describes a real person. Random numbers come from one ``random.Random`` in bulk draws; the
tables themselves are assembled with polars expressions so that 50k households take a few seconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from verval_cli.regions import kecamatan_in_regency, plain_code


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_GIVEN: tuple[str, ...] = _words(
    """SUPARNO SUPARMAN SUTRISNO SUGENG SUKARDI SUMARNO SUNARTO SURIPTO SUWARNO SUYATNO SLAMET SARDI
    SAKIMAN SAMIDI KARSO KARSIMAN KASMAN KASIRIN KUSNO KARTO KASTUR WAGIMAN WARSITO WARNO WAKIJAN WAHYUDI
    TUGIMAN TURIMAN TUMIRAN TARSO TARYONO RASIMAN RAJIMAN RUSDI RUSMAN PARMIN PAIMAN PAIJO PARJO MARDI
    MARYONO MUJIONO MUJIYANTO JUMADI JUNAEDI JAYUSMAN JAKA DARMO DARSONO DASIMAN DALIMIN CAHYO CARSIM
    CASMUDI CIPTO BAMBANG BUDI BUDIYANTO AGUS ANDI ARIF EKO HERU HADI HARYONO IMAM ISMAIL KHOIRUL KHAMIM
    RIDWAN RAHMAT SYAIFUL SYAMSUDIN YUSUF YANTO YONO NGATIMAN NGADIRIN NGATINO NYOTO ROHMAN ROHIM MISKAM
    MISNO MULYADI MARYANTO SUPRIYADI SUPRIYANTO SUWITO SURATNO TASLIM TOHIR TARMUJI WARDOYO YATIMAN
    ZAINAL FAJAR GUNAWAN IWAN LUKMAN MUSLIM NASRUN PURWANTO RAHARJO TAUFIK UMAR SODIKIN SOLIKIN SAMSURI
    JUWARI SUJARWO CASIMUN DARSUN KUSWANTO TUKIJO"""
)
FEMALE_GIVEN: tuple[str, ...] = _words(
    """TUKIYEM TUMINAH TUGINEM SUMIYATI SUPARMI SUKINAH SUWARTI SUTINAH SAINEM SARINEM SARMI SAMINAH
    KASIYAH KARSINAH KASMIRAH KATIJAH KUSMIYATI WAGINAH WARSIAH WARTINI WASIRAH PAINEM PARSIH PARTINI
    PARINAH MARSIAH MARYATI MUJIATI JUMINAH JUARIYAH DARMI DARSIH DASIRAH CASMIRAH CARINAH RUSMINI
    RASMINAH RUKIYAH RUMINAH NGATINAH NGADINAH NGAISAH NYAMI NGATMI YATMI YANTI YULI SRI ENDANG ENDAH
    RINA RATNA WULAN DEWI FITRI MULYANI PURWANTI AMINAH FATIMAH KHOTIJAH MUNAWAROH ROHMAH SYAMSIAH
    ZULAIKAH ASIH KASINEM MINAH SUNARSIH TARSIH TASMINI TURSINAH UMI WASINI JUMIATI CASINAH SUJINAH
    TUGIYEM SUYATMI"""
)
MALE_SECOND: tuple[str, ...] = _words(
    """SANTOSO WIBOWO PRASETYO SETIAWAN HIDAYAT NUGROHO SAPUTRA KURNIAWAN PURNOMO SUSILO WALUYO HARTONO
    SUGIARTO RAHMAN FAUZI ARIFIN MAULANA SUBAGYO SUJARWO PRANOTO WIJAYA SUCIPTO"""
)
FEMALE_SECOND: tuple[str, ...] = _words(
    """RAHAYU LESTARI SULISTYOWATI WAHYUNI HANDAYANI KURNIASIH PURWANINGSIH SETIANINGSIH NINGRUM SAFITRI
    ASTUTI MAWARNI YULIANTI SUSANTI JUWARIYAH CAHYANI"""
)
MALE_PREFIX: tuple[str, ...] = ("MUHAMMAD", "MUHAMMAD", "AHMAD", "ABDUL", "NUR")
FEMALE_PREFIX: tuple[str, ...] = ("SITI", "SITI", "NUR", "SRI")
# Names with a character outside ASCII, so that a Windows-1252 CSV really needs its encoding.
ACCENTED_NAMES: tuple[str, ...] = ("ANDRÉ SETIAWAN", "JOSÉ PURNOMO", "RENÉ WIJAYA", "DÉSI LESTARI")
DUSUN_NAMES: tuple[str, ...] = _words(
    """KRAJAN KARANGJATI SIDAMULYA KALIWUNGU SIRANDU PENGKOL KEDUNGWRINGIN GUNUNGSARI KARANGSARI
    SIGEDANG LEBAKSIU PUCUNG WATUGEDE KEBONDALEM SAWANGAN SINDANGREJA"""
)
PEKERJAAN: tuple[str, ...] = (
    "Petani/Pekebun",
    "Buruh Harian Lepas",
    "Buruh Tani/Perkebunan",
    "Mengurus Rumah Tangga",
    "Wiraswasta",
    "Pedagang",
    "Tidak/Belum Bekerja",
)
PENDIDIKAN: tuple[str, ...] = (
    "Tidak/Belum Sekolah",
    "Tidak Tamat SD/Sederajat",
    "Tamat SD/Sederajat",
    "SLTP/Sederajat",
    "SLTA/Sederajat",
)
KEPEMILIKAN: tuple[str, ...] = ("Milik Sendiri", "Menumpang", "Bebas Sewa", "Sewa/Kontrak")
# Regencies whose prefix appears on NIKs of people now living in the sample regency (place of first issue).
OTHER_REGENCIES: tuple[str, ...] = (
    "33.01", "33.02", "33.03", "33.05", "33.06", "33.07", "33.26", "33.27", "33.74", "31.74", "32.73", "35.78",
)  # fmt: skip

HEAD, WIFE, HUSBAND, CHILD, OTHER = "Kepala Keluarga", "Istri", "Suami", "Anak", "Famili Lain"
_EPOCH = date(1970, 1, 1)
_LAST_BIRTH = (date(2022, 12, 31) - _EPOCH).days


@dataclass(frozen=True)
class Population:
    """Households (one row each, list and new proposals) and their members."""

    households: pl.DataFrame
    persons: pl.DataFrame


class Draw:
    """Seeded random numbers drawn in bulk as polars Series (splitmix64 over a counter).

    Integer arithmetic only, so the numbers are the same on every machine and polars version; each call
    opens a new stream so that adding a draw later does not shift the earlier ones.
    """

    def __init__(self, seed: int, stream: str) -> None:
        self.rng = random.Random(f"{seed}/{stream}")  # for the few draws made in small Python loops
        self._key = self.rng.getrandbits(63)
        self._calls = 0

    def uniform(self, n: int) -> pl.Series:
        """``n`` floats in ``[0, 1)``."""
        self._calls += 1
        start = _splitmix(pl.lit(self._key + self._calls * 7919, pl.UInt64))
        z = _splitmix(pl.int_range(0, n, dtype=pl.UInt64) * pl.lit(_GOLDEN, pl.UInt64) + start)
        return pl.select((z // 2**11) / float(2**53)).to_series().alias("u")

    def ints(self, lo: int, hi: int, n: int) -> pl.Series:
        """``n`` integers in ``[lo, hi]``."""
        return ((self.uniform(n) * (hi - lo + 1)).floor().cast(pl.Int64) + lo).alias("i")

    def pick(self, k: int, n: int, weights: Sequence[float] | None = None) -> pl.Series:
        """``n`` indices in ``[0, k)``, optionally weighted."""
        if weights is None:
            return self.ints(0, k - 1, n)
        total = float(sum(weights))
        cum, acc = [], 0.0
        for w in weights[:-1]:
            acc += w / total
            cum.append(acc)
        idx = pl.Series(cum, dtype=pl.Float64).search_sorted(self.uniform(n), side="right")
        return idx.cast(pl.Int64).clip(0, k - 1).alias("i")

    def unique_ids(self, n: int, digits: int) -> pl.Series:
        """``n`` distinct zero-padded numbers: an affine permutation of ``0..10**digits``."""
        mod = 10**digits
        a = 1 + 2 * (self.rng.randrange(mod // 10) * 5 + self.rng.choice((1, 2, 3, 4)))
        b = self.rng.randrange(mod)
        i = pl.int_range(0, n, dtype=pl.UInt64)
        ids = pl.select(((i * a + b) % mod).cast(pl.String).str.zfill(digits)).to_series()
        return ids.gather(self.uniform(n).arg_sort())  # hide the arithmetic progression


_GOLDEN = 0x9E3779B97F4A7C15


def _splitmix(x: pl.Expr) -> pl.Expr:
    z = x + pl.lit(_GOLDEN, pl.UInt64)
    z = z.xor(z // 2**30) * pl.lit(0xBF58476D1CE4E5B9, pl.UInt64)
    z = z.xor(z // 2**27) * pl.lit(0x94D049BB133111EB, pl.UInt64)
    return z.xor(z // 2**31)


def _days(d: date) -> int:
    return (d - _EPOCH).days


def _gather(words: Sequence[str], idx: pl.Series) -> pl.Series:
    return pl.Series(list(words)).gather(idx)


def synth_names(draw: Draw, female: Sequence[bool]) -> pl.Series:
    """Invented Javanese/Indonesian names: mostly one word, some two or three, prefixes and BIN/BINTI."""
    n = len(female)
    fem = pl.Series(list(female), dtype=pl.Boolean)

    def by_sex(male_words: Sequence[str], female_words: Sequence[str]) -> pl.Expr:
        m = _gather(male_words, draw.pick(len(male_words), n))
        f = _gather(female_words, draw.pick(len(female_words), n))
        return pl.when(pl.lit(fem)).then(pl.lit(f)).otherwise(pl.lit(m))

    frame = pl.DataFrame({"pattern": draw.pick(5, n, (0.48, 0.30, 0.09, 0.09, 0.04)), "fem": fem})
    frame = frame.with_columns(
        given=by_sex(MALE_GIVEN, FEMALE_GIVEN),
        second=by_sex(MALE_SECOND, FEMALE_SECOND),
        prefix=by_sex(MALE_PREFIX, FEMALE_PREFIX),
        father=pl.lit(_gather(MALE_GIVEN, draw.pick(len(MALE_GIVEN), n))),
    )
    p, sep = pl.col("pattern"), pl.lit(" ")
    patronym = pl.when(pl.col("fem")).then(pl.lit(" BINTI ")).otherwise(pl.lit(" BIN "))
    name = (
        pl.when(p == 0)
        .then(pl.col("given"))
        .when(p == 1)
        .then(pl.concat_str(pl.col("given"), sep, pl.col("second")))
        .when(p == 2)
        .then(pl.concat_str(pl.col("prefix"), sep, pl.col("given")))
        .when(p == 3)
        .then(pl.concat_str(pl.col("prefix"), sep, pl.col("given"), sep, pl.col("second")))
        .otherwise(pl.concat_str(pl.col("given"), patronym, pl.col("father")))
    )
    return frame.select(name.alias("name")).to_series()


def _date_digits(day_expr: pl.Expr, d: pl.Expr) -> pl.Expr:
    two = pl.String
    return pl.concat_str(
        day_expr.cast(two).str.zfill(2),
        d.dt.month().cast(two).str.zfill(2),
        (d.dt.year() % 100).cast(two).str.zfill(2),
    )


def _unique_serials(frame: pl.DataFrame, column: str, prefix: str, draw: Draw) -> pl.DataFrame:
    """Redraw the 4-digit serial of every repeated value of ``column`` until all are unique."""
    for _ in range(50):
        clash = ~pl.col(column).is_first_distinct()
        n = frame.select(clash.sum()).item()
        if n == 0:
            return frame
        serials = draw.ints(1, 9999, frame.height).cast(pl.String).str.zfill(4)
        frame = frame.with_columns(
            pl.when(clash)
            .then(pl.concat_str(pl.col(prefix), pl.lit(serials)))
            .otherwise(pl.col(column))
            .alias(column)
        )
    raise RuntimeError("could not draw unique serials")  # 9999 serials per prefix: never in practice


def _rt_slots(draw: Draw, villages: pl.DataFrame) -> pl.DataFrame:
    """RW/RT/dusun layout of every village (a small loop: one block per village)."""
    rows: list[tuple[int, int, int, int, str]] = []
    for v in villages["village"].to_list():
        dusun = draw.rng.sample(DUSUN_NAMES, 6)
        slot = 0
        for rw in range(1, draw.rng.randint(2, 6) + 1):
            for rt in range(1, draw.rng.randint(2, 5) + 1):
                rows.append((v, slot, rt, rw, dusun[rw - 1]))
                slot += 1
    return pl.DataFrame(rows, schema=["village", "slot", "rt", "rw", "dusun"], orient="row")


def _households(draw: Draw, villages: pl.DataFrame, regency: str) -> pl.DataFrame:
    base = (
        villages.with_columns(k=pl.int_ranges(0, pl.col("n_households") + pl.col("n_new")))
        .explode("k")
        .with_columns(is_new=pl.col("k") >= pl.col("n_households"))
        .select("village", "desa_code", "kec_code", "dtks", "is_new")
        .with_row_index("hh")
    )
    n = base.height
    slots = _rt_slots(draw, villages)
    n_slots = slots.group_by("village").len("n_slots")
    reg4 = plain_code(regency)
    ids = "P" + reg4 + draw.unique_ids(n, 9)
    kk_date = draw.ints(_days(date(2005, 1, 1)), _days(date(2022, 12, 31)), n).cast(pl.Int32).cast(pl.Date)
    u = draw.uniform(n)
    frame = (
        base.join(n_slots, on="village", how="left", maintain_order="left")
        .with_columns(slot=(pl.lit(u) * pl.col("n_slots")).floor().cast(pl.Int64))
        .join(slots, on=["village", "slot"], how="left", maintain_order="left")
        .with_columns(
            province_id=pl.lit(ids),
            head_female=pl.lit(draw.uniform(n)) < 0.18,
            spouse_u=pl.lit(draw.uniform(n)),
            n_children=pl.lit(draw.pick(5, n, (0.2, 0.25, 0.3, 0.15, 0.1))),
            has_other=pl.lit(draw.uniform(n)) < 0.07,
            desil=pl.lit(draw.pick(4, n, (0.45, 0.3, 0.15, 0.1))) + 1,
            pekerjaan=pl.lit(_gather(PEKERJAAN, draw.pick(len(PEKERJAAN), n, (5, 4, 3, 2, 1, 1, 1)))),
            pendidikan=pl.lit(_gather(PENDIDIKAN, draw.pick(len(PENDIDIKAN), n, (3, 4, 5, 2, 1)))),
            kepemilikan=pl.lit(_gather(KEPEMILIKAN, draw.pick(len(KEPEMILIKAN), n, (6, 2, 1, 1)))),
            padan=pl.lit(draw.uniform(n)) < 0.93,
            bpnt=pl.lit(draw.uniform(n)) < 0.45,
            pkh=pl.lit(draw.uniform(n)) < 0.3,
            sembako=pl.lit(draw.uniform(n)) < 0.35,
            kk_prefix=pl.concat_str(
                pl.col("kec_code"), _date_digits(pl.lit(kk_date).dt.day(), pl.lit(kk_date))
            ),
            no_kk=pl.lit(draw.ints(1, 9999, n)).cast(pl.String).str.zfill(4),
        )
        .with_columns(
            has_spouse=pl.when(pl.col("head_female"))
            .then(pl.col("spouse_u") < 0.1)
            .otherwise(pl.col("spouse_u") < 0.88),
            no_kk=pl.concat_str(pl.col("kk_prefix"), pl.col("no_kk")),
        )
    )
    frame = _unique_serials(frame, "no_kk", "kk_prefix", draw)
    return frame.drop("spouse_u", "slot", "n_slots", "kk_prefix")


def _members(draw: Draw, households: pl.DataFrame, regency: str) -> pl.DataFrame:
    size = 1 + pl.col("has_spouse").cast(pl.Int64) + pl.col("n_children") + pl.col("has_other").cast(pl.Int64)
    frame = (
        households.select("hh", "kec_code", "head_female", "has_spouse", "has_other", size.alias("size"))
        .with_columns(member=pl.int_ranges(0, pl.col("size")))
        .explode("member")
    )
    p = frame.height
    m = pl.col("member")
    relation = (
        pl.when(m == 0)
        .then(pl.lit(HEAD))
        .when(pl.col("has_spouse") & (m == 1))
        .then(pl.when(pl.col("head_female")).then(pl.lit(HUSBAND)).otherwise(pl.lit(WIFE)))
        .when(pl.col("has_other") & (m == pl.col("size") - 1))
        .then(pl.lit(OTHER))
        .otherwise(pl.lit(CHILD))
    )
    coin = pl.lit(draw.uniform(p)) < 0.5
    female = (
        pl.when(m == 0).then(pl.col("head_female")).when(pl.col("relation") == WIFE).then(True)
        .when(pl.col("relation") == HUSBAND).then(False).otherwise(coin)
    )  # fmt: skip
    head_birth = pl.lit(draw.ints(_days(date(1943, 1, 1)), _days(date(1998, 12, 31)), p))
    offset = pl.lit(draw.ints(-1500, 3600, p))
    child_gap = pl.lit(draw.ints(20 * 365, 42 * 365, p))
    rel = pl.col("relation")
    birth_days = (
        pl.when(m == 0).then(pl.col("hb")).when(rel.is_in([WIFE, HUSBAND])).then(pl.col("hb") + offset)
        .when(rel == OTHER).then(pl.col("hb") - child_gap + 365 * 10).otherwise(pl.col("hb") + child_gap)
    )  # fmt: skip
    others = [plain_code(k) for r in OTHER_REGENCIES if plain_code(r) != plain_code(regency)
              for k, _ in kecamatan_in_regency(r)]  # fmt: skip
    foreign = _gather(others, draw.pick(len(others), p))
    frame = (
        frame.with_columns(relation=relation, hb=head_birth)
        .with_columns(hb=pl.col("hb").first().over("hh"))
        .with_columns(female=female, bd=birth_days.clip(_days(date(1928, 1, 1)), _LAST_BIRTH))
        .with_columns(
            nik_date=pl.col("bd").cast(pl.Int32).cast(pl.Date),
            region=pl.when(pl.lit(draw.uniform(p)) < 0.82)
            .then(pl.col("kec_code"))
            .otherwise(pl.lit(foreign)),
        )
    )
    day = pl.col("nik_date").dt.day() + pl.when(pl.col("female")).then(40).otherwise(0)
    shift = pl.lit(draw.ints(-400, 400, p))
    shift = pl.when(shift == 0).then(7).otherwise(shift)
    frame = frame.with_columns(
        nik_prefix=pl.concat_str(pl.col("region"), _date_digits(day, pl.col("nik_date"))),
        nik=pl.lit(draw.ints(1, 9999, p)).cast(pl.String).str.zfill(4),
        # Real lists disagree with the NIK in ~8% of birth dates and ~1% of sexes.
        birth_date=pl.when(pl.lit(draw.uniform(p)) < 0.08)
        .then((pl.col("bd") + shift).clip(upper_bound=_LAST_BIRTH).cast(pl.Int32).cast(pl.Date))
        .otherwise(pl.col("nik_date")),
        sex=pl.when(pl.col("female") ^ (pl.lit(draw.uniform(p)) < 0.01))
        .then(pl.lit("P"))
        .otherwise(pl.lit("L")),
        name=pl.lit(synth_names(draw, frame["female"].to_list())),
    ).with_columns(nik=pl.concat_str(pl.col("nik_prefix"), pl.col("nik")))
    frame = _unique_serials(frame, "nik", "nik_prefix", draw)
    reg4 = plain_code(regency)
    ids = "I" + reg4 + draw.unique_ids(p, 9)
    return frame.with_columns(individual_id=pl.lit(ids)).select(
        "hh", "member", "individual_id", "relation", "name", "female", "sex", "nik", "nik_date", "birth_date"
    )


def _homonyms(draw: Draw, households: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """Give a few heads in each desa the name of another head of the same sex (real villages do)."""
    heads = (
        persons.filter(pl.col("member") == 0)
        .join(households.select("hh", "village", "is_new"), on="hh")
        .filter(~pl.col("is_new"))
        .sort("hh")
    )
    renamed: dict[int, str] = {}
    for block in heads.partition_by("village", maintain_order=True):
        for fem in (False, True):
            sub = block.filter(pl.col("female") == fem)
            pairs = 1 + sub.height // 40 if not fem else sub.height // 60
            if sub.height < 4:
                continue
            hhs, names = sub["hh"].to_list(), sub["name"].to_list()
            for _ in range(pairs):
                a, b = draw.rng.sample(range(sub.height), 2)
                renamed[hhs[b]] = names[a]
    if not renamed:
        return persons
    fix = pl.DataFrame({"hh": list(renamed), "new_name": list(renamed.values())},
                       schema={"hh": pl.UInt32, "new_name": pl.String})  # fmt: skip
    return (
        persons.join(fix, on="hh", how="left", maintain_order="left")
        .with_columns(
            name=pl.when((pl.col("member") == 0) & pl.col("new_name").is_not_null())
            .then(pl.col("new_name"))
            .otherwise(pl.col("name"))
        )
        .drop("new_name")
    )


def make_population(seed: int, villages: pl.DataFrame, regency: str) -> Population:
    """Households and members for ``villages`` (columns village, desa_code, kec_code, dtks, n_households, n_new)."""
    draw = Draw(seed, "people")
    households = _households(draw, villages, regency)
    persons = _homonyms(draw, households, _members(draw, households, regency))
    return Population(households, persons)
