"""The HTML pages and their forms: practise, a session, its report, progress, the bank."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pmloop.coach import Coach, LoopSettings
from pmloop.errors import InputError
from pmloop.report import build_progress, build_scorecard, radar_svg, scorecard_html, trend_svg
from pmloop.store import Repository
from pmloop.vocabulary import Competency
from pmloop.web._answering import idempotency_key, submit
from pmloop.web._context import (
    BankDep,
    CoachDep,
    OwnedSession,
    RepositoryDep,
    Viewer,
    owner_scope,
)
from pmloop.web._models import MAX_ANSWER_CHARS, MAX_DEPTH
from pmloop.web._render import csp_with_styles, page
from pmloop.web._views import expect_position, summary, thread_items

__all__ = ["router", "session_view"]

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, viewer: Viewer, repository: RepositoryDep) -> HTMLResponse:
    sessions = repository.list_sessions(limit=10, owners=owner_scope(viewer))
    return page(request, "start.html", sessions=[summary(s).model_dump() for s in sessions])


@router.post("/sessions")
def start_form(
    viewer: Viewer,
    coach: CoachDep,
    company: Annotated[str, Form()] = "general",
    questions: Annotated[int, Form(ge=1, le=12)] = 4,
    minutes: Annotated[float, Form(gt=0, le=60)] = 4.0,
    competencies: Annotated[list[Competency] | None, Form()] = None,
) -> RedirectResponse:
    session = coach.start(
        LoopSettings(
            company=company,
            questions=questions,
            minutes=minutes,
            competencies=tuple(competencies or ()),
        ),
        owner_id=viewer.user.id if viewer else None,
    )
    return RedirectResponse(f"/sessions/{session.id}", status_code=303)


def session_view(
    request: Request,
    coach: Coach,
    repository: Repository,
    session_id: str,
    status: int = 200,
    notice: str | None = None,
) -> HTMLResponse:
    """The session page: its thread, the prompt it waits for, or its scorecard."""
    # reads only: grading, reviews and finishing happen in the POST that stores an answer
    step = coach.current(session_id)
    session = repository.get(session_id)
    card = build_scorecard(session, coach.bank) if step is None else None
    return page(
        request, "session.html", status=status, session=session,
        thread=thread_items(coach, session), step=step, card=card,
        found={i: coach.discovery(session, i) for i in range(len(session.plan))},
        radar=radar_svg(card) if card is not None else "", notice=notice,
        # a new key each time the form is shown: sending it again is the same submission
        submission_key=secrets.token_urlsafe(16),
    )  # fmt: skip


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request, session: OwnedSession, coach: CoachDep, repository: RepositoryDep
) -> HTMLResponse:
    return session_view(request, coach, repository, session.id)


@router.post("/sessions/{session_id}/draft", response_class=HTMLResponse)
def save_draft(
    session: OwnedSession,
    coach: CoachDep,
    question_index: Annotated[int, Form(ge=0)],
    depth: Annotated[int, Form(ge=0, le=MAX_DEPTH)],
    text: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)] = "",
) -> HTMLResponse:
    step = expect_position(coach, session.id, question_index, depth)
    step.prompt.save_draft(text)
    return HTMLResponse('<span class="saved">Draft saved</span>')


@router.post("/sessions/{session_id}/answer")
def answer_form(
    request: Request,
    session: OwnedSession,
    coach: CoachDep,
    repository: RepositoryDep,
    question_index: Annotated[int, Form(ge=0)],
    depth: Annotated[int, Form(ge=0, le=MAX_DEPTH)],
    text: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)] = "",
    command: Annotated[str, Form(pattern="^(answer|skip)$")] = "answer",
    idempotency: Annotated[str | None, Form(alias="idempotency_key", max_length=64)] = None,
    self_level: Annotated[str, Form(pattern="^[1-4]?$")] = "",
) -> Response:
    key = idempotency_key(idempotency)
    rated = int(self_level) if self_level else None
    result = submit(coach, repository, session.id, question_index, depth, text, command, key,
                    rated)  # fmt: skip
    if result is not None and result.notice:
        return session_view(request, coach, repository, session.id, status=422,
                            notice=result.notice)  # fmt: skip
    return RedirectResponse(f"/sessions/{session.id}#latest", status_code=303)


@router.post("/sessions/{session_id}/ask")
def ask_form(
    request: Request,
    session: OwnedSession,
    coach: CoachDep,
    repository: RepositoryDep,
    question_index: Annotated[int, Form(ge=0)],
    depth: Annotated[int, Form(ge=0, le=MAX_DEPTH)],
    ask: Annotated[str, Form(max_length=500)] = "",
    text: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)] = "",
) -> Response:
    step = expect_position(coach, session.id, question_index, depth)
    if text.strip():
        step.prompt.save_draft(text)  # the answer typed so far is kept beside the ask
    try:
        coach.ask(step, ask)
    except InputError as exc:
        return session_view(request, coach, repository, session.id, status=422, notice=str(exc))
    return RedirectResponse(f"/sessions/{session.id}#current", status_code=303)


@router.get("/sessions/{session_id}/report", response_class=HTMLResponse)
def report_page(
    session: OwnedSession, viewer: Viewer, repository: RepositoryDep, bank: BankDep
) -> HTMLResponse:
    sessions = repository.list_sessions(owners=owner_scope(viewer))
    trends = build_progress(sessions, until=session).trends  # history up to this session
    card = build_scorecard(session, bank)
    html = scorecard_html(card, [t for t in trends if len(t.points) > 1])
    return HTMLResponse(html, headers={"Content-Security-Policy": csp_with_styles(html)})


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, viewer: Viewer, repository: RepositoryDep) -> HTMLResponse:
    progress = build_progress(repository.list_sessions(owners=owner_scope(viewer)))
    chart = trend_svg(progress.trends) if progress.trends else ""
    return page(request, "progress.html", progress=progress, chart=chart)


@router.get("/bank", response_class=HTMLResponse)
def bank_page(
    request: Request, viewer: Viewer, bank: BankDep, competency: str | None = None
) -> HTMLResponse:
    chosen = Competency(competency) if competency in {c.value for c in Competency} else None
    return page(request, "bank.html", questions=bank.select(chosen), chosen=chosen)


@router.get("/bank/{question_id}", response_class=HTMLResponse)
def question_page(
    request: Request, question_id: str, viewer: Viewer, bank: BankDep
) -> HTMLResponse:
    return page(request, "question.html", question=bank.get(question_id))
