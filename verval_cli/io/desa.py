"""Which desa a submission belongs to: from a region-code or desa column, the file name, or the title."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import polars as pl

from verval_cli import schema
from verval_cli.regions import (
    code_digits,
    desa_by_code,
    plain_code,
    regency_code,
    regency_in_text,
    region_name,
    resolve_desa,
)

COLUMN: Final = "column"
FILE_NAME: Final = "file name"
TITLE_BLOCK: Final = "title block"

_CODE_IN_TEXT = re.compile(r"(?<!\d)(\d{2})[.\s]?(\d{2})[.\s]?(\d{2})[.\s]?(\d{4})(?!\d)")
# Words of file names and titles that name no place; removed before resolving the rest as a desa name.
_NOISE = re.compile(
    r"(?i)\b(HASIL|VERVAL|VERIFIKASI|VALIDASI|DAN|DATA|REKAP|REKAPITULASI|USULAN|BARU|P3KE|DTKS|DTSEN|FINAL"
    r"|REVISI|FIX|KEMISKINAN|EKSTREM|EKSTRIM|PRIORITAS|SASARAN|DAFTAR|KELUARGA|TAHUN|COPY|OF|SALINAN"
    r"|PENSASARAN|PERCEPATAN|PENGHAPUSAN|FORM|FORMULIR|LAMPIRAN|KK|\d+)\b"
)
_DESA_WORD = re.compile(r"(?i)\b(DESA|KELURAHAN|KEL|DS)\b")
_PROPOSAL_WORD = re.compile(r"(?i)(?<![A-Z])USULAN(?![A-Z])")


@dataclass(frozen=True)
class DesaGuess:
    """The file-level desa and where it came from."""

    code: str | None
    source: str | None
    regency: str | None  # the regency used or inferred (4 digits), or None
    note: str | None = None


@dataclass(frozen=True)
class DesaEvidence:
    """What a file's rows say about its desa: 10-digit region codes and desa (+ kecamatan) names, counted."""

    codes: Mapping[str, int]
    names: Sequence[tuple[str, int]]  # "desa kecamatan" text, rows; in sorted order
    regency_names: Mapping[str, int] = field(default_factory=dict)  # the regency column's values, rows
    nik_regencies: Mapping[str, int] = field(default_factory=dict)  # 4-digit prefix of 16-digit NIKs, rows


def _majority(counts: Mapping[str, int]) -> str | None:
    """The most common value when it covers more than half of the values."""
    total = sum(counts.values())
    if not total:
        return None
    value, count = Counter(counts).most_common(1)[0]
    return value if count * 2 > total else None


def _by_prefix(codes: Mapping[str, int], width: int) -> dict[str, int]:
    out: Counter[str] = Counter()
    for code, n in codes.items():
        out[code[:width]] += n
    return dict(out)


_KEY: Final = "__evidence_key"


def desa_evidence_by(frame: pl.DataFrame, key: str | None = None) -> dict[Any, DesaEvidence]:
    """DesaEvidence of the rows of ``frame``, one per value of column ``key`` (all rows when None)."""
    frame = frame.with_columns(pl.lit(0).alias(_KEY)) if key is None else frame.rename({key: _KEY})
    codes: dict[Any, dict[str, int]] = {}
    if schema.REGION_CODE in frame.columns:
        counted = (
            frame.select(_KEY, code_digits(pl.col(schema.REGION_CODE)).alias("d"))
            .filter(pl.col("d").str.len_bytes() == 10)
            .group_by(_KEY, "d")
            .len()
            .sort(_KEY, "d")
        )
        for k, d, n in counted.iter_rows():
            codes.setdefault(k, {})[d] = n
    names: dict[Any, list[tuple[str, int]]] = {}
    if schema.DESA in frame.columns:
        keys = [schema.DESA] + ([schema.KECAMATAN] if schema.KECAMATAN in frame.columns else [])
        undecided = frame.filter(~pl.col(_KEY).is_in(list(codes)))  # codes decide where there are any
        counted = undecided.group_by(_KEY, *keys).len().drop_nulls(schema.DESA).sort(_KEY, *keys)
        for row in counted.iter_rows(named=True):
            text = " ".join(str(row[k]) for k in keys if row.get(k))
            names.setdefault(row[_KEY], []).append((text, row["len"]))
    # The regency is looked for only where no region code decides (a province list with codes skips this).
    without_codes = frame.filter(~pl.col(_KEY).is_in(list(codes))) if codes else frame
    regencies = _counted(
        without_codes, schema.REGENCY, pl.col(schema.REGENCY).cast(pl.Utf8).str.strip_chars()
    )
    nik_digits = pl.col(schema.NIK).cast(pl.Utf8).str.replace_all(r"\D", "")
    niks = _counted(
        without_codes, schema.NIK, pl.when(nik_digits.str.len_bytes() == 16).then(nik_digits.str.slice(0, 4))
    )
    found = frame.select(pl.col(_KEY).unique())[_KEY].to_list() if key is not None else [0]
    return {
        k: DesaEvidence(codes.get(k, {}), names.get(k, []), regencies.get(k, {}), niks.get(k, {}))
        for k in found
    }


def _counted(frame: pl.DataFrame, column: str, value: pl.Expr) -> dict[Any, dict[str, int]]:
    """Per key, how many rows hold each value of ``value`` (nulls left out); empty without ``column``."""
    if column not in frame.columns:
        return {}
    out: dict[Any, dict[str, int]] = {}
    counted = frame.select(_KEY, value.alias("v")).drop_nulls("v").group_by(_KEY, "v").len().sort(_KEY, "v")
    for k, v, n in counted.iter_rows():
        out.setdefault(k, {})[str(v)] = n
    return out


def infer_file_regency(evidence: DesaEvidence, title_lines: Sequence[str]) -> str | None:
    """A file's regency without configuration: its regency column, a "Kab : Banjarnegara" title line, or
    the region most valid NIKs were issued in (only with a clear majority, as NIKs travel with people)."""
    named: Counter[str] = Counter()
    for text, n in evidence.regency_names.items():
        code = regency_code(text)
        if code:
            named[code] += n
    from_column = _majority(named)
    if from_column:
        return from_column
    from_title = next((c for c in map(regency_in_text, title_lines) if c), None)
    if from_title:
        return from_title
    prefixes = {p: n for p, n in evidence.nik_regencies.items() if region_name(p)}
    total = sum(prefixes.values())
    best = Counter(prefixes).most_common(1)
    # a clear majority: at least two thirds of the valid prefixes, and more than a couple of rows
    return best[0][0] if best and total >= 3 and best[0][1] * 3 >= total * 2 else None


def says_proposal(texts: Sequence[str | None]) -> bool:
    """Whether a file name, sheet name or title line says the rows are proposals ("USULAN BARU")."""
    return any(_PROPOSAL_WORD.search(t) for t in texts if t)


def _code_in_text(text: str) -> str | None:
    for match in _CODE_IN_TEXT.finditer(text):
        code = "".join(match.groups())
        if desa_by_code(code) is not None:
            return code
    return None


def _resolve_text(text: str, regency: str) -> str | None:
    cleaned = " ".join(_NOISE.sub(" ", re.sub(r"[_\-.,()]+", " ", text)).split())
    if not cleaned:
        return None
    found = resolve_desa(cleaned, regency)
    return found.code if found else None


def _from_desa_names(names: Sequence[tuple[str, int]], regency: str) -> str | None:
    resolved: Counter[str] = Counter()
    total = 0
    for text, n in names:
        desa = resolve_desa(text, regency)
        total += n
        if desa is not None:
            resolved[desa.code] += n
    if not resolved:
        return None
    best, count = resolved.most_common(1)[0]
    return best if count * 2 > total else None


def detect_desa(
    frame: pl.DataFrame, path: Path, title_lines: Sequence[str], regency: str | None
) -> DesaGuess:
    """The desa a file belongs to, trying the columns first, then the file name, then the title block.

    Without ``regency`` the file's own regency is inferred (codes, regency column, title, NIKs).
    """
    return decide_desa(desa_evidence_by(frame)[0], path, title_lines, regency)


def decide_desa(
    evidence: DesaEvidence, path: Path, title_lines: Sequence[str], regency: str | None
) -> DesaGuess:
    """detect_desa from the rows' evidence already counted (one group_by serves a batch of files)."""
    codes = evidence.codes

    def codes_in_text() -> tuple[str | None, str | None]:  # looked up only when the rows do not decide
        return _code_in_text(path.stem), next((c for c in map(_code_in_text, title_lines) if c), None)

    if regency is None:
        regency = _majority(_by_prefix(codes, 4)) or "".join(c or "" for c in codes_in_text())[:4] or None
    if regency is None:
        regency = infer_file_regency(evidence, title_lines)
    regency = plain_code(regency)[:4] if regency else None
    if codes:
        majority = _majority(codes)
        if majority:
            return DesaGuess(majority, COLUMN, regency)
        return DesaGuess(None, None, regency, f"region codes span {len(codes)} desa; no file-level desa")
    if regency:
        from_column = _from_desa_names(evidence.names, regency)
        if from_column:
            return DesaGuess(from_column, COLUMN, regency)
    name_code, title_code = codes_in_text()
    if name_code:
        return DesaGuess(name_code, FILE_NAME, regency)
    if title_code:
        return DesaGuess(title_code, TITLE_BLOCK, regency)
    if regency is None:
        return DesaGuess(None, None, None, "desa not resolved: no regency given or found (set regency)")
    from_name = _resolve_text(path.stem, regency)
    if from_name:
        return DesaGuess(from_name, FILE_NAME, regency)
    # Only lines naming a desa: "KABUPATEN BANJARNEGARA" alone would fuzzily match Kutabanjarnegara.
    for line in (t for t in title_lines if _DESA_WORD.search(t)):
        from_title = _resolve_text(line, regency)
        if from_title:
            return DesaGuess(from_title, TITLE_BLOCK, regency)
    return DesaGuess(None, None, regency)
