"""The roadmap PDF: one report against a bare reportlab document, and a batch's peak memory.

Targets (issue 5): one report <= 500 ms median and <= 3x a bare reportlab document with the same
pages and text volume (Helvetica paragraphs, no chart, no tables), built in the same run. The ratio
is given for the PDF build and for the whole report (scoring + roadmap + PDF); the same bare
document in the embedded DejaVu font is timed too, to show what the font alone costs. A batch
of 1,000 reports with peak memory < 500 MB, measured in a child process (its own maxrss).
Firms are synthetic (benchmarks.synthetic), so this measures no real business.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable

from bench.harness import emit, peak_rss_mb, ratio, summary

DATE = dt.date(2026, 11, 26)


def _firms(n: int, seed: int) -> tuple:  # (instrument, [(profile, answers)])
    from benchmarks.synthetic import synthetic_answers
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments

    instrument = get_instrument()
    profiles, answers = synthetic_answers(instrument.questionnaire, load_segments(), n, seed=seed)
    return instrument, list(zip(profiles, answers, strict=True))


def _bare_document(pages: list[str], font: str = "Helvetica") -> bytes:
    """The same text, page for page, as plain paragraphs: what reportlab costs at least."""
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    style = ParagraphStyle("bare", parent=getSampleStyleSheet()["BodyText"], fontName=font)
    story = []
    for text in pages:
        words = text.split()
        story += [Paragraph(" ".join(words[i:i + 60]), style) for i in range(0, len(words), 60)] + [PageBreak()]
    SimpleDocTemplate(out, invariant=1).build(story[:-1])
    return out.getvalue()


def interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Seconds per call of each function, taking turns (after one warm-up round)."""
    for fn in fns.values():
        fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            out[name].append(time.perf_counter() - start)
    return out


def single(repeat: int) -> dict:
    from xml.sax.saxutils import escape

    from pypdf import PdfReader

    from reports.pdf_style import FONT, register_fonts
    from reports.roadmap_pdf import build_roadmap_pdf
    from services.results import prepare_report

    register_fonts()
    instrument, firms = _firms(20, seed=5)
    profile, answers = firms[3]
    data = prepare_report(instrument, profile, answers, DATE)
    pdf = build_roadmap_pdf(data, "fr")
    pages = [escape(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    bare_pdf = _bare_document(pages)
    # Interleaved, so load from other processes hits baseline and report alike.
    samples = interleaved({"bare": lambda: _bare_document(pages), "bare_dejavu": lambda: _bare_document(pages, FONT),
                           "build": lambda: build_roadmap_pdf(data, "fr"),
                           "full": lambda: build_roadmap_pdf(prepare_report(instrument, profile, answers, DATE), "fr")}, repeat)
    bare, bare_dejavu, build, full = (summary(samples[k]) for k in ("bare", "bare_dejavu", "build", "full"))
    return {
        "pages": len(pages), "text_chars": sum(len(p) for p in pages), "bare_pages": len(PdfReader(io.BytesIO(bare_pdf)).pages),
        "baseline_bare_reportlab": bare, "pdf_build": build, "report_with_roadmap": full,
        "ratio_median": ratio(build["median_ms"], bare["median_ms"]),
        "ratio_median_with_roadmap": ratio(full["median_ms"], bare["median_ms"]),
        "baseline_bare_same_font": bare_dejavu,  # the same bare document in the embedded DejaVu font, for reference
        "ratio_median_vs_same_font": ratio(build["median_ms"], bare_dejavu["median_ms"]),
        "target_ratio": 3.0, "target_median_ms": 500,
    }


def batch_child(n: int) -> None:
    """Build ``n`` reports (alternating languages) and print this process's figures as JSON."""
    from reports.roadmap_pdf import build_roadmap_pdf
    from services.results import prepare_report

    instrument, firms = _firms(n, seed=7)
    start, total_bytes = time.perf_counter(), 0
    for i, (profile, answers) in enumerate(firms):
        total_bytes += len(build_roadmap_pdf(prepare_report(instrument, profile, answers, DATE), "fr" if i % 2 == 0 else "en"))
    seconds = time.perf_counter() - start
    print(json.dumps({"reports": n, "seconds": round(seconds, 2), "ms_per_report": round(1000 * seconds / n, 1),
                      "mean_pdf_kb": round(total_bytes / n / 1024, 1), "peak_rss_mb": peak_rss_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batch-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch_child:
        batch_child(args.batch_child)
        return
    figures = single(args.repeat)
    child = subprocess.run([sys.executable, "-m", "bench.bench_pdf", "--batch-child", str(args.batch)],
                           capture_output=True, text=True, check=True)
    figures["batch"] = json.loads(child.stdout.strip().splitlines()[-1]) | {"target_peak_mb": 500}
    emit("pdf_report", figures)


if __name__ == "__main__":
    main()
