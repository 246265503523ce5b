"""Accounts on the store itself: limits on names and passwords, sign-in, expiry, rate counts.

Written from a mutation run (benchmarks/mutation.py): the store tests reached ``Accounts`` only
through ``add_user``, so a sign-in that never expired, a rate limit that counted every name or
a cohort that listed coaches would have passed them. (How failed sign-ins are counted and
slowed is tested in tests/web/test_sign_in_limits.py and tests/store/test_accounts.py.)
"""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from pmloop.errors import InputError
from pmloop.store import Accounts, open_repository, utcnow
from pmloop.store._schema import logins

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(open_repository(f"sqlite:///{tmp_path / 'pmloop.db'}").engine)


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
