"""Command line: ``python cli.py COMMAND ...`` (see ``python cli.py --help``).

Each command is a small function over the core packages; output goes to stdout, problems to
stderr as ``PATH:LINE: message`` or ``row N: question: message``, with exit code 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from content.errors import ContentError

ROOT = Path(__file__).resolve().parent


def _fail(messages: list[str]) -> int:
    for message in messages:
        print(message, file=sys.stderr)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate questionnaire (and other content) YAML files."""
    from questionnaires.registry import QUESTIONNAIRE_DIR, load_questionnaire
    from questionnaires.segments import load_segments

    try:
        segments = load_segments()
    except ContentError as exc:
        return _fail([str(p) for p in exc.problems])
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
        return _fail(problems)
    print(f"{len(paths)} file(s) valid")
    return 0


def _instrument(args: argparse.Namespace):
    from questionnaires.registry import get_instrument

    return get_instrument(args.questionnaire, getattr(args, "version", None))


def cmd_template(args: argparse.Namespace) -> int:
    """Print a blank answers file listing every field and its allowed values."""
    from questionnaires.segments import load_segments
    from scoring.answer_files import template_csv, template_json

    instrument, segments = _instrument(args), load_segments()
    if args.format == "csv":
        sys.stdout.write(template_csv(instrument, segments))
    else:
        print(json.dumps(template_json(instrument, segments), ensure_ascii=False, indent=2))
    return 0


def _read_submissions(path: Path, instrument, segments):
    from scoring.answer_files import parse_csv_submissions, parse_json_submission

    text = path.read_text(encoding="utf-8-sig")
    q = instrument.questionnaire
    if path.suffix.lower() == ".csv":
        return parse_csv_submissions(text, q, segments), True
    return [parse_json_submission(text, q, segments)], False


def score_documents(path: Path, questionnaire: str = "digital-maturity") -> tuple[list[dict], bool]:
    """Score an answers file; returns (one JSON document per firm, whether it was a table)."""
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments
    from scoring.engine import score_firm

    instrument, segments = get_instrument(questionnaire), load_segments()
    submissions, is_table = _read_submissions(path, instrument, segments)
    docs = []
    for sub in submissions:
        doc = {"firm_id": sub.firm_id} if is_table or sub.firm_id else {}
        doc.update(score_firm(instrument, sub.profile, sub.answers).to_json())
        docs.append(doc)
    return docs, is_table


def _csv_rows(docs: list[dict]) -> str:
    out = io.StringIO()
    dims = list(docs[0]["dimensions"]) if docs else []
    writer = csv.writer(out)
    writer.writerow(["firm_id", "overall", "level", *dims, "dii_score", "dii_level", "dii_basic"])
    for d in docs:
        writer.writerow([d.get("firm_id", ""), d["overall"], d["level"], *(d["dimensions"][k] for k in dims),
                         d["dii"]["score"], d["dii"]["level"], d["dii"]["basic"]])
    return out.getvalue()


def cmd_score(args: argparse.Namespace) -> int:
    """Score one answers JSON file or a CSV of many firms."""
    from scoring.answer_files import AnswerFileError

    path = Path(args.file)
    if not path.is_file():
        return _fail([f"{path}: no such file"])
    try:
        docs, is_table = score_documents(path, args.questionnaire)
        if getattr(args, "benchmarks", False):  # peers and official statistics (scoring/benchmarks/cli.py)
            from scoring.benchmarks.cli import add_benchmarks

            docs = add_benchmarks(path, args, docs)
    except AnswerFileError as exc:
        return _fail([f"{path}: {m}" for m in exc.messages])
    if args.format == "csv":
        sys.stdout.write(_csv_rows(docs))
    else:
        print(json.dumps(docs if is_table else docs[0], ensure_ascii=False, indent=2))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the questionnaire JSON Schema for editors (questionnaires/schema.json)."""
    from questionnaires.schema import write_schema

    path = write_schema(Path(args.out) if args.out else None)
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="Digital-maturity self-assessment: command line.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate questionnaire YAML files")
    p.add_argument("paths", nargs="*", help="files (default: every YAML under questionnaires/)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("template", help="print a blank answers file")
    p.add_argument("--questionnaire", default="digital-maturity")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("score", help="score an answers file (JSON: one firm; CSV: one row per firm)")
    p.add_argument("file")
    p.add_argument("--questionnaire", default="digital-maturity")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("schema", help="export the questionnaire JSON Schema")
    p.add_argument("--out", help="default: questionnaires/schema.json")
    p.set_defaults(func=cmd_schema)

    for register in _EXTENSIONS:
        register(sub)
    return parser


# Commands owned by other packages register themselves here (storage, benchmarks, reports).
from recommendations.cli_content import register as register_content  # noqa: E402
from recommendations.cli_report import register as register_report  # noqa: E402
from scoring.benchmarks.cli import register as register_benchmarks  # noqa: E402
from storage.cli import register as register_storage  # noqa: E402

_EXTENSIONS: list = [register_storage, register_report, register_benchmarks, register_content]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ContentError as exc:
        return _fail([str(p) for p in exc.problems])
    except KeyError as exc:
        return _fail([str(exc.args[0]) if exc.args else "not found"])


if __name__ == "__main__":
    sys.exit(main())
