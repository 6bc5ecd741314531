"""Name normalisation: titles, old spellings, abbreviations, patronyms and the phonetic key."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verval_cli.normalize import normalize_frame, normalize_name_text
from verval_cli.normalize.names import phonetic_key


@pytest.mark.parametrize(
    ("raw", "name", "titles"),
    [
        ("Suparno", "SUPARNO", None),
        ("  tukiyem  ", "TUKIYEM", None),
        ("Sri   Wahyuni", "SRI WAHYUNI", None),
        ("Ma'ruf Amin", "MARUF AMIN", None),
        ("MA’RUF", "MARUF", None),
        ("Sri-Wahyuni", "SRI WAHYUNI", None),
        ("ｓｕｐａｒｎｏ", "SUPARNO", None),
        ("Sri\u00a0Wahyuni\u200b", "SRI WAHYUNI", None),
        # titles before the name
        ("H. Suparno", "SUPARNO", "H"),
        ("H.SUPARNO", "SUPARNO", "H"),
        ("Hj. Siti Aminah", "SITI AMINAH", "HJ"),
        ("HAJI MARYONO", "MARYONO", "HAJI"),
        ("Hajjah Fatimah", "FATIMAH", "HAJJAH"),
        ("K.H. Abd. Rahman", "ABDUL RAHMAN", "KH"),
        ("KH ABDUL RAHMAN", "ABDUL RAHMAN", "KH"),
        ("Drs. H. Karyono", "KARYONO", "DRS;H"),
        ("Dra. Sumiati", "SUMIATI", "DRA"),
        ("DR.IR.SUTOYO", "SUTOYO", "DR;IR"),
        ("Ny. Sri Wahyuni", "SRI WAHYUNI", "NY"),
        ("NYONYA SRI", "SRI", "NYONYA"),
        ("Tn. Budi", "BUDI", "TN"),
        ("Bpk. Karto", "KARTO", "BPK"),
        ("BP KARTO", "KARTO", "BP"),
        ("Bapak Karto", "KARTO", "BAPAK"),
        ("Ibu Sumiyati", "SUMIYATI", "IBU"),
        ("Sdr. Paijo", "PAIJO", "SDR"),
        ("Sdri. Painem", "PAINEM", "SDRI"),
        ("Mbah Karto", "KARTO", "MBAH"),
        # degrees after the name
        ("Rina, S.Pd.", "RINA", "SPD"),
        ("RINA, S.PD.I", "RINA", "SPDI"),
        ("Budi Santoso, S.E.", "BUDI SANTOSO", "SE"),
        ("Budi Santoso SE", "BUDI SANTOSO", "SE"),
        ("Budi Santoso, SH", "BUDI SANTOSO", "SH"),
        ("Agus, S.Kom.", "AGUS", "SKOM"),
        ("Agus, S.Ag", "AGUS", "SAG"),
        ("Agus, S.Sos.", "AGUS", "SSOS"),
        ("Agus, S.IP", "AGUS", "SIP"),
        ("Agus, S.T.", "AGUS", "ST"),
        ("Agus, S.Si.", "AGUS", "SSI"),
        ("Rina, A.Md.", "RINA", "AMD"),
        ("Rina, M.Si.", "RINA", "MSI"),
        ("SUTOYO, MM", "SUTOYO", "MM"),
        ("Drs. H. Moch. Soebroto, S.Pd., M.Pd.", "MUHAMMAD SUBROTO", "DRS;H;SPD;MPD"),
        # deceased markers, anywhere
        ("Alm. Tukiyem", "TUKIYEM", "ALM"),
        ("ALMH. SUPINAH", "SUPINAH", "ALMH"),
        ("Almarhum Karto", "KARTO", "ALMARHUM"),
        ("Suparno (Alm)", "SUPARNO", "ALM"),
        ("SUPINAH ALMARHUMAH", "SUPINAH", "ALMARHUMAH"),
        # name parts that merely look like titles stay
        ("HASAN", "HASAN", None),
        ("HARYONO", "HARYONO", None),
        ("IRMA", "IRMA", None),
        ("SITI MA", "SITI MA", None),
        ("SE", "SE", None),
        # nothing
        (None, None, None),
        ("", None, None),
        ("-", None, None),
    ],
)
def test_name_and_titles(raw: str | None, name: str | None, titles: str | None) -> None:
    out = normalize_name_text(raw)
    assert out["name_raw"] == raw
    assert out["name"] == name
    assert out["name_titles"] == titles


@pytest.mark.parametrize(
    ("raw", "deceased"),
    [
        ("Alm. Karto", True),
        ("Karto (alm.)", True),
        ("ALMARHUMAH SITI", True),
        ("H. Karto", False),
        ("SALMAH", False),
    ],
)
def test_deceased_title(raw: str, deceased: bool) -> None:
    assert normalize_name_text(raw)["name_deceased_title"] is deceased


def test_deceased_title_null_for_null_name() -> None:
    assert normalize_name_text(None)["name_deceased_title"] is None


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Soeparman", "SUPARMAN"),
        ("DJOKO", "JOKO"),
        ("TJIPTO", "CIPTO"),
        ("NJOTO", "NYOTO"),
        ("SJAHRIR", "SYAHRIR"),
        ("CHOLIFAH", "KHOLIFAH"),
        ("SOENDJOJO", "SUNJOJO"),  # one pass: NDJ -> NJ, not NY
        ("Mochammad Ridwan", "MUHAMMAD RIDWAN"),
        ("MUHAMAD RIDWAN", "MUHAMMAD RIDWAN"),
        ("MOHAMAD RIDWAN", "MUHAMMAD RIDWAN"),
        ("MOHAMMAD RIDWAN", "MUHAMMAD RIDWAN"),
        ("MOCHAMAD RIDWAN", "MUHAMMAD RIDWAN"),
        ("MUCHAMMAD RIDWAN", "MUHAMMAD RIDWAN"),
        ("Moch. Ridwan", "MUHAMMAD RIDWAN"),
        ("MOH RIDWAN", "MUHAMMAD RIDWAN"),
        ("Muh. Ridwan", "MUHAMMAD RIDWAN"),
        ("MUHD RIDWAN", "MUHAMMAD RIDWAN"),
        ("MHD RIDWAN", "MUHAMMAD RIDWAN"),
        ("M. Ridwan", "MUHAMMAD RIDWAN"),
        ("M RIDWAN", "MUHAMMAD RIDWAN"),
        ("RIDWAN M", "RIDWAN M"),  # a trailing M is an initial, not Muhammad
        ("M", "M"),
        ("Achmad Dahlan", "AHMAD DAHLAN"),
        ("AHMED DAHLAN", "AHMAD DAHLAN"),
        ("Abd. Rahman", "ABDUL RAHMAN"),
        ("ABD RAHMAN", "ABDUL RAHMAN"),
        ("Noor Hadi", "NUR HADI"),
        ("NOER HADI", "NUR HADI"),
        ("Sitti Aminah", "SITI AMINAH"),
        ("ABDULLAH", "ABDULLAH"),  # whole words only
        ("MOHAN", "MOHAN"),
        # J is never turned into Y: modern J names must survive
        ("JOKO", "JOKO"),
        ("JAJANG SUJANA", "JAJANG SUJANA"),
    ],
)
def test_spelling_and_abbreviations(raw: str, name: str) -> None:
    assert normalize_name_text(raw)["name"] == name


@pytest.mark.parametrize(
    ("raw", "patronym"),
    [
        ("Ahmad bin Sulaiman", "SULAIMAN"),
        ("SITI BINTI KARTO DIMEJO", "KARTO DIMEJO"),
        ("H. Ahmad Bin Abd. Rahman", "ABDUL RAHMAN"),
        ("SUPARNO", None),
        ("BINTORO", None),
        ("ROBBIN HADI", None),
    ],
)
def test_patronym(raw: str, patronym: str | None) -> None:
    out = normalize_name_text(raw)
    assert out["name_patronym"] == patronym
    if patronym:
        assert out["name"].endswith(patronym)  # BIN / BINTI stays in the name


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("SUPARNO", "SPRN"),
        ("SITI AMINAH", "ST AMN"),
        ("AHMAD", "AMT"),
        ("HADI", "HT"),
        ("BUDI SANTOSO", "PT SNTS"),
        ("ZAINAB", "JNP"),
        ("VIVI", "FF"),
        ("QOMARUDIN", "KMRTN"),
        ("SYAMSUL", "SMSL"),
        ("KHOLIFAH", "KLF"),
        ("MUHAMMAD", "MMT"),
        (None, None),
    ],
)
def test_phonetic_key(raw: str | None, key: str | None) -> None:
    assert normalize_name_text(raw)["name_key"] == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SOEPARMAN", "SUPARMAN"),
        ("Djoko Soesilo", "JOKO SUSILO"),
        ("Tjahjadi", "CAHJADI"),
        ("CHOLIFAH", "KHOLIFAH"),
        ("QOMARIAH", "KOMARIAH"),
        ("SYAMSUL", "SAMSUL"),
        ("ZAINAB", "JAINAB"),
        ("SUPPARNO", "SUPARNO"),
        ("H. Mochammad Nur", "MUHAMMAD NOOR"),
        ("Achmad Dhani", "AHMAD DANI"),
        ("EVI", "EFI"),
        ("ABDUL", "APTUL"),
    ],
)
def test_phonetic_key_equates_variants(a: str, b: str) -> None:
    assert normalize_name_text(a)["name_key"] == normalize_name_text(b)["name_key"]


@pytest.mark.parametrize(
    ("a", "b"),
    [("SUPARNO", "SUPARMI"), ("SITI", "SARTI"), ("JOKO", "YOKO"), ("ANI", "ANTI"), ("DEDI", "TEDI SUTEDI")],
)
def test_phonetic_key_separates_different_names(a: str, b: str) -> None:
    assert normalize_name_text(a)["name_key"] != normalize_name_text(b)["name_key"]


def test_other_name_fields_get_the_same_treatment() -> None:
    frame = pl.DataFrame({"name_corrected": ["Hj. Siti Chodijah"], "mother_name": ["Almh. Sitti Aminah"]})
    out = normalize_frame(frame).row(0, named=True)
    assert out["name_corrected"] == "SITI KHODIJAH"
    assert out["name_corrected_titles"] == "HJ"
    assert out["mother_name"] == "SITI AMINAH"
    assert out["mother_name_deceased_title"] is True
    assert out["mother_name_key"] == "ST AMN"


@settings(max_examples=50, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), st.text(max_size=60)), min_size=1, max_size=60))
def test_never_raises(texts: list[str | None]) -> None:
    out = normalize_frame(pl.DataFrame({"name": texts}, schema={"name": pl.Utf8}))
    assert out["name_raw"].to_list() == texts
    for name, key in zip(out["name"].to_list(), out["name_key"].to_list(), strict=True):
        assert (name is None) == (key is None)
        if name is not None:
            assert name == name.strip()
            assert "  " not in name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("AAN", "AN"),  # a doubled first letter (the first of the collapsed letters) at a word's start
        ("DJOKO", "JOKO"),  # DJ folds as one (not D then J), even when the old spelling reached the key
    ],
)
def test_phonetic_key_of_normalised_names(a: str, b: str) -> None:
    keys = pl.DataFrame({"n": [a, b]}).select(phonetic_key(pl.col("n")))
    assert keys.to_series().to_list() == [keys.item(1, 0)] * 2
