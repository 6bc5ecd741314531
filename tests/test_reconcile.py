"""`verval reconcile`: accuracy against generated ground truth, the output contract, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from verval_cli.cache import CACHE_DIR
from verval_cli.cli import app
from verval_cli.codes import CODES
from verval_cli.evaluation import evaluate
from verval_cli.marks import MANIFEST
from verval_cli.reconcile import reconcile
from verval_cli.result import MATCH_COLUMNS, OUTPUT_FILES, ReconcileResult
from verval_cli.sample import SampleSpec, generate_truth, write_round

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def household_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("round_household")
    write_round(generate_truth(SampleSpec(seed=11, villages=30, kecamatan=10)), out)
    return out


@pytest.fixture(scope="module")
def individual_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("round_individual")
    write_round(generate_truth(SampleSpec(seed=12, villages=20, kecamatan=8, level="individual")), out)
    return out


@pytest.fixture(scope="module")
def sample_result() -> ReconcileResult:
    return reconcile(SAMPLE / "province", [SAMPLE / "submissions"])


@pytest.mark.parametrize("round_name", ["household_round", "individual_round"])
def test_accuracy_on_generated_rounds(round_name: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(round_name)
    result = reconcile(folder / "province", [folder / "submissions"])
    accuracy = evaluate(result.matches, pl.read_parquet(folder / "truth" / "truth_rows.parquet"))
    assert accuracy.rows_missing_from_matches == 0
    assert accuracy.rows_duplicated_in_matches == 0
    assert accuracy.precision >= 0.995, accuracy.to_dict()
    assert accuracy.recall >= 0.99, accuracy.to_dict()
    assert accuracy.review_share <= 0.05, accuracy.to_dict()


def test_every_row_accounted_for_exactly_once(sample_result: ReconcileResult) -> None:
    matches = sample_result.matches
    submitted = matches.filter(pl.col("submission_row").is_not_null())
    assert submitted.height == sample_result.submissions.height
    assert submitted.select("submission_file", "submission_sheet", "submission_row").is_unique().all()
    only = matches.filter(pl.col("match_status") == "province_only")
    primary = matches.filter(pl.col("link_role") == "primary")
    assert only.height + primary.height == sample_result.province.height
    assert sample_result.summary["balance"]["balanced"] is True


def test_matches_follow_the_contract(sample_result: ReconcileResult) -> None:
    matches = sample_result.matches
    assert dict(matches.schema) == MATCH_COLUMNS
    assert set(matches["match_status"].unique()) <= {"matched", "review", "province_only", "submission_only"}
    assert set(matches["match_method"].unique()) <= {"id", "nik", "nik_repaired", "kk", "name", "none"}
    assert matches["match_score"].is_between(0, 100).all()
    known = {c.value for c in CODES}
    assert set(matches["discrepancies"].explode().drop_nulls().unique()) <= known
    assert matches.filter(pl.col("desa_code").is_not_null())["desa_code"].str.contains(r"^\d{10}$").all()
    unmatched = matches.filter(pl.col("match_status").is_in(["province_only", "submission_only"]))
    assert (unmatched["match_method"] == "none").all()


def test_cleaned_inputs_keep_nik_as_text(sample_result: ReconcileResult) -> None:
    for frame in (sample_result.province, sample_result.submissions):
        assert frame.schema["nik"] == pl.Utf8
        assert frame.schema["nik_raw"] == pl.Utf8
        assert {"source_file", "source_row", "nik_status"} <= set(frame.columns)


def test_damaged_nik_recovered_is_flagged_with_suggestion(sample_result: ReconcileResult) -> None:
    damaged = sample_result.discrepancies.filter(pl.col("code") == "nik_excel_damaged")
    assert damaged.height > 0
    linked = damaged.filter(pl.col("province_id").is_not_null())
    assert linked["suggested_value"].str.contains(r"^\d{16}$").all()
    # never silently overwritten: the cleaned submission keeps what was typed
    raw = sample_result.submissions.filter(pl.col("nik_status") == "excel_damaged")["nik_raw"]
    assert raw.str.contains(r"E\+|0$").all()


def test_cli_writes_every_output_and_json_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["reconcile", str(SAMPLE / "province"), str(SAMPLE / "submissions"), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, MANIFEST, CACHE_DIR])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == summary
    matches = pl.read_parquet(out / "matches.parquet")
    assert (
        matches.height
        == summary["balance"]["submission_rows_loaded"]
        + summary["balance"]["province_households_not_reported"]
    )


def test_cli_refuses_non_empty_output_without_force(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    args = ["reconcile", str(SAMPLE / "province"), str(SAMPLE / "submissions"), "--out", str(tmp_path)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert "Traceback" not in refused.output


def test_same_inputs_give_identical_parquet(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        args = [
            "reconcile",
            str(SAMPLE / "province"),
            str(SAMPLE / "submissions"),
            "--out",
            str(tmp_path / name),
        ]
        assert runner.invoke(app, args).exit_code == 0
    for name in ("matches.parquet", "discrepancies.parquet", "submissions.parquet", "province.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_province_list_without_region_codes_resolves_desa_names(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(SAMPLE / "province" / "daftar_sasaran_p3ke_3304.xlsx")
    sheet = book.active
    assert sheet is not None
    header = [cell.value for cell in sheet[12]]
    sheet.delete_cols(header.index("kode_kemdagri") + 1)
    stripped = tmp_path / "daftar_tanpa_kode.xlsx"
    book.save(stripped)
    result = reconcile(stripped, [SAMPLE / "submissions"])
    assert result.summary["regency"] == "3304"
    assert result.province["desa_code"].null_count() == 0
    assert result.province["desa_code"].n_unique() == 44
    accuracy = evaluate(result.matches, pl.read_parquet(SAMPLE / "truth" / "truth_rows.parquet"))
    assert accuracy.precision >= 0.995
    assert accuracy.recall >= 0.99


def test_province_list_that_never_names_its_regency(tmp_path: Path) -> None:
    # No region code, regency name or NIK: the regency stays unknown, and linking by No KK still works.
    province = tmp_path / "daftar.csv"
    province.write_text(
        "nama_kepala_keluarga,no_kk,desa\n"
        "SUPARNO,3304011203150001,KEBANARAN\n"
        "SITI AMINAH,3304011203150002,KEBANARAN\n",
        encoding="utf-8",
    )
    submission = tmp_path / "hasil_desa.csv"
    submission.write_text(
        "nama_kepala_keluarga,no_kk,status\nSUPARNO,3304011203150001,Sesuai\n", encoding="utf-8"
    )
    result = reconcile(province, [submission])
    assert result.summary["regency"] is None
    statuses = dict(zip(result.matches["province_row"], result.matches["match_status"], strict=True))
    assert statuses == {2: "matched", 3: "province_only"}


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 1, 0, 2]])
def test_unreported_households_are_those_no_primary_link_claims(order: list[int]) -> None:
    from verval_cli.reconcile import unreported_households

    households = pl.DataFrame(
        {"h_idx": order, "household_id": [f"H{i}" for i in order], "source_row": [i + 2 for i in order]}
    )
    links = pl.DataFrame({"h_idx": [1, 3, 2], "role": ["primary", "primary", "secondary"]})
    unreported = unreported_households(households, links)
    # in list order, whatever the numbering; a secondary link does not claim a household
    assert unreported["h_idx"].to_list() == [i for i in order if i in (0, 2)]
    assert unreported.columns == ["h_idx", "household_id", "source_row"]
