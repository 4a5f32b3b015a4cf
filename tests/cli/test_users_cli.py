"""``cli.py users``: the first admin from the command line, roles, disable, reset, errors."""

from __future__ import annotations

import io
import sys

from commands import main


def run(argv, stdin=""):
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(argv)
    finally:
        sys.stdin = old


def test_users_commands(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert run(["users", "add", "root@x.ca", "--name", "Root", "--role", "admin", "--password-stdin", "--url", url],
               "a long enough passphrase\n") == 0
    assert run(["users", "add", "ana@x.ca", "--name", "Ana", "--role", "advisor", "--organisation", "MRC", "--password-stdin",
                "--url", url], "another long passphrase\n") == 0
    assert run(["users", "set-roles", "ana@x.ca", "--role", "advisor", "--role", "analyst", "--url", url]) == 0
    assert run(["users", "disable", "ana@x.ca", "--url", url]) == 0
    capsys.readouterr()
    assert run(["users", "list", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "ana@x.ca\tAna\tadvisor,analyst\tdisabled\tlocal\tnever" in out and "root@x.ca\tRoot\tadmin\tactive" in out
    assert run(["users", "add", "b@x.ca", "--name", "B", "--password-stdin", "--url", url], "short\n") == 1
    assert run(["users", "add", "root@x.ca", "--name", "Again", "--password-stdin", "--url", url], "a long enough passphrase\n") == 1
    assert run(["users", "reset-password", "nobody@x.ca", "--password-stdin", "--url", url], "a long enough passphrase\n") == 1
    err = capsys.readouterr().err
    assert "between 12" in err and "already exists" in err and "no account" in err
