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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import polars as pl

from verval_cli import schema as s
from verval_cli._version import __version__
from verval_cli.config import MatchingConfig
from verval_cli.errors import VervalError
from verval_cli.marks import KEY_VERSION
from verval_cli.matching import _with_name_frequency, prepare_province
from verval_cli.matching.candidates import DESA_CANDIDATE_COLUMNS, desa_candidates, exact_candidates
from verval_cli.matching.rules import AMBIGUITY_MARGIN
from verval_cli.matching.score import attach_sides, compare, comparison_names, evidence_text, weigh
from verval_cli.messages import text
from verval_cli.result import (
    MATCHES_FILE,
    PROVINCE_FILE,
    REVIEW_REASON_COLUMNS,
    SUBMISSIONS_FILE,
    ReconcileResult,
)

S_IDX, T_IDX, H_IDX = s.S_IDX, s.T_IDX, s.H_IDX
MATCHED: Final = "matched"
REVIEW: Final = "review"
UNLINKED: Final = "submission_only"
# Reasons, each a sentence in messages.py (explain_why_<reason>).
REASONS: Final = (
    "clear",  # matched: score >= accept, no other household near
    "clear_of_rival",  # matched: score >= accept, the second household far enough behind
    "rival",  # review: a second household within the margin
    "low_score",  # review: score between the review and accept thresholds
    "taken",  # secondary: the household is the primary link of a heavier row
    "member",  # linked through the head of the family's row
    "below_review",  # unlinked: the best candidate stays under the review threshold
    "no_candidates",  # unlinked: nothing shares a key, no similar name in the desa
    "no_desa",  # unlinked: no key shared and no desa to compare names within
)


class ExplainError(VervalError):
    """The row cannot be explained: not in the run, or the run's tables cannot be replayed."""


@dataclass(frozen=True)
class Level:
    """One comparison of a candidate pair: the level it fell into and the weight that counted."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class Owner:
    """The row whose primary link is this household (when it is not the row explained)."""

    file: str | None
    sheet: str | None
    row: int | None
    weight: float  # that row's weight for this household
    score: float


@dataclass(frozen=True)
class Candidate:
    """A listed household the row was compared with, through its best-fitting person."""

    province_index: int
    province_row: int | None
    province_id: str | None
    desa_code: str | None
    name: str | None
    nik: str | None
    levels: tuple[Level, ...]
    weight: float  # log2 units, after the policy's special rules
    score: float  # 0-100
    method: str
    stage: str  # "exact" (a shared id, NIK or No KK) or "desa" (a similar name or NIK in the desa)
    considered: bool  # False: a desa candidate of a row the exact stage already linked
    owner: Owner | None
    chosen: bool


@dataclass(frozen=True)
class Explanation:
    """One row, the candidates it was compared with (best first), and why it ended as it did."""

    submission_index: int
    file: str
    sheet: str | None
    row: int
    name: str | None
    nik: str | None
    desa_code: str | None
    match_status: str
    link_role: str | None
    match_method: str
    match_score: float
    province_index: int | None
    reason: str
    candidates: tuple[Candidate, ...]
    accept: float
    review: float
    margin: float = AMBIGUITY_MARGIN
    rival: Candidate | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def chosen(self) -> Candidate | None:
        """The candidate the row links to (None when unlinked or linked as a family member)."""
        return next((c for c in self.candidates if c.chosen), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the ``--json`` output; keys documented in the README)."""
        data = asdict(self)
        data["candidates"] = [asdict(c) for c in self.candidates]
        return data


@dataclass
class Tables:
    """A run's tables as the linker read them: rows (``s_idx``), households (``h_idx``), persons (``t_idx``)."""

    rows: pl.DataFrame
    households: pl.DataFrame
    persons: pl.DataFrame
    matches: pl.DataFrame


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
    return Tables(rows, households, _with_name_frequency(persons), result.matches)


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
    wanted = list(dict.fromkeys(int(i) for i in indices))
    pairs = candidate_pairs(tables, wanted)
    owners = _owners(tables, pairs)
    return {i: _explain_one(tables, i, pairs, owners, thresholds) for i in wanted}


def _scored(pairs: pl.DataFrame, tables: Tables) -> pl.DataFrame:
    """Pairs with every comparison's level and weight, ``weight``, ``score``, ``method`` and ``evidence``."""
    if pairs.height == 0:
        pairs = pl.DataFrame(schema={S_IDX: pl.Int64, T_IDX: pl.Int64})
    scored = weigh(compare(attach_sides(pairs, tables.rows, tables.persons, tables.households)))
    levels = [f"{c}_{part}" for c in comparison_names() for part in ("level", "weight")]
    return scored.select(
        S_IDX, T_IDX, H_IDX, *levels, "weight", "score", "method", evidence_text(scored).alias("evidence")
    )


def candidate_pairs(tables: Tables, indices: list[int]) -> pl.DataFrame:
    """The rows' scored candidates with ``stage``: exact keys first, then names and NIKs in the desa."""
    target = tables.rows.filter(pl.col(S_IDX).is_in(indices))
    exact = exact_candidates(target, tables.persons, tables.households)
    fuzzy = desa_candidates(target.select(DESA_CANDIDATE_COLUMNS), tables.persons, tables.households)
    fuzzy = fuzzy.join(exact, on=[S_IDX, T_IDX], how="anti")
    return pl.concat(
        [
            _scored(exact, tables).with_columns(pl.lit("exact").alias("stage")),
            _scored(fuzzy, tables).with_columns(pl.lit("desa").alias("stage")),
        ]
    )


def owner_weights(tables: Tables, wanted: pl.DataFrame) -> pl.DataFrame:
    """(owner ``s_idx``, ``h_idx``, ``weight``, ``score``) for (owner, household) pairs: best person each."""
    pairs = wanted.join(tables.persons.select(H_IDX, T_IDX), on=H_IDX).select(
        pl.col(S_IDX).cast(pl.Int64), pl.col(T_IDX).cast(pl.Int64)
    )
    scored = _scored(pairs.unique(), tables)
    return (
        scored.sort([S_IDX, H_IDX, "weight", T_IDX], descending=[False, False, True, False])
        .unique(subset=[S_IDX, H_IDX], keep="first", maintain_order=True)
        .select(S_IDX, H_IDX, "weight", "score")
    )


def _owners(tables: Tables, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each candidate household's primary row as the run recorded it, with that row's weight for it."""
    m = tables.matches
    primary = m.filter((pl.col("link_role") == s.PRIMARY) & pl.col("submission_index").is_not_null()).select(
        pl.col("submission_index").cast(pl.Int64).alias("owner"),
        pl.col("province_index").cast(pl.Int64).alias(H_IDX),
    )
    owned = pairs.select(pl.col(H_IDX).cast(pl.Int64)).unique().join(primary, on=H_IDX)
    weights = owner_weights(tables, owned.select(pl.col("owner").alias(S_IDX), H_IDX))
    where = tables.rows.select(
        pl.col(S_IDX).cast(pl.Int64).alias("owner"), s.SOURCE_FILE, s.SOURCE_SHEET, s.SOURCE_ROW
    )
    return (
        owned.join(
            weights.rename({S_IDX: "owner", "weight": "owner_weight", "score": "owner_score"}),
            on=["owner", H_IDX],
            how="left",
        )
        .join(where, on="owner", how="left")
        .with_columns(pl.col(H_IDX).cast(pl.Int64))
    )


def _best_per_household(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(["weight", T_IDX], descending=[True, False]).unique(
        subset=[H_IDX], keep="first", maintain_order=True
    )


def _first(frame: pl.DataFrame) -> dict[str, Any] | None:
    """The heaviest pair (ties: the lower h_idx, as the greedy assignment breaks them)."""
    if frame.height == 0:
        return None
    return frame.sort(["weight", H_IDX], descending=[True, False]).row(0, named=True)


def _outcome(
    index: int, mine: pl.DataFrame, th: MatchingConfig
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str, str | None]:
    """(chosen pair, rival pair, match_status, role) replaying matching.assign for one row."""
    available = pl.col("owner").is_null() | (pl.col("owner") == index)
    pool = _best_per_household(mine.filter(pl.col("considered") & (pl.col("score") >= th.review)))
    chosen = _first(pool.filter(available))
    if chosen is not None:
        rivals = pool.filter(
            (pl.col(H_IDX) != chosen[H_IDX])
            & (pl.col("owner_weight").is_null() | (pl.col("owner_weight") <= pl.col("weight")))
        )
        rival = _first(rivals)
        clear = rival is None or chosen["weight"] - rival["weight"] >= AMBIGUITY_MARGIN
        accepted = chosen["score"] >= th.accept and clear
        return chosen, rival, MATCHED if accepted else REVIEW, s.PRIMARY
    chosen = _first(pool)
    if chosen is not None:
        return chosen, None, MATCHED if chosen["score"] >= th.accept else REVIEW, s.SECONDARY
    return None, None, UNLINKED, None


def _with_considered(index: int, mine: pl.DataFrame, th: MatchingConfig) -> pl.DataFrame:
    """Desa candidates count only for a row the exact stage left open (see matching.link)."""
    available = pl.col("owner").is_null() | (pl.col("owner") == index)
    exact_link = mine.filter((pl.col("stage") == "exact") & (pl.col("score") >= th.review) & available)
    return mine.with_columns(((pl.col("stage") == "exact") | (exact_link.height == 0)).alias("considered"))


def _reason(
    chosen: dict[str, Any] | None,
    rival: dict[str, Any] | None,
    status: str,
    role: str | None,
    row: dict[str, Any],
) -> str:
    if role == s.PRIMARY:
        if status == MATCHED:
            return "clear" if rival is None else "clear_of_rival"
        return "low_score" if chosen is not None and chosen["score"] < row["_accept"] else "rival"
    if role == s.SECONDARY:
        return "taken"
    if row["_considered"]:
        return "below_review"
    return "no_desa" if row["desa_code"] is None else "no_candidates"


def _candidate(pair: dict[str, Any], tables: Tables, chosen: dict[str, Any] | None) -> Candidate:
    h = tables.households.row(int(pair[H_IDX]), named=True)
    p = tables.persons.row(int(pair[T_IDX]), named=True)
    owner = None
    if pair["owner"] is not None and pair["owner_weight"] is not None and pair["owner"] != pair[S_IDX]:
        owner = Owner(
            pair[s.SOURCE_FILE],
            pair[s.SOURCE_SHEET],
            pair[s.SOURCE_ROW],
            pair["owner_weight"],
            pair["owner_score"],
        )
    levels = tuple(Level(c, str(pair[f"{c}_level"]), float(pair[f"{c}_weight"])) for c in comparison_names())
    return Candidate(
        province_index=int(pair[H_IDX]),
        province_row=h.get(s.SOURCE_ROW),
        province_id=h.get(s.HOUSEHOLD_ID),
        desa_code=h.get(s.DESA_CODE),
        name=p.get("name"),
        nik=p.get("nik"),
        levels=levels,
        weight=float(pair["weight"]),
        score=float(pair["score"]),
        method=str(pair["method"]),
        stage=str(pair["stage"]),
        considered=bool(pair["considered"]),
        owner=owner,
        chosen=chosen is not None and pair[H_IDX] == chosen[H_IDX],
    )


def _recorded(tables: Tables, index: int) -> dict[str, Any]:
    found = tables.matches.filter(pl.col("submission_index") == index)
    if found.height != 1:
        raise ExplainError(f"{MATCHES_FILE}: submission_index {index} occurs {found.height} times, not once")
    return found.row(0, named=True)


def _check(
    index: int, recorded: dict[str, Any], chosen: dict[str, Any] | None, status: str, role: str | None
) -> None:
    """The replay must give what the run recorded, else the explanation would be of another run."""
    derived = {
        "match_status": status,
        "link_role": role,
        "province_index": None if chosen is None else int(chosen[H_IDX]),
        "match_method": "none" if chosen is None else chosen["method"],
        "match_score": 0.0 if chosen is None else chosen["score"],
        "match_evidence": None if chosen is None else chosen["evidence"],
    }
    differ = [k for k, v in derived.items() if recorded[k] != v]
    if differ:
        where = f"{recorded['submission_file']} row {recorded['submission_row']}"
        shown = ", ".join(f"{k} {recorded[k]!r} recorded, {derived[k]!r} now" for k in differ)
        raise ExplainError(
            f"{where}: the run's tables do not give what {MATCHES_FILE} recorded ({shown}); "
            "was it written with another verval or another --config? reconcile again"
        )


def _explain_one(
    tables: Tables, index: int, pairs: pl.DataFrame, owners: pl.DataFrame, th: MatchingConfig
) -> Explanation:
    recorded = _recorded(tables, index)
    row = tables.rows.row(index, named=True) if tables.rows[S_IDX][index] == index else None
    if row is None:
        row = tables.rows.filter(pl.col(S_IDX) == index).row(0, named=True)
    mine = pairs.filter(pl.col(S_IDX) == index).with_columns(pl.col(H_IDX).cast(pl.Int64))
    mine = mine.join(owners, on=H_IDX, how="left")
    mine = _with_considered(index, mine, th)
    chosen, rival, status, role = _outcome(index, mine, th)
    details: dict[str, Any] = {}
    if recorded["link_role"] == s.MEMBER:
        reason, status, role, chosen, rival = "member", recorded["match_status"], s.MEMBER, None, None
        details["head"] = _head(tables, recorded)
    else:
        _check(index, recorded, chosen, status, role)
        context = {
            "_accept": th.accept,
            "_considered": bool(mine["considered"].any()),
            "desa_code": row["desa_code"],
        }
        reason = _reason(chosen, rival, status, role, context)
    shown = _best_per_household(mine).sort(["considered", "weight", H_IDX], descending=[True, True, False])
    candidates = tuple(_candidate(p, tables, chosen) for p in shown.iter_rows(named=True))
    rival_candidate = next(
        (c for c in candidates if rival is not None and c.province_index == rival[H_IDX]), None
    )
    if chosen is not None and rival is not None:
        details["gap"] = round(float(chosen["weight"] - rival["weight"]), 2)
    return Explanation(
        submission_index=index,
        file=str(row[s.SOURCE_FILE]),
        sheet=row[s.SOURCE_SHEET],
        row=int(row[s.SOURCE_ROW]),
        name=row.get("name"),
        nik=row.get("nik"),
        desa_code=row.get("desa_code"),
        match_status=str(recorded["match_status"]),
        link_role=recorded["link_role"],
        match_method=str(recorded["match_method"]),
        match_score=float(recorded["match_score"]),
        province_index=recorded["province_index"],
        reason=reason,
        candidates=candidates,
        accept=th.accept,
        review=th.review,
        rival=rival_candidate,
        details=details,
    )


def _head(tables: Tables, recorded: dict[str, Any]) -> dict[str, Any] | None:
    """The row whose primary link brought a family member's row to the household."""
    head = tables.matches.filter(
        (pl.col("province_index") == recorded["province_index"]) & (pl.col("link_role") == s.PRIMARY)
    )
    if head.height == 0:
        return None
    found = head.row(0, named=True)
    return {
        "file": found["submission_file"],
        "sheet": found["submission_sheet"],
        "row": found["submission_row"],
    }


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
    return text(f"exp_why_{e.reason}", lang, **values)


REASON_SCHEMA: Final = REVIEW_REASON_COLUMNS


def review_reasons(tables: Tables, thresholds: MatchingConfig) -> pl.DataFrame:
    """Why each ``review`` row of the run is in review, for the workbooks' review sheets (REASON_SCHEMA).

    The same replay as :func:`explain_rows`, for all review rows at once and without its check: the
    rival of a primary link (the best other household it fits, unless a heavier row owns it), or the
    row that owns a secondary link's household.
    """
    m = tables.matches.filter(pl.col("match_status") == REVIEW)
    if m.height == 0:
        return pl.DataFrame(schema=REASON_SCHEMA)
    indices = m["submission_index"].cast(pl.Int64).to_list()
    pairs = candidate_pairs(tables, indices).with_columns(pl.col(H_IDX).cast(pl.Int64))
    pairs = pairs.join(_owners(tables, pairs), on=H_IDX, how="left")
    available = pl.col("owner").is_null() | (pl.col("owner") == pl.col(S_IDX))
    exact_link = ((pl.col("stage") == "exact") & (pl.col("score") >= thresholds.review) & available).any()
    pool = (
        pairs.with_columns(
            ((pl.col("stage") == "exact") | ~exact_link.over(S_IDX)).alias("considered"),
        )
        .filter(pl.col("considered") & (pl.col("score") >= thresholds.review))
        .sort([S_IDX, H_IDX, "weight", T_IDX], descending=[False, False, True, False])
        .unique(subset=[S_IDX, H_IDX], keep="first", maintain_order=True)
    )
    links = m.select(
        pl.col("submission_index").cast(pl.Int64).alias(S_IDX),
        pl.col("province_index").cast(pl.Int64).alias("_linked"),
        "link_role",
        pl.col("match_score").alias("score"),
    )
    chosen_weight = pool.join(links, left_on=[S_IDX, H_IDX], right_on=[S_IDX, "_linked"]).select(
        S_IDX, pl.col("weight").alias("_weight")
    )
    rivals = (
        pool.join(links.select(S_IDX, "_linked"), on=S_IDX)
        .join(chosen_weight, on=S_IDX)
        .filter(
            (pl.col(H_IDX) != pl.col("_linked"))
            & (pl.col("owner_weight").is_null() | (pl.col("owner_weight") <= pl.col("weight")))
        )
        .sort([S_IDX, "weight", H_IDX], descending=[False, True, False])
        .unique(subset=[S_IDX], keep="first", maintain_order=True)
        .join(
            tables.households.select(pl.col(H_IDX).cast(pl.Int64), pl.col(s.SOURCE_ROW).alias("_rival_row")),
            on=H_IDX,
        )
        .select(
            S_IDX,
            pl.col("_rival_row").cast(pl.Int64).alias("rival_row"),
            pl.col("score").alias("rival_score"),
            (pl.col("_weight") - pl.col("weight")).round(2).alias("gap"),
        )
    )
    owners = _secondary_owners(tables, m)
    out = (
        links.join(rivals, on=S_IDX, how="left")
        .join(owners, on=S_IDX, how="left")
        .join(
            tables.households.select(pl.col(H_IDX).cast(pl.Int64).alias("_linked"), s.SOURCE_ROW),
            on="_linked",
            how="left",
        )
        .select(
            pl.col(S_IDX).alias("submission_index"),
            pl.when(pl.col("link_role") != s.PRIMARY)
            .then(pl.lit("taken"))
            .when(pl.col("score") < thresholds.accept)
            .then(pl.lit("low_score"))
            .otherwise(pl.lit("rival"))
            .alias("reason"),
            "score",
            pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("province_row"),
            pl.coalesce("rival_row", "_owner_row").alias("rival_row"),
            "rival_score",
            "_owner_file",
            "_owner_sheet",
            "gap",
        )
        .rename({"_owner_file": "rival_file", "_owner_sheet": "rival_sheet"})
        .with_columns(
            pl.lit(thresholds.accept).alias("accept"),
            pl.lit(thresholds.review).alias("review"),
            pl.lit(AMBIGUITY_MARGIN).alias("margin"),
        )
    )
    return out.select([pl.col(c).cast(t) for c, t in REASON_SCHEMA.items()])


def _secondary_owners(tables: Tables, review: pl.DataFrame) -> pl.DataFrame:
    """For review rows whose household another row owns: that row's file, sheet and row."""
    primary = tables.matches.filter(pl.col("link_role") == s.PRIMARY).select(
        "province_index", pl.col("submission_index").alias("_owner")
    )
    where = tables.rows.select(
        pl.col(S_IDX).alias("_owner"),
        pl.col(s.SOURCE_FILE).alias("_owner_file"),
        pl.col(s.SOURCE_SHEET).alias("_owner_sheet"),
        pl.col(s.SOURCE_ROW).cast(pl.Int64).alias("_owner_row"),
    )
    return (
        review.filter(pl.col("link_role") != s.PRIMARY)
        .select(pl.col("submission_index").cast(pl.Int64).alias(S_IDX), "province_index")
        .join(primary, on="province_index")
        .join(where, on="_owner")
        .drop("province_index", "_owner")
    )
