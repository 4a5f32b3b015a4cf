"""Autosave and bulk-insert timings on embedded SQLite, against bare sqlite3 baselines in the same run.

Autosave (target: median ≤ 20 ms): ``Repository.save_answers`` of one page of answers into an
assessment that already holds a full answer set (lock, read, validate, merge, update, log row,
commit). Baselines with bare sqlite3 and the same pragmas (WAL, synchronous as in storage.db: FULL): the same
read-modify-write transaction without SQLAlchemy or answer checks, and a single ``UPDATE`` (and
``INSERT``) of the full JSON payload.

Bulk (target: 100k rows well under a minute): ``add_completed_bulk`` of synthetic completed
assessments, against a bare sqlite3 ``executemany`` of the same JSON payloads.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import emit, peak_rss_mb, ratio, summary, timings
from domain import Profile
from questionnaires.model import Questionnaire
from questionnaires.registry import get_instrument
from scoring import score_firm
from scoring.kinds import kind_of
from storage import Repository, SyntheticCompleted
from storage.db import SQLITE_SYNCHRONOUS, make_engine, upgrade

PROFILE = Profile("31-33", "20-49", "05", "Atelier synthétique (banc d'essai)")


def answer_sets(q: Questionnaire) -> tuple[dict, dict]:
    """Two complete answer sets that differ on every question (lowest vs highest score)."""
    pairs = {question.id: kind_of(question).extremes(q, question) for question in q.questions}
    return {qid: low for qid, (low, _) in pairs.items()}, {qid: high for qid, (_, high) in pairs.items()}


def bench_autosave(repo: Repository, instrument, saves: int, page: int) -> dict:
    low, high = answer_sets(instrument.questionnaire)
    aid = repo.start_assessment(instrument, PROFILE, synthetic=True).assessment_id
    repo.save_answers(aid, low)
    ids = list(low)
    pages = [ids[i:i + page] for i in range(0, len(ids), page)]
    state = {"n": 0}

    def save_one_page() -> None:
        n = state["n"] = state["n"] + 1
        source = high if (n // len(pages)) % 2 == 0 else low  # every save really changes answers
        repo.save_answers(aid, {k: source[k] for k in pages[n % len(pages)]}, step=f"page{n % len(pages)}")

    return {"samples": timings(save_one_page, saves, warmup=5), "payload_bytes": len(json.dumps(low)), "pages": len(pages)}


def bare_sqlite(path: Path, payload: str, page: dict, saves: int) -> tuple[dict, dict, dict]:
    """Bare sqlite3: UPDATE of the payload; INSERT of it; and the same read-modify-write as an
    autosave (BEGIN IMMEDIATE, read, merge, write, log row, COMMIT) without SQLAlchemy or checks."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "busy_timeout=5000", f"synchronous={SQLITE_SYNCHRONOUS}"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE doc (id INTEGER PRIMARY KEY, answers TEXT, revision INTEGER)")
    conn.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, doc INTEGER, revision INTEGER, changes TEXT)")
    conn.execute("INSERT INTO doc VALUES (1, ?, 0)", (payload,))

    def update() -> None:
        conn.execute("UPDATE doc SET answers = ?, revision = revision + 1 WHERE id = 1", (payload,))

    def insert() -> None:
        conn.execute("INSERT INTO doc (answers, revision) VALUES (?, 0)", (payload,))

    def read_modify_write() -> None:
        conn.execute("BEGIN IMMEDIATE")
        answers, revision = conn.execute("SELECT answers, revision FROM doc WHERE id = 1").fetchone()
        merged = {**json.loads(answers), **page}
        conn.execute("UPDATE doc SET answers = ?, revision = ? WHERE id = 1", (json.dumps(merged), revision + 1))
        conn.execute("INSERT INTO log (doc, revision, changes) VALUES (1, ?, ?)", (revision + 1, json.dumps(page)))
        conn.execute("COMMIT")

    out = tuple(summary(timings(fn, saves, warmup=5)) for fn in (update, insert, read_modify_write))
    conn.close()
    return out


def bench_bulk(repo: Repository, instrument, rows: int, path: Path) -> dict:
    low, high = answer_sets(instrument.questionnaire)
    results = [score_firm(instrument, PROFILE, a).to_json() for a in (low, high)]
    now = datetime.now(UTC)
    batch = [SyntheticCompleted(instrument, PROFILE, (low, high)[i % 2], results[i % 2], now) for i in range(rows)]
    [seconds] = timings(lambda: repo.add_completed_bulk(batch), 1, warmup=0)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
    conn.execute("CREATE TABLE bulk (id INTEGER PRIMARY KEY, answers TEXT, result TEXT)")

    def bare() -> None:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO bulk (answers, result) VALUES (?, ?)",
                         ((json.dumps(r.answers), json.dumps(r.result)) for r in batch))
        conn.execute("COMMIT")

    [baseline] = timings(bare, 1, warmup=0)
    conn.close()
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds),
            "baseline_executemany_seconds": round(baseline, 3), "ratio": ratio(seconds, baseline), "target_seconds": 60}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--page", type=int, default=5, help="questions changed per autosave")
    parser.add_argument("--bulk-rows", type=int, default=100_000)
    args = parser.parse_args()
    instrument = get_instrument()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/app.db")
        upgrade(engine)
        repo = Repository(engine)
        autosave = bench_autosave(repo, instrument, args.saves, args.page)
        saved = summary(autosave["samples"])
        low, high = answer_sets(instrument.questionnaire)
        page = {k: high[k] for k in list(high)[:args.page]}
        base_update, base_insert, base_rmw = bare_sqlite(Path(tmp) / "bare.db", json.dumps(low), page, args.saves)
        bulk = bench_bulk(repo, instrument, args.bulk_rows, Path(tmp) / "bulk.db") if args.bulk_rows else None
        engine.dispose()
    emit("storage_autosave_sqlite", {
        "questionnaire": "/".join(instrument.key), "questions_per_save": args.page, "answers_json_bytes": autosave["payload_bytes"],
        "autosave": saved, "baseline_sqlite3_read_modify_write": base_rmw, "baseline_sqlite3_update": base_update,
        "baseline_sqlite3_insert": base_insert, "ratio_median_vs_read_modify_write": ratio(saved["median_ms"], base_rmw["median_ms"]),
        "ratio_median_vs_update": ratio(saved["median_ms"], base_update["median_ms"]), "target_median_ms": 20,
        "bulk_insert": bulk, "peak_rss_mb": peak_rss_mb(),
    })


if __name__ == "__main__":
    main()
