"""The local web app: FastAPI pages (Jinja2 + HTMX) and a JSON API under /api/v1.

A thin shell: every decision is the coach's, every number the grader's, every page a view of
what the store holds. Nothing here is reachable that a library test could not reach.

``create_app`` only assembles: the state the dependencies hand out (``_context``), the
middleware and error handlers below, and the routers by concern: pages (``_pages``), the JSON
API (``_api``) and, on the shared server, accounts (``_auth``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from pmloop.coach import Coach
from pmloop.errors import (
    AnswerExistsError,
    InputError,
    PmloopError,
    StoreError,
    UnknownQuestionError,
    UnknownSessionError,
)
from pmloop.grading import Examiner
from pmloop.store import Accounts, Repository, open_repository
from pmloop.web import _api, _auth, _pages
from pmloop.web._context import WebState
from pmloop.web._local import LocalOrigin
from pmloop.web._render import CSP, SECURITY_HEADERS, error_response, make_templates, package_dir

__all__ = ["create_app"]

_log = logging.getLogger("pmloop.web")
#: Seconds a client is asked to wait when the database does not answer.
RETRY_AFTER = 5


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
    app = FastAPI(
        title="pmloop",
        version="1",
        description="Practise AI PM interview loops: questions, follow-ups, graded feedback.",
        dependencies=[Depends(_no_nul)],
        # Swagger UI and ReDoc load their code from a CDN: off; the schema is served by the API
        # router, to signed-in users only on the shared server
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.pmloop = WebState(
        coach=Coach(examiner or Examiner(), repository),
        repository=repository,
        accounts=accounts,
        secure_cookies=secure_cookies,
        templates=make_templates(),
    )
    app.mount("/static", StaticFiles(directory=str(package_dir("static"))), name="static")
    _guard_local(app, LocalOrigin(*bound) if bound else LocalOrigin(), multi_user)
    _handle_errors(app)
    app.include_router(_pages.router)
    app.include_router(_api.router)
    app.include_router(_api.schema_router)
    if multi_user:
        app.include_router(_auth.router)
    return app


def _guard_local(app: FastAPI, local: LocalOrigin, multi_user: bool) -> None:
    """The Host and Origin checks of a local server, and the headers of every response."""

    @app.middleware("http")
    async def _local_only(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not multi_user:  # the shared server relies on its sign-in and CSRF tokens
            problem = local.host_problem(request)
            if problem is not None:
                return error_response(request, 421, problem)
            problem = local.origin_problem(request)
            if problem is not None:
                return error_response(request, 403, problem)
        return await call_next(request)

    @app.middleware("http")  # added last, so it wraps everything else, errors included
    async def _security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            response = await call_next(request)
        except Exception:  # noqa: BLE001 - anything unforeseen: logged, and a readable answer
            _log.exception("unexpected error answering %s %s", request.method, request.url.path)
            response = error_response(request, 500, "something went wrong on the server; try again")
        response.headers.setdefault("Content-Security-Policy", CSP)
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response


def _answer_with(status: int) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, exc: Exception) -> Response:
        return error_response(request, status, str(exc))

    return handle


def _handle_errors(app: FastAPI) -> None:
    """Every error a readable answer: JSON under /api, the error page elsewhere."""
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
        response = error_response(
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
        response = error_response(
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
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        message = str(first.get("msg", "invalid request"))
        return error_response(request, 422, f"{where}: {message}" if where else message)


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
