"""The golden outputs: what ``cli.py score`` / ``score --benchmarks`` / ``report`` print or write for
the frozen inputs beside this file. ``python -m tests.golden.outputs --write`` records them (only
when a change is meant to alter results, said in its commit); the regression test compares.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
REPORT_DATE = "2026-12-01"
SINGLES = ("manufacturer", "retailer", "sparse")
POOL = ("--n", "300", "--seed", "11")


def _cli(*argv: str) -> bytes:
    import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(argv))
    assert code == 0, f"cli.py {' '.join(argv)} exited {code}"
    return out.getvalue().encode("utf-8")


def generate(workdir: Path) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) for every golden output, computed by the current code."""
    firms = str(HERE / "firms.csv")
    yield "score-firms.json", _cli("score", firms)
    yield "score-firms.csv", _cli("score", firms, "--format", "csv")
    for name in SINGLES:
        yield f"score-{name}.json", _cli("score", str(HERE / f"{name}.json"))
        for lang in ("fr", "en"):
            pdf = workdir / f"{name}-{lang}.pdf"
            _cli("report", str(HERE / f"{name}.json"), "--lang", lang, "--out", str(pdf), "--date", REPORT_DATE)
            yield f"report-{name}-{lang}.pdf", pdf.read_bytes()
    url = f"sqlite:///{workdir / 'pool.db'}"
    _cli("seed-demo", *POOL, "--url", url)
    yield "score-benchmarks-manufacturer.json", _cli("score", str(HERE / "manufacturer.json"), "--benchmarks", "--url", url)
    yield "score-benchmarks-firms.json", _cli("score", firms, "--benchmarks", "--url", url)
    pdf = workdir / "bench-fr.pdf"
    _cli("report", str(HERE / "manufacturer.json"), "--lang", "fr", "--out", str(pdf), "--date", REPORT_DATE, "--benchmarks",
         "--url", url)
    yield "report-benchmarks-manufacturer-fr.pdf", pdf.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    EXPECTED.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in generate(Path(tmp)):
            target = EXPECTED / name
            if args.write:
                target.write_bytes(data)
                print("wrote", target)
            else:
                print(name, "same" if target.exists() and target.read_bytes() == data else "DIFFERENT")


if __name__ == "__main__":
    main()
