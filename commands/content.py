"""``validate`` (questionnaire YAML), ``template`` (a blank answers file) and ``schema`` (JSON Schema)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from commands.output import fail
from content.errors import ContentError


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate questionnaire (and other content) YAML files."""
    from questionnaires.registry import QUESTIONNAIRE_DIR, load_questionnaire
    from questionnaires.segments import load_segments

    try:
        segments = load_segments()
    except ContentError as exc:
        return fail(str(p) for p in exc.problems)
    paths = [Path(p) for p in args.paths] or sorted(QUESTIONNAIRE_DIR.rglob("*.yaml"))
    problems: list[str] = []
    for path in paths:
        try:
            if path.name == "segments.yaml":
                continue
            load_questionnaire(path, segments)
        except ContentError as exc:
            problems.extend(str(p) for p in exc.problems)
    if problems:
        return fail(problems)
    print(f"{len(paths)} file(s) valid")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Print a blank answers file listing every field and its allowed values."""
    from commands.answer_files import template_csv, template_json
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments

    instrument, segments = get_instrument(args.questionnaire), load_segments()
    if args.format == "csv":
        sys.stdout.write(template_csv(instrument, segments))
    else:
        print(json.dumps(template_json(instrument, segments), ensure_ascii=False, indent=2))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the questionnaire JSON Schema for editors (questionnaires/schema.json)."""
    from questionnaires.schema import write_schema

    path = write_schema(Path(args.out) if args.out else None)
    print(f"wrote {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="validate questionnaire YAML files")
    p.add_argument("paths", nargs="*", help="files (default: every YAML under questionnaires/)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("template", help="print a blank answers file")
    p.add_argument("--questionnaire", default="digital-maturity")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=cmd_template)


def register_schema(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="export the questionnaire JSON Schema")
    p.add_argument("--out", help="default: questionnaires/schema.json")
    p.set_defaults(func=cmd_schema)
