"""``pmloop users``: add, passwd, revoke and remove, as a person runs them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pmloop.store import Accounts, Throttled, open_engine, open_repository

PASSWORD = "correct horse battery"


@pytest.fixture
def users(pmloop_cli, tmp_path: Path) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    env = {"PMLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'server.db'}"}

    def run(*args: str, stdin: str = "") -> object:
        return pmloop_cli("users", *args, stdin=stdin.encode(), env=env)

    run.url = env["PMLOOP_DATABASE_URL"]  # type: ignore[attr-defined]
    return run


def test_add_refuses_weak_passwords_and_names_taken_in_another_case(users) -> None:  # type: ignore[no-untyped-def]
    common = users("add", "ana", "--password-stdin", stdin="password123\n")
    assert common.code == 2
    assert common.stderr.splitlines() == [
        "pmloop: error: that is one of the most common passwords; choose another"
    ]
    named = users("add", "ana", "--password-stdin", stdin="ana-is-my-password\n")
    assert named.code == 2 and "cannot contain the username" in named.stderr
    assert users("add", "ana", "--password-stdin", stdin=PASSWORD + "\n").code == 0
    taken = users("add", "ANA", "--password-stdin", stdin="another fine password\n")
    assert taken.code == 2 and "'ANA' is taken (by 'ana': names ignore case)" in taken.stderr
    bad = users("add", "ana smith", "--password-stdin", stdin=PASSWORD + "\n")
    assert bad.code == 2 and "ASCII letters" in bad.stderr


def _sign_in(accounts: Accounts, password: str = PASSWORD) -> str:
    signed = accounts.sign_in("ana", password, "192.0.2.1")
    assert signed is not None and not isinstance(signed, Throttled)
    return signed[0]


def test_passwd_revoke_and_remove(users) -> None:  # type: ignore[no-untyped-def]
    assert users("add", "ana", "--cohort", "spring", "--password-stdin", stdin=PASSWORD).code == 0
    accounts = Accounts(open_engine(users.url))
    first, second = _sign_in(accounts), _sign_in(accounts)

    revoked = users("revoke", "ANA")
    assert revoked.code == 0 and revoked.stdout.strip() == "Ended 2 sign-in(s) of 'ana'"
    assert accounts.resolve(first) is None and accounts.resolve(second) is None

    third = _sign_in(accounts)
    weak = users("passwd", "ana", "--password-stdin", stdin="qwertyuiop\n")
    assert weak.code == 2 and "most common" in weak.stderr and accounts.resolve(third)
    changed = users("passwd", "ana", "--password-stdin", stdin="a new and better secret\n")
    assert changed.code == 0
    assert changed.stdout.strip() == "Changed the password of 'ana'; ended 1 sign-in(s)"
    assert accounts.resolve(third) is None
    assert accounts.sign_in("ana", PASSWORD, "192.0.2.9") is None
    _sign_in(accounts, "a new and better secret")

    repo = open_repository(users.url)
    user = accounts.find("ana")
    assert user is not None
    session = repo.create_session("practice", "general", {}, ["q"], "t", owner_id=user.id)
    removed = users("remove", "ana", "--yes")
    assert removed.code == 0, removed.stderr
    assert "Removed learner 'ana'; 1 session(s) kept without an owner" in removed.stdout
    assert accounts.find("ana") is None and repo.get(session.id).owner_id is None

    for command in (("remove", "ana", "--yes"), ("revoke", "ana"), ("passwd", "ana")):
        missing = users(*command)
        assert missing.code == 2
        assert missing.stderr.splitlines() == ["pmloop: error: no account is named 'ana'"]
    repo.engine.dispose()
    accounts.engine.dispose()


def test_remove_asks_first(users) -> None:  # type: ignore[no-untyped-def]
    assert users("add", "ana", "--password-stdin", stdin=PASSWORD).code == 0
    declined = users("remove", "ana", stdin="n\n")
    assert declined.code == 1 and "nothing removed" in declined.stderr
    assert Accounts(open_engine(users.url)).find("ana") is not None
