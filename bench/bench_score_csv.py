"""`cli.py score FILE.csv --format csv` on a large file: time and peak memory, against parsing alone.

Target (issue 13, finding 7): 4,000,000 rows (about 100 MB) in <= 60 s at < 1 GB. The file has
the profile columns and a few answers per row; the baseline reads the same file with pandas'
chunked C parser and nothing else, in the same run.

    python -m bench.bench_score_csv [--rows 4000000]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import emit, ratio

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ("import sys, pandas as pd\n"
            "n = sum(len(c) for c in pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, na_filter=False, chunksize=100000))\n")


def write_file(path: Path, rows: int) -> None:
    rnd = random.Random(1)
    sectors, sizes = ["31-33", "44-45", "54", "11", "23"], ["1-4", "5-19", "20-49", "50-99"]
    speeds = ["", "mbps_30_100", "dont_know"]
    with path.open("w", encoding="utf-8") as f:
        f.write("firm_id,sector,size,region,fixed_connection_speed\n")
        for i in range(rows):
            f.write(f"f{i},{rnd.choice(sectors)},{rnd.choice(sizes)},{rnd.randint(1, 17):02d},{rnd.choice(speeds)}\n")


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "firms.csv"
        write_file(path, args.rows)
        baseline = timed([sys.executable, "-c", BASELINE, str(path)])
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        seconds = timed([sys.executable, "cli.py", "score", str(path), "--format", "csv"])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # max over children: the larger of the two
        emit("score_csv_stream", {"rows": args.rows, "file_mb": round(path.stat().st_size / 2**20, 1),
                                  "seconds": round(seconds, 2), "baseline_parse_seconds": round(baseline, 2),
                                  "ratio": ratio(seconds, baseline), "peak_rss_mb": round(max(before, peak) / 1024, 1),
                                  "target_seconds": 60, "target_peak_mb": 1024})


if __name__ == "__main__":
    main()
