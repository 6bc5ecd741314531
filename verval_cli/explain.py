"""Why a submission row linked where it did, went to review, or linked nowhere: ``verval explain``.

The explanation is re-derived, not stored: the run's own cleaned tables (``submissions.parquet``,
``province.parquet``: the frames the linker saw) are given to the matching library's candidate and
scoring functions for the rows asked about, and the assignment rules (accept and review thresholds,
the rival margin, a household owned by a heavier row) are replayed on those candidates, with the
owners of the households as ``matches.parquet`` records them. The derived link, score, method and
evidence must equal what the run recorded; if they do not (another verval version, another
``--config``, edited tables) :class:`ExplainError` says so instead of explaining something else.

>>> tables = tables_of(load_result(Path("hasil")))           # doctest: +SKIP
>>> why = explain_row(tables, "PAGAK.csv", 7)                # doctest: +SKIP
>>> why.reason, why.candidates[0].score                      # doctest: +SKIP
('clear', 99.9)
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from verval_cli import schema as s
from verval_cli._version import __version__
from verval_cli.config import MatchingConfig
from verval_cli.decisions import DECISION_LABELS
from verval_cli.explain_replay import REASON_SCHEMA, replay, review_reasons
from verval_cli.explain_types import (
    H_IDX,
    REASONS,
    S_IDX,
    Candidate,
    ExplainError,
    Explanation,
    Level,
    Owner,
    Tables,
)
from verval_cli.marks import KEY_VERSION
from verval_cli.matching import prepare_province, rules, with_name_frequency
from verval_cli.messages import text
from verval_cli.result import (
    MATCHES_FILE,
    PROVINCE_FILE,
    SUBMISSIONS_FILE,
    ReconcileResult,
)

__all__ = [
    "REASONS",
    "REASON_SCHEMA",
    "Candidate",
    "ExplainError",
    "Explanation",
    "Level",
    "Owner",
    "Tables",
    "check_version",
    "explain_row",
    "explain_rows",
    "find_row",
    "place",
    "review_reasons",
    "tables_of",
    "why",
]


def _refuse_masked(frame: pl.DataFrame, name: str) -> None:
    for column in ("nik", "no_kk"):
        if column in frame.columns and frame[column].str.contains(r"\*", literal=False).any():
            raise ExplainError(
                f"{name}: NIKs are masked (the run used --mask-nik): explain needs a run written without it"
            )


def tables_of(result: ReconcileResult) -> Tables:
    """The linker's tables from a reconcile result (in memory, or read back from its folder)."""
    province, submissions = result.province, result.submissions
    _refuse_masked(province, PROVINCE_FILE)
    _refuse_masked(submissions, SUBMISSIONS_FILE)
    if "member_count" in province.columns and (province["member_count"].fill_null(1) > 1).any():
        raise ExplainError(
            f"{PROVINCE_FILE}: the list was individual-level and keeps the heads only: "
            "explain needs the family members, which the run does not write"
        )
    households, persons = prepare_province(province.drop("province_index"))
    if not province["province_index"].equals(households[H_IDX].cast(province["province_index"].dtype)):
        raise ExplainError(f"{PROVINCE_FILE}: province_index is not 0, 1, 2, ... in list order")
    rows = submissions.rename({"submission_index": S_IDX})
    return Tables(rows, households, with_name_frequency(persons), result.matches)


def check_version(out_dir: Path) -> None:
    """Refuse a folder whose matches.parquet another verval version wrote (its scores may differ)."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(Path(out_dir) / MATCHES_FILE).metadata or {}
    except OSError as exc:
        raise ExplainError(f"{Path(out_dir) / MATCHES_FILE}: cannot read ({type(exc).__name__})") from exc
    version = metadata.get(KEY_VERSION.encode(), b"").decode()
    if version != __version__:
        raise ExplainError(
            f"{out_dir}: written by verval {version or 'unknown'}, this is verval {__version__}: "
            "reconcile again to explain"
        )


def find_row(tables: Tables, file: str, row: int, sheet: str | None = None) -> int:
    """The ``s_idx`` of ``file`` (as recorded, or its name alone) at Excel row ``row`` (and ``sheet``)."""
    rows = tables.rows
    files = rows[s.SOURCE_FILE].unique(maintain_order=True).to_list()
    wanted = [f for f in files if f == file] or [f for f in files if Path(f).name == Path(file).name]
    if not wanted:
        near = difflib.get_close_matches(Path(file).name, [Path(f).name for f in files], n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise ExplainError(f"{file}: not a submission file of this run{hint}")
    if len(wanted) > 1:
        raise ExplainError(f"{file}: several files of this run have that name: {', '.join(wanted)}")
    in_file = rows.filter(pl.col(s.SOURCE_FILE) == wanted[0])
    if sheet is not None:
        sheets = in_file[s.SOURCE_SHEET].unique(maintain_order=True).drop_nulls().to_list()
        in_file = in_file.filter(pl.col(s.SOURCE_SHEET) == sheet)
        if in_file.height == 0:
            raise ExplainError(f"{wanted[0]} [sheet {sheet}]: no such sheet; sheets: {', '.join(sheets)}")
    found = in_file.filter(pl.col(s.SOURCE_ROW) == row)
    if found.height == 0:
        low, high = in_file[s.SOURCE_ROW].min(), in_file[s.SOURCE_ROW].max()
        raise ExplainError(
            f"{wanted[0]} row {row}: not a data row of the run (data rows {low!s}-{high!s}; "
            "layout rows are in rejected.parquet)"
        )
    if found.height > 1:
        named = ", ".join(str(x) for x in found[s.SOURCE_SHEET].to_list())
        raise ExplainError(f"{wanted[0]} row {row}: on several sheets ({named}); choose one with --sheet")
    return int(found[S_IDX].item())


def explain_row(
    tables: Tables, file: str, row: int, sheet: str | None = None, thresholds: MatchingConfig | None = None
) -> Explanation:
    """Explain one submission row (see the module docstring)."""
    index = find_row(tables, file, row, sheet)
    return explain_rows(tables, [index], thresholds or MatchingConfig())[index]


def explain_rows(
    tables: Tables, indices: Sequence[int], thresholds: MatchingConfig
) -> dict[int, Explanation]:
    """Explain several rows at once (their candidates are found and scored together)."""
    return replay(tables, list(dict.fromkeys(int(i) for i in indices)), thresholds)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def place(file: str | None, sheet: str | None, row: int | None, lang: str) -> str:
    """``desa.xlsx [sheet Sheet1] baris 7`` in the run's language."""
    shown = text("exp_sheet", lang, sheet=sheet) if sheet else ""
    name = Path(file).name if file else "" if file == "" else "?"
    return text("exp_row", lang, file=name, sheet=shown, row=row).strip()


def why(explanation: Explanation, lang: str = "id") -> str:
    """One sentence, for an officer, on why the row ended as it did."""
    e, chosen, rival = explanation, explanation.chosen, explanation.rival
    values: dict[str, Any] = {
        "accept": _num(e.accept),
        "review": _num(e.review),
        "margin": _num(e.margin),
        "score": _num(chosen.score if chosen else None),
        "row": chosen.province_row if chosen else None,
        "gap": f"{e.details.get('gap', 0.0):.2f}",
        "rival_row": rival.province_row if rival else None,
        "rival_score": _num(rival.score if rival else None),
    }
    if e.reason == "taken" and chosen is not None and chosen.owner is not None:
        o = chosen.owner
        values.update(
            owner=place(o.file, o.sheet, o.row, lang),
            owner_weight=f"{o.weight:.2f}",
            weight=f"{chosen.weight:.2f}",
        )
    elif e.reason == "taken":
        values.update(owner="?", owner_weight="?", weight="?")
    if e.reason == "member":
        head = e.details.get("head") or {}
        values["head"] = place(head.get("file"), head.get("sheet"), head.get("row"), lang)
    if e.reason == "below_review":
        best = next((c for c in e.candidates if c.considered), None)
        values.update(row=best.province_row if best else None, score=_num(best.score if best else None))
    if e.reason == "decision":
        values.update(_decision_values(e, lang))
    if e.reason == "low_score" and rival is not None:  # name the next household too, as the sheets do
        sentence = text("exp_sheet_low_score_rival", lang, **values)
    else:
        sentence = text(f"exp_why_{e.reason}", lang, **values)
    return " ".join([sentence, *_how(chosen, lang)])


def _how(chosen: Candidate | None, lang: str) -> list[str]:
    """Sentences on how the linked household was found: the regency-wide search, a member's NIK."""
    if chosen is None:
        return []
    found = []
    if chosen.stage == "wide":
        found.append(text("exp_how_wide", lang, desa=chosen.desa_code or "?"))
    nik = next((lv.level for lv in chosen.levels if lv.comparison == "nik"), None)
    if nik in (rules.MEMBER, rules.FAMILY):
        found.append(text("exp_how_member_nik", lang))
    return found


def _decision_values(e: Explanation, lang: str) -> dict[str, str]:
    """The decision (its dropdown label), the household it names, its note, and the matcher's own outcome."""
    decided = e.details.get("decision") or {}
    matcher = e.details.get("matcher") or {}
    code = decided.get("decision")
    target, note = decided.get("decision_province_id"), decided.get("decision_note")
    own = next((c for c in e.candidates if c.province_index == matcher.get("province_index")), None)
    return {
        "decision": DECISION_LABELS.get(lang, DECISION_LABELS["en"]).get(str(code), str(code)),
        "target": text("exp_decision_target", lang, id=target) if target else "",
        "note": text("exp_decision_note", lang, note=note) if note else "",
        "matcher": text("exp_matcher_row", lang, row=own.province_row, score=_num(own.score))
        if own is not None
        else text("exp_matcher_none", lang),
    }
