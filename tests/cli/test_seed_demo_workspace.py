"""``cli.py seed-demo --with-workspace``: demo accounts whose printed passwords sign in, caseloads at
T0 and T0+T1 made through the advisor service, everything synthetic; the first output line keeps
its format, the workspace is a second JSON line, and a second run is refused without changes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from auth import Role
from commands import build_parser, main
from services.access import Access
from services.advisor import AdvisorService
from storage import open_repository
from storage.models import AppUser, Assessment, Firm, table

POOL_LINE_KEYS = {"inserted", "synthetic", "seed", "questionnaire"}


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'demo.db'}"


def seed(url, capsys, *extra):
    code = main(["seed-demo", "--n", "20", "--url", url, *extra])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def counts(url) -> dict[str, int]:
    with open_repository(url).engine.connect() as conn:
        return {m.__tablename__: int(conn.execute(select(func.count()).select_from(table(m))).scalar_one())
                for m in (AppUser, Firm, Assessment)}


def test_without_the_option_seed_demo_prints_its_one_line_as_before(url, capsys):
    code, lines, _ = seed(url, capsys)
    assert code == 0 and len(lines) == 1
    first = json.loads(lines[0])
    assert set(first) == POOL_LINE_KEYS and first["inserted"] == 20 and first["synthetic"] is True
    assert counts(url)["app_user"] == 0


def test_workspace_defaults_are_three_advisors_with_twelve_clients_each():
    args = build_parser().parse_args(["seed-demo", "--with-workspace"])
    assert (args.with_workspace, args.advisors, args.clients) == (True, 3, 12)
    assert build_parser().parse_args(["seed-demo"]).with_workspace is False


def test_with_workspace_creates_accounts_and_synthetic_caseloads(url, capsys):
    code, lines, _ = seed(url, capsys, "--with-workspace", "--advisors", "2", "--clients", "3")
    assert code == 0 and len(lines) == 2
    first, second = json.loads(lines[0]), json.loads(lines[1])
    assert set(first) == POOL_LINE_KEYS and first["inserted"] == 20  # the line existing scripts read is unchanged
    workspace = second["workspace"]
    assert workspace["synthetic"] is True and (workspace["firms"], workspace["t0_only"], workspace["t0_t1"]) == (6, 2, 4)
    accounts = workspace["accounts"]
    assert sorted(tuple(a["roles"]) for a in accounts) == [("admin",), ("advisor",), ("advisor",), ("analyst",)]
    assert all(a["email"].endswith("@demo.example") and "(démo)" in a["display_name"] for a in accounts)
    assert len({a["password"] for a in accounts}) == 4

    access = Access(open_repository(url))
    service = AdvisorService(access)
    for account in accounts:
        principal = access.sign_in(account["email"], account["password"], "test").principal
        assert principal is not None, account["email"]  # the printed password works, once
        assert principal.roles == frozenset(Role(r) for r in account["roles"])
        if Role.ADVISOR not in principal.roles:
            continue
        cases = service.caseload(principal)
        assert len(cases) == 3 and all(c.synthetic for c in cases)
        assert sorted(c.assessments for c in cases) == [1, 2, 2]  # T0 only, and T0 + T1
        for case in cases:
            chain = service.firm_assessments(principal, case.assessment_id)
            assert [a.stage.value for a in chain] == ["T0", "T1"][: case.assessments]
            assert all(a.synthetic and a.status.value == "completed" and "(démo)" in a.profile.name for a in chain)
            assert service.plan(principal, chain[0].id) and service.notes(principal, chain[0].id)
            if len(chain) == 2:
                assert service.comparison(principal, chain[1].id) is not None
    with access.repo.engine.connect() as conn:
        firms = conn.execute(select(table(Firm).c.synthetic)).scalars().all()
        assessments = conn.execute(select(table(Assessment).c.synthetic)).scalars().all()
    assert len(firms) == 20 + 6 and all(firms)
    assert len(assessments) == 20 + 6 + 4 and all(assessments)


def test_a_second_workspace_run_is_refused_and_changes_nothing(url, capsys):
    assert seed(url, capsys, "--with-workspace", "--advisors", "1", "--clients", "2")[0] == 0
    before = counts(url)
    code, lines, err = seed(url, capsys, "--with-workspace", "--advisors", "1", "--clients", "2")
    assert code == 1 and lines == []
    assert "demo workspace exists already" in err and "nothing was changed" in err and "reset-password" in err
    assert counts(url) == before
