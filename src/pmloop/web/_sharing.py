"""Sharing one session with a coach: read-only links, and comments pinned to quoted spans.

The learner creates and revokes links from the session page or the API. A link is
``/shared/{token}``: 256 random bits, of which the store keeps only the SHA-256. Whoever holds
it sees that one session's questions, answers and levels, and may leave comments, nothing else:
the shared page has no navigation, names no session id, and links nowhere. On a local server
it opens without an account; on the shared (coaching) server it needs a sign-in, any account,
and comments carry that account's name. A revoked or expired link answers 404, like a link
that never existed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from pmloop.coach import Coach
from pmloop.errors import InputError
from pmloop.grading import Grade
from pmloop.store import (
    MAX_COMMENT_CHARS,
    CommentRecord,
    Login,
    Repository,
    SessionRecord,
    ShareRecord,
    Shares,
    TooManyComments,
    utcnow,
)
from pmloop.vocabulary import Level
from pmloop.web._context import (
    CoachDep,
    OwnedSession,
    RepositoryDep,
    SharesDep,
    Viewer,
)
from pmloop.web._models import API_ERRORS
from pmloop.web._pages import session_view
from pmloop.web._render import page

__all__ = ["CommentBody", "ShareBody", "ShareCreated", "ShareRequest", "router"]

router = APIRouter()


class ShareRequest(BaseModel):
    """A new link: how long it opens (omit for until revoked)."""

    days: float | None = Field(default=None, gt=0, le=365, description="Days it opens.")


class ShareBody(BaseModel):
    """A link to a session (its token is shown only when it is created)."""

    id: int = Field(description="The link's number within its session.")
    created_at: datetime
    expires_at: datetime | None = Field(description="When it stops opening; null: never.")
    revoked_at: datetime | None = Field(description="When the learner revoked it.")
    open: bool = Field(description="Whether it opens now.")

    @classmethod
    def of(cls, share: ShareRecord) -> ShareBody:
        return cls(
            id=share.id,
            created_at=share.created_at,
            expires_at=share.expires_at,
            revoked_at=share.revoked_at,
            open=share.open_at(utcnow()),
        )


class ShareCreated(ShareBody):
    """A new link, with its address: the only time the token is shown."""

    token: str = Field(description="The link's secret; only its hash is stored.")
    path: str = Field(description="The shared page, /shared/{token}, on this server.")


class CommentBody(BaseModel):
    """A coach's comment on the span ``quote`` = ``answer[start:end]`` of one answer."""

    question_index: int = Field(description="0-based question of the answer.")
    depth: int = Field(description="0 the answer to the question, then follow-ups.")
    author: str
    start: int = Field(description="Character offset of the span in the answer.")
    end: int = Field(description="Character offset just after the span.")
    quote: str = Field(description="The span, verbatim.")
    body: str = Field(description="The comment.")
    created_at: datetime

    @classmethod
    def of(cls, comment: CommentRecord) -> CommentBody:
        return cls(
            question_index=comment.question_index,
            depth=comment.depth,
            author=comment.author,
            start=comment.start,
            end=comment.end,
            quote=comment.quote,
            body=comment.body,
            created_at=comment.created_at,
        )


def _days(value: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise InputError("a link lives a number of days, or until revoked") from None


# the learner's side: their own session's links -----------------------------------------------
@router.post("/sessions/{session_id}/shares", response_class=HTMLResponse)
def create_share_form(
    request: Request,
    session: OwnedSession,
    coach: CoachDep,
    repository: RepositoryDep,
    shares: SharesDep,
    days: Annotated[str, Form(max_length=8)] = "",
) -> HTMLResponse:
    token, _ = shares.create(session.id, _days(days))
    # shown on this page once: only its hash is kept
    return session_view(request, coach, repository, session.id, new_link=f"/shared/{token}")


@router.post("/sessions/{session_id}/shares/{share_id}/revoke")
def revoke_share_form(session: OwnedSession, share_id: int, shares: SharesDep) -> Response:
    shares.revoke(session.id, share_id)
    return RedirectResponse(f"/sessions/{session.id}#share", status_code=303)


@router.post(
    "/api/v1/sessions/{session_id}/shares", status_code=201, responses=API_ERRORS, tags=["shares"]
)
def api_create_share(body: ShareRequest, session: OwnedSession, shares: SharesDep) -> ShareCreated:
    """Create a read-only link to this session for a coach; its token is shown only here."""
    token, share = shares.create(session.id, body.days)
    return ShareCreated(**dict(ShareBody.of(share)), token=token, path=f"/shared/{token}")


@router.get("/api/v1/sessions/{session_id}/shares", responses=API_ERRORS, tags=["shares"])
def api_shares(session: OwnedSession, shares: SharesDep) -> list[ShareBody]:
    """Every link made for this session, newest first, revoked and expired ones included."""
    return [ShareBody.of(s) for s in shares.of_session(session.id)]


@router.delete(
    "/api/v1/sessions/{session_id}/shares/{share_id}", responses=API_ERRORS, tags=["shares"]
)
def api_revoke_share(session: OwnedSession, share_id: int, shares: SharesDep) -> ShareBody:
    """Revoke a link: from now on it answers 404. Revoking it again changes nothing."""
    return ShareBody.of(shares.revoke(session.id, share_id))


@router.get("/api/v1/sessions/{session_id}/comments", responses=API_ERRORS, tags=["shares"])
def api_comments(session: OwnedSession, shares: SharesDep) -> list[CommentBody]:
    """The coaches' comments on this session's answers, in the answers' order."""
    return [CommentBody.of(c) for c in shares.comments(session.id)]


# the coach's side: one session through its link ----------------------------------------------
def _closed(request: Request) -> HTMLResponse:
    """The answer to a link that does not open: 404, on a page that leads nowhere either."""
    response = page(request, "shared.html", status=404, closed=True)
    response.headers["Cache-Control"] = "no-store"
    return response


def _shared_page(
    request: Request,
    coach: Coach,
    repository: Repository,
    shares: Shares,
    share: ShareRecord,
    token: str,
    viewer: Login | None,
    status: int = 200,
    notice: str | None = None,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    session = repository.get(share.session_id)
    response = page(
        request, "shared.html", status=status, token=token, notice=notice, typed=typed or {},
        items=_answers(coach, session), comments=shares.comments(session.id),
        created_at=session.created_at, author=viewer.user.username if viewer else None,
        max_comment=MAX_COMMENT_CHARS,
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _answers(coach: Coach, session: SessionRecord) -> list[dict[str, object]]:
    """What the coach sees of each answer: the prompt, the answer and its level."""
    items: list[dict[str, object]] = []
    for turn in session.turns:
        question = coach.bank.get(turn.question_id)
        grade = Grade.model_validate(turn.grade) if turn.grade else None
        items.append(
            {
                "position": f"{turn.question_index}-{turn.depth}",
                "label": f"Question {turn.question_index + 1}"
                + (f", follow-up {turn.depth}" if turn.depth else ""),
                "scenario": question.scenario if turn.depth == 0 else None,
                "prompt": turn.prompt,
                "answer": turn.answer,
                "skipped": turn.skipped,
                "level": Level(grade.level).title if grade else None,
                "question_index": turn.question_index,
                "depth": turn.depth,
            }
        )
    return items


@router.get("/shared/{token}", response_class=HTMLResponse, include_in_schema=False)
def shared_page(
    request: Request,
    token: str,
    viewer: Viewer,
    coach: CoachDep,
    repository: RepositoryDep,
    shares: SharesDep,
) -> HTMLResponse:
    share = shares.open(token)
    if share is None:
        return _closed(request)
    return _shared_page(request, coach, repository, shares, share, token, viewer)


@router.post("/shared/{token}/comments", response_class=HTMLResponse, include_in_schema=False)
def comment_form(
    request: Request,
    token: str,
    viewer: Viewer,
    coach: CoachDep,
    repository: RepositoryDep,
    shares: SharesDep,
    answer: Annotated[str, Form(pattern=r"^\d{1,3}-\d{1,2}$")],
    quote: Annotated[str, Form(max_length=5000)] = "",
    body: Annotated[str, Form(max_length=20_000)] = "",
    start: Annotated[str, Form(pattern=r"^\d{0,6}$")] = "",
    author: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    share = shares.open(token)
    if share is None:
        return _closed(request)
    index, depth = (int(part) for part in answer.split("-"))
    name = viewer.user.username if viewer is not None else author
    try:
        shares.comment(share, index, depth, quote, body, name, int(start) if start else None)
    except InputError as exc:
        # everything the coach typed comes back with the reason, nothing lost
        typed = {"answer": answer, "quote": quote, "body": body, "start": start, "author": author}
        status = 429 if isinstance(exc, TooManyComments) else 422
        return _shared_page(request, coach, repository, shares, share, token, viewer,
                            status=status, notice=str(exc), typed=typed)  # fmt: skip
    return RedirectResponse(f"/shared/{token}#comments", status_code=303)
