"""The short way of reading a header (no word it knows) gives exactly what the long way gives."""

from __future__ import annotations

import itertools

import pytest

from verval_cli.io import header_words as hw
from verval_cli.io.columns import _VOCABULARY, _WORD_INDEX, SYNONYMS


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
