"""``make bench``: time the reconcile library end to end on synthetic rounds, stage by stage.

Each case runs in its own process so that its peak RSS is its own (``os.wait4`` reports it); the
scenarios are generated once and kept under ``<out>/scenarios``. Results go to ``<out>/bench_<time>.json``.

    python -m benchmarks.run --sizes 10000,100000,1000000 --out bench_results/
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from benchmarks.scenario import RETYPED_HEADERS, TEMPLATE_HEADERS, ScenarioPaths, ensure_scenario

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
EXCEL_READ_SIZE = 100_000  # the workbook holds this round's ~100k submission rows
EXCEL_REPORT_SIZE = 170_000  # a round whose reconcile has ~100k discrepancy rows
TARGETS = {
    "end_to_end_1m_s": 20.0,
    "peak_rss_1m_mb": 4096.0,
    "growth_per_10x": 12.0,
    "excel_read_100k_s": 3.0,
    "excel_report_100k_s": 10.0,
    "help_s": 0.3,
    "inspect_one_file_s": 0.6,
}
STARTUP_REPEATS = 7
INSPECT_FILE = Path(__file__).resolve().parent.parent / "sample_data" / "submissions" / "3304022002_PAGAK.csv"


class Stages:
    """Wall time and peak RSS per named stage; a stage entered twice adds up (time) or keeps the max."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        _reset_peak()
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), _self_peak_mb(since_reset=True))


_PEAKS: list[float] = []  # VmHWM values read just before each reset


def _reset_peak() -> None:
    """Restart the kernel's peak-RSS counter (Linux >= 4.0), remembering the peak so far."""
    try:
        _PEAKS.append(_self_peak_mb(since_reset=True))
        Path("/proc/self/clear_refs").write_text("5", encoding="utf-8")
    except OSError:
        pass


def _self_peak_mb(*, since_reset: bool = False) -> float:
    """This process's peak RSS. VmHWM starts afresh at exec; ru_maxrss would carry the forking parent's."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                now = int(line.split()[1]) / 1024
                return now if since_reset else max([now, *_PEAKS])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reconcile_staged(paths: ScenarioPaths, stages: Stages) -> Any:
    """reconcile() with each of its stages timed."""
    from verval_cli.reconcile import reconcile

    return reconcile(paths.province, [paths.submissions], timer=stages)


def _accuracy(matches: pl.DataFrame, truth_path: Path) -> dict[str, Any]:
    from verval_cli.evaluation import evaluate

    acc = evaluate(matches, pl.read_parquet(truth_path)).to_dict()
    p, r = acc["precision"], acc["recall"]
    acc["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return acc


def case_pipeline(paths: ScenarioPaths, work: Path) -> dict[str, Any]:
    """Parquet in, Parquet out: load, normalise, match (prepare + link + findings), write; no Excel."""
    import verval_cli.reconcile  # noqa: F401  (imported before the clock starts: the pipeline is timed, not imports)
    from verval_cli.writers.outputs import write_json, write_parquet

    stages = Stages()
    start = time.perf_counter()
    result = _reconcile_staged(paths, stages)
    with stages("write"):
        write_parquet(result.matches, work / "matches.parquet")
        write_parquet(result.province, work / "province.parquet")
        write_parquet(result.submissions, work / "submissions.parquet")
        write_parquet(result.discrepancies, work / "discrepancies.parquet")
        write_parquet(result.rejected, work / "rejected.parquet")
        write_json(result.summary, work / "summary.json")
    total = time.perf_counter() - start
    s = stages.seconds
    s["match"] = s["prepare"] + s["link"] + s["findings"]
    province_rows, submission_rows = result.province.height, result.submissions.height
    return {
        "case": "pipeline",
        "households": paths.households,
        "province_rows": province_rows,
        "submission_rows": submission_rows,
        "files": paths.files,
        "discrepancy_rows": result.discrepancies.height,
        "stages_s": s,
        "stage_peak_rss_mb": stages.peak_mb,
        "total_s": total,
        "rows_per_s": (province_rows + submission_rows) / total,
        "accuracy": _accuracy(result.matches, paths.truth),
        "self_peak_rss_mb": _self_peak_mb(),
    }


def _workbook(paths: ScenarioPaths) -> tuple[Path, int]:
    """One 100k-row sheet as a village operator retypes it: title block, header, text NIKs; cached."""
    target = paths.folder / "workbook_submissions.xlsx"
    if target.is_file():
        return target, paths.submission_rows
    columns = list(RETYPED_HEADERS.values())
    as_retyped = {TEMPLATE_HEADERS[f]: RETYPED_HEADERS[f] for f in RETYPED_HEADERS if f in TEMPLATE_HEADERS}
    parts = []
    for file in sorted(paths.submissions.glob("*.parquet")):
        part = pl.read_parquet(file)
        part = part.rename({k: v for k, v in as_retyped.items() if k in part.columns and k != v})
        parts.append(part.select([pl.col(c).cast(pl.Utf8) for c in columns if c in part.columns]))
    frame = pl.concat(parts, how="diagonal_relaxed").select(
        pl.int_range(1, pl.len() + 1).alias("NO"), *columns[1:]
    )
    import xlsxwriter

    tmp = target.with_suffix(".tmp.xlsx")
    workbook = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("DATA")
    sheet.write_row(0, 0, ["HASIL VERIFIKASI DAN VALIDASI DATA P3KE"])
    sheet.write_row(1, 0, ["KABUPATEN BANJARNEGARA"])
    sheet.write_row(3, 0, columns)
    for i, row in enumerate(frame.iter_rows()):
        sheet.write_row(4 + i, 0, row)
    workbook.close()
    tmp.replace(target)
    return target, frame.height


def case_excel_read(paths: ScenarioPaths, work: Path) -> dict[str, Any]:
    """load_tables on one ~100k-row workbook (the stage-1 frame, before normalising)."""
    from verval_cli.io import load_tables

    target, rows = _workbook(paths)
    start = time.perf_counter()
    loaded = load_tables([target])
    seconds = time.perf_counter() - start
    return {
        "case": "excel_read",
        "households": paths.households,
        "workbook_rows": rows,
        "rows_loaded": loaded.frame.height,
        "total_s": seconds,
        "rows_per_s": loaded.frame.height / seconds,
        "self_peak_rss_mb": _self_peak_mb(),
    }


def case_excel_report(paths: ScenarioPaths, work: Path) -> dict[str, Any]:
    """write_excel_report for the reconcile of the 100k round (the reconcile itself is not timed)."""
    try:
        from verval_cli.writers.excel_report import write_excel_report
    except ImportError as exc:
        return {"case": "excel_report", "skipped": f"verval_cli.writers.excel_report not importable: {exc}"}
    result = _reconcile_staged(paths, Stages())
    start = time.perf_counter()
    write_excel_report(result, work / "laporan_verval.xlsx")
    seconds = time.perf_counter() - start
    return {
        "case": "excel_report",
        "households": paths.households,
        "discrepancy_rows": result.discrepancies.height,
        "match_rows": result.matches.height,
        "total_s": seconds,
        "rows_per_s": result.discrepancies.height / seconds,
        "report_mb": (work / "laporan_verval.xlsx").stat().st_size / 2**20,
        "self_peak_rss_mb": _self_peak_mb(),
    }


def _verval() -> list[str]:
    """The installed ``verval`` command beside this interpreter, else the same entry point via -c."""
    script = Path(sys.executable).with_name("verval")
    return (
        [str(script)]
        if script.is_file()
        else [sys.executable, "-c", "from verval_cli.cli import main; main()"]
    )


def _wall(command: list[str], repeats: int) -> dict[str, float]:
    """Median, fastest and slowest wall time of ``command`` (a new process each time, output discarded)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    times.sort()
    return {"median_s": times[len(times) // 2], "min_s": times[0], "max_s": times[-1]}


def case_startup(repeats: int = STARTUP_REPEATS) -> dict[str, Any]:
    """What a user waits for before any work: `verval --help`, and `verval inspect` of one village file."""
    verval = _verval()
    figures: dict[str, Any] = {
        "case": "startup",
        "repeats": repeats,
        "help": _wall([*verval, "--help"], repeats),
    }
    if INSPECT_FILE.is_file():
        figures["inspect"] = _wall([*verval, "inspect", str(INSPECT_FILE)], repeats)
        figures["inspect_file"] = INSPECT_FILE.name
    return figures


def case_generate(paths: ScenarioPaths, work: Path) -> dict[str, Any]:
    """Nothing to time: the child generated the scenario on its way in."""
    return {"case": "generate", "households": paths.households}


CASES = {
    "generate": case_generate,
    "pipeline": case_pipeline,
    "excel_read": case_excel_read,
    "excel_report": case_excel_report,
}


def _child(args: argparse.Namespace) -> None:
    """Run one case in this process and write its figures as JSON to ``args.result``."""
    paths = ensure_scenario(args.size, Path(args.scenarios), say=args.child == "generate")
    with tempfile.TemporaryDirectory(prefix="verval-bench-") as tmp:
        run = CASES[args.child]
        if args.profile:
            profiler = cProfile.Profile()
            figures = profiler.runcall(run, paths, Path(tmp))
            stats_path = Path(args.result).with_suffix(".prof")
            profiler.dump_stats(stats_path)
            pstats.Stats(str(stats_path)).sort_stats("cumulative").print_stats(35)
        else:
            figures = run(paths, Path(tmp))
    Path(args.result).write_text(json.dumps(figures, indent=2), encoding="utf-8")


def _spawn(case: str, size: int, out: Path, profile: bool) -> dict[str, Any]:
    result = out / f".case_{case}_{size}.json"
    result.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks.run", "--child", case, "--size", str(size)]
    command += ["--scenarios", str(out / "scenarios"), "--result", str(result)]
    if profile:
        command.append("--profile")
    proc = subprocess.Popen(command)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not result.is_file():
        return {"case": case, "households": size, "error": f"exit code {proc.returncode}"}
    figures: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    # The child's own VmHWM; wait4's ru_maxrss (KiB) can include what the forking parent had touched.
    figures["peak_rss_mb"] = figures.pop("self_peak_rss_mb", usage.ru_maxrss / 1024)
    return figures


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    memory_gb = None
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        cpu = next(
            (ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), cpu
        )
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()[0]
        memory_gb = round(int(meminfo.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "polars": pl.__version__,
        "platform": platform.platform(),
    }


def _fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_table(cases: list[dict[str, Any]]) -> None:
    """A plain table of the pipeline cases, then the Excel cases."""
    head = ("households", "sub rows", "load s", "norm s", "match s", "(link s)", "write s", "total s",
            "rows/s", "peak MB", "prec", "recall", "F1")  # fmt: skip
    if any(c["case"] == "pipeline" for c in cases):
        print(" ".join(f"{h:>10}" for h in head))
    for c in cases:
        if c["case"] != "pipeline":
            continue
        if "error" in c:
            print(f"{c['households']:>10,} {c['error']}")
            continue
        s, a = c["stages_s"], c["accuracy"]
        cells = (f"{c['households']:,}", f"{c['submission_rows']:,}", _fmt_s(s["load"]), _fmt_s(s["normalise"]),
                 _fmt_s(s["match"]), _fmt_s(s["link"]), _fmt_s(s["write"]), _fmt_s(c["total_s"]),
                 f"{c['rows_per_s']:,.0f}", f"{c['peak_rss_mb']:,.0f}", f"{a['precision']:.4f}",
                 f"{a['recall']:.4f}", f"{a['f1']:.4f}")  # fmt: skip
        print(" ".join(f"{x:>10}" for x in cells))
    for c in cases:
        if c["case"] == "pipeline":
            continue
        if "skipped" in c or "error" in c:
            print(f"{c['case']}: {c.get('skipped') or c.get('error')}")
        elif c["case"] == "startup":
            for what, label in (
                ("help", "verval --help"),
                ("inspect", f"verval inspect {c.get('inspect_file')}"),
            ):
                if what in c:
                    t = c[what]
                    print(f"start-up: {label}: {t['median_s']:.2f} s (median of {c['repeats']}, "
                          f"{t['min_s']:.2f} to {t['max_s']:.2f} s)")  # fmt: skip
        elif c["case"] == "excel_read":
            print(f"excel read: {c['rows_loaded']:,} rows in {c['total_s']:.2f} s "
                  f"({c['rows_per_s']:,.0f} rows/s, peak {c['peak_rss_mb']:,.0f} MB)")  # fmt: skip
        else:
            print(f"excel report: {c['discrepancy_rows']:,} discrepancy rows ({c['match_rows']:,} match rows) "
                  f"in {c['total_s']:.2f} s, {c['report_mb']:.1f} MB (peak {c['peak_rss_mb']:,.0f} MB)")  # fmt: skip


def check_targets(cases: list[dict[str, Any]]) -> list[str]:
    """One line per target: met, missed, or not measured in this run."""
    pipe = {c["households"]: c for c in cases if c["case"] == "pipeline" and "error" not in c}
    lines: list[str] = []
    big = pipe.get(1_000_000)
    if big:
        ok = big["total_s"] <= TARGETS["end_to_end_1m_s"]
        lines.append(f"1M end to end {big['total_s']:.1f} s (<= 20 s): {'met' if ok else 'MISSED'}")
        ok = big["peak_rss_mb"] <= TARGETS["peak_rss_1m_mb"]
        lines.append(f"1M peak RSS {big['peak_rss_mb']:,.0f} MB (<= 4096 MB): {'met' if ok else 'MISSED'}")
    sizes = sorted(pipe)
    for small, large in itertools.pairwise(sizes):
        if large == small * 10:
            ratio = pipe[large]["total_s"] / pipe[small]["total_s"]
            ok = ratio <= TARGETS["growth_per_10x"]
            lines.append(f"{small:,} -> {large:,}: time x{ratio:.1f} (<= x12): {'met' if ok else 'MISSED'}")
    for c in cases:
        if c["case"] == "excel_read" and "total_s" in c:
            ok = c["total_s"] <= TARGETS["excel_read_100k_s"]
            lines.append(f"100k-row workbook read {c['total_s']:.2f} s (<= 3 s): {'met' if ok else 'MISSED'}")
        if c["case"] == "excel_report" and "total_s" in c:
            ok = c["total_s"] <= TARGETS["excel_report_100k_s"]
            lines.append(f"Excel report {c['total_s']:.2f} s (<= 10 s): {'met' if ok else 'MISSED'}")
        if c["case"] == "startup":
            for what, key, label in (
                ("help", "help_s", "verval --help"),
                ("inspect", "inspect_one_file_s", "inspect"),
            ):
                if what in c:
                    median, target = c[what]["median_s"], TARGETS[key]
                    ok = median <= target
                    lines.append(f"{label} {median:.2f} s (<= {target} s): {'met' if ok else 'MISSED'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--out", default="bench_results")
    parser.add_argument("--no-excel", action="store_true", help="skip the workbook read and report cases")
    parser.add_argument("--no-startup", action="store_true", help="skip timing `verval --help` and `inspect`")
    parser.add_argument("--only-startup", action="store_true", help="time `verval --help` and `inspect` only")
    parser.add_argument("--profile", action="store_true", help="cProfile each case; .prof files in --out")
    parser.add_argument("--child", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scenarios", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args)
        return 0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    plan = [] if args.only_startup else [("pipeline", n) for n in sizes]
    if not (args.no_excel or args.only_startup):
        plan += [("excel_read", EXCEL_READ_SIZE), ("excel_report", EXCEL_REPORT_SIZE)]
    for n in sorted({n for _, n in plan}):
        _spawn("generate", n, out, profile=False)  # apart, so no case inherits the generator's memory
    cases = []
    if not args.no_startup:
        print("timing start-up ...", flush=True)
        cases.append(case_startup())
    for case, n in plan:
        print(f"running {case} at {n:,} households ...", flush=True)
        cases.append(_spawn(case, n, out, args.profile))
    print()
    print_table(cases)
    targets = check_targets(cases)
    print()
    print("\n".join(targets))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {"date": datetime.now().isoformat(timespec="seconds"), "machine": machine(), "cases": cases,
              "targets": targets}  # fmt: skip
    path = out / f"bench_{stamp}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
