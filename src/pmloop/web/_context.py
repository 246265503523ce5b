"""What the routes depend on: the app's state, the viewer, the coach and the repository.

Each is a FastAPI dependency, so a route names what it needs in its signature and never
reaches through one object for another. The viewer dependency is also the gate: on the shared
server it requires a sign-in and checks the CSRF token of every POST; on a local server it
checks the token a form carries.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from pmloop.bank import Bank
from pmloop.coach import Coach
from pmloop.store import Accounts, Login, Repository, SessionRecord

__all__ = [
    "COOKIE",
    "CSRF_COOKIE",
    "PRELOGIN",
    "AccountsDep",
    "BankDep",
    "CoachDep",
    "OwnedSession",
    "RepositoryDep",
    "StateDep",
    "Viewer",
    "WebState",
    "is_api",
    "owner_scope",
    "same_token",
    "web_state",
]

COOKIE = "pmloop_login"
PRELOGIN = "pmloop_prelogin"
#: Single-user mode: the CSRF token a page's forms carry, also kept in this cookie.
CSRF_COOKIE = "pmloop_csrf"


@dataclass
class WebState:
    """Everything one app serves from, built once by ``create_app``."""

    coach: Coach
    repository: Repository
    accounts: Accounts | None
    secure_cookies: bool
    templates: Jinja2Templates

    @property
    def multi_user(self) -> bool:
        """True on the shared (coaching) server."""
        return self.accounts is not None


def web_state(request: Request) -> WebState:
    """The state of the app answering this request."""
    return cast(WebState, request.app.state.pmloop)


StateDep = Annotated[WebState, Depends(web_state)]


def _coach(state: StateDep) -> Coach:
    return state.coach


def _repository(state: StateDep) -> Repository:
    return state.repository


def _bank(state: StateDep) -> Bank:
    return state.coach.bank


def _accounts(state: StateDep) -> Accounts:
    if state.accounts is None:  # the routes that need it exist on the shared server only
        raise HTTPException(404, "this server has no accounts")
    return state.accounts


CoachDep = Annotated[Coach, Depends(_coach)]
RepositoryDep = Annotated[Repository, Depends(_repository)]
BankDep = Annotated[Bank, Depends(_bank)]
AccountsDep = Annotated[Accounts, Depends(_accounts)]


def is_api(request: Request) -> bool:
    """True for the JSON routes, whose errors are JSON too."""
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def same_token(sent: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two tokens (any text; never an error)."""
    if not sent or not expected:
        return False
    return secrets.compare_digest(sent.encode(), expected.encode())


async def current_viewer(request: Request, state: StateDep) -> Login | None:
    """The signed-in account (multi-user mode), with the CSRF check on every POST."""
    if state.accounts is None:
        # one person, no sign-in: a form must carry the token its page was given (the Host and
        # Origin checks of the middleware come first)
        if request.method == "POST" and "form" in request.headers.get("content-type", ""):
            given = str((await request.form()).get("csrf", ""))
            if not same_token(given, request.cookies.get(CSRF_COOKIE)):
                raise HTTPException(403, "the form is out of date or not from this page; reload it")
        return None
    login = state.accounts.resolve(request.cookies.get(COOKIE))
    if login is None:
        if is_api(request):
            raise HTTPException(401, "sign in first")
        raise HTTPException(303, "sign in first", headers={"Location": "/login"})
    request.state.login = login
    if request.method == "POST":
        sent = request.headers.get("x-csrf-token")
        if sent is None and "form" in request.headers.get("content-type", ""):
            sent = str((await request.form()).get("csrf", ""))
        if not same_token(sent, login.csrf):
            raise HTTPException(403, "the form is out of date or not from this site; reload it")
    return login


Viewer = Annotated[Login | None, Depends(current_viewer)]


def owner_scope(viewer: Login | None) -> list[int] | None:
    """Whose sessions this viewer sees: their own on the shared server, all on a local one."""
    return None if viewer is None else [viewer.user.id]


def owned_session(session_id: str, viewer: Viewer, repository: RepositoryDep) -> SessionRecord:
    """The session, if this viewer may see it; another learner's is reported missing.

    An id prefix is matched among the viewer's own sessions only, so nothing tells a learner
    that someone else's id shares it; routes go on with the record's full id.
    """
    return repository.get(session_id, owners=owner_scope(viewer))


OwnedSession = Annotated[SessionRecord, Depends(owned_session)]
