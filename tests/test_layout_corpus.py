"""The corpus of real layouts (tests/layouts): each maps with no wrong field, and the CLI runs on each.

Every layout names its public source; its file is written into a temporary folder from its definition.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layouts import Layout, all_layouts
from typer.testing import CliRunner

from verval_cli.cli import app
from verval_cli.io import SheetReport, load_table

LAYOUTS = all_layouts()
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
PROVINCE = SAMPLE / "province"
SUBMISSION = SAMPLE / "submissions" / "Hasil Verval Desa Brengkok.csv"
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layouts")
    return {layout.name: layout.write(folder) for layout in LAYOUTS}


def _report(path: Path) -> SheetReport:
    result = load_table(path)
    assert result.failures == [], result.failures
    assert len(result.sheets) == 1
    return result.sheets[0]


def _missed(layout: Layout, report: SheetReport) -> list[str]:
    return [h for h, f in layout.expected.items() if f is not None and h not in report.mapping]


def test_corpus_holds_twenty_distinct_layouts_each_with_a_source() -> None:
    assert len(LAYOUTS) >= 20
    assert len({layout.name for layout in LAYOUTS}) == len(LAYOUTS)
    assert len({tuple(layout.expected) for layout in LAYOUTS}) == len(LAYOUTS)
    assert all(layout.source.strip() for layout in LAYOUTS)


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_layout_maps_with_no_wrong_field(layout: Layout, written: dict[str, Path]) -> None:
    report = _report(written[layout.name])
    wrong = {
        h: (got, layout.expected.get(h)) for h, got in report.mapping.items() if layout.expected.get(h) != got
    }
    assert wrong == {}
    assert len(_missed(layout, report)) <= 1
    assert [c["header"] for c in report.mapping_explained] == list(layout.expected)
    rows = sum(1 for _ in range(layout.rows))
    assert report.data_rows == rows


def test_corpus_misses_at_most_one_meaningful_header_in_twenty(written: dict[str, Path]) -> None:
    meaningful = sum(f is not None for layout in LAYOUTS for f in layout.expected.values())
    missed = [(layout.name, h) for layout in LAYOUTS for h in _missed(layout, _report(written[layout.name]))]
    assert len(missed) * 20 <= meaningful, missed


def _ran(args: list[str]) -> int:
    result = CliRunner().invoke(app, args)
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_reconcile_and_validate_run_on_layout(
    layout: Layout, written: dict[str, Path], tmp_path: Path
) -> None:
    path = written[layout.name]
    as_province = [
        "reconcile",
        str(path),
        str(SUBMISSION),
        "--out",
        str(tmp_path / "as_province"),
        "--lang",
        "en",
    ]
    fields = set(layout.expected.values())
    if "status" in fields and "household_id" not in fields:
        # a village's verval results given as the province list: refused as swapped arguments, in one
        # line, and read when the officer insists
        refused = CliRunner().invoke(app, as_province)
        assert refused.exit_code == 2 and "looks like village submissions" in refused.output, refused.output
        as_province.append("--force")
    _ran(as_province)
    _ran(["reconcile", str(PROVINCE), str(path), "--out", str(tmp_path / "as_submission")])
    _ran(["validate", str(path)])


def test_inspect_json_explains_each_column_beside_the_old_mapping(written: dict[str, Path]) -> None:
    path = written["perbaikan_nik_krt_art"]
    result = CliRunner().invoke(app, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.output
    sheet = json.loads(result.stdout)["sheets"][0]
    assert sheet["mapping"]["NAMA ART"] == "name" and "NAMA KRT" not in sheet["mapping"]
    by_header = {c["header"]: c for c in sheet["mapping_explained"]}
    assert {c["header"]: c["field"] for c in sheet["mapping_explained"] if c["field"]} == sheet["mapping"]
    krt = by_header["NAMA KRT"]
    assert (krt["field"], krt["unmapped"], krt["competing"]) == (None, "ruled out", ["NAMA ART"])
    assert by_header["NIK LAMA"]["rule"] == "tokens+abbreviation + role stripped"
    assert by_header["NAMA ART"]["rule"] == "exact synonym"
    assert sheet["mapping_summary"] == "9 of 10 columns mapped, 1 ruled out, 0 kept as extra"
    plain = CliRunner().invoke(app, ["inspect", str(path)])
    assert sheet["mapping_summary"] in " ".join(plain.output.split())


def test_readme_shows_the_corpus_figures_and_a_real_inspect(written: dict[str, Path]) -> None:
    meaningful = right = 0
    for layout in LAYOUTS:
        report = _report(written[layout.name])
        meaningful += sum(f is not None for f in layout.expected.values())
        right += sum(f is not None and report.mapping.get(h) == f for h, f in layout.expected.items())
    section = README.split("## Supported layouts", 1)[1].split("\n## ", 1)[0]
    assert f"now {right}/{meaningful} with none wrong" in section
    assert f"  {_report(written['dukcapil_siak_biodata']).mapping_summary}\n" in section
    assert section.count("\n| ") - 1 == len(LAYOUTS)  # one table row per layout, after the header row
