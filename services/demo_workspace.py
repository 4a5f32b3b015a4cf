"""Demonstration workspace (``python cli.py seed-demo --with-workspace``): demo accounts (advisors,
one analyst, one admin) and, for each advisor, a caseload of fictitious client firms filled in
through the advisor service exactly as a guided session would (consent, answers, completion,
plan, notes, T1). Every firm and assessment is flagged synthetic and every view labels it; the
accounts are ``@demo.example`` and named "(démo)". Nothing here is a measured fact.

A second run refuses (``DemoWorkspaceExists``) and changes nothing: the passwords were shown
once, and a second set of demo accounts would only confuse.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from auth.policy import Principal, Role
from domain import Answers, AnswerValue, Profile
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from scoring.applicability import applicable_answers
from scoring.engine import score_firm
from services.access import Access
from services.accounts import Accounts
from services.advisor import AdvisorService
from services.results import firm_results
from storage.advisors import PlanItem

DEMO_DOMAIN = "demo.example"
DEMO_ORGANISATION = "Organisme fictif (démo)"
DEMO_SECOND_STAGE_SEED = 7919  # T1 answers are drawn from a second synthetic population
T1_CHANGED_SHARE = 0.3  # share of questions whose T1 answer is redrawn
PLAN_STATUSES_T1 = ("done", "in_progress", "planned")  # a firm at T1 has done part of its T0 plan
PLAN_STATUSES_T0 = ("in_progress", "planned", "planned")


class DemoWorkspaceExists(ValueError):
    """The demo accounts exist already (a second ``seed-demo --with-workspace``)."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    roles: tuple[str, ...]
    password: str  # shown once on stdout; only its argon2 hash is stored


@dataclass(frozen=True)
class DemoWorkspace:
    accounts: tuple[DemoAccount, ...]
    firms: int
    t0_only: int
    t0_t1: int

    def to_json(self) -> dict[str, object]:
        return {"workspace": {
            "synthetic": True, "firms": self.firms, "t0_only": self.t0_only, "t0_t1": self.t0_t1,
            "accounts": [{"email": a.email, "display_name": a.display_name, "roles": list(a.roles), "password": a.password}
                         for a in self.accounts],
            "passwords": "shown once: only their hashes are stored (reset with cli.py users reset-password)",
        }}


def existing_demo_accounts(access: Access) -> list[str]:
    return sorted(u.email for u in access.users.users() if u.email.endswith(f"@{DEMO_DOMAIN}"))


def refuse_if_seeded(access: Access) -> None:
    found = existing_demo_accounts(access)
    if found:
        raise DemoWorkspaceExists(
            f"seed-demo --with-workspace: the demo workspace exists already ({len(found)} accounts @{DEMO_DOMAIN}, e.g. {found[0]}); "
            "nothing was changed. Its passwords were printed once when it was created; reset one with "
            "`python cli.py users reset-password EMAIL`.")


def demo_accounts(advisors: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """(e-mail, display name, roles) of the demo accounts: the advisors, one analyst, one admin."""
    people = [(f"conseil{i}@{DEMO_DOMAIN}", f"Personne-conseil {i} (démo)", ("advisor",)) for i in range(1, advisors + 1)]
    return [*people, (f"analyste@{DEMO_DOMAIN}", "Analyste (démo)", ("analyst",)),
            (f"admin@{DEMO_DOMAIN}", "Administration (démo)", ("admin",))]


def seed_workspace(access: Access, instrument: Instrument, advisors: int, clients: int, seed: int) -> DemoWorkspace:
    """Create the demo accounts and ``clients`` synthetic client firms per advisor; every other
    firm (the first, third, ...) also gets a completed T1. Deterministic for a seed, except the
    passwords (random, from ``secrets``)."""
    refuse_if_seeded(access)
    accounts = Accounts(access)
    created = []
    for email, name, roles in demo_accounts(advisors):
        password = secrets.token_urlsafe(15)
        accounts.add(None, email, name, roles=roles, password=password, organisation=DEMO_ORGANISATION if "advisor" in roles else "")
        created.append(DemoAccount(email, name, roles, password))
    seeder = _CaseloadSeeder(AdvisorService(access), instrument, advisors * clients, seed)
    for account in created[:advisors]:
        seeder.fill_caseload(_advisor_principal(access, account), clients)
    return DemoWorkspace(tuple(created), seeder.firms, seeder.firms - seeder.with_t1, seeder.with_t1)


def _advisor_principal(access: Access, account: DemoAccount) -> Principal:
    """The advisor acting in the seeded sessions (no login session row: nobody signed in)."""
    user = access.users.user_by_email(account.email)
    assert user is not None
    advisor = access.repo.advisors.advisor_for_user(user.id)
    assert advisor is not None
    return Principal(user.id, user.email, user.display_name, frozenset({Role.ADVISOR}), advisor.id, advisor.organisation,
                     provider="seed-demo")


class _CaseloadSeeder:
    """Fictitious client firms, each filled in through the advisor service (checked and logged)."""

    def __init__(self, service: AdvisorService, instrument: Instrument, n: int, seed: int):
        from benchmarks.synthetic import synthetic_answers

        q = instrument.questionnaire
        segments = load_segments()
        self.service, self.instrument = service, instrument
        self.profiles, self.answers = synthetic_answers(q, segments, n, seed)
        self.redrawn = synthetic_answers(q, segments, n, seed + DEMO_SECOND_STAGE_SEED)[1]
        self.rng = random.Random(seed)
        self.firms = self.with_t1 = 0

    def fill_caseload(self, principal: Principal, clients: int) -> None:
        for k in range(clients):
            self._one_firm(principal, with_t1=k % 2 == 0)

    def _one_firm(self, principal: Principal, *, with_t1: bool) -> None:
        i = self.firms
        self.firms += 1
        profile = replace(self.profiles[i], name=f"Entreprise fictive {i + 1} (démo)")
        new = self.service.start_guided(principal, self.instrument, profile, client_consents=True, synthetic=True)
        t0 = self._fill(principal, new.assessment_id, profile, dict(self.answers[i]), {})
        self._plan_and_notes(principal, t0, profile, self.answers[i], PLAN_STATUSES_T1 if with_t1 else PLAN_STATUSES_T0)
        if with_t1:
            self.with_t1 += 1
            nxt = self.service.start_next_stage(principal, t0)
            later = self._second_stage_answers(profile, self.answers[i], self.redrawn[i])
            self._fill(principal, nxt.assessment_id, profile, later, self.answers[i])

    def _fill(self, principal: Principal, assessment_id: str, profile: Profile, answers: Mapping[str, AnswerValue],
              before: Answers) -> str:
        """Save what differs from ``before`` (the answers copied at start), then complete."""
        changes: dict[str, AnswerValue | None] = {k: v for k, v in answers.items() if before.get(k) != v}
        changes |= {k: None for k in before if k not in answers}
        self.service.save_answers(principal, assessment_id, changes)
        self.service.complete(principal, assessment_id, score_firm(self.instrument, profile, answers))
        return assessment_id

    def _second_stage_answers(self, profile: Profile, first: Answers, redrawn: Answers) -> dict[str, AnswerValue]:
        """The T0 answers with about ``T1_CHANGED_SHARE`` of them redrawn, kept only where the
        question still applies (a changed filter question can hide others)."""
        merged = {k: (redrawn[k] if k in redrawn and self.rng.random() < T1_CHANGED_SHARE else v) for k, v in first.items()}
        merged |= {k: v for k, v in redrawn.items() if k not in first and self.rng.random() < T1_CHANGED_SHARE}
        return dict(applicable_answers(self.instrument.questionnaire, profile, merged)[1])

    def _plan_and_notes(self, principal: Principal, assessment_id: str, profile: Profile, answers: Answers,
                        statuses: tuple[str, ...]) -> None:
        roadmap = firm_results(self.instrument, profile, answers).roadmap
        today = date.today()
        plan = [PlanItem(item.action.id, "firm" if n % 2 == 0 else "advisor", today + timedelta(days=30 * (n + 1)),
                         "Exemple de démonstration (données synthétiques)", status)
                for n, (item, status) in enumerate(zip(roadmap.items, statuses, strict=False))]
        self.service.save_plan(principal, assessment_id, plan)
        first = next(iter(answers), None)
        self.service.set_note(principal, assessment_id, first, "shared", "Note partagée de démonstration (données synthétiques).")
        self.service.set_note(principal, assessment_id, first, "private", "Note privée de démonstration (données synthétiques).")
