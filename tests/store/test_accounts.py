"""Accounts: password rules, names unique whatever their case, and the migration that made them
so, on SQLite and Postgres."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from pmloop.errors import InputError
from pmloop.store import Accounts, Throttled, open_engine, open_repository
from pmloop.store._database import _alembic_config

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(database_url: str) -> Iterator[Accounts]:
    engine = open_engine(database_url)
    yield Accounts(engine)
    engine.dispose()


@pytest.mark.parametrize(
    ("username", "password", "why"),
    [
        ("ana", "password123", "most common passwords"),
        ("ana", "QWERTYUIOP", "most common passwords"),
        ("ana", "Dragon2024!!", "common password ('dragon') with digits or symbols"),
        ("ana", "!!iloveyou12", "common password ('iloveyou')"),
        ("ana", "xANA-rocks-99", "cannot contain the username"),
        ("marta.silva", "Marta.Silva", "cannot contain the username"),
        ("ana", "short", "at least 10 characters"),
        ("ana", "x" * 1025, "at most 1,024"),
        ("ana", "correct\x00horse", "NUL"),
    ],
)
def test_weak_passwords_are_refused(tmp_path: Path, username: str, password: str, why: str) -> None:
    accounts = Accounts(open_engine(f"sqlite:///{tmp_path / 'a.db'}"))
    with pytest.raises(InputError, match=why.replace("(", r"\(").replace(")", r"\)")):
        accounts.add_user(username, password, "learner", None)
    assert accounts.find(username) is None
    accounts.add_user(username, PASSWORD, "learner", None)
    with pytest.raises(InputError, match=why.replace("(", r"\(").replace(")", r"\)")):
        accounts.set_password(username, password)


@pytest.mark.parametrize("username", ["", "a" * 65, "ana smith", "ana\x00", "ánа", "ana\n"])
def test_usernames_are_plain_ascii(tmp_path: Path, username: str) -> None:
    accounts = Accounts(open_engine(f"sqlite:///{tmp_path / 'a.db'}"))
    with pytest.raises(InputError, match="a username has 1 to 64 characters"):
        accounts.add_user(
            username + ("x" if username == "ana\n" else ""), PASSWORD, "learner", None
        )


def test_names_are_unique_whatever_their_case(accounts: Accounts) -> None:
    accounts.add_user("ana", PASSWORD, "learner", "spring")
    with pytest.raises(InputError, match=r"'ANA' is taken \(by 'ana': names ignore case\)"):
        accounts.add_user("ANA", "another fine password", "coach", "spring")
    # the database holds the line too, whoever writes to it
    with pytest.raises(IntegrityError), accounts.engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO users (username, password_hash, role, created_at) "
                "VALUES ('aNa', 'x', 'learner', CURRENT_TIMESTAMP)"
            )
        )
    signed = accounts.sign_in("ANA", PASSWORD, "192.0.2.1")
    assert signed is not None and not isinstance(signed, Throttled)
    assert signed[1].user.username == "ana"


def test_passwd_revoke_and_remove(accounts: Accounts) -> None:
    accounts.add_user("ana", PASSWORD, "learner", "spring")
    tokens = []
    for address in ("192.0.2.1", "192.0.2.2"):
        signed = accounts.sign_in("ana", PASSWORD, address)
        assert signed is not None and not isinstance(signed, Throttled)
        tokens.append(signed[0])
    assert accounts.revoke("Ana") == 2
    assert [accounts.resolve(t) for t in tokens] == [None, None]

    signed = accounts.sign_in("ana", PASSWORD, "192.0.2.1")
    assert signed is not None and not isinstance(signed, Throttled)
    assert accounts.set_password("ana", "a new and better secret") == 1
    assert accounts.resolve(signed[0]) is None
    assert accounts.sign_in("ana", PASSWORD, "192.0.2.3") is None
    renewed = accounts.sign_in("ana", "a new and better secret", "192.0.2.3")
    assert renewed is not None and not isinstance(renewed, Throttled)

    repo = open_repository(str(accounts.engine.url.render_as_string(hide_password=False)))
    user = accounts.find("ana")
    assert user is not None
    session = repo.create_session("practice", "general", {}, ["q"], "t", owner_id=user.id)
    repo.submit(session.id, 0, 0, "q", "Q?", "question", None, "kept answer")
    repo.record_review("q", 1, session.id)
    removed, kept = accounts.remove_user("ANA")
    assert (removed.username, kept) == ("ana", 1)
    assert accounts.find("ana") is None
    assert repo.get(session.id).owner_id is None
    assert repo.get(session.id).turns[0].answer == "kept answer"
    with pytest.raises(InputError, match="no account is named 'ana'"):
        accounts.revoke("ana")
    repo.engine.dispose()


def test_names_that_differed_only_in_case_are_renamed_by_the_migration(
    database_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0005_sign_in_limits")
    with engine.begin() as db:
        for name in ("ana", "ANA", "bob", "Ana", "ana-2"):
            db.execute(
                text(
                    "INSERT INTO users (username, password_hash, role, created_at) "
                    "VALUES (:n, 'h', 'learner', CURRENT_TIMESTAMP)"
                ),
                {"n": name},
            )
        db.execute(
            text(
                "INSERT INTO sessions (id, created_at, updated_at, status, kind, company, "
                "settings, plan, grader, owner_id) VALUES ('s2', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 'active', 'practice', 'general', '{}', '[]', 't', 2)"
            )
        )
    engine.dispose()
    capfd.readouterr()

    upgraded = open_engine(database_url)
    with upgraded.connect() as db:
        names = dict(db.execute(text("SELECT id, username FROM users")).all())
        owner = db.execute(text("SELECT owner_id FROM sessions WHERE id = 's2'")).scalar()
    assert names == {1: "ana", 2: "ANA-2x", 3: "bob", 4: "Ana-4", 5: "ana-2"}
    assert owner == 2
    err = capfd.readouterr().err
    assert "'ANA' (account 2) had the same name as 'ana' (account 1): it is now 'ANA-2x'" in err
    assert "'Ana' (account 4)" in err and "Tell its owner" in err
    upgraded.dispose()
