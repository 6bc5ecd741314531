"""Candidate pairs (submission row, province person): exact keys first, then fuzzy within each desa."""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import polars as pl
from rapidfuzz import fuzz, process

from verval_cli.matching import rules
from verval_cli.schema import H_IDX, S_IDX, T_IDX

if TYPE_CHECKING:  # numpy loads inside the functions below: importing matching stays light
    import numpy as np

    _Block = tuple[np.ndarray, list[str]]

PAIR_SCHEMA: dict[str, pl.DataType] = {S_IDX: pl.Int64(), T_IDX: pl.Int64()}
_SIXTEEN = r"^\d{16}$"
# Excel-damaged NIKs whose possible range is this narrow are looked up regency-wide by their leading digits.
_NARROW_RANGE = 1_000


def _pairs(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.select(pl.col(S_IDX).cast(pl.Int64), pl.col(T_IDX).cast(pl.Int64))


def _heads(persons: pl.DataFrame) -> pl.DataFrame:
    return persons.select(H_IDX, T_IDX).filter(persons["is_head"])


def _sixteen(frame: pl.DataFrame, index: str, column: str, alias: str) -> pl.LazyFrame:
    """(index, 16-digit ``column`` as an integer named ``alias``): integer keys join faster than text."""
    return (
        frame.lazy()
        .select(index, pl.col(column).alias(alias))
        .filter(pl.col(alias).str.contains(_SIXTEEN).fill_null(False))
        .with_columns(pl.col(alias).cast(pl.Int64))
    )


def exact_candidates(rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Pairs sharing a household id, a NIK (also a corrected NIK), a No KK, or a damaged NIK's surviving digits."""
    heads = _heads(persons).lazy()
    found: list[pl.LazyFrame] = []

    with_id = rows.lazy().select(S_IDX, "household_id").filter(pl.col("household_id").is_not_null())
    by_id = with_id.join(households.lazy().select(H_IDX, "household_id"), on="household_id").join(
        heads, on=H_IDX
    )
    found.append(_pairs(by_id))

    person_nik = _sixteen(persons, T_IDX, "nik", "_nik")
    for column in ("nik", "nik_corrected"):
        found.append(_pairs(_sixteen(rows, S_IDX, column, "_nik").join(person_nik, on="_nik")))
    found.append(_family_of_nik(rows, persons))

    kk_rows = _sixteen(rows, S_IDX, "no_kk", "_kk")
    kk_households = _sixteen(households, H_IDX, "no_kk", "_kk")
    found.append(_pairs(kk_rows.join(kk_households, on="_kk").join(heads, on=H_IDX)))

    found.append(_damaged_candidates(rows, persons, households).lazy())
    return _distinct_sorted(pl.concat(found), persons.height)


def _family_of_nik(rows: pl.DataFrame, persons: pl.DataFrame) -> pl.LazyFrame:
    """The row paired with every listed member of a family whose member's NIK it carries.

    The spouse's NIK typed on the head's row (or the head's on the spouse's) finds the family; the row
    is then compared with each member, so the person its name and birth date fit is the one judged.
    A household-level list has one person per household: nothing to add.
    """
    if persons.height == persons[H_IDX].n_unique():
        return pl.LazyFrame(schema=PAIR_SCHEMA)
    members = persons.lazy().select(T_IDX, H_IDX)
    hits = _sixteen(rows, S_IDX, "nik", "_nik").join(
        _sixteen(persons, T_IDX, "nik", "_nik").join(members, on=T_IDX), on="_nik"
    )
    return _pairs(hits.select(S_IDX, H_IDX).unique().join(members, on=H_IDX))


def _distinct_sorted(pairs: pl.LazyFrame, persons: int) -> pl.DataFrame:
    """Each (s_idx, t_idx) pair once, sorted; deduped and sorted as one integer (t_idx < ``persons``)."""
    width = max(persons, 1)
    key = (pl.col(S_IDX).cast(pl.Int64) * width + pl.col(T_IDX).cast(pl.Int64)).alias("_key")
    return (
        pairs.select(key)
        .unique()
        .sort("_key")
        .select((pl.col("_key") // width).alias(S_IDX), (pl.col("_key") % width).alias(T_IDX))
        .collect()
    )


def _damaged_candidates(rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    by_nik = _within_range(rows, "nik", persons.select(T_IDX, pl.col("nik_int").alias("_value")))
    kk_values = households.select(H_IDX, pl.col("no_kk").cast(pl.Int64, strict=False).alias("_value"))
    by_kk = _within_range(rows, "no_kk", _heads(persons).join(kk_values, on=H_IDX))
    return pl.concat([by_nik, by_kk])


def _within_range(
    rows: pl.DataFrame, field: str, targets: pl.DataFrame, width: int = _NARROW_RANGE
) -> pl.DataFrame:
    """Pairs whose target ``_value`` lies in a damaged ``field``'s possible range (lo..hi) of at most
    ``width``.

    A wide range (scientific notation keeps ~6 digits) would pair the row with half its desa: such
    rows are found by name in the desa stage, where the range still counts as evidence.
    """
    lo, hi = f"{field}_lo", f"{field}_hi"
    narrow = (
        rows.lazy()
        .select(S_IDX, f"{field}_status", pl.col(lo).alias("_lo"), pl.col(hi).alias("_hi"))
        .filter((pl.col(f"{field}_status") == "excel_damaged") & ((pl.col("_hi") - pl.col("_lo")) <= width))
        .drop(f"{field}_status")
        .collect()
    )
    bucket = narrow.with_columns(
        pl.int_ranges(pl.col("_lo") // width, pl.col("_hi") // width + 1).alias("_bucket")
    ).explode("_bucket")
    known = targets.filter(pl.col("_value").is_not_null())
    by_bucket = bucket.join(known.with_columns((pl.col("_value") // width).alias("_bucket")), on="_bucket")
    return _pairs(
        by_bucket.lazy().filter(pl.col("_value").is_between(pl.col("_lo"), pl.col("_hi")))
    ).collect()


DESA_CANDIDATE_COLUMNS = (S_IDX, "desa_code", "name_key", "name", "nik")  # of rows / persons (t_idx)


def desa_candidates(rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Fuzzy pairs within each desa: similar names, same phonetic key, or a NIK one edit away."""
    import numpy as np  # loaded by matching only: `verval inspect` and `--help` go without

    people = persons.select(T_IDX, H_IDX, "name_key", "name", "nik").join(
        households.select(H_IDX, "desa_code"), on=H_IDX
    )
    rows = rows.filter(pl.col("desa_code").is_not_null())
    found: list[pl.DataFrame] = [
        _pairs(
            rows.lazy()
            .select(S_IDX, "desa_code", "name_key")
            .filter(pl.col("name_key").is_not_null())
            .join(people.lazy().select(T_IDX, "desa_code", "name_key"), on=["desa_code", "name_key"])
        ).collect(),
        _near_niks(rows, people),
    ]
    # Per-desa blocks as plain Python lists and numpy arrays: one conversion per column, none per block.
    row_blocks = _blocks(rows, S_IDX)
    person_blocks = _blocks(people.filter(pl.col("desa_code").is_in(list(row_blocks))), T_IDX)
    # rapidfuzz releases the GIL while it compares, so desa blocks run side by side on every core.
    work = [(block, person_blocks[key]) for key, block in row_blocks.items() if key in person_blocks]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        pairs = list(pool.map(lambda item: _block_pairs(*item), work))
    if pairs:
        s_all = np.concatenate([s for s, _ in pairs])
        t_all = np.concatenate([t for _, t in pairs])
        found.append(pl.DataFrame({S_IDX: s_all, T_IDX: t_all}, schema=PAIR_SCHEMA))
    return _distinct_sorted(pl.concat(found).lazy(), persons.height)


# Two 16-digit NIKs one edit apart (a digit changed, or two neighbours swapped) agree on every digit
# outside one of these windows (1-based): 1-8, 8-9, 9-12 or 12-16; each pair of neighbours lies inside
# one window. Each part keeps some of the birth date (digits 7-12), so a desa's people rarely share one:
# the region code (1-6) is the same all over a desa and the serial (13-16) is mostly a small number.
_NIK_PARTS = {
    "_last": pl.col("_n") % 10**8,  # digits 9-16
    "_ends": (pl.col("_n") // 10**9) * 10**7 + pl.col("_n") % 10**7,  # all but 8-9
    "_serial": (pl.col("_n") // 10**8) * 10**4 + pl.col("_n") % 10**4,  # 1-8 and 13-16
    "_head": pl.col("_n") // 10**5,  # digits 1-11
}


def _within_one_edit(left: str, right: str) -> pl.Expr:
    """Whether two 16-digit NIKs held as integers are at most one edit (OSA) apart.

    Between two texts of the same length one edit is one digit changed or two neighbours swapped
    (an insertion needs a deletion to keep the length: two edits). Digit ``k`` is ``n // 10**k % 10``.
    """
    a = [pl.col(left) // 10**k % 10 for k in range(16)]
    b = [pl.col(right) // 10**k % 10 for k in range(16)]
    differ = [x != y for x, y in zip(a, b, strict=True)]
    changed = pl.sum_horizontal(differ)
    swapped = pl.any_horizontal(
        [differ[k] & differ[k + 1] & (a[k] == b[k + 1]) & (a[k + 1] == b[k]) for k in range(15)]
    )
    return (changed <= 1) | ((changed == 2) & swapped)


def _near_niks(rows: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """Pairs in the same desa whose 16-digit NIKs are at most one edit (OSA) apart, found by joins."""

    def keyed(frame: pl.DataFrame, index: str) -> pl.LazyFrame:
        return (
            frame.lazy()
            .select(index, "desa_code", "nik")
            .filter(pl.col("nik").str.contains(_SIXTEEN).fill_null(False))
            .with_columns(pl.col("nik").cast(pl.Int64).alias("_n"))
            .with_columns(**_NIK_PARTS)
        )

    s_side, t_side = keyed(rows, S_IDX), keyed(people, T_IDX)
    by_part = [
        s_side.select(S_IDX, "desa_code", part)
        .join(t_side.select(T_IDX, "desa_code", part), on=["desa_code", part])
        .select(S_IDX, T_IDX)
        for part in _NIK_PARTS
    ]
    return (
        pl.concat(by_part)
        .unique()
        .join(s_side.select(S_IDX, pl.col("_n").alias("_s_n")), on=S_IDX)
        .join(t_side.select(T_IDX, pl.col("_n").alias("_t_n")), on=T_IDX)
        .filter(_within_one_edit("_s_n", "_t_n"))
        .select(pl.col(S_IDX).cast(pl.Int64), pl.col(T_IDX).cast(pl.Int64))
        .collect()
    )


def _blocks(frame: pl.DataFrame, index: str) -> dict[str, _Block]:
    """desa_code -> (index, names) with null names as empty text."""
    frame = frame.select("desa_code", index, pl.col("name").fill_null("")).sort("desa_code", index)
    bounds = (
        frame.select("desa_code")
        .with_row_index("_at")
        .group_by("desa_code", maintain_order=True)
        .agg(pl.col("_at").first().alias("_start"), pl.len().alias("_n"))
    )
    idx, names = frame[index].to_numpy(), frame["name"].to_list()
    return {code: (idx[a : a + n], names[a : a + n]) for code, a, n in bounds.iter_rows()}


# A patronym one side added ("SITI AMINAH" / "SITI AMINAH BINTI SALEH"), as the scorer strips it too.
_PATRONYM = re.compile(r" BIN(?:TI)? .*$")


def _similar(s_names: list[str], t_names: list[str]) -> np.ndarray:
    """Whether each (row name, person name) is similar enough to be a candidate (a 0/1 matrix)."""
    cutoff = rules.NAME_CANDIDATE_MIN
    found = (
        process.cdist(s_names, t_names, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, workers=1)
        >= cutoff
    )
    if any(_PATRONYM.search(n) for n in s_names) or any(_PATRONYM.search(n) for n in t_names):
        s_plain = [_PATRONYM.sub("", n) for n in s_names]
        t_plain = [_PATRONYM.sub("", n) for n in t_names]
        plain = process.cdist(s_plain, t_plain, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, workers=1)
        found |= plain >= cutoff
    return found


def _block_pairs(block: _Block, candidates: _Block) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np  # loaded by matching only: `verval inspect` and `--help` go without

    s_idx, s_names = block
    t_idx, t_names = candidates
    i, j = np.nonzero(_similar(s_names, t_names))
    return s_idx[i], t_idx[j]


# The last ten digits of a NIK (birth date and serial): scientific notation keeps the six before them,
# the kecamatan of issue, give or take one unit of the sixth digit.
_REGION = 10**10


def wide_candidates(rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Pairs for rows that no household took, searched beyond their desa, each with a similar name.

    A household that moved, or that another village reports, is listed in another desa: its row finds
    it by what survives of its NIK in scientific notation (the kecamatan digits), or by its typed birth
    date within the regency (the first four digits of the desa code). Rows need ``nik_status``,
    ``nik_lo``, ``nik_hi``, ``birth_date``, ``desa_code`` and ``name``.
    """
    values = persons.select(T_IDX, pl.col("nik_int").alias("_value"))
    by_region = _within_range(rows, "nik", values, width=2 * _REGION)
    regency = pl.col("desa_code").str.slice(0, 4).alias("_regency")
    people = persons.select(T_IDX, H_IDX, "birth_date").join(households.select(H_IDX, regency), on=H_IDX)
    by_date = _pairs(
        rows.lazy()
        .select(S_IDX, "birth_date", regency)
        .filter(pl.col("birth_date").is_not_null() & pl.col("_regency").is_not_null())
        .join(people.lazy().drop(H_IDX), on=["birth_date", "_regency"])
    ).collect()
    pairs = pl.concat([by_region, by_date]).unique()
    if pairs.height == 0:
        return pairs.cast(PAIR_SCHEMA)  # type: ignore[arg-type]
    names = pairs.join(rows.select(S_IDX, pl.col("name").alias("_s")), on=S_IDX).join(
        persons.select(T_IDX, pl.col("name").alias("_t")), on=T_IDX
    )
    s_names, t_names = names["_s"].fill_null("").to_list(), names["_t"].fill_null("").to_list()
    cutoff = rules.NAME_CANDIDATE_MIN
    similar = process.cpdist(s_names, t_names, scorer=fuzz.token_sort_ratio, workers=-1) >= cutoff
    plain = process.cpdist(
        [_PATRONYM.sub("", n) for n in s_names], [_PATRONYM.sub("", n) for n in t_names],
        scorer=fuzz.token_sort_ratio, workers=-1,
    )  # fmt: skip
    keep = names.filter(pl.Series(similar | (plain >= cutoff)) & (pl.col("_s") != ""))
    return _distinct_sorted(keep.lazy().select(S_IDX, T_IDX), persons.height)
