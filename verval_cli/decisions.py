"""An officer's decisions on uncertain rows, kept from one run of ``verval reconcile`` to the next.

A decision says of one submission row: it is the same household as a listed one (``same``, with the
household's ID or head NIK), it is not the household it was proposed to (``different``), or it is a new
proposal (``new``). It is keyed to the row's *content* — its desa code, normalised NIK and normalised
name, hashed into ``row_key`` — so it follows the row when a village re-sorts or resends its file, and a
row whose NIK or name changed no longer carries it (the decision is reported stale, never applied).

>>> decisions = read_decisions("hasil/laporan_verval.xlsx")      # doctest: +SKIP
>>> result = reconcile(province, inbox, decisions=decisions)       # doctest: +SKIP

This module holds the vocabulary, the keys and the readers (:func:`read_decisions`); applying them to a
run's links is :mod:`verval_cli.decisions_apply`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl

from verval_cli import schema
from verval_cli.errors import InputFileError
from verval_cli.io.text import decode_text
from verval_cli.normalize import normalize_frame
from verval_cli.result import WORKBOOK_FILE

SAME: Final = "same"
DIFFERENT: Final = "different"
NEW: Final = "new"
DECISIONS: Final = (SAME, DIFFERENT, NEW)

# What the dropdown of the review sheets offers, per language (the reader accepts every language).
DECISION_LABELS: Final[dict[str, dict[str, str]]] = {
    "id": {SAME: "Rumah tangga sama", DIFFERENT: "Berbeda", NEW: "Usulan baru"},
    "en": {SAME: "Same household", DIFFERENT: "Different", NEW: "New proposal"},
}
# The visible columns an officer fills, per language.
COLUMN_LABELS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "decision": "Keputusan petugas",
        "target": "ID/NIK keluarga pilihan petugas",
        "note": "Catatan petugas",
    },
    "en": {
        "decision": "Officer's decision",
        "target": "Household ID/NIK chosen",
        "note": "Officer's note",
    },
}
# Hidden columns that carry the keys back (the same header in every language).
KEY_HEADERS: Final[dict[str, str]] = {
    "row_key": "verval:row_key",
    "desa_code": "verval:desa_code",
    "proposed_id": "verval:proposed_id",
    "submission_file": "verval:file",
    "submission_sheet": "verval:sheet",
    "submission_row": "verval:row",
}

# A decision as read from any source: one row per decided submission row.
DECISION_SCHEMA: Final[dict[str, pl.DataType]] = {
    "row_key": pl.Utf8(),  # see row_key()
    "desa_code": pl.Utf8(),
    "submission_file": pl.Utf8(),  # where the row was when decided (its position, for a stale row)
    "submission_sheet": pl.Utf8(),
    "submission_row": pl.Int64(),
    # the household (household_refs) the row was linked/proposed to; UNLINKED: none; null: not known
    "proposed_id": pl.Utf8(),
    "decision": pl.Utf8(),  # one of DECISIONS
    "target": pl.Utf8(),  # for ``same``: the household ID, head NIK or reference chosen (null: the proposed one)
    "note": pl.Utf8(),
    "source": pl.Utf8(),  # the decisions file (and sheet, row) it came from
}

# The columns matches.parquet gains when a run read decisions (null where no decision was applied).
# ``decision_province_id``: the household the decision names (chosen for ``same``; decided against for
# ``different`` and ``new``): its ID, else ``#`` and a hash of its head's NIK (see household_refs).
MATCH_DECISION_COLUMNS: Final[dict[str, pl.DataType]] = {
    "decision": pl.Utf8(),
    "decision_province_id": pl.Utf8(),
    "decision_note": pl.Utf8(),
}
METHOD: Final = "decision"  # match_method of a row a decision settled
UNLINKED: Final = "-"  # proposed_id of a row that was linked to no household when decided


def row_key(desa_code: str | None, nik: str | None, name: str | None) -> str:
    """The content key of a row: its desa code, normalised NIK and normalised name, hashed (16 hex digits).

    A hash, not the values, so a workbook written with ``--mask-nik`` does not carry the NIK in a hidden
    column. Stable across runs, machines and versions (SHA-256 of ``desa|nik|name``).
    """
    text = "|".join(v or "" for v in (desa_code, nik, name))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def row_keys(frame: pl.DataFrame, desa: str, nik: str, name: str) -> pl.Series:
    """:func:`row_key` of each row of ``frame`` (columns ``desa``, ``nik``, ``name``), as ``row_key``.

    Hashing runs in Python, once per distinct key: callers pass the few rows that need a key.
    """
    parts = frame.select(
        pl.col(desa).cast(pl.Utf8).fill_null(""),
        pl.col(nik).cast(pl.Utf8).fill_null(""),
        pl.col(name).cast(pl.Utf8).fill_null(""),
    )
    joined = parts.select(pl.concat_str(pl.all(), separator="|").alias("_text"))["_text"]
    unique = joined.unique()
    table = {t: hashlib.sha256(t.encode("utf-8")).hexdigest()[:16] for t in unique.to_list()}
    return joined.replace_strict(table, return_dtype=pl.Utf8).alias("row_key")


def nik_ref(nik: str) -> str:
    """How a household without an ID is named in outputs: ``#`` and a hash of its head's NIK (no NIK shown)."""
    return "#" + hashlib.sha256(nik.encode("utf-8")).hexdigest()[:16]


def household_refs(frame: pl.DataFrame, household_id: str, nik: str) -> pl.Series:
    """Each household's reference: its ID, else :func:`nik_ref` of its head's NIK (null when it has neither).

    Hashing runs in Python: callers pass the few households that need a reference.
    """
    ids = frame[household_id].cast(pl.Utf8)
    niks = frame[nik].cast(pl.Utf8)
    wanted = niks.filter(ids.is_null()).drop_nulls().unique().to_list()
    hashed = niks.replace_strict({n: nik_ref(n) for n in wanted}, default=None, return_dtype=pl.Utf8)
    return pl.select(pl.coalesce(ids, hashed)).to_series().alias("household_ref")


def parse_decision(text: str) -> str | None:
    """The decision a cell says (a dropdown label in any language, or the code); None when not one."""
    wanted = " ".join(text.split()).casefold()
    for labels in DECISION_LABELS.values():
        for code, label in labels.items():
            if wanted in (label.casefold(), code):
                return code
    return None


def empty_decisions() -> pl.DataFrame:
    """A decisions frame with no decision."""
    return pl.DataFrame(schema=DECISION_SCHEMA)


# --- reading decisions back ---------------------------------------------------------------------------------
_TABLE_SUFFIXES: Final = (".csv", ".txt", ".parquet")
_WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm")
# A plain decisions file (CSV / Parquet): the columns it may have. ``decision`` is required, and either
# ``row_key`` or all of ``desa_code``, ``nik`` and ``name`` (as typed or as normalised: they are
# normalised again). ``province_id`` is the household chosen (alias ``target``).
FILE_COLUMNS: Final = (
    "decision",
    "row_key",
    "desa_code",
    "nik",
    "name",
    "province_id",
    "target",
    "proposed_id",
    "note",
    "submission_file",
    "submission_sheet",
    "submission_row",
)


def read_decisions(path: str | Path) -> pl.DataFrame:
    """Every decision in ``path`` (DECISION_SCHEMA), in file order.

    ``path``: a ``laporan_verval.xlsx`` or a per-village workbook of verval (its review and new-proposal
    sheets), a CSV or Parquet decisions file (see FILE_COLUMNS), or a folder of them (read in name order;
    other files in it are ignored). Raises InputFileError naming the file, sheet, row and column of a
    cell that is not a decision.
    """
    path = Path(path)
    if path.is_dir():
        # (.txt only when named: a folder of returned workbooks often holds notes too.)
        wanted = (".csv", ".parquet", *_WORKBOOK_SUFFIXES)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in wanted)
        files = [p for p in files if not p.name.startswith(("~$", "."))]
        # A village with nothing to review has a workbook without decision columns: nothing to read there.
        files = [p for p in files if p.suffix.lower() not in _WORKBOOK_SUFFIXES or has_decision_sheets(p)]
        if not files:
            raise InputFileError(str(path), "no decisions file in this folder (.xlsx, .csv or .parquet)")
        return pl.concat([_read_one(p) for p in files], how="vertical")
    if not path.is_file():
        raise InputFileError(str(path), "decisions file not found")
    return _read_one(path)


def _read_one(path: Path) -> pl.DataFrame:
    suffix = path.suffix.lower()
    if suffix in _WORKBOOK_SUFFIXES:
        return read_workbook_decisions(path)
    if suffix in _TABLE_SUFFIXES:
        return _read_table(path)
    raise InputFileError(str(path), "not a decisions file (expected .xlsx, .csv or .parquet)")


def has_decision_sheets(path: Path) -> bool:
    """Whether the workbook at ``path`` has a sheet verval wrote decision columns into."""
    try:
        return bool(_decision_sheets(path))
    except InputFileError:
        return False


def _typed_decisions(path: Path) -> bool | None:
    """A quick look (calamine): whether a sheet carrying verval's row key has a decision typed in.

    None when the quick look cannot tell (the full reader then reads the workbook and says what is wrong).
    """
    import fastexcel

    decision_headers = {words["decision"] for words in COLUMN_LABELS.values()}
    try:
        reader = fastexcel.read_excel(str(path))
        for name in reader.sheet_names:
            header = [c.name for c in reader.load_sheet(name, n_rows=0).available_columns()]
            if KEY_HEADERS["row_key"] not in header:
                continue
            column = next((h for h in header if h.strip() in decision_headers), None)
            if column is None:
                return None
            cells = reader.load_sheet(name, use_columns=[column], dtypes="string").to_polars().to_series()
            if (cells.str.strip_chars().fill_null("") != "").any():
                return True
        return False
    except Exception:  # fastexcel raises many kinds for a damaged file: let the full reader judge it
        return None


def _decision_sheets(path: Path) -> list[tuple[str, list[Any]]]:
    """(sheet name, rows) of each sheet whose header row carries the hidden row key."""
    import openpyxl  # about a second to import: loaded only when a workbook of decisions is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise InputFileError(str(path), f"cannot be read as a workbook ({type(exc).__name__})") from exc
    try:
        found = []
        for ws in book.worksheets:
            header = next(ws.iter_rows(max_row=1, values_only=True), ())
            if KEY_HEADERS["row_key"] in header:  # only these sheets are read through
                found.append((ws.title, list(ws.iter_rows(values_only=True))))
        return found
    finally:
        book.close()


def _header_index(header: tuple[Any, ...], labels: set[str]) -> int | None:
    return next((i for i, h in enumerate(header) if isinstance(h, str) and h.strip() in labels), None)


def read_workbook_decisions(path: Path) -> pl.DataFrame:
    """The decisions filled into the review sheets of a workbook verval wrote."""
    sheets = _decision_sheets(path)
    if not sheets:
        raise InputFileError(
            str(path), "no sheet with verval's decision columns (a workbook of this verval?)"
        )
    records: list[dict[str, Any]] = []
    for name, rows in sheets:
        header = tuple(rows[0])
        at = {k: _header_index(header, {h}) for k, h in KEY_HEADERS.items()}
        labels: dict[str, Any] = {}
        for k in ("decision", "target", "note"):
            found = _header_index(header, {words[k] for words in COLUMN_LABELS.values()})
            at[k] = found
            labels[f"{k}_label"] = header[found] if found is not None else None
        if at["decision"] is None:
            raise InputFileError(str(path), "the decision column is missing", sheet=name)
        for number, row in enumerate(rows[1:], start=2):
            record = _workbook_record(path, name, number, row, at, labels)
            if record is not None:
                records.append(record)
    return pl.DataFrame(records, schema=DECISION_SCHEMA, orient="row") if records else empty_decisions()


def _header(labels: dict[str, Any], key: str) -> str:
    """The header of a decision column as the sheet spells it (its language)."""
    return str(labels.get(f"{key}_label") or COLUMN_LABELS["id"][key])


def _cell(row: tuple[Any, ...], at: int | None) -> Any:
    return row[at] if at is not None and at < len(row) else None


def _workbook_record(
    path: Path,
    sheet: str,
    number: int,
    row: tuple[Any, ...],
    at: dict[str, int | None],
    labels: dict[str, Any],
) -> dict[str, Any] | None:
    label = _cell(row, at["decision"])
    if label is None or (isinstance(label, str) and not label.strip()):
        return None
    where = f"column {_header(labels, 'decision')!r}"
    decision = parse_decision(str(label))
    if decision is None:
        raise InputFileError(
            str(path), f"{where}: {label!r} is not a decision ({_choices()})", sheet=sheet, row=number
        )
    key = _cell(row, at["row_key"])
    if not isinstance(key, str) or not key.strip():
        raise InputFileError(
            str(path), "the hidden row key is empty (a row added by hand?)", sheet=sheet, row=number
        )
    target = _id_text(_cell(row, at["target"]), path, sheet, number, _header(labels, "target"))
    line = _cell(row, at["submission_row"])
    return {
        "row_key": key.strip(),
        "desa_code": _text(_cell(row, at["desa_code"])),
        "submission_file": _text(_cell(row, at["submission_file"])),
        "submission_sheet": _text(_cell(row, at["submission_sheet"])),
        "submission_row": int(line) if isinstance(line, (int, float)) else None,
        "proposed_id": _text(_cell(row, at["proposed_id"])),
        "decision": decision,
        "target": target,
        "note": _text(_cell(row, at["note"])),
        "source": f"{path} [{sheet}] row {number}",
    }


def _choices() -> str:
    return ", ".join(f"'{label}'" for labels in DECISION_LABELS.values() for label in labels.values())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _id_text(value: Any, path: Path, sheet: str | None, number: int, column: str) -> str | None:
    """A household ID or NIK typed by the officer; a NIK Excel turned into a number is refused."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel keeps 15 digits of a number: a 16-digit NIK typed as one has lost its last digit.
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        raise InputFileError(
            str(path),
            f"column {column!r}: {value!r} lost digits as a number; type it as text",
            sheet=sheet,
            row=number,
        )
    return _text(value)


def _read_table(path: Path) -> pl.DataFrame:
    """A CSV or Parquet decisions file (FILE_COLUMNS)."""
    try:
        if path.suffix.lower() == ".parquet":
            raw = pl.read_parquet(path)
            raw = raw.with_columns(pl.all().cast(pl.Utf8))
        else:
            text, _ = decode_text(path.read_bytes())
            first = text.split("\n", 1)[0]
            separator = ";" if first.count(";") > first.count(",") else ","
            raw = pl.read_csv(text.encode("utf-8"), separator=separator, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputFileError(
            str(path), f"cannot be read as a decisions table ({exc})".split("\n")[0]
        ) from exc
    raw = raw.rename({c: c.strip().lower() for c in raw.columns})
    for column in ("decision",):
        if column not in raw.columns:
            raise InputFileError(
                str(path), f"column {column!r} is missing (columns: {', '.join(FILE_COLUMNS)})"
            )
    if "row_key" not in raw.columns and not {"desa_code", "nik", "name"} <= set(raw.columns):
        raise InputFileError(str(path), "needs column 'row_key', or all of 'desa_code', 'nik' and 'name'")
    raw = raw.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c) for c in FILE_COLUMNS if c not in raw.columns)
    return _table_decisions(raw, path)


def _table_decisions(raw: pl.DataFrame, path: Path) -> pl.DataFrame:
    records: list[dict[str, Any]] = []
    keys = _table_keys(raw)
    for i, (row, key) in enumerate(zip(raw.iter_rows(named=True), keys, strict=True)):
        number = i + 2  # the header is line 1
        label = _text(row["decision"])
        if label is None:
            continue
        decision = parse_decision(label)
        if decision is None:
            raise InputFileError(
                str(path),
                f"column 'decision': {label!r} is not a decision ({', '.join(DECISIONS)})",
                row=number,
            )
        if key is None:
            raise InputFileError(str(path), "column 'row_key' (or 'nik' and 'name') is empty", row=number)
        line = _text(row["submission_row"])
        if line is not None and not line.isdigit():
            raise InputFileError(
                str(path), f"column 'submission_row': {line!r} is not a row number", row=number
            )
        records.append(
            {
                "row_key": key,
                "desa_code": _text(row["desa_code"]),
                "submission_file": _text(row["submission_file"]),
                "submission_sheet": _text(row["submission_sheet"]),
                "submission_row": int(line) if line else None,
                "proposed_id": _text(row["proposed_id"]),
                "decision": decision,
                "target": _text(row["province_id"]) or _text(row["target"]),
                "note": _text(row["note"]),
                "source": f"{path} row {number}",
            }
        )
    return pl.DataFrame(records, schema=DECISION_SCHEMA, orient="row") if records else empty_decisions()


def _table_keys(raw: pl.DataFrame) -> list[str | None]:
    """Each row's row_key: as given, else computed from its desa code, NIK and name normalised as verval does."""
    given = raw["row_key"].str.strip_chars().replace("", None)
    if raw.height == 0 or given.is_not_null().all():
        return given.to_list()

    typed = pl.DataFrame(
        {
            "nik": raw["nik"],
            schema.numeric_cell_flag("nik"): pl.Series([None] * raw.height, dtype=pl.Boolean),
            "name": raw["name"],
        }
    )
    clean = normalize_frame(typed).select("nik", "name").with_columns(raw["desa_code"].str.strip_chars())
    present = raw["nik"].is_not_null() | raw["name"].is_not_null()
    computed = row_keys(clean, "desa_code", "nik", "name")
    keys = pl.select(pl.when(given.is_not_null()).then(given).when(present).then(computed)).to_series()
    return keys.to_list()


@dataclass(frozen=True)
class RunDecisions:
    """The decisions a run applies and where they were read."""

    frame: pl.DataFrame
    sources: list[Path]

    @property
    def source(self) -> str:
        """Where they were read, for a person."""
        return ", ".join(str(p) for p in self.sources)


def decisions_for_run(option: Path | None, out_dir: Path) -> RunDecisions | None:
    """The decisions ``verval reconcile`` applies: ``--decisions`` and the filled workbook in ``--out``.

    A ``laporan_verval.xlsx`` of this verval already in the output folder is read when its decision
    columns hold at least one decision (it is read before the run replaces it), beside ``--decisions``
    when that is given too: a decision typed there is never silently dropped (two that disagree about a
    row are a conflict). None: no decisions, and the run writes matches.parquet without decision columns.
    """
    frames: list[pl.DataFrame] = []
    sources: list[Path] = []
    if option is not None:
        frames.append(read_decisions(option))
        sources.append(option)
    previous = out_dir / WORKBOOK_FILE
    # Most reruns find the decision columns empty: a quick look spares reading the workbook twice.
    if previous.is_file() and _typed_decisions(previous) is not False and has_decision_sheets(previous):
        found = read_workbook_decisions(previous)
        if found.height:
            frames.append(found)
            sources.append(previous)
    if not sources:
        return None
    return RunDecisions(pl.concat(frames), sources)
