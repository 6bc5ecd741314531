"""The column-name contract between the reconcile stages (``verval_cli.schema``, stage 3) holds.

A real reconcile runs with its stages observed: each frame one stage hands the next (the prepared
rows, the province households and persons, the links, the linked frame the findings read) is held
against the columns and dtypes the contract declares for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from verval_cli import schema as s
from verval_cli.config import Config
from verval_cli.findings import columns_read
from verval_cli.matching import prepare
from verval_cli.matching.score import comparison_names
from verval_cli.sample import SampleSpec, generate_truth, write_round

reconcile_module = importlib.import_module("verval_cli.reconcile")
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"

Observed = dict[str, pl.DataFrame]


def _household_round() -> tuple[Path, list[Path]]:
    files = sorted((SAMPLE / "submissions").iterdir())
    return SAMPLE / "province", [files[0], files[1], files[-1]]  # an xlsx, a csv, a desa named in words


@pytest.fixture(scope="module")
def individual_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("contract_indiv")
    spec = SampleSpec(seed=5, villages=4, kecamatan=2, silent_villages=1, level="individual")
    written = write_round(generate_truth(spec), out)
    return written.province, list(written.submissions)


def _observe(monkeypatch: pytest.MonkeyPatch, province: Path, submissions: list[Path]) -> Observed:
    """Run reconcile with every stage boundary recorded: the frames each stage hands the next."""
    seen: Observed = {}

    def watch(name: str, record: Callable[[Any], Iterator[tuple[str, pl.DataFrame]]]) -> None:
        stage = getattr(reconcile_module, name)

        def watched(*args: Any, **kwargs: Any) -> Any:
            out = stage(*args, **kwargs)
            seen.update(record(out))
            if name == "submission_findings":
                seen["findings_input"] = args[0]
            return out

        monkeypatch.setattr(reconcile_module, name, watched)

    watch("ingest_province", lambda p: iter([("households", p.households), ("persons", p.persons)]))
    watch("link_rows", lambda rows: iter([("rows", rows)]))
    watch("link_batch", lambda out: iter([("linked_rows", out[0]), ("links", out[1])]))
    watch("linked_frame", lambda linked: iter([("linked", linked)]))
    watch("submission_findings", lambda found: iter([]))
    reconcile_module.reconcile(province, submissions, Config())
    return seen


def _linked_contract(linked: pl.DataFrame) -> dict[str, Any]:
    """The linked frame's declared columns: every one read after it is built (findings and reconcile).

    A row column read only when the input had it (``s_nik_raw``: no NIK column, no raw NIK) is held to
    its dtype when present.
    """
    declared = s.linked_schema(reconcile_module._LINKED_READ)
    optional = {s.ROW_SIDE + c for c in s.ROW_COLUMNS_IF_TYPED}
    return {c: t for c, t in declared.items() if c not in optional or c in linked.columns}


def _breaches(seen: Observed) -> dict[str, list[str]]:
    contracts = {
        "rows": s.SUBMISSION_ROWS,
        "linked_rows": s.LINKED_ROWS,
        "households": s.HOUSEHOLDS,
        "persons": s.PERSONS,
        "links": s.LINKS,
        "linked": _linked_contract(seen["linked"]),
    }
    return {name: s.breaches(seen[name].schema, declared) for name, declared in contracts.items()}


@pytest.mark.parametrize("level", ["household", "individual"])
def test_each_stage_hands_on_the_columns_the_contract_declares(
    level: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    province, submissions = (
        _household_round() if level == "household" else request.getfixturevalue("individual_round")
    )
    seen = _observe(monkeypatch, province, submissions)
    assert {name: found for name, found in _breaches(seen).items() if found} == {}
    # Every stage saw rows (an empty frame would hold the contract trivially), the findings read the linked frame.
    assert all(seen[n].height for n in ("rows", "households", "persons", "links", "linked"))
    assert seen["findings_input"] is seen["linked"]
    # The keys: s_idx numbers the batch's rows in order, h_idx the list's households, t_idx the persons.
    rows, links = seen["linked_rows"], seen["links"]
    assert rows[s.S_IDX].to_list() == list(range(rows.height))
    assert seen["households"][s.H_IDX].to_list() == list(range(seen["households"].height))
    assert seen["persons"][s.T_IDX].to_list() == list(range(seen["persons"].height))
    assert seen["linked"][s.S_IDX].to_list() == rows[s.S_IDX].to_list()  # one linked row per submission row
    assert links[s.S_IDX].is_in(rows[s.S_IDX].implode()).all()
    assert links[s.H_IDX].is_in(seen["households"][s.H_IDX].implode()).all()
    assert links[s.T_IDX].drop_nulls().is_in(seen["persons"][s.T_IDX].implode()).all()
    assert set(links[s.ROLE].unique()) <= {s.PRIMARY, s.SECONDARY, s.MEMBER}
    assert set(links[s.MATCH_STATUS].unique()) <= {s.MATCHED, s.REVIEW}
    if level == "individual":  # a list of persons folded into households: several persons a household
        assert seen["persons"].height > seen["households"].height


def test_the_contract_declares_every_column_the_findings_read() -> None:
    declared = s.linked_schema(columns_read())  # KeyError: a column no stage declares
    assert set(declared) == set(columns_read())
    assert set(s.linked_schema(reconcile_module._LINKED_READ)) >= set(declared)
    # The checks read each side through its prefix, and the keys by name.
    assert {s.S_IDX, s.H_IDX, s.T_IDX} <= columns_read()
    assert all(c.startswith(s.SIDES) or c in s.LINKS or c in s.LINKED_OWN for c in columns_read())


def test_a_column_no_stage_declares_is_refused() -> None:
    with pytest.raises(KeyError, match="s_no_such_field"):
        s.linked_schema({"s_no_such_field"})
    with pytest.raises(KeyError, match="h_t_idx"):
        s.linked_schema({"h_t_idx"})  # a person's key is not a household column


def test_a_dropped_renamed_or_retyped_column_breaches_the_contract() -> None:
    declared: s.DTypes = {s.S_IDX: pl.Int64(), s.ROLE: pl.Utf8(), "nik_level": pl.Enum}
    good = pl.DataFrame(
        {s.S_IDX: [0], s.ROLE: [s.PRIMARY], "nik_level": pl.Series(["same"], dtype=pl.Enum(["same"]))}
    )
    assert s.breaches(good.schema, declared) == []
    assert s.breaches(good.drop(s.ROLE).schema, declared) == ["role: missing"]
    assert s.breaches(good.rename({s.S_IDX: "row_idx"}).schema, declared) == ["s_idx: missing"]
    assert s.breaches(good.cast({s.S_IDX: pl.Int32}).schema, declared) == ["s_idx: Int32, declared Int64"]


def test_the_contract_is_the_matchers_own() -> None:
    """The matching package keeps its own copies for now: they must not drift from the contract."""
    assert dict(prepare.PERSON_COLUMNS) == dict(s.PERSON_COLUMNS)
    assert dict(prepare.HOUSEHOLD_COLUMNS) == dict(s.HOUSEHOLD_COLUMNS)
    assert tuple(comparison_names()) == s.COMPARED
