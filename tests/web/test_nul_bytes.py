"""A NUL character in any text a request carries is a 422 saying where, on both databases;
nothing is stored and nothing reaches Postgres (which would refuse it with a bare 500)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from pmloop.grading import Examiner
from pmloop.store import Accounts, Repository, open_repository
from pmloop.web import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = open_repository(database_url)
    yield repository
    repository.engine.dispose()


def _client(examiner: Examiner, repo: Repository, multi_user: bool = False) -> TestClient:
    app = create_app(examiner, repo, multi_user=multi_user)
    return TestClient(app, base_url="https://127.0.0.1", raise_server_exceptions=False)


def _says_where(response, where: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    json = "json" in response.headers["content-type"]
    text = response.json()["error"] if json else html.unescape(response.text)
    assert where in text and "NUL character" in text, text


def test_nul_in_api_text_is_refused(examiner: Examiner, repo: Repository) -> None:
    client = _client(examiner, repo)
    started = client.post("/api/v1/sessions", json={"questions": 1, "seed": 4})
    session_id = started.json()["id"]
    answer = {"question_index": 0, "depth": 0, "text": "We test on real\x00 tickets first."}
    _says_where(client.post(f"/api/v1/sessions/{session_id}/answers", json=answer), "'text'")
    _says_where(
        client.post("/api/v1/grade", json={"question": "Why?\x00", "answer": "Because."}),
        "'question'",
    )
    _says_where(client.post("/api/v1/sessions", json={"company": "gen\x00eral"}), "'company'")
    _says_where(client.post("/api/v1/sessions", json={"competencies": ["x\x00"]}), "competencies")
    _says_where(client.get(f"/api/v1/sessions/{session_id[:4]}%00"), "the address")
    _says_where(client.get("/bank?competency=%00"), "the query string")
    assert repo.get(session_id).turns == ()


def test_nul_in_forms_is_refused(examiner: Examiner, repo: Repository) -> None:
    client = _client(examiner, repo)
    session_id = client.post("/api/v1/sessions", json={"questions": 1, "seed": 4}).json()["id"]
    home = client.get("/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', home)
    form = {"question_index": "0", "depth": "0", "text": "draft with a \x00 in it"}
    if csrf:
        form["csrf"] = csrf.group(1)
    headers = {"Origin": "https://127.0.0.1"}
    _says_where(client.post(f"/sessions/{session_id}/draft", data=form, headers=headers), "'text'")
    _says_where(client.post(f"/sessions/{session_id}/answer", data=form, headers=headers), "'text'")
    assert repo.get(session_id).turns == () and repo.draft(session_id, 0, 0) is None


def test_nul_in_a_sign_in_is_refused(examiner: Examiner, repo: Repository) -> None:
    Accounts(repo.engine).add_user("alice", PASSWORD, "learner", None)
    client = _client(examiner, repo, multi_user=True)
    form = client.get("/login").text
    prelogin = re.search(r'name="prelogin" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    for name, password in (("ali\x00ce", PASSWORD), ("alice", PASSWORD + "\x00")):
        response = client.post(
            "/login", data={"username": name, "password": password, "prelogin": prelogin}
        )
        _says_where(response, "the field")
