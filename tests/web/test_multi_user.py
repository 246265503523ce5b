"""The shared coaching server: accounts, CSRF, rate limiting, and isolation between learners.

Runs on SQLite and, when PMLOOP_TEST_POSTGRES_URL names a server (.ci/run starts one), on a
fresh Postgres database per test.
"""

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from pmloop.grading import Examiner
from pmloop.store import Accounts, Repository, open_repository
from pmloop.web import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def server(examiner: Examiner, database_url: str) -> Iterator[tuple[Repository, Accounts]]:
    repo = open_repository(database_url)
    accounts = Accounts(repo.engine)
    accounts.add_user("alice", PASSWORD, "learner", "spring")
    accounts.add_user("bob", PASSWORD, "learner", "spring")
    accounts.add_user("carol", PASSWORD, "coach", "spring")
    accounts.add_user("dave", PASSWORD, "coach", "autumn")
    yield repo, accounts
    repo.engine.dispose()


def _client(examiner: Examiner, repo: Repository) -> TestClient:
    app = create_app(examiner, repo, multi_user=True)
    return TestClient(app, base_url="https://testserver")


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    form = client.get("/login").text
    prelogin = re.search(r'name="prelogin" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login", data={"username": username, "password": password, "prelogin": prelogin},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    home = client.get("/").text
    return re.search(r'name="csrf" value="([^"]+)"', home).group(1)  # type: ignore[union-attr]


def _start(client: TestClient, csrf: str) -> str:
    response = client.post(
        "/api/v1/sessions", json={"questions": 1, "seed": 5}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_signed_out_visitors_see_only_the_sign_in(
    examiner: Examiner, server: tuple[Repository, Accounts]
) -> None:
    repo, _ = server
    client = _client(examiner, repo)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert client.get("/api/v1/sessions").status_code == 401
    assert client.post("/api/v1/grade", json={"question": "Q?", "answer": "A."}).status_code == 401


def test_a_learner_cannot_reach_another_learners_session(
    examiner: Examiner, server: tuple[Repository, Accounts]
) -> None:
    repo, _ = server
    alice = _client(examiner, repo)
    alice_csrf = _sign_in(alice, "alice")
    session_id = _start(alice, alice_csrf)
    assert alice.get(f"/sessions/{session_id}").status_code == 200

    bob = _client(examiner, repo)
    bob_csrf = _sign_in(bob, "bob")
    headers = {"X-CSRF-Token": bob_csrf}
    position = {"question_index": 0, "depth": 0, "text": "Bob writing in Alice's session."}
    attempts = [
        bob.get(f"/sessions/{session_id}"),
        bob.get(f"/sessions/{session_id}/report"),
        bob.get(f"/api/v1/sessions/{session_id}"),
        bob.post(f"/api/v1/sessions/{session_id}/answers", json=position, headers=headers),
        bob.post(f"/sessions/{session_id}/answer", data={**position, "csrf": bob_csrf}),
        bob.post(f"/sessions/{session_id}/draft", data={**position, "csrf": bob_csrf}),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert all(session_id not in r.text or "no session" in r.text for r in attempts)
    assert bob.get("/api/v1/sessions").json() == []
    assert session_id not in bob.get("/").text
    assert bob.get("/api/v1/progress").json()["sessions"] == 0
    for guess in (session_id[:6], uuid.uuid4().hex[:12], "0" * 12):
        assert bob.get(f"/api/v1/sessions/{guess}").status_code == 404
    assert repo.get(session_id).turns == ()
    assert repo.draft(session_id, 0, 0) is None


def test_every_post_needs_the_csrf_token(
    examiner: Examiner, server: tuple[Repository, Accounts]
) -> None:
    repo, _ = server
    client = _client(examiner, repo)
    csrf = _sign_in(client, "alice")
    session_id = _start(client, csrf)
    position = {"question_index": "0", "depth": "0", "text": "An answer."}
    assert client.post(f"/sessions/{session_id}/answer", data=position).status_code == 403
    assert (
        client.post(
            f"/sessions/{session_id}/answer", data={**position, "csrf": "forged"}
        ).status_code
        == 403
    )
    assert client.post("/api/v1/sessions", json={"questions": 1}).status_code == 403
    assert client.post("/sessions", data={"questions": "1"}).status_code == 403
    assert client.post("/logout").status_code == 403
    assert repo.get(session_id).turns == ()
    ok = client.post(f"/sessions/{session_id}/answer", data={**position, "csrf": csrf},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303 and repo.get(session_id).turns[0].answer == "An answer."


def test_a_coach_sees_their_cohorts_progress_and_nothing_else(
    examiner: Examiner, server: tuple[Repository, Accounts]
) -> None:
    repo, _ = server
    alice = _client(examiner, repo)
    csrf = _sign_in(alice, "alice")
    session_id = _start(alice, csrf)
    alice.post(
        f"/api/v1/sessions/{session_id}/answers",
        json={"question_index": 0, "depth": 0, "text": "We test on real traffic first."},
        headers={"X-CSRF-Token": csrf},
    )
    assert alice.get("/api/v1/cohort").status_code == 403

    carol = _client(examiner, repo)
    _sign_in(carol, "carol")
    cohort = {row["learner"]: row for row in carol.get("/api/v1/cohort").json()}
    assert set(cohort) == {"alice", "bob"} and cohort["alice"]["sessions"] == 1
    assert carol.get(f"/api/v1/sessions/{session_id}").status_code == 404
    assert carol.get(f"/sessions/{session_id}").status_code == 404
    assert "alice" in carol.get("/cohort").text

    dave = _client(examiner, repo)
    _sign_in(dave, "dave")
    assert dave.get("/api/v1/cohort").json() == []


def test_sign_in_is_rate_limited(examiner: Examiner, server: tuple[Repository, Accounts]) -> None:
    repo, _ = server
    client = _client(examiner, repo)
    form = client.get("/login").text
    prelogin = re.search(r'name="prelogin" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    for _ in range(5):
        wrong = client.post("/login", data={"username": "alice", "password": "nope nope nope",
                                             "prelogin": prelogin})  # fmt: skip
        assert wrong.status_code == 401 and "wrong username or password" in wrong.text
    blocked = client.post("/login", data={"username": "alice", "password": PASSWORD,
                                          "prelogin": prelogin})  # fmt: skip
    assert blocked.status_code == 429
    forged = client.post("/login", data={"username": "bob", "password": PASSWORD,
                                         "prelogin": "forged"})  # fmt: skip
    assert forged.status_code == 403


def test_accounts_store_only_hashes(server: tuple[Repository, Accounts]) -> None:
    repo, accounts = server
    with repo.engine.connect() as db:
        hashes = [r[0] for r in db.execute(text("SELECT password_hash FROM users"))]
    assert all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)
    with pytest.raises(Exception, match="taken"):
        accounts.add_user("alice", PASSWORD, "learner", None)
    with pytest.raises(Exception, match="at least 10"):
        accounts.add_user("erin", "short", "learner", None)
