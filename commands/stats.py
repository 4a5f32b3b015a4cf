"""``python cli.py stats release|export|list``: the ministry's statistics releases from the command
line (the operator; admins also have a button in the app). A release is computed once, audited and
frozen; ``export`` writes a stored release's published tables; ``list`` shows the stored releases.
Every run and export is written to the access log as "cli"."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from commands.output import DB_URL_HELP, fail, positive

FORMAT_CHOICES = ("csv", "xlsx", "parquet")


def _service(url: str | None):  # type: ignore[no-untyped-def]
    from services.access import Access
    from services.statistics import StatisticsService
    from storage import open_repository

    repo = open_repository(url)
    return StatisticsService(repo, Access(repo))


def cmd_release(args: argparse.Namespace) -> int:
    from releases.model import ReleaseRefused
    from services.statistics import parse_stages
    from storage.statistics import PeriodFrozen, UnmappedProfiles

    try:
        release = _service(args.url).run_release(None, args.period, parse_stages(args.stage), k=args.k,
                                                 synthetic=args.synthetic, official=not args.preview)
    except (ReleaseRefused, PeriodFrozen, UnmappedProfiles, ValueError) as exc:
        return fail([f"stats release: refused: {exc}"])
    a = release.audit
    print(json.dumps({
        "release_id": release.id, "period": release.parameters.period, "stages": list(release.parameters.stages),
        "firms": release.firms, "synthetic": release.parameters.synthetic, "official": release.official,
        "k": release.parameters.k, "cells": len(release.cells),
        "suppressed": sum(1 for c in release.cells if c.status == "x"), "cohort_cells": len(release.cohort),
        "audit": {"passed": a.passed, "primary_cells": a.primary_cells, "suppressed_cells": a.suppressed_cells,
                  "published_cells": a.published_cells, "narrowest_count_interval": a.narrowest_count_interval,
                  "narrowest_sum_interval": a.narrowest_sum_interval, "repairs": a.repairs, "seconds": round(a.seconds, 3)},
    }, ensure_ascii=False))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    try:
        data = _service(args.url).export_for_operator(args.release, args.format, args.locale)
    except LookupError:
        return fail([f"stats export: no release {args.release!r} (see: python cli.py stats list)"])
    Path(args.out).write_bytes(data)
    print(f"{args.out}: {args.format}, {len(data)} bytes, release {args.release}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from storage import open_repository

    for row in open_repository(args.url).statistics.releases(include_previews=True):
        print(json.dumps({"release_id": row.id, "period": row.period, "stages": list(row.stages), "firms": row.firms,
                          "k": row.k, "synthetic": row.synthetic, "official": row.official,
                          "created_at": row.created_at.isoformat(timespec="seconds"), "created_by": row.created_by},
                         ensure_ascii=False))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    stats = subparsers.add_parser("stats", help="ministry statistics: run, export and list frozen releases")
    sub = stats.add_subparsers(dest="stats_command", required=True)

    p = sub.add_parser("release", help="compute, audit and freeze one release (prints one JSON line)")
    p.add_argument("--period", required=True, help="calendar year of completion, e.g. 2026")
    p.add_argument("--stage", choices=("T0", "T1", "all"), default="all", help="stage(s) released (default: all)")
    p.add_argument("--k", type=positive, help="confidentiality threshold in distinct firms (default: the disclosure policy's 10)")
    p.add_argument("--synthetic", action="store_true", help="release the synthetic (demo) assessments only, labelled synthetic")
    p.add_argument("--preview", action="store_true", help="store as a preview: not official, not in trends, period not frozen")
    p.add_argument("--url", help=DB_URL_HELP)
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("export", help="write a stored release's published tables")
    p.add_argument("--release", required=True, help="release id (see: stats list)")
    p.add_argument("--format", choices=FORMAT_CHOICES, required=True)
    p.add_argument("--out", required=True, help="output file")
    p.add_argument("--locale", choices=("fr", "en"), default="fr", help="language of labels and notes (default fr)")
    p.add_argument("--url", help=DB_URL_HELP)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("list", help="stored releases, newest first (one JSON line each, previews included)")
    p.add_argument("--url", help=DB_URL_HELP)
    p.set_defaults(func=cmd_list)
