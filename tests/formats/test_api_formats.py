"""Both interactive formats through the JSON API, over real HTTP on loopback."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import jsonschema
import pytest

from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.web import create_app

AMBIGUITY = "fixture-ambiguity-summaries-thumbs-down"
ROLEPLAY = "fixture-roleplay-legal-voice-clone"


@pytest.fixture(scope="module")
def api(
    format_examiner: Examiner,
    tmp_path_factory: pytest.TempPathFactory,
    serving: Callable[..., AbstractContextManager[str]],
) -> Iterator[tuple[httpx.Client, Repository]]:
    repo = open_repository(f"sqlite:///{tmp_path_factory.mktemp('api') / 'pmloop.db'}")
    with serving(create_app(format_examiner, repo)) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            yield client, repo


def _session(examiner: Examiner, repo: Repository, plan: str, follow_ups: int) -> str:
    return Coach(examiner, repo).start(LoopSettings(plan=(plan,), follow_ups=follow_ups)).id


def _published(client: httpx.Client, response: httpx.Response, path: str) -> None:
    """The response matches the schema /openapi.json publishes for its route."""
    spec = client.get("/openapi.json").json()
    declared = spec["paths"][path]["post"]["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": spec["components"]})


def _answer(client: httpx.Client, session_id: str, nxt: dict[str, Any], text: str) -> Any:
    body = {"question_index": nxt["question_index"], "depth": nxt["depth"], "text": text}
    response = client.post(f"/api/v1/sessions/{session_id}/answers", json=body)
    assert response.status_code == 201, response.text
    _published(client, response, "/api/v1/sessions/{session_id}/answers")
    return response.json()


def test_a_whole_roleplay_through_the_api(
    api: tuple[httpx.Client, Repository], format_examiner: Examiner
) -> None:
    client, repo = api
    session_id = _session(format_examiner, repo, ROLEPLAY, 3)
    person = format_examiner.bank.get(ROLEPLAY).stakeholder
    assert person is not None and person.max_turns == 5
    nxt = client.get(f"/api/v1/sessions/{session_id}").json()["next"]
    assert nxt["format"] == "roleplay" and nxt["depth"] == 0
    turns = [
        "This is a great feature and users will love it.",
        "Honestly the quality is excellent.",
        "Nobody gets cloned unless they record a consent statement in their own voice first.",
        "We'll launch as a limited beta with a small group of podcasters.",
        "I'll own takedown requests myself and we answer every one within a day.",
    ]
    replies = []
    for depth, turn in enumerate(turns):
        assert nxt is not None and nxt["depth"] == depth, (depth, nxt)
        data = _answer(client, session_id, nxt, turn)
        replies.append(data["stakeholder"])
        nxt = data["next"]
        if depth < len(turns) - 1:  # the stakeholder's reply is the next prompt
            assert nxt["kind"] == "stakeholder"
            assert nxt["text"] == f"{person.name}: {data['stakeholder']['says']}"
    assert nxt is None  # the talk ended on the fifth turn (depth 4, past the old cap of 3)
    assert [r["outcome"] for r in replies] == ["open"] * 4 + ["satisfied"]
    assert replies[-1]["says"] == person.satisfied
    assert set(replies[-1]["met"]) == {"consent_check", "launch_scope", "takedown_owner"}
    stored = repo.get(session_id).turns
    assert [t.depth for t in stored] == [0, 1, 2, 3, 4]
    assert [t.answer for t in stored] == turns
    # a turn past the end of the talk is refused with a message, not stored
    late = {"question_index": 0, "depth": 5, "text": "One more thing."}
    response = client.post(f"/api/v1/sessions/{session_id}/answers", json=late)
    assert 400 <= response.status_code < 500 and response.json()
    assert len(repo.get(session_id).turns) == 5


def test_ambiguity_asks_and_answers_through_the_api(
    api: tuple[httpx.Client, Repository], format_examiner: Examiner
) -> None:
    client, repo = api
    session_id = _session(format_examiner, repo, AMBIGUITY, 0)
    url = f"/api/v1/sessions/{session_id}/asks"
    found = client.post(url, json={"question_index": 0, "text": "Did anything ship last week?"})
    assert found.status_code == 201, found.text
    _published(client, found, "/api/v1/sessions/{session_id}/asks")
    assert found.json()["fact_id"] == "context_cut"
    assert found.json()["reply"].startswith("Last Monday infra lowered")
    unknown = client.post(url, json={"question_index": 0, "text": "What colour is the logo?"})
    assert unknown.json() == {"fact_id": None, "reply": "We don't know that."}
    empty = client.post(url, json={"question_index": 0, "text": "  "})
    assert empty.status_code == 422 and "needs a question" in empty.text
    nxt = client.get(f"/api/v1/sessions/{session_id}").json()["next"]
    assert nxt["format"] == "ambiguity"
    data = _answer(client, session_id, nxt, "The cut transcript explains it; restore it today.")
    assert "without asking for: long_meetings_only" in data["discovery"]
    assert [a.fact_id for a in repo.get(session_id).asks] == ["context_cut", None]
