"""Person names: titles out, old spellings and abbreviations normalised, an Indonesian phonetic key.

``J -> Y`` (the pre-1972 spelling of ``Y``) is deliberately *not* applied: modern names spelled with
``J`` (JOKO, JAJANG) would be corrupted, and ``DJ -> J`` already covers the common old form. Both sides
of a comparison go through the same rules, so a systematic change (``ANJAR -> ANYAR``) does no harm.
"""

from __future__ import annotations

from typing import Final

import polars as pl

# Honorifics and religious / professional titles written *before* a name, canonical form without dots.
# Each entry's regex allows the dotted spelling (K.H. -> KH).
PREFIX_TITLES: Final = (
    "ALMARHUMAH",
    "ALMARHUM",
    "ALMH",
    "ALM",
    "HAJJAH",
    "HAJAH",
    "HAJI",
    "HJH",
    "HJ",
    "KH",
    "KYAI",
    "USTADZAH",
    "USTADZ",
    "UST",
    "PROF",
    "DRS",
    "DRA",
    "DR",
    "IR",
    "NYONYA",
    "NY",
    "TUAN",
    "TN",
    "BAPAK",
    "BPK",
    "BP",
    "PAK",
    "IBU",
    "SAUDARI",
    "SAUDARA",
    "SDRI",
    "SDR",
    "MBAH",
    "H",
)
DECEASED_TITLES: Final = ("ALMARHUMAH", "ALMARHUM", "ALMH", "ALM")

# Academic degrees written *after* a name (usually after a comma), in their dotted form.
SUFFIX_TITLES: Final = (
    "S.PD.SD",
    "S.PD.I",
    "S.PD",
    "S.E.I",
    "S.E",
    "S.H.I",
    "S.H",
    "S.KOM",
    "S.AG",
    "S.SOS",
    "S.IP",
    "S.IKOM",
    "S.T",
    "S.TP",
    "S.SI",
    "S.KM",
    "S.KEP",
    "S.KED",
    "S.FARM",
    "S.PSI",
    "S.HUT",
    "S.STP",
    "S.P",
    "S.S",
    "A.MD.KEP",
    "A.MD.KEB",
    "A.MD",
    "A.MA.PD",
    "A.MA",
    "M.PD.I",
    "M.PD",
    "M.SI",
    "M.KES",
    "M.AG",
    "M.KOM",
    "M.SC",
    "M.M",
    "M.H",
    "M.T",
    "M.A",
)
# Degrees also recognised without dots; short ones that are also name parts (MA, SP, SS, MM) are not.
UNDOTTED_SUFFIXES: Final = frozenset(
    {"SE", "SH", "ST", "SPD", "SPDI", "SKOM", "SAG", "SSOS", "SIP", "SSI", "SKM", "SKEP", "SKED", "SPSI"}
    | {"AMD", "MPD", "MSI", "MKES", "MAG", "MKOM"}
)

# Old spellings, applied in one left-to-right pass (NDJ -> NJ stays NJ: SOENDJOJO -> SUNJOJO).
OLD_SPELLINGS: Final[dict[str, str]] = {"OE": "U", "NJ": "NY", "SJ": "SY", "CH": "KH", "DJ": "J", "TJ": "C"}

# Whole-word abbreviations and variants, listed as they look after OLD_SPELLINGS.
WORD_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "MUHAMMAD": (
        "MUHAMAD",
        "MOHAMAD",
        "MOHAMMAD",
        "MOHAMED",
        "MOHAMMED",
        "MUHAMMED",
        "MOKHAMMAD",
        "MOKHAMAD",
        "MUKHAMMAD",
        "MUKHAMAD",
        "MOKH",
        "MOH",
        "MOHD",
        "MUH",
        "MUHD",
        "MHD",
    ),
    "AHMAD": ("AKHMAD", "AHMED", "ACHMAD"),
    "ABDUL": ("ABD",),
    "NUR": ("NOOR", "NUER"),
    "SITI": ("SITTI",),
}

# Priyadi-style phonetic key: letter groups folded first (one pass), then silent H and vowels dropped.
PHONETIC_FOLDS: Final[dict[str, str]] = {
    "OE": "U",
    "TJ": "C",
    "DJ": "J",
    "KH": "K",
    "SY": "S",
    "Q": "K",
    "V": "F",
    "Z": "J",
    "D": "T",
    "B": "P",
}

_APOSTROPHES = r"['’‘`´ʼ]"
_INVISIBLE = r"[\s\u200B-\u200D\u2060\uFEFF]+"


def _title_regex(canonical: str) -> str:
    # "KH" also matches "K.H." and "K. H."; longer titles only as written
    if len(canonical) == 2:
        return rf"{canonical[0]}\.?\s*{canonical[1]}"
    return canonical


def _dotted_regex(dotted: str) -> str:
    return r"\s*\.\s*".join(dotted.split("."))


_BY_LENGTH = sorted(SUFFIX_TITLES, key=len, reverse=True)
_DOTTED_ALT = "|".join(_dotted_regex(t) for t in _BY_LENGTH)
_UNDOTTED_ALL = [t.replace(".", "") for t in _BY_LENGTH]
_UNDOTTED_SAFE = [u for u in _UNDOTTED_ALL if u in UNDOTTED_SUFFIXES]
_PREFIX_ALT = "|".join(_title_regex(t) for t in PREFIX_TITLES)
_PREFIX_CHUNK = rf"^(?:(?:{_PREFIX_ALT})(?:\.\s*|\s+|,\s*))+"
_PREFIX_TOKEN = rf"\b(?:{_PREFIX_ALT})\b"
_DECEASED_TOKEN = rf"\b(?:{'|'.join(DECEASED_TITLES)})\b\.?"
# After a comma any degree counts ("SUTOYO, MM"); after a space only dotted or unambiguous ones.
_SUFFIX_SEGMENT = (
    rf"(?:[\s,]+(?:{_DOTTED_ALT}|{'|'.join(_UNDOTTED_SAFE)})|\s*,[\s,]*(?:{'|'.join(_UNDOTTED_ALL)}))\.?"
)
_SUFFIX_SPLIT = rf"^(?P<name>.*?[^\s.,])(?P<suffix>(?:{_SUFFIX_SEGMENT})+)[\s.,]*$"
_SUFFIX_TOKEN = rf"\b(?:{_DOTTED_ALT}|{'|'.join(_UNDOTTED_ALL)})\b"
_COLLAPSE_DOUBLES = "|".join(f"({c}){c}+" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_COLLAPSE_REPLACEMENT = "".join(f"${{{i}}}" for i in range(1, 27))


def _tmp(field: str, name: str) -> str:
    return f"__verval[{field}]{name}"


def _titles_text(text: pl.Expr, token_pattern: str) -> pl.Expr:
    """';'-joined canonical titles found in ``text`` (dots and spaces dropped), null when none."""
    joined = text.str.extract_all(token_pattern).list.join(";").str.replace_all(r"[^A-Z;]", "")
    return pl.when(joined != "").then(joined)


def _word_map(text: pl.Expr) -> pl.Expr:
    for target, variants in WORD_VARIANTS.items():
        text = text.str.replace_all(rf"\b(?:{'|'.join(variants)})\b", target)
    return text


def phonetic_key(name: pl.Expr) -> pl.Expr:
    """Indonesian phonetic key of an already normalised name, word by word (``SUPARNO`` -> ``SPRN``)."""
    folded = name.str.replace_many(PHONETIC_FOLDS, leftmost=True)
    collapsed = folded.str.replace_all(_COLLAPSE_DOUBLES, _COLLAPSE_REPLACEMENT)
    # \B: H and vowels are kept at the start of a word (HADI -> HT, AHMAT -> AMT)
    return collapsed.str.replace_all(r"\B[HAEIOU]", "")


def output_columns(field: str) -> tuple[str, ...]:
    """The stage-2 columns produced for a name ``field``, in order (``<field>_raw`` first)."""
    return (
        f"{field}_raw",
        field,
        f"{field}_titles",
        f"{field}_deceased_title",
        f"{field}_patronym",
        f"{field}_key",
    )


def normalize_name(lf: pl.LazyFrame, field: str) -> pl.LazyFrame:
    """Add the stage-2 columns of a name ``field`` from ``<field>_raw``."""

    def t(name: str) -> str:
        return _tmp(field, name)

    raw = pl.col(f"{field}_raw").cast(pl.Utf8)
    # NFKC leaves ASCII text as it is: only names with other characters go through it.
    non_ascii = raw.str.contains(r"[^\x00-\x7F]")
    text = (
        pl.coalesce(pl.when(non_ascii).then(raw).str.normalize("NFKC"), raw)
        .str.to_uppercase()
        .str.replace_all(_APOSTROPHES, "")
        .str.replace_all(_INVISIBLE, " ")
        .str.strip_chars(" ")
    )
    lf = lf.with_columns(text.alias(t("text")))
    s = pl.col(t("text"))
    lf = lf.with_columns(
        _titles_text(s.str.extract(f"({_PREFIX_CHUNK})", 1), _PREFIX_TOKEN).alias(t("prefix_titles")),
        s.str.replace(_PREFIX_CHUNK, "").alias(t("rest")),
    )
    rest = pl.col(t("rest"))
    lf = lf.with_columns(
        _titles_text(rest, _DECEASED_TOKEN).alias(t("deceased_titles")),
        rest.str.replace_all(_DECEASED_TOKEN, " ").alias(t("rest")),
    )
    split = rest.str.extract_groups(_SUFFIX_SPLIT)
    lf = lf.with_columns(
        _titles_text(split.struct.field("suffix"), _SUFFIX_TOKEN).alias(t("suffix_titles")),
        pl.coalesce(split.struct.field("name"), rest).alias(t("rest")),
    )
    titles = pl.concat_str(
        pl.col(t("prefix_titles")),
        pl.col(t("deceased_titles")),
        pl.col(t("suffix_titles")),
        separator=";",
        ignore_nulls=True,
    )
    words = rest.str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars(" ")
    spelled = words.str.replace_many(OLD_SPELLINGS, leftmost=True)
    # a lone "M" before another word is Muhammad ("M. SUPARNO"), not an initial of something else
    expanded = _word_map(spelled.str.replace(r"^M ", "MUHAMMAD "))
    name = pl.col(field)
    lf = lf.with_columns(
        pl.when(expanded != "").then(expanded).alias(field),
        pl.when(titles != "").then(titles).alias(f"{field}_titles"),
    )
    lf = lf.with_columns(
        pl.when(raw.is_not_null())
        .then(pl.col(f"{field}_titles").fill_null("").str.contains(r"(?:^|;)ALM"))
        .alias(f"{field}_deceased_title"),
        name.str.extract(r"(?:^| )BIN(?:TI)? (.+)$", 1).alias(f"{field}_patronym"),
        phonetic_key(name).alias(f"{field}_key"),
    )
    temps = [c for c in lf.collect_schema().names() if c.startswith(_tmp(field, ""))]
    return lf.drop(temps)
