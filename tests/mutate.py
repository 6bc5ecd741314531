"""Mutation testing of the matching policy, the findings, the normalisers and the validate checks.

Not part of ``make test`` or CI: run by hand (``make mutate``) after changing the policy or its tests.
Uses cosmic-ray (``pip install -e '.[mutate]'``), which mutates module-level code too: verval's policy
is data at module level (rules.COMPARISONS, findings.SUBMISSION_CHECKS, validate.checks.ROW_CHECKS), which
mutmut 3 never mutates.

Each module is mutated in its own scratch copy of the tree under ``.mutate/<module>/`` (cosmic-ray
edits files in place; the work tree is never touched), against a test selection that kills fast:
the cheapest broad tests first, ``-x`` to stop at the first failure.

    .venv/bin/python tests/mutate.py                   # every module, one after the other
    .venv/bin/python tests/mutate.py matching findings # some modules (matching: one session per file)
    .venv/bin/python tests/mutate.py --resume matching # go on with an interrupted session
    .venv/bin/python tests/mutate.py --retest matching # survivors again, against today's tests
    .venv/bin/python tests/mutate.py --report          # kill rates of the sessions so far
    .venv/bin/python tests/mutate.py --report --survivors findings

Operators: one replacement per binary operator (``+`` -> ``-``, ``&`` -> ``|``, ...), every comparison
swapped for its boundary and its negation (``>=`` -> ``>`` and ``<``, ``==`` -> ``!=``), unary operators
removed, numbers +-1, True/False, and/or, ``not`` added, loops run zero times, break/continue. The other
binary replacements (``&`` -> ``<<``, ``>>``, ``%``, ...) are left out: on polars expressions they
only raise, and they would triple the run time without telling anything new.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutate"
PYTEST = f"{sys.executable} -m pytest -x -q -p no:cacheprovider"

# module name -> (path to mutate, tests that kill its mutants; cheapest broad ones first). The matching
# and normalize packages are one session per file, the most important first, so that an interrupted run
# has measured what matters.
_MATCHING_TESTS = [
    "test_assign.py",
    "test_candidates.py",
    "test_file_desa.py",
    "test_matching_family.py",
    "test_score_names.py",
    "test_policy_levels.py",
    "test_sample_golden.py",
    "test_policy.py",
    "test_findings_codes.py",
    "test_matching.py",
]
MODULES: dict[str, tuple[str, list[str]]] = {
    **{
        f"matching_{part}": (f"verval_cli/matching/{part}.py", _MATCHING_TESTS)
        for part in ("rules", "score", "assign", "__init__", "candidates", "prepare", "family")
    },
    "findings": ("verval_cli/findings.py", ["test_findings_codes.py", "test_sample_golden.py"]),
    "validate_checks": ("verval_cli/validate/checks.py", ["test_validate_codes.py", "test_validate.py"]),
    "check": ("verval_cli/check.py", ["test_findings_codes.py", "test_validate_codes.py"]),
    **{
        f"normalize_{part}": (f"verval_cli/normalize/{part}.py", tests)
        for part, tests in (
            ("nik", ["test_normalize_nik.py", "test_normalize_boundaries.py", "test_normalize_frame.py"]),
            ("names", ["test_normalize_names.py", "test_normalize_frame.py"]),
            ("dates", ["test_normalize_dates.py", "test_normalize_frame.py"]),
            ("status", ["test_normalize_status.py", "test_normalize_frame.py"]),
            ("misc", ["test_normalize_frame.py", "test_normalize_nik.py", "test_normalize_names.py"]),
            ("__init__", ["test_normalize_frame.py", "test_normalize_nik.py", "test_normalize_dates.py"]),
        )
    },
}
GROUPS = {
    group: [name for name in MODULES if name.startswith(f"{group}_")] for group in ("matching", "normalize")
}

_BINARY_KEPT = "Add_Sub|Sub_Add|Mul_Div|Div_Mul|FloorDiv_Mul|Mod_FloorDiv|Pow_Mul|BitAnd_BitOr|BitOr_BitAnd|BitXor_BitOr|LShift_RShift|RShift_LShift"
_COMPARISON_KEPT = "Eq_NotEq|NotEq_Eq|Lt_LtE|LtE_Lt|Gt_GtE|GtE_Gt|Lt_GtE|GtE_Lt|Gt_LtE|LtE_Gt|Is_IsNot|IsNot_Is|In_NotIn|NotIn_In"
_UNARY_KEPT = "Delete_Invert|Delete_Not|Delete_USub|USub_UAdd"
EXCLUDED_OPERATORS = [
    f"core/ReplaceBinaryOperator_(?!({_BINARY_KEPT})$)",
    f"core/ReplaceComparisonOperator_(?!({_COMPARISON_KEPT})$)",
    f"core/ReplaceUnaryOperator_(?!({_UNARY_KEPT})$)",
    "core/VariableReplacer",
    "core/VariableInserter",
]


def _config(module_path: str, tests: list[str]) -> str:
    command = f"{PYTEST} " + " ".join(f"tests/{t}" for t in tests)
    excluded = ", ".join(json.dumps(e) for e in EXCLUDED_OPERATORS)
    return (
        "[cosmic-ray]\n"
        f'module-path = "{module_path}"\n'
        "timeout = 180.0\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(command)}\n"
        '[cosmic-ray.distributor]\nname = "local"\n'
        f"[cosmic-ray.filters.operators-filter]\nexclude-operators = [{excluded}]\n"
    )


def _copy_tree(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for part in ("verval_cli", "tests", "sample_data"):
        shutil.copytree(ROOT / part, target / part, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")


def _bin(tool: str) -> str:
    return str(Path(sys.executable).parent / tool)


def run_module(name: str, resume: bool) -> None:
    module_path, tests = MODULES[name]
    work = SCRATCH / name
    session = work / "session.sqlite"
    if not (resume and session.exists()):
        _copy_tree(work)
        (work / "cosmic-ray.toml").write_text(_config(module_path, tests), encoding="utf-8")
        # The copy, not the editable install, must be what the tests import.
        where = subprocess.run(
            [sys.executable, "-c", "import verval_cli; print(verval_cli.__file__)"],
            cwd=work, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        if not where.startswith(str(work)):
            raise SystemExit(f"tests would import {where}, not the scratch copy")
        subprocess.run(
            [_bin("cosmic-ray"), "init", "cosmic-ray.toml", "session.sqlite"], cwd=work, check=True
        )
        subprocess.run(
            [_bin("cr-filter-operators"), "session.sqlite", "cosmic-ray.toml"], cwd=work, check=True
        )
        subprocess.run([_bin("cosmic-ray"), "baseline", "cosmic-ray.toml"], cwd=work, check=True)
    else:
        # A run stopped mid-mutant leaves that mutant in the copy: put the module back first (resuming
        # is only valid while the module is unchanged in the work tree).
        source = ROOT / module_path
        for path in source.glob("**/*.py") if source.is_dir() else [source]:
            shutil.copy2(path, work / path.relative_to(ROOT))
    subprocess.run([_bin("cosmic-ray"), "exec", "cosmic-ray.toml", "session.sqlite"], cwd=work, check=True)
    print(report(name))


def retest_survivors(name: str) -> None:
    """Run the surviving mutants of a finished session again, against the work tree's current tests.

    Only valid while the mutated source is unchanged (mutants are positions in it): otherwise run the
    module again from scratch.
    """
    module_path, _ = MODULES[name]
    work = SCRATCH / name
    for source in (
        (ROOT / module_path).glob("**/*.py") if (ROOT / module_path).is_dir() else [ROOT / module_path]
    ):
        copy = work / source.relative_to(ROOT)
        if copy.read_bytes() != source.read_bytes():
            raise SystemExit(f"{source} changed since the session began: run `tests/mutate.py {name}` again")
    # The rest of the library and the tests as they are today (the mutated module is the same file), run
    # by today's test selection.
    (work / "cosmic-ray.toml").write_text(_config(module_path, MODULES[name][1]), encoding="utf-8")
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis")
    for part in ("tests", "verval_cli"):
        shutil.rmtree(work / part)
        shutil.copytree(ROOT / part, work / part, ignore=ignore)
    with sqlite3.connect(work / "session.sqlite") as db:
        db.execute("delete from work_results where lower(test_outcome) = 'survived'")
    subprocess.run([_bin("cosmic-ray"), "exec", "cosmic-ray.toml", "session.sqlite"], cwd=work, check=True)
    print(report(name))


def counts(name: str) -> dict[str, int]:
    session = SCRATCH / name / "session.sqlite"
    with sqlite3.connect(session) as db:
        total = db.execute("select count(*) from work_items").fetchone()[0]
        results = dict(
            db.execute("select coalesce(test_outcome, worker_outcome), count(*) from work_results group by 1")
        )
    done = {k.lower(): v for k, v in results.items()}
    return {
        "mutants": total - done.get("skipped", 0),
        "killed": done.get("killed", 0),
        "survived": done.get("survived", 0),
        "incompetent": done.get("incompetent", 0),
        "abnormal": done.get("abnormal", 0) + done.get("exception", 0),
        "pending": total - sum(done.values()),
    }


def report(name: str) -> str:
    c = counts(name)
    tested = c["killed"] + c["survived"]
    rate = 100.0 * c["killed"] / tested if tested else 0.0
    return f"{name}: {rate:.1f}% killed ({c['killed']}/{tested}); " + ", ".join(
        f"{k} {v}" for k, v in c.items()
    )


def survivors(name: str) -> list[str]:
    out = subprocess.run(
        [_bin("cosmic-ray"), "dump", "session.sqlite"], cwd=SCRATCH / name, capture_output=True, text=True
    ).stdout
    found = []
    for line in out.splitlines():
        item, result = json.loads(line)
        if result and str(result.get("test_outcome")).lower() == "survived":
            for m in item["mutations"]:
                found.append(
                    f"{m['module_path']}:{m['start_pos'][0]} {m['operator_name']} #{m['occurrence']}"
                )
    return found


def main(argv: list[str]) -> int:
    asked = [a for a in argv if not a.startswith("--")] or list(MODULES)
    names = [name for a in asked for name in GROUPS.get(a, [a])]
    if "--report" in argv:
        for name in names:
            if (SCRATCH / name / "session.sqlite").exists():
                print(report(name))
                if "--survivors" in argv:
                    print("\n".join(f"  {s}" for s in survivors(name)))
        return 0
    for name in names:
        if "--retest" in argv:
            retest_survivors(name)
        else:
            run_module(name, "--resume" in argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
