"""``validate_paths``: load a batch of submissions once, run every check, report per finding and per file."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import schema
from verval_cli.check import RAW_SCHEMA, described
from verval_cli.codes import Command, Severity
from verval_cli.config import Config
from verval_cli.errors import OutputError, UsageError
from verval_cli.ingest import Ingested, Province, find_inputs, ingest, ingest_province
from verval_cli.io import FileFailure, InputNote, SheetReport, discover
from verval_cli.io.columns import SYNONYMS, target_fields
from verval_cli.io.desa import detect_desa
from verval_cli.progress import Progress
from verval_cli.regions import desa_by_code, plain_code
from verval_cli.row_desa import majority_regency
from verval_cli.validate.checks import duplicate_findings, prepared, row_findings
from verval_cli.validate.codes import VCODES, VCode
from verval_cli.validate.province import province_findings

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "file": pl.Utf8(),
    "sheet": pl.Utf8(),
    "row": pl.Int64(),  # the row number Excel shows; null for a file- or sheet-level finding
    "column": pl.Utf8(),  # Excel column letter; null when the finding is about no single cell
    "header": pl.Utf8(),  # the column's header as typed (the canonical field for column_missing)
    "code": pl.Utf8(),
    "severity": pl.Utf8(),
    "message_id": pl.Utf8(),
    "message_en": pl.Utf8(),
    "value": pl.Utf8(),  # the cell as typed
    "detail": pl.Utf8(),  # context: the other rows of a duplicate, what the NIK says, the listed desa
}

OK, WARNINGS, ERRORS, UNREADABLE = "ok", "warnings", "errors", "unreadable"
_NO_HEADER = ("no recognisable header", "no table found")
_CODE_ORDER = {code.value: i for i, code in enumerate(VCODES)}


@dataclass
class FileStatus:
    """One input's outcome: ok / warnings / errors / unreadable, with counts."""

    path: str
    status: str
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    desa_code: str | None = None
    desa_name: str | None = None
    codes: dict[str, int] = field(default_factory=dict)


@dataclass
class ValidationReport:
    """Every finding of a batch, each input's status, and what was read (for --annotate / --fix)."""

    findings: pl.DataFrame  # FINDING_SCHEMA, in file, sheet, row, check order
    files: list[FileStatus]
    failures: list[FileFailure]
    frame: pl.DataFrame  # the normalised rows that were checked
    sheets: list[SheetReport]
    regency: str | None
    notes: list[InputNote] = field(default_factory=list)  # inputs skipped (lock files, verval's own)
    write_failures: list[FileFailure] = field(default_factory=list)  # --annotate / --fix copies not written

    def exit_code(self, strict: bool = False) -> int:
        """2 when an input cannot be read or a copy not written, 1 on errors (warnings with strict), else 0."""
        if any(f.status == UNREADABLE for f in self.files) or self.write_failures:
            return 2
        if any(f.errors for f in self.files) or (strict and any(f.warnings for f in self.files)):
            return 1
        return 0

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(f.status for f in self.files)
        return {
            "files": len(self.files),
            "rows": sum(f.rows for f in self.files),
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(f.warnings for f in self.files),
            **{status: counts.get(status, 0) for status in (OK, WARNINGS, ERRORS, UNREADABLE)},
            # "errors" and "warnings" above end up counting files (the status counts share their
            # names); these two count findings.
            "error_findings": sum(f.errors for f in self.files),
            "warning_findings": sum(f.warnings for f in self.files),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: totals, one record per file, one record per finding (complete, values included)."""
        return {
            "regency": self.regency,
            "totals": self.totals,
            "files": [asdict(f) for f in self.files],
            "findings": self.findings.to_dicts(),
            "input_notes": [n.to_dict() for n in self.notes],
            "write_failures": [asdict(f) for f in self.write_failures],
        }

    @contextmanager
    def writing(self, path: str, what: str) -> Iterator[None]:
        """Around writing one input's copy: a failure is recorded here and the batch goes on."""
        try:
            yield
        except Exception as exc:  # one file's trouble never stops the batch
            reason = exc.args[0] if isinstance(exc, OutputError) and exc.args else None
            if reason is None:
                reason = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
            self.write_failures.append(FileFailure(path, f"{what}: copy not written: {reason}"))


def _refuse_province_among(province: str | Path, given: list[str]) -> None:
    listed = {Path(p).resolve() for p in discover(province).files}
    both = [p for p in given if Path(p).resolve() in listed]
    if both:
        raise UsageError(
            f"{both[0]}: given both as the province list (--province) and as a submission; "
            "move the province list out of the inbox"
        )


def _file_level(
    path: str,
    code: VCode,
    *,
    sheet: str | None = None,
    header: str | None = None,
    value: str | None = None,
    detail: str | None = None,
) -> dict[str, Any]:
    return {"file": path, "sheet": sheet, "row": None, "column": None, "header": header, "code": code.value,
            "value": value, "detail": detail}  # fmt: skip


def _failure_findings(failures: list[FileFailure]) -> list[dict[str, Any]]:
    out = []
    for f in failures:
        code = VCode.HEADER_NOT_FOUND if f.reason.startswith(_NO_HEADER) else VCode.FILE_UNREADABLE
        out.append(_file_level(f.path, code, sheet=f.sheet, detail=f.reason))
    return out


def _desa_finding(s: SheetReport, regency: str | None) -> list[dict[str, Any]]:
    if s.desa_code is None:
        return [_file_level(s.path, VCode.DESA_UNKNOWN)]
    if regency and s.desa_code[:4] != regency:
        desa = desa_by_code(s.desa_code)
        detail = f"{desa.name if desa else s.desa_code}; kabupaten {regency}"
        return [_file_level(s.path, VCode.DESA_OUTSIDE_REGENCY, value=s.desa_code, detail=detail)]
    return []


_SKIPPED = re.compile(r"^sheet '(.*)' skipped: no recognisable header$")


def _sheet_findings(
    sheets: list[SheetReport], required: Sequence[str], regency: str | None
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for s in sheets:
        if s.path not in seen:  # the desa is decided once per file
            seen.add(s.path)
            out += _desa_finding(s, regency)
        # the loader notes sheets it skipped; one holding data may be a forgotten USULAN BARU sheet
        for note in s.notes:
            skipped = _SKIPPED.match(note)
            if skipped:
                out.append(_file_level(s.path, VCode.SHEET_WITHOUT_HEADER, sheet=skipped.group(1)))
        for wanted in required:
            if wanted == schema.STATUS and s.proposal:
                continue  # a list of proposals (USULAN BARU) needs no verval result: every row is new
            if wanted not in s.columns:
                example = SYNONYMS.get(wanted, (wanted,))[0].upper()
                detail = f"kolom {wanted} (mis. judul {example!r})"
                out.append(
                    _file_level(s.path, VCode.COLUMN_MISSING, sheet=s.sheet, header=wanted, detail=detail)
                )
    return out


def _columns_table(sheets: list[SheetReport]) -> pl.DataFrame:
    """(file, sheet, field) -> Excel column letter and the header as typed."""
    records = []
    for s in sheets:
        labels = {f: label for label, mapped in s.mapping.items() for f in target_fields(mapped)}
        for fld, letter in s.columns.items():
            header = (
                fld.removeprefix(schema.EXTRA_PREFIX)
                if fld.startswith(schema.EXTRA_PREFIX)
                else labels.get(fld)
            )
            records.append((s.path, s.sheet, fld, letter, header))
    return pl.DataFrame(
        records,
        schema={"file": pl.Utf8, "sheet": pl.Utf8, "field": pl.Utf8, "column": pl.Utf8, "header": pl.Utf8},
        orient="row",
    )


def _redetect_desa(batch: Ingested, regency: str) -> None:
    """Files whose desa was not found before the batch's regency was known: try again with it.

    Desa names resolve only within a regency; without one given, the loader could only use codes.
    """
    unknown = list(dict.fromkeys(s.path for s in batch.sheets if s.desa_code is None))
    found: dict[str, str] = {}
    for path in unknown:
        rows = batch.frame.filter(pl.col(schema.SOURCE_FILE) == path)
        guess = detect_desa(rows, Path(path), [], regency)
        if guess.code:
            found[path] = guess.code
            for s in batch.sheets:
                if s.path == path:
                    s.desa_code, s.desa_source = guess.code, guess.source
    if found:
        batch.frame = batch.frame.with_columns(
            pl.col(schema.SOURCE_FILE)
            .replace_strict(found, default=None, return_dtype=pl.Utf8)
            .fill_null(pl.col(schema.SOURCE_DESA_CODE))
            .alias(schema.SOURCE_DESA_CODE)
        )


def _majority_regency(sheets: list[SheetReport]) -> str | None:
    """The regency most files of the batch belong to (each file counted once)."""
    return majority_regency(list({s.path: s.desa_code for s in sheets if s.desa_code}.values()))


def _located(raw: pl.DataFrame, extra: list[dict[str, Any]], sheets: list[SheetReport]) -> pl.DataFrame:
    """Findings with their column letter and header; a cell finding on a column its sheet lacks is dropped."""
    cells = raw.rename({schema.SOURCE_FILE: "file", schema.SOURCE_SHEET: "sheet", schema.SOURCE_ROW: "row"})
    on_cells = cells.filter(pl.col("field").is_not_null()).join(
        _columns_table(sheets), on=["file", "sheet", "field"], how="inner", nulls_equal=True
    )
    no_cell = cells.filter(pl.col("field").is_null()).with_columns(
        pl.lit(None, pl.Utf8).alias("column"), pl.lit(None, pl.Utf8).alias("header")
    )
    located = {k: v for k, v in FINDING_SCHEMA.items() if k not in ("severity", "message_id", "message_en")}
    levels = pl.DataFrame(extra, schema=located) if extra else pl.DataFrame(schema=located)
    return pl.concat([frame.select(list(located)) for frame in (levels, no_cell, on_cells)])


def _finish(located: pl.DataFrame, sheets: list[SheetReport], order: list[str]) -> pl.DataFrame:
    """Severity and messages from the code table; sorted by file, sheet, row, then check order."""
    ranks = pl.DataFrame(
        {"file": [s.path for s in sheets], "sheet": [s.sheet for s in sheets], "_s": range(len(sheets))},
        schema={"file": pl.Utf8, "sheet": pl.Utf8, "_s": pl.Int64},
    )
    ranked = located.join(ranks, on=["file", "sheet"], how="left", nulls_equal=True).with_columns(
        *described(Command.VALIDATE),
        pl.col("file")
        .replace_strict({p: i for i, p in enumerate(order)}, default=len(order), return_dtype=pl.Int64)
        .alias("_f"),
        pl.col("code").replace_strict(_CODE_ORDER, return_dtype=pl.Int64).alias("_c"),
    )
    return ranked.sort("_f", "_s", "row", "_c", "column", nulls_last=False, maintain_order=True).select(
        list(FINDING_SCHEMA)
    )


def _statuses(findings: pl.DataFrame, order: list[str], sheets: list[SheetReport]) -> list[FileStatus]:
    rows = Counter[str]()
    desa: dict[str, str | None] = {}
    for s in sheets:
        rows[s.path] += s.data_rows
        desa.setdefault(s.path, s.desa_code)
    by_file: dict[str, Counter[str]] = {path: Counter() for path in order}
    severities: dict[str, Counter[str]] = {path: Counter() for path in order}
    for path, code, sev, n in findings.group_by("file", "code", "severity").len().iter_rows():
        by_file.setdefault(path, Counter())[code] += n
        severities.setdefault(path, Counter())[sev] += n
    out = []
    for path in by_file:
        sev = severities[path]
        errors, warnings = sev[Severity.ERROR.value], sev[Severity.WARNING.value]
        status = (
            UNREADABLE if by_file[path][VCode.FILE_UNREADABLE.value]
            else ERRORS if errors else WARNINGS if warnings else OK
        )  # fmt: skip
        code = desa.get(path)
        found = desa_by_code(code) if code else None
        codes = dict(sorted(by_file[path].items(), key=lambda kv: _CODE_ORDER[kv[0]]))
        out.append(
            FileStatus(path, status, rows[path], errors, warnings, code, found.name if found else None, codes)
        )
    return out


def validate_paths(
    paths: str | Path | Sequence[str | Path],
    config: Config | None = None,
    *,
    province: str | Path | Province | None = None,
    regency: str | None = None,
    sheet: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ValidationReport:
    """Check every file of a batch; nothing is skipped silently (an unreadable input is a finding).

    ``regency`` (``"33.04"``) decides "desa outside the regency"; without it: ``config.regency``,
    else the province list's regency, else the regency most files of the batch belong to.
    ``workers``: processes reading files (default: see :func:`verval_cli.ingest.load_files`).
    ``progress``: see :mod:`verval_cli.progress` (stages ``load`` with file counts, ``normalise``, then ``check``).
    """
    config = config or Config()
    found = find_inputs(paths)  # a missing path raises (a typo is a usage error, not a finding)
    given = [str(p) for p in found.files]
    if isinstance(province, str | Path):
        _refuse_province_among(province, given)
        province = ingest_province(province, config, regency=regency)
    wanted = regency or config.regency or (province.regency if province else None)
    wanted = plain_code(wanted)[:4] if wanted else None
    batch = ingest(
        paths, config, found=found, regency=wanted, sheet=sheet, progress=progress, workers=workers
    )
    if progress is not None:
        progress("check")
    failures = list(batch.failures)
    regency_used = wanted or _majority_regency(batch.sheets)
    if wanted is None and regency_used is not None:
        _redetect_desa(batch, regency_used)
    frame = prepared(batch.frame)
    raw = [row_findings(frame), duplicate_findings(frame)]
    if province is not None:
        files = pl.DataFrame(
            {
                schema.SOURCE_FILE: [s.path for s in batch.sheets],
                "desa_code": [s.desa_code for s in batch.sheets],
            },
            schema={schema.SOURCE_FILE: pl.Utf8, "desa_code": pl.Utf8},
        ).unique(schema.SOURCE_FILE, keep="first", maintain_order=True)
        raw.append(
            province_findings(batch, province, files, regency=regency_used, thresholds=config.matching)
        )
    extra = _failure_findings(failures) + _sheet_findings(batch.sheets, config.required, regency_used)
    order = list(dict.fromkeys([*given, *(f.path for f in failures)]))
    located = _located(pl.concat([pl.DataFrame(schema=RAW_SCHEMA), *raw]), extra, batch.sheets)
    findings = _finish(located, batch.sheets, order)
    return ValidationReport(
        findings=findings,
        files=_statuses(findings, order, batch.sheets),
        failures=failures,
        frame=frame,
        sheets=batch.sheets,
        regency=regency_used,
        notes=list(found.notes),
    )
