"""normalize_frame as a whole: column contract, row order, untouched columns, small fields, scale."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest

from verval_cli import schema
from verval_cli.config import Config
from verval_cli.normalize import normalize_frame, normalize_value

TODAY = date(2025, 6, 1)


def stage1() -> pl.DataFrame:
    """A small stage-1 frame: text fields as typed, provenance, a cell-type flag and an extra column."""
    return pl.DataFrame(
        {
            "source_file": ["desa.xlsx"] * 4,
            "source_sheet": ["Sheet1"] * 4,
            "source_row": [14, 15, 17, 18],
            "nik": ["3304031508950001", "3304031508950000", None, "3.30403E+15"],
            "nik_numeric_cell": [False, True, None, None],
            "name": ["H. Soeparman", "TUKIYEM", None, "Siti Aminah, S.Pd."],
            "birth_date": ["15/08/1995", "1960-01-01 00:00:00", "-", "31/02/1990"],
            "status": ["Ditemukan", "MD", None, "Tidak tinggal di ruta"],
            "extra:KET": ["a", None, "c", "d"],
        },
        schema_overrides={"nik_numeric_cell": pl.Boolean},
    )


def test_columns_follow_the_contract_and_sit_where_the_field_was() -> None:
    out = normalize_frame(stage1(), today=TODAY)
    assert out.columns == [
        "source_file",
        "source_sheet",
        "source_row",
        "nik_raw",
        "nik",
        "nik_status",
        "nik_lo",
        "nik_hi",
        "nik_region",
        "nik_sex",
        "nik_birth_date",
        "nik_numeric_cell",
        "name_raw",
        "name",
        "name_titles",
        "name_deceased_title",
        "name_patronym",
        "name_key",
        "birth_date_raw",
        "birth_date",
        "birth_date_status",
        "status_raw",
        "status",
        "extra:KET",
    ]
    assert out.schema["nik_lo"] == pl.Int64
    assert out.schema["nik_birth_date"] == pl.Date
    assert out.schema["birth_date"] == pl.Date
    assert out.schema["name_deceased_title"] == pl.Boolean


def test_rows_keep_count_order_and_other_columns() -> None:
    frame = stage1()
    out = normalize_frame(frame, today=TODAY)
    assert out.height == frame.height
    for column in ("source_file", "source_sheet", "source_row", "nik_numeric_cell", "extra:KET"):
        assert out[column].to_list() == frame[column].to_list()
    for field in ("nik", "name", "birth_date", "status"):
        assert out[f"{field}_raw"].to_list() == frame[field].to_list()
    assert out["nik_status"].to_list() == ["valid", "excel_damaged", "missing", "excel_damaged"]
    assert out["name"].to_list() == ["SUPARMAN", "TUKIYEM", None, "SITI AMINAH"]
    assert out["birth_date_status"].to_list() == ["valid", "valid", "missing", "unparseable"]
    assert out["status"].to_list() == ["found", "deceased", "missing", "moved"]


def test_row_order_survives_deduplication_on_many_rows() -> None:
    rng = random.Random(7)
    statuses = ["Ditemukan", "MD", "Pindah", None, "xyz", "Tidak Ditemukan"]
    names = ["SUPARNO", "H. SUPARNO", "TUKIYEM", None, "SITI"]
    raw_status = [rng.choice(statuses) for _ in range(5000)]
    raw_names = [rng.choice(names) for _ in range(5000)]
    frame = pl.DataFrame({"seq": range(5000), "status": raw_status, "name": raw_names})
    out = normalize_frame(frame)
    assert out["seq"].to_list() == list(range(5000))
    assert out["status_raw"].to_list() == raw_status
    assert out["name_raw"].to_list() == raw_names
    expected = {
        "SUPARNO": "SUPARNO",
        "H. SUPARNO": "SUPARNO",
        "TUKIYEM": "TUKIYEM",
        None: None,
        "SITI": "SITI",
    }
    assert out["name"].to_list() == [expected[n] for n in raw_names]


def test_lazy_in_lazy_out() -> None:
    lazy = normalize_frame(stage1().lazy(), today=TODAY)
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().equals(normalize_frame(stage1(), today=TODAY))


def test_absent_fields_are_not_produced() -> None:
    out = normalize_frame(pl.DataFrame({"source_row": [1], "address": ["Jl. Mawar"], "dusun": ["Krajan"]}))
    assert out.columns == ["source_row", "address", "dusun"]
    assert out.row(0) == (1, "Jl. Mawar", "Krajan")


def test_empty_frame() -> None:
    out = normalize_frame(
        pl.DataFrame(
            {"nik": [], "name": [], "status": []}, schema=dict.fromkeys(("nik", "name", "status"), pl.Utf8)
        )
    )
    assert out.height == 0
    assert "nik_status" in out.columns


def test_already_normalised_frame_is_left_alone() -> None:
    once = normalize_frame(stage1(), today=TODAY)
    assert normalize_frame(once, today=TODAY).equals(once)


def test_config_status_override_reaches_the_frame() -> None:
    frame = pl.DataFrame({"status": ["4", "4", "1"]})
    assert normalize_frame(frame)["status"].to_list() == ["new", "new", "found"]
    config = Config(status={"4": "other"})
    assert normalize_frame(frame, config)["status"].to_list() == ["other", "other", "found"]


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        ("L", "L"),
        ("l", "L"),
        ("LK", "L"),
        ("Laki-laki", "L"),
        ("LAKI LAKI", "L"),
        ("Pria", "L"),
        ("1", "L"),
        ("1.0", "L"),
        ("P", "P"),
        ("PR", "P"),
        ("Perempuan", "P"),
        ("WANITA", "P"),
        ("2", "P"),
        ("-", None),
        ("X", None),
        (None, None),
    ],
)
def test_sex(raw: str | None, sex: str | None) -> None:
    assert normalize_value(schema.SEX, raw)[schema.SEX] == sex


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("003", 3),
        ("3", 3),
        ("03.", 3),
        ("3.0", 3),
        ("RT 03", 3),
        ("RT. 003", 3),
        ("rt.3", 3),
        ("12", 12),
        ("003/004", 3),
        ("-", None),
        ("", None),
        ("0", None),
        ("A", None),
        ("3A", None),
        (None, None),
    ],
)
def test_rt(raw: str | None, number: int | None) -> None:
    assert normalize_value(schema.RT, raw)[schema.RT] == number


@pytest.mark.parametrize(
    ("raw", "number"), [("004", 4), ("RW 04", 4), ("RW.4", 4), ("003/004", 4), ("-", None)]
)
def test_rw(raw: str, number: int | None) -> None:
    assert normalize_value(schema.RW, raw)[schema.RW] == number


def test_rt_rw_types() -> None:
    out = normalize_frame(pl.DataFrame({"rt": ["001"], "rw": ["002"], "desil": ["1"]}))
    assert [out.schema[c] for c in ("rt", "rw", "desil")] == [pl.Int32(), pl.Int32(), pl.Int8()]
    assert out.columns == ["rt_raw", "rt", "rw_raw", "rw", "desil_raw", "desil"]


@pytest.mark.parametrize(
    ("raw", "desil"),
    [
        ("1", 1),
        ("4", 4),
        ("10", 10),
        ("Desil 1", 1),
        ("DESIL 2", 2),
        ("desil-3", 3),
        ("2.0", 2),
        ("0", None),
        ("11", None),
        ("-", None),
    ],
)
def test_desil(raw: str, desil: int | None) -> None:
    assert normalize_value(schema.DESIL, raw)[schema.DESIL] == desil


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("3304032004", "3304032004"),
        ("33.04.03.2004", "3304032004"),
        (" 33.04.03.2004 ", "3304032004"),
        ("'3304032004", "3304032004"),
        ("3304032004.0", "3304032004"),
        ("33.04.03", None),
        ("KEBANARAN", None),
        (None, None),
    ],
)
def test_region_code(raw: str | None, code: str | None) -> None:
    out = normalize_value(schema.REGION_CODE, raw)
    assert out[schema.REGION_CODE] == code
    assert out["region_code_raw"] == raw


@pytest.mark.parametrize(
    ("raw", "numeric_cell", "cleaned"),
    [
        ("P3304000012345", None, "P3304000012345"),
        ("'P3304000012345", None, "P3304000012345"),
        (" 1234567 \u200b", None, "1234567"),
        ("1234567.0", True, "1234567"),
        ("1234567.0", None, "1234567"),
        ("1234567.0", False, "1234567.0"),  # a text cell keeps what was typed
        ("", None, None),
        (None, None, None),
    ],
)
@pytest.mark.parametrize("field", [schema.HOUSEHOLD_ID, schema.INDIVIDUAL_ID])
def test_household_and_individual_ids(
    field: str, raw: str | None, numeric_cell: bool | None, cleaned: str | None
) -> None:
    out = normalize_value(field, raw, numeric_cell=numeric_cell)
    assert out[field] == cleaned
    assert out[f"{field}_raw"] == raw


def test_two_hundred_thousand_rows() -> None:
    """Runs the whole layer on 200k rows once; speed itself is measured by the benchmarks."""
    rng = random.Random(3)
    n = 200_000
    niks = [
        f"3304{rng.randint(1, 20):02d}{rng.randint(1, 71):02d}{rng.randint(1, 12):02d}{rng.randint(40, 99):02d}{rng.randint(0, 9999):04d}"
        for _ in range(n)
    ]
    words = ["SUPARNO", "TUKIYEM", "SITI", "AMINAH", "H.", "MOCH.", "SOEBROTO", "DJOKO", "NUR"]
    frame = pl.DataFrame(
        {
            "nik": niks,
            "no_kk": niks,
            "name": [" ".join(rng.choices(words, k=rng.randint(1, 3))) for _ in range(n)],
            "birth_date": [
                f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(1940, 2010)}" for _ in range(n)
            ],
            "status": [rng.choice(["Ditemukan", "MD", "Pindah", "", "2"]) for _ in range(n)],
            "sex": [rng.choice(["L", "P", "LAKI-LAKI"]) for _ in range(n)],
            "rt": [f"{rng.randint(1, 15):03d}" for _ in range(n)],
        }
    )
    out = normalize_frame(frame, today=TODAY)
    assert out.height == n
    assert out["nik_raw"].to_list() == niks
    assert out["status"].null_count() == 0


def test_numeric_id_columns_count_as_numeric_cells() -> None:
    """A frame built with integer NIKs (no _numeric_cell column) gets the damage rules of numeric cells."""
    out = normalize_frame(pl.DataFrame({"nik": [3304031508950000, 3304031508950001]}), today=TODAY)
    assert out["nik_raw"].to_list() == ["3304031508950000", "3304031508950001"]
    assert out["nik_status"].to_list() == ["excel_damaged", "valid"]
