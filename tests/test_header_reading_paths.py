"""The short way of reading a header (no word it knows) gives exactly what the long way gives."""

from __future__ import annotations

import itertools
from pathlib import Path

import polars as pl
import pytest
from io_files import rows_at, write_xlsx
from layouts import all_layouts

from verval_cli.io import excel, header, sniff, text
from verval_cli.io import header_words as hw
from verval_cli.io.columns import _VOCABULARY, _WORD_INDEX, SYNONYMS, read_header
from verval_cli.io.header import detect_header

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _words_in_play() -> list[str]:
    words = hw.known_words() | {w for s in SYNONYMS.values() for x in s for w in hw.raw_words(x)}
    return sorted(words)


def _labels() -> list[str]:
    words = _words_in_play()
    glued = ["".join(p) for p in itertools.product(words[::3], words[1::5])]
    spaced = [f"{a} {b}" for a, b in itertools.product(words[::4], words[2::6])]
    data = ["SUPRIYADI", "Siti Aminah", "3304012508800001", "3.30401E+15", "'3304012508800001",
            "12/08/1980", "1980-08-12 00:00:00", "RT 002 RW 003", "Ada", "MENINGGAL DUNIA", "Dusun Kaliwiro",
            "NAMAKU", "KKN", "NIKAH", "DESAKU", "TGLX", "NO.", "", "---", "Ñandú", "straße", "KK1", "1KK"]  # fmt: skip
    combos = [f"{a} {b}" for a, b in itertools.product(data, [*data, *words[::7]])]
    return [*SYNONYMS, *(s for v in SYNONYMS.values() for s in v), *words, *glued, *spaced, *data, *combos]


@pytest.mark.parametrize("chunk", range(4))
def test_short_way_reads_like_the_long_way(chunk: int) -> None:
    labels = _labels()[chunk::4]
    assert len(labels) > 1000
    for label in labels:
        short = hw.read_words(label, _WORD_INDEX, _VOCABULARY)
        long = hw.read_all_words(label, _WORD_INDEX, _VOCABULARY)
        assert short == long, label


def _segment_plainly(word: str, vocabulary: frozenset[str]) -> list[str] | None:
    """The cut by its definition: fewest known pieces, every start tried (the first found wins a tie)."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for start in range(end - 1):
            prefix, piece = best[start], word[start:end]
            if prefix is not None and piece in vocabulary:
                current = best[end]
                if current is None or len(prefix) + 1 < len(current):
                    best[end] = [*prefix, piece]
    found = best[-1]
    return found if found is not None and len(found) > 1 else None


def _take_plainly(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[list[str], bool]:
    """Every occurrence of every phrase removed, by its definition."""
    found = False
    for phrase in phrases:
        i = 0
        while i + len(phrase) <= len(words):
            if tuple(words[i : i + len(phrase)]) == phrase:
                words, found = words[:i] + words[i + len(phrase) :], True
            else:
                i += 1
    return words, found


def test_cut_and_phrases_keep_their_definition() -> None:
    labels = _labels()
    pieces = {w for label in labels for w in hw.raw_words(label) if len(w) >= 4}
    for word in sorted(pieces):
        assert hw._segment(word, _VOCABULARY) == _segment_plainly(word, _VOCABULARY), word
    groups = (hw._OTHER_PHRASES, hw._HEAD_PHRASES, hw._PERSON_PHRASES)
    for label in labels[::3]:
        words = hw.raw_words(label)
        for phrases in groups:
            assert hw._take(list(words), phrases) == _take_plainly(list(words), phrases), label


def test_glued_words_are_still_cut() -> None:
    # the shortcut in _segment must not lose a cut that starts with a known word
    assert hw._segment("NMKEC", _VOCABULARY) == ["NM", "KEC"]
    assert hw._segment("SUPRIYADI", _VOCABULARY) is None
    assert hw.read_words("NMKEC", _WORD_INDEX, _VOCABULARY).field == "kecamatan"


def _grids(folder: Path) -> list[pl.DataFrame]:
    """The raw grid of every sheet of every file in ``folder`` (xlsx and csv)."""
    grids: list[pl.DataFrame] = []
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if suffix == ".csv":
            grids.append(text.read_text(path).grid)
        elif suffix == ".xlsx":
            reader = excel.open_workbook(path, sniff.XLSX)
            grids.extend(excel.read_sheet(reader, path, n, sniff.XLSX).grid for n in reader.sheet_names)
    return grids


def _double_headed(tmp_path: Path) -> pl.DataFrame:
    """A two-row header whose halves are words the reader does not know but whose join is a header ("NK"+"K")."""
    path = write_xlsx(
        tmp_path / "halves.xlsx",
        {"DATA": rows_at(1, [["NK", "NAMA KEPALA KELUARGA"], ["K", None], ["3304012508800001", "Sutrisno"]])},
    )
    reader = excel.open_workbook(path, sniff.XLSX)
    return excel.read_sheet(reader, path, "DATA", sniff.XLSX).grid


@pytest.mark.slow
def test_data_columns_skipped_unread_give_the_same_headers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """detect_header on real sheets: the columns set aside as data are exactly those reading as nothing."""
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    for layout in all_layouts():
        layout.write(layouts)
    grids = [*_grids(SAMPLE), *_grids(layouts), _double_headed(tmp_path)]
    assert len(grids) > 60
    fast = [detect_header(g) for g in grids]
    monkeypatch.setattr(header, "_inert_columns", lambda parts, overrides: [False] * len(parts))
    slow = [detect_header(g) for g in grids]
    assert fast == slow
    assert sum(h is not None for h in slow) > 0.9 * len(
        grids
    )  # they are tables: the comparison is of headers
    assert slow[-1] is not None and slow[-1].mapping.get("NK K") == "no_kk"  # the join is read, not skipped


def test_cells_joined_into_a_header_are_not_data() -> None:
    assert header._inert("SUPRIYADI", "3304012508800001")
    assert not header._inert("NK", "K")  # "NK K" is the key NKK: No KK
    assert not header._inert(None, "NAMA")
    assert read_header("J/K").field == read_header("J/K (L/P)").field == "sex"
    assert not header._inert(None, "J/K")  # single letters are no known words, but JK is a header's key
    assert not header._inert(None, "J/K (L/P)")  # a hint in brackets: read without it, the long way
