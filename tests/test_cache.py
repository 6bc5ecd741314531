"""Re-runs through the per-file cache (``OUT/.verval-cache``): only changed files are read again, and
the outputs are the bytes a full run without the cache writes."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from verval_cli import marks
from verval_cli.cache import CACHE_DIR, FileCache
from verval_cli.cli import app
from verval_cli.config import Config, MatchingConfig
from verval_cli.errors import InputFileError
from verval_cli.inbox import discover_inputs
from verval_cli.io import FileFailure
from verval_cli.reconcile import reconcile
from verval_cli.result import ReconcileResult
from verval_cli.writers.outputs import write_parquet

ingest_module = importlib.import_module("verval_cli.ingest")  # the package root names a function ingest
cache_module = importlib.import_module("verval_cli.cache")
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
# CSV and xlsx, a desa in the name and one without, a workbook with a title block
PICKED = (
    "3304012003_GUMELEM WETAN.xlsx",
    "3304022002_PAGAK.csv",
    "DATA FIX (1).xlsx",
    "Hasil Verval Desa Brengkok.csv",
    "VERVAL P3KE AMBAL KARANGKOBAR.xlsx",
    "verval_binangun.xlsx",
)


def _round(tmp_path: Path, names: tuple[str, ...] = PICKED) -> tuple[Path, Path]:
    province = tmp_path / "province"
    shutil.copytree(SAMPLE / "province", province)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy(SAMPLE / "submissions" / name, inbox / name)
    return province, inbox


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files verval reads (handed to the reader), in every run of the test."""
    seen: list[str] = []
    real = ingest_module.read_pieces

    def counting(paths: Any, *args: Any, **kwargs: Any) -> Any:
        seen.extend(Path(p).name for p in paths)
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(ingest_module, "read_pieces", counting)
    return seen


def _timeless(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k != "run"}


def _parquet(result: ReconcileResult, folder: Path) -> dict[str, str]:
    """The sha256 of each Parquet output, written the way the reconcile writer writes them."""
    frames = {
        "matches": result.matches,
        "province": result.province,
        "submissions": result.submissions,
        "discrepancies": result.discrepancies,
        "rejected": result.rejected,
    }
    # When a run was written (`run`) is the one key that differs between two runs of the same inputs.
    summary = json.dumps(_timeless(result.summary), sort_keys=True, default=str).encode()
    hashes = {"summary.json": hashlib.sha256(summary).hexdigest()}
    for name, frame in frames.items():
        path = write_parquet(frame, folder / f"{name}.parquet", metadata=marks.parquet_metadata("reconcile"))
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _run(
    province: Path, inbox: Path | list[Path], out: Path, config: Config | None = None, *, cached: bool = True
) -> tuple[ReconcileResult, FileCache | None, dict[str, str]]:
    cache = FileCache(out) if cached else None
    result = reconcile(province, inbox, config, cache=cache)
    return result, cache, _parquet(result, out)


def _fresh(
    province: Path, inbox: Path | list[Path], tmp_path: Path, config: Config | None = None
) -> dict[str, str]:
    """A full run without the cache, in a folder of its own."""
    folder = tmp_path / f"fresh{len(list(tmp_path.glob('fresh*')))}"
    return _run(province, inbox, folder, config, cached=False)[2]


def _edit_csv(path: Path, edit: Callable[[str], str]) -> None:
    path.write_bytes(edit(path.read_text(encoding="utf-8")).encode("utf-8"))


def test_an_unchanged_rerun_reads_nothing_and_writes_the_same_bytes(tmp_path: Path, reads: list[str]) -> None:
    province, inbox = _round(tmp_path)
    out = tmp_path / "out"
    first, cache, before = _run(province, inbox, out)
    assert cache is not None and cache.stats.reused == 0 and cache.stats.stored == len(PICKED) + 1
    assert sorted(reads) == sorted([*PICKED, "daftar_sasaran_p3ke_3304.xlsx"])
    reads.clear()
    again, cache, after = _run(province, inbox, out)
    assert reads == []  # no file handed to the reader: province list and villages from the cache
    assert cache is not None and cache.stats.reused == len(PICKED) + 1 and cache.stats.read == 0
    assert after == before
    assert _timeless(again.summary) == _timeless(first.summary)
    assert [s.path for s in again.sheets] == [s.path for s in first.sheets]


def test_one_changed_file_is_the_only_one_read_and_the_outputs_equal_a_full_run(
    tmp_path: Path, reads: list[str]
) -> None:
    province, inbox = _round(tmp_path)
    out = tmp_path / "out"
    _run(province, inbox, out)
    # PAGAK resends its file: one name corrected, one row's status changed
    _edit_csv(inbox / "3304022002_PAGAK.csv", lambda t: t.replace("RAJIMAN WIBOWO", "RAJIMAN WIBAWA"))
    _edit_csv(inbox / "3304022002_PAGAK.csv", lambda t: t.replace("PARMIN HARTONO;", "PARMIN HARTANA;"))
    reads.clear()
    _, cache, rerun = _run(province, inbox, out)
    assert reads == ["3304022002_PAGAK.csv"]
    assert cache is not None and cache.stats.reused == len(PICKED) and cache.stats.read == 1
    assert rerun == _fresh(province, inbox, tmp_path)


def _with_extra(source: Path, target: Path, header: str) -> None:
    """A copy of a village CSV with one more column, one verval does not know (kept as extra:<header>)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    rows = [f"{lines[0]};{header}", *(f"{line};catatan {n}" for n, line in enumerate(lines[1:]))]
    target.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")


def test_files_from_the_cache_and_files_read_keep_the_batch_order(tmp_path: Path, reads: list[str]) -> None:
    """submission_index and the column order follow the file order, whichever files came from the
    cache: here every other file was cached by an earlier run, and a new file sorts first. The files
    carry extra columns of their own, which line up in the order their files come."""
    province, inbox = _round(tmp_path)
    pagak = SAMPLE / "submissions" / "3304022002_PAGAK.csv"
    _with_extra(pagak, inbox / "3304022002_PAGAK.csv", "PENDAMPING DESA")
    out = tmp_path / "out"
    every_other = sorted(inbox.iterdir())[::2]
    _run(province, every_other, out)
    _with_extra(pagak, inbox / "1 PAGAK SUSULAN.csv", "CATATAN OPERATOR")
    shutil.copy(SAMPLE / "submissions" / "3304022005_KLAMPOK.xlsx", inbox / "3304022005_KLAMPOK.xlsx")
    reads.clear()
    result, cache, rerun = _run(province, inbox, out)
    assert cache is not None and cache.stats.reused == len(every_other) + 1
    assert len(reads) == len(PICKED) + 2 - len(every_other)
    assert rerun == _fresh(province, inbox, tmp_path)
    files = result.submissions["source_file"].to_list()
    order = [Path(f).name for f in dict.fromkeys(files)]
    assert order == sorted(p.name for p in inbox.iterdir())
    assert result.submissions["submission_index"].to_list() == list(range(len(files)))
    extras = [c for c in result.submissions.columns if c.startswith("extra:")]
    assert extras.index("extra:CATATAN OPERATOR") < extras.index("extra:PENDAMPING DESA")


def test_a_moved_or_renamed_file_is_reported_under_its_new_path(tmp_path: Path, reads: list[str]) -> None:
    province, inbox = _round(tmp_path)
    out = tmp_path / "out"
    _run(province, inbox, out)
    (inbox / "late").mkdir()
    moved = inbox / "late" / "3304022002_PAGAK.csv"
    (inbox / "3304022002_PAGAK.csv").rename(moved)
    renamed = inbox / "verval binangun revisi.xlsx"
    (inbox / "verval_binangun.xlsx").rename(renamed)
    reads.clear()
    result, cache, rerun = _run(province, inbox, out)
    # moved: the same name, so the same reading: from the cache; renamed: the name can say the desa, read again
    assert reads == [renamed.name]
    assert cache is not None and cache.stats.reused == len(PICKED)
    files = set(result.submissions["source_file"])
    assert str(moved) in files and str(renamed) in files
    assert not {str(inbox / "3304022002_PAGAK.csv"), str(inbox / "verval_binangun.xlsx")} & files
    assert str(moved) in set(result.rejected["source_file"]) | {s.path for s in result.sheets}
    assert {s.path for s in result.sheets} >= {str(moved), str(renamed)}
    assert rerun == _fresh(province, inbox, tmp_path)


def _entry_files(out: Path, suffix: str) -> list[Path]:
    return sorted((out / CACHE_DIR).rglob(f"*{suffix}"))


@pytest.mark.parametrize("damage", ["truncate parquet", "garble meta"])
def test_a_broken_entry_is_ignored_and_rebuilt(tmp_path: Path, reads: list[str], damage: str) -> None:
    province, inbox = _round(tmp_path)
    out = tmp_path / "out"
    _, _, before = _run(province, inbox, out)
    entry = next(
        p.parent
        for p in _entry_files(out, "frame0.parquet")
        if "PAGAK" in pl.read_parquet(p)["source_file"][0]
    )
    if damage == "truncate parquet":
        frame = entry / "frame0.parquet"
        frame.write_bytes(frame.read_bytes()[: frame.stat().st_size // 2])
    else:
        (entry / "meta.json").write_text('{"format": 1, "tables": [', encoding="utf-8")
    reads.clear()
    _, cache, after = _run(province, inbox, out)
    assert reads == ["3304022002_PAGAK.csv"]
    assert cache is not None and cache.stats.broken == 1 and cache.stats.stored == 1
    assert after == before
    reads.clear()
    _, cache, _ = _run(province, inbox, out)
    assert reads == [] and cache is not None and cache.stats.broken == 0  # rebuilt


def test_a_run_with_other_settings_or_another_verval_does_not_reuse_the_cache(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    province, inbox = _round(tmp_path)
    out = tmp_path / "out"
    _run(province, inbox, out)
    everything = len(PICKED) + 1
    # a regency named: the list's desa names are read within it (the villages were read within the
    # regency the list said, 3304, already: they are served)
    regency = Config(regency="3304")
    reads.clear()
    _, cache, _ = _run(province, inbox, out, regency)
    assert reads == ["daftar_sasaran_p3ke_3304.xlsx"]
    settings = Config(regency="3304", columns={"KETERANGAN": "extra"})  # verval.toml reads a column otherwise
    reads.clear()
    _, cache, rerun = _run(province, inbox, out, settings)
    assert len(reads) == everything and cache is not None and cache.stats.reused == 0
    assert rerun == _fresh(province, inbox, tmp_path, settings)
    # matching thresholds do not change what a file reads as: the cache serves
    stricter = Config(regency="3304", columns={"KETERANGAN": "extra"}, matching=MatchingConfig(90.0, 70.0))
    _, cache, _ = _run(province, inbox, out, stricter)
    assert cache is not None and cache.stats.reused == everything
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another verval")
    _, cache, _ = _run(province, inbox, out, stricter)
    assert cache is not None and cache.stats.reused == 0


def test_a_file_with_a_sheet_that_failed_is_not_kept(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook read but for one sheet: its failure is not kept, so the file is read each run."""
    counting = ingest_module.read_pieces

    def one_sheet_fails(paths: Any, *args: Any, **kwargs: Any) -> Any:
        pieces = counting(paths, *args, **kwargs)
        positions = kwargs.get("positions") or range(len(paths))
        for position, path in zip(positions, paths, strict=True):
            if Path(path).name == "verval_binangun.xlsx":
                pieces.failures.append((position, FileFailure(str(path), "cannot read sheet", sheet="Rekap")))
        return pieces

    monkeypatch.setattr(ingest_module, "read_pieces", one_sheet_fails)
    province, inbox = _round(tmp_path, PICKED[-2:])
    out = tmp_path / "out"
    _run(province, inbox, out)
    reads.clear()
    again, _, _ = _run(province, inbox, out)
    assert reads == ["verval_binangun.xlsx"]
    assert [f.sheet for f in again.failures] == ["Rekap"]


def test_a_file_that_failed_is_read_again_each_run(tmp_path: Path, reads: list[str]) -> None:
    province, inbox = _round(tmp_path, PICKED[:2])
    (inbox / "rusak.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path / "out"
    first, _, _ = _run(province, inbox, out)
    reads.clear()
    again, _, _ = _run(province, inbox, out)
    assert reads == ["rusak.xlsx"]
    assert [f.path for f in again.failures] == [f.path for f in first.failures] == [str(inbox / "rusak.xlsx")]


def test_entries_a_run_did_not_use_are_removed(tmp_path: Path) -> None:
    province, inbox = _round(tmp_path)
    out = tmp_path / "out"
    _run(province, inbox, out)
    (inbox / "verval_binangun.xlsx").unlink()
    _, cache, _ = _run(province, inbox, out)
    assert cache is not None and cache.stats.removed == 1
    assert len(list((out / CACHE_DIR / "files").iterdir())) == len(PICKED)  # 5 villages and the list


def test_the_cache_is_never_read_as_input(tmp_path: Path) -> None:
    province, inbox = _round(tmp_path, PICKED[:2])
    out = inbox / "hasil"  # the officer writes the results inside the inbox (--force)
    _run(province, inbox, out)
    assert _entry_files(out, ".parquet")
    _, found = discover_inputs(province, inbox)
    assert sorted(p.name for p in found.files) == sorted(PICKED[:2])
    assert [n.reason for n in found.notes if CACHE_DIR in n.path] == [
        f"skipped: written by verval (re-run cache, {len(_entry_files(out, '.parquet'))} files), not a submission"
    ]
    # a pattern that reaches into the cache finds nothing to read; every cache file carries verval's mark
    with pytest.raises(InputFileError, match="written by verval"):
        discover_inputs(province, str(inbox / "**" / "*.parquet"))
    assert all(marks.read_mark(p) is not None for p in _entry_files(out, ".parquet"))
    batch = ingest_module.ingest(inbox)  # inspect and validate find their inputs the same way
    assert sorted({Path(f).name for f in batch.frame["source_file"]}) == sorted(PICKED[:2])


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, [*args])


def test_cli_reruns_through_the_cache_and_no_cache_leaves_it_alone(tmp_path: Path, reads: list[str]) -> None:
    province, inbox = _round(tmp_path, PICKED[:3])
    out = tmp_path / "out"
    first = _cli("reconcile", str(province), str(inbox), "--out", str(out), "--lang", "en")
    assert first.exit_code == 0, first.output
    assert (out / CACHE_DIR / "files").is_dir()
    reads.clear()
    again = _cli("reconcile", str(province), str(inbox), "--out", str(out), "--force", "--lang", "en")
    assert again.exit_code == 0, again.output
    assert reads == []
    assert "4 of 4 files unchanged since the last run" in again.output
    reads.clear()
    plain = tmp_path / "plain"
    bare = _cli("reconcile", str(province), str(inbox), "--out", str(plain), "--no-cache", "--json")
    assert bare.exit_code == 0, bare.output
    assert not (plain / CACHE_DIR).exists()
    assert len(reads) == 4
    for name in ("matches", "province", "submissions", "discrepancies", "rejected"):
        assert (plain / f"{name}.parquet").read_bytes() == (out / f"{name}.parquet").read_bytes()


def test_a_refused_run_leaves_no_cache(tmp_path: Path) -> None:
    province, inbox = _round(tmp_path, PICKED[:3])
    out = tmp_path / "out"
    swapped = _cli("reconcile", str(inbox), str(province), "--out", str(out))
    assert swapped.exit_code != 0
    assert not out.exists()


def test_a_batch_read_by_worker_processes_is_kept_and_served_the_same(tmp_path: Path) -> None:
    """Big batches are read by worker processes, in shares: what they read is kept per file too, and
    a re-run gives the frame one plain read gives."""
    _, inbox = _round(tmp_path)
    out = tmp_path / "out"
    cache = FileCache(out)
    ingest_module.ingest(inbox, workers=2, cache=cache)
    cache.flush()
    assert cache.stats.stored == len(PICKED)
    _edit_csv(inbox / "3304022002_PAGAK.csv", lambda t: t.replace("RAJIMAN WIBOWO", "RAJIMAN WIBAWA"))
    cache = FileCache(out)
    again = ingest_module.ingest(inbox, workers=2, cache=cache)
    assert cache.stats.reused == len(PICKED) - 1 and cache.stats.read == 1
    plain = ingest_module.ingest(inbox, workers=1)
    for ours, theirs in ((again.frame, plain.frame), (again.rejected, plain.rejected)):
        assert ours.columns == theirs.columns and ours.schema == theirs.schema
        assert ours.equals(theirs)
    assert [dataclasses.asdict(s) for s in again.sheets] == [dataclasses.asdict(s) for s in plain.sheets]


def test_a_cache_that_cannot_be_written_does_not_fail_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_: Any) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module, "_write_entry", disk_full)
    province, inbox = _round(tmp_path, PICKED[:2])
    _, cache, written = _run(province, inbox, tmp_path / "out")
    assert cache is not None and cache.stats.stored == 0
    assert len(cache.stats.errors) == 3 and "No space left on device" in cache.stats.errors[0]
    assert written == _fresh(province, inbox, tmp_path)


def test_a_masked_run_keeps_no_cache_in_its_folder(tmp_path: Path, reads: list[str]) -> None:
    """--mask-nik makes a folder to send on: no unmasked NIK may stay in it, so no cache either."""
    province, inbox = _round(tmp_path, PICKED[:2])
    out = tmp_path / "out"
    assert _cli("reconcile", str(province), str(inbox), "--out", str(out)).exit_code == 0
    assert (out / CACHE_DIR).is_dir()
    reads.clear()
    masked = _cli("reconcile", str(province), str(inbox), "--out", str(out), "--force", "--mask-nik")
    assert masked.exit_code == 0, masked.output
    assert len(reads) == 3  # nothing taken from the cache either
    assert not (out / CACHE_DIR).exists()


def test_the_same_file_twice_in_the_inbox_is_two_files(tmp_path: Path, reads: list[str]) -> None:
    """A village that sent its file twice (same bytes, same name, two folders): one entry, two files."""
    province, inbox = _round(tmp_path, PICKED[1:3])
    (inbox / "susulan").mkdir()
    shutil.copy(inbox / "3304022002_PAGAK.csv", inbox / "susulan" / "3304022002_PAGAK.csv")
    out = tmp_path / "out"
    _, cache, first = _run(province, inbox, out)
    assert cache is not None and cache.stats.stored == 3  # the list, PAGAK once, DATA FIX
    reads.clear()
    result, cache, again = _run(province, inbox, out)
    assert reads == [] and cache is not None and cache.stats.reused == 4
    assert again == first == _fresh(province, inbox, tmp_path)
    assert str(inbox / "susulan" / "3304022002_PAGAK.csv") in set(result.submissions["source_file"])
