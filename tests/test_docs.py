"""The README stays true: every command documented with help text, every code listed with its message."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import typer.main

from verval_cli.cli import app
from verval_cli.codes import LISTS, Command, markdown_table

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
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


def _architecture_section() -> str:
    return README.split("## Architecture", 1)[1].split("\n## ", 1)[0]


def test_architecture_section_names_files_that_exist() -> None:
    section = _architecture_section()
    paths = set(re.findall(r"`((?:verval_cli/|tests/)?[\w/]+\.py)", section))
    assert paths, "the Architecture section names no file"
    files = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("verval_cli/**/*.py")}
    for path in paths:
        # A bare name (`score.py` beside `matching/candidates.py`) may be in any package.
        found = (ROOT / path).exists() or any(f.endswith("/" + path) for f in files)
        assert found, f"README Architecture names {path}, which does not exist"


def test_architecture_section_names_attributes_that_exist() -> None:
    section = _architecture_section()
    # `module.py` `NAME` and `module.NAME` pairs in the "where to change what" table.
    pairs = re.findall(r"`([\w/]+)\.py` `([A-Z_]+)`", section) + re.findall(
        r"`([a-z_]+(?:/[a-z_]+)?)\.([A-Z_]{3,})`", section
    )
    assert len(pairs) >= 5
    for module, name in pairs:
        imported = importlib.import_module("verval_cli." + module.replace("/", "."))
        assert hasattr(imported, name), f"README Architecture names {module}.{name}, which does not exist"
