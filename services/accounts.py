"""Account administration: add, list, set roles, disable, reset passwords (``cli.py users`` and the
admin page). ``actor`` None means the command line, trusted like any shell on the server; a
principal must hold ``admin``. The first admin is created from the command line, never by a
default password."""

from __future__ import annotations

from collections.abc import Iterable

from auth.passwords import Passwords
from auth.policy import Action, Principal, Role
from services.access import Access, account_key
from storage.users import UserRow


class Accounts:
    def __init__(self, access: Access):
        self.access = access
        self.users = access.users
        self.advisors = access.repo.advisors

    def _check(self, actor: Principal | None) -> str:
        if actor is None:
            return "cli"
        self.access.require(actor, Action.MANAGE_USERS)
        return actor.email

    def _log(self, actor: Principal | None, action: str, user_id: str, detail: dict[str, str | list[str]]) -> None:
        self.users.log(action, user_id=actor.user_id if actor else None, email=actor.email if actor else "cli",
                       detail={"target": user_id, **detail})

    def add(self, actor: Principal | None, email: str, display_name: str, *, roles: Iterable[str] = (), password: str | None = None,
            organisation: str = "", issuer: str | None = None, subject: str | None = None) -> str:
        granted_by = self._check(actor)
        roles = sorted({Role(r).value for r in roles})
        if password is None and issuer is None:
            raise ValueError("an account needs a password (local sign-in) or an OIDC issuer and subject")
        hashed = self.access.passwords.hash(password) if password is not None else None
        user_id = self.users.add_user(email, display_name, password_hash=hashed, issuer=issuer, subject=subject, roles=roles,
                                      granted_by=granted_by)
        if Role.ADVISOR.value in roles:
            self._ensure_advisor(user_id, organisation)
        self._log(actor, "user_add", user_id, {"roles": roles})
        return user_id

    def _ensure_advisor(self, user_id: str, organisation: str | None) -> None:
        if self.advisors.advisor_for_user(user_id) is not None:
            if organisation:
                advisor = self.advisors.advisor_for_user(user_id)
                assert advisor is not None
                self.advisors.link_user(advisor.id, user_id, organisation)
            return
        user = self.users.user(user_id)
        assert user is not None
        existing = next((a for a in self.advisors.advisors() if a.email == user.email), None)
        if existing is not None:
            self.advisors.link_user(existing.id, user_id, organisation or None)
        else:
            self.advisors.add_advisor(user.email, user.display_name, organisation or "", user_id=user_id)

    def find(self, email: str) -> UserRow:
        user = self.users.user_by_email(email)
        if user is None:
            raise KeyError(f"no account {email!r}")
        return user

    def list(self, actor: Principal | None) -> list[UserRow]:
        self._check(actor)
        return self.users.users()

    def set_roles(self, actor: Principal | None, email: str, roles: Iterable[str], organisation: str | None = None) -> None:
        by = self._check(actor)
        user = self.find(email)
        wanted = sorted({Role(r).value for r in roles})
        self.users.set_roles(user.id, wanted, by)
        if Role.ADVISOR.value in wanted:
            self._ensure_advisor(user.id, organisation)
        self._log(actor, "role_change", user.id, {"roles": wanted})

    def set_active(self, actor: Principal | None, email: str, active: bool) -> None:
        self._check(actor)
        user = self.find(email)
        if actor is not None and user.id == actor.user_id and not active:
            raise ValueError("an administrator cannot disable their own account")
        self.users.set_active(user.id, active)
        self._log(actor, "user_enable" if active else "user_disable", user.id, {})

    def reset_password(self, actor: Principal | None, email: str, password: str) -> None:
        """New password, every session of the account ended, its failed sign-ins cleared."""
        self._check(actor)
        user = self.find(email)
        self.users.set_password_hash(user.id, self.access.passwords.hash(password))
        self.users.clear_failures(account_key(user.email))
        self._log(actor, "password_reset", user.id, {})

    def unlock(self, actor: Principal | None, email: str) -> None:
        self._check(actor)
        self.users.clear_failures(account_key(email))
        self._log(actor, "unlock", self.find(email).id, {})


__all__ = ["Accounts", "Passwords"]
