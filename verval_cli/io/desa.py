"""Which desa a submission belongs to: from a region-code or desa column, the file name, or the title."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from verval_cli import schema
from verval_cli.regions import desa_by_code, plain_code, resolve_desa

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


@dataclass(frozen=True)
class DesaGuess:
    """The file-level desa and where it came from."""

    code: str | None
    source: str | None
    regency: str | None  # the regency used or inferred (4 digits), or None
    note: str | None = None


def _majority(values: Sequence[str]) -> str | None:
    """The most common value when it covers more than half of the values."""
    if not values:
        return None
    value, count = Counter(values).most_common(1)[0]
    return value if count * 2 > len(values) else None


def _codes(frame: pl.DataFrame) -> list[str]:
    if schema.REGION_CODE not in frame.columns:
        return []
    digits = frame.select(pl.col(schema.REGION_CODE).str.replace_all(r"[^0-9]", "").alias("d"))["d"]
    return [d for d in digits.to_list() if d and len(d) == 10]


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


def _from_desa_column(frame: pl.DataFrame, regency: str) -> str | None:
    if schema.DESA not in frame.columns:
        return None
    keys = [schema.DESA] + ([schema.KECAMATAN] if schema.KECAMATAN in frame.columns else [])
    counts = frame.group_by(keys).len().drop_nulls(schema.DESA).sort(keys)
    resolved: Counter[str] = Counter()
    total = 0
    for row in counts.iter_rows(named=True):
        text = " ".join(str(row[k]) for k in keys if row.get(k))
        desa = resolve_desa(text, regency)
        total += row["len"]
        if desa is not None:
            resolved[desa.code] += row["len"]
    if not resolved:
        return None
    best, count = resolved.most_common(1)[0]
    return best if count * 2 > total else None


def detect_desa(
    frame: pl.DataFrame, path: Path, title_lines: Sequence[str], regency: str | None
) -> DesaGuess:
    """The desa a file belongs to, trying the columns first, then the file name, then the title block."""
    codes = _codes(frame)
    name_code = _code_in_text(path.stem)
    title_code = next((c for c in (_code_in_text(t) for t in title_lines) if c), None)
    if regency is None:
        inferred = _majority([c[:4] for c in codes]) or (name_code or title_code or "")[:4] or None
        regency = inferred
    regency = plain_code(regency)[:4] if regency else None
    if codes:
        majority = _majority(codes)
        if majority:
            return DesaGuess(majority, COLUMN, regency)
        return DesaGuess(None, None, regency, f"region codes span {len(set(codes))} desa; no file-level desa")
    if regency:
        from_column = _from_desa_column(frame, regency)
        if from_column:
            return DesaGuess(from_column, COLUMN, regency)
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
