"""reconcile --partition regency: the same result as one run, movers across regencies included."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import polars as pl
import pytest
from province_round import cross_regency_rows, province_round
from typer.testing import CliRunner

from benchmarks.scenario import ScenarioPaths
from verval_cli.cli import app
from verval_cli.partition import cut_by_regency, file_regency, reconcile_partitioned
from verval_cli.reconcile import reconcile
from verval_cli.result import ReconcileResult
from verval_cli.writers import dataset
from verval_cli.writers.dataset import DATASET_DIR, write_dataset

FRAMES = ("matches", "province", "submissions", "discrepancies", "rejected", "review_reasons")


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> ScenarioPaths:
    return province_round(tmp_path_factory.mktemp("province"))


@pytest.fixture(scope="module")
def one_run(round_: ScenarioPaths) -> ReconcileResult:
    return reconcile(round_.province, round_.submissions)


def _same(a: ReconcileResult, b: ReconcileResult) -> None:
    for name in FRAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert x.schema == y.schema, name
        assert x.equals(y), name
    # ``run`` says when each was made: the same keys, the same verval
    assert a.summary["run"]["verval_version"] == b.summary["run"]["verval_version"]
    assert {**a.summary, "run": None} == {**b.summary, "run": None}
    assert (a.sheets, a.failures, a.notes) == (b.sheets, b.failures, b.notes)


def test_round_crosses_regencies(round_: ScenarioPaths) -> None:
    listed = pl.read_parquet(round_.province)
    regencies = listed["kode_kemdagri"].str.slice(0, 4)
    assert regencies.n_unique() >= 3
    twice = listed.filter(pl.col("nik").is_duplicated())
    assert twice.height and twice["kode_kemdagri"].str.slice(0, 4).n_unique() >= 2
    assert cross_regency_rows(round_).height > 0


def test_partitioned_equals_one_run(round_: ScenarioPaths, one_run: ReconcileResult) -> None:
    parted = reconcile_partitioned(round_.province, round_.submissions, files_per_part=2)
    _same(one_run, parted)


def test_movers_across_regencies_are_linked(round_: ScenarioPaths) -> None:
    parted = reconcile_partitioned(round_.province, round_.submissions, files_per_part=1)
    movers = cross_regency_rows(round_)
    found = parted.matches.with_columns(
        pl.col("submission_file").str.extract(r"([^/\\]+)$").alias("file_name")
    ).join(
        movers.rename({"province_id": "true_id"}),
        left_on=["file_name", "submission_row"],
        right_on=["file_name", "source_row"],
    )
    assert found.height == movers.height
    linked = found.filter(pl.col("province_id") == pl.col("true_id"))
    assert linked.height >= 0.9 * movers.height  # a mover's NIK may be damaged beyond repair
    flagged = linked.filter(pl.col("discrepancies").list.contains("in_other_village"))
    assert flagged.height == linked.filter(pl.col("link_role") != "member").height


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_of_parts_does_not_matter(round_: ScenarioPaths, one_run: ReconcileResult, seed: int) -> None:
    def shuffled(parts: list[list[int]]) -> list[list[int]]:
        out = [list(p) for p in parts]
        random.Random(seed).shuffle(out)
        return out

    parted = reconcile_partitioned(round_.province, round_.submissions, files_per_part=seed, order=shuffled)
    _same(one_run, parted)


def test_parts_follow_the_regency_in_file_names() -> None:
    files = [
        Path("3301012001_A.parquet"),
        Path("x.xlsx"),
        Path("3324012001_B.parquet"),
        Path("3301012002.csv"),
    ]
    assert [file_regency(f) for f in files] == ["3301", "0000", "3324", "3301"]
    assert cut_by_regency(files, 1) == [[1], [0], [3], [2]]
    assert cut_by_regency(files, 5) == [[1], [0, 3], [2]]


def test_cli_partition_writes_the_same_files_and_a_dataset(round_: ScenarioPaths, tmp_path: Path) -> None:
    runner = CliRunner()
    base = [str(round_.province), str(round_.submissions), "--json"]
    one = runner.invoke(app, ["reconcile", *base, "--out", str(tmp_path / "one")])
    parted = runner.invoke(
        app, ["reconcile", *base, "--out", str(tmp_path / "parts"), "--partition", "regency"]
    )
    assert one.exit_code == 0 and parted.exit_code == 0, parted.output
    for name in ("matches", "province", "submissions", "discrepancies", "rejected", "review_reasons"):
        file = f"{name}.parquet"
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "parts" / file).read_bytes(), file
    # Every file the one run writes, the partitioned run writes too (and its dataset).
    written = {p.name for p in (tmp_path / "parts").iterdir()} - {DATASET_DIR}
    assert {p.name for p in (tmp_path / "one").iterdir()} - {".verval-cache"} == written
    assert not (tmp_path / "one" / DATASET_DIR).exists()
    single = pl.read_parquet(tmp_path / "parts" / "matches.parquet")
    parts = sorted((tmp_path / "parts" / DATASET_DIR / "matches").glob("kab=*/*.parquet"))
    assert len(parts) >= 3
    assert not list((tmp_path / "parts").glob(".dataset*"))  # no building folder left behind
    joined = pl.concat(
        [pl.read_parquet(p).with_columns(pl.lit(p.parent.name[4:]).alias("kab")) for p in parts]
    )
    assert joined.height == single.height
    assert (joined["kab"] == joined["desa_code"].str.slice(0, 4).fill_null("0000")).all()
    # The dataset's files are verval's own outputs: never read back as village submissions.
    again = runner.invoke(
        app,
        [
            "reconcile",
            str(round_.province),
            str(tmp_path / "parts" / DATASET_DIR),
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert again.exit_code != 0 and "written by verval" in again.output
    key = ["submission_index", "province_index"]
    assert joined.drop("kab").sort(key, nulls_last=True).equals(single.sort(key, nulls_last=True))


def test_cli_unknown_partition_is_one_line(round_: ScenarioPaths, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "reconcile",
            str(round_.province),
            str(round_.submissions),
            "--out",
            str(tmp_path / "o"),
            "--partition",
            "kecamatan",
        ],
    )
    assert result.exit_code != 0
    assert "--partition kecamatan" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_dataset_write_that_fails_leaves_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = pl.DataFrame({"desa_code": ["3301012001", "3324012001", None], "n": [1, 2, 3]})
    first = write_dataset(tmp_path, {"matches": [lambda: table], "province": [lambda: table]})
    before = {p.relative_to(first): p.read_bytes() for p in first.rglob("*.parquet")}
    assert sorted(str(p.parent) for p in before) == [f"matches/kab={k}" for k in ("0000", "3301", "3324")] + [
        f"province/kab={k}" for k in ("0000", "3301", "3324")
    ]
    real = dataset.write_parquet
    calls: list[Path] = []

    def failing(frame: pl.DataFrame, target: Path, **options: object) -> Path:
        calls.append(target)
        if len(calls) == 4:
            raise OSError("disk full")
        return real(frame, target, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset, "write_parquet", failing)
    changed = table.with_columns(pl.col("n") * 10)
    with pytest.raises(OSError, match="disk full"):
        write_dataset(tmp_path, {"matches": [lambda: changed], "province": [lambda: changed]})
    after = {p.relative_to(first): p.read_bytes() for p in first.rglob("*.parquet")}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == [DATASET_DIR]


def test_cli_workers_without_the_cluster_extra_is_one_line(
    round_: ScenarioPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    out = tmp_path / "o"
    result = CliRunner().invoke(
        app, ["reconcile", str(round_.province), str(round_.submissions), "--out", str(out), "--workers", "2"]
    )
    assert result.exit_code != 0
    assert "verval[cluster]" in result.output and "Traceback" not in result.output
    assert not any(p.suffix == ".parquet" for p in out.rglob("*")) if out.exists() else True


def test_cli_workers_and_cluster_together_are_refused(round_: ScenarioPaths, tmp_path: Path) -> None:
    args = ["reconcile", str(round_.province), str(round_.submissions), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, [*args, "--workers", "2", "--cluster", "tcp://127.0.0.1:1"])
    assert result.exit_code != 0
    assert "--workers and --cluster" in result.output and "Traceback" not in result.output
