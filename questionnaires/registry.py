"""Loading questionnaires: parse, validate, cross-check, hash; and find them by id/version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from content.errors import ContentError, Problem
from content.loader import load_yaml, validate_data
from questionnaires.checks import check_questionnaire
from questionnaires.model import Questionnaire
from questionnaires.segments import Segments, load_segments

QUESTIONNAIRE_DIR = Path(__file__).parent
DEFAULT_ID = "digital-maturity"


class UnknownQuestionnaire(LookupError):
    """No questionnaire file has the requested id (and version)."""


@dataclass(frozen=True)
class Instrument:
    """A validated questionnaire with where it came from and a hash of its content."""

    questionnaire: Questionnaire
    content_hash: str
    path: str

    @property
    def key(self) -> tuple[str, str]:
        return self.questionnaire.id, self.questionnaire.version


def content_hash(q: Questionnaire) -> str:
    """Hash of the questionnaire's meaning (not its formatting or comments)."""
    canonical = json.dumps(q.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_questionnaire(path: str | Path, segments: Segments | None = None) -> Instrument:
    """Load and fully validate one questionnaire file; raises ContentError naming file and line."""
    data, lines = load_yaml(path)
    if data.get("kind") != "questionnaire":
        raise ContentError([Problem(str(path), lines.get(("kind",), 1), "kind", "expected 'kind: questionnaire'")])
    q = validate_data(Questionnaire, data, lines, str(path))
    problems = check_questionnaire(q, segments or load_segments(), str(path), lines)
    if problems:
        raise ContentError(problems)
    return Instrument(q, content_hash(q), str(path))


def questionnaire_files(directory: Path = QUESTIONNAIRE_DIR) -> list[Path]:
    """Every questionnaire YAML under ``directory`` (including archived versions)."""
    return sorted(p for p in directory.rglob("*.yaml") if _kind_of(p) == "questionnaire")


def _kind_of(path: Path) -> str | None:
    try:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:20]:
            if line.startswith("kind:"):
                return line.split(":", 1)[1].strip().strip("'\"")
    except OSError:
        return None
    return None


@cache
def all_instruments() -> tuple[Instrument, ...]:
    return tuple(load_questionnaire(p) for p in questionnaire_files())


def get_instrument(questionnaire_id: str = DEFAULT_ID, version: str | None = None) -> Instrument:
    """The requested version, or the newest version of ``questionnaire_id``."""
    matches = [i for i in all_instruments() if i.questionnaire.id == questionnaire_id]
    if version is not None:
        matches = [i for i in matches if i.questionnaire.version == version]
    if not matches:
        wanted = f"{questionnaire_id} {version}" if version else questionnaire_id
        raise UnknownQuestionnaire(f"no questionnaire {wanted!r}")
    return max(matches, key=lambda i: tuple(int(x) for x in i.questionnaire.version.split(".")))
