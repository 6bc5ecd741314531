"""`verval validate`: check village submissions before upload (the annotated copies and upload-ready files are
written by `verval_cli.writers.annotate` and `verval_cli.writers.upload_ready`)."""

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
