"""Storing an answer from the web: the form and the API share it, retries included."""

from __future__ import annotations

import re

from fastapi import HTTPException

from pmloop.coach import Answered, AnswerInput, Coach
from pmloop.errors import AnswerExistsError, InputError
from pmloop.store import Repository
from pmloop.web._views import expect_position

__all__ = ["idempotency_key", "submit"]

#: An idempotency key: what a UUID or a random token is made of.
_KEY = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def idempotency_key(value: str | None) -> str | None:
    """The key as given, None when absent; a malformed one is an ``InputError``."""
    if value is None or value == "":
        return None
    if not _KEY.fullmatch(value):
        raise InputError(
            "an idempotency key has 1 to 64 characters: letters, digits and . _ : - (a UUID does)"
        )
    return value


def _replayed(
    coach: Coach,
    repository: Repository,
    session_id: str,
    index: int,
    depth: int,
    key: str | None,
    text: str,
    command: str,
) -> bool:
    """True when this submission, by its key, is already stored (and graded by now)."""
    if key is None:
        return False
    turn = repository.get(session_id).turn(index, depth)
    if turn is None or turn.idempotency_key != key:
        return False
    if turn.answer != text or turn.skipped != (command == "skip"):
        raise HTTPException(
            409, "this idempotency key came before with a different answer; a new answer "
            "needs a new key",
        )  # fmt: skip
    coach.settle(session_id)  # stores its grade, if grading was cut short
    return True


def submit(
    coach: Coach,
    repository: Repository,
    session_id: str,
    index: int,
    depth: int,
    text: str,
    command: str,
    key: str | None,
    self_level: int | None = None,
) -> Answered | None:
    """Store and grade an answer; None when it is a retry of one already stored."""
    if _replayed(coach, repository, session_id, index, depth, key, text, command):
        return None
    step = expect_position(coach, session_id, index, depth)
    reply = AnswerInput(text=text, command=command, self_level=self_level)  # type: ignore[arg-type]
    try:
        return coach.answer(step, reply, idempotency_key=key)
    except AnswerExistsError:
        # the same submission, sent twice at once, was stored by the other request
        if _replayed(coach, repository, session_id, index, depth, key, text, command):
            return None
        raise
