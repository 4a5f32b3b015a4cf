"""``python cli.py report``: the roadmap PDF for one answers JSON file, or one PDF per CSV row.

    python cli.py report answers.json --lang fr --out rapport.pdf [--date 2026-11-26]
    python cli.py report --batch firms.csv --lang en --out reports/
    python cli.py report answers.json --out r.pdf --benchmarks [--pool auto|real|synthetic] [--url DB]

The input formats are those of ``cli.py score`` (see commands.answer_files). Batch file names
come from each row's firm_id, reduced to letters, digits, ``-``, ``_`` and ``.``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from benchmarks.disclosure import DEFAULT_POLICY
from commands.benchmarks import load_cli_pool
from commands.output import DB_URL_HELP, fail, positive

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(firm_id: str, fallback: str) -> str:
    """A file-name stem that cannot leave the output folder or hide itself."""
    stem = SAFE_NAME.sub("_", firm_id).strip("._")[:80]
    return stem or fallback


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="build the roadmap PDF (one answers JSON, or --batch CSV)")
    p.add_argument("file", nargs="?", help="answers JSON (as for `score`)")
    p.add_argument("--batch", metavar="CSV", help="answers CSV: one PDF per row into the --out folder")
    p.add_argument("--lang", choices=["fr", "en"], default="fr")
    p.add_argument("--out", required=True, help="PDF path, or a folder with --batch")
    p.add_argument("--date", type=dt.date.fromisoformat, help="report date YYYY-MM-DD (default: today)")
    p.add_argument("--questionnaire", default="digital-maturity")
    p.add_argument("--benchmarks", action="store_true", help="add peers, official statistics and peer signals from the database")
    p.add_argument("--pool", choices=["auto", "real", "synthetic"], default="auto", help="peer pool (with --benchmarks)")
    p.add_argument("--k", type=positive, default=None,
                   help="smallest peer group shown, with --benchmarks (default and floor: the disclosure policy, 10 and 5)")
    p.add_argument("--url", help=f"{DB_URL_HELP} for the peer pool")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from commands.answer_files import AnswerFileError, parse_csv_submissions, parse_json_submission
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments
    from scoring.answers import InvalidAnswers
    from services.results import check_submission, firm_results, report_pdf

    if (args.file is None) == (args.batch is None):
        return fail(["give either an answers JSON file or --batch CSV"])
    source = Path(args.batch or args.file)
    if not source.is_file():
        return fail([f"{source}: no such file"])
    out = Path(args.out)
    if not args.batch and out.is_dir():
        return fail([f"{out}: is a directory; give a file name such as {out / 'report.pdf'} (or --batch CSV for a folder)"])
    if args.batch and out.exists() and not out.is_dir():
        return fail([f"{out}: is a file; --batch writes one PDF per row into a folder"])
    instrument, segments = get_instrument(args.questionnaire), load_segments()
    text = source.read_text(encoding="utf-8-sig")
    try:
        if args.batch:
            submissions = parse_csv_submissions(text, instrument.questionnaire, segments)
        else:
            submissions = [parse_json_submission(text, instrument.questionnaire, segments)]
    except AnswerFileError as exc:
        return fail(f"{source}: {m}" for m in exc.messages)
    report_date = args.date or dt.date.today()
    targets = _targets(Path(args.out), [s.firm_id for s in submissions], bool(args.batch))
    pool, policy = load_cli_pool(args, instrument) if args.benchmarks else (None, DEFAULT_POLICY)
    for sub, target in zip(submissions, targets, strict=True):
        try:
            check_submission(instrument, sub.profile, sub.answers)
        except InvalidAnswers as exc:
            return fail(f"{source}: {e}" for e in exc.errors)
        bundle = firm_results(instrument, sub.profile, sub.answers, pool, policy=policy)
        target.write_bytes(report_pdf(bundle, args.lang, report_date))
    print(f"wrote {len(targets)} report(s)" + (f" to {args.out}" if args.batch else f": {targets[0]}"))
    return 0


def _targets(out: Path, firm_ids: list[str], batch: bool) -> list[Path]:
    if not batch:
        out.parent.mkdir(parents=True, exist_ok=True)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    paths = []
    for n, firm_id in enumerate(firm_ids, start=1):
        stem = name = safe_filename(firm_id, f"firm_{n}")
        copy = 1
        while name in used:  # two rows with the same (sanitised) id must not overwrite each other
            copy += 1
            name = f"{stem}_{copy}"
        used.add(name)
        paths.append(out / f"{name}.pdf")
    return paths
