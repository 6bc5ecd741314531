"""The shape of the package: the result type at the bottom, the writers at the top, no import cycle.

The import graph is read statically: every ``import`` and ``from ... import`` of ``verval_cli`` in each
module, at module level and inside functions alike (an import moved into a function to dodge a cycle
is still a cycle), relative imports resolved, ``from package import submodule`` counted as the
submodule, and a string naming a module (``importlib.import_module("verval_cli.x")``) counted too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "verval_cli"
MATCHING = "verval_cli.matching"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The verval_cli modules ``name`` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)  # kept below only when it names a module exactly
    return {m for m in found if m in modules and m != name}


@cache
def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def _reachable(graph: dict[str, set[str]], start: str) -> Iterator[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
            yield nxt


# --- the static graph ---------------------------------------------------------------------------------------
def test_the_graph_reader_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "verval_cli.result" in graph["verval_cli.reconcile"]  # from-import of a module's names
    assert "verval_cli.marks" in graph["verval_cli.writers.report.html"]  # from package import submodule
    assert "verval_cli.reconcile" in graph["verval_cli.cli"]  # inside a function
    assert "verval_cli.reconcile" in graph["verval_cli"]  # named by a string (the lazy package root)
    assert "verval_cli.writers.report.progress" in graph["verval_cli.writers.report.html"]


def test_find_cycle_reports_the_loop() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle_in_verval_cli() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_result_type_sits_below_the_pipeline_and_the_writers() -> None:
    below = set(_reachable(import_graph(), "verval_cli.result"))
    assert not {m for m in below if m.startswith(("verval_cli.writers", MATCHING))}
    assert not below & {"verval_cli.reconcile", "verval_cli.cli", "verval_cli"}


def test_nothing_below_the_writers_imports_them() -> None:
    graph = import_graph()
    users = {
        name
        for name, imports in graph.items()
        if not name.startswith("verval_cli.writers")
        and any(m.startswith("verval_cli.writers") for m in imports)
    }
    # The package root (its lazy public API), the CLI, and `verval inspect` (masks NIKs as the writers do).
    assert users <= {"verval_cli", "verval_cli.cli", "verval_cli.inspect"}, users


def test_the_report_runner_reaches_no_matching_code_statically() -> None:
    reached = set(_reachable(import_graph(), "verval_cli.writers.report.run"))
    assert not {m for m in reached if m.startswith(MATCHING) or m == "verval_cli.reconcile"}


# --- what actually loads ------------------------------------------------------------------------------------
def _loaded_after(code: str) -> set[str]:
    shown = (
        "import sys; "
        + code
        + "; print('\\n'.join(sorted(m for m in sys.modules if m.startswith('verval_cli'))))"
    )
    done = subprocess.run([sys.executable, "-c", shown], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_importing_the_report_runner_loads_no_matching() -> None:
    loaded = _loaded_after("import verval_cli.writers.report.run")
    assert "verval_cli.writers.report.run" in loaded
    assert not {m for m in loaded if m.startswith(MATCHING) or m == "verval_cli.reconcile"}


def test_importing_a_submodule_does_not_load_the_pipeline() -> None:
    loaded = _loaded_after("import verval_cli.result")
    assert not {m for m in loaded if m.startswith((MATCHING, "verval_cli.normalize", "verval_cli.writers"))}


def test_verval_report_command_loads_no_matching(output_folder: Path) -> None:
    folder = output_folder
    loaded = _loaded_after(
        "from verval_cli.cli import app; "
        f"app(['report', {str(folder)!r}, '--lang', 'en'], standalone_mode=False)"
    )
    assert (folder / "laporan_verval.xlsx").is_file() and (folder / "ringkasan.html").is_file()
    assert "verval_cli.writers.report.run" in loaded  # the command really ran
    assert not {m for m in loaded if m.startswith(MATCHING) or m == "verval_cli.reconcile"}


def test_the_public_api_still_imports_from_the_package_root() -> None:
    import verval_cli
    from verval_cli import ReconcileResult, reconcile, write_reconcile_outputs
    from verval_cli.reconcile import reconcile as in_module
    from verval_cli.result import ReconcileResult as in_result

    assert reconcile is in_module and ReconcileResult is in_result and callable(write_reconcile_outputs)
    assert verval_cli.reconcile is in_module  # the function, even once the submodule is loaded
    assert set(verval_cli.__all__) <= set(dir(verval_cli))
    for name in verval_cli.__all__:
        assert getattr(verval_cli, name) is not None


# --- the tests' own layout: helpers live in plain modules and conftest.py, never in a test module ------------
TESTS = Path(__file__).resolve().parent


def _test_modules_imported(source: str, filename: str = "<tests>") -> set[str]:
    """The ``test_*`` modules a tests/ source imports anywhere in its body (by name, in any package)."""

    def is_test(name: str) -> bool:
        return any(part.startswith("test_") for part in name.split("."))

    found: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if is_test(alias.name))
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if is_test(module):
                found.add(module)
            # ``from . import test_x`` / ``from tests import test_x`` import the test module itself
            prefix = module if module.endswith(".") else module + "."
            found.update(prefix + a.name for a in node.names if a.name.startswith("test_"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and is_test(node.args[0].value)
        ):
            found.add(node.args[0].value)
    return found


def test_the_layout_reader_sees_every_kind_of_test_import() -> None:
    source = (
        "import test_a\nimport tests.test_b as b\nfrom test_c import x\nfrom tests.test_d import y\n"
        "from . import test_e\nfrom .test_f import z\n"
        "def later():\n    import test_g\n    importlib.import_module('test_h')\n"
        "import builders\nfrom io_files import rows_at\nfrom layouts import Layout\nfrom . import testing\n"
    )
    assert _test_modules_imported(source) == {
        "test_a",
        "tests.test_b",
        "test_c",
        "tests.test_d",
        ".test_e",
        ".test_f",
        "test_g",
        "test_h",
    }


def test_no_module_in_tests_imports_a_test_module() -> None:
    sources = sorted(TESTS.rglob("*.py"))
    assert TESTS / "conftest.py" in sources and len(sources) > 40  # the walk really sees tests/
    offenders = {
        str(path.relative_to(TESTS)): imported
        for path in sources
        if (imported := _test_modules_imported(path.read_text(encoding="utf-8"), str(path)))
    }
    assert offenders == {}, "move shared helpers to tests/conftest.py or a module not named test_*"
