"""Errors raised for invalid content, each naming file, YAML path and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one content file."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line if self.line is not None else 1}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ContentError(Exception):
    """A content file could not be loaded; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
