"""The README stays true: every command documented with help text, every code listed with its message."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from verval_cli.cli import app
from verval_cli.codes import LISTS, Command, markdown_table

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


# The sentence that introduces each command's code table in the README.
_TABLE_AFTER = {
    Command.RECONCILE: "Each finding of `verval reconcile` has one of these codes (`verval_cli/codes.py`):",
    Command.VALIDATE: "The checks of `verval validate` (`verval_cli/codes.py`):",
}


def _readme_table(command: Command) -> str:
    after = README.split(_TABLE_AFTER[command] + "\n\n", 1)[1]
    return after.split("\n\n", 1)[0].rstrip("\n")


@pytest.mark.parametrize("command", list(Command))
def test_readme_code_table_is_the_catalogue(command: Command) -> None:
    """Each command's README table lists exactly its codes, in catalogue order, with their messages."""
    table = _readme_table(command)
    listed = [line.split("`")[1] for line in table.splitlines()[2:]]
    assert listed == [code.value for code in LISTS[command]]
    assert table == markdown_table(command)


def test_every_guarantee_names_a_test_that_exists() -> None:
    import re

    section = README.split("## What verval guarantees", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", section))
    assert named, "the guarantees section names no tests"
    sources = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    missing = sorted(name for name in named if f"def {name}(" not in sources)
    assert not missing, f"README names tests that do not exist: {missing}"
