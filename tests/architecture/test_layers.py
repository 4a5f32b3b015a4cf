"""Imports read one way: the core never reaches up into storage, the application layer, the UI or
the command line, scoring never writes sentences, and no two packages import each other."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("content", "domain", "exports", "i18n", "questionnaires", "scoring", "benchmarks", "recommendations", "reports", "auth",
            "releases", "storage", "services", "commands", "ui")
CORE = ("content", "domain", "exports", "i18n", "questionnaires", "scoring", "benchmarks", "recommendations", "reports", "auth",
        "releases")
ABOVE_CORE = ("storage", "services", "ui", "commands", "cli", "app", "bench", "streamlit", "tests")
# What each package may import from this project (besides itself); everything else is a violation.
ALLOWED = {
    "domain": set(),
    "exports": {"content", "i18n", "releases"},  # files for other programs: released tables, neutralised text
    "content": set(),
    "i18n": {"content"},
    "questionnaires": {"content", "domain"},
    "scoring": {"content", "domain", "questionnaires"},
    "benchmarks": {"content", "domain", "questionnaires", "scoring"},
    "recommendations": {"content", "domain", "questionnaires", "scoring"},
    "reports": {"content", "domain", "i18n", "questionnaires", "scoring", "benchmarks", "recommendations"},
    "auth": set(),  # sign-in and authorisation rules, pure (argon2 is its only dependency)
    # ministry statistics releases: lattice, roll-ups, disclosure control with its audit (pure)
    "releases": {"content", "domain", "questionnaires", "benchmarks"},
    "storage": {"content", "domain", "questionnaires", "scoring", "releases"},
    # services orchestrate the core and storage (advisor workspace, access checks, access log)
    "services": {"content", "domain", "exports", "i18n", "questionnaires", "scoring", "benchmarks", "recommendations", "reports", "auth",
                 "releases", "storage"},
    "commands": {"content", "domain", "exports", "i18n", "questionnaires", "scoring", "benchmarks", "recommendations", "reports", "auth",
                 "releases", "storage", "services"},
    "ui": {"content", "domain", "exports", "i18n", "questionnaires", "scoring", "benchmarks", "recommendations", "reports", "auth",
           "releases", "storage", "services"},
}


def modules(package: str) -> Iterator[Path]:
    yield from (p for p in sorted((ROOT / package).rglob("*.py")) if "migrations" not in p.parts)


def imported(path: Path) -> Iterator[tuple[int, str]]:
    """(line, top-level name) of every import in the file, function-local ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def project_imports(package: str) -> set[str]:
    return {name for path in modules(package) for _, name in imported(path) if name in PACKAGES and name != package}


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_its_layer_allows(package: str) -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {name}" for path in modules(package) for line, name in imported(path)
             if (name in PACKAGES and name != package and name not in ALLOWED[package]) or (name in ABOVE_CORE and package in CORE)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", CORE)
def test_the_core_never_imports_streamlit_storage_services_ui_or_the_cli(package: str) -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {name}" for path in modules(package) for line, name in imported(path)
             if name in ABOVE_CORE]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle_between_packages() -> None:
    graph = {p: project_imports(p) for p in PACKAGES}
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                raise AssertionError(f"import cycle: {' -> '.join([*path, node, nxt])}")
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = "done"

    for package in PACKAGES:
        if package not in state:
            visit(package, [])


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The rule is not vacuous: an upward import in a scratch module is reported."""
    scratch = tmp_path / "x.py"
    scratch.write_text("def f():\n    from storage import open_repository\n    import streamlit as st\n", encoding="utf-8")
    assert [name for _, name in imported(scratch)] == ["storage", "streamlit"]


def test_make_run_listens_on_localhost_only():
    """Issue 13, finding 6: the server listened on every interface."""
    import subprocess

    dry = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "streamlit run server.py --server.address 127.0.0.1" in dry
