"""Safe YAML parsing that keeps line numbers and refuses what PyYAML silently accepts.

PyYAML's ``safe_load`` keeps the last of two duplicate keys, expands aliases without limit and
forgets where each value came from. Content files are written by people, so we want the opposite:
duplicate keys, alias bombs and oversized files are errors, and every error names its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from content.errors import ContentError, Problem

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000

Loc: TypeAlias = tuple[object, ...]  # a place in a YAML document: mapping keys (scalars) and list indexes
Lines: TypeAlias = dict[Loc, int]  # place -> line number (1-based)
YamlMapping: TypeAlias = dict[object, object]  # a parsed YAML mapping (keys are scalars, values plain data)
M = TypeVar("M", bound=BaseModel)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of each node and rejects duplicates and alias abuse."""

    def __init__(self, stream: str, file: str):
        super().__init__(stream)
        self.file = file
        self.node_count = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            # Aliases can multiply a small file into gigabytes ("billion laughs"); content files
            # never need them (shared answer scales are referenced by id instead).
            mark = self.peek_event().start_mark
            raise ContentError([Problem(self.file, mark.line + 1, "", "YAML aliases (*name) are not allowed in content files")])
        self.node_count += 1
        if self.node_count > MAX_NODES:
            mark = self.peek_event().start_mark
            raise ContentError([Problem(self.file, mark.line + 1, "", f"more than {MAX_NODES} YAML nodes")])
        return super().compose_node(parent, index)


def _walk(node: yaml.Node, path: Loc, lines: Lines, file: str, loader: _LineLoader) -> Any:
    """Build Python data from a composed node, recording lines and refusing duplicate keys."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise ContentError([Problem(file, key_node.start_mark.line + 1, dotted(path), "mapping keys must be scalars")])
            if key in result:
                first = lines.get((*path, key))
                message = f"duplicate key {key!r} (first defined on line {first})"
                raise ContentError([Problem(file, key_node.start_mark.line + 1, dotted((*path, key)), message)])
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _walk(value_node, (*path, key), lines, file, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(child, (*path, i), lines, file, loader) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def dotted(path: Loc) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_yaml(text: str, file: str = "<string>") -> tuple[YamlMapping, Lines]:
    """Parse YAML text into plain data plus a map from YAML path to line number."""
    if len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES:
        raise ContentError([Problem(file, None, "", f"file larger than {MAX_FILE_BYTES} bytes")])
    loader = _LineLoader(text, file)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(file, 1, "", "empty document; expected a mapping")])
        lines: Lines = {}
        data = _walk(node, (), lines, file, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise ContentError([Problem(file, line, "", f"YAML syntax error: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(file, None, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if data is None:
        raise ContentError([Problem(file, 1, "", "empty document; expected a mapping")])
    if not isinstance(data, dict):
        raise ContentError([Problem(file, 1, "", f"top level must be a mapping, not {type(data).__name__}")])
    return data, lines


def load_yaml(path: str | Path) -> tuple[YamlMapping, Lines]:
    """Read and parse one YAML file, with the size limit checked before reading it whole."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ContentError([Problem(str(path), None, "", f"file larger than {MAX_FILE_BYTES} bytes")])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(str(path), None, "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ContentError([Problem(str(path), None, "", f"cannot read file: {exc.strerror}")]) from None
    return parse_yaml(text, str(path))


def line_for(lines: Lines, loc: Loc) -> int | None:
    """Line of the deepest recorded ancestor of ``loc`` (pydantic locations can go deeper)."""
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return None


def validation_problems(exc: ValidationError, file: str, lines: Lines) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems located in the YAML source."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        problems.append(Problem(file, line_for(lines, loc), dotted(loc), err["msg"]))
    return problems


def validate_data(model: type[M], data: YamlMapping, lines: Lines, file: str) -> M:
    """Validate parsed data against a model, mapping errors to lines."""
    try:
        return model.model_validate(data, context={"lines": lines, "file": file})
    except ValidationError as exc:
        raise ContentError(validation_problems(exc, file, lines)) from None


def load_model(path: str | Path, model: type[M]) -> M:
    """Load a YAML file and validate it against ``model``; raises ContentError with lines."""
    data, lines = load_yaml(path)
    return validate_data(model, data, lines, str(path))

