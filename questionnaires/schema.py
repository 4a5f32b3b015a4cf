"""JSON Schema export of the questionnaire model, for YAML editors (yaml-language-server)."""

from __future__ import annotations

import json
from pathlib import Path

from domain import JsonObject
from questionnaires.model import Questionnaire

SCHEMA_FILE = Path(__file__).with_name("schema.json")


def questionnaire_schema() -> JsonObject:
    schema = Questionnaire.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Digital-maturity questionnaire"
    return schema


def schema_text() -> str:
    return json.dumps(questionnaire_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schema(path: Path | None = None) -> Path:
    path = path or SCHEMA_FILE
    path.write_text(schema_text(), encoding="utf-8")
    return path
