"""Unreadable files become one-line failures while the other files of the batch still load."""

from __future__ import annotations

from pathlib import Path

import pytest
from io_files import rows_at, write_xlsx

from verval_cli.errors import InputFileError
from verval_cli.io import expand_paths, load_tables

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _good(path: Path) -> Path:
    return write_xlsx(path, {"Sheet1": rows_at(1, [["NAMA", "NIK"], ["SUPARNO", "3304031508950001"]])})


def _truncated(path: Path) -> None:
    data = _good(path.with_name("whole.xlsx")).read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.xlsx", b"", "empty file"),
        ("spaces.csv", b"  \r\n\r\n", "empty file"),
        (
            "encrypted.xlsx",
            OLE_MAGIC + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"),
            "password protected",
        ),
        ("noise.xlsx", bytes(range(256)) * 4, "binary file of unknown format"),
        ("other.zip.xlsx", None, "zip archive that is not a spreadsheet"),
        ("truncated.xlsx", None, "corrupt or truncated file"),
        ("ole.xls", OLE_MAGIC + b"\x00" * 2000, "cannot read workbook"),
        ("no_header.csv", b"foo,bar\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n", "no recognisable header"),
        (
            "xml2003.xls",
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML",
        ),
    ],
)
def test_bad_file_is_a_failure_and_the_batch_goes_on(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    bad = tmp_path / name
    if name == "truncated.xlsx":
        _truncated(bad)
    elif name == "other.zip.xlsx":
        import zipfile

        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
    else:
        assert content is not None
        bad.write_bytes(content)
    first, last = _good(tmp_path / "a.xlsx"), _good(tmp_path / "z.xlsx")
    result = load_tables([first, bad, last])
    assert [f.path for f in result.failures] == [str(bad)]
    failure = result.failures[0]
    assert failure.reason.startswith(reason) or reason in failure.reason, failure.reason
    assert "\n" not in failure.reason
    assert result.frame["source_file"].to_list() == [str(first), str(last)]


def test_no_header_failure_names_the_only_sheet(tmp_path: Path) -> None:
    cells = rows_at(1, [["REKAP"], ["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"], ["i", "j"]])
    result = load_tables([write_xlsx(tmp_path / "rekap.xlsx", {"Rekap": cells})])
    assert result.failures[0].reason == (
        "no recognisable header in sheet 'Rekap' (needs a name or NIK column and one more)"
    )


def test_expand_paths_folders_globs_and_missing(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "desa2.xlsx").write_bytes(b"x")
    (tmp_path / "desa1.CSV").write_bytes(b"x")
    (tmp_path / "~$desa1.xlsx").write_bytes(b"x")
    (tmp_path / "notes.docx").write_bytes(b"x")
    assert expand_paths([str(tmp_path)]) == [tmp_path / "b" / "desa2.xlsx", tmp_path / "desa1.CSV"]
    assert expand_paths([str(tmp_path / "*.CSV"), str(tmp_path / "desa1.CSV")]) == [tmp_path / "desa1.CSV"]
    assert expand_paths([str(tmp_path / "notes.docx")]) == [tmp_path / "notes.docx"]
    with pytest.raises(InputFileError, match="no such file or folder"):
        expand_paths([str(tmp_path / "missing.xlsx")])
    with pytest.raises(InputFileError, match="no file matches"):
        expand_paths([str(tmp_path / "*.ods")])


def test_workbook_with_only_empty_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "kosong.xlsx", {"Sheet1": {}, "Sheet2": rows_at(1, [["DATA VERVAL"]])})
    result = load_tables([path])
    assert result.failures[0].reason == "no table found: every sheet is empty or holds only a few cells"
