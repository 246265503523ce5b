"""The JSON API under /api/v1: grade an answer, run a loop, read progress."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response

from pmloop.coach import LoopSettings
from pmloop.errors import InputError
from pmloop.report import build_progress
from pmloop.web._answering import idempotency_key, submit
from pmloop.web._context import CoachDep, OwnedSession, RepositoryDep, Viewer, owner_scope
from pmloop.web._models import (
    API_ERRORS,
    AnswerRequest,
    AnswerResult,
    AskRequest,
    AskResult,
    GradeRequest,
    ProgressBody,
    PublishedGrade,
    SessionDetail,
    SessionSummary,
    StakeholderBody,
    StartRequest,
)
from pmloop.web._views import expect_position, progress_body, session_detail, summary

__all__ = ["router", "schema_router"]

router = APIRouter(prefix="/api/v1", responses=API_ERRORS)
#: the schema itself, outside it
schema_router = APIRouter(include_in_schema=False)


@schema_router.get("/openapi.json")
def openapi_schema(request: Request, viewer: Viewer) -> dict[str, Any]:
    """The OpenAPI schema of this API (on the shared server, for signed-in users)."""
    schema: dict[str, Any] = request.app.openapi()
    return schema


@router.post("/grade")
def api_grade(body: GradeRequest, viewer: Viewer, coach: CoachDep) -> PublishedGrade:
    """Grade one answer; the response is schema pmloop.grade/1."""
    if (body.question is None) == (body.question_id is None):
        raise InputError("give exactly one of 'question' or 'question_id'")
    grade = coach.examiner.grade(body.answer, body.question, body.question_id)
    return PublishedGrade.from_grade(grade)


@router.get("/sessions")
def api_sessions(viewer: Viewer, repository: RepositoryDep) -> list[SessionSummary]:
    """Every session (of the signed-in learner), newest first."""
    return [summary(s) for s in repository.list_sessions(owners=owner_scope(viewer))]


@router.post("/sessions", status_code=201)
def api_start(
    body: StartRequest, viewer: Viewer, coach: CoachDep, repository: RepositoryDep
) -> SessionDetail:
    """Start a loop; returns the session with its first prompt."""
    session = coach.start(
        LoopSettings(
            company=body.company,
            competencies=tuple(body.competencies),
            questions=body.questions,
            minutes=body.minutes,
            seed=body.seed,
        ),
        owner_id=viewer.user.id if viewer else None,
    )
    return session_detail(coach, repository.get(session.id))


@router.get("/sessions/{session_id}")
def api_session(session: OwnedSession, coach: CoachDep) -> SessionDetail:
    """A session: its answers with grades, and the prompt it waits for."""
    return session_detail(coach, session)


@router.post("/sessions/{session_id}/answers", status_code=201)
def api_answer(
    session: OwnedSession,
    body: AnswerRequest,
    response: Response,
    coach: CoachDep,
    repository: RepositoryDep,
    idempotency: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> AnswerResult:
    """Answer (or skip) the current prompt; returns the grade and the next prompt.

    With an idempotency key (the ``Idempotency-Key`` header or the ``idempotency_key``
    field), sending the same answer again returns the stored result (201, with the header
    ``Idempotent-Replayed: true``) instead of a 409: safe after a timeout or a 503.
    """
    key = idempotency_key(idempotency or body.idempotency_key)
    result = submit(
        coach, repository, session.id, body.question_index, body.depth, body.text,
        body.command, key, body.self_level,
    )  # fmt: skip
    if result is not None and result.notice:
        raise InputError(result.notice)
    stored = repository.get(session.id)
    data = dict(session_detail(coach, stored))
    if result is None:
        response.headers["Idempotent-Replayed"] = "true"
        turn = stored.turn(body.question_index, body.depth)
        return AnswerResult(**data, grade=PublishedGrade.of(turn.grade if turn else None))
    said = result.stakeholder  # roleplay: the reply and where the talk stands
    return AnswerResult(
        **data,
        grade=PublishedGrade.of(result.grade),
        thread=PublishedGrade.of(result.thread),
        stakeholder=(
            StakeholderBody(says=said.says, met=list(said.met), outcome=said.outcome)
            if said is not None
            else None
        ),
        discovery=result.discovery,  # ambiguity: which facts came before the call
    )


@router.post("/sessions/{session_id}/asks", status_code=201)
def api_ask(session: OwnedSession, body: AskRequest, coach: CoachDep) -> AskResult:
    """Ask an ambiguity question's interviewer before answering: the fact the ask matches, or
    "We don't know that." (``fact_id`` null). The ask is stored with the question."""
    step = expect_position(coach, session.id, body.question_index, body.depth)
    asked = coach.ask(step, body.text)
    return AskResult(fact_id=asked.fact_id, reply=asked.reply)


@router.get("/progress")
def api_progress(viewer: Viewer, repository: RepositoryDep) -> ProgressBody:
    """Each competency's level per session, oldest first, and the weakest competency."""
    return progress_body(build_progress(repository.list_sessions(owners=owner_scope(viewer))))
