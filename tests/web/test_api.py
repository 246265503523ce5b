"""The JSON API and the form routes through the real app: contracts and bad input."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.web import create_app


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return open_repository(f"sqlite:///{tmp_path / 'web.db'}")


@pytest.fixture
def client(examiner: Examiner, repo: Repository) -> Iterator[TestClient]:
    app = create_app(examiner, repo)
    # the local app answers only to its own names, and takes forms only from its own pages
    local = "http://127.0.0.1"
    with TestClient(app, base_url=local, headers={"Origin": local}) as test_client:
        yield test_client


def _start(client: TestClient) -> dict:
    response = client.post("/api/v1/sessions", json={"questions": 2, "seed": 3})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_loop_through_the_api(client: TestClient) -> None:
    session = _start(client)
    assert session["next"]["depth"] == 0 and len(session["plan"]) == 2
    steps = 0
    while session["next"] is not None and steps < 10:
        nxt = session["next"]
        body = {"question_index": nxt["question_index"], "depth": nxt["depth"]}
        if nxt["depth"] == 0:
            body["text"] = "We test on real traffic, split by segment, and fix the worst failure."
        else:
            body["command"] = "skip"
        response = client.post(f"/api/v1/sessions/{session['id']}/answers", json=body)
        assert response.status_code == 201, response.text
        session = response.json()
        steps += 1
    assert session["next"] is None and session["status"] in ("active", "finished")
    graded = [a for a in session["answers"] if a["grade"]]
    assert graded and graded[0]["grade"]["schema"] == "pmloop.grade/1"
    assert client.get("/api/v1/sessions").json()[0]["id"] == session["id"]
    progress = client.get("/api/v1/progress").json()
    assert progress["sessions"] == 1 and progress["trends"]


def test_grade_endpoint_matches_the_cli_contract(client: TestClient, pmloop_cli) -> None:
    question = "How would you evaluate a new LLM feature before launch?"
    answer = (
        "I'd start from the failures that hurt users most: a confident wrong answer on a"
        " billing question. I'd sample real traffic by segment, grade it against a rubric"
        " with two raters, and block launch if any segment regresses against today's flow."
    )
    response = client.post("/api/v1/grade", json={"question": question, "answer": answer})
    assert response.status_code == 200
    cli = pmloop_cli("grade", "--question", question, "--answer", answer, "--format", "json")
    assert cli.code == 0, cli.stderr
    # The whole document, not a field of it: the API and the CLI give the same grade.
    assert response.json() == json.loads(cli.stdout)
    assert response.json()["schema"] == "pmloop.grade/1"


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/api/v1/grade", {"question": "Q?", "answer": "   "}, 422, "empty"),
        ("/api/v1/grade", {"question": "Q?", "answer": "x" * 40_000}, 422, "answer"),
        ("/api/v1/grade", {"question": "Q?", "answer": 42}, 422, "answer"),
        ("/api/v1/grade", {"answer": "An answer."}, 422, "exactly one"),
        ("/api/v1/grade", {"question_id": "nope", "answer": "An answer."}, 404, "unknown question"),
        ("/api/v1/sessions", {"questions": 0}, 422, "questions"),
        ("/api/v1/sessions", {"company": "acme"}, 422, "unknown company"),
        ("/api/v1/sessions", {"competencies": ["charm"]}, 422, "competencies"),
    ],
)
def test_bad_api_input(
    client: TestClient, path: str, body: dict, status: int, message: str
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]


def test_bad_answers_store_nothing(client: TestClient, repo: Repository) -> None:
    session = _start(client)
    url = f"/api/v1/sessions/{session['id']}/answers"
    empty = client.post(url, json={"question_index": 0, "depth": 0, "text": "  "})
    assert empty.status_code == 422 and "empty" in empty.json()["error"]
    stale = client.post(url, json={"question_index": 1, "depth": 0, "text": "An answer."})
    assert stale.status_code == 409
    wrong = client.post(url, json={"question_index": "first", "depth": 0, "text": "x"})
    assert wrong.status_code == 422
    unknown = client.post("/api/v1/sessions/zzzz/answers", json={"question_index": 0, "depth": 0})
    assert unknown.status_code == 404
    assert repo.get(session["id"]).turns == ()


def test_form_routes_and_pages(client: TestClient, repo: Repository) -> None:
    assert client.get("/").status_code == 200
    csrf = client.cookies["pmloop_csrf"]  # the token the page's forms carry
    start = client.post("/sessions", data={"company": "openai", "questions": "1", "minutes": "3",
                                           "csrf": csrf}, follow_redirects=False)  # fmt: skip
    assert start.status_code == 303
    session_url = start.headers["location"]
    session_id = session_url.rsplit("/", 1)[1]
    page = client.get(session_url)
    assert page.status_code == 200 and 'name="question_index" value="0"' in page.text
    position = {"question_index": "0", "depth": "0", "csrf": csrf}
    draft = client.post(f"/sessions/{session_id}/draft", data={**position, "text": "half"})
    assert draft.status_code == 200 and repo.draft(session_id, 0, 0) == "half"
    empty = client.post(f"/sessions/{session_id}/answer", data={**position, "text": " "})
    assert empty.status_code == 422 and "empty" in empty.text
    assert repo.get(session_id).turns == ()
    bad = client.post("/sessions", data={"questions": "many", "csrf": csrf})
    assert bad.status_code == 422 and "questions" in bad.text
    assert client.get("/sessions/nope").status_code == 404
    assert client.get("/bank/nope").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/bank?competency=evaluation_logic").status_code == 200
    assert (
        client.get("/bank/eval-new-llm-feature-before-launch").text.count("reference level-") == 4
    )
    assert client.get("/openapi.json").json()["paths"]["/api/v1/grade"]


def test_a_browser_session_shows_in_the_terminal(examiner: Examiner, pmloop_cli) -> None:  # type: ignore[no-untyped-def]
    """The web app and the CLI share one store: PMLOOP_HOME's database by default."""
    with TestClient(create_app(examiner), base_url="http://127.0.0.1") as client:
        session = _start(client)
    listing = pmloop_cli("sessions", env={"COLUMNS": "200"})
    assert listing.code == 0 and session["id"] in listing.stdout
