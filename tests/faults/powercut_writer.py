"""Child process of test_power_cut: autosaves into one assessment as fast as it can and prints
the revision of every save the repository acknowledged, until it is killed.

    python -m tests.faults.powercut_writer DB_PATH ASSESSMENT_ID SYNCHRONOUS
"""

from __future__ import annotations

import sys

import storage.db
from questionnaires.registry import load_questionnaire
from storage.repository import Repository
from tests.conftest import FIXTURES


def main() -> None:
    path, assessment_id, synchronous = sys.argv[1:4]
    storage.db.SQLITE_SYNCHRONOUS = synchronous
    repo = Repository(storage.db.make_engine(f"sqlite:///{path}"))
    repo.register_instrument(load_questionnaire(FIXTURES / "mini.yaml"))
    values = ["low", "high"]
    n = 0
    while True:
        n += 1
        view = repo.save_answers(assessment_id, {"plan": values[n % 2]}, step=f"s{n}")
        print(view.revision, flush=True)  # acknowledged: the user saw this save succeed


if __name__ == "__main__":
    main()
