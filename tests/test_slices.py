"""Any slice of a round gives the links of the whole round: one file alone, any subset, rows re-sorted.

An officer re-checks one resubmitted village, a handful that came in today, or a file the village sorted
by name. Each row must be accounted for and linked to the same listed household as in the whole round;
only cross-village outcomes (which file's row is the primary claim of a household two files report)
may differ, because the other file is not in the slice.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from verval_cli import VervalError, reconcile
from verval_cli.cli import app
from verval_cli.result import ReconcileResult
from verval_cli.sample import SampleSpec, generate_truth, write_round

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
FILES = sorted(p for p in (SAMPLE / "submissions").iterdir() if p.is_file())
KEY = ["file", "submission_sheet", "submission_row"]
SLICES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _links(result: ReconcileResult) -> pl.DataFrame:
    """One row per submitted row: where it came from, the household it links to, and how."""
    return result.matches.filter(pl.col("submission_row").is_not_null()).select(
        pl.col("submission_file").map_elements(lambda p: Path(p).name, return_dtype=pl.Utf8).alias("file"),
        "submission_sheet",
        "submission_row",
        "province_id",
        "match_status",
        "link_role",
    )


def _accounted(result: ReconcileResult) -> pl.DataFrame:
    """The slice's links, after checking that every row and every listed household appears exactly once."""
    links = _links(result)
    assert links.height == result.submissions.height
    assert links.select(KEY).is_unique().all()
    listed = result.matches.filter(
        (pl.col("match_status") == "province_only") | (pl.col("link_role") == "primary")
    )
    assert listed.height == result.province.height
    assert result.summary["balance"]["balanced"] is True
    return links


def _shared_households(whole: pl.DataFrame) -> pl.Series:
    """Households that rows of more than one file link to in the whole round."""
    claimed = whole.filter(pl.col("province_id").is_not_null())
    per_household = claimed.group_by("province_id").agg(pl.col("file").n_unique().alias("files"))
    return per_household.filter(pl.col("files") > 1)["province_id"]


def _assert_same_links(part: pl.DataFrame, whole: pl.DataFrame) -> None:
    """Each row of ``part`` links as in ``whole``; its status too unless another file claims the household."""
    joined = part.join(whole, on=KEY, how="left", suffix="_whole", nulls_equal=True)
    assert joined["match_status_whole"].null_count() == 0, (
        "a row of the slice is missing from the whole round"
    )
    moved = joined.filter(pl.col("province_id").ne_missing(pl.col("province_id_whole")))
    assert moved.height == 0, moved.select(*KEY, "province_id", "province_id_whole").to_dicts()[:5]
    own = joined.filter(~pl.col("province_id").is_in(_shared_households(whole).implode()).fill_null(False))
    changed = own.filter(pl.col("match_status") != pl.col("match_status_whole"))
    assert changed.height == 0, changed.select(*KEY, "match_status", "match_status_whole").to_dicts()[:5]


@pytest.fixture(scope="module")
def whole_sample() -> pl.DataFrame:
    return _accounted(reconcile(SAMPLE / "province", [SAMPLE / "submissions"]))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_sample_file_alone_links_as_in_the_whole_round(path: Path, whole_sample: pl.DataFrame) -> None:
    part = _accounted(reconcile(SAMPLE / "province", path))  # one path, as the API takes it
    assert part.height > 0
    _assert_same_links(part, whole_sample)


@SLICES
@given(chosen=st.lists(st.sampled_from(FILES), min_size=2, max_size=6, unique=True))
def test_any_subset_of_files_links_as_in_the_whole_round(
    chosen: list[Path], whole_sample: pl.DataFrame
) -> None:
    _assert_same_links(_accounted(reconcile(SAMPLE / "province", chosen)), whole_sample)


def _permuted_copy(path: Path, rows: dict[str | None, list[int]], seed: int, folder: Path) -> dict:
    """A copy of ``path`` with the given rows of each sheet shuffled; returns {(sheet, new row): old row}."""
    rng = random.Random(seed)
    target = folder / path.name
    moves: dict[tuple[str | None, int], int] = {}
    plans = {}
    for sheet, numbers in rows.items():
        order = numbers[:]
        rng.shuffle(order)
        plans[sheet] = dict(zip(numbers, order, strict=True))  # content of old row -> new position
        moves.update({(sheet, new): old for old, new in plans[sheet].items()})
    if path.suffix.lower() == ".csv":
        lines = path.read_bytes().split(b"\n")
        out = lines[:]
        for old, new in plans[None].items():
            out[new - 1] = lines[old - 1]
        target.write_bytes(b"\n".join(out))
        return moves
    book = openpyxl.load_workbook(path)
    for sheet, plan in plans.items():
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        values = {old: [c.value for c in ws[old]] for old in plan}
        for old, new in plan.items():
            for col, value in enumerate(values[old], start=1):
                ws.cell(row=new, column=col, value=value)
    book.save(target)
    return moves


@SLICES
@given(path=st.sampled_from(FILES), seed=st.integers(0, 2**16))
def test_rows_of_a_file_in_another_order_keep_their_links(path: Path, seed: int, tmp_path_factory) -> None:
    original = _accounted(reconcile(SAMPLE / "province", [path]))
    rows: dict[str | None, list[int]] = {}
    for sheet, number in original.select("submission_sheet", "submission_row").iter_rows():
        rows.setdefault(sheet, []).append(number)
    folder = tmp_path_factory.mktemp("permuted")
    moves = _permuted_copy(path, rows, seed, folder)
    shuffled = _accounted(reconcile(SAMPLE / "province", [folder / path.name]))
    assert shuffled.height == original.height
    back = shuffled.with_columns(
        pl.struct("submission_sheet", "submission_row")
        .map_elements(lambda r: moves[(r["submission_sheet"], r["submission_row"])], return_dtype=pl.Int64)
        .alias("submission_row")
    )
    joined = back.join(original, on=KEY, how="left", suffix="_before", nulls_equal=True)
    assert joined["match_status_before"].null_count() == 0
    differ = joined.filter(
        pl.col("province_id").ne_missing(pl.col("province_id_before"))
        | (pl.col("match_status") != pl.col("match_status_before"))
    )
    assert differ.height == 0, differ.to_dicts()[:5]
    # Rows claiming the same household: which of them is the primary claim follows the file's order
    # (the first row), so per household the roles are compared as a whole, row by row elsewhere.
    claims = pl.col("province_id").count().over("province_id")
    single = joined.filter((claims == 1) & pl.col("link_role").ne_missing(pl.col("link_role_before")))
    assert single.height == 0, single.to_dicts()[:5]

    def roles(frame: pl.DataFrame) -> pl.DataFrame:
        claimed = frame.filter(pl.col("province_id").is_not_null())
        return claimed.group_by("province_id").agg(pl.col("link_role").sort()).sort("province_id")

    assert roles(shuffled).equals(roles(original))


@pytest.fixture(scope="module")
def individual_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pl.DataFrame]:
    folder = tmp_path_factory.mktemp("individual_slices")
    write_round(generate_truth(SampleSpec(seed=31, villages=6, kecamatan=3, level="individual")), folder)
    whole = _accounted(reconcile(folder / "province", [folder / "submissions"]))
    return folder, whole


def test_each_file_of_an_individual_round_alone_links_as_in_the_whole_round(
    individual_round: tuple[Path, pl.DataFrame],
) -> None:
    folder, whole = individual_round
    files = sorted(p for p in (folder / "submissions").iterdir() if p.is_file())
    assert files
    for path in files:
        _assert_same_links(_accounted(reconcile(folder / "province", [path])), whole)


@pytest.mark.parametrize("name", [FILES[0].name, "verval_metawana.xlsx", "Hasil Verval Desa Brengkok.csv"])
def test_one_village_file_through_the_cli(name: str, tmp_path: Path) -> None:
    """The officer's re-check of one resubmitted village: exit 0 and every output written."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE / "submissions" / name, inbox / name)
    out = tmp_path / "hasil"
    result = CliRunner().invoke(
        app, ["reconcile", str(SAMPLE / "province"), str(inbox / name), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    matches = pl.read_parquet(out / "matches.parquet")
    submitted = pl.read_parquet(out / "submissions.parquet")
    assert matches.filter(pl.col("submission_row").is_not_null()).height == submitted.height > 0
    assert (out / "laporan_verval.xlsx").stat().st_size > 0


@pytest.mark.parametrize(
    "contents",
    [{}, {"kosong.csv": b""}, {"judul.csv": b"NO;NAMA;NIK\n"}, {"x.docx": b"PK\x03\x04 not a zip"}],
    ids=["empty folder", "empty csv", "header only", "broken docx"],
)
def test_api_raises_only_verval_errors(contents: dict[str, bytes], tmp_path: Path) -> None:
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    for given_paths in ([tmp_path], [tmp_path / "tidak_ada.xlsx"], str(tmp_path)):
        try:
            result = reconcile(SAMPLE / "province", given_paths)
        except VervalError:
            continue
        assert result.submissions.height == 0
        assert result.summary["balance"]["balanced"] is True
