"""The release cube in PostgreSQL (storage/statistics.py): ``python -m bench.bench_release_cube [--rows N]``.

Needs a throwaway PostgreSQL server (BENCH_POSTGRES_URL, else TEST_POSTGRES_URL, as ``make test``
sets it); without one it prints a "skipped" line. A database of its own is filled with N synthetic
completed assessments by ``generate_series`` (default 1,000,000: one per firm, 20 % at T1, 10 %
without consent), then the cube (one GROUP BY over the latest assessment per firm and stage) and
the T0→T1 cohort query are timed, each as a ratio to a bare ``SELECT count(*) ... GROUP BY`` of
the same grain in the same run. Target (issue 10): cube ≤ 5 s at 1M rows. The database is dropped.
"""

from __future__ import annotations

import argparse
import os
import time

from sqlalchemy import create_engine, make_url, text

from bench.harness import emit, peak_rss_mb, ratio, summary, timings
from benchmarks.archetypes import ArchetypeModel
from questionnaires.registry import get_instrument
from questionnaires.segments import load_segments
from releases.lattice import load_lattice
from services.access import Access
from services.statistics import StatisticsService, archetype_counting
from storage.db import make_engine, upgrade
from storage.repository import Repository

DATABASE = "bench_release_cube"
BARE = ("SELECT stage, sector, size, region, count(*) FROM assessment WHERE status = 'completed' AND synthetic "
        "AND completed_at >= '2026-01-01' AND completed_at < '2027-01-01' GROUP BY 1, 2, 3, 4")


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def fill(url: str, rows: int) -> None:
    """``rows`` synthetic firms, each with one completed assessment of 2026 (codes of segments.yaml)."""
    seg, q = load_segments(), get_instrument().questionnaire
    sector, size, region = (f"({_array(list(seg.codes(f)))})[1 + g % {len(seg.codes(f))}]" for f in ("sector", "size", "region"))
    levels, dii = _array([lv.id for lv in q.levels]), _array([lv.id for lv in q.dii.levels])
    dims = ", ".join(f"'{d.id}', round((random() * 100)::numeric, 1)" for d in q.dimensions)
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("SELECT setseed(0.42)"))  # the same scores, hence the same archetype model, in every run
        conn.execute(text(f"""INSERT INTO firm (id, name, sector, size, region, synthetic, created_at, updated_at)
            SELECT 'f' || g, '', {sector}, {size}, {region.replace('g %', '(g * 7) %')}, true, now(), now()
            FROM generate_series(1, {rows}) g"""))
        conn.execute(text(f"""INSERT INTO assessment (id, firm_id, questionnaire_id, questionnaire_version, content_hash,
            firm_name, sector, size, region, answers, status, stage, consent_statistics, consent_advisor, synthetic, revision,
            created_at, updated_at, completed_at, overall, level, dii_score, dii_level, dimension_scores)
            SELECT 'a' || g, 'f' || g, '{q.id}', '{q.version}', 'h', '', {sector}, {size}, {region.replace('g %', '(g * 7) %')},
                   '{{}}', 'completed', CASE WHEN g % 5 = 0 THEN 'T1' ELSE 'T0' END, g % 10 <> 0, false, true, 1, now(), now(),
                   timestamptz '2026-01-01' + (g % 360) * interval '1 day', (g % 1000) / 10.0, ({levels})[1 + g % 4], g % 13,
                   ({dii})[1 + g % 4], jsonb_build_object({dims})
            FROM generate_series(1, {rows}) g"""))
        conn.execute(text("ANALYZE"))
    engine.dispose()


def archetype_model(repo: Repository) -> tuple[ArchetypeModel | None, float]:
    """The synthetic pool's archetype model as a release gets it (the whole pool read, then fitted),
    and the milliseconds that took."""
    service = StatisticsService(repo, Access(repo))
    began = time.perf_counter()
    model = service._archetype_model(True)
    return model, round((time.perf_counter() - began) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
    if not server:
        emit("release_cube", {"skipped": "set BENCH_POSTGRES_URL or TEST_POSTGRES_URL to a throwaway PostgreSQL server"})
        return
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    url = make_url(server).set(database=DATABASE).render_as_string(hide_password=False)
    try:
        fill(url, args.rows)
        engine = make_engine(url)
        repo, q, lattice = Repository(engine), get_instrument().questionnaire, load_lattice()

        def bare() -> None:
            with engine.connect() as conn:
                conn.execute(text(BARE)).all()

        model, model_ms = archetype_model(repo)
        centres = archetype_counting(model)[0] if model is not None else None
        cube = timings(lambda: repo.statistics.cube("2026", ("T0", "T1"), q, lattice, synthetic=True), args.repeat)
        with_archetypes = timings(lambda: repo.statistics.cube("2026", ("T0", "T1"), q, lattice, synthetic=True,
                                                               archetypes=centres), args.repeat)
        cohort = timings(lambda: repo.statistics.cohort("2026", q, lattice, synthetic=True), args.repeat)
        baseline = timings(bare, args.repeat)
        cells = repo.statistics.cube("2026", ("T0", "T1"), q, lattice, synthetic=True)
        engine.dispose()
        base = summary(baseline)["median_ms"]
        emit("release_cube", {"rows": args.rows, "cells": len(cells), "firms_counted": sum(c.n for c in cells),
                              "cube": summary(cube), "cohort": summary(cohort), "bare_group_by": summary(baseline),
                              "archetypes": len(centres.centres) if centres else 0, "archetype_model_ms": model_ms,
                              "cube_with_archetypes": summary(with_archetypes),
                              "cube_with_archetypes_ratio": ratio(summary(with_archetypes)["median_ms"], base),
                              "cube_ratio": ratio(summary(cube)["median_ms"], base),
                              "cohort_ratio": ratio(summary(cohort)["median_ms"], base),
                              "cube_target_5s_met": summary(with_archetypes)["median_ms"] <= 5000, "peak_rss_mb": peak_rss_mb(),
                              "load_average": round(os.getloadavg()[0], 1)})
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
