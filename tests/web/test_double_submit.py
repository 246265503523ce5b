"""Two submissions of the same answer position at once: one is stored, the other is a 409."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from pmloop.errors import AnswerExistsError, UnknownSessionError
from pmloop.grading import Examiner
from pmloop.store import open_repository
from pmloop.web import create_app


def test_a_second_answer_at_one_position_is_a_conflict_not_a_missing_session(
    database_url: str,
) -> None:
    repo = open_repository(database_url)
    session = repo.create_session("practice", "general", {}, ["q"], "t")
    repo.submit(session.id, 0, 0, "q", "Q?", "question", None, "first")
    with pytest.raises(AnswerExistsError, match="already has an answer") as raised:
        repo.submit(session.id, 0, 0, "q", "Q?", "question", None, "second")
    assert not isinstance(raised.value, UnknownSessionError)
    assert [t.answer for t in repo.get(session.id).turns] == ["first"]
    repo.engine.dispose()


def test_the_loser_of_a_concurrent_double_submit_gets_409(
    examiner: Examiner,
    postgres_url: str,
    live_app: Callable[[FastAPI], str],
    post_twice_at_once: Callable[..., list[httpx.Response]],
) -> None:
    """Both requests pass the position check, then race to insert: the loser must see 409."""
    repo = open_repository(postgres_url)
    base = live_app(create_app(examiner, repo))
    session = httpx.post(f"{base}/api/v1/sessions", json={"questions": 1, "seed": 2}).json()
    url = f"{base}/api/v1/sessions/{session['id']}/answers"
    body = {"question_index": 0, "depth": 0, "text": "We test on real tickets, split by type."}
    responses = post_twice_at_once(url, body)
    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert "already has an answer" in loser.json()["error"]
    assert len(repo.get(session["id"]).turns) == 1
    repo.engine.dispose()
