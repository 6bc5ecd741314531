"""The province case: one run against the partitioned run, peak memory and time, stage by stage.

A round of ``--per-regency`` listed households in each of ``--regencies`` regencies (villages report
households of the next desa, across regency borders too; a few NIKs are listed in two regencies).
Each (round, mode) runs in its own process, so its peak RSS is its own. Doubling the regencies at the
same households per regency shows whether the partitioned peak stays with the part, not the province.

    python -m benchmarks.province --per-regency 250000 --regencies 4,8 --out bench_results/
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.run import Stages, _self_peak_mb, machine
from benchmarks.scenario import ensure_scenario

MODES = ("one", "partitioned")


def _case(mode: str, per_regency: int, regencies: int, scenarios: Path) -> dict[str, Any]:
    paths = ensure_scenario(per_regency * regencies, scenarios, regencies=regencies, say=False)
    import verval_cli.writers.partitioned  # noqa: F401  (imports before the clock starts)
    from verval_cli.reconcile import reconcile
    from verval_cli.writers.outputs import write_json, write_parquet
    from verval_cli.writers.partitioned import write_partitioned

    stages = Stages()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="verval-province-") as tmp:
        if mode == "one":
            result = reconcile(paths.province, [paths.submissions], timer=stages)
            with stages("write"):
                for name in ("matches", "province", "submissions", "discrepancies", "rejected"):
                    write_parquet(getattr(result, name), Path(tmp) / f"{name}.parquet")
                write_json(result.summary, Path(tmp) / "summary.json")
        else:  # the outputs are written as the parts are flagged: "findings" includes the writing
            write_partitioned(paths.province, [paths.submissions], Path(tmp) / "out", timer=stages)
    return {
        "mode": mode,
        "regencies": regencies,
        "households": paths.households,
        "submission_rows": paths.submission_rows,
        "files": paths.files,
        "seconds": round(time.perf_counter() - start, 2),
        "stage_seconds": {k: round(v, 2) for k, v in stages.seconds.items()},
        "stage_peak_mb": {k: round(v) for k, v in stages.peak_mb.items()},
        "peak_rss_mb": round(_self_peak_mb()),
    }


def _spawn(mode: str, per_regency: int, regencies: int, out: Path) -> dict[str, Any]:
    result = out / f".province_{mode}_{regencies}.json"
    command = [
        sys.executable,
        "-m",
        "benchmarks.province",
        "--child",
        mode,
        "--per-regency",
        str(per_regency),
    ]
    command += ["--regencies", str(regencies), "--out", str(out), "--result", str(result)]
    proc = subprocess.Popen(command)
    _, status, _ = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not result.is_file():
        return {"mode": mode, "regencies": regencies, "error": f"exit status {status}"}
    figures: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    return figures


def _table(cases: list[dict[str, Any]]) -> str:
    lines = [
        "| regencies | households | rows | mode | load s | normalise s | link s | findings s | write s "
        "| total s | peak MB |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        if "error" in c:
            lines.append(f"| {c['regencies']} | | | {c['mode']} | {c['error']} |")
            continue
        st = c["stage_seconds"]
        cells = [st.get(k, 0.0) for k in ("load", "normalise", "link", "findings", "write")]
        lines.append(
            f"| {c['regencies']} | {c['households']:,} | {c['submission_rows']:,} | {c['mode']} | "
            + " | ".join(f"{v:.1f}" for v in cells)
            + f" | {c['seconds']:.1f} | {c['peak_rss_mb']:,} |"
        )
    return "\n".join(lines)


def checks(cases: list[dict[str, Any]]) -> list[str]:
    """Partitioned against one run (peak, time) per round; the partitioned peak as the regencies double."""
    ok = [c for c in cases if "error" not in c]
    by = {(c["mode"], c["regencies"]): c for c in ok}
    lines = []
    for k in sorted({c["regencies"] for c in ok}):
        one, parts = by.get(("one", k)), by.get(("partitioned", k))
        if one and parts:
            lines.append(
                f"{k} regencies: partitioned peak {parts['peak_rss_mb']:,} MB vs one run {one['peak_rss_mb']:,} MB "
                f"({parts['peak_rss_mb'] / one['peak_rss_mb']:.2f}x), time {parts['seconds']:.1f} s vs "
                f"{one['seconds']:.1f} s ({parts['seconds'] / one['seconds']:.2f}x)"
            )
    counts = sorted(k for (mode, k) in by if mode == "partitioned")
    for small, large in itertools.pairwise(counts):
        a, b = by[("partitioned", small)]["peak_rss_mb"], by[("partitioned", large)]["peak_rss_mb"]
        verdict = "unchanged" if b <= a * 1.1 else "grows: the prepared province list is held whole"
        lines.append(
            f"partitioned peak {small} -> {large} regencies: {a:,} -> {b:,} MB ({b / a:.2f}x), {verdict}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.province", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--per-regency", type=int, default=50_000, help="listed households per regency")
    parser.add_argument("--regencies", default="4,8", help="comma-separated numbers of regencies")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--out", default="bench_results")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out = Path(args.out)
    scenarios = out / "scenarios"
    if args.child:
        figures = _case(args.child, args.per_regency, int(args.regencies), scenarios)
        Path(args.result).write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    counts = [int(r) for r in args.regencies.split(",") if r.strip()]
    for k in counts:  # generated apart, so no case inherits the generator's memory
        subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; from benchmarks.scenario import "
             f"ensure_scenario; ensure_scenario({args.per_regency * k}, Path({str(scenarios)!r}), "
             f"regencies={k})"],
            check=True,
        )  # fmt: skip
    cases = []
    for k in counts:
        for mode in args.modes.split(","):
            print(f"running {mode} at {k} regencies x {args.per_regency:,} households ...", flush=True)
            cases.append(_spawn(mode, args.per_regency, k, out))
    print()
    print(_table(cases))
    print()
    print("\n".join(checks(cases)))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {"date": datetime.now().isoformat(timespec="seconds"), "machine": machine(), "cases": cases}
    path = out / f"province_{stamp}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
