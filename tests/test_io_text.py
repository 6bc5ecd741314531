"""CSV/TXT, HTML saved as .xls, and Parquet: line numbers as an editor shows them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from verval_cli.io import load_table
from verval_cli.io.text import decode_text, sniff_delimiter


def test_semicolon_cp1252_csv_with_title_and_quoted_newline(tmp_path: Path) -> None:
    text = (
        "HASIL VERVAL DESA KEBANARAN;;;\r\n"
        "\r\n"
        "NO;NAMA KK;NIK;KET\r\n"
        '1;JOSÉ SUPARNO;3304031508950001;"pindah\r\nke Jakarta"\r\n'
        "2;TUKIYEM;'3304035708600002;\r\n"
        ";;;\r\n"
        "JUMLAH;2;;\r\n"
    )
    path = tmp_path / "kebanaran.csv"
    path.write_bytes(text.encode("cp1252"))
    result = load_table(path)
    report = result.sheets[0]
    assert (report.format, report.encoding, report.delimiter, report.sheet) == ("csv", "cp1252", ";", None)
    assert report.header_row == 3
    frame = result.frame
    assert frame["source_row"].to_list() == [4, 6]
    assert frame["name"].to_list() == ["JOSÉ SUPARNO", "TUKIYEM"]
    assert frame["nik"].to_list() == ["3304031508950001", "'3304035708600002"]
    assert frame["notes"].to_list() == ["pindah\r\nke Jakarta", None]
    assert frame["nik_numeric_cell"].to_list() == [None, None]
    assert frame["source_sheet"].to_list() == [None, None]
    assert result.rejected.select("source_row", "reason").rows() == [(8, "totals row")]
    assert report.blank_rows == 1


def test_utf8_bom_csv_header_has_no_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(
        '\ufeffNIK,NAMA,TEMPAT/TGL LAHIR\n3304031508950001,SUPARNO,"Banjarnegara, 15-08-1995"\n'.encode()
    )
    result = load_table(path)
    assert result.sheets[0].encoding == "utf-8-sig" and result.sheets[0].delimiter == ","
    assert result.sheets[0].mapping == {
        "NIK": "nik",
        "NAMA": "name",
        "TEMPAT/TGL LAHIR": "birth_place+birth_date",
    }
    assert result.frame.select("source_row", "birth_place", "birth_date").rows() == [
        (2, "Banjarnegara", "15-08-1995")
    ]


def test_tab_separated_txt(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(
        "id_individu\tnama\tnik\thubungan_dengan_kepala_keluarga\nI1\tSUPARNO\t3304031508950001\tKepala Keluarga\n"
    )
    result = load_table(path)
    assert result.sheets[0].delimiter == "\t"
    assert result.frame.select("individual_id", "name", "relation").rows() == [
        ("I1", "SUPARNO", "Kepala Keluarga")
    ]


def test_html_table_saved_as_xls(tmp_path: Path) -> None:
    html = (
        "\ufeff  <html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td colspan='4'>DATA VERVAL DESA KEBANARAN</td></tr>"
        "<tr><th>No</th><th>Nama</th><th>NIK</th><th>Status</th></tr>"
        "<tr><td>1</td><td>SUPARNO &amp; ISTRI</td><td>3304031508950001</td><td>Ada</td></tr>"
        "<tr><td></td><td></td><td></td><td></td></tr>"
        "<tr><td>2</td><td>TUKIYEM</td><td>3304035708600002</td><td>Pindah</td></tr>"
        "</table></body></html>"
    )
    path = tmp_path / "export.xls"
    path.write_bytes(html.encode("utf-8"))
    result = load_table(path)
    assert result.failures == []
    assert result.sheets[0].format == "html" and result.sheets[0].header_row == 2
    assert result.frame.select("source_row", "name", "status").rows() == [
        (3, "SUPARNO & ISTRI", "Ada"),
        (5, "TUKIYEM", "Pindah"),
    ]


def test_html_without_table_fails_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "broken.xls"
    path.write_text("<html><body><p>Session expired</p></body></html>")
    result = load_table(path)
    assert result.failures[0].reason == "HTML table saved as .xls; open it in Excel and save as .xlsx"


def test_parquet_numeric_and_text_columns(tmp_path: Path) -> None:
    path = tmp_path / "list.parquet"
    pl.DataFrame(
        {
            "nik": [3304031508950001, None],
            "nomor_kk": ["3304030101100001", "3304030101100002"],
            "nama": ["SUPARNO", "TUKIYEM"],
            "desil": [1.0, 2.0],
        }
    ).write_parquet(path)
    result = load_table(path.rename(tmp_path / "list.dat"))
    assert result.sheets[0].format == "parquet"
    frame = result.frame
    assert frame.select("source_row", "nik", "no_kk", "desil").rows() == [
        (2, "3304031508950001", "3304030101100001", "1"),
        (3, None, "3304030101100002", "2"),
    ]
    assert frame["nik_numeric_cell"].to_list() == [True, None]
    assert frame["no_kk_numeric_cell"].to_list() == [False, False]


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        (b"NIK;NAMA\n", "NIK;NAMA\n", "utf-8"),
        (b"\xef\xbb\xbfNIK\n", "NIK\n", "utf-8-sig"),
        ("JOSÉ".encode("cp1252"), "JOSÉ", "cp1252"),
        ("NAMA\tNIK".encode("utf-16"), "NAMA\tNIK", "utf-16"),
    ],
)
def test_decode_text(raw: bytes, text: str, encoding: str) -> None:
    assert decode_text(raw) == (text, encoding)


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ('TITLE;;\nNAMA;"ALAMAT, RT";NIK\nX;"Y, 1";3\n', ";"),
    ],
)
def test_sniff_delimiter(sample: str, delimiter: str) -> None:
    assert sniff_delimiter(sample) == delimiter
