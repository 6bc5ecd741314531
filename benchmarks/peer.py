"""``make bench-peer``: verval and Splink (DuckDB) side by side on the same 100k round, in one run.

verval runs end to end from the Parquet submissions (load, normalise, match). Splink starts from the
already-parsed tables: verval's normalised province and submission tables (clean NIK and No KK, the
normalised name, the parsed birth date, desa, RT/RW), written to Parquet before its clock starts, so
Splink is not charged for reading messy files. Splink links ``link_only`` with blocking on NIK, No KK,
desa + birth date, desa + the name's first three letters and desa + RT/RW, trains u by random sampling
and m by its own EM, predicts, and keeps each submission row's best candidate.

Both are scored the same way: precision = right accepted links / accepted links, recall = right
accepted links / rows that truly belong to a listed household.

    python -m benchmarks.peer --households 100000 --out bench_results/
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from benchmarks.run import Stages, _reconcile_staged, machine
from benchmarks.scenario import ScenarioPaths, ensure_scenario

ACCEPT = 0.9  # Splink's usual "confident match" probability


def _scores(predicted: pl.DataFrame, truth: pl.DataFrame) -> dict[str, Any]:
    """``predicted``: s_idx, province_id (accepted links only); ``truth``: s_idx, true_id (null: none)."""
    joined = truth.join(predicted, on="s_idx", how="left")
    accepted = int(joined["province_id"].is_not_null().sum())
    correct = int((joined["province_id"] == joined["true_id"]).fill_null(False).sum())
    true_links = int(joined["true_id"].is_not_null().sum())
    precision = correct / accepted if accepted else 1.0
    recall = correct / true_links if true_links else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accepted": accepted, "correct": correct, "true_links": true_links, "precision": precision,
            "recall": recall, "f1": f1}  # fmt: skip


def _truth_by_row(paths: ScenarioPaths, rows: pl.DataFrame) -> pl.DataFrame:
    truth = pl.read_parquet(paths.truth).select(
        "file_name", "source_row", pl.col("province_id").alias("true_id")
    )
    keyed = rows.select(
        pl.col("submission_index").alias("s_idx"),
        pl.col("source_file").str.replace(r"^.*[\\/]", "").alias("file_name"),
        pl.col("source_row").cast(pl.Int64),
    )
    return keyed.join(truth, on=["file_name", "source_row"], how="left").select("s_idx", "true_id")


def run_verval(paths: ScenarioPaths) -> tuple[dict[str, Any], Any]:
    """End to end from the Parquet files, no output writing; the ReconcileResult is kept for Splink."""
    stages = Stages()
    start = time.perf_counter()
    result = _reconcile_staged(paths, stages)
    seconds = time.perf_counter() - start
    accepted = result.matches.filter(pl.col("match_status") == "matched").select(
        pl.col("submission_index").alias("s_idx"), "province_id"
    )
    truth = _truth_by_row(paths, result.submissions)
    return {"seconds": seconds, "stages_s": stages.seconds, **_scores(accepted, truth)}, result


def _parsed_tables(result: Any, folder: Path) -> tuple[Path, Path]:
    """The normalised tables Splink starts from, one row per household / submission row."""
    rt_rw = pl.concat_str(pl.col("rt").cast(pl.Utf8), pl.col("rw").cast(pl.Utf8), separator="/")
    valid16 = r"^\d{16}$"

    def shape(frame: pl.DataFrame, id_column: str) -> pl.DataFrame:
        return frame.select(
            pl.col(id_column).cast(pl.Int64).alias("unique_id"),
            pl.col("name"),
            pl.when(pl.col("nik").str.contains(valid16)).then(pl.col("nik")).alias("nik"),
            pl.when(pl.col("no_kk").str.contains(valid16)).then(pl.col("no_kk")).alias("no_kk"),
            pl.col("birth_date"),
            pl.col("desa_code"),
            rt_rw.alias("rt_rw"),
        )

    province = folder / "province_parsed.parquet"
    submissions = folder / "submissions_parsed.parquet"
    shape(result.province, "province_index").write_parquet(province)
    shape(result.submissions, "submission_index").write_parquet(submissions)
    return province, submissions


def run_splink(province: Path, submissions: Path) -> tuple[float, pl.DataFrame, dict[str, Any]]:
    """Train and predict; returns (seconds, best candidate per submission row, settings summary)."""
    import duckdb
    import splink
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    left = db_api.register(con.read_parquet(str(province)), dataset_display_name="province")
    right = db_api.register(con.read_parquet(str(submissions)), dataset_display_name="submissions")
    blocking: list[Any] = [
        block_on("nik"),
        block_on("no_kk"),
        block_on("desa_code", "birth_date"),
        block_on("desa_code", "substr(name, 1, 3)"),
        block_on("desa_code", "rt_rw"),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("name"),
            cl.DamerauLevenshteinAtThresholds("nik", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("no_kk", [1, 2]),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("desa_code"),
            cl.ExactMatch("rt_rw"),
        ],
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([block_on("nik")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("desa_code", "birth_date"))
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    pairs = pl.from_arrow(predictions.as_pyarrow_table())  # type: ignore[no-untyped-call]
    assert isinstance(pairs, pl.DataFrame)
    # link_only pairs come as (province, submissions) in either order: orient them.
    left_is_province = pl.col("source_dataset_l") == "province"
    oriented = pairs.select(
        pl.when(left_is_province).then("unique_id_r").otherwise("unique_id_l").alias("s_idx"),
        pl.when(left_is_province).then("unique_id_l").otherwise("unique_id_r").alias("h_idx"),
        "match_probability",
    )
    best = oriented.sort("match_probability", descending=True).unique("s_idx", keep="first")
    seconds = time.perf_counter() - start
    info = {"splink": splink.__version__, "duckdb": duckdb.__version__, "pairs_scored": pairs.height,
            "blocking": [b.get_blocking_rule("duckdb").blocking_rule_sql for b in blocking]}  # fmt: skip
    return seconds, best, info


def _splink_scores(best: pl.DataFrame, result: Any, truth: pl.DataFrame) -> dict[str, Any]:
    ids = result.province.select(pl.col("province_index").alias("h_idx"), pl.col("household_id"))
    linked = best.join(ids, on="h_idx").rename({"household_id": "province_id"})
    at_accept = _scores(
        linked.filter(pl.col("match_probability") >= ACCEPT).select("s_idx", "province_id"), truth
    )
    # The best threshold in hindsight (it uses the truth): Splink's ceiling, not a fair operating point.
    best_f1, best_threshold = at_accept, ACCEPT
    for threshold in (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.95, 0.99, 0.999):
        scored = _scores(
            linked.filter(pl.col("match_probability") >= threshold).select("s_idx", "province_id"), truth
        )
        if scored["f1"] > best_f1["f1"]:
            best_f1, best_threshold = scored, threshold
    return {"at_0.9": at_accept, "best": {**best_f1, "threshold": best_threshold}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peer", description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--out", default="bench_results")
    args = parser.parse_args(argv)
    out = Path(args.out)
    paths = ensure_scenario(args.households, out / "scenarios")

    print(f"verval on {args.households:,} households ...", flush=True)
    verval, result = run_verval(paths)
    truth = _truth_by_row(paths, result.submissions)
    with tempfile.TemporaryDirectory(prefix="verval-peer-") as tmp:
        province, submissions = _parsed_tables(result, Path(tmp))
        print("Splink on the parsed tables ...", flush=True)
        seconds, best, info = run_splink(province, submissions)
    splink_scores = _splink_scores(best, result, truth)

    at, top = splink_scores["at_0.9"], splink_scores["best"]
    ratio = seconds / verval["seconds"]
    print()
    print(f"{'':<28}{'precision':>10}{'recall':>10}{'F1':>10}{'wall s':>10}")
    print(f"{'verval (matched)':<28}{verval['precision']:>10.4f}{verval['recall']:>10.4f}{verval['f1']:>10.4f}"
          f"{verval['seconds']:>10.2f}")  # fmt: skip
    print(
        f"{'Splink (p >= 0.9)':<28}{at['precision']:>10.4f}{at['recall']:>10.4f}{at['f1']:>10.4f}{seconds:>10.2f}"
    )
    label = f"Splink (best, p >= {top['threshold']})"
    print(f"{label:<28}{top['precision']:>10.4f}{top['recall']:>10.4f}{top['f1']:>10.4f}{seconds:>10.2f}")
    print(f"\nSplink / verval wall time: x{ratio:.1f}  (Splink scored {info['pairs_scored']:,} pairs)")
    faster = ratio >= 10
    better = verval["f1"] > max(at["f1"], top["f1"])
    print(
        f"target: >= 10x faster: {'met' if faster else 'MISSED'}; higher F1: {'met' if better else 'MISSED'}"
    )

    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {"date": datetime.now().isoformat(timespec="seconds"), "machine": machine(),
              "households": args.households, "submission_rows": paths.submission_rows, "verval": verval,
              "splink": {"seconds": seconds, **splink_scores, **info}, "time_ratio": ratio}  # fmt: skip
    path = out / f"peer_{stamp}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
