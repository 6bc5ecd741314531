"""The synthetic round generator: determinism, truth pointing at real cells, layouts, damages."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from rapidfuzz import fuzz

from verval_cli import schema
from verval_cli.errors import OutputError, VervalError
from verval_cli.sample import ROW_DAMAGE_KINDS, SampleSpec, Scenario, generate_truth, write_round
from verval_cli.sample import damage as dm
from verval_cli.sample.people import (
    ACCENTED_NAMES,
    FEMALE_GIVEN,
    FEMALE_PREFIX,
    FEMALE_SECOND,
    MALE_GIVEN,
    MALE_PREFIX,
    MALE_SECOND,
)
from verval_cli.sample.round import HOUSEHOLD_COLUMNS, INDIVIDUAL_COLUMNS, RoundFiles

SMALL = SampleSpec(seed=7, villages=6, kecamatan=3, households_per_village=(8, 15), silent_villages=1)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate_truth(SampleSpec())


@pytest.fixture(scope="module")
def written(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> RoundFiles:
    return write_round(scenario, tmp_path_factory.mktemp("round"))


Sheets = dict[str | None, list[tuple[Any, ...]]]


def _read_rows(path: Path) -> Sheets:
    """Every sheet's rows as Excel shows them (index 0 = row 1); CSV as one sheet named None."""
    if path.suffix == ".csv":
        text = path.read_bytes().decode("cp1252")
        return {None: [tuple(r) for r in csv.reader(text.splitlines(), delimiter=";")]}
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


@pytest.fixture(scope="module")
def files(written: RoundFiles) -> dict[str, Sheets]:
    """Every submission read back once."""
    return {p.name: _read_rows(p) for p in written.submissions}


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value)) if value is not None else ""


def _truth_with_cells(
    truth: pl.DataFrame, files: dict[str, Sheets]
) -> Iterator[tuple[dict[str, Any], tuple[Any, ...]]]:
    for t in truth.iter_rows(named=True):
        rows = files[t["file_name"]][t["source_sheet"]]
        assert 1 <= t["source_row"] <= len(rows), (t["file_name"], t["source_row"])
        yield t, rows[t["source_row"] - 1]


def test_same_seed_gives_identical_truth(scenario: Scenario, written: RoundFiles, tmp_path: Path) -> None:
    again = generate_truth(SampleSpec())
    assert again.truth_rows.equals(scenario.truth_rows)
    assert again.truth_province.equals(scenario.truth_province)
    again.truth_rows.write_parquet(tmp_path / "rows.parquet")
    assert (tmp_path / "rows.parquet").read_bytes() == written.truth_rows.read_bytes()
    other = generate_truth(replace(SampleSpec(), seed=2024))
    assert not other.truth_rows.equals(scenario.truth_rows)


def test_every_truth_row_points_at_its_household(scenario: Scenario, files: dict[str, Sheets]) -> None:
    checked = 0
    for t, cells in _truth_with_cells(scenario.truth_rows, files):
        texts = [str(c) for c in cells if c is not None and str(c).strip()]
        assert texts, t
        assert not any(x.startswith(("JUMLAH", "Mengetahui", "( ")) for x in texts)
        kinds = set(t["damages"])
        name_damaged = kinds & {dm.NAME_TYPO, dm.NAME_OLD_SPELLING, dm.NAME_TITLE, dm.NAME_ABBREVIATION}
        if not name_damaged:
            assert t["true_name"] in texts, (t, cells)
        else:
            assert max(fuzz.ratio(t["true_name"], x) for x in texts) >= 60, (t, cells)
        nik_kinds = kinds & {k for k in ROW_DAMAGE_KINDS if k.startswith("nik_")}
        if not nik_kinds:
            assert t["true_nik"] in texts, (t, cells)
        elif nik_kinds <= {dm.NIK_APOSTROPHE, dm.NIK_SPACED, dm.NIK_DOTTED, dm.NIK_NUMBER_EXACT}:
            assert t["true_nik"] in {_digits(c) for c in cells}, (t, cells)
        elif nik_kinds == {dm.NIK_EXCEL_NUMBER}:
            assert t["true_nik"][:15] + "0" in {_digits(c) for c in cells}, (t, cells)
        elif nik_kinds == {dm.NIK_SCIENTIFIC}:
            assert dm.excel_scientific(t["true_nik"]) in texts
        checked += 1
    assert checked == scenario.truth_rows.height


def test_excel_number_cells_are_numeric_with_the_16th_digit_zeroed(
    scenario: Scenario, files: dict[str, Sheets]
) -> None:
    rows = scenario.truth_rows.filter(
        pl.col("damages").list.contains(dm.NIK_EXCEL_NUMBER) & pl.col("file_name").str.ends_with(".xlsx")
        & ~pl.col("damages").list.contains(dm.NIK_DIGIT_WRONG) & ~pl.col("damages").list.contains(dm.NIK_DIGITS_SWAPPED)
    )  # fmt: skip
    assert rows.height > 20
    for t, cells in _truth_with_cells(rows, files):
        assert int(t["true_nik"][:15] + "0") in [c for c in cells if isinstance(c, int)], cells


def test_province_header_on_row_12_and_ids_are_text(scenario: Scenario, written: RoundFiles) -> None:
    rows = next(iter(_read_rows(written.province).values()))
    assert rows[0][0] == "DAFTAR SASARAN PENSASARAN PERCEPATAN PENGHAPUSAN KEMISKINAN EKSTREM (P3KE)"
    assert rows[1][0] == "PROVINSI JAWA TENGAH" and rows[2][0] == "KABUPATEN BANJARNEGARA"
    assert all(all(c is None for c in r) for r in rows[4:11])
    assert rows[11] == HOUSEHOLD_COLUMNS
    assert len(rows) - 12 == scenario.province.height
    first = dict(zip(HOUSEHOLD_COLUMNS, rows[12], strict=True))
    assert first["id_keluarga_p3ke"] == scenario.province["id_keluarga_p3ke"][0]
    assert isinstance(first["nik"], str) and len(first["nik"]) == 16
    assert isinstance(first["kode_kemdagri"], str) and len(first["kode_kemdagri"]) == 10
    assert first["penerima_pkh"] in ("Ya", "Tidak")


def test_silent_villages_send_nothing(scenario: Scenario, written: RoundFiles) -> None:
    tp = scenario.truth_province
    silent = set(tp.filter(pl.col("silent_village"))["desa_code"])
    assert len(silent) == 3
    assert not silent & set(scenario.truth_rows["file_desa_code"])
    assert len(written.submissions) == 44 - 3 == len({p.name for p in written.submissions})
    assert not tp.filter(pl.col("silent_village"))["reported"].any()
    assert 0.9 < tp.filter(~pl.col("silent_village"))["reported"].mean() < 1.0  # type: ignore[operator]


def test_all_damage_kinds_and_statuses_occur(scenario: Scenario) -> None:
    kinds = set(scenario.truth_rows["damages"].explode().drop_nulls())
    assert kinds == set(ROW_DAMAGE_KINDS)
    assert set(scenario.truth_rows["true_status"]) == set(schema.STATUSES)
    t = scenario.truth_rows
    assert (
        t.filter(pl.col("true_status") == schema.NEW)["province_id"].null_count()
        == t.filter(pl.col("true_status") == schema.NEW).height
    )
    assert t.filter(pl.col("is_duplicate_row"))["damages"].list.contains(dm.DUPLICATE_ROW).all()
    assert t.filter(pl.col("damages").list.contains(dm.ID_MISALIGNED))["file_name"].n_unique() == 1


def test_every_shape_and_a_windows_1252_csv(scenario: Scenario, written: RoundFiles) -> None:
    suffixes = {p.suffix for p in written.submissions}
    assert suffixes == {".xlsx", ".csv"}
    sheet_counts = {len(p.sheets) for p in scenario.files}
    assert max(sheet_counts) > 2  # one sheet per RW somewhere
    assert any(s.name == "USULAN BARU" for p in scenario.files for s in p.sheets)
    raw = [p.read_bytes() for p in written.submissions if p.suffix == ".csv"]
    assert any(any(ord(ch) > 127 for ch in b.decode("cp1252")) for b in raw)
    with pytest.raises(UnicodeDecodeError):
        b"".join(raw).decode("utf-8")


def test_every_file_names_its_desa(scenario: Scenario, files: dict[str, Sheets]) -> None:
    names = dict(zip(scenario.province["kode_kemdagri"], scenario.province["desa_kelurahan"], strict=True))
    for path, code in scenario.truth_rows.select("file_name", "file_desa_code").unique().iter_rows():
        desa = names[code]
        first = next(iter(files[path].values()))
        top = " ".join(str(c) for r in first[:15] for c in r if c is not None).upper()
        assert desa in path.upper().replace("_", " ") or desa in top or code in top, path


def test_people_are_synthetic_and_niks_plausible(scenario: Scenario) -> None:
    words = set(MALE_GIVEN + FEMALE_GIVEN + MALE_SECOND + FEMALE_SECOND + MALE_PREFIX + FEMALE_PREFIX)
    words |= {"BIN", "BINTI"}
    p = scenario.population.persons
    assert set(p["name"].str.split(" ").explode()) <= words
    assert p["nik"].n_unique() == p.height and p["nik"].str.len_chars().eq(16).all()
    accented = {w for n in ACCENTED_NAMES for w in n.split()}
    new_names = set(scenario.truth_rows["true_name"].str.split(" ").explode())
    assert new_names <= words | accented
    heads = scenario.province
    assert heads["kepala_keluarga"].is_duplicated().any()  # homonyms on purpose
    nik_day = p["nik"].str.slice(6, 2).cast(pl.Int32)
    assert ((nik_day > 40) == p["female"]).all()
    foreign = 1 - p["nik"].str.starts_with("3304").mean()  # type: ignore[operator]
    assert 0.12 < foreign < 0.25
    disagree = (p["birth_date"] != p["nik_date"]).mean()
    assert 0.05 < disagree < 0.11  # type: ignore[operator]
    kk = scenario.population.households["no_kk"]
    assert kk.n_unique() == kk.len() and kk.str.len_chars().eq(16).all()


def test_individual_level_keeps_families_together(tmp_path: Path) -> None:
    s = generate_truth(replace(SMALL, level="individual"))
    assert tuple(s.province.columns) == INDIVIDUAL_COLUMNS
    ids = s.province["id_keluarga_p3ke"]
    runs = ids.rle()
    assert runs.struct.field("value").n_unique() == runs.len()  # each family in one block
    assert set(s.province["hubungan_dengan_kepala_keluarga"]) <= {"Kepala Keluarga", "Istri", "Suami", "Anak",
                                                                  "Famili Lain"}  # fmt: skip
    files = write_round(s, tmp_path)
    assert next(iter(_read_rows(files.province).values()))[11] == INDIVIDUAL_COLUMNS
    assert s.truth_province["province_id"].n_unique() == ids.n_unique()


@pytest.mark.parametrize(
    "change",
    [
        {"level": "family"},
        {"households_per_village": (10, 5)},
        {"silent_villages": 6},
        {"kecamatan": 30},
        {"villages": 2},
        {"regency": "99.99"},
    ],
)
def test_impossible_specs_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(VervalError):
        generate_truth(replace(SMALL, **change))


def test_write_round_refuses_to_mix_rounds(tmp_path: Path) -> None:
    s = generate_truth(SMALL)
    write_round(s, tmp_path)
    with pytest.raises(OutputError):
        write_round(s, tmp_path)
    files = write_round(s, tmp_path, overwrite=True)
    assert len(list((tmp_path / "submissions").iterdir())) == len(files.submissions) == 5


def test_damages_of_a_nik() -> None:
    nik = "3304031508950001"
    assert dm.excel_number(nik) == 3304031508950000
    assert dm.excel_scientific(nik) == "3.30403E+15"
    assert dm.spaced(nik) == "3304 0315 0895 0001"
    import random

    rng = random.Random(1)
    for _ in range(50):
        wrong, swapped = dm.digit_wrong(rng, nik), dm.digits_swapped(rng, nik)
        assert sum(a != b for a, b in zip(wrong, nik, strict=True)) == 1
        assert sorted(swapped) == sorted(nik) and swapped != nik
    assert date(1995, 8, 15).strftime("%d%m%y") == nik[6:12]
