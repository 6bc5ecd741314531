"""Settings: defaults, overridden by a ``verval.toml`` file.

Example ``verval.toml``::

    regency = "33.04"                 # the regency being reconciled: Kemendagri code or name ("Banjarnegara")

    [columns]                         # header as typed -> canonical field (see schema.CANONICAL_FIELDS)
    "HASIL CEK LAPANGAN" = "status"
    "NO. KARTU KELUARGA" = "no_kk"
    "NAMA KRT" = "extra"              # keep the column, but map it to no field

    [status]                          # status text or code -> canonical status (see schema.STATUSES)
    "4" = "new"
    "Pindah Alamat" = "moved"

    [matching]
    accept = 85                       # links scoring at least this are accepted
    review = 60                       # links from here up to accept are left for review

    [validate]
    required = ["nik", "name", "status"]

    lang = "id"                       # language of messages and the workbook (id or en)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from verval_cli import schema
from verval_cli.errors import ConfigError
from verval_cli.regions import dotted_code, regency_code

DEFAULT_CONFIG_NAME = "verval.toml"
KEEP_AS_EXTRA = "extra"  # a [columns] value: keep the column as extra:<header>, map it to no field


@dataclass(frozen=True)
class MatchingConfig:
    """Score thresholds of the matcher (0-100)."""

    accept: float = 85.0
    review: float = 60.0


@dataclass(frozen=True)
class Config:
    """Everything a run can be told; every field has a sensible default."""

    regency: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    matching: MatchingConfig = field(default_factory=MatchingConfig)
    required: tuple[str, ...] = (schema.NIK, schema.NAME, schema.STATUS)
    source: Path | None = None
    lang: str | None = None


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table")
    return value


def _check_values(table: dict[str, Any], allowed: tuple[str, ...], what: str, path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str) or value not in allowed:
            raise ConfigError(f"{path}: [{what}] {key!r} = {value!r} is not one of {', '.join(allowed)}")
        out[str(key)] = value
    return out


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (or ``./verval.toml`` when it exists); return defaults when there is none."""
    if path is None:
        candidate = Path(DEFAULT_CONFIG_NAME)
        if not candidate.is_file():
            return Config()
        path = candidate
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc

    columns = _check_values(
        _table(data, "columns", path), (*schema.CANONICAL_FIELDS, KEEP_AS_EXTRA), "columns", path
    )
    status = _check_values(_table(data, "status", path), schema.STATUSES, "status", path)
    matching_table = _table(data, "matching", path)
    try:
        matching = MatchingConfig(
            accept=float(matching_table.get("accept", MatchingConfig.accept)),
            review=float(matching_table.get("review", MatchingConfig.review)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: [matching] thresholds must be numbers") from exc
    if not 0 <= matching.review <= matching.accept <= 100:
        raise ConfigError(f"{path}: [matching] needs 0 <= review <= accept <= 100")
    required_raw = _table(data, "validate", path).get("required", list(Config.required))
    if not isinstance(required_raw, list) or not all(r in schema.CANONICAL_FIELDS for r in required_raw):
        raise ConfigError(f"{path}: [validate] required must list canonical fields")
    lang = data.get("lang")
    if lang is not None and lang not in ("id", "en"):
        raise ConfigError(f'{path}: lang must be "id" or "en"')
    regency = data.get("regency")
    if regency is not None and not isinstance(regency, str):
        raise ConfigError(f'{path}: regency must be a text code such as "33.04"')
    if regency is not None:
        regency = _regency(regency, f"{path}: regency")
    return Config(
        regency=regency,
        columns={k.strip(): v for k, v in columns.items()},
        status=status,
        matching=matching,
        required=tuple(required_raw),
        source=path,
        lang=lang,
    )


_TEMPLATE = {
    "id": """\
# verval.toml: pengaturan verval. Baris yang diawali # hanyalah catatan; hapus # untuk memakainya.
# Tanpa --config, verval memakai ./verval.toml bila ada.

# lang = "id"                       # bahasa pesan dan buku kerja: "id" atau "en"
# regency = "33.04"                 # kode Kemendagri kabupaten yang diperiksa

[columns]                           # judul kolom seperti diketik -> kolom baku
# "HASIL CEK LAPANGAN" = "status"
# "NO. KARTU KELUARGA" = "no_kk"

[status]                            # teks atau kode status -> status baku
# "4" = "new"
# "Pindah Alamat" = "moved"

[matching]
accept = {accept:g}                       # skor paling sedikit ini: diterima
review = {review:g}                       # dari sini sampai accept: perlu diperiksa

[validate]
required = {required}     # kolom wajib
""",
    "en": """\
# verval.toml: verval settings. Lines starting with # are notes; remove the # to use one.
# Without --config, verval uses ./verval.toml when it exists.

# lang = "en"                       # language of messages and the workbook: "id" or "en"
# regency = "33.04"                 # Kemendagri code of the regency being reconciled

[columns]                           # header as typed -> canonical field
# "HASIL CEK LAPANGAN" = "status"
# "NO. KARTU KELUARGA" = "no_kk"

[status]                            # status text or code -> canonical status
# "4" = "new"
# "Pindah Alamat" = "moved"

[matching]
accept = {accept:g}                       # links scoring at least this are accepted
review = {review:g}                       # links from here up to accept are left for review

[validate]
required = {required}     # required columns
""",
}


def config_template(lang: str = "id", regency: str | None = None, regency_label: str = "") -> str:
    """A commented ``verval.toml`` holding every setting at its default (``verval init`` writes it).

    ``regency`` (a code found in the files given to ``verval init --from``) is written as a setting.
    """
    required = "[" + ", ".join(f'"{r}"' for r in Config.required) + "]"
    page = _TEMPLATE["en" if lang == "en" else "id"].format(
        accept=MatchingConfig.accept, review=MatchingConfig.review, required=required
    )
    if regency is None:
        return page
    found = "found in the files given" if lang == "en" else "ditemukan dari file yang diberikan"
    setting = f'regency = "{dotted_code(regency)}"'
    line = f"{setting:<36}# {regency_label + ', ' if regency_label else ''}{found}"
    return re.sub(r"^# regency = .*$", lambda _: line, page, count=1, flags=re.M)


def _regency(text: str, where: str) -> str:
    code = regency_code(text.strip())
    if code is None:
        raise ConfigError(
            f"{where} {text!r} is not a known regency or city (use a name or a code such as 33.04)"
        )
    return dotted_code(code)


def with_regency(config: Config, text: str | None) -> Config:
    """``config`` with the regency a user named ("Banjarnegara", "33.04", "3304"); unchanged for None.

    >>> with_regency(Config(), "Banjarnegara").regency
    '33.04'
    """
    if text is None:
        return config
    return replace(config, regency=_regency(text, "--regency"))
