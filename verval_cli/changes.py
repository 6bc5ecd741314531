"""What changed between two verval runs: households, findings, files and villages.

A verval round is many runs: villages resend corrected files for days and the officer reruns
`verval reconcile` into the same folder. :func:`compare_runs` says what moved since the previous run.

Keys, so that a re-sorted file changes nothing:

- a household is its ``province_id`` (``row:<province_row>`` when the list has no ID);
- a finding is its code, file name, desa and the row's content key: the household it is linked to,
  else the row's normalised name, else its NIK (the n-th such finding when a key repeats); never the
  row number alone;
- a file is its name; it was resent when its SHA-256 (``summary.json`` ``input_files``) changed.

>>> changes = compare_runs(load_run(Path("hasil/riwayat/20261203T081500Z")), load_run(Path("hasil")))  # doctest: +SKIP
>>> changes.counts["findings_fixed"]                                                                  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from verval_cli.errors import UsageError
from verval_cli.messages import text
from verval_cli.runs import RunData

# The kinds of change, one per row of changes.parquet.
NEWLY_MATCHED: Final = "newly_matched"
NO_LONGER_MATCHED: Final = "no_longer_matched"
LINK_CHANGED: Final = "link_changed"
STATUS_CHANGED: Final = "status_changed"
FINDING_FIXED: Final = "finding_fixed"
FINDING_NEW: Final = "finding_new"
FINDING_FILE_GONE: Final = "finding_file_gone"  # its file is no longer among the inputs: gone, not fixed
FILE_RESENT: Final = "file_resent"
FILE_NEW: Final = "file_new"
FILE_GONE: Final = "file_gone"
VILLAGE_REPORTED: Final = "village_reported"
KINDS: Final = (
    VILLAGE_REPORTED,
    FILE_RESENT,
    FILE_NEW,
    FILE_GONE,
    NEWLY_MATCHED,
    NO_LONGER_MATCHED,
    LINK_CHANGED,
    STATUS_CHANGED,
    FINDING_FIXED,
    FINDING_NEW,
    FINDING_FILE_GONE,
)
# The columns of changes.parquet, in order.
CHANGE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "change": pl.Utf8(),
    "desa_code": pl.Utf8(),
    "province_id": pl.Utf8(),
    "province_row": pl.Int64(),
    "code": pl.Utf8(),
    "file": pl.Utf8(),
    "submission_row": pl.Int64(),
    "before": pl.Utf8(),
    "after": pl.Utf8(),
    "key": pl.Utf8(),
}
_STATE = {"matched": "matched", "review": "review", "province_only": "not_reported"}
_COUNT_KEYS: Final = {
    VILLAGE_REPORTED: "villages_reported_since",
    FILE_RESENT: "files_resent",
    FILE_NEW: "files_new",
    FILE_GONE: "files_gone",
    NEWLY_MATCHED: "households_newly_matched",
    NO_LONGER_MATCHED: "households_no_longer_matched",
    LINK_CHANGED: "households_link_changed",
    STATUS_CHANGED: "households_status_changed",
    FINDING_FIXED: "findings_fixed",
    FINDING_NEW: "findings_new",
    FINDING_FILE_GONE: "findings_file_gone",
}


@dataclass
class Changes:
    """What changed from run ``before`` to run ``after``: one row per change, and counts."""

    before: str
    after: str
    frame: pl.DataFrame
    still_open: pl.DataFrame  # desa_code, findings_still_open
    villages_sent: list[str] = field(default_factory=list)  # desa with a new or resent file
    places: pl.DataFrame | None = None  # desa_code, desa, kecamatan (from the later run's summary)

    @property
    def counts(self) -> dict[str, int]:
        kinds = dict(self.frame.group_by("change").len().iter_rows())
        out = {key: int(kinds.get(kind, 0)) for kind, key in _COUNT_KEYS.items()}
        out["findings_still_open"] = int(self.still_open["findings_still_open"].sum())
        out["villages_sent"] = len(self.villages_sent)
        return out

    def per_desa(self) -> pl.DataFrame:
        """One row per desa with any change: the counts of each kind, and its findings still open."""
        wide = (
            self.frame.filter(pl.col("desa_code").is_not_null())
            .group_by("desa_code")
            .agg(
                [
                    (pl.col("change") == kind).sum().cast(pl.Int64).alias(key)
                    for kind, key in _COUNT_KEYS.items()
                ]
            )
        )
        wide = wide.join(self.still_open, on="desa_code", how="left").with_columns(
            pl.col("findings_still_open").fill_null(0).cast(pl.Int64),
            pl.col("desa_code").is_in(self.villages_sent).alias("sent"),
        )
        if self.places is not None:
            wide = wide.join(self.places, on="desa_code", how="left")
        return wide.sort("desa_code")

    def to_dict(self) -> dict[str, Any]:
        """The ``changes`` key of summary.json and of ``--json``."""
        return {"before": self.before, "after": self.after, **self.counts, "desa": self.per_desa().to_dicts()}


def _file_name(column: str) -> pl.Expr:
    return pl.col(column).str.replace(r"^.*[\\/]", "")


def _matches(run: RunData) -> pl.DataFrame:
    """The run's matches with the types of matches.parquet (a column all null reads back as Null)."""
    text_columns = ("submission_file", "province_id", "desa_code", "match_status", "status", "link_role")
    return run.matches.with_columns(
        *(pl.col(c).cast(pl.Utf8) for c in text_columns),
        pl.col("submission_row", "province_row").cast(pl.Int64),
    )


def _households(run: RunData) -> pl.DataFrame:
    """One row per listed household: its state (matched, review, not_reported) and verval status."""
    m = _matches(run)
    listed = m.filter(
        pl.col("province_row").is_not_null()
        & ((pl.col("link_role") == "primary") | (pl.col("match_status") == "province_only"))
    )
    return listed.select(
        pl.coalesce("province_id", pl.lit("row:") + pl.col("province_row").cast(pl.Utf8)).alias("key"),
        "province_id",
        "province_row",
        "desa_code",
        pl.col("match_status").replace_strict(_STATE, default="other").alias("state"),
        pl.col("status").fill_null(""),
        _file_name("submission_file").alias("file"),
        "submission_row",
    ).unique("key", keep="first", maintain_order=True)


def _refuse_unrelated(before: RunData, after: RunData, old: pl.DataFrame, new: pl.DataFrame) -> None:
    """Two runs of one round share their regency and households; anything else is a mistake."""
    regencies = before.summary.get("regency"), after.summary.get("regency")
    if all(regencies) and regencies[0] != regencies[1]:
        raise UsageError(
            f"{after.label}: a run for regency {regencies[1]}, {before.label} for {regencies[0]}: "
            "not two runs of one round"
        )
    if old.height and new.height and not old.join(new, on="key", how="semi").height:
        raise UsageError(
            f"{before.label}, {after.label}: no household of the province list in common: not two runs of one round"
        )


def _household_changes(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    both = old.join(new, on="key", how="full", coalesce=True, suffix="_new")
    was, now = pl.col("state").fill_null("not_listed"), pl.col("state_new").fill_null("not_listed")
    kind = (
        pl.when((now == "matched") & (was != "matched"))
        .then(pl.lit(NEWLY_MATCHED))
        .when((was == "matched") & (now != "matched"))
        .then(pl.lit(NO_LONGER_MATCHED))
        .when(was != now)
        .then(pl.lit(LINK_CHANGED))
        .when((now != "not_reported") & (pl.col("status") != pl.col("status_new")))
        .then(pl.lit(STATUS_CHANGED))
    )
    shown = pl.concat_str(pl.lit(""), pl.col("status").fill_null(""))
    return (
        both.with_columns(kind.alias("change"))
        .filter(pl.col("change").is_not_null())
        .select(
            "change",
            pl.coalesce("desa_code_new", "desa_code").alias("desa_code"),
            pl.coalesce("province_id_new", "province_id").alias("province_id"),
            pl.coalesce("province_row_new", "province_row").alias("province_row"),
            pl.lit(None, dtype=pl.Utf8).alias("code"),
            pl.coalesce("file_new", "file").alias("file"),
            pl.coalesce("submission_row_new", "submission_row").alias("submission_row"),
            pl.concat_str(was, pl.lit(" "), shown, ignore_nulls=True).str.strip_chars().alias("before"),
            pl.concat_str(now, pl.lit(" "), pl.col("status_new").fill_null(""))
            .str.strip_chars()
            .alias("after"),
            "key",
        )
    )


def _findings(run: RunData) -> pl.DataFrame:
    """Each finding with its content key and its occurrence number among findings of the same key."""
    rows = run.rows.select(
        pl.col("source_file").cast(pl.Utf8).alias("submission_file"),
        pl.col("source_sheet").cast(pl.Utf8).alias("submission_sheet"),
        pl.col("source_row").cast(pl.Int64).alias("submission_row"),
        *(pl.col(c).cast(pl.Utf8).alias(f"_{c}") for c in ("name", "nik") if c in run.rows.columns),
    )
    text_columns = ("code", "submission_file", "submission_sheet", "province_id", "desa_code")
    found = run.findings.with_columns(
        *(pl.col(c).cast(pl.Utf8) for c in text_columns),
        pl.col("submission_row", "province_row").cast(pl.Int64),
    ).join(rows, on=["submission_file", "submission_sheet", "submission_row"], how="left", nulls_equal=True)
    by = [pl.col(c) for c in ("_name", "_nik") if c in found.columns]
    content = pl.coalesce(
        "province_id",
        *(pl.lit(c.meta.output_name()[1:] + ":") + c for c in by),
        pl.lit(""),
    )
    keyed = found.with_columns(content.alias("key"), _file_name("submission_file").alias("file"))
    group = ["code", "file", "desa_code", "key"]
    return keyed.with_columns(pl.int_range(pl.len()).over(group).alias("_n")).select(
        *group, "_n", "province_id", "province_row", "submission_row"
    )


def _finding_changes(before: RunData, after: RunData) -> tuple[pl.DataFrame, pl.DataFrame]:
    old, new = _findings(before), _findings(after)
    on = ["code", "file", "desa_code", "key", "_n"]

    def listed(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
        return frame.select(
            pl.lit(kind).alias("change"),
            "desa_code",
            "province_id",
            "province_row",
            "code",
            "file",
            "submission_row",
            pl.lit(None, dtype=pl.Utf8).alias("before"),
            pl.lit(None, dtype=pl.Utf8).alias("after"),
            "key",
        )

    fixed = listed(old.join(new, on=on, how="anti", nulls_equal=True), FINDING_FIXED)
    added = listed(new.join(old, on=on, how="anti", nulls_equal=True), FINDING_NEW)
    still = (
        new.join(old, on=on, how="semi", nulls_equal=True)
        .group_by("desa_code")
        .agg(pl.len().cast(pl.Int64).alias("findings_still_open"))
    )
    return pl.concat([fixed, added], how="vertical_relaxed"), still


def _file_desa(run: RunData) -> pl.DataFrame:
    """The desa of each file name: the desa most of its rows belong to."""
    rows = _matches(run).filter(pl.col("submission_file").is_not_null() & pl.col("desa_code").is_not_null())
    return (
        rows.group_by(_file_name("submission_file").alias("file"), "desa_code")
        .len()
        .sort(["file", "len", "desa_code"], descending=[False, True, False])
        .unique("file", keep="first", maintain_order=True)
        .drop("len")
    )


def _files(run: RunData) -> pl.DataFrame:
    entries = run.summary.get("input_files")
    if not isinstance(entries, list):
        return pl.DataFrame(schema={"file": pl.Utf8, "sha256": pl.Utf8})
    frame = pl.DataFrame(
        [
            {"file": str(e.get("name")), "sha256": str(e.get("sha256"))}
            for e in entries
            if isinstance(e, dict)
        ],
        schema={"file": pl.Utf8, "sha256": pl.Utf8},
    )
    return frame.unique("file", keep="first", maintain_order=True)


def _file_changes(before: RunData, after: RunData) -> pl.DataFrame:
    if "input_files" not in before.summary or "input_files" not in after.summary:
        return pl.DataFrame(schema=CHANGE_COLUMNS)  # a run saved before file hashes: nothing to say
    both = _files(before).join(_files(after), on="file", how="full", coalesce=True, suffix="_new")
    kind = (
        pl.when(pl.col("sha256").is_null())
        .then(pl.lit(FILE_NEW))
        .when(pl.col("sha256_new").is_null())
        .then(pl.lit(FILE_GONE))
        .when(pl.col("sha256") != pl.col("sha256_new"))
        .then(pl.lit(FILE_RESENT))
    )
    desa = pl.concat([_file_desa(after), _file_desa(before)]).unique(
        "file", keep="first", maintain_order=True
    )
    return (
        both.with_columns(kind.alias("change"))
        .filter(pl.col("change").is_not_null())
        .join(desa, on="file", how="left")
        .select(
            "change",
            "desa_code",
            pl.lit(None, dtype=pl.Utf8).alias("province_id"),
            pl.lit(None, dtype=pl.Int64).alias("province_row"),
            pl.lit(None, dtype=pl.Utf8).alias("code"),
            "file",
            pl.lit(None, dtype=pl.Int64).alias("submission_row"),
            pl.col("sha256").str.slice(0, 12).alias("before"),
            pl.col("sha256_new").str.slice(0, 12).alias("after"),
            pl.col("file").alias("key"),
        )
    )


def _reporting(run: RunData) -> pl.DataFrame:
    sent = _matches(run).filter(pl.col("submission_file").is_not_null() & pl.col("desa_code").is_not_null())
    return sent.select("desa_code").unique()


def _village_changes(before: RunData, after: RunData) -> pl.DataFrame:
    since = _reporting(after).join(_reporting(before), on="desa_code", how="anti").sort("desa_code")
    return since.select(
        pl.lit(VILLAGE_REPORTED).alias("change"),
        "desa_code",
        *(
            pl.lit(None, dtype=t).alias(c)
            for c, t in CHANGE_COLUMNS.items()
            if c not in ("change", "desa_code")
        ),
    ).with_columns(pl.col("desa_code").alias("key"))


def compare_runs(before: RunData, after: RunData) -> Changes:
    """Everything that changed from ``before`` to ``after`` (see the module docstring for the keys)."""
    old, new = _households(before), _households(after)
    _refuse_unrelated(before, after, old, new)
    findings, still = _finding_changes(before, after)
    parts = [
        _village_changes(before, after),
        _file_changes(before, after),
        _household_changes(old, new),
        findings,
    ]
    frame = pl.concat(
        [p.select([pl.col(c).cast(t) for c, t in CHANGE_COLUMNS.items()]) for p in parts], how="vertical"
    )
    gone = frame.filter(pl.col("change") == FILE_GONE)["file"].implode()
    frame = frame.with_columns(
        pl.when((pl.col("change") == FINDING_FIXED) & pl.col("file").is_in(gone))
        .then(pl.lit(FINDING_FILE_GONE))
        .otherwise(pl.col("change"))
        .alias("change")
    )
    order = pl.col("change").replace_strict({k: i for i, k in enumerate(KINDS)}, return_dtype=pl.Int64)
    frame = frame.sort(order, "desa_code", "file", "key", "province_row", "submission_row", nulls_last=True)
    files = frame.filter(pl.col("change").is_in([FILE_NEW, FILE_RESENT, VILLAGE_REPORTED]))
    sent = sorted(set(files["desa_code"].drop_nulls().to_list()))
    places = pl.DataFrame(
        [{k: d.get(k) for k in ("desa_code", "desa", "kecamatan")} for d in after.summary.get("desa") or []],
        schema={"desa_code": pl.Utf8, "desa": pl.Utf8, "kecamatan": pl.Utf8},
    ).unique("desa_code", keep="first")
    return Changes(
        before=before.label,
        after=after.label,
        frame=frame,
        still_open=still,
        villages_sent=sent,
        places=places,
    )


def change_lines(changes: dict[str, Any], lang: str = "id") -> list[str]:
    """What changed since the previous run, in three or four lines (or one saying nothing changed)."""
    c = changes
    if not any(v for k, v in c.items() if isinstance(v, int) and k != "findings_still_open"):
        return [text("chg_none", lang)]
    return [
        text(
            "chg_villages",
            lang,
            sent=c["villages_sent"],
            reported=c["villages_reported_since"],
            resent=c["files_resent"],
            new=c["files_new"],
            gone=c["files_gone"],
        ),
        text(
            "chg_findings",
            lang,
            fixed=c["findings_fixed"],
            new=c["findings_new"],
            open=c["findings_still_open"],
        ),
        *(
            [text("chg_findings_gone", lang, count=c["findings_file_gone"])]
            if c.get("findings_file_gone")
            else []
        ),
        text(
            "chg_households",
            lang,
            matched=c["households_newly_matched"],
            unmatched=c["households_no_longer_matched"],
            link=c["households_link_changed"],
            status=c["households_status_changed"],
        ),
    ]
