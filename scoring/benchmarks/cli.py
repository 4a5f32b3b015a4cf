"""Command line: ``seed-demo`` (a synthetic population in storage) and ``score FILE --benchmarks``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def cmd_seed_demo(args: argparse.Namespace) -> int:
    """Generate ``--n`` synthetic completed assessments (flagged synthetic) and store them."""
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments
    from scoring.benchmarks.synthetic import completion_times, generate_population, result_snapshots
    from storage import open_repository
    from storage.views import SyntheticCompleted

    instrument = get_instrument(args.questionnaire)
    q = instrument.questionnaire
    population = generate_population(q, load_segments(), args.n, args.seed)
    meta = {"id": q.id, "version": q.version, "content_hash": instrument.content_hash}
    snapshots = result_snapshots(q, population, meta)
    times = completion_times(args.n, args.seed)
    rows = (SyntheticCompleted(instrument, p, a, s, t)
            for p, a, s, t in zip(population.profiles, population.answers, snapshots, times, strict=True))
    inserted = open_repository(args.url).add_completed_bulk(rows)
    print(json.dumps({"inserted": inserted, "synthetic": True, "seed": args.seed, "questionnaire": meta}, ensure_ascii=False))
    return 0


def add_benchmarks(path: Path, args: argparse.Namespace, docs: list[dict]) -> list[dict]:
    """``docs`` (one scored firm each, in file order) with peers, indicators, archetype and
    nearest-peer signals added, against the pool in the configured database."""
    from sqlalchemy.exc import SQLAlchemyError

    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments
    from scoring.answer_files import AnswerFileError, parse_csv_submissions, parse_json_submission
    from scoring.benchmarks.report import benchmark_firm, load_pool
    from scoring.benchmarks.texts import describe_firm_archetype
    from scoring.engine import score_firm
    from storage import open_repository

    if args.format != "json":
        raise AnswerFileError(["--benchmarks adds nested results (peers, indicators, archetype): use --format json"])
    instrument, segments = get_instrument(args.questionnaire), load_segments()
    text = path.read_text(encoding="utf-8-sig")
    q = instrument.questionnaire
    is_table = path.suffix.lower() == ".csv"
    submissions = parse_csv_submissions(text, q, segments) if is_table else [parse_json_submission(text, q, segments)]
    try:
        pool = load_pool(open_repository(args.url), instrument, args.pool, args.k)
    except SQLAlchemyError as exc:
        raise AnswerFileError([f"peer pool: cannot read the database ({type(exc).__name__}: {str(exc).splitlines()[0]})"]) from None
    out = []
    for doc, sub in zip(docs, submissions, strict=True):
        report = benchmark_firm(instrument, sub.profile, sub.answers, score_firm(instrument, sub.profile, sub.answers), pool, args.k)
        extra = report.to_json()
        extra["archetype"]["description"] = {loc: describe_firm_archetype(report.archetype, q, loc) for loc in ("fr", "en")}
        size = len(pool.frame) if len(pool.frame) >= args.k else None  # a count below k is not exported either
        out.append({**doc, "pool": {"synthetic": pool.synthetic, "size": size, "k": args.k},
                    "peers": extra["peers"], "indicators": extra["indicators"], "archetype": extra["archetype"],
                    "neighbours": extra["neighbours"]})
    return out


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(subparsers) -> None:
    p = subparsers.add_parser("seed-demo", help="store a synthetic population (labelled synthetic) for demos and load tests")
    p.add_argument("--n", type=_positive, default=500, help="number of synthetic firms (default 500)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--questionnaire", default="digital-maturity")
    p.add_argument("--url", help="database URL (default: DATABASE_URL, else sqlite:///data/app.db)")
    p.set_defaults(func=cmd_seed_demo)
    score = subparsers.choices.get("score")
    if score is not None:
        score.add_argument("--benchmarks", action="store_true", help="add peers, official statistics, archetype and peer signals")
        score.add_argument("--pool", choices=["auto", "real", "synthetic"], default="auto",
                           help="peer pool: real, synthetic, or auto = real unless it has fewer than k firms (default)")
        score.add_argument("--k", type=_positive, default=10, help="smallest peer cell shown (default 10)")
        score.add_argument("--url", help="database URL for the peer pool (default: DATABASE_URL, else sqlite:///data/app.db)")
