"""Session ids by prefix: '%' and '_' are characters, not wildcards, and a learner's prefix is
matched among their own sessions only, on SQLite and PostgreSQL, in the store and on the web."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from pmloop.errors import UnknownSessionError
from pmloop.grading import Examiner
from pmloop.store import Accounts, Repository, open_repository
from pmloop.store._schema import sessions
from pmloop.web import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = open_repository(database_url)
    yield repository
    repository.engine.dispose()


def _rename(repo: Repository, old: str, new: str) -> None:
    with repo.engine.begin() as db:
        db.execute(update(sessions).where(sessions.c.id == old).values(id=new))


def _session(repo: Repository, new_id: str, owner: int | None = None) -> str:
    created = repo.create_session("practice", "general", {}, ["q"], "offline t", owner_id=owner)
    _rename(repo, created.id, new_id)
    return new_id


def test_wildcards_in_a_prefix_match_only_themselves(repo: Repository) -> None:
    _session(repo, "a1b2c3d4e5f6")
    _session(repo, "a1x2c3d4e5f6")
    for probe in ("%", "_", "a1_", "%b2", "a1%", "__"):
        with pytest.raises(UnknownSessionError, match=f"no session '{re.escape(probe)}'"):
            repo.get(probe)
    assert repo.get("a1b").id == "a1b2c3d4e5f6"
    with pytest.raises(UnknownSessionError, match="ambiguous"):
        repo.get("a1")
    literal = _session(repo, "50%_off_here")
    assert repo.get("50%_").id == literal
    with pytest.raises(UnknownSessionError, match="no session"):
        repo.get("50%x")


def test_an_exact_id_wins_over_longer_ids_it_prefixes(repo: Repository) -> None:
    short = _session(repo, "abc")
    _session(repo, "abcdef")
    assert repo.get("abc").id == short


def test_a_prefix_is_matched_among_the_callers_own_sessions(repo: Repository) -> None:
    accounts = Accounts(repo.engine)
    ana = accounts.add_user("ana", PASSWORD, "learner", None).id
    ben = accounts.add_user("ben", PASSWORD, "learner", None).id
    _session(repo, "abc111111111", ana)
    _session(repo, "abc222222222", ben)
    assert repo.get("abc", owners=[ana]).id == "abc111111111"
    assert repo.get("abc", owners=[ben]).id == "abc222222222"
    for probe in ("abc2", "abc222222222"):
        with pytest.raises(UnknownSessionError, match=f"no session '{probe}'"):
            repo.get(probe, owners=[ana])
    with pytest.raises(UnknownSessionError, match="ambiguous"):
        repo.get("abc")  # the local, unscoped view sees both


def _sign_in(client: TestClient, username: str) -> str:
    form = client.get("/login").text
    prelogin = re.search(r'name="prelogin" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "prelogin": prelogin},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    home = client.get("/").text
    return re.search(r'name="csrf" value="([^"]+)"', home).group(1)  # type: ignore[union-attr]


def test_a_learner_never_learns_that_another_id_shares_a_prefix(
    examiner: Examiner, repo: Repository
) -> None:
    accounts = Accounts(repo.engine)
    accounts.add_user("ana", PASSWORD, "learner", None)
    accounts.add_user("ben", PASSWORD, "learner", None)
    clients = {}
    for name, new_id in (("ana", "abc111111111"), ("ben", "abc222222222")):
        client = TestClient(create_app(examiner, repo, multi_user=True), base_url="https://t")
        csrf = _sign_in(client, name)
        started = client.post(
            "/api/v1/sessions", json={"questions": 1, "seed": 3}, headers={"X-CSRF-Token": csrf}
        )
        assert started.status_code == 201, started.text
        _rename(repo, started.json()["id"], new_id)
        clients[name] = (client, csrf)
    ana, csrf = clients["ana"]
    for path in ("/api/v1/sessions/abc", "/sessions/abc", "/sessions/abc/report"):
        response = ana.get(path)
        assert response.status_code == 200, (path, response.text)
        assert "abc111111111" in response.text and "abc222222222" not in response.text
        assert "ambiguous" not in response.text
    for probe in ("abc2", "%25", "_", "abc%25", "a_c"):
        response = ana.get(f"/api/v1/sessions/{probe}")
        assert response.status_code == 404 and "ambiguous" not in response.text, probe
    answered = ana.post(
        "/api/v1/sessions/abc/answers",
        json={"question_index": 0, "depth": 0, "text": "I would test it on real tickets first."},
        headers={"X-CSRF-Token": csrf},
    )
    assert answered.status_code == 201, answered.text
    assert answered.json()["id"] == "abc111111111"
    assert repo.get("abc111111111").turns[0].answer.startswith("I would test")
    assert repo.get("abc222222222").turns == ()
