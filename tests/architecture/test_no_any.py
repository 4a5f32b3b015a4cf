"""No ``Any`` in the public signatures of the core packages and services (issue 8, item 2).

Every module mypy checks (``[tool.mypy] files`` in pyproject.toml, minus its ``exclude``) is parsed;
a public function or method signature (``__init__`` included), a public class attribute or dataclass
field, or a public module-level annotation, constant or type alias must not mention ``typing.Any``.
Private helpers (a leading underscore, or inside a private class or function) may. JSON documents
use ``domain.jsontypes`` (``JsonValue``, ``JsonObject``, ``JsonDoc``), which is written without Any.
Implicit ``Any`` from bare generics (``dict``, ``list``) is refused by mypy (``disallow_any_generics``).
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

CHECKED_DUNDERS = {"__init__", "__call__", "__new__"}


def _checked_modules() -> list[Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    excluded = [re.compile(pattern) for pattern in config.get("exclude", [])]
    modules = []
    for package in config["files"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not any(pattern.search(relative) for pattern in excluded):
                modules.append(path)
    return modules


def _public(name: str) -> bool:
    return not name.startswith("_") or name in CHECKED_DUNDERS


def _mentions_any(node: ast.AST | None) -> bool:
    if node is None:
        return False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id == "Any":
            return True
        if isinstance(sub, ast.Attribute) and sub.attr == "Any":
            return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):  # a quoted annotation
            try:
                quoted = ast.parse(sub.value, mode="eval")
            except SyntaxError:
                continue
            if _mentions_any(quoted):
                return True
    return False


def _signature_parts(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST | None]:
    args = fn.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
        if arg is not None:
            yield arg.annotation
    yield fn.returns


def _offences(body: list[ast.stmt], where: str, in_class: bool) -> Iterator[str]:
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if _public(node.name) and any(_mentions_any(part) for part in _signature_parts(node)):
                yield f"{where}{node.name}() signature (line {node.lineno})"
        elif isinstance(node, ast.ClassDef):
            if not node.name.startswith("_"):
                yield from _offences(node.body, f"{where}{node.name}.", in_class=True)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if _public(node.target.id) and (_mentions_any(node.annotation) or (not in_class and _mentions_any(node.value))):
                kind = "attribute" if in_class else "annotation"
                yield f"{where}{node.target.id} {kind} (line {node.lineno})"
        elif isinstance(node, ast.Assign) and not in_class and _mentions_any(node.value):
            names = [t.id for t in node.targets if isinstance(t, ast.Name) and _public(t.id)]
            if names:
                yield f"{where}{', '.join(names)} (type alias or constant, line {node.lineno})"


def test_the_checked_packages_are_found():
    modules = {p.relative_to(ROOT).as_posix() for p in _checked_modules()}
    assert {"domain/values.py", "services/results.py", "scoring/engine.py", "storage/repository.py"} <= modules
    assert not any(m.startswith("storage/migrations/") for m in modules)


def test_no_any_in_public_signatures():
    offences = []
    for path in _checked_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
        offences += [f"{module}.{o}" for o in _offences(tree.body, "", in_class=False)]
    assert not offences, "Any in public signatures (use precise types, a Protocol, object, or domain.jsontypes):\n" + "\n".join(offences)


def test_the_check_finds_any():
    source = '''
from typing import Any
import typing
from tests.conftest import ROOT
Alias = dict[str, Any]
def f(x: "list[Any]") -> int: ...
def _private(x: Any) -> Any: ...
class C:
    field: typing.Any
    def method(self, **kw: Any) -> None: ...
    def _helper(self) -> Any: ...
class _Hidden:
    def method(self) -> Any: ...
'''
    found = list(_offences(ast.parse(source).body, "", in_class=False))
    assert [o.split(" ")[0] for o in found] == ["Alias", "f()", "C.field", "C.method()"]
