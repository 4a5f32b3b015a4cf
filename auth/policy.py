"""Who may do what: roles, the principal, actions, and ``can``.

Roles always come from the application's database (``role_grant``), never from an identity
provider's claims. ``can`` is pure: the caller passes the facts about the resource it read from
storage (``AssessmentAccess``), so the rule is tested without a database and every service asks it
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADVISOR = "advisor"  # runs guided sessions with client firms, sees current consenting clients only
    ANALYST = "analyst"  # ministry statistics (released, anonymised tables only)
    ADMIN = "admin"  # users, roles, advisors' caseloads (reassignment); sees no assessment content


ROLES: tuple[Role, ...] = tuple(Role)


class Action(StrEnum):
    # assessments of client firms (need AssessmentAccess)
    VIEW_ASSESSMENT = "view_assessment"
    CHANGE_ASSESSMENT = "change_assessment"
    EXPORT_ASSESSMENT = "export_assessment"
    # caseload
    VIEW_CASELOAD = "view_caseload"
    LINK_CLIENT = "link_client"  # with the firm's resume code and consent
    START_GUIDED = "start_guided"  # a new assessment with the client, consent recorded
    END_ASSIGNMENT = "end_assignment"
    REASSIGN_CLIENT = "reassign_client"
    # administration
    MANAGE_USERS = "manage_users"
    VIEW_ACCESS_LOG = "view_access_log"
    # ministry statistics (issue 10)
    VIEW_STATISTICS = "view_statistics"
    EXPORT_STATISTICS = "export_statistics"
    RUN_RELEASE = "run_release"  # compute and freeze a release (admins: they see its summary, never assessments)


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADVISOR: frozenset({Action.VIEW_ASSESSMENT, Action.CHANGE_ASSESSMENT, Action.EXPORT_ASSESSMENT, Action.VIEW_CASELOAD,
                             Action.LINK_CLIENT, Action.START_GUIDED, Action.END_ASSIGNMENT}),
    Role.ANALYST: frozenset({Action.VIEW_STATISTICS, Action.EXPORT_STATISTICS}),
    Role.ADMIN: frozenset({Action.MANAGE_USERS, Action.VIEW_ACCESS_LOG, Action.REASSIGN_CLIENT, Action.END_ASSIGNMENT,
                           Action.RUN_RELEASE}),
}
ASSESSMENT_ACTIONS = frozenset({Action.VIEW_ASSESSMENT, Action.CHANGE_ASSESSMENT, Action.EXPORT_ASSESSMENT})


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in person. ``roles`` come from the database at sign-in and on every rerun."""

    user_id: str
    email: str
    display_name: str
    roles: frozenset[Role] = frozenset()
    advisor_id: str | None = None  # the advisor row of an advisor (storage/advisors.py)
    organisation: str = ""
    session_id: str = ""  # the login session row (its hash), for sign-out and the access log
    provider: str = "local"  # "local" or the OIDC provider name

    def has(self, role: Role) -> bool:
        return role in self.roles


@dataclass(frozen=True, slots=True)
class AssessmentAccess:
    """What storage says about one assessment for one advisor, read in the same query."""

    advisor_id: str
    current_client: bool  # the firm is assigned to this advisor now (assignment not ended)
    consent_advisor: bool  # the assessment's "share with an advisor" consent is set


def can(principal: Principal | None, action: Action, resource: AssessmentAccess | None = None) -> bool:
    """Whether ``principal`` may do ``action`` (on ``resource`` for assessment actions).

    No principal, or a principal with no role, may do nothing. Assessment actions need an advisor
    whose current, consenting client owns the assessment: admins and analysts never read one."""
    if principal is None or not principal.roles:
        return False
    if not any(action in ROLE_ACTIONS[r] for r in principal.roles):
        return False
    if action in ASSESSMENT_ACTIONS:
        return (resource is not None and principal.has(Role.ADVISOR) and principal.advisor_id is not None
                and resource.advisor_id == principal.advisor_id and resource.current_client and resource.consent_advisor)
    return True


# Page keys per role (``ui.navigation`` maps them to page files). The firm's pages need no account.
ANONYMOUS_PAGES: tuple[str, ...] = ("welcome", "profile", "questionnaire", "results", "resume", "privacy", "sign_in")
ROLE_PAGES: dict[Role, tuple[str, ...]] = {
    Role.ADVISOR: ("caseload", "client", "add_client", "questionnaire", "results", "plan", "comparison"),
    Role.ANALYST: ("statistics", "statistics_trends"),
    Role.ADMIN: ("users", "assignments", "access_log", "releases"),
}
SIGNED_IN_PAGES: tuple[str, ...] = ("account",)


def pages_for(principal: Principal | None) -> tuple[str, ...]:
    """The page keys to register: the firm's pages when nobody is signed in; the role pages plus
    the account page when someone is; only the account page (to sign out) for an identity with no
    role, which therefore sees nothing else."""
    if principal is None:
        return ANONYMOUS_PAGES
    keys: list[str] = []
    for role in ROLES:  # a stable order: advisor, analyst, admin
        if role in principal.roles:
            keys += [k for k in ROLE_PAGES[role] if k not in keys]
    return (*keys, *SIGNED_IN_PAGES)
