"""The bundled sample's findings counted by code (and its links by status and method), for a golden file.

Regenerate ``tests/golden/sample_findings.json`` after a change that is meant to move the counts, and
commit it with that change, saying why the counts moved:

    .venv/bin/python tests/sample_golden.py --write      # or: make golden

The test (tests/test_sample_golden.py) never writes the file: a count that changes turns it red.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import reconcile
from verval_cli.codes import CODES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
GOLDEN = Path(__file__).resolve().parent / "golden" / "sample_findings.json"


def sample_counts() -> dict[str, Any]:
    """Findings per code (every code, zero included) and links per status and method."""
    result = reconcile(SAMPLE / "province", [SAMPLE / "submissions"])
    found = dict(result.discrepancies.group_by("code").len().iter_rows())
    links = result.matches.group_by("match_status", "match_method").len()
    by_link = {
        f"{status}/{method}": n
        for status, method, n in links.sort("match_status", "match_method").iter_rows()
    }
    return {
        "command": "reconcile sample_data/province/ sample_data/submissions/",
        "findings_by_code": {code.value: int(found.get(code.value, 0)) for code in CODES},
        "unexpected_codes": sorted(set(found) - {code.value for code in CODES}),
        "links_by_status_and_method": by_link,
        "rows": int(result.matches.filter(pl.col("submission_row").is_not_null()).height),
        "households": int(result.province.height),
    }


def main(argv: list[str]) -> int:
    counts = json.dumps(sample_counts(), indent=2, ensure_ascii=False) + "\n"
    if "--write" in argv:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(counts, encoding="utf-8")
        sys.stdout.write(f"wrote {GOLDEN.relative_to(ROOT)}\n")
    else:
        sys.stdout.write(counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
