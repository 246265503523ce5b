"""Share links and coach comments over HTTP: a local server and the shared one, both stores.

A link opens one session read-only, to a client that has nothing else (no cookie, no
account on a local server); its page shows nothing else of the learner's. A comment pinned to
a quoted span reaches the learner's session page, the API and the reports. A revoked or expired
link is 404. Forms keep their CSRF and Origin checks; bad comments are one clear 4xx with what
was typed kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import MAX_COMMENT_CHARS, Accounts, Repository, Shares, open_repository, utcnow
from pmloop.store._schema import shares as shares_table
from pmloop.web import create_app

LOCAL = "http://127.0.0.1"
QUESTION = "eval-new-llm-feature-before-launch"
ANSWER = (
    "I'd size the risk first, then test on real traffic split by segment.\r\n"
    "We block launch if any segment regresses."
)
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = open_repository(database_url)
    yield repository
    repository.engine.dispose()


def _answered(examiner: Examiner, repo: Repository, owner_id: int | None = None) -> str:
    """A session with one graded answer and one skipped follow-up."""
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=(QUESTION,)), owner_id=owner_id)
    repo.submit(session.id, 0, 0, QUESTION, "How?", "question", None, ANSWER)
    coach.settle(session.id)
    repo.submit(session.id, 0, 1, QUESTION, "Why?", "signal", None, "", skipped=True)
    return session.id


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def _link(html: str) -> str:
    found = re.search(r'id="new-link"[^>]* value="https?://[^/"]+(/shared/[^"]+)"', html)
    assert found, "the new link is not on the page"
    return found.group(1)


def test_a_link_round_trip_on_a_local_server(examiner: Examiner, repo: Repository) -> None:
    app = create_app(examiner, repo)
    shared_id = _answered(examiner, repo)
    other_id = _answered(examiner, repo)  # must never show through the link
    learner = TestClient(app, base_url=LOCAL, headers={"Origin": LOCAL})
    csrf = _csrf(learner, f"/sessions/{shared_id}")
    made = learner.post(f"/sessions/{shared_id}/shares", data={"csrf": csrf, "days": "7"})
    assert made.status_code == 200
    link = _link(made.text)
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 random bits, URL-safe base64
    assert token not in learner.get(f"/sessions/{shared_id}").text  # shown once only

    coach = TestClient(app, base_url=LOCAL, headers={"Origin": LOCAL})  # no cookie, no account
    opened = coach.get(link)
    assert opened.status_code == 200 and "A shared practice session" in opened.text
    assert opened.headers["Cache-Control"] == "no-store"
    assert "size the risk first" in opened.text
    body = opened.text.split("<body>", 1)[1]
    assert shared_id not in body and other_id not in body
    assert "href=" not in body  # no navigation: nowhere else to go from here
    assert not re.search(r'action="(?!/shared/)', body)  # its one form posts to the link

    coach_csrf = re.search(r'name="csrf" value="([^"]+)"', opened.text).group(1)  # type: ignore[union-attr]
    start = ANSWER.index("real traffic")
    sent = coach.post(
        f"{link}/comments",
        data={"csrf": coach_csrf, "answer": "0-0", "quote": "real traffic", "start": str(start),
              "body": "Which traffic? Name the segments.", "author": "Ana"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303 and sent.headers["location"] == f"{link}#comments"
    # a span across the answer's line break, selected on the page (which shows it as LF)
    across = "segment.\nWe block"
    sent = coach.post(
        f"{link}/comments",
        data={"csrf": coach_csrf, "answer": "0-0", "quote": across, "body": "Good call."},
        follow_redirects=False,
    )
    assert sent.status_code == 303

    stored = Shares(repo.engine).comments(shared_id)
    assert [(c.quote, c.author) for c in stored] == [
        ("real traffic", "Ana"),
        ("segment.\r\nWe block", "Coach"),
    ]
    assert all(ANSWER[c.start : c.end] == c.quote for c in stored)
    assert "Which traffic? Name the segments." in coach.get(link).text

    # the learner sees them: session page, API, HTML report, and nowhere in the other session
    page = learner.get(f"/sessions/{shared_id}").text
    assert "Coach comments" in page and "Which traffic? Name the segments." in page
    assert "Which traffic?" not in learner.get(f"/sessions/{other_id}").text
    api = learner.get(f"/api/v1/sessions/{shared_id}/comments").json()
    assert api[0] | {"created_at": None} == {
        "question_index": 0, "depth": 0, "author": "Ana", "start": start,
        "end": start + len("real traffic"), "quote": "real traffic",
        "body": "Which traffic? Name the segments.", "created_at": None,
    }  # fmt: skip
    report = learner.get(f"/sessions/{shared_id}/report").text
    assert "Coach comments" in report and "Which traffic? Name the segments." in report

    # revoked: 404, like a link never made; the comments stay with the learner
    share_id = learner.get(f"/api/v1/sessions/{shared_id}/shares").json()[0]["id"]
    revoked = learner.post(
        f"/sessions/{shared_id}/shares/{share_id}/revoke", data={"csrf": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert revoked.status_code == 303
    assert coach.get(link).status_code == 404
    refused = coach.post(
        f"{link}/comments",
        data={"csrf": coach_csrf, "answer": "0-0", "quote": "real traffic", "body": "late"},
    )
    assert refused.status_code == 404 and "late" not in str(Shares(repo.engine).comments(shared_id))
    assert coach.get("/shared/" + "A" * 43).status_code == 404
    assert len(Shares(repo.engine).comments(shared_id)) == 2


def test_the_api_creates_lists_and_revokes_links(examiner: Examiner, repo: Repository) -> None:
    app = create_app(examiner, repo)
    session_id = _answered(examiner, repo)
    client = TestClient(app, base_url=LOCAL)
    made = client.post(f"/api/v1/sessions/{session_id}/shares", json={"days": 1})
    assert made.status_code == 201
    link = made.json()
    assert link["path"] == f"/shared/{link['token']}" and link["open"] and link["expires_at"]
    listed = client.get(f"/api/v1/sessions/{session_id}/shares").json()
    assert [s["id"] for s in listed] == [link["id"]] and "token" not in listed[0]
    assert client.get(link["path"]).status_code == 200
    # expired: 404 too
    with repo.engine.begin() as db:
        db.execute(update(shares_table).values(expires_at=utcnow()))
    assert client.get(link["path"]).status_code == 404
    assert client.get(f"/api/v1/sessions/{session_id}/shares").json()[0]["open"] is False
    fresh = client.post(f"/api/v1/sessions/{session_id}/shares", json={}).json()
    assert fresh["expires_at"] is None and client.get(fresh["path"]).status_code == 200
    revoke = f"/api/v1/sessions/{session_id}/shares/{fresh['id']}"
    # like every change on a local server: from its own page (Origin), or said to be JSON
    assert client.delete(revoke).status_code == 403
    gone = client.delete(revoke, headers={"Content-Type": "application/json"})
    assert gone.status_code == 200 and gone.json()["revoked_at"] and not gone.json()["open"]
    assert client.get(fresh["path"]).status_code == 404
    for bad in ({"days": 0}, {"days": 400}, {"days": "soon"}):
        assert client.post(f"/api/v1/sessions/{session_id}/shares", json=bad).status_code == 422
    assert client.post("/api/v1/sessions/nope/shares", json={}).status_code == 404
    other = _answered(examiner, repo)
    # a link is revoked through its own session only
    json_ = {"Content-Type": "application/json"}
    assert (
        client.delete(f"/api/v1/sessions/{other}/shares/{link['id']}", headers=json_).status_code
        == 404
    )


def test_comment_forms_are_checked_and_keep_what_was_typed(
    examiner: Examiner, repo: Repository
) -> None:
    app = create_app(examiner, repo)
    session_id = _answered(examiner, repo)
    path = (
        TestClient(app, base_url=LOCAL)
        .post(f"/api/v1/sessions/{session_id}/shares", json={})
        .json()["path"]
    )
    coach = TestClient(app, base_url=LOCAL, headers={"Origin": LOCAL})
    csrf = _csrf(coach, path)
    form = {"csrf": csrf, "answer": "0-0", "quote": "real traffic", "body": "Which traffic?"}
    # the checks every form has: its own origin, its own token
    foreign = TestClient(app, base_url=LOCAL, headers={"Origin": "http://evil.example"})
    foreign.cookies.set("pmloop_csrf", csrf)
    assert foreign.post(f"{path}/comments", data=form).status_code == 403
    assert coach.post(f"{path}/comments", data={**form, "csrf": "x" * 40}).status_code == 403
    for change, status, message in (
        ({"quote": "words never written"}, 422, "not in that answer"),
        ({"body": "x" * (MAX_COMMENT_CHARS + 1)}, 422, f"at most {MAX_COMMENT_CHARS} characters"),
        ({"body": "   "}, 422, "write a comment"),
        ({"answer": "0-1"}, 422, "no answer at that position"),  # the skipped follow-up
        ({"answer": "5-0"}, 422, "no answer at that position"),
    ):
        refused = coach.post(f"{path}/comments", data={**form, **change})
        assert refused.status_code == status and message in refused.text, change
        typed = change.get("body", form["body"])
        if typed.strip() and len(typed) < 100:
            assert typed in refused.text  # nothing the coach wrote is lost
    assert Shares(repo.engine).comments(session_id) == []
    assert coach.post(f"{path}/comments", data=form, follow_redirects=False).status_code == 303


def test_opening_a_link_writes_nothing(examiner: Examiner, repo: Repository) -> None:
    app = create_app(examiner, repo)
    session_id = _answered(examiner, repo)
    path = (
        TestClient(app, base_url=LOCAL)
        .post(f"/api/v1/sessions/{session_id}/shares", json={})
        .json()["path"]
    )
    writes: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *rest: object) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    event.listen(repo.engine, "before_cursor_execute", seen)
    client = TestClient(app, base_url=LOCAL)
    for url in (path, f"/api/v1/sessions/{session_id}/shares",
                f"/api/v1/sessions/{session_id}/comments", f"/sessions/{session_id}"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    event.remove(repo.engine, "before_cursor_execute", seen)
    assert writes == []


def _sign_in(client: TestClient, username: str, link: str | None = None) -> str:
    form = client.get("/login" + (f"?next={link}" if link else "")).text
    prelogin = re.search(r'name="prelogin" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    data = {"username": username, "password": PASSWORD, "prelogin": prelogin}
    if link:
        assert f'name="next" value="{link}"' in form
        data["next"] = link
    signed = client.post("/login", data=data, follow_redirects=False)
    assert signed.status_code == 303
    assert signed.headers["location"] == (link or "/")
    page = client.get(link or "/").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_on_the_shared_server_a_link_needs_a_sign_in(examiner: Examiner, repo: Repository) -> None:
    accounts = Accounts(repo.engine)
    alice = accounts.add_user("alice", PASSWORD, "learner", "spring")
    accounts.add_user("bob", PASSWORD, "learner", "spring")
    accounts.add_user("carol", PASSWORD, "coach", "spring")
    app = create_app(examiner, repo, multi_user=True)
    session_id = _answered(examiner, repo, owner_id=alice.id)
    learner = TestClient(app, base_url="https://testserver")
    csrf = _sign_in(learner, "alice")
    made = learner.post(
        f"/api/v1/sessions/{session_id}/shares", json={}, headers={"X-CSRF-Token": csrf}
    )
    assert made.status_code == 201
    link = made.json()["path"]
    # another learner cannot make or revoke links to alice's session
    bob = TestClient(app, base_url="https://testserver")
    bob_csrf = _sign_in(bob, "bob")
    headers = {"X-CSRF-Token": bob_csrf}
    assert (
        bob.post(f"/api/v1/sessions/{session_id}/shares", json={}, headers=headers).status_code
        == 404
    )
    revoke = f"/api/v1/sessions/{session_id}/shares/{made.json()['id']}"
    assert bob.delete(revoke, headers=headers).status_code == 404
    # signed out: to the sign-in, and back to the link after it
    coach = TestClient(app, base_url="https://testserver")
    first = coach.get(link, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == f"/login?next={link}"
    coach_csrf = _sign_in(coach, "carol", link)
    sent = coach.post(
        f"{link}/comments",
        data={"csrf": coach_csrf, "answer": "0-0", "quote": "size the risk",
              "body": "Put a number on it.", "author": "someone else"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303
    assert [c.author for c in Shares(repo.engine).comments(session_id)] == ["carol"]
    page = learner.get(f"/sessions/{session_id}").text
    assert "Put a number on it." in page and "carol" in page
    # the sign-in sends back only to a share link
    assert 'name="next"' not in coach.get("/login?next=https://evil.example/").text


def test_the_reports_carry_the_comments(examiner: Examiner, pmloop_cli) -> None:  # type: ignore[no-untyped-def]
    """``pmloop report`` (Markdown and HTML) shows a coach's comments, their markup literal."""
    repo = open_repository()  # PMLOOP_HOME's database, the one the CLI reads
    session_id = _answered(examiner, repo)
    shares = Shares(repo.engine)
    _, share = shares.create(session_id)
    shares.comment(share, 0, 0, "size the risk", "Put a *number* on it <b>now</b>.", "Ana")
    markdown = pmloop_cli("report", session_id)
    assert markdown.code == 0, markdown.stderr
    assert "## Coach comments" in markdown.stdout
    assert "- Q1, Ana on “size the risk”: Put a \\*number\\* on it &lt;b&gt;now&lt;/b&gt;." in (
        markdown.stdout
    )
    html = pmloop_cli("report", session_id, "--format", "html")
    assert html.code == 0, html.stderr
    assert "<h2>Coach comments</h2>" in html.stdout
    assert "Put a *number* on it &lt;b&gt;now&lt;/b&gt;." in html.stdout
    repo.engine.dispose()
