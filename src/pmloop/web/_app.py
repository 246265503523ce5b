"""The local web app: FastAPI pages (Jinja2 + HTMX) and a JSON API under /api/v1.

A thin shell: every decision is the coach's, every number the grader's, every page a view of
what the store holds. Nothing here is reachable that a library test could not reach.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from pmloop.bank import Question
from pmloop.coach import Answered, AnswerInput, Coach, LoopSettings, Step
from pmloop.errors import (
    AnswerExistsError,
    InputError,
    PmloopError,
    StoreError,
    UnknownQuestionError,
    UnknownSessionError,
)
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
from pmloop.store import Accounts, Login, Repository, SessionRecord, Throttled, open_repository
from pmloop.vocabulary import BARS, COMPETENCIES, FLAGS, Competency, Level
from pmloop.web._local import LocalOrigin

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
#: Single-user mode: the CSRF token a page's forms carry, also kept in this cookie.
CSRF_COOKIE = "pmloop_csrf"
#: the deepest answer position: a roleplay runs up to 8 turns (depths 0-7)
MAX_DEPTH = 7
#: Every response may load scripts, styles and images from this server only, run no inline
#: script, and be framed by nobody; the standalone report adds the hash of its own style block.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_log = logging.getLogger("pmloop.web")
#: An idempotency key: what a UUID or a random token is made of.
_KEY = re.compile(r"[A-Za-z0-9._:-]{1,64}")
#: Seconds a client is asked to wait when the database does not answer.
RETRY_AFTER = 5


def _idempotency_key(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _KEY.fullmatch(value):
        raise InputError(
            "an idempotency key has 1 to 64 characters: letters, digits and . _ : - (a UUID does)"
        )
    return value


def _csp_with_styles(html: str) -> str:
    """The policy, also allowing the inline ``<style>`` blocks of ``html`` by their hashes."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    ]
    return CSP.replace("style-src 'self'", " ".join(["style-src 'self'", *hashes]))


def _same_token(sent: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two tokens (any text; never an error)."""
    if not sent or not expected:
        return False
    return secrets.compare_digest(sent.encode(), expected.encode())


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
    depth: int = Field(
        ge=0,
        le=MAX_DEPTH,
        description="0 for the question, then 1-3 for follow-ups; a roleplay's later turns go "
        "to its stakeholder's max_turns - 1 (at most 7). The session's `next` says which.",
    )
    text: str = Field(default="", max_length=MAX_ANSWER_CHARS, description="The answer.")
    command: str = Field(default="answer", pattern="^(answer|skip)$", description="answer/skip.")
    idempotency_key: str | None = Field(
        default=None,
        description="Your name for this submission (or the Idempotency-Key header): sent again, "
        "after a timeout or an error, it returns the stored answer instead of a conflict.",
    )
    self_level: int | None = Field(
        default=None, ge=1, le=4, description="The level you predict for it (self-calibration)."
    )


class AskRequest(BaseModel):
    """An ask put to an ambiguity question's interviewer before answering."""

    question_index: int = Field(ge=0, description="0-based question the ask is for.")
    depth: int = Field(default=0, ge=0, le=MAX_DEPTH, description="The current prompt's depth.")
    text: str = Field(max_length=500, description="The ask, in plain words.")


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
    bound: tuple[str, int] | None = None,
) -> FastAPI:
    """Build the app over a grader and a store (defaults: the packaged bank, PMLOOP_HOME).

    With ``multi_user`` every page and API route needs a signed-in account, every state-changing
    request carries the sign-in's CSRF token, and each learner sees only their own sessions;
    a coach also sees the progress of the learners in their cohort.

    Without it (one person, on their own machine) the app answers only to 127.0.0.1, localhost,
    [::1] and the address in ``bound`` (host, port: what ``pmloop serve`` listens on; any port
    when not given), takes changes only from its own pages, and its forms carry a CSRF token.
    """
    repository = repository or open_repository()
    accounts = Accounts(repository.engine) if multi_user else None
    state = _State(Coach(examiner or Examiner(), repository), accounts, secure_cookies)
    app = FastAPI(
        title="pmloop",
        version="1",
        description="Practise AI PM interview loops: questions, follow-ups, graded feedback.",
        dependencies=[Depends(_no_nul)],
        # Swagger UI and ReDoc load their code from a CDN: off; the schema is served below,
        # to signed-in users only on the shared server
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.pmloop = state
    templates = Jinja2Templates(directory=str(_package_dir("templates")))
    templates.env.globals.update(
        COMPETENCIES=COMPETENCIES, FLAGS=FLAGS, Level=Level, level_name=level_name,
        PROFILES=PROFILES, BARS=BARS, OVERALL_RULE=OVERALL_RULE,
    )  # fmt: skip
    app.mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static")

    local = LocalOrigin(*bound) if bound else LocalOrigin()

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        login = context.setdefault("login", getattr(request.state, "login", None))
        context.setdefault("multi_user", accounts is not None)
        fresh = None
        if login is not None:
            csrf = login.csrf
        else:
            csrf = request.cookies.get(CSRF_COOKIE, "")
            if accounts is None and not (32 <= len(csrf) <= 64 and csrf.isascii()):
                csrf = fresh = secrets.token_urlsafe(32)
        context.setdefault("csrf", csrf)
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if fresh is not None:
            response.set_cookie(
                CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                secure=request.url.scheme == "https",
            )  # fmt: skip
        return response

    @app.middleware("http")
    async def _local_only(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if accounts is None:  # the shared server relies on its sign-in and CSRF tokens
            problem = local.host_problem(request)
            if problem is not None:
                return _error(request, 421, problem)
            problem = local.origin_problem(request)
            if problem is not None:
                return _error(request, 403, problem)
        return await call_next(request)

    @app.middleware("http")  # added last, so it wraps everything else, errors included
    async def _security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            response = await call_next(request)
        except Exception:  # noqa: BLE001 - anything unforeseen: logged, and a readable answer
            _log.exception("unexpected error answering %s %s", request.method, request.url.path)
            response = _error(request, 500, "something went wrong on the server; try again")
        response.headers.setdefault("Content-Security-Policy", CSP)
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response

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

    # the most specific class wins: a missing session or question is 404, an answer that lost a
    # race to the same question 409, other bad input 422
    for error_class, status in (
        (AnswerExistsError, 409),
        (UnknownSessionError, 404),
        (UnknownQuestionError, 404),
        (InputError, 422),
        (PmloopError, 500),
    ):
        app.add_exception_handler(error_class, _answer_with(status))

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(DisconnectionError)
    async def _unavailable(request: Request, exc: Exception) -> Response:
        # Postgres restarting or unreachable, a disk that is full, a database locked too long
        _log.warning("database unavailable for %s %s: %s", request.method, request.url.path, exc)
        response = _error(
            request, 503,
            "the session database is not answering (it may be restarting, or its disk is full); "
            f"try again in {RETRY_AFTER} seconds. Your answer is safe to send again: with the "
            "same idempotency key it is never stored twice.",
        )  # fmt: skip
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: Exception) -> Response:
        # the store said in its own words why it cannot be written (a full or read-only disk)
        _log.warning("store unavailable for %s %s: %s", request.method, request.url.path, exc)
        response = _error(
            request, 503,
            f"the session database is not answering ({exc}); try again in {RETRY_AFTER} "
            "seconds. Your answer is safe to send again: with the same idempotency key it is "
            "never stored twice.",
        )  # fmt: skip
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 303 and exc.headers:
            return RedirectResponse(exc.headers["Location"], status_code=303)
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path.replace(chr(0), '')}"
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        message = str(first.get("msg", "invalid request"))
        return _error(request, 422, f"{where}: {message}" if where else message)

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
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

    def replayed(session_id: str, index: int, depth: int, key: str | None, text: str,
                 command: str) -> bool:  # fmt: skip
        """True when this submission, by its key, is already stored (and graded by now)."""
        if key is None:
            return False
        turn = state.coach.repository.get(session_id).turn(index, depth)
        if turn is None or turn.idempotency_key != key:
            return False
        if turn.answer != text or turn.skipped != (command == "skip"):
            raise HTTPException(
                409, "this idempotency key came before with a different answer; a new answer "
                "needs a new key",
            )  # fmt: skip
        state.coach.settle(session_id)  # stores its grade, if grading was cut short
        return True

    def submit(session_id: str, index: int, depth: int, text: str, command: str,
               key: str | None, self_level: int | None = None) -> Answered | None:  # fmt: skip
        """Store and grade an answer; None when it is a retry of one already stored."""
        if replayed(session_id, index, depth, key, text, command):
            return None
        step = _expect_position(state.coach, session_id, index, depth)
        reply = AnswerInput(text=text, command=command, self_level=self_level)  # type: ignore[arg-type]
        try:
            return state.coach.answer(step, reply, idempotency_key=key)
        except AnswerExistsError:
            # the same submission, sent twice at once, was stored by the other request
            if replayed(session_id, index, depth, key, text, command):
                return None
            raise

    def session_view(request: Request, session_id: str, status: int = 200,
                     notice: str | None = None) -> HTMLResponse:  # fmt: skip
        # reads only: grading, reviews and finishing happen in the POST that stores an answer
        step = state.coach.current(session_id)
        session = state.coach.repository.get(session_id)
        card = build_scorecard(session, state.coach.bank) if step is None else None
        return page(
            request, "session.html", status=status, session=session,
            thread=_thread(state.coach, session), step=step, card=card,
            found={i: state.coach.discovery(session, i) for i in range(len(session.plan))},
            radar=radar_svg(card) if card is not None else "", notice=notice,
            # a new key each time the form is shown: sending it again is the same submission
            submission_key=secrets.token_urlsafe(16),
        )  # fmt: skip

    @app.get("/sessions/{session_id}", response_class=HTMLResponse)
    def session_page(request: Request, session_id: str, viewer: Viewer) -> HTMLResponse:
        session_id = owned(session_id, viewer).id
        return session_view(request, session_id)

    @app.post("/sessions/{session_id}/draft", response_class=HTMLResponse)
    def save_draft(
        session_id: str,
        viewer: Viewer,
        question_index: Annotated[int, Form(ge=0)],
        depth: Annotated[int, Form(ge=0, le=MAX_DEPTH)],
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
        depth: Annotated[int, Form(ge=0, le=MAX_DEPTH)],
        text: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)] = "",
        command: Annotated[str, Form(pattern="^(answer|skip)$")] = "answer",
        idempotency_key: Annotated[str | None, Form(max_length=64)] = None,
        self_level: Annotated[str, Form(pattern="^[1-4]?$")] = "",
    ) -> Response:
        session_id = owned(session_id, viewer).id
        key = _idempotency_key(idempotency_key)
        rated = int(self_level) if self_level else None
        result = submit(session_id, question_index, depth, text, command, key, rated)
        if result is not None and result.notice:
            return session_view(request, session_id, status=422, notice=result.notice)
        return RedirectResponse(f"/sessions/{session_id}#latest", status_code=303)

    @app.post("/sessions/{session_id}/ask")
    def ask_form(
        request: Request,
        session_id: str,
        viewer: Viewer,
        question_index: Annotated[int, Form(ge=0)],
        depth: Annotated[int, Form(ge=0, le=MAX_DEPTH)],
        ask: Annotated[str, Form(max_length=500)] = "",
        text: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)] = "",
    ) -> Response:
        session_id = owned(session_id, viewer).id
        step = _expect_position(state.coach, session_id, question_index, depth)
        if text.strip():
            step.prompt.save_draft(text)  # the answer typed so far is kept beside the ask
        try:
            state.coach.ask(step, ask)
        except InputError as exc:
            return session_view(request, session_id, status=422, notice=str(exc))
        return RedirectResponse(f"/sessions/{session_id}#current", status_code=303)

    @app.get("/sessions/{session_id}/report", response_class=HTMLResponse)
    def report_page(session_id: str, viewer: Viewer) -> HTMLResponse:
        session = owned(session_id, viewer)
        scope = owner_scope(viewer)
        sessions = state.coach.repository.list_sessions(owners=scope)
        trends = build_progress(sessions, until=session).trends  # history up to this session
        card = build_scorecard(session, state.coach.bank)
        html = scorecard_html(card, [t for t in trends if len(t.points) > 1])
        return HTMLResponse(html, headers={"Content-Security-Policy": _csp_with_styles(html)})

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
    @app.get("/openapi.json", include_in_schema=False)
    def openapi_schema(viewer: Viewer) -> dict[str, Any]:
        """The OpenAPI schema of this API (on the shared server, for signed-in users)."""
        return app.openapi()

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
        session_id = owned(session_id, viewer).id
        return _session_json(state.coach, session_id)

    @app.post("/api/v1/sessions/{session_id}/answers", status_code=201)
    def api_answer(
        session_id: str,
        body: AnswerRequest,
        viewer: Viewer,
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> JSONResponse:
        """Answer (or skip) the current prompt; returns the grade and the next prompt.

        With an idempotency key (the ``Idempotency-Key`` header or the ``idempotency_key``
        field), sending the same answer again returns the stored result (201, with the header
        ``Idempotent-Replayed: true``) instead of a 409: safe after a timeout or a 503.
        """
        session_id = owned(session_id, viewer).id
        key = _idempotency_key(idempotency_key or body.idempotency_key)
        result = submit(
            session_id, body.question_index, body.depth, body.text, body.command, key,
            body.self_level,
        )  # fmt: skip
        if result is not None and result.notice:
            return JSONResponse({"error": result.notice}, status_code=422)
        data = _session_json(state.coach, session_id)
        if result is None:
            stored = state.coach.repository.get(session_id).turn(body.question_index, body.depth)
            data["grade"] = stored.grade if stored else None
            return JSONResponse(data, status_code=201, headers={"Idempotent-Replayed": "true"})
        data["grade"] = result.grade.to_json_dict() if result.grade else None
        data["thread"] = result.thread.to_json_dict() if result.thread else None
        if result.stakeholder is not None:  # roleplay: the reply and where the talk stands
            said = result.stakeholder
            data["stakeholder"] = {"says": said.says, "met": said.met, "outcome": said.outcome}
        if result.discovery is not None:  # ambiguity: which facts came before the call
            data["discovery"] = result.discovery
        return JSONResponse(data, status_code=201)

    @app.post("/api/v1/sessions/{session_id}/asks", status_code=201)
    def api_ask(session_id: str, body: AskRequest, viewer: Viewer) -> dict[str, Any]:
        """Ask an ambiguity question's interviewer: the fact it matches, or "We don't know
        that." (``fact_id`` null). Ask before answering; the ask is stored with the question."""
        session_id = owned(session_id, viewer).id
        step = _expect_position(state.coach, session_id, body.question_index, body.depth)
        asked = state.coach.ask(step, body.text)
        return {"fact_id": asked.fact_id, "reply": asked.reply}

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
            if not _same_token(prelogin, expected):
                raise HTTPException(403, "the sign-in form is out of date; reload it")
            # the TCP peer; a proxy's X-Forwarded-For only where serve --forwarded-allow-ips
            # names that proxy (uvicorn then rewrites the peer)
            address = request.client.host if request.client else "unknown"
            signed = _accounts.sign_in(username, password, address)
            if isinstance(signed, Throttled):
                refused = page(
                    request, "login.html", status=429, login=None, prelogin=expected,
                    notice=f"too many failed sign-ins for '{username}' from your address: "
                    f"try again in {_duration(signed.retry_after)}",
                )  # fmt: skip
                refused.headers["Retry-After"] = str(signed.retry_after)
                return refused
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


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


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


def _nul_in(value: Any, where: str) -> str | None:
    """Where the first NUL character is in parsed JSON (a key or a string), if anywhere."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if not isinstance(value, dict | list):
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        place = f"{where}.{key}" if where else str(key)
        if "\x00" in str(key):
            return place.replace("\x00", "")
        found = _nul_in(item, place)
        if found:
            return found
    return None


async def _no_nul(request: Request) -> None:
    """Refuse a NUL character in any text a request carries (address, query, form, JSON).

    Postgres cannot store one in a text column, and no answer, name or id needs one; refused
    here, every route answers 422 with where it was, before anything reads the database.
    """
    where: str | None = None
    if "\x00" in request.url.path:
        where = "the address"
    elif any("\x00" in k + v for k, v in request.query_params.multi_items()):
        where = "the query string"
    elif request.method not in ("GET", "HEAD", "OPTIONS"):
        kind = request.headers.get("content-type", "")
        if "form" in kind:
            for key, value in (await request.form()).multi_items():
                if "\x00" in key or (isinstance(value, str) and "\x00" in value):
                    where = f"the field '{key.replace(chr(0), '')}'"
                    break
        elif not kind or "json" in kind:
            try:
                data = await request.json()
            except ValueError:  # not JSON: the route's own validation says so
                data = None
            found = _nul_in(data, "")
            where = f"the field '{found}'" if found else None
    if where is not None:
        raise InputError(
            f"{where} contains a NUL character (\\x00), which pmloop does not store; remove it"
        )


async def _guard(request: Request) -> Login | None:
    """The signed-in account (multi-user mode), with the CSRF check on every POST."""
    state: _State = request.app.state.pmloop
    if state.accounts is None:
        # one person, no sign-in: a form must carry the token its page was given (the Host and
        # Origin checks of the middleware come first)
        if request.method == "POST" and "form" in request.headers.get("content-type", ""):
            given = str((await request.form()).get("csrf", ""))
            if not _same_token(given, request.cookies.get(CSRF_COOKIE)):
                raise HTTPException(403, "the form is out of date or not from this page; reload it")
        return None
    login = state.accounts.resolve(request.cookies.get(COOKIE))
    if login is None:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            raise HTTPException(401, "sign in first")
        raise HTTPException(303, "sign in first", headers={"Location": "/login"})
    request.state.login = login
    if request.method == "POST":
        sent = request.headers.get("x-csrf-token")
        if sent is None and "form" in request.headers.get("content-type", ""):
            sent = str((await request.form()).get("csrf", ""))
        if not _same_token(sent, login.csrf):
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
        "format": p.question.format.value,
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
