"""Peer pool, archetypes and nearest peers at scale, each against a bare numpy/pandas/sklearn
baseline of the same operation timed in the same run.

Targets (issue 4), on a pool of 1,000,000 synthetic dimension-score profiles (numpy, no DB):
percentile look-up for one firm <= 50 ms median; building every cell's sorted arrays and
quartiles <= 10 s; archetype fit on 100,000 <= 5 s; nearest-peer query <= 20 ms; peak memory < 3 GB.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans

from bench.harness import emit, peak_rss_mb, ratio, summary, timings
from benchmarks.adoption import adoption_items
from benchmarks.archetypes import fit_archetypes
from benchmarks.neighbours import N_NEIGHBOURS, NeighbourIndex
from benchmarks.peers import LEVELS, PeerPool, percentiles
from domain import Profile
from questionnaires.registry import get_instrument
from questionnaires.segments import load_segments


def synthetic_pool(rows: int, dims: list[str], seed: int) -> pd.DataFrame:
    """Scores rising with size band, with sector offsets and noise (synthetic, for load only)."""
    segments = load_segments()
    rng = np.random.default_rng(seed)
    sector = rng.integers(0, len(segments.codes("sector")), rows)
    size = rng.integers(0, len(segments.codes("size")), rows)
    region = rng.integers(0, len(segments.codes("region")), rows)
    base = 30 + 6 * size + rng.normal(0, 5, 20)[sector] + rng.normal(0, 12, rows)
    scores = np.clip(base[:, None] + rng.normal(0, 10, (rows, len(dims))), 0, 100).round(1)
    frame = pd.DataFrame(scores, columns=dims)
    frame["overall"] = scores.mean(axis=1)
    for name, codes in (("sector", sector), ("size", size), ("region", region)):
        frame[name] = pd.Categorical.from_codes(codes, segments.codes(name)).astype(str)
    frame["synthetic"] = True
    return frame


def bench_percentiles(frame: pd.DataFrame, metrics: list[str], repeat: int, rng: np.random.Generator) -> dict:
    start = time.perf_counter()
    pool = PeerPool.from_frame(frame, metrics, k=10)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    for fields in LEVELS:  # baseline: the same cells' quartiles with a bare pandas groupby
        (frame.groupby(list(fields), observed=True) if fields else frame)[metrics].quantile([0.25, 0.5, 0.75])
    baseline_build_s = time.perf_counter() - start
    firms = frame.sample(repeat, random_state=int(rng.integers(1 << 31)))
    profiles = [Profile(r.sector, r.size, r.region) for r in firms.itertuples()]
    scores = [{m: float(v) for m, v in zip(metrics, row, strict=True)} for row in firms[metrics].to_numpy()]
    lookups = iter(range(10 * repeat))
    looked = summary(timings(lambda: percentiles(pool, profiles[next(lookups) % repeat], scores[0]), repeat))
    columns = {m: frame[m].to_numpy() for m in metrics}
    sector, size, region = (frame[f].to_numpy() for f in ("sector", "size", "region"))

    def bare_lookup(p: Profile = profiles[0]) -> None:  # mask the cell, then a bare np.percentile per metric
        cell = (sector == p.sector) & (size == p.size) & (region == p.region)
        for m in metrics:
            values = columns[m][cell]
            np.percentile(values, [25, 50, 75])
            (values < scores[0][m]).mean()

    baseline = summary(timings(bare_lookup, max(3, repeat // 10)))
    return {
        "build_all_cells_s": round(build_s, 3), "baseline_pandas_groupby_quantile_s": round(baseline_build_s, 3),
        "build_ratio": ratio(build_s, baseline_build_s), "build_target_s": 10.0,
        "lookup_one_firm": looked, "baseline_mask_and_np_percentile": baseline,
        "lookup_ratio_median": ratio(looked["median_ms"], baseline["median_ms"]), "lookup_target_ms": 50.0,
    }


def bench_archetypes(frame: pd.DataFrame, dims: list[str], rows: int) -> dict:
    matrix = frame[dims].to_numpy()[:rows]
    start = time.perf_counter()
    model = fit_archetypes(matrix, tuple(dims), synthetic=True, seed=0)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    KMeans(n_clusters=len(model.archetypes)).fit(matrix)
    bare_s = time.perf_counter() - start
    return {"rows": rows, "k_chosen": len(model.archetypes), "silhouette": round(model.silhouette, 3), "fit_s": round(fit_s, 3),
            "baseline_bare_kmeans_s": round(bare_s, 3), "ratio": ratio(fit_s, bare_s), "target_s": 5.0}


def bench_neighbours(frame: pd.DataFrame, dims: list[str], repeat: int, rng: np.random.Generator) -> dict:
    q = get_instrument().questionnaire
    items = adoption_items(q)
    adoption = rng.random((len(frame), len(items)), dtype=np.float32) < (frame["overall"].to_numpy()[:, None] / 100)
    start = time.perf_counter()
    index = NeighbourIndex.fit(frame, dims, adoption, items, load_segments().codes("size"), synthetic=True)
    fit_s = time.perf_counter() - start
    firms = frame.sample(repeat, random_state=int(rng.integers(1 << 31)))
    calls = [(Profile(r.sector, r.size, r.region), {d: getattr(r, d) for d in dims}, r.overall) for r in firms.itertuples()]
    nothing = np.zeros(len(items), bool)
    turn = iter(range(10 * repeat))

    def query() -> None:
        profile, scores, overall = calls[next(turn) % repeat]
        index.signals(profile, scores, overall, nothing)

    queried = summary(timings(query, repeat))
    profile, scores, _ = calls[0]
    rows = np.flatnonzero(index.sectors == profile.sector)
    x = index._firm_features(profile, scores)[0]

    def brute() -> None:  # the same candidates (the firm's sector), bare squared distances + argpartition
        d = ((index.features[rows] - x) ** 2).sum(axis=1)
        np.argpartition(d, N_NEIGHBOURS)[:N_NEIGHBOURS]

    baseline = summary(timings(brute, max(3, repeat // 5)))
    return {"fit_s": round(fit_s, 3), "query": queried, "baseline_bruteforce_argpartition": baseline,
            "ratio_median": ratio(queried["median_ms"], baseline["median_ms"]), "target_ms": 20.0, "items": len(items)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--archetype-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    dims = [d.id for d in get_instrument().questionnaire.dimensions]
    rng = np.random.default_rng(4)
    frame = synthetic_pool(args.rows, dims, seed=4)
    figures = {"rows": args.rows, "synthetic": True}
    figures["percentiles"] = bench_percentiles(frame, ["overall", *dims], args.repeat, rng)
    figures["archetypes"] = bench_archetypes(frame, dims, min(args.archetype_rows, args.rows))
    figures["nearest_peers"] = bench_neighbours(frame, dims, args.repeat, rng)
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["target_peak_mb"] = 3072
    emit("benchmarks_peers", figures)


if __name__ == "__main__":
    main()
