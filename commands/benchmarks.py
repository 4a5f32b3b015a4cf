"""``seed-demo`` (a synthetic population in storage) and the pool behind ``score --benchmarks``
and ``report --benchmarks``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from benchmarks.disclosure import DisclosurePolicy, policy_for
from benchmarks.report import Pool
from commands.output import DB_URL_HELP, positive
from questionnaires.registry import Instrument


def cmd_seed_demo(args: argparse.Namespace) -> int:
    """Generate ``--n`` synthetic completed assessments (flagged synthetic) and store them."""
    from questionnaires.registry import get_instrument
    from services.demo import seed_demo
    from storage import open_repository

    repo = open_repository(args.url)
    seeded = seed_demo(repo, get_instrument(args.questionnaire), args.n, args.seed)
    meta = {"id": seeded.questionnaire_id, "version": seeded.questionnaire_version, "content_hash": seeded.content_hash}
    out: dict[str, Any] = {"inserted": seeded.inserted, "synthetic": True, "seed": seeded.seed, "questionnaire": meta}
    if args.with_release:
        out["release"] = _synthetic_release(repo, get_instrument(args.questionnaire))
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _synthetic_release(repo: Any, instrument: Instrument) -> dict[str, Any]:
    """A statistics release of this year's synthetic T0 assessments (labelled synthetic, never mixed
    with real releases), so the ministry dashboard has something to show in a demo."""
    from datetime import UTC, datetime

    from services.access import Access
    from services.statistics import StatisticsService

    period = str(datetime.now(UTC).year)
    release = StatisticsService(repo, Access(repo), instrument=instrument).run_release(
        None, period, ("T0",), synthetic=True, created_by="seed-demo")
    return {"release_id": release.id, "period": period, "stages": list(release.parameters.stages), "firms": release.firms,
            "synthetic": True}


def load_cli_pool(args: argparse.Namespace, instrument: Instrument) -> tuple[Pool, DisclosurePolicy]:
    """The pool from ``--url``/``--pool`` and the disclosure policy for ``--k`` on it: a k below the
    floor is refused (DisclosureError) unless the pool is synthetic."""
    from sqlalchemy.exc import SQLAlchemyError

    from commands.answer_files import AnswerFileError
    from services.pool import load_pool
    from storage import open_repository

    requested = policy_for(args.k, synthetic=True)  # checked against the pool's kind below
    try:
        pool = load_pool(open_repository(args.url), instrument, args.pool, requested)
    except SQLAlchemyError as exc:
        raise AnswerFileError([f"peer pool: cannot read the database ({type(exc).__name__}: {str(exc).splitlines()[0]})"]) from None
    return pool, policy_for(args.k, synthetic=pool.synthetic)


def scored_with_benchmarks(path: Path, args: argparse.Namespace) -> tuple[list[dict[str, Any]], bool]:
    """One document per firm (in file order): scores plus peers, indicators, archetype and
    nearest-peer signals against the pool in the configured database; whether the file was a table."""
    from commands.answer_files import AnswerFileError
    from commands.score import read_submissions
    from questionnaires.registry import get_instrument
    from reports.texts import describe_firm_archetype
    from services.results import firm_results

    if args.format != "json":
        raise AnswerFileError(["--benchmarks adds nested results (peers, indicators, archetype): use --format json"])
    instrument = get_instrument(args.questionnaire)
    submissions, is_table = read_submissions(path, args.questionnaire)
    pool, policy = load_cli_pool(args, instrument)
    q = instrument.questionnaire
    docs = []
    for sub in submissions:
        bundle = firm_results(instrument, sub.profile, sub.answers, pool, policy=policy)
        assert bundle.benchmarks is not None  # a pool was given
        extra = bundle.benchmarks.to_json()
        extra["archetype"]["description"] = {loc: describe_firm_archetype(bundle.benchmarks.archetype, q, loc) for loc in ("fr", "en")}
        size = len(pool.frame) if policy.allows(len(pool.frame)) else None  # a count below k is not exported either
        doc: dict[str, Any] = {"firm_id": sub.firm_id} if is_table or sub.firm_id else {}
        scores = bundle.result.to_json()
        confidence = scores.pop("confidence")  # added by issue 14: printed last, after every earlier field
        docs.append({**doc, **scores, "pool": {"synthetic": pool.synthetic, "size": size, "k": policy.k},
                     "peers": extra["peers"], "indicators": extra["indicators"], "archetype": extra["archetype"],
                     "neighbours": extra["neighbours"], "confidence": confidence})
    return docs, is_table


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("seed-demo", help="store a synthetic population (labelled synthetic) for demos and load tests")
    p.add_argument("--n", type=positive, default=500, help="number of synthetic firms (default 500)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--questionnaire", default="digital-maturity")
    p.add_argument("--with-release", action="store_true",
                   help="then store a synthetic statistics release of this year's synthetic T0 assessments (for the dashboard)")
    p.add_argument("--url", help=DB_URL_HELP)
    p.set_defaults(func=cmd_seed_demo)
