"""Share links to one session, and a coach's comments on quoted spans of its answers.

A link's token is 256 random bits, shown once to the learner who creates it; only its SHA-256
is stored, so the database alone opens no link. A link is refused once revoked or past its
expiry, exactly as if it had never existed. A comment is pinned to one answer by the answer's
id, the character offsets of the span and the span itself, which must be a verbatim substring
of that answer.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from pmloop.errors import InputError, UnknownSessionError
from pmloop.store._repository import utcnow
from pmloop.store._schema import comments, sessions, shares, turns

__all__ = [
    "MAX_COMMENT_CHARS",
    "MAX_COMMENTS_PER_LINK",
    "MAX_QUOTE_CHARS",
    "CommentRecord",
    "ShareRecord",
    "Shares",
    "TooManyComments",
]

#: The longest comment a coach can leave, in characters.
MAX_COMMENT_CHARS = 2_000
#: The longest span a comment can quote, in characters.
MAX_QUOTE_CHARS = 1_000
#: Comments one link can carry; a link passed around cannot fill the learner's database.
MAX_COMMENTS_PER_LINK = 200
#: The longest a link can be set to live.
MAX_DAYS = 365


class TooManyComments(InputError):  # noqa: N818 - an input error, named for what it says
    """A link already carries as many comments as it may."""


@dataclass(frozen=True)
class ShareRecord:
    """A link to one session (never its token: only its hash is kept)."""

    id: int
    session_id: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def open_at(self, now: datetime) -> bool:
        """True when the link opens at ``now``: not revoked and not expired."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True)
class CommentRecord:
    """A coach's comment on the span ``quote`` = ``answer[start:end]`` of one answer."""

    id: int
    session_id: str
    turn_id: int
    question_index: int
    depth: int
    author: str
    start: int
    end: int
    quote: str
    body: str
    created_at: datetime


def token_hash(token: str) -> str:
    """The stored form of a link's token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _share(row: Any) -> ShareRecord:
    return ShareRecord(
        id=row.id,
        session_id=row.session_id,
        created_at=_aware(row.created_at) or utcnow(),
        expires_at=_aware(row.expires_at),
        revoked_at=_aware(row.revoked_at),
    )


def locate(answer: str, quote: str, start: int | None = None) -> tuple[int, str]:
    """Where ``quote`` is in ``answer``, and the span there: at ``start`` when it is there,
    else its occurrence nearest to ``start`` (the first without one). A page shows a
    browser's CR LF line breaks as LF, so a quote matches across either kind of break.
    An ``InputError`` when it is not there."""
    if not quote.strip():
        raise InputError("select or type the words of the answer the comment is about")
    if len(quote) > MAX_QUOTE_CHARS:
        raise InputError(f"a quote has at most {MAX_QUOTE_CHARS} characters; quote less")
    plain = quote.replace("\r\n", "\n")
    for candidate in dict.fromkeys((quote, plain, plain.replace("\n", "\r\n"))):
        if start is not None and 0 <= start and answer[start : start + len(candidate)] == candidate:
            return start, candidate
        found, at = [], answer.find(candidate)
        while at != -1:
            found.append(at)
            at = answer.find(candidate, at + 1)
        if found:
            best = min(found, key=lambda i: abs(i - start)) if start is not None else found[0]
            return best, candidate
    raise InputError("the quoted words are not in that answer; copy them exactly from it")


class Shares:
    """Creating, opening and revoking share links; adding and listing comments."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, session_id: str, days: float | None = None) -> tuple[str, ShareRecord]:
        """A new link to the session: its token (shown once, never stored) and its record."""
        if days is not None and not 0 < days <= MAX_DAYS:
            raise InputError(f"a link lives from 1 to {MAX_DAYS} days, or until revoked")
        token = secrets.token_urlsafe(32)  # 256 bits
        now = utcnow()
        with self.engine.begin() as db:
            if db.execute(select(sessions.c.id).where(sessions.c.id == session_id)).first() is None:
                raise UnknownSessionError(f"no session '{session_id}'")
            result = db.execute(
                insert(shares).values(
                    session_id=session_id,
                    token_hash=token_hash(token),
                    created_at=now,
                    expires_at=now + timedelta(days=days) if days is not None else None,
                    revoked_at=None,
                )
            )
            share_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return token, self.get(session_id, share_id)

    def get(self, session_id: str, share_id: int) -> ShareRecord:
        """One link of a session; an ``UnknownSessionError`` when it has no such link."""
        with self.engine.connect() as db:
            row = db.execute(
                select(shares).where(shares.c.id == share_id, shares.c.session_id == session_id)
            ).first()
        if row is None:
            raise UnknownSessionError(f"session '{session_id}' has no link {share_id}")
        return _share(row)

    def of_session(self, session_id: str) -> list[ShareRecord]:
        """Every link made for a session, newest first, revoked and expired ones included."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(shares)
                .where(shares.c.session_id == session_id)
                .order_by(shares.c.created_at.desc(), shares.c.id.desc())
            ).all()
        return [_share(r) for r in rows]

    def open(self, token: str, now: datetime | None = None) -> ShareRecord | None:
        """The link this token opens, or None: unknown, revoked and expired alike."""
        if not token or len(token) > 128:
            return None
        with self.engine.connect() as db:
            row = db.execute(select(shares).where(shares.c.token_hash == token_hash(token))).first()
        share = _share(row) if row is not None else None
        return share if share is not None and share.open_at(now or utcnow()) else None

    def revoke(self, session_id: str, share_id: int) -> ShareRecord:
        """Close a link for good; revoking it again changes nothing."""
        with self.engine.begin() as db:
            db.execute(
                update(shares)
                .where(
                    shares.c.id == share_id,
                    shares.c.session_id == session_id,
                    shares.c.revoked_at.is_(None),
                )
                .values(revoked_at=utcnow())
            )
        return self.get(session_id, share_id)

    def comment(
        self,
        share: ShareRecord,
        question_index: int,
        depth: int,
        quote: str,
        body: str,
        author: str,
        start: int | None = None,
    ) -> CommentRecord:
        """Pin a comment to the span ``quote`` of the answer at this position (through a link)."""
        body = body.strip()
        if not body:
            raise InputError("write a comment first")
        if len(body) > MAX_COMMENT_CHARS:
            raise InputError(
                f"a comment has at most {MAX_COMMENT_CHARS} characters (this one has "
                f"{len(body)}); shorten it or split it in two"
            )
        author = " ".join(author.split())[:64] or "Coach"
        with self.engine.begin() as db:
            turn = db.execute(
                select(turns.c.id, turns.c.answer, turns.c.skipped).where(
                    turns.c.session_id == share.session_id,
                    turns.c.question_index == question_index,
                    turns.c.depth == depth,
                )
            ).first()
            if turn is None or turn.skipped:
                raise InputError("there is no answer at that position to comment on")
            at, quote = locate(turn.answer, quote, start)
            count = db.execute(
                select(func.count()).select_from(comments).where(comments.c.share_id == share.id)
            ).scalar()
            if int(count or 0) >= MAX_COMMENTS_PER_LINK:
                raise TooManyComments(
                    f"this link already carries {MAX_COMMENTS_PER_LINK} comments, the most it "
                    "can; ask the learner for a new link"
                )
            result = db.execute(
                insert(comments).values(
                    session_id=share.session_id,
                    turn_id=turn.id,
                    share_id=share.id,
                    author=author,
                    start=at,
                    end=at + len(quote),
                    quote=quote,
                    body=body,
                    created_at=utcnow(),
                )
            )
            comment_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return next(c for c in self.comments(share.session_id) if c.id == comment_id)

    def comments(self, session_id: str) -> list[CommentRecord]:
        """A session's comments, in the order of its answers, then of their spans."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(comments, turns.c.question_index, turns.c.depth)
                .join(turns, turns.c.id == comments.c.turn_id)
                .where(comments.c.session_id == session_id)
                .order_by(turns.c.question_index, turns.c.depth, comments.c.start, comments.c.id)
            ).all()
        return [
            CommentRecord(
                id=r.id,
                session_id=r.session_id,
                turn_id=r.turn_id,
                question_index=r.question_index,
                depth=r.depth,
                author=r.author,
                start=r.start,
                end=r.end,
                quote=r.quote,
                body=r.body,
                created_at=_aware(r.created_at) or utcnow(),
            )
            for r in rows
        ]
