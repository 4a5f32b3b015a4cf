"""``score``: one answers JSON file or a CSV of many firms, optionally with ``--benchmarks``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from commands.output import DB_URL_HELP, fail, positive
from exports.neutralise import neutralise

JsonDoc = dict[str, Any]


def read_submissions(path: Path, questionnaire: str) -> tuple[list[Any], bool]:
    """(submissions, whether the file was a table) for an answers JSON or CSV file."""
    from commands.answer_files import parse_csv_submissions, parse_json_submission
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments

    instrument, segments = get_instrument(questionnaire), load_segments()
    text = path.read_text(encoding="utf-8-sig")
    q = instrument.questionnaire
    if path.suffix.lower() == ".csv":
        return parse_csv_submissions(text, q, segments), True
    return [parse_json_submission(text, q, segments)], False


def score_documents(path: Path, questionnaire: str = "digital-maturity") -> tuple[list[JsonDoc], bool]:
    """Score an answers file; returns (one JSON document per firm, whether it was a table)."""
    from questionnaires.registry import get_instrument
    from services.results import score_submission

    instrument = get_instrument(questionnaire)
    submissions, is_table = read_submissions(path, questionnaire)
    docs = []
    for sub in submissions:
        doc: JsonDoc = {"firm_id": sub.firm_id} if is_table or sub.firm_id else {}
        doc.update(score_submission(instrument, sub).to_json())
        docs.append(doc)
    return docs, is_table


CONFIDENCE_COLUMNS = ("answered", "dont_know", "unanswered", "not_applicable", "low_confidence")


def _csv_rows(docs: list[JsonDoc]) -> str:
    """One row per firm. The per-dimension counts come after the original columns, whose names and
    order never change: ``<dimension>_answered``, ``_dont_know``, ``_unanswered``, ``_not_applicable``,
    ``_low_confidence`` for each dimension in turn."""
    out = io.StringIO()
    dims = list(docs[0]["dimensions"]) if docs else []
    writer = csv.writer(out)
    counts = [f"{k}_{c}" for k in dims for c in CONFIDENCE_COLUMNS]
    writer.writerow(["firm_id", "overall", "level", *dims, "dii_score", "dii_level", "dii_basic", *counts])
    for d in docs:
        writer.writerow([neutralise(str(d.get("firm_id", ""))), d["overall"], d["level"], *(d["dimensions"][k] for k in dims),
                         d["dii"]["score"], d["dii"]["level"], d["dii"]["basic"],
                         *(d["confidence"][k][c] for k in dims for c in CONFIDENCE_COLUMNS)])
    return out.getvalue()


def cmd_score(args: argparse.Namespace) -> int:
    """Score one answers JSON file or a CSV of many firms."""
    from commands.answer_files import AnswerFileError

    path = Path(args.file)
    if not path.is_file():
        return fail([f"{path}: no such file"])
    if path.suffix.lower() == ".csv" and args.format == "csv" and not args.benchmarks:
        return _stream_csv(path, args.questionnaire)  # any size: chunked, vectorised, bounded memory
    try:
        if args.benchmarks:
            from commands.benchmarks import scored_with_benchmarks

            docs, is_table = scored_with_benchmarks(path, args)
        else:
            docs, is_table = score_documents(path, args.questionnaire)
    except AnswerFileError as exc:
        return fail(f"{path}: {m}" for m in exc.messages)
    if args.format == "csv":
        sys.stdout.write(_csv_rows(docs))
    else:
        print(json.dumps(docs if is_table else docs[0], ensure_ascii=False, indent=2))
    return 0


def _stream_csv(path: Path, questionnaire: str) -> int:
    from commands.answer_files import AnswerFileError
    from commands.csv_stream import score_csv_to_stdout
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments

    try:
        score_csv_to_stdout(path, get_instrument(questionnaire).questionnaire, load_segments())
    except AnswerFileError as exc:
        return fail(f"{path}: {m}" for m in exc.messages)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score an answers file (JSON: one firm; CSV: one row per firm)")
    p.add_argument("file")
    p.add_argument("--questionnaire", default="digital-maturity")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--benchmarks", action="store_true", help="add peers, official statistics, archetype and peer signals")
    p.add_argument("--pool", choices=["auto", "real", "synthetic"], default="auto",
                   help="peer pool: real, synthetic, or auto = real unless it has fewer than k firms (default)")
    p.add_argument("--k", type=positive, default=None,
                   help="smallest peer group shown (default and floor: the disclosure policy, 10 and 5; lower only on a synthetic pool)")
    p.add_argument("--url", help=f"{DB_URL_HELP} for the peer pool")
    p.set_defaults(func=cmd_score)
