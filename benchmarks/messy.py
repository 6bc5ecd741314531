"""The real path: a regency round of messy village spreadsheets in, the CLI's Parquet and Excel report out.

The round comes from the ``verval sample`` generator (retyped sheets under title rows, NIKs stored as
numbers, ``;`` CSVs in Windows-1252, one sheet per RW, the P3KE template kept), at 300 villages of
200-400 households by default; it is generated once and kept under ``<out>/scenarios``. In one run:

- the I/O floor: every sheet of every file read as text (fastexcel; CSVs with polars after decoding
  Windows-1252), written as one Parquet file;
- ``verval reconcile PROVINCE SUBMISSIONS --out DIR`` as a subprocess (Excel report included), its wall
  time and peak RSS, and the ratio end to end / floor;
- the same command again with its stages timed (the progress callback the CLI passes the library);
- ``verval --help`` and ``verval inspect`` of one file.

    python -m benchmarks.messy --villages 300,1000 --out bench_results/
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.messy_round import MessyRound

STAGE_LOG = "VERVAL_BENCH_STAGE_LOG"  # where the staged child writes its stage times


def _verval() -> str:
    script = Path(sys.executable).with_name("verval")
    return str(script) if script.is_file() else "verval"


def _env(src: Path | None) -> dict[str, str]:
    """The environment of a child: ``src`` (another checkout of verval) first on the path, to time it instead."""
    if src is None:
        return dict(os.environ)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }


def _timed(command: list[str], src: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB of the process or any child it waited for, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(src))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if proc.stderr is not None:
        err = proc.stderr.read().decode(errors="replace").strip()
        proc.stderr.close()
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1) and err:  # 1: findings to review, not a failure
            print(err.splitlines()[-1], file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def floor(files: list[Path], target: Path) -> dict[str, Any]:
    """Read every sheet of every file as text and write one Parquet: what any reader must pay."""
    import io

    import fastexcel
    import polars as pl

    start = time.perf_counter()
    frames: list[pl.DataFrame] = []
    for path in files:
        if path.suffix.lower() == ".csv":
            text = path.read_bytes().decode("cp1252", errors="replace")
            width = max((line.count(";") + 1 for line in text.splitlines()), default=1)
            schema = {f"c{i}": pl.String for i in range(width)}
            frame = pl.read_csv(io.StringIO(text), has_header=False, separator=";", schema=schema)
            frames.append(frame.with_columns(pl.lit(path.name).alias("file")))
            continue
        reader = fastexcel.read_excel(path)
        for name in reader.sheet_names:
            frame = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0).to_polars()
            frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)}).cast(pl.String)
            frames.append(frame.with_columns(pl.lit(path.name).alias("file"), pl.lit(name).alias("sheet")))
    stacked = pl.concat(frames, how="diagonal")
    stacked.write_parquet(target)
    return {"floor_s": time.perf_counter() - start, "floor_rows": stacked.height, "sheets": len(frames)}


def _child_floor(files_list: Path, result: Path) -> None:
    files = [Path(p) for p in files_list.read_text(encoding="utf-8").splitlines() if p]
    with tempfile.TemporaryDirectory(prefix="verval-floor-") as tmp:
        figures = floor(files, Path(tmp) / "all_sheets.parquet")
    result.write_text(json.dumps(figures), encoding="utf-8")


def _staged_cli(argv: list[str], profile: Path | None) -> int:
    """Run the verval CLI in this process, logging when each stage starts (the progress callback)."""
    start = time.perf_counter()
    from verval_cli import console

    events: list[tuple[str, float]] = [("start", start)]

    @contextmanager
    def recorder(lang: str = "id", *, enabled: bool | None = None) -> Iterator[Any]:
        def say(stage: str, done: int | None = None, total: int | None = None, /) -> None:
            if events[-1][0] != stage:
                events.append((stage, time.perf_counter()))

        yield say

    console.progress = recorder
    from verval_cli.cli import app

    code = 0
    profiler = cProfile.Profile() if profile else None
    try:
        if profiler is not None:
            profiler.runcall(app, args=argv, prog_name="verval")
        else:
            app(args=argv, prog_name="verval")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    events.append(("end", time.perf_counter()))
    if profiler is not None and profile is not None:
        profiler.dump_stats(profile)
    stages: dict[str, float] = {}
    for (name, at), (_, until) in itertools.pairwise(events):
        stages[name] = stages.get(name, 0.0) + until - at
    Path(os.environ[STAGE_LOG]).write_text(json.dumps(stages), encoding="utf-8")
    return code


def _stage_times(command: list[str], work: Path, profile: Path | None, src: Path | None) -> dict[str, float]:
    log = work / "stages.json"
    log.unlink(missing_ok=True)
    extra = ["--profile-to", str(profile)] if profile else []
    # Run as a script, not -m: with ``src`` first on the path its own benchmarks package would be found.
    child = [sys.executable, str(Path(__file__).resolve()), *extra, "--staged", "--", *command]
    env = {**_env(src), STAGE_LOG: str(log)}
    subprocess.run(child, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return json.loads(log.read_text(encoding="utf-8")) if log.is_file() else {}


def measure(
    scenario: MessyRound, work: Path, profile: Path | None, src: Path | None = None
) -> dict[str, Any]:
    """Floor, CLI end to end, CLI by stage, --help and one inspect, for one round (``src``: whose verval)."""
    listed = work / "files.txt"
    listed.write_text("\n".join(str(p) for p in scenario.submission_files()), encoding="utf-8")
    result = work / "floor.json"
    floor_cmd = [sys.executable, "-m", "benchmarks.messy", "--floor", str(listed), "--result", str(result)]
    floor_wall, floor_rss, _ = _timed(floor_cmd)
    figures: dict[str, Any] = {
        "villages": scenario.villages,
        "src": str(src or "this checkout"),
        **scenario.counts(),
    }
    figures.update(json.loads(result.read_text(encoding="utf-8")))
    figures["floor_process_s"], figures["floor_peak_rss_mb"] = floor_wall, floor_rss
    out = work / "out"
    command = ["reconcile", str(scenario.province), str(scenario.submissions), "--out", str(out)]
    wall, rss, code = _timed([_verval(), *command], src)
    figures.update(cli_s=wall, cli_peak_rss_mb=rss, cli_exit=code)
    figures["ratio"] = wall / floor_wall  # process against process: both start Python and import
    figures["ratio_in_process_floor"] = wall / figures["floor_s"]
    figures["outputs"] = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    # --no-cache: the first run left its cache in ``out``; the stages (and a profile) are of a full read.
    figures["stages_s"] = _stage_times([*command, "--force", "--no-cache"], work, profile, src)
    figures["help_s"] = min(_timed([_verval(), "--help"], src)[0] for _ in range(3))
    one = scenario.submission_files()[0]
    figures["inspect_one_s"], _, _ = _timed([_verval(), "inspect", str(one)], src)
    figures["inspect_file"] = one.name
    return figures


def print_figures(f: dict[str, Any]) -> None:
    print(f"[{f['src']}] {f['villages']} villages: {f['files']} files ({f['xlsx']} xlsx, {f['csv']} csv), {f['sheets']} sheets, "
          f"{f['submission_rows']:,} submission rows, {f['households']:,} listed households")  # fmt: skip
    print(f"  I/O floor (read every sheet as text, write one Parquet): {f['floor_process_s']:.2f} s as a process "
          f"({f['floor_s']:.2f} s of it reading and writing)")  # fmt: skip
    print(f"  verval reconcile ... --out DIR (Excel report included): {f['cli_s']:.2f} s, "
          f"peak RSS {f['cli_peak_rss_mb']:,.0f} MB, exit {f['cli_exit']}")  # fmt: skip
    print(f"  ratio end to end / floor: {f['ratio']:.1f}x (target <= 2x); "
          f"{f['ratio_in_process_floor']:.1f}x against the reading and writing alone")  # fmt: skip
    stages = ", ".join(f"{k} {v:.2f}" for k, v in f["stages_s"].items())
    print(f"  stages (s, second run): {stages}")
    print(
        f"  verval --help {f['help_s']:.2f} s; verval inspect {f['inspect_file']} {f['inspect_one_s']:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.messy", description=__doc__.splitlines()[0])
    parser.add_argument("--villages", default="300", help="comma-separated round sizes, e.g. 300,1000")
    parser.add_argument("--out", default="bench_results")
    parser.add_argument("--repeat", type=int, default=1, help="measure each round this many times")
    parser.add_argument("--profile", action="store_true", help="cProfile the staged CLI run; .prof in --out")
    parser.add_argument("--against", help="another verval checkout to time too, alternating with this one")
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--staged", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.staged:
        return _staged_cli(args.rest, Path(args.profile_to) if args.profile_to else None)
    if args.floor:
        _child_floor(Path(args.floor), Path(args.result))
        return 0
    from benchmarks.messy_round import ensure_round

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sources: list[Path | None] = [None, Path(args.against).resolve()] if args.against else [None]
    runs = []
    for villages in [int(v) for v in args.villages.split(",") if v.strip()]:
        scenario = ensure_round(villages, out / "scenarios")
        for n in range(args.repeat):
            for src in sources:
                print(f"measuring the messy round of {villages} villages (run {n + 1}) ...", flush=True)
                profile = out / f"messy_{villages}.prof" if args.profile and src is None else None
                with tempfile.TemporaryDirectory(prefix="verval-messy-") as tmp:
                    figures = measure(scenario, Path(tmp), profile, src)
                runs.append(figures)
                print_figures(figures)
                if profile is not None and profile.is_file():
                    pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(35)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out / f"messy_{stamp}.json"
    report = {"date": datetime.now().isoformat(timespec="seconds"), "runs": runs}
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
