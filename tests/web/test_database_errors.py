"""A database that stops answering (Postgres restarting, a full disk) is a 503 with Retry-After:
JSON on the API, a readable page in the browser; the next request, once it is back, works."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text

from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.web import create_app

LOCAL = "http://127.0.0.1"


def _client(examiner: Examiner, repo: Repository) -> TestClient:
    return TestClient(
        create_app(examiner, repo), base_url=LOCAL, headers={"Origin": LOCAL},
        raise_server_exceptions=False,
    )  # fmt: skip


def _unavailable(response, browser: bool) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    if browser:
        assert response.headers["content-type"].startswith("text/html")
        message = html.unescape(response.text)
        assert "<h1>That did not work</h1>" in response.text
    else:
        assert response.headers["content-type"] == "application/json"
        message = response.json()["error"]
    assert "the session database is not answering" in message and "try again" in message


def test_a_postgres_restart_is_503_then_recovers(examiner: Examiner, postgres_url: str) -> None:
    repo = open_repository(postgres_url)
    client = _client(examiner, repo)
    session_id = client.post("/api/v1/sessions", json={"questions": 1, "seed": 5}).json()["id"]
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")

    def restart() -> None:
        """What a restart does to open connections: the server ends every one of them."""
        with admin.connect() as db:
            ended = db.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        assert ended

    restart()
    _unavailable(client.get("/api/v1/sessions"), browser=False)
    assert client.get("/api/v1/sessions").status_code == 200  # reconnected
    restart()
    _unavailable(client.get(f"/sessions/{session_id}"), browser=True)
    assert client.get(f"/sessions/{session_id}").status_code == 200
    admin.dispose()
    repo.engine.dispose()


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[tuple[Repository, list[bool]]]:
    """A SQLite store whose file cannot grow while ``full[0]`` is True (SQLITE_FULL)."""
    url = f"sqlite:///{tmp_path / 'full.db'}"
    setup = open_repository(url)
    with setup.engine.connect() as db:
        db.exec_driver_sql("VACUUM")  # no free pages left inside the file
    setup.engine.dispose()
    repo = open_repository(url)
    full = [False]

    @event.listens_for(repo.engine, "checkout")
    def _cap(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages if full[0] else 2**30}")
        cursor.close()

    yield repo, full
    repo.engine.dispose()


def test_a_full_disk_is_503_and_stores_nothing(
    examiner: Examiner, full_disk: tuple[Repository, list[bool]]
) -> None:
    repo, full = full_disk
    client = _client(examiner, repo)
    client.get("/")
    csrf = client.cookies["pmloop_csrf"]
    session_id = client.post("/api/v1/sessions", json={"questions": 1, "seed": 5}).json()["id"]
    long_answer = "We test on real tickets, split by type, and fix the worst failure first. " * 150
    body = {"question_index": 0, "depth": 0, "text": long_answer}

    full[0] = True
    _unavailable(client.post(f"/api/v1/sessions/{session_id}/answers", json=body), browser=False)
    form = {**body, "csrf": csrf}
    _unavailable(client.post(f"/sessions/{session_id}/answer", data=form), browser=True)
    assert repo.get(session_id).turns == ()

    full[0] = False
    stored = client.post(f"/api/v1/sessions/{session_id}/answers", json=body)
    assert stored.status_code == 201 and repo.get(session_id).turns[0].answer == long_answer


def test_anything_unforeseen_is_a_readable_500(
    examiner: Examiner, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = open_repository(f"sqlite:///{tmp_path / 'odd.db'}")
    client = _client(examiner, repo)
    session_id = client.post("/api/v1/sessions", json={"questions": 1, "seed": 5}).json()["id"]
    repo.submit(session_id, 0, 0, "q", "Q?", "question", None, "an answer")
    with repo.engine.begin() as db:  # a grade no pmloop wrote
        db.execute(text("UPDATE turns SET grade = '{not json'"))
    api = client.get(f"/api/v1/sessions/{session_id}")
    assert api.status_code == 500 and api.headers["content-type"] == "application/json"
    assert api.json() == {"error": "something went wrong on the server; try again"}
    page = client.get(f"/sessions/{session_id}")
    assert page.status_code == 500 and "<h1>That did not work</h1>" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "unexpected error answering GET" in caplog.text
    repo.engine.dispose()
