"""The codes of ``verval validate``: a view of the one catalogue in :mod:`verval_cli.codes`."""

from __future__ import annotations

from verval_cli.codes import VCODES, Command, VCode, markdown_table

__all__ = ["VCODES", "VCode", "codes_markdown"]


def codes_markdown() -> str:
    """validate's code table as Markdown, for the README (code, severity, message in both languages)."""
    return markdown_table(Command.VALIDATE)
