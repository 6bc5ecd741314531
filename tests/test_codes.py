"""The finding catalogue (``verval_cli.codes``): one entry per code, complete, and the views built on it."""

from __future__ import annotations

import pytest

from verval_cli.codes import CATALOGUE, CODES, LISTS, VCODES, Code, Command, Severity, catalogue_of, commands
from verval_cli.findings import SUBMISSION_CHECKS
from verval_cli.validate import VCode
from verval_cli.validate.checks import ROW_CHECKS


@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_a_severity_and_both_messages(code: Code) -> None:
    entry = CATALOGUE[code]
    assert isinstance(entry.severity, Severity)
    for command in commands(code):
        info = entry.info(command)
        assert info.message_id.strip() and info.message_en.strip(), (code, command)
        assert info.message_id != info.message_en, (code, command)


def test_no_two_codes_share_a_value() -> None:
    values = [member.value for member in Code.__members__.values()]  # aliases included
    assert len(values) == len(set(values))
    assert len(Code.__members__) == len(Code)


def test_the_catalogue_has_one_entry_per_code_and_every_code_a_command() -> None:
    assert list(CATALOGUE) == list(Code)
    for command, listed in LISTS.items():
        assert len(listed) == len(set(listed)), command
    assert all(commands(code) for code in Code), [code for code in Code if not commands(code)]


def test_the_views_are_the_catalogue_per_command() -> None:
    assert catalogue_of(Command.RECONCILE) == CODES
    assert catalogue_of(Command.VALIDATE) == VCODES
    assert VCode is Code
    shared = set(CODES) & set(VCODES)
    assert shared == {Code.NIK_MISSING, Code.STATUS_MISSING, Code.STATUS_UNKNOWN}
    for code in shared:
        assert CODES[code].severity == VCODES[code].severity
    # The one code whose wording differs per command says so in its entry.
    differs = {code for code in shared if CODES[code] != VCODES[code]}
    assert differs == {code for code in Code if CATALOGUE[code].own_words} == {Code.STATUS_UNKNOWN}


def test_checks_emit_only_their_command_s_codes() -> None:
    assert {check.code for check in SUBMISSION_CHECKS} <= set(CODES)
    assert {check.code for check in ROW_CHECKS} <= set(VCODES)
