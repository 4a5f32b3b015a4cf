"""``python -m bench [all | NAME ...]``: run benchmark modules (bench/bench_NAME.py), each in its
own process so peak-memory figures are per benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    names = available() if not argv or argv == ["all"] else argv
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {available()}", file=sys.stderr)
        return 1
    failed = 0
    for name in names:
        failed |= subprocess.call([sys.executable, "-m", f"bench.bench_{name}"], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
