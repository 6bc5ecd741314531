"""One hand-built reconcile result for the report tests (main workbook, village workbooks, HTML page).

Four villages, each with a story:

* Kebanaran: a bit of everything (an Excel-damaged NIK with another name, a review with both sides
  equal, a proposed household with a formula-like name, an unknown status, a duplicated row, a
  household not reported);
* Glempang: sent nothing (two households not reported);
* Berta: clean (one household matched);
* Salamerta: a review whose name and birth date differ (NIKs equal, score and evidence set), a matched
  row whose NIK and name differ, a row with an invalid NIK that is not on the list.

The main workbook lists the rows in the order of ``LINKS`` and ``_findings``: Salamerta's review and
differing NIK come first, so the first data row of those sheets is theirs. The summary is the real
``build_summary`` of these frames.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli.codes import CODES, Code
from verval_cli.findings import FINDING_SCHEMA
from verval_cli.result import MATCH_COLUMNS, ReconcileResult
from verval_cli.summary import build_summary
from verval_cli.writers.outputs import write_json, write_parquet

KEBANARAN, GLEMPANG, BERTA, SALAMERTA = "3304032004", "3304032005", "3304012001", "3304032006"
FORMULA_NAME = '=HYPERLINK("http://x","klik")'
# province: p0..p8; village rows: s0..s8 (s5 duplicates s3 in the same file)
P_NIK = [f"33040315089500{i:02d}" for i in range(9)]
P_NAME = [
    "SOEPARNO BIN KARTO",
    "TUKIYEM",
    "SUPARNO",
    "KARSO",
    "WAGINEM",
    "SITI AMINAH",
    "SUGIYEM",
    "SUPARNO",  # Salamerta: reviewed against SUPARNA
    "KASMIRAH",  # Salamerta: matched, sent as KASMIRA with another NIK
]
P_DESA = [KEBANARAN, KEBANARAN, KEBANARAN, GLEMPANG, GLEMPANG, BERTA, KEBANARAN, SALAMERTA, SALAMERTA]
P_BIRTH = [dt.date(1950 + i, 1, 1 + i) for i in range(7)] + [dt.date(1970, 1, 1), dt.date(1965, 2, 4)]
S_FILE = ["kebanaran.xlsx"] * 4 + ["data/berta.csv", "kebanaran.xlsx"] + ["salamerta.xlsx"] * 3
S_SHEET = ["Sheet1", "Sheet1", "USULAN BARU", "Sheet1", None, "Sheet1", "Sheet1", "Sheet1", "Sheet1"]
S_ROW = [5, 6, 3, 8, 2, 9, 5, 6, 7]
CHANGED_NIK = "3304034402650104"  # Salamerta's KASMIRA: a valid NIK, not the listed one
S_NIK_RAW = [
    "3.30403E+15",
    P_NIK[1],
    "3304035506880099",
    P_NIK[6],
    P_NIK[5],
    P_NIK[6],
    P_NIK[7],
    CHANGED_NIK,
    "12345",
]
S_NIK_STATUS = ["excel_damaged"] + ["valid"] * 7 + ["invalid_format"]
S_NAME = [
    "SUPARNO BIN KARTO",
    "TUKIYEM",
    FORMULA_NAME,
    "SUGIYEM",
    "SITI AMINAH",
    "SUGIYEM",
    "SUPARNA",
    "KASMIRA",
    "-BUDI",
]
S_BIRTH = [None, dt.date(1951, 1, 3), None, None, None, None, dt.date(1970, 1, 2), None, None]
S_STATUS = ["found", "found", "new", "unknown", "found", "found", "found", "found", "found"]
S_STATUS_RAW = ["Ditemukan", "Ada", "Usulan Baru", "??", "Ada", "Ada", "Ada", "Sesuai", "Ada"]
S_DESA = [KEBANARAN] * 4 + [BERTA, KEBANARAN] + [SALAMERTA] * 3
REVIEW_EVIDENCE = "nik=exact name=0.80 dob=differs"
# (submission, province, match_status, role); Salamerta's review and changed NIK lead their sheets
LINKS = [
    (6, 7, "review", "primary"),
    (7, 8, "matched", "primary"),
    (0, 0, "matched", "primary"),
    (1, 1, "review", "primary"),
    (2, None, "submission_only", None),
    (3, 6, "matched", "primary"),
    (4, 5, "matched", "primary"),
    (5, 6, "matched", "secondary"),
    (None, 2, "province_only", None),
    (None, 3, "province_only", None),
    (None, 4, "province_only", None),
    (8, None, "submission_only", None),
]
# submission -> (match_score, match_evidence); other links score 0.0 without evidence
SCORES: dict[int, tuple[float, str | None]] = {6: (0.71, REVIEW_EVIDENCE), 7: (0.97, None)}
REJECTED_CONTENT = ["HASIL VERVAL DESA KEBANARAN", "Kepala Desa SUPARNO 3304031508950001"]


def _province() -> pl.DataFrame:
    n = len(P_NIK)
    return pl.DataFrame(
        {
            "source_file": ["daftar.xlsx"] * n,
            "source_row": [14 + i for i in range(n)],
            "household_id": [f"P3KE-{i:04d}" for i in range(n)],
            "nik_raw": P_NIK,
            "nik": P_NIK,
            "no_kk": [f"33040301012300{i:02d}" for i in range(n)],
            "name_raw": P_NAME,
            "name": P_NAME,
            "birth_date": P_BIRTH,
            "rt": pl.Series([1, 2, 3, 1, 2, 4, 5, 3, 6], dtype=pl.Int32),
            "rw": pl.Series([1, 1, 2, 1, 1, 3, 3, 2, 1], dtype=pl.Int32),
            "address": ["Dusun Krajan"] * n,
            "desa_code": P_DESA,
            "province_index": list(range(n)),
        }
    )


def _submissions() -> pl.DataFrame:
    n = len(S_FILE)
    return pl.DataFrame(
        {
            "source_file": S_FILE,
            "source_sheet": S_SHEET,
            "source_row": S_ROW,
            "nik_raw": S_NIK_RAW,
            "nik": [None if s != "valid" else v for s, v in zip(S_NIK_STATUS, S_NIK_RAW, strict=True)],
            "nik_status": S_NIK_STATUS,
            "no_kk_raw": ["3304030101230000"] + [None] * (n - 1),
            "no_kk_status": ["valid"] + ["missing"] * (n - 1),
            "name_raw": S_NAME,
            "name": S_NAME,
            "birth_date": S_BIRTH,
            "rt": pl.Series([1, 2, None, 5, 4, 5, 3, 6, 7], dtype=pl.Int32),
            "rw": pl.Series([1, 1, None, 3, 3, 3, 2, 1, 1], dtype=pl.Int32),
            "status_raw": S_STATUS_RAW,
            "status": S_STATUS,
            "desa_code": S_DESA,
            "submission_index": list(range(n)),
        }
    )


def _matches() -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    for sub, prov, status, role in LINKS:
        score, evidence = SCORES.get(sub, (0.0, None)) if sub is not None else (0.0, None)
        rows.append(
            {
                "submission_file": S_FILE[sub] if sub is not None else None,
                "submission_sheet": S_SHEET[sub] if sub is not None else None,
                "submission_row": S_ROW[sub] if sub is not None else None,
                "province_id": f"P3KE-{prov:04d}" if prov is not None else None,
                "province_row": 14 + prov if prov is not None else None,
                "desa_code": P_DESA[prov] if prov is not None else S_DESA[sub or 0],
                "match_status": status,
                "match_method": "none",
                "match_score": score,
                "status": S_STATUS[sub] if sub is not None else None,
                "discrepancies": [],
                "link_role": role,
                "match_evidence": evidence,
                "submission_index": sub,
                "province_index": prov,
            }
        )
    return pl.DataFrame(rows, schema=MATCH_COLUMNS, orient="row")


def _finding(code: Code, sub: int | None, prov: int | None, **values: str | None) -> dict[str, Any]:
    info = CODES[code]
    return {
        "code": code.value,
        "severity": info.severity.value,
        "submission_file": S_FILE[sub] if sub is not None else None,
        "submission_sheet": S_SHEET[sub] if sub is not None else None,
        "submission_row": S_ROW[sub] if sub is not None else None,
        "province_id": f"P3KE-{prov:04d}" if prov is not None else None,
        "province_row": 14 + prov if prov is not None else None,
        "desa_code": P_DESA[prov] if prov is not None else S_DESA[sub or 0],
        "field": values.get("field"),
        "submitted_value": values.get("submitted"),
        "list_value": values.get("listed"),
        "suggested_value": values.get("suggested"),
        "message_id": info.message_id,
        "message_en": info.message_en,
    }


def _findings() -> pl.DataFrame:
    rows = [
        _finding(
            Code.NIK_DIFFERS, 7, 8, field="nik", submitted=CHANGED_NIK, listed=P_NIK[8], suggested=P_NIK[8]
        ),
        _finding(Code.NAME_DIFFERS, 7, 8, field="name", submitted=S_NAME[7], listed=P_NAME[8]),
        _finding(Code.REVIEW_NEEDED, 6, 7, listed=REVIEW_EVIDENCE),
        _finding(Code.NIK_EXCEL_DAMAGED, 0, 0, field="nik", submitted=S_NIK_RAW[0], suggested=P_NIK[0]),
        _finding(Code.NAME_DIFFERS, 0, 0, field="name", submitted=S_NAME[0], listed=P_NAME[0]),
        _finding(Code.REVIEW_NEEDED, 1, 1),
        _finding(Code.NEW_HOUSEHOLD, 2, None),
        _finding(Code.STATUS_UNKNOWN, 3, 6, field="status", submitted="??"),
        _finding(Code.DUPLICATE_IN_SUBMISSION, 5, 6, listed="baris 8"),
        *[_finding(Code.MISSING_FROM_SUBMISSION, None, p, listed=P_NAME[p]) for p in (2, 3, 4)],
        _finding(Code.NIK_INVALID, 8, None, field="nik", submitted=S_NIK_RAW[8]),
        _finding(Code.NOT_ON_LIST, 8, None),
    ]
    return pl.DataFrame(rows, schema=FINDING_SCHEMA, orient="row")


def _rejected() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source_file": ["kebanaran.xlsx", "kebanaran.xlsx"],
            "source_sheet": ["Sheet1", "Sheet1"],
            "source_row": [1, 12],
            "reason": ["title", "signature"],
            "content": REJECTED_CONTENT,
        }
    )


def synthetic_result() -> ReconcileResult:
    """The four villages above, with one failed file whose name is markup."""
    matches, province, submissions, findings = _matches(), _province(), _submissions(), _findings()
    rejected = _rejected()
    summary = build_summary(
        matches=matches,
        households=province,
        rows=submissions,
        findings=findings,
        rejected=rejected,
        failures=[],
        regency="3304",
    )
    summary["failures"] = [{"file": "x/<img onerror=1>.xlsx", "sheet": None, "reason": "encrypted"}]
    return ReconcileResult(matches, province, submissions, findings, rejected, summary)


def write_output_folder(result: ReconcileResult, folder: Path) -> Path:
    """The files `verval reconcile` writes that `verval report` reads."""
    for name in ("matches", "province", "submissions", "discrepancies", "rejected"):
        write_parquet(getattr(result, name), folder / f"{name}.parquet")
    write_json(result.summary, folder / "summary.json")
    return folder
