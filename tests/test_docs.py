"""The README stays true: every command documented with help text, every code listed with its message."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from verval_cli.cli import app
from verval_cli.codes import CODES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_there_are_commands() -> None:
    assert {"inspect", "sample", "reconcile"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_readme(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert (command.help or "").strip(), f"{name} has no help text"
    assert f"verval {name}" in README, f"verval {name} is not in the README"
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert (param.help or "").strip(), f"{name} {param.opts} has no help"
            flag = max(param.opts, key=len)
            if flag != "--help":
                assert flag in README, f"{name} option {flag} is not in the README"


@pytest.mark.parametrize("code", list(CODES))
def test_discrepancy_code_is_documented_with_its_message(code: object) -> None:
    info = CODES[code]  # type: ignore[index]
    assert f"`{code}`" in README
    assert info.message_id in README


def test_every_validate_check_is_documented() -> None:
    from verval_cli.validate import VCODES

    for code, info in VCODES.items():
        assert f"`{code}`" in README, code
        assert info.message_id in README, code


def test_every_guarantee_names_a_test_that_exists() -> None:
    import re

    section = README.split("## What verval guarantees", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", section))
    assert named, "the guarantees section names no tests"
    sources = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    missing = sorted(name for name in named if f"def {name}(" not in sources)
    assert not missing, f"README names tests that do not exist: {missing}"
