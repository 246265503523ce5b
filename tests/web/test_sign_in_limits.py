"""Sign-in limits: counted before the password is checked, per (name, address), never a lockout
of the person whose password it is; forwarded addresses believed only from a named proxy."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pmloop.grading import Examiner
from pmloop.store import FREE_FAILURES, Accounts, Repository, Throttled, open_engine, utcnow
from pmloop.store._schema import sign_in_limits
from pmloop.web import create_app

PASSWORD = "correct horse battery"
WRONG = "wrong horse battery"


@pytest.fixture
def accounts(database_url: str) -> Iterator[Accounts]:
    engine = open_engine(database_url)
    accounts = Accounts(engine)
    for name in ("alice", "bob", "carol"):
        accounts.add_user(name, PASSWORD, "learner", "spring")
    yield accounts
    engine.dispose()


def _prelogin(client: httpx.Client | TestClient) -> str:
    form = client.get("/login").text
    return re.search(r'name="prelogin" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]


def _attempt(client: TestClient, token: str, name: str, password: str) -> int:
    response = client.post(
        "/login", data={"username": name, "password": password, "prelogin": token},
        follow_redirects=False,
    )  # fmt: skip
    return response.status_code


# one burst, many processes ---------------------------------------------------------------------
def _burst(base: str, name: str, passwords: list[str]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=60, max_keepalive_connections=60)
    with httpx.Client(base_url=base, limits=limits, timeout=120) as client:
        token = _prelogin(client)
        client.cookies.clear()  # a success would delete the jar's copy mid-burst
        cookie = {"Cookie": f"pmloop_prelogin={token}"}

        def post(password: str) -> httpx.Response:
            form = {"username": name, "password": password, "prelogin": token}
            return client.post("/login", data=form, headers=cookie)

        with ThreadPoolExecutor(max_workers=60) as pool:
            return list(pool.map(post, passwords))


def test_a_burst_of_any_size_checks_at_most_the_free_attempts(
    accounts: Accounts, database_url: str, pmloop_serve: Callable[..., str]
) -> None:
    """Two worker processes, 60 and then 300 sign-ins at once: a 401 is a checked password, a
    429 one refused unchecked. Before, 59 wrong and then the right one signed in.

    The right password is sent after the burst, not inside it: a success resets its own
    counter by design, so a right password that happened to be checked among the first few
    would let the rest of the burst start again from zero (CI saw 10 checked that way)."""
    base = pmloop_serve(
        "--multi-user", "--workers", "2", "--insecure-cookies", PMLOOP_DATABASE_URL=database_url
    )
    first = _burst(base, "alice", [WRONG] * 60)
    checked = [r for r in first if r.status_code != 429]
    assert {r.status_code for r in first} <= {401, 429}
    assert len(checked) <= FREE_FAILURES, [r.status_code for r in first]
    refused = [r for r in first if r.status_code == 429]
    assert refused and all(int(r.headers["Retry-After"]) > 0 for r in refused)
    assert "try again in" in refused[0].text
    assert _burst(base, "alice", [PASSWORD])[0].status_code == 429  # not checked while it waits

    second = _burst(base, "bob", [WRONG] * 300)
    assert len([r for r in second if r.status_code != 429]) <= FREE_FAILURES


# whose failures hold back whom -----------------------------------------------------------------
def _client(examiner: Examiner, accounts: Accounts, address: str) -> TestClient:
    app = create_app(examiner, Repository(accounts.engine), multi_user=True)
    return TestClient(app, base_url="https://testserver", client=(address, 40000))


def test_failures_elsewhere_never_hold_back_the_right_password(
    examiner: Examiner, accounts: Accounts
) -> None:
    attacker = _client(examiner, accounts, "203.0.113.7")
    token = _prelogin(attacker)
    # 25 failures under other names, then alice's name until it is refused
    assert [_attempt(attacker, token, f"guess{i}", WRONG) for i in range(25)] == [401] * 25
    tries = [_attempt(attacker, token, "alice", WRONG) for _ in range(FREE_FAILURES + 3)]
    assert tries == [401] * FREE_FAILURES + [429] * 3
    # even the right password is not checked from there while the wait lasts
    assert _attempt(attacker, token, "alice", PASSWORD) == 429

    # alice, from her own address, signs in at once
    alice = _client(examiner, accounts, "198.51.100.2")
    assert _attempt(alice, _prelogin(alice), "alice", PASSWORD) == 303

    # someone behind the attacker's address, under a name the attacker only sprayed, too
    colleague = _client(examiner, accounts, "203.0.113.7")
    assert _attempt(colleague, _prelogin(colleague), "bob", PASSWORD) == 303


def test_a_success_clears_its_own_counter(examiner: Examiner, accounts: Accounts) -> None:
    client = _client(examiner, accounts, "192.0.2.10")
    token = _prelogin(client)
    assert [_attempt(client, token, "carol", WRONG) for _ in range(FREE_FAILURES - 1)] == [401] * (
        FREE_FAILURES - 1
    )
    assert _attempt(client, token, "carol", PASSWORD) == 303
    token = _prelogin(client)  # a sign-in uses up its form
    again = [_attempt(client, token, "carol", WRONG) for _ in range(FREE_FAILURES + 1)]
    assert again == [401] * FREE_FAILURES + [429]


def test_the_wait_doubles_up_to_fifteen_minutes(accounts: Accounts) -> None:
    now = [utcnow()]
    clocked = Accounts(accounts.engine, clock=lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += timedelta(seconds=seconds)

    for _ in range(FREE_FAILURES):
        assert clocked.sign_in("ALICE ", WRONG, "192.0.2.1") is None  # names match any case
    waits = []
    for _ in range(7):
        refused = clocked.sign_in("alice", PASSWORD, "192.0.2.1")
        assert isinstance(refused, Throttled)
        waits.append(refused.retry_after)
        advance(refused.retry_after - 1)
        assert isinstance(clocked.sign_in("alice", PASSWORD, "192.0.2.1"), Throttled)
        advance(1)
        assert clocked.sign_in("alice", WRONG, "192.0.2.1") is None
    assert waits == [30, 60, 120, 240, 480, 900, 900]
    # another address is not affected; after a day without attempts the count starts again
    assert not isinstance(clocked.sign_in("alice", PASSWORD, "192.0.2.2"), Throttled | None)
    advance(24 * 3600 + 1)
    assert clocked.sign_in("alice", WRONG, "192.0.2.1") is None
    signed = clocked.sign_in("alice", PASSWORD, "192.0.2.1")
    assert signed is not None and not isinstance(signed, Throttled)
    with accounts.engine.connect() as db:
        assert db.execute(select(sign_in_limits)).all() == []  # a success deletes its row


# which address counts --------------------------------------------------------------------------
def _recorded_addresses(database_url: str) -> set[str]:
    engine = open_engine(database_url)
    with engine.connect() as db:
        rows = db.execute(select(sign_in_limits.c.address)).all()
    engine.dispose()
    return {r.address for r in rows}


@pytest.mark.parametrize(
    ("proxies", "counted"), [((), "127.0.0.1"), (("--forwarded-allow-ips", "127.0.0.1"), "spoof")]
)
def test_forwarded_addresses_are_believed_only_from_a_named_proxy(
    tmp_path: Path, pmloop_serve: Callable[..., str], proxies: tuple[str, ...], counted: str
) -> None:
    url = f"sqlite:///{tmp_path / 'forwarded.db'}"
    Accounts(open_engine(url)).add_user("alice", PASSWORD, "learner", None)
    base = pmloop_serve("--multi-user", "--insecure-cookies", *proxies, PMLOOP_DATABASE_URL=url)
    with httpx.Client(base_url=base) as client:
        token = _prelogin(client)
        for i in range(FREE_FAILURES + 1):
            last = client.post(
                "/login", data={"username": "alice", "password": WRONG, "prelogin": token},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            )  # fmt: skip
    expected = "127.0.0.1" if counted == "127.0.0.1" else {f"203.0.113.{i}" for i in range(6)}
    if counted == "127.0.0.1":
        # one address, whatever the header says: the sixth attempt waits
        assert _recorded_addresses(url) == {expected} and last.status_code == 429
    else:
        assert _recorded_addresses(url) == expected and last.status_code == 401
