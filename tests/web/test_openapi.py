"""/openapi.json describes every JSON response, and the real responses match it.

Each JSON route declares a typed response model: its success response has a schema with
properties (not the empty object a ``dict[str, Any]`` gives), and its errors are
``{"error": ...}``. Then a real loop, bad requests and a coach's cohort view are sent through
the app and each body is validated against the schema the app itself publishes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi.testclient import TestClient

from pmloop.grading import Examiner
from pmloop.store import Accounts, Repository, open_repository
from pmloop.web import create_app

LOCAL = "http://127.0.0.1"
ANSWER = "We test on real traffic, split by segment, and fix the worst failure first."


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return open_repository(f"sqlite:///{tmp_path / 'openapi.db'}")


@pytest.fixture
def client(examiner: Examiner, repo: Repository) -> Iterator[TestClient]:
    with TestClient(create_app(examiner, repo), base_url=LOCAL) as test_client:
        yield test_client


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def _described(schema: dict[str, Any], spec: dict[str, Any]) -> bool:
    """True when a schema says what the body holds: properties, typed items or a union."""
    schema = _resolve(schema, spec)
    if "anyOf" in schema or "oneOf" in schema:
        return all(_described(s, spec) for s in schema.get("anyOf", schema.get("oneOf", [])))
    if schema.get("type") == "null":
        return True
    if schema.get("type") == "array":
        return _described(schema.get("items", {}), spec)
    return bool(schema.get("properties"))


def _json_routes(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if path.startswith("/api/")
    ]


def _check(spec: dict[str, Any], path: str, method: str, response: httpx.Response) -> None:
    """Validate a real response against the schema published for its route and status."""
    declared = spec["paths"][path][method]["responses"]
    assert str(response.status_code) in declared, (path, method, response.status_code)
    schema = declared[str(response.status_code)]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": spec["components"]})


def test_every_json_route_has_a_response_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    routes = _json_routes(spec)
    assert {(p, m) for p, m, _ in routes} >= {
        ("/api/v1/grade", "post"),
        ("/api/v1/sessions", "get"),
        ("/api/v1/sessions", "post"),
        ("/api/v1/sessions/{session_id}", "get"),
        ("/api/v1/sessions/{session_id}/answers", "post"),
        ("/api/v1/progress", "get"),
    }
    for path, method, operation in routes:
        statuses = operation["responses"]
        success = [s for s in statuses if s.startswith("2")]
        assert success, f"{method} {path} declares no success response"
        for status, response in statuses.items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            assert schema is not None, f"{method} {path} {status} has no JSON schema"
            assert _described(schema, spec), f"{method} {path} {status}: {schema} says nothing"
        error = _resolve(statuses["404"]["content"]["application/json"]["schema"], spec)
        assert error["required"] == ["error"], f"{method} {path}: errors are not {{'error': ...}}"


def test_real_responses_match_the_published_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    started = client.post("/api/v1/sessions", json={"questions": 1, "seed": 3})
    assert started.status_code == 201
    _check(spec, "/api/v1/sessions", "post", started)
    session = started.json()
    answers = "/api/v1/sessions/{session_id}/answers"
    while session["next"] is not None:
        step = session["next"]
        body: dict[str, Any] = {"question_index": step["question_index"], "depth": step["depth"]}
        if step["depth"] == 0:
            body |= {"text": ANSWER, "idempotency_key": "first-answer"}
        else:
            body["command"] = "skip"
        answered = client.post(f"/api/v1/sessions/{session['id']}/answers", json=body)
        assert answered.status_code == 201, answered.text
        _check(spec, answers, "post", answered)
        session = answered.json()
        assert session["grade"] is None or session["grade"]["schema"] == "pmloop.grade/1"
    first = {"question_index": 0, "depth": 0, "text": ANSWER, "idempotency_key": "first-answer"}
    replay = client.post(f"/api/v1/sessions/{session['id']}/answers", json=first)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert "thread" not in replay.json()  # a replay says nothing of the thread, as before
    _check(spec, answers, "post", replay)
    conflict = client.post(
        f"/api/v1/sessions/{session['id']}/answers", json={**first, "idempotency_key": None}
    )
    assert conflict.status_code == 409
    _check(spec, answers, "post", conflict)
    for path, template in (
        ("/api/v1/sessions", "/api/v1/sessions"),
        (f"/api/v1/sessions/{session['id']}", "/api/v1/sessions/{session_id}"),
        ("/api/v1/sessions/nope", "/api/v1/sessions/{session_id}"),
        ("/api/v1/progress", "/api/v1/progress"),
    ):
        _check(spec, template, "get", client.get(path))
    grade = client.post(
        "/api/v1/grade",
        json={"question_id": "eval-new-llm-feature-before-launch", "answer": ANSWER},
    )
    assert grade.status_code == 200 and grade.json()["competencies"]
    _check(spec, "/api/v1/grade", "post", grade)
    _check(spec, "/api/v1/grade", "post", client.post("/api/v1/grade", json={"answer": "x"}))


def test_the_cohort_view_matches_its_schema(examiner: Examiner, repo: Repository) -> None:
    accounts = Accounts(repo.engine)
    accounts.add_user("coach1", "a long coach password 1", "coach", "c1")
    accounts.add_user("learner1", "a long learner password 1", "learner", "c1")
    app = create_app(examiner, repo, multi_user=True)
    with TestClient(app, base_url="https://pm.example") as learner:
        signed = accounts.sign_in("learner1", "a long learner password 1", "127.0.0.1")
        assert isinstance(signed, tuple)
        learner.cookies.set("pmloop_login", signed[0])
        csrf = {"X-CSRF-Token": signed[1].csrf}
        started = learner.post("/api/v1/sessions", json={"questions": 1, "seed": 1}, headers=csrf)
        assert started.status_code == 201
        spec = learner.get("/openapi.json").json()
        _check(spec, "/api/v1/cohort", "get", learner.get("/api/v1/cohort"))  # 403: not a coach
    with TestClient(app, base_url="https://pm.example") as coach:
        signed = accounts.sign_in("coach1", "a long coach password 1", "127.0.0.1")
        assert isinstance(signed, tuple)
        coach.cookies.set("pmloop_login", signed[0])
        cohort = coach.get("/api/v1/cohort")
        assert cohort.status_code == 200 and cohort.json()[0]["learner"] == "learner1"
        _check(spec, "/api/v1/cohort", "get", cohort)
