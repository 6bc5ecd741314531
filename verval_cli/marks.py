"""The mark verval leaves on every file it writes, so that it never reads its own outputs back as input.

One mark, carried the way each format allows:

- xlsx workbooks: custom document properties ``verval_output`` (what the file is), ``verval_written``
  (when, UTC) and ``verval_version`` (File > Info > Properties > Advanced > Custom in Excel);
- Parquet: the same keys as key-value metadata;
- HTML: ``<meta name="verval-output" content="...">`` in the head;
- each output folder: a manifest ``.verval-output.json`` listing what was written there (it marks
  the files that cannot carry a mark themselves, such as ``summary.json``).

Discovery reads the mark, never the file name: a renamed report is still skipped. A workbook saved
again in Excel or LibreOffice after verval wrote it (its "modified" date moves) and found outside
the output folder that lists it is someone's edit, a village's answer on a form verval sent: it is
read, with a note saying so. Inside that folder it is still skipped (an officer opened and saved it).

>>> mark = read_mark(Path("hasil/laporan_verval.xlsx"))   # doctest: +SKIP
>>> mark.kind, mark.edited                                 # doctest: +SKIP
('laporan_verval', False)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree

import polars as pl

from verval_cli._version import __version__

KEY_KIND: Final = "verval_output"
KEY_WRITTEN: Final = "verval_written"
KEY_VERSION: Final = "verval_version"
HTML_META: Final = "verval-output"
MANIFEST: Final = ".verval-output.json"
# A workbook whose "modified" date is this far from the time verval wrote it was saved again since.
EDIT_TOLERANCE: Final = dt.timedelta(seconds=120)

# What each writer marks its files as.
RECONCILE_DATA: Final = "reconcile"
MAIN_WORKBOOK: Final = "laporan_verval"
PROGRESS_PAGE: Final = "ringkasan"
VILLAGE_WORKBOOK: Final = "per_desa"
ANNOTATED: Final = "diperiksa"
UPLOAD_READY: Final = "siap_unggah"
REJECTED_ROWS: Final = "ditolak"

_KIND_LABELS: Final = {
    RECONCILE_DATA: "reconcile output data",
    MAIN_WORKBOOK: "reconcile report workbook",
    PROGRESS_PAGE: "reconcile progress page",
    VILLAGE_WORKBOOK: "village workbook from report --per-desa",
    ANNOTATED: "annotated copy from validate --annotate",
    UPLOAD_READY: "upload-ready file from validate --fix",
    REJECTED_ROWS: "rejected rows from validate --fix",
}
_HTML_META_RE = re.compile(rb'<meta\s+name="verval-output"\s+content="([^"]*)"', re.IGNORECASE)
_CUSTOM_PART = "docProps/custom.xml"
_CORE_PART = "docProps/core.xml"
_DCTERMS_MODIFIED = "{http://purl.org/dc/terms/}modified"
_MAX_PART = 1 << 20  # document properties are a few hundred bytes


@dataclass(frozen=True)
class Stamp:
    """What a writer puts in its mark: the kind of output, when, and which verval wrote it."""

    kind: str
    written: dt.datetime  # UTC, whole seconds
    version: str

    def properties(self) -> dict[str, str]:
        """The mark as text key-value pairs (Parquet metadata, workbook custom properties)."""
        return {KEY_KIND: self.kind, KEY_WRITTEN: _iso(self.written), KEY_VERSION: self.version}


@dataclass(frozen=True)
class Mark:
    """A mark found on a file: what verval wrote it as, and whether it was saved again since."""

    kind: str
    edited: bool = False

    @property
    def label(self) -> str:
        if self.kind == MANIFEST:
            return f"listed in its folder's {MANIFEST}"
        return _KIND_LABELS.get(self.kind, f"verval output ({self.kind})")

    def note(self) -> str:
        """One line for the run's notes."""
        if self.edited:
            return f"written by verval ({self.label}) and saved again since: read as a submission"
        return f"skipped: written by verval ({self.label}), not a submission"


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(kind: str) -> Stamp:
    """A mark for a file written now."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    return Stamp(kind, now, __version__)


# --- writing -----------------------------------------------------------------------------------------------
def mark_xlsxwriter(workbook: Any, kind: str) -> None:
    """Mark an xlsxwriter workbook (before ``close()``): custom properties, and the created date they match."""
    mark = stamp(kind)
    workbook.set_properties({"created": mark.written})
    for name, value in mark.properties().items():
        workbook.set_custom_property(name, value, "text")


def mark_openpyxl(workbook: Any, kind: str) -> None:
    """Mark an openpyxl workbook just before it is saved (openpyxl stamps "modified" at save)."""
    # Local: openpyxl loads only when validate --annotate marks a copy, not with every discovery.
    from openpyxl.packaging.custom import StringProperty

    mark = stamp(kind)
    props = workbook.custom_doc_props
    for name in (KEY_KIND, KEY_WRITTEN, KEY_VERSION):  # a copy of a copy: one mark, the newest
        if name in props.names:
            del props[name]
    for name, value in mark.properties().items():
        props.append(StringProperty(name=name, value=value))


def parquet_metadata(kind: str) -> dict[str, str]:
    """Key-value metadata for ``DataFrame.write_parquet(metadata=...)`` (no time: same frame, same bytes)."""
    return {KEY_KIND: kind, KEY_VERSION: __version__}


def html_meta(kind: str) -> str:
    """The ``<meta>`` tag that marks an HTML page."""
    mark = stamp(kind)
    return (
        f'<meta name="{HTML_META}" content="{mark.kind}">'
        f'<meta name="generator" content="verval {mark.version}">'
    )


def manifest_data(folder: Path, command: str, written: list[Path]) -> dict[str, Any]:
    """The folder's manifest with ``written`` (files in ``folder``) added (``writers.outputs`` saves it)."""
    previous = read_manifest(Path(folder)) or {}
    names = [str(n) for n in previous.get("files", []) if isinstance(n, str)]
    names += [p.name for p in written if Path(p).parent.resolve() == Path(folder).resolve()]
    mark = stamp(command)
    return {
        "tool": "verval",
        "version": mark.version,
        "written": _iso(mark.written),
        "commands": sorted({*previous.get("commands", []), command}),
        "files": sorted(dict.fromkeys(names)),
        "note": "Files written by verval. verval skips them when they are found among its inputs.",
    }


# --- reading -----------------------------------------------------------------------------------------------
def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of an output folder, or None when the folder has none (or it is unreadable)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "verval" else None


def listed_in_manifest(path: Path, manifests: dict[Path, frozenset[str]] | None = None) -> Mark | None:
    """A mark for a file its folder's manifest lists (files that carry none themselves: ``summary.json``).

    ``manifests`` caches each folder's list across the files of one discovery.
    """
    cache = manifests if manifests is not None else {}
    folder = path.parent
    if folder not in cache:
        data = read_manifest(folder) or {}
        cache[folder] = frozenset(str(n) for n in data.get("files", []) if isinstance(n, str))
    return Mark(MANIFEST) if path.name in cache[folder] else None


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    if archive.getinfo(_CUSTOM_PART).file_size > _MAX_PART:
        return {}  # not a mark verval wrote (and not worth unpacking)
    root = ElementTree.fromstring(archive.read(_CUSTOM_PART))
    out = {}
    for prop in root:
        name = prop.get("name")
        if name in (KEY_KIND, KEY_WRITTEN, KEY_VERSION):
            out[name] = "".join(child.text or "" for child in prop)
    return out


def _xlsx_mark(path: Path) -> Mark | None:
    with zipfile.ZipFile(path) as archive:
        if _CUSTOM_PART not in archive.namelist():
            return None
        props = _custom_properties(archive)
        if KEY_KIND not in props:
            return None
        modified = None
        if _CORE_PART in archive.namelist() and archive.getinfo(_CORE_PART).file_size <= _MAX_PART:
            found = ElementTree.fromstring(archive.read(_CORE_PART)).find(_DCTERMS_MODIFIED)
            modified = _parse_time(found.text if found is not None else None)
    written = _parse_time(props.get(KEY_WRITTEN))
    edited = written is not None and modified is not None and abs(modified - written) > EDIT_TOLERANCE
    return Mark(props[KEY_KIND], edited)


def _parquet_mark(path: Path) -> Mark | None:
    kind = pl.read_parquet_metadata(path).get(KEY_KIND)
    return Mark(kind) if kind else None


def _html_mark(head: bytes) -> Mark | None:
    found = _HTML_META_RE.search(head)
    return Mark(found.group(1).decode("utf-8", "replace")) if found else None


def read_mark(path: Path) -> Mark | None:
    """The verval mark of ``path``, or None (not verval's, or unreadable: the reader will say why)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
        if head.startswith(b"PK"):
            return _xlsx_mark(path)
        if head.startswith(b"PAR1"):
            return _parquet_mark(path)
        if b"<meta" in head.lower():
            return _html_mark(head)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    except Exception:  # a damaged file is the loader's to report, never a reason to stop discovery
        return None
    return None
