"""A submission sent again with the same idempotency key gets the stored result back, not a 409:
after a lost response, a 503, or two copies sent at once. The key lives with the answer
(migration 0007), on SQLite and Postgres."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator

import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text

from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.store._database import _alembic_config
from pmloop.web import create_app

LOCAL = "http://127.0.0.1"
ANSWER = "We test on last month's real tickets, split by type, and fix the worst failure first."


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = open_repository(database_url)
    yield repository
    repository.engine.dispose()


def _client(examiner: Examiner, repo: Repository) -> TestClient:
    return TestClient(create_app(examiner, repo), base_url=LOCAL, headers={"Origin": LOCAL})


def test_an_api_retry_with_the_same_key_gets_the_stored_result(
    examiner: Examiner, repo: Repository
) -> None:
    client = _client(examiner, repo)
    session_id = client.post("/api/v1/sessions", json={"questions": 2, "seed": 7}).json()["id"]
    url = f"/api/v1/sessions/{session_id}/answers"
    body = {"question_index": 0, "depth": 0, "text": ANSWER}
    key = {"Idempotency-Key": "6f1c2a0e-9b7d-4c1e-8d55-0a4e6f3b2c19"}

    first = client.post(url, json=body, headers=key)
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    again = client.post(url, json=body, headers=key)  # the client never saw the first answer
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["grade"] == first.json()["grade"]
    assert again.json()["next"] == first.json()["next"]
    assert len(repo.get(session_id).turns) == 1

    changed = client.post(url, json={**body, "text": "Something else."}, headers=key)
    assert changed.status_code == 409 and "different answer" in changed.json()["error"]
    other_key = client.post(url, json=body, headers={"Idempotency-Key": "another-key"})
    assert other_key.status_code == 409  # a second answer, not a retry
    no_key = client.post(url, json=body)
    assert no_key.status_code == 409

    # the key may come in the body instead; a skip is replayed as well
    nxt = first.json()["next"]
    skip = {"question_index": nxt["question_index"], "depth": nxt["depth"], "command": "skip",
            "idempotency_key": "skip-1"}  # fmt: skip
    assert client.post(url, json=skip).status_code == 201
    replay = client.post(url, json=skip)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    for bad in ("", "x" * 65, "spaces are not allowed", "a/b"):
        refused = client.post(url, json=body, headers={"Idempotency-Key": bad} if bad else {})
        assert refused.status_code in (409, 422)
        if bad:
            assert refused.status_code == 422 and "idempotency key" in refused.json()["error"]
    accented = client.post(url, json={**body, "idempotency_key": "clé"})
    assert accented.status_code == 422


def test_a_form_sent_twice_is_stored_once(examiner: Examiner, repo: Repository) -> None:
    client = _client(examiner, repo)
    session_id = client.post("/api/v1/sessions", json={"questions": 1, "seed": 7}).json()["id"]
    page = client.get(f"/sessions/{session_id}").text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    # "speech" carries a recorded answer's delivery read (empty when typed)
    assert set(fields) == {"csrf", "idempotency_key", "question_index", "depth", "speech"}
    assert len(fields["idempotency_key"]) >= 16
    form = {**fields, "text": ANSWER}
    url = f"/sessions/{session_id}/answer"
    first = client.post(url, data=form, follow_redirects=False)
    again = client.post(url, data=form, follow_redirects=False)  # reload-and-resend, a retry
    assert (first.status_code, again.status_code) == (303, 303)
    assert again.headers["location"] == first.headers["location"]
    assert len(repo.get(session_id).turns) == 1
    # a fresh page carries a fresh key: another submission of that page is a real conflict
    fresh = dict(
        re.findall(r'name="(\w+)" value="([^"]*)"', client.get(f"/sessions/{session_id}").text)
    )
    assert fresh["idempotency_key"] != fields["idempotency_key"]
    conflict = client.post(url, data={**form, "idempotency_key": fresh["idempotency_key"]})
    assert conflict.status_code == 409


def test_two_copies_sent_at_once_both_get_the_result(
    examiner: Examiner, postgres_url: str, live_app: Callable[[FastAPI], str],
    post_twice_at_once: Callable[..., list[httpx.Response]],
) -> None:  # fmt: skip
    """Both pass every check, then race to insert; the loser finds its twin and replays it."""
    repo = open_repository(postgres_url)
    base = live_app(create_app(examiner, repo))
    session_id = httpx.post(f"{base}/api/v1/sessions", json={"questions": 1}).json()["id"]
    url = f"{base}/api/v1/sessions/{session_id}/answers"
    body = {"question_index": 0, "depth": 0, "text": ANSWER, "idempotency_key": "twin"}
    responses = post_twice_at_once(url, body)
    assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
    assert responses[0].json()["grade"] == responses[1].json()["grade"]
    assert len(repo.get(session_id).turns) == 1
    repo.engine.dispose()


def test_the_key_column_migrates_from_the_previous_head(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0006_usernames_ignore_case")
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO sessions (id, created_at, updated_at, status, kind, company, "
                "settings, plan, grader) VALUES ('old1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
                "'active', 'practice', 'general', '{}', '[\"q\"]', 't')"
            )
        )
        db.execute(
            text(
                "INSERT INTO turns (session_id, question_index, depth, question_id, prompt, "
                "probe_kind, answer, skipped, submitted_at) VALUES ('old1', 0, 0, 'q', 'Q?', "
                "'question', 'kept answer', false, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    repo = open_repository(database_url)
    columns = {c["name"] for c in inspect(repo.engine).get_columns("turns")}
    assert "idempotency_key" in columns
    old = repo.get("old1").turns[0]
    assert (old.answer, old.idempotency_key) == ("kept answer", None)
    repo.submit("old1", 0, 1, "q", "F?", "signal", None, "follow-up", idempotency_key="k-1")
    assert repo.get("old1").turn(0, 1).idempotency_key == "k-1"  # type: ignore[union-attr]
    repo.engine.dispose()
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
