"""Nothing lost: over generated batches every submitted row lands exactly once, and outputs are repeatable.

Hypothesis builds village files row by row (households from the list, new proposals, blank rows, totals,
signature blocks, stray cells) as xlsx or CSV; the invariant is checked against the rows as written.
Each property is bounded (a dozen examples) so the file runs in well under a minute.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verval_cli.reconcile import reconcile
from verval_cli.result import ReconcileResult
from verval_cli.sample import SampleSpec, Scenario, generate_truth, write_round
from verval_cli.writers.reconcile_outputs import write_reconcile_outputs

HEADER = ["NO", "NAMA KK", "NIK", "HASIL VERVAL", "KETERANGAN"]
BOUNDED = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()


@dataclass(frozen=True)
class Province:
    path: Path
    households: list[tuple[str, str]]  # (name, NIK) of every listed household
    desa: list[str]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Province:
    scenario: Scenario = generate_truth(
        SampleSpec(seed=21, villages=2, kecamatan=1, households_per_village=(6, 8), silent_villages=0)
    )
    folder = tmp_path_factory.mktemp("province_round")
    files = write_round(scenario, folder)
    frame = scenario.province
    return Province(
        files.province,
        list(zip(frame["kepala_keluarga"], frame["nik"].cast(pl.Utf8), strict=True)),
        sorted(set(frame["kode_kemdagri"].cast(pl.Utf8))),
    )


# --- generated rows ---------------------------------------------------------------------------------------
Row = list[Any]
STATUSES = st.sampled_from(["Ada", "Meninggal", "Pindah", "Tidak Ditemukan", "Sudah Mampu", "", "?"])


@dataclass(frozen=True)
class Listed:
    """Placeholder for a listed household, filled in from the province list when the file is written."""

    index: int
    style: int

    def cells(self, households: list[tuple[str, str]]) -> tuple[str, str | int]:
        name, nik = households[self.index % len(households)]
        shown = (nik, f"'{nik}", f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}", int(nik))[self.style]
        return name, shown


@st.composite
def household_row(draw: st.DrawFn) -> tuple[str, Row]:
    listed = Listed(draw(st.integers(0, 1_000)), draw(st.integers(0, 3)))
    return "household", [draw(st.integers(1, 99)), listed, None, draw(STATUSES), None]


@st.composite
def new_row(draw: st.DrawFn) -> tuple[str, Row]:
    nik = "3304" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=12, max_size=12)))
    return "household", [
        None,
        f"WARGA BARU {next(_counter)}",
        nik,
        "Usulan Baru",
        draw(st.sampled_from([None, "baru"])),
    ]


def _layout(kind: str, rows: list[Row]) -> st.SearchStrategy[tuple[str, Row]]:
    return st.sampled_from(rows).map(lambda row: (kind, list(row)))


ROW_KINDS = [
    household_row,
    new_row,
    lambda: _layout("blank", [[None] * 5, ["", " ", None, "  ", None]]),
    lambda: _layout(
        "other",
        [
            [None, "JUMLAH 12 KK", None, None, None],
            ["TOTAL", None, None, "12", None],
            [None, "Mengetahui,", None, "Kepala Desa", None],
            [None, "( SUTARMAN )", None, None, None],
            [None, "USULAN BARU", None, None, None],
            ["1", "2", "3", "4", "5"],
            ["-", "-", "-", "-", None],
            [7, None, None, None, None],
            [None, "TUKINAH", None, None, None],
            [None, None, None, None, "catatan saja"],
            HEADER,
            [None, "=SUM(A1:A9)", "@x", "+62", "-"],
        ],
    ),
]


@dataclass
class PlannedFile:
    fmt: str
    title: list[str]
    rows: list[tuple[str, Row]]
    sheet: str


@st.composite
def planned_file(draw: st.DrawFn) -> PlannedFile:
    n = draw(st.integers(0, 12))
    rows = [draw(draw(st.sampled_from(ROW_KINDS))()) for _ in range(n)]
    title = draw(st.sampled_from([[], ["HASIL VERIFIKASI DAN VALIDASI"], ["DATA VERVAL P3KE", ""]]))
    return PlannedFile(
        draw(st.sampled_from(["xlsx", "csv;", "csv,"])), title, rows, draw(st.sampled_from(["Data", "RW 01"]))
    )


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def _materialised(row: Row, households: list[tuple[str, str]]) -> Row:
    if isinstance(row[1], Listed):
        name, nik = row[1].cells(households)
        return [row[0], name, nik, *row[3:]]
    return row


def write_planned(
    plan: PlannedFile, path: Path, households: list[tuple[str, str]]
) -> dict[tuple[str | None, int], str]:
    """Write the file; return (sheet, row number as Excel/an editor shows it) -> kind, for non-blank rows."""
    body = [_materialised(row, households) for _, row in plan.rows]
    lines: list[Row] = [[t] for t in plan.title] + [HEADER] + body
    first = len(plan.title) + 2
    if plan.fmt == "xlsx":
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet(plan.sheet)
        for r, line in enumerate(lines):
            for c, value in enumerate(line):
                if isinstance(value, int):
                    ws.write_number(r, c, value)
                elif value is not None:
                    ws.write_string(r, c, value)
        book.close()
        sheet: str | None = plan.sheet
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=plan.fmt[-1]).writerows(
                [[_cell_text(v) for v in line] for line in lines]
            )
        sheet = None
    return {(sheet, first + i): kind for i, (kind, _) in enumerate(plan.rows) if kind != "blank"}


def _seen_rows(result: ReconcileResult, files: set[str]) -> pl.DataFrame:
    matched = result.matches.filter(pl.col("submission_file").is_not_null()).select(
        pl.col("submission_file").alias("file"),
        pl.col("submission_sheet").alias("sheet"),
        pl.col("submission_row").alias("row"),
        pl.lit("matches").alias("where"),
    )
    rejected = result.rejected.filter(pl.col("source_file").is_in(sorted(files))).select(
        pl.col("source_file").alias("file"),
        pl.col("source_sheet").alias("sheet"),
        pl.col("source_row").alias("row"),
        pl.lit("rejected").alias("where"),
    )
    assert result.rejected["reason"].null_count() == 0  # a rejected row always says why
    return pl.concat([matched, rejected])


def _write_batch(
    plans: list[PlannedFile], folder: Path, province: Province
) -> dict[str, dict[tuple[str | None, int], str]]:
    folder.mkdir(parents=True, exist_ok=False)
    written = {}
    for i, plan in enumerate(plans):
        ext = "xlsx" if plan.fmt == "xlsx" else "csv"
        path = folder / f"{province.desa[i % len(province.desa)]}_desa_{i}.{ext}"
        written[str(path)] = write_planned(plan, path, province.households)
    return written


@BOUNDED
@given(plans=st.lists(planned_file(), min_size=1, max_size=3))
def test_every_submitted_row_appears_exactly_once(
    plans: list[PlannedFile], province: Province, tmp_path: Path
) -> None:
    written = _write_batch(plans, tmp_path / f"batch{next(_counter)}", province)
    result = reconcile(province.path, sorted(written))
    # A file without a single household row is refused as a whole (one failure naming it).
    empty = {f for f, rows in written.items() if "household" not in rows.values()}
    assert {f.path for f in result.failures} == empty
    assert all("no data rows" in f.reason for f in result.failures)
    seen = _seen_rows(result, set(written))
    keys = list(zip(seen["file"], seen["sheet"], seen["row"], strict=True))
    assert len(keys) == len(set(keys)), "a row appears twice"
    expected = {
        (f, sheet, row): kind
        for f, rows in written.items()
        if f not in empty
        for (sheet, row), kind in rows.items()
    }
    assert set(keys) == set(expected)
    where = dict(zip(keys, seen["where"], strict=True))
    assert all(where[k] == "matches" for k, kind in expected.items() if kind == "household")
    balance = result.summary["balance"]
    assert balance["balanced"] is True
    assert balance["submission_rows_loaded"] == seen.filter(pl.col("where") == "matches").height
    assert balance["rows_rejected"] == result.rejected.height
    assert balance["province_households"] == len(province.households)
    assert (
        balance["province_households_linked"] + balance["province_households_not_reported"]
        == balance["province_households"]
    )


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), level=st.sampled_from(["household", "individual"]))
def test_generated_rounds_lose_no_true_row(seed: int, level: str, tmp_path: Path) -> None:
    spec = SampleSpec(
        seed=seed, villages=3, kecamatan=2, households_per_village=(4, 8), silent_villages=1, level=level
    )
    folder = tmp_path / f"round{seed}{level}"
    files = write_round(generate_truth(spec), folder)
    result = reconcile(files.province, [folder / "submissions"])
    truth = pl.read_parquet(files.truth_rows)
    seen = _seen_rows(result, {str(p) for p in files.submissions}).with_columns(
        pl.col("file").str.replace(r"^.*[\\/]", "").alias("file_name")
    )
    joined = truth.join(
        seen,
        left_on=["file_name", "source_sheet", "source_row"],
        right_on=["file_name", "sheet", "row"],
        how="left",
        nulls_equal=True,
    )
    assert joined.height == truth.height, "a true row was matched more than once"
    assert joined["where"].null_count() == 0, "a true row is missing"
    assert result.summary["balance"]["balanced"] is True


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(plans=st.lists(planned_file(), min_size=1, max_size=3))
def test_same_inputs_give_byte_identical_parquet(
    plans: list[PlannedFile], province: Province, tmp_path: Path
) -> None:
    batch = tmp_path / f"same{next(_counter)}"
    written = sorted(_write_batch(plans, batch, province))
    outs = []
    for run in ("a", "b"):
        out = batch / f"out_{run}"
        write_reconcile_outputs(reconcile(province.path, written), out)
        outs.append(out)
    names = sorted(p.name for p in outs[0].glob("*.parquet"))
    assert names and names == sorted(p.name for p in outs[1].glob("*.parquet"))
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
