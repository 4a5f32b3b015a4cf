"""``python cli.py users add|list|set-roles|disable|enable|reset-password|unlock``: accounts for
advisors, analysts and administrators. The first admin is created here (there is no default
password). Passwords are read from the terminal without echo, or from stdin with
``--password-stdin`` (one line), never from the command line."""

from __future__ import annotations

import argparse
import getpass
import sys

ROLE_CHOICES = ("advisor", "analyst", "admin")


def _accounts(url: str | None):  # type: ignore[no-untyped-def]
    from services.access import Access
    from services.accounts import Accounts
    from storage import open_repository

    return Accounts(Access(open_repository(url)))


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_add(args: argparse.Namespace) -> int:
    password = None if args.oidc_subject else _password(args)
    user_id = _accounts(args.url).add(None, args.email, args.name, roles=args.role or [], password=password,
                                      organisation=args.organisation or "", issuer=args.oidc_issuer, subject=args.oidc_subject)
    print(f"{args.email}: account {user_id} created with roles {', '.join(sorted(set(args.role or []))) or '(none)'}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for u in _accounts(args.url).list(None):
        last = u.last_sign_in_at.isoformat(timespec="minutes") if u.last_sign_in_at else "never"
        kind = "oidc" if u.subject else "local"
        print(f"{u.email}\t{u.display_name}\t{','.join(sorted(u.roles)) or '-'}\t{'active' if u.active else 'disabled'}\t{kind}\t{last}")
    return 0


def cmd_set_roles(args: argparse.Namespace) -> int:
    _accounts(args.url).set_roles(None, args.email, args.role or [], args.organisation)
    print(f"{args.email}: roles {', '.join(sorted(set(args.role or []))) or '(none)'}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    _accounts(args.url).set_active(None, args.email, False)
    print(f"{args.email}: disabled, every session ended")
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    _accounts(args.url).set_active(None, args.email, True)
    print(f"{args.email}: enabled")
    return 0


def cmd_reset_password(args: argparse.Namespace) -> int:
    _accounts(args.url).reset_password(None, args.email, _password(args))
    print(f"{args.email}: password changed, every session ended, failed sign-ins cleared")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    _accounts(args.url).unlock(None, args.email)
    print(f"{args.email}: failed sign-ins cleared")
    return 0


def _run(func):  # type: ignore[no-untyped-def]
    def wrapped(args: argparse.Namespace) -> int:
        from commands.output import fail

        try:
            code: int = func(args)
            return code
        except (ValueError, KeyError) as exc:
            return fail([str(exc.args[0]) if exc.args else str(exc)])
    return wrapped


def register(subparsers) -> None:  # type: ignore[no-untyped-def]
    users = subparsers.add_parser("users", help="accounts of advisors, analysts and administrators").add_subparsers(
        dest="users_command", required=True)

    def sub(name: str, func, help_text: str, email: bool = True) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = users.add_parser(name, help=help_text)
        if email:
            p.add_argument("email")
        p.add_argument("--url", help="database URL (default: DATABASE_URL, else sqlite:///data/app.db)")
        p.set_defaults(func=_run(func))
        return p

    p = sub("add", cmd_add, "create an account (local password, or an OIDC identity)")
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--role", action="append", choices=ROLE_CHOICES, help="repeat for several roles")
    p.add_argument("--organisation", help="advisors: the organisation printed on guided-session reports")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin (one line)")
    p.add_argument("--oidc-issuer", help="OIDC sign-in: the provider's issuer (iss)")
    p.add_argument("--oidc-subject", help="OIDC sign-in: the person's subject (sub); no password is set")
    sub("list", cmd_list, "list accounts, roles, status and last sign-in", email=False)
    p = sub("set-roles", cmd_set_roles, "replace an account's roles (none: --role omitted)")
    p.add_argument("--role", action="append", choices=ROLE_CHOICES)
    p.add_argument("--organisation")
    sub("disable", cmd_disable, "disable an account and end its sessions")
    sub("enable", cmd_enable, "enable a disabled account")
    p = sub("reset-password", cmd_reset_password, "set a new password, end sessions, clear failed sign-ins")
    p.add_argument("--password-stdin", action="store_true")
    sub("unlock", cmd_unlock, "clear an account's failed sign-ins (the throttle)")
