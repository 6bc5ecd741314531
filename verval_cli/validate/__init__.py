"""`verval validate`: check village submissions before upload, annotate copies, write upload-ready files."""

from __future__ import annotations

from verval_cli.validate.codes import VCODES, VCode, codes_markdown
from verval_cli.validate.province import ProvinceList
from verval_cli.validate.run import FINDING_SCHEMA, FileStatus, ValidationReport, validate_paths

__all__ = [
    "FINDING_SCHEMA",
    "VCODES",
    "FileStatus",
    "ProvinceList",
    "VCode",
    "ValidationReport",
    "codes_markdown",
    "validate_paths",
]
