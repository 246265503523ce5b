"""The local web app: FastAPI pages (Jinja2 + HTMX) and a JSON API under /api/v1.

A thin shell: every decision is the coach's, every number the grader's, every page a view of
what the store holds. Nothing here is reachable that a library test could not reach.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from pmloop.bank import Question
from pmloop.coach import AnswerInput, Coach, LoopSettings, Step
from pmloop.errors import InputError, PmloopError, UnknownQuestionError, UnknownSessionError
from pmloop.grading import Examiner, Grade
from pmloop.interview import PROFILES
from pmloop.report import (
    OVERALL_RULE,
    build_progress,
    build_scorecard,
    highlight_answer,
    level_name,
    radar_svg,
    scorecard_html,
    trend_svg,
)
from pmloop.report._scorecard import average_level, competency_levels
from pmloop.store import Accounts, Login, Repository, SessionRecord, open_repository
from pmloop.vocabulary import BARS, COMPETENCIES, FLAGS, Competency, Level

__all__ = ["create_app"]

#: The longest answer the web forms accept, in characters (the word limit applies too).
MAX_ANSWER_CHARS = 30_000


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("pmloop.web").joinpath(name)))


@dataclass
class _State:
    coach: Coach
    accounts: Accounts | None
    secure_cookies: bool


COOKIE = "pmloop_login"
PRELOGIN = "pmloop_prelogin"
#: Failed sign-ins allowed per username, and per address, in 15 minutes.
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20


class StartRequest(BaseModel):
    """Settings for a new loop."""

    company: str = Field(default="general", description="Loop profile.")
    competencies: list[Competency] = Field(default_factory=list, description="Only these.")
    questions: int = Field(default=4, ge=1, le=12, description="Questions in the loop.")
    minutes: float = Field(default=4.0, gt=0, le=60, description="Soft time per answer.")
    seed: int | None = Field(default=None, description="Same seed, same questions.")


class AnswerRequest(BaseModel):
    """An answer (or a skip) to the session's current prompt."""

    question_index: int = Field(ge=0, description="0-based question the answer is for.")
    depth: int = Field(ge=0, le=3, description="0 for the question, 1-3 for follow-ups.")
    text: str = Field(default="", max_length=MAX_ANSWER_CHARS, description="The answer.")
    command: str = Field(default="answer", pattern="^(answer|skip)$", description="answer/skip.")
    self_level: int | None = Field(
        default=None, ge=1, le=4, description="The level you predict for it (self-calibration)."
    )


class GradeRequest(BaseModel):
    """One answer to grade, to a question given by text or bank id."""

    question: str | None = Field(default=None, max_length=2000, description="Question text.")
    question_id: str | None = Field(default=None, max_length=80, description="Bank id.")
    answer: str = Field(max_length=MAX_ANSWER_CHARS, description="The answer.")


def create_app(
    examiner: Examiner | None = None,
    repository: Repository | None = None,
    multi_user: bool = False,
    secure_cookies: bool = True,
) -> FastAPI:
    """Build the app over a grader and a store (defaults: the packaged bank, PMLOOP_HOME).

    With ``multi_user`` every page and API route needs a signed-in account, every state-changing
    request carries the sign-in's CSRF token, and each learner sees only their own sessions;
    a coach also sees the progress of the learners in their cohort.
    """
    repository = repository or open_repository()
    accounts = Accounts(repository.engine) if multi_user else None
    state = _State(Coach(examiner or Examiner(), repository), accounts, secure_cookies)
    app = FastAPI(
        title="pmloop",
        version="1",
        description="Practise AI PM interview loops: questions, follow-ups, graded feedback.",
    )
    app.state.pmloop = state
    templates = Jinja2Templates(directory=str(_package_dir("templates")))
    templates.env.globals.update(
        COMPETENCIES=COMPETENCIES, FLAGS=FLAGS, Level=Level, level_name=level_name,
        PROFILES=PROFILES, BARS=BARS, OVERALL_RULE=OVERALL_RULE,
    )  # fmt: skip
    app.mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static")

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("login", getattr(request.state, "login", None))
        context.setdefault("multi_user", accounts is not None)
        return templates.TemplateResponse(request, name, context, status_code=status)

    def owned(session_id: str, viewer: Login | None) -> SessionRecord:
        """The session, if this viewer may see it; another learner's is reported missing.

        An id prefix is matched among the viewer's own sessions only, so nothing tells a
        learner that someone else's id shares it; callers go on with the full id.
        """
        return state.coach.repository.get(session_id, owners=owner_scope(viewer))

    def owner_scope(viewer: Login | None) -> list[int] | None:
        return None if viewer is None else [viewer.user.id]

    def _answer_with(status: int) -> Callable[[Request, Exception], Awaitable[Response]]:
        async def handle(request: Request, exc: Exception) -> Response:
            return _error(request, status, str(exc))

        return handle

    # the most specific class wins: a missing session or question is 404, other bad input 422
    for error_class, status in (
        (UnknownSessionError, 404),
        (UnknownQuestionError, 404),
        (InputError, 422),
        (PmloopError, 500),
    ):
        app.add_exception_handler(error_class, _answer_with(status))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 303 and exc.headers:
            return RedirectResponse(exc.headers["Location"], status_code=303)
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        message = str(first.get("msg", "invalid request"))
        return _error(request, 422, f"{where}: {message}" if where else message)

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "error.html", status=status, message=message)

    # pages ----------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, viewer: Viewer) -> HTMLResponse:
        sessions = state.coach.repository.list_sessions(limit=10, owners=owner_scope(viewer))
        return page(request, "start.html", sessions=[_summary(s) for s in sessions])

    @app.post("/sessions")
    def start_form(
        viewer: Viewer,
        company: Annotated[str, Form()] = "general",
        questions: Annotated[int, Form(ge=1, le=12)] = 4,
        minutes: Annotated[float, Form(gt=0, le=60)] = 4.0,
        competencies: Annotated[list[Competency] | None, Form()] = None,
    ) -> RedirectResponse:
        session = state.coach.start(
            LoopSettings(
                company=company,
                questions=questions,
                minutes=minutes,
                competencies=tuple(competencies or ()),
            ),
            owner_id=viewer.user.id if viewer else None,
        )
        return RedirectResponse(f"/sessions/{session.id}", status_code=303)

    @app.get("/sessions/{session_id}", response_class=HTMLResponse)
    def session_page(request: Request, session_id: str, viewer: Viewer) -> HTMLResponse:
        session_id = owned(session_id, viewer).id
        # reads only: grading, reviews and finishing happen in the POST that stores an answer
        step = state.coach.current(session_id)
        session = state.coach.repository.get(session_id)
        card = build_scorecard(session, state.coach.bank) if step is None else None
        return page(
            request,
            "session.html",
            session=session,
            thread=_thread(state.coach, session),
            step=step,
            card=card,
            radar=radar_svg(card) if card is not None else "",
        )

    @app.post("/sessions/{session_id}/draft", response_class=HTMLResponse)
    def save_draft(
        session_id: str,
        viewer: Viewer,
        question_index: Annotated[int, Form(ge=0)],
        depth: Annotated[int, Form(ge=0, le=3)],
        text: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)] = "",
    ) -> HTMLResponse:
        session_id = owned(session_id, viewer).id
        step = _expect_position(state.coach, session_id, question_index, depth)
        step.prompt.save_draft(text)
        return HTMLResponse('<span class="saved">Draft saved</span>')

    @app.post("/sessions/{session_id}/answer")
    def answer_form(
        request: Request,
        session_id: str,
        viewer: Viewer,
        question_index: Annotated[int, Form(ge=0)],
        depth: Annotated[int, Form(ge=0, le=3)],
        text: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)] = "",
        command: Annotated[str, Form(pattern="^(answer|skip)$")] = "answer",
        self_level: Annotated[str, Form(pattern="^[1-4]?$")] = "",
    ) -> Response:
        session_id = owned(session_id, viewer).id
        step = _expect_position(state.coach, session_id, question_index, depth)
        rated = int(self_level) if self_level else None
        reply = AnswerInput(text=text, command=command, self_level=rated)  # type: ignore[arg-type]
        result = state.coach.answer(step, reply)
        if result.notice:
            session = state.coach.repository.get(session_id)
            fresh = state.coach.current(session_id)
            return page(
                request, "session.html", status=422, session=session,
                thread=_thread(state.coach, session), step=fresh, card=None, radar="",
                notice=result.notice,
            )  # fmt: skip
        return RedirectResponse(f"/sessions/{session_id}#latest", status_code=303)

    @app.get("/sessions/{session_id}/report", response_class=HTMLResponse)
    def report_page(session_id: str, viewer: Viewer) -> HTMLResponse:
        session = owned(session_id, viewer)
        scope = owner_scope(viewer)
        sessions = state.coach.repository.list_sessions(owners=scope)
        trends = build_progress(sessions, until=session).trends  # history up to this session
        card = build_scorecard(session, state.coach.bank)
        return HTMLResponse(scorecard_html(card, [t for t in trends if len(t.points) > 1]))

    @app.get("/progress", response_class=HTMLResponse)
    def progress_page(request: Request, viewer: Viewer) -> HTMLResponse:
        progress = build_progress(state.coach.repository.list_sessions(owners=owner_scope(viewer)))
        chart = trend_svg(progress.trends) if progress.trends else ""
        return page(request, "progress.html", progress=progress, chart=chart)

    @app.get("/bank", response_class=HTMLResponse)
    def bank_page(request: Request, viewer: Viewer, competency: str | None = None) -> HTMLResponse:
        chosen = Competency(competency) if competency in {c.value for c in Competency} else None
        return page(request, "bank.html", questions=state.coach.bank.select(chosen), chosen=chosen)

    @app.get("/bank/{question_id}", response_class=HTMLResponse)
    def question_page(request: Request, question_id: str, viewer: Viewer) -> HTMLResponse:
        return page(request, "question.html", question=state.coach.bank.get(question_id))

    # JSON API -------------------------------------------------------------------------------
    @app.post("/api/v1/grade")
    def api_grade(body: GradeRequest, viewer: Viewer) -> dict[str, Any]:
        """Grade one answer; the response is schema pmloop.grade/1."""
        if (body.question is None) == (body.question_id is None):
            raise InputError("give exactly one of 'question' or 'question_id'")
        grade = state.coach.examiner.grade(body.answer, body.question, body.question_id)
        return grade.to_json_dict()

    @app.get("/api/v1/sessions")
    def api_sessions(viewer: Viewer) -> list[dict[str, Any]]:
        """Every session (of the signed-in learner), newest first."""
        sessions = state.coach.repository.list_sessions(owners=owner_scope(viewer))
        return [_summary(s) for s in sessions]

    @app.post("/api/v1/sessions", status_code=201)
    def api_start(body: StartRequest, viewer: Viewer) -> dict[str, Any]:
        """Start a loop; returns the session with its first prompt."""
        session = state.coach.start(
            LoopSettings(
                company=body.company,
                competencies=tuple(body.competencies),
                questions=body.questions,
                minutes=body.minutes,
                seed=body.seed,
            ),
            owner_id=viewer.user.id if viewer else None,
        )
        return _session_json(state.coach, session.id)

    @app.get("/api/v1/sessions/{session_id}")
    def api_session(session_id: str, viewer: Viewer) -> dict[str, Any]:
        """A session: its answers with grades, and the prompt it waits for."""
        return _session_json(state.coach, owned(session_id, viewer).id)

    @app.post("/api/v1/sessions/{session_id}/answers", status_code=201)
    def api_answer(session_id: str, body: AnswerRequest, viewer: Viewer) -> JSONResponse:
        """Answer (or skip) the current prompt; returns the grade and the next prompt."""
        session_id = owned(session_id, viewer).id
        step = _expect_position(state.coach, session_id, body.question_index, body.depth)
        reply = AnswerInput(text=body.text, command=body.command, self_level=body.self_level)  # type: ignore[arg-type]
        result = state.coach.answer(step, reply)
        if result.notice:
            return JSONResponse({"error": result.notice}, status_code=422)
        data = _session_json(state.coach, session_id)
        data["grade"] = result.grade.to_json_dict() if result.grade else None
        data["thread"] = result.thread.to_json_dict() if result.thread else None
        return JSONResponse(data, status_code=201)

    @app.get("/api/v1/progress")
    def api_progress(viewer: Viewer) -> dict[str, Any]:
        """Each competency's level per session, oldest first, and the weakest competency."""
        progress = build_progress(state.coach.repository.list_sessions(owners=owner_scope(viewer)))
        return _progress_json(progress)

    # the shared server: sign-in, sign-out, the coach's cohort view ------------------------
    if accounts is not None:
        _accounts = accounts

        @app.get("/login", response_class=HTMLResponse)
        def login_page(request: Request) -> HTMLResponse:
            token = secrets.token_urlsafe(24)
            response = page(request, "login.html", prelogin=token, login=None)
            response.set_cookie(
                PRELOGIN, token, httponly=True, secure=state.secure_cookies, samesite="strict"
            )
            return response

        @app.post("/login")
        def login_submit(
            request: Request,
            username: Annotated[str, Form(max_length=64)],
            password: Annotated[str, Form(max_length=1024)],
            prelogin: Annotated[str, Form(max_length=64)] = "",
        ) -> Response:
            expected = request.cookies.get(PRELOGIN, "")
            if not expected or not secrets.compare_digest(prelogin, expected):
                raise HTTPException(403, "the sign-in form is out of date; reload it")
            address = request.client.host if request.client else "unknown"
            by_user, by_address = _accounts.recent_failures(username, address)
            if by_user >= MAX_FAILURES_PER_USER or by_address >= MAX_FAILURES_PER_ADDRESS:
                raise HTTPException(429, "too many failed sign-ins; wait 15 minutes")
            signed = _accounts.sign_in(username, password, address)
            if signed is None:
                return page(request, "login.html", status=401, login=None,
                            prelogin=expected, notice="wrong username or password")  # fmt: skip
            token, _ = signed
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(
                COOKIE, token, httponly=True, secure=state.secure_cookies, samesite="lax",
                max_age=14 * 24 * 3600,
            )  # fmt: skip
            response.delete_cookie(PRELOGIN)
            return response

        @app.post("/logout")
        def logout(request: Request, viewer: Viewer) -> Response:
            _accounts.sign_out(request.cookies.get(COOKIE))
            response = RedirectResponse("/login", status_code=303)
            response.delete_cookie(COOKIE)
            return response

        def cohort_progress(viewer: Login | None) -> list[dict[str, Any]]:
            if viewer is None or viewer.user.role != "coach" or not viewer.user.cohort:
                raise HTTPException(403, "only a coach sees a cohort, and only their own")
            out = []
            for learner in _accounts.cohort(viewer.user.cohort):
                sessions = state.coach.repository.list_sessions(owners=[learner.id])
                out.append(
                    {"learner": learner.username, **_progress_json(build_progress(sessions))}
                )
            return out

        @app.get("/cohort", response_class=HTMLResponse)
        def cohort_page(request: Request, viewer: Viewer) -> HTMLResponse:
            return page(request, "cohort.html", learners=cohort_progress(viewer))

        @app.get("/api/v1/cohort")
        def api_cohort(viewer: Viewer) -> list[dict[str, Any]]:
            """A coach's view: each learner of their cohort and their progress, nothing else."""
            return cohort_progress(viewer)

    return app


def _progress_json(progress: Any) -> dict[str, Any]:
    return {
        "sessions": progress.sessions,
        "weakest": progress.weakest.value if progress.weakest else None,
        "trends": {
            t.competency.value: [
                {"session": sid, "at": at.isoformat(), "level": level}
                for at, sid, level in t.points
            ]
            for t in progress.trends
        },
    }


async def _guard(request: Request) -> Login | None:
    """The signed-in account (multi-user mode), with the CSRF check on every POST."""
    state: _State = request.app.state.pmloop
    if state.accounts is None:
        return None
    login = state.accounts.resolve(request.cookies.get(COOKIE))
    if login is None:
        if request.url.path.startswith("/api/"):
            raise HTTPException(401, "sign in first")
        raise HTTPException(303, "sign in first", headers={"Location": "/login"})
    request.state.login = login
    if request.method == "POST":
        sent = request.headers.get("x-csrf-token")
        if sent is None and "form" in request.headers.get("content-type", ""):
            sent = str((await request.form()).get("csrf", ""))
        if not sent or not secrets.compare_digest(sent, login.csrf):
            raise HTTPException(403, "the form is out of date or not from this site; reload it")
    return login


Viewer = Annotated[Login | None, Depends(_guard)]


def _expect_position(coach: Coach, session_id: str, question_index: int, depth: int) -> Step:
    step = coach.current(session_id)
    if step is None:
        raise HTTPException(409, "this session is finished")
    if (step.prompt.number - 1, step.prompt.depth) != (question_index, depth):
        raise HTTPException(
            409,
            f"this answer is for question {question_index + 1}, follow-up {depth}, but the "
            f"session is waiting for question {step.prompt.number}, follow-up {step.prompt.depth}",
        )
    return step


def _summary(session: SessionRecord) -> dict[str, Any]:
    assessed = [level for level, _ in competency_levels(session).values()]
    return {
        "id": session.id,
        "created_at": session.created_at.isoformat(),
        "company": session.company,
        "kind": session.kind,
        "status": session.status,
        "questions": len(session.plan),
        "started": len({t.question_index for t in session.turns}),
        "level": average_level(assessed) if assessed else None,
    }


def _prompt_json(step: Step | None) -> dict[str, Any] | None:
    if step is None:
        return None
    p = step.prompt
    return {
        "question_index": p.number - 1,
        "depth": p.depth,
        "question_id": p.question.id,
        "text": p.text,
        "kind": p.kind,
        "scenario": p.question.scenario if p.depth == 0 else None,
        "draft": p.draft,
        "minutes": p.minutes,
    }


def _session_json(coach: Coach, session_id: str) -> dict[str, Any]:
    step = coach.current(session_id)
    session = coach.repository.get(session_id)
    data = _summary(session)
    data["plan"] = session.plan
    data["answers"] = [
        {
            "question_index": t.question_index,
            "depth": t.depth,
            "prompt": t.prompt,
            "kind": t.probe_kind,
            "answer": t.answer,
            "skipped": t.skipped,
            "level": t.level,
            "grade": t.grade,
        }
        for t in session.turns
    ]
    data["next"] = _prompt_json(step)
    return data


@dataclass(frozen=True)
class _ThreadItem:
    number: int
    depth: int
    question: Question
    prompt: str
    kind: str
    skipped: bool
    answer_html: str
    grade: Grade | None
    thread: Grade | None = None  # the question's grade up to this answer
    self_level: int | None = None  # the level the candidate predicted


def _thread(coach: Coach, session: SessionRecord) -> list[_ThreadItem]:
    items = []
    threads = {p.turn.id: p for question in coach.threads(session) for p in question}
    for turn in session.turns:
        played = threads.get(turn.id)
        grade = Grade.model_validate(turn.grade) if turn.grade else None
        evidence = [e.quote for c in grade.competencies for e in c.evidence] if grade else []
        evidence += [q for s in grade.signals for q in s.quotes] if grade else []
        flags = [(FLAGS[f.id].title, f.quote) for f in grade.flags] if grade else []
        items.append(
            _ThreadItem(
                number=turn.question_index + 1,
                depth=turn.depth,
                question=coach.bank.get(turn.question_id),
                prompt=turn.prompt,
                kind=turn.probe_kind,
                skipped=turn.skipped,
                answer_html=highlight_answer(turn.answer, evidence, flags),
                grade=grade,
                thread=played.thread if played is not None else None,
                self_level=turn.self_level,
            )
        )
    return items
