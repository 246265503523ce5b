"""Accounts on the store itself: limits on names and passwords, sign-in, expiry, rate counts.

Written from a mutation run (benchmarks/mutation.py): the store tests reached ``Accounts`` only
through ``add_user``, so a sign-in that never expired, a rate limit that counted every name or
a cohort that listed coaches would have passed them.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from pmloop.errors import InputError
from pmloop.store import Accounts, open_repository, utcnow
from pmloop.store._schema import login_attempts, logins

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(open_repository(f"sqlite:///{tmp_path / 'pmloop.db'}").engine)


def _attempt(accounts: Accounts, username: str, address: str, age: timedelta) -> None:
    with accounts.engine.begin() as db:
        db.execute(
            insert(login_attempts).values(username=username, address=address, at=utcnow() - age)
        )


def _attempts(accounts: Accounts) -> list[str]:
    with accounts.engine.connect() as db:
        return sorted(r.username for r in db.execute(select(login_attempts)))


def test_names_and_passwords_are_checked_at_their_limits(accounts: Accounts) -> None:
    assert accounts.add_user("  " + "n" * 64 + " ", "p" * 10, "learner", None).username == "n" * 64
    with pytest.raises(InputError, match="1 to 64"):
        accounts.add_user("m" * 65, PASSWORD, "learner", None)
    with pytest.raises(InputError, match="1 to 64"):
        accounts.add_user("   ", PASSWORD, "learner", None)
    with pytest.raises(InputError, match="at least 10"):
        accounts.add_user("short", "p" * 9, "learner", None)
    with pytest.raises(InputError, match="role must be one of: learner, coach"):
        accounts.add_user("admin", PASSWORD, "admin", None)
    with pytest.raises(InputError, match="'n{64}' is taken"):
        accounts.add_user("n" * 64, PASSWORD, "coach", None)


def test_a_user_is_read_back_by_id(accounts: Accounts) -> None:
    ana = accounts.add_user("ana", PASSWORD, "coach", "spring")
    assert ana.id >= 1
    assert accounts.user(ana.id) == ana
    assert accounts.user(ana.id + 1) is None


def test_a_cohort_lists_its_learners_by_name_and_no_coach(accounts: Accounts) -> None:
    accounts.add_user("zoe", PASSWORD, "learner", "spring")
    accounts.add_user("coach", PASSWORD, "coach", "spring")
    accounts.add_user("ana", PASSWORD, "learner", "spring")
    accounts.add_user("bea", PASSWORD, "learner", "autumn")
    assert [u.username for u in accounts.cohort("spring")] == ["ana", "zoe"]
    assert [(u.role, u.cohort) for u in accounts.cohort("spring")] == [("learner", "spring")] * 2


def test_the_right_password_signs_in_and_the_token_resolves_until_sign_out(
    accounts: Accounts,
) -> None:
    ana = accounts.add_user("ana", PASSWORD, "learner", "spring")
    signed = accounts.sign_in("ana", PASSWORD, "10.0.0.1")
    assert signed is not None
    token, login = signed
    assert login.user == ana and len(login.csrf) >= 40 and len(token) >= 40
    assert accounts.resolve(token) == login
    with accounts.engine.connect() as db:
        stored = db.execute(select(logins)).one()
    assert token not in (stored.token_hash, stored.csrf)  # only its hash is kept
    expires = stored.expires_at.replace(tzinfo=None) - stored.created_at.replace(tzinfo=None)
    assert expires == timedelta(days=14)
    assert _attempts(accounts) == []  # a good sign-in is not a failure
    accounts.sign_out(token)
    assert accounts.resolve(token) is None


def test_no_token_or_an_unknown_one_resolves_to_nobody(accounts: Accounts) -> None:
    accounts.add_user("ana", PASSWORD, "learner", None)
    signed = accounts.sign_in("ana", PASSWORD, "10.0.0.1")
    assert signed is not None
    assert accounts.resolve(None) is None
    assert accounts.resolve("") is None
    assert accounts.resolve(signed[0] + "x") is None
    accounts.sign_out(None)  # nothing to forget, nothing raised
    accounts.sign_out("not a token")
    assert accounts.resolve(signed[0]) is not None


def test_an_expired_sign_in_resolves_to_nobody(accounts: Accounts) -> None:
    accounts.add_user("ana", PASSWORD, "learner", None)
    signed = accounts.sign_in("ana", PASSWORD, "10.0.0.1")
    assert signed is not None
    with accounts.engine.begin() as db:
        db.execute(update(logins).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert accounts.resolve(signed[0]) is None


def test_wrong_passwords_and_unknown_names_are_refused_and_counted(accounts: Accounts) -> None:
    accounts.add_user("ana", PASSWORD, "learner", None)
    assert accounts.sign_in("ana", "wrong password!", "10.0.0.1") is None
    assert accounts.sign_in("nobody", PASSWORD, "10.0.0.2") is None
    assert accounts.sign_in("ana", "", "10.0.0.1") is None
    assert _attempts(accounts) == ["ana", "ana", "nobody"]
    assert accounts.recent_failures("ana", "10.0.0.1") == (2, 2)
    assert accounts.recent_failures("nobody", "10.0.0.1") == (1, 2)
    assert accounts.recent_failures("ana", "10.0.0.2") == (2, 1)
    assert accounts.recent_failures("ben", "10.0.0.9") == (0, 0)


def test_failures_count_only_inside_the_window(accounts: Accounts) -> None:
    _attempt(accounts, "ana", "10.0.0.1", timedelta(minutes=14))
    _attempt(accounts, "ana", "10.0.0.1", timedelta(minutes=15.5))
    _attempt(accounts, "ana", "10.0.0.1", timedelta(minutes=40))
    assert accounts.recent_failures("ana", "10.0.0.1") == (1, 1)
    assert accounts.recent_failures("ana", "10.0.0.1", minutes=30) == (2, 2)
    assert accounts.recent_failures("ana", "10.0.0.1", minutes=60) == (3, 3)


def test_a_failed_sign_in_forgets_attempts_older_than_a_day(accounts: Accounts) -> None:
    _attempt(accounts, "old", "10.0.0.1", timedelta(hours=25))
    _attempt(accounts, "recent", "10.0.0.1", timedelta(hours=23))
    assert accounts.sign_in("ana", "wrong password!", "10.0.0.1") is None
    assert _attempts(accounts) == ["ana", "recent"]
