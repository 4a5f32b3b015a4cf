"""Write the golden inputs once (kept in git): 50 varied firms as CSV, three single-firm JSON files.

Inputs are frozen files, not regenerated per run, so they survive changes to the generators.
Run from the repository root: ``python -m tests.golden.make_inputs``.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

from commands.answer_files import PROFILE_COLUMNS, answer_columns
from questionnaires.model import DONT_KNOW
from questionnaires.registry import get_instrument
from questionnaires.segments import load_segments
from tests.answer_gen import random_answers

HERE = Path(__file__).resolve().parent


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else str(value)


def main() -> None:
    instrument, segments = get_instrument(), load_segments()
    q = instrument.questionnaire
    rnd = random.Random(20261205)
    sectors, sizes, regions = segments.codes("sector"), segments.codes("size"), segments.codes("region")
    firms = []
    for n in range(50):
        blank = [0.0, 0.1, 0.4, 0.9, 1.0][n % 5]  # from complete to empty
        profile = {"sector": sectors[n % len(sectors)], "size": sizes[n % len(sizes)], "region": regions[n % len(regions)]}
        firms.append((f"firm{n:02d}", profile, random_answers(q, rnd, blank)))
    columns = answer_columns(q)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*PROFILE_COLUMNS, *columns])
    for firm_id, profile, answers in firms:
        cells = []
        for column in columns:
            qid, _, row = column.partition(".")
            value = answers.get(qid)
            cells.append(_cell(value.get(row) if row and isinstance(value, dict) else (None if row else value)))
        writer.writerow([firm_id, f"Entreprise {firm_id}", profile["sector"], profile["size"], profile["region"], *cells])
    (HERE / "firms.csv").write_text(out.getvalue(), encoding="utf-8")
    singles = {"manufacturer": (firms[0], "Usinage Précis « Lévis » & Fils <b>inc.</b>"),
               "retailer": (firms[6], "Boutique 😀 de la Baie"),
               "sparse": (firms[3], "")}
    for name, ((_, profile, answers), firm_name) in singles.items():
        if name == "manufacturer":
            profile = {"sector": "31-33", "size": "20-49", "region": "06"}
        doc = {"profile": {**profile, "name": firm_name}, "answers": answers}
        (HERE / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert DONT_KNOW  # the generator uses it


if __name__ == "__main__":
    main()
