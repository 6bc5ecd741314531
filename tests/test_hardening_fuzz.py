"""Bounded fuzzing: the loaders and normalisers fail only in documented ways, whatever bytes they get.

A reader may raise only ``InputFileError`` (a one-line reason); ``load_tables`` turns any other exception
into a generic "cannot read: <ExceptionType>" failure, so seeing that prefix means an undocumented crash.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hardening_files import HEADER, ROWS, compound_file, good_xlsx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from verval_cli import schema
from verval_cli.errors import InputFileError
from verval_cli.io import excel, load_table, sniff, text
from verval_cli.normalize import normalize_frame

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GENERIC_CRASH = "cannot read: "
TODAY = date(2024, 6, 1)


def _read_directly(path: Path) -> None:
    """Every reader of every sheet, as the loader calls them; only InputFileError may come out."""
    fmt = sniff.sniff_format(path)
    if fmt == sniff.CSV:
        text.read_text(path)
    elif fmt == sniff.HTML:
        text.read_html(path)
    elif fmt == sniff.PARQUET:
        text.read_parquet(path)
    else:
        reader = excel.open_workbook(path, fmt)
        for name in reader.sheet_names:
            sheet = excel.read_sheet(reader, path, name, fmt)
            if sheet.cell_types is not None:
                sheet.cell_types(list(range(3)))


def _only_documented(path: Path) -> None:
    try:
        _read_directly(path)
    except InputFileError as exc:
        assert str(path) in str(exc) and "\n" not in exc.reason, exc.reason
    loaded = load_table(path)
    for failure in loaded.failures:
        assert not failure.reason.startswith(GENERIC_CRASH), failure.reason
        assert "\n" not in failure.reason
    rows = loaded.frame[schema.SOURCE_ROW]
    assert rows.null_count() == 0 and (rows >= 1).all()


@pytest.fixture(scope="module")
def workbook_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return good_xlsx(tmp_path_factory.mktemp("seed") / "seed.xlsx").read_bytes()


_counter = iter(range(10**9))


def _fresh(tmp_path: Path, name: str) -> Path:
    return tmp_path / f"{next(_counter)}_{name}"


# --- text loader ------------------------------------------------------------------------------------------
CSV_TOKENS = [*"NAMAKIK;,\t|\"'\r\n 0123456789=+-@ÉÑ\x00\xa0", "3304031508950001", "SUPARNO"]
CSV_CELL = st.lists(st.sampled_from(CSV_TOKENS), max_size=5).map("".join)


@FUZZ
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.csv", "x.txt", "x.tsv", "x.xls"]))
def test_random_bytes_never_crash_the_loader(data: bytes, name: str, tmp_path: Path) -> None:
    path = _fresh(tmp_path, name)
    path.write_bytes(data)
    _only_documented(path)


@FUZZ
@given(
    cells=st.lists(st.lists(CSV_CELL, max_size=8), max_size=30),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_text_tables_never_crash_and_keep_row_numbers(
    cells: list[list[str]], encoding: str, delimiter: str, tmp_path: Path
) -> None:
    body = "\r\n".join(delimiter.join([*line]) for line in [[*HEADER], *cells])
    try:
        data = body.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
        return
    path = _fresh(tmp_path, "desa.csv")
    path.write_bytes(data)
    _only_documented(path)


# --- workbook loaders -------------------------------------------------------------------------------------
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "insert", "zero"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=40),
    ),
    min_size=1,
    max_size=4,
)


def _mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, where, noise in mutations:
        at = int(where * max(len(out) - 1, 0))
        if kind == "flip":
            out[at : at + len(noise)] = bytes(
                a ^ b for a, b in zip(out[at : at + len(noise)], noise, strict=False)
            )
        elif kind == "cut":
            del out[at:]
        elif kind == "insert":
            out[at:at] = noise
        else:
            out[at : at + len(noise)] = b"\0" * len(out[at : at + len(noise)])
    return bytes(out)


@FUZZ
@given(mutations=MUTATIONS, name=st.sampled_from(["desa.xlsx", "desa.xls"]))
def test_damaged_workbook_bytes_never_crash(
    mutations: list[tuple[str, float, bytes]], name: str, workbook_bytes: bytes, tmp_path: Path
) -> None:
    path = _fresh(tmp_path, name)
    path.write_bytes(_mutate(workbook_bytes, mutations))
    _only_documented(path)


@FUZZ
@given(
    part=st.sampled_from(
        ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"]
    ),
    mutations=MUTATIONS,
)
def test_damaged_workbook_xml_never_crashes(
    part: str, mutations: list[tuple[str, float, bytes]], workbook_bytes: bytes, tmp_path: Path
) -> None:
    """A well-formed zip whose XML is broken: calamine's XML errors must become one-line reasons."""
    path = _fresh(tmp_path, "desa.xlsx")
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            dst.writestr(item.filename, _mutate(content, mutations) if item.filename == part else content)
    _only_documented(path)


STREAM = st.binary(min_size=1, max_size=64).map(lambda seed: (seed * (4096 // len(seed) + 1))[:4200])


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    streams=st.dictionaries(
        st.sampled_from(["Workbook", "Book", "EncryptedPackage", "x"]), STREAM, min_size=1, max_size=3
    )
)
def test_random_compound_files_never_crash(streams: dict[str, bytes], tmp_path: Path) -> None:
    path = _fresh(tmp_path, "lama.xls")
    path.write_bytes(compound_file(streams))
    _only_documented(path)


# --- normalisers, all fields at once ----------------------------------------------------------------------
HOSTILE_TEXT = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="0123456789.,Ee+-' /:\u00a0\u200b\u202e", max_size=40),
    st.sampled_from(
        ["NaN", "inf", "-inf", "1e308", "-0", "9" * 40, "3" * 400, "\x00", "\r\n", "\t=1+1", "ي٣٣٠٤"]
    ),
    st.integers(-(10**30), 10**30).map(str),
)
FIELDS = [f for f in schema.CANONICAL_FIELDS if f not in (schema.SEQ_NO,)]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    rows=st.lists(st.fixed_dictionaries({f: HOSTILE_TEXT for f in FIELDS}), min_size=1, max_size=25),
    flag=st.sampled_from([None, True, False]),
)
def test_every_normaliser_together_never_raises(rows: list[dict[str, str | None]], flag: bool | None) -> None:
    frame = pl.DataFrame(rows, schema=dict.fromkeys(FIELDS, pl.Utf8)).with_columns(
        [pl.lit(flag, dtype=pl.Boolean).alias(schema.numeric_cell_flag(f)) for f in schema.ID_FIELDS]
    )
    out = normalize_frame(frame, today=TODAY)
    assert out.height == len(rows)
    assert out["nik_raw"].to_list() == [r[schema.NIK] for r in rows]  # order and content kept
    assert set(out["nik_status"]) <= set(schema.NIK_STATUSES)
    valid = out.filter(pl.col("nik_status") == schema.NIK_VALID)["nik"]
    assert valid.str.contains(r"^\d{16}$").all()
    assert set(out["status"]) <= set(schema.STATUSES)
    assert (out["name"].is_null() == out["name_key"].is_null()).all()
    assert out.schema["birth_date"] == pl.Date
    assert set(out["sex"].drop_nulls()) <= {"L", "P"}


@pytest.mark.parametrize("length", [32_767, 200_000])
def test_normalisers_survive_cells_at_and_beyond_excel_limit(length: int) -> None:
    long = "A" * length
    frame = pl.DataFrame({f: [long, "3" * length] for f in FIELDS})
    out = normalize_frame(frame, today=TODAY)
    assert out.height == 2
    assert out["nik_status"].to_list() == [schema.NIK_INVALID_FORMAT, schema.NIK_INVALID_FORMAT]


def test_seed_files_load_cleanly(tmp_path: Path) -> None:
    """The fuzz seeds are valid: the mutations, not the seeds, make the failures."""
    loaded = load_table(good_xlsx(tmp_path / "seed.xlsx"))
    assert loaded.failures == [] and loaded.frame.height == len(ROWS)
