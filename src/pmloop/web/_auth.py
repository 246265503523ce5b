"""The shared server's accounts: sign-in, sign-out, and a coach's view of their cohort.

This router is included only with ``multi_user``; a local server has no such routes.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pmloop.report import build_progress
from pmloop.store import Accounts, Login, Repository, Throttled
from pmloop.web._context import (
    COOKIE,
    PRELOGIN,
    AccountsDep,
    RepositoryDep,
    StateDep,
    Viewer,
    same_token,
)
from pmloop.web._models import API_ERRORS, CohortLearner
from pmloop.web._render import page
from pmloop.web._views import progress_body

__all__ = ["router"]

router = APIRouter()


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, state: StateDep) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", prelogin=token, login=None)
    response.set_cookie(
        PRELOGIN, token, httponly=True, secure=state.secure_cookies, samesite="strict"
    )
    return response


@router.post("/login", include_in_schema=False)
def login_submit(
    request: Request,
    state: StateDep,
    accounts: AccountsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    prelogin: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    expected = request.cookies.get(PRELOGIN, "")
    if not same_token(prelogin, expected):
        raise HTTPException(403, "the sign-in form is out of date; reload it")
    # the TCP peer; a proxy's X-Forwarded-For only where serve --forwarded-allow-ips names that
    # proxy (uvicorn then rewrites the peer)
    address = request.client.host if request.client else "unknown"
    signed = accounts.sign_in(username, password, address)
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


@router.post("/logout", include_in_schema=False)
def logout(request: Request, viewer: Viewer, accounts: AccountsDep) -> Response:
    accounts.sign_out(request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _cohort(
    viewer: Login | None, accounts: Accounts, repository: Repository
) -> list[CohortLearner]:
    if viewer is None or viewer.user.role != "coach" or not viewer.user.cohort:
        raise HTTPException(403, "only a coach sees a cohort, and only their own")
    return [
        CohortLearner(
            learner=learner.username,
            **dict(progress_body(build_progress(repository.list_sessions(owners=[learner.id])))),
        )
        for learner in accounts.cohort(viewer.user.cohort)
    ]


@router.get("/cohort", response_class=HTMLResponse, include_in_schema=False)
def cohort_page(
    request: Request, viewer: Viewer, accounts: AccountsDep, repository: RepositoryDep
) -> HTMLResponse:
    learners = [c.model_dump(mode="json") for c in _cohort(viewer, accounts, repository)]
    return page(request, "cohort.html", learners=learners)


@router.get("/api/v1/cohort", responses=API_ERRORS)
def api_cohort(
    viewer: Viewer, accounts: AccountsDep, repository: RepositoryDep
) -> list[CohortLearner]:
    """A coach's view: each learner of their cohort and their progress, nothing else."""
    return _cohort(viewer, accounts, repository)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
