"""Reading and writing sessions. Every write is its own committed transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, true, update
from sqlalchemy.exc import IntegrityError

from pmloop.errors import AnswerExistsError, InputError, UnknownSessionError
from pmloop.store._schema import (
    GRADER_NAME_LENGTH,
    asks,
    drafts,
    reviews,
    sessions,
    turns,
    users,
)

__all__ = [
    "EXPORT_SCHEMA",
    "REVIEW_DAYS",
    "AskRecord",
    "Repository",
    "SessionRecord",
    "TurnRecord",
    "utcnow",
]

EXPORT_SCHEMA = "pmloop.export/1"
#: Days until a weak answer's question comes back, for each successive review.
REVIEW_DAYS = (1, 3, 7)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class TurnRecord:
    """One submitted answer (to a question or a follow-up) and, once graded, its grade."""

    id: int
    session_id: str
    question_index: int
    depth: int
    question_id: str
    prompt: str
    probe_kind: str
    probe_target: str | None
    answer: str
    skipped: bool
    submitted_at: datetime
    grade: dict[str, Any] | None
    level: int | None
    score: float | None
    idempotency_key: str | None = None
    #: the level the candidate predicted before seeing the grade (self-calibration)
    self_level: int | None = None
    #: how the answer arrived: typed, scripted or voice (None: stored before pmloop knew)
    source: str | None = None
    #: a spoken answer: the recording's seconds, the transcript as heard, the delivery read
    audio_seconds: float | None = None
    transcript: str | None = None
    delivery: dict[str, Any] | None = None


@dataclass(frozen=True)
class AskRecord:
    """One question the candidate asked of an ambiguity question, and the reply."""

    question_index: int
    depth: int
    ask: str
    fact_id: str | None
    reply: str


@dataclass(frozen=True)
class SessionRecord:
    """A stored practice loop with every answer submitted in it."""

    id: str
    created_at: datetime
    updated_at: datetime
    status: str
    kind: str
    company: str
    settings: dict[str, Any]
    plan: list[str]
    grader: str
    turns: tuple[TurnRecord, ...] = field(default=())
    owner_id: int | None = None
    asks: tuple[AskRecord, ...] = field(default=())

    def asked(self, question_index: int) -> list[AskRecord]:
        """The asks made of this question, in order."""
        return [a for a in self.asks if a.question_index == question_index]

    def turn(self, question_index: int, depth: int) -> TurnRecord | None:
        """The answer at this position, if one was submitted."""
        for t in self.turns:
            if t.question_index == question_index and t.depth == depth:
                return t
        return None


class Repository:
    """All reads and writes of sessions, answers, drafts and reviews."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # sessions -------------------------------------------------------------------------------
    def create_session(
        self,
        kind: str,
        company: str,
        settings: dict[str, Any],
        plan: Sequence[str],
        grader: str,
        owner_id: int | None = None,
    ) -> SessionRecord:
        """Store a new active session and return it."""
        now = utcnow()
        session_id = uuid.uuid4().hex[:12]
        with self.engine.begin() as db:
            db.execute(
                insert(sessions).values(
                    id=session_id,
                    created_at=now,
                    updated_at=now,
                    status="active",
                    kind=kind,
                    company=company,
                    settings=json.dumps(settings),
                    plan=json.dumps(list(plan)),
                    # the column's width; a plugin's name past it keeps its start, not the session
                    grader=grader[:GRADER_NAME_LENGTH],
                    owner_id=owner_id,
                )
            )
        return self.get(session_id)

    def finish(self, session_id: str) -> None:
        """Mark a session finished."""
        with self.engine.begin() as db:
            db.execute(
                update(sessions)
                .where(sessions.c.id == session_id)
                .values(status="finished", updated_at=utcnow())
            )

    def get(self, session_id: str, owners: Sequence[int] | None = None) -> SessionRecord:
        """The session with this id (a unique prefix is enough), with its answers.

        With ``owners`` only their sessions are looked at, so whether a prefix is unique is
        decided among them alone. The id is matched as written: ``%`` and ``_`` are characters.
        """
        scope = sessions.c.owner_id.in_(list(owners)) if owners is not None else true()
        with self.engine.connect() as db:
            rows = db.execute(select(sessions).where(scope, sessions.c.id == session_id)).all()
            if not rows and session_id:
                rows = db.execute(
                    select(sessions)
                    .where(scope, sessions.c.id.startswith(session_id, autoescape=True))
                    .limit(2)
                ).all()
            if len(rows) != 1:
                raise UnknownSessionError(
                    f"no session '{session_id}'" if not rows else f"'{session_id}' is ambiguous"
                )
            row = rows[0]
            turn_rows = db.execute(
                select(turns)
                .where(turns.c.session_id == row.id)
                .order_by(turns.c.question_index, turns.c.depth)
            ).all()
            ask_rows = db.execute(
                select(asks).where(asks.c.session_id == row.id).order_by(asks.c.id)
            ).all()
        return replace(
            _session(row, turn_rows),
            asks=tuple(
                AskRecord(a.question_index, a.depth, a.ask, a.fact_id, a.reply) for a in ask_rows
            ),
        )

    def list_sessions(
        self, limit: int | None = None, owners: Sequence[int] | None = None
    ) -> list[SessionRecord]:
        """Sessions, newest first, with their answers (only these owners' when given)."""
        with self.engine.connect() as db:
            query = select(sessions).order_by(sessions.c.created_at.desc())
            if owners is not None:
                query = query.where(sessions.c.owner_id.in_(list(owners)))
            if limit:
                query = query.limit(limit)
            rows = db.execute(query).all()
            ids = [r.id for r in rows]
            turn_rows = (
                db.execute(
                    select(turns)
                    .where(turns.c.session_id.in_(ids))
                    .order_by(turns.c.question_index, turns.c.depth)
                ).all()
                if ids
                else []
            )
        by_session: dict[str, list[Any]] = {}
        for t in turn_rows:
            by_session.setdefault(t.session_id, []).append(t)
        return [_session(r, by_session.get(r.id, [])) for r in rows]

    def latest_unfinished(self) -> SessionRecord | None:
        """The most recent session that was not finished, if any."""
        with self.engine.connect() as db:
            row = db.execute(
                select(sessions.c.id)
                .where(sessions.c.status == "active")
                .order_by(sessions.c.updated_at.desc())
                .limit(1)
            ).first()
        return self.get(row.id) if row else None

    def recent_question_ids(self, sessions_back: int = 5, owner_id: int | None = None) -> set[str]:
        """Questions asked in the last few sessions (of one owner), so a new loop can avoid them."""
        with self.engine.connect() as db:
            recent_query = select(sessions.c.id).order_by(sessions.c.created_at.desc())
            if owner_id is not None:
                recent_query = recent_query.where(sessions.c.owner_id == owner_id)
            recent = recent_query.limit(sessions_back).subquery()
            rows = db.execute(
                select(turns.c.question_id).where(turns.c.session_id.in_(select(recent.c.id)))
            ).all()
            plans = db.execute(
                select(sessions.c.plan).where(sessions.c.id.in_(select(recent.c.id)))
            )
            planned = {q for (plan,) in plans for q in json.loads(plan)}
        return {r.question_id for r in rows} | planned

    # answers --------------------------------------------------------------------------------
    def save_draft(self, session_id: str, question_index: int, depth: int, text: str) -> None:
        """Keep what the user has typed so far for this answer."""
        now = utcnow()
        key = _draft_key(session_id, question_index, depth)
        with self.engine.begin() as db:
            changed = db.execute(update(drafts).where(key).values(text=text, updated_at=now))
            if not changed.rowcount:
                db.execute(
                    insert(drafts).values(
                        session_id=session_id,
                        question_index=question_index,
                        depth=depth,
                        text=text,
                        updated_at=now,
                    )
                )

    def add_ask(
        self,
        session_id: str,
        question_index: int,
        depth: int,
        ask: str,
        fact_id: str | None,
        reply: str,
    ) -> None:
        """Keep an ask made of an ambiguity question and the reply it got."""
        now = utcnow()
        with self.engine.begin() as db:
            db.execute(
                insert(asks).values(
                    session_id=session_id,
                    question_index=question_index,
                    depth=depth,
                    ask=ask,
                    fact_id=fact_id,
                    reply=reply,
                    asked_at=now,
                )
            )
            db.execute(update(sessions).where(sessions.c.id == session_id).values(updated_at=now))

    def draft(self, session_id: str, question_index: int, depth: int) -> str | None:
        """The saved draft for this answer, if any."""
        with self.engine.connect() as db:
            return db.execute(
                select(drafts.c.text).where(_draft_key(session_id, question_index, depth))
            ).scalar()

    def submit(
        self,
        session_id: str,
        question_index: int,
        depth: int,
        question_id: str,
        prompt: str,
        probe_kind: str,
        probe_target: str | None,
        answer: str,
        skipped: bool = False,
        idempotency_key: str | None = None,
        self_level: int | None = None,
        source: str = "typed",
        audio_seconds: float | None = None,
        transcript: str | None = None,
        delivery: dict[str, Any] | None = None,
    ) -> int:
        """Commit a submitted answer (before any grading) and drop its draft; returns its id.

        ``idempotency_key`` is the client's name for this submission, kept with the answer.
        ``self_level`` is the level the candidate predicted for it, when given with the answer.
        ``source`` says how it arrived (typed, scripted, voice); a spoken answer also keeps its
        recording's length, its transcript as heard and its delivery read.
        """
        now = utcnow()
        with self.engine.begin() as db:
            try:
                result = db.execute(
                    insert(turns).values(
                        session_id=session_id,
                        question_index=question_index,
                        depth=depth,
                        question_id=question_id,
                        prompt=prompt,
                        probe_kind=probe_kind,
                        probe_target=probe_target,
                        answer=answer,
                        skipped=skipped,
                        submitted_at=now,
                        idempotency_key=idempotency_key,
                        self_level=self_level,
                        source=source,
                        audio_seconds=audio_seconds,
                        transcript=transcript,
                        delivery=json.dumps(delivery) if delivery is not None else None,
                    )
                )
            except IntegrityError:
                raise AnswerExistsError(
                    f"session '{session_id}' already has an answer at question "
                    f"{question_index + 1}, follow-up {depth}"
                ) from None
            db.execute(delete(drafts).where(_draft_key(session_id, question_index, depth)))
            db.execute(update(sessions).where(sessions.c.id == session_id).values(updated_at=now))
            turn_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        return int(turn_id or 0)

    def attach_grade(
        self, turn_id: int, grade: dict[str, Any], review: tuple[str, str] | None = None
    ) -> bool:
        """Store the grade of a submitted answer, once; True if this call stored it.

        With ``review`` (question id, session id) the review schedule moves in the same
        transaction, and only when the grade is stored: an answer that two requests grade at
        the same time advances its question's schedule once.
        """
        for attempt in range(3):
            try:
                with self.engine.begin() as db:
                    stored = db.execute(
                        update(turns)
                        .where(turns.c.id == turn_id, turns.c.grade.is_(None))
                        .values(grade=json.dumps(grade), level=grade["level"], score=grade["score"])
                    ).rowcount
                    if stored and review is not None:
                        _record_review(db, review[0], int(grade["level"]), review[1])
                return bool(stored)
            except IntegrityError:
                # another answer scheduled the same review at the same moment: try again
                if attempt == 2:
                    raise
        return False  # pragma: no cover - the loop returns or raises

    def rate(self, turn_id: int, level: int) -> None:
        """Store the level the candidate predicted for an answer (1-4) before seeing its grade."""
        if not 1 <= level <= 4:
            raise InputError("a self-rating is a level from 1 (below bar) to 4 (senior)")
        with self.engine.begin() as db:
            db.execute(update(turns).where(turns.c.id == turn_id).values(self_level=level))

    # reviews --------------------------------------------------------------------------------
    def record_review(self, question_id: str, level: int, session_id: str) -> None:
        """Schedule, advance or retire the review of a question for the session's owner."""
        for attempt in range(3):
            try:
                with self.engine.begin() as db:
                    _record_review(db, question_id, level, session_id)
                return
            except IntegrityError:
                # another request scheduled the same review at the same moment: read it again
                if attempt == 2:
                    raise

    def due_reviews(self, now: datetime | None = None, owner_id: int | None = None) -> list[str]:
        """Questions due for review for this owner (None: a local install), most overdue first."""
        now = now or utcnow()
        with self.engine.connect() as db:
            rows = db.execute(
                select(reviews)
                .where(reviews.c.owner_key == (owner_id or 0))
                .order_by(reviews.c.due_at)
            ).all()
        return [r.question_id for r in rows if _aware(r.due_at) <= now]

    # export / import ------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """Every session and review as one JSON-ready object; owners by username."""
        with self.engine.connect() as db:
            review_rows = db.execute(select(reviews)).all()
            names = {r.id: r.username for r in db.execute(select(users.c.id, users.c.username))}
            ask_rows = db.execute(select(asks).order_by(asks.c.id)).all()
        asked: dict[str, list[dict[str, Any]]] = {}
        for a in ask_rows:
            asked.setdefault(a.session_id, []).append(
                {
                    "question_index": a.question_index,
                    "depth": a.depth,
                    "ask": a.ask,
                    "fact_id": a.fact_id,
                    "reply": a.reply,
                    "asked_at": _aware(a.asked_at).isoformat(),
                }
            )
        return {
            "schema": EXPORT_SCHEMA,
            "sessions": [
                {
                    **_session_json(s),
                    "asks": asked.get(s.id, []),
                    "owner": names.get(s.owner_id) if s.owner_id else None,
                }
                for s in reversed(self.list_sessions())
            ],
            "reviews": [
                {
                    "owner": names.get(r.owner_key) if r.owner_key else None,
                    "question_id": r.question_id,
                    "due_at": _aware(r.due_at).isoformat(),
                    "step": r.step,
                    "last_level": r.last_level,
                    "last_session_id": r.last_session_id,
                }
                for r in review_rows
            ],
        }

    def missing_owners(self, data: dict[str, Any]) -> list[str]:
        """Usernames that own sessions or reviews in an export but have no account here."""
        wanted = _export_owners(data)
        if not wanted:
            return []
        with self.engine.connect() as db:
            found = set(
                db.execute(select(users.c.username).where(users.c.username.in_(wanted))).scalars()
            )
        return sorted(wanted - found)

    def import_(self, data: dict[str, Any], missing_owners: str = "refuse") -> tuple[int, int]:
        """Add the sessions of an export that are not here yet; returns (added, already here).

        Owners are matched by username. An owner with no account here stops the import with
        nothing imported (``missing_owners="refuse"``), or their sessions and reviews come in
        without an owner, as local ones (``"unowned"``). An export without owners (written
        before pmloop exported them) comes in as local sessions.
        """
        if missing_owners not in ("refuse", "unowned"):
            raise InputError("missing_owners must be 'refuse' or 'unowned'")
        missing = self.missing_owners(data)
        if missing and missing_owners == "refuse":
            who = ", ".join(f"'{name}'" for name in missing)
            raise InputError(
                f"the export has sessions of {who}, who have no account here; add them first "
                "(pmloop users add NAME) or import with --missing-owners unowned to keep their "
                "sessions without an owner; nothing was imported"
            )
        added = skipped = 0
        with self.engine.begin() as db:
            ids = {r.username: r.id for r in db.execute(select(users.c.id, users.c.username))}
            existing = {r.id for r in db.execute(select(sessions.c.id)).all()}
            for item in data["sessions"]:
                if item["id"] in existing:
                    skipped += 1
                    continue
                db.execute(
                    insert(sessions).values(
                        id=item["id"],
                        created_at=datetime.fromisoformat(item["created_at"]),
                        updated_at=datetime.fromisoformat(item["updated_at"]),
                        status=item["status"],
                        kind=item["kind"],
                        company=item["company"],
                        settings=json.dumps(item["settings"]),
                        plan=json.dumps(item["plan"]),
                        grader=item["grader"],
                        owner_id=ids.get(item.get("owner")),
                    )
                )
                for t in item["turns"]:
                    db.execute(
                        insert(turns).values(
                            session_id=item["id"],
                            question_index=t["question_index"],
                            depth=t["depth"],
                            question_id=t["question_id"],
                            prompt=t["prompt"],
                            probe_kind=t["probe_kind"],
                            probe_target=t["probe_target"],
                            answer=t["answer"],
                            skipped=t["skipped"],
                            submitted_at=datetime.fromisoformat(t["submitted_at"]),
                            grade=json.dumps(t["grade"]) if t["grade"] is not None else None,
                            level=t["level"],
                            score=t["score"],
                            self_level=t.get("self_level"),
                            source=t.get("source"),
                            audio_seconds=t.get("audio_seconds"),
                            transcript=t.get("transcript"),
                            delivery=json.dumps(t["delivery"]) if t.get("delivery") else None,
                        )
                    )
                for a in item.get("asks", []):  # absent from exports written before asks
                    fact_id = a["fact_id"]
                    if not isinstance(a["ask"], str) or not isinstance(fact_id, (str, type(None))):
                        raise ValueError(f"an ask of session {item['id']} is malformed")
                    db.execute(
                        insert(asks).values(
                            session_id=item["id"],
                            question_index=int(a["question_index"]),
                            depth=int(a["depth"]),
                            ask=a["ask"],
                            fact_id=fact_id,
                            reply=str(a["reply"]),
                            asked_at=datetime.fromisoformat(a["asked_at"]),
                        )
                    )
                added += 1
            present = {
                (r.owner_key, r.question_id)
                for r in db.execute(select(reviews.c.owner_key, reviews.c.question_id)).all()
            }
            for r in data.get("reviews", []):
                # an export without owners carried raw ids from another database: local
                owner_key = ids.get(r.get("owner"), 0)
                if (owner_key, r["question_id"]) not in present:
                    present.add((owner_key, r["question_id"]))
                    db.execute(
                        insert(reviews).values(
                            owner_key=owner_key,
                            question_id=r["question_id"],
                            due_at=datetime.fromisoformat(r["due_at"]),
                            step=r["step"],
                            last_level=r["last_level"],
                            last_session_id=r["last_session_id"],
                        )
                    )
        return added, skipped

    def count_sessions(self) -> int:
        """How many sessions are stored."""
        with self.engine.connect() as db:
            return int(db.execute(select(func.count()).select_from(sessions)).scalar() or 0)


def _export_owners(data: dict[str, Any]) -> set[str]:
    """Every username an export names as an owner; a malformed owner is a ValueError."""
    names = set()
    for item in [*data["sessions"], *data.get("reviews", [])]:
        owner = item.get("owner")
        if owner is not None and not isinstance(owner, str):
            raise ValueError(f"owner {owner!r} is not a username")
        if owner:
            names.add(owner)
    return names


def _record_review(db: Any, question_id: str, level: int, session_id: str) -> None:
    """Within the transaction ``db``: schedule, advance or retire one review."""
    now = utcnow()
    owner = db.execute(select(sessions.c.owner_id).where(sessions.c.id == session_id)).scalar()
    key = (reviews.c.owner_key == (owner or 0)) & (reviews.c.question_id == question_id)
    row = db.execute(select(reviews).where(key)).first()
    if level <= 2:
        values = dict(
            due_at=now + timedelta(days=REVIEW_DAYS[0]),
            step=0,
            last_level=level,
            last_session_id=session_id,
        )
    elif row is None:
        return
    elif row.step + 1 >= len(REVIEW_DAYS):
        db.execute(delete(reviews).where(key))
        return
    else:
        step = row.step + 1
        values = dict(
            due_at=now + timedelta(days=REVIEW_DAYS[step]),
            step=step,
            last_level=level,
            last_session_id=session_id,
        )
    if row is None:
        db.execute(insert(reviews).values(owner_key=owner or 0, question_id=question_id, **values))
    else:
        db.execute(update(reviews).where(key).values(**values))


def _draft_key(session_id: str, question_index: int, depth: int) -> Any:
    """The condition that picks one answer's draft."""
    return (
        (drafts.c.session_id == session_id)
        & (drafts.c.question_index == question_index)
        & (drafts.c.depth == depth)
    )


def _turn(row: Any) -> TurnRecord:
    return TurnRecord(
        id=row.id,
        session_id=row.session_id,
        question_index=row.question_index,
        depth=row.depth,
        question_id=row.question_id,
        prompt=row.prompt,
        probe_kind=row.probe_kind,
        probe_target=row.probe_target,
        answer=row.answer,
        skipped=bool(row.skipped),
        submitted_at=_aware(row.submitted_at),
        grade=json.loads(row.grade) if row.grade else None,
        level=row.level,
        score=row.score,
        idempotency_key=row.idempotency_key,
        self_level=getattr(row, "self_level", None),
        source=getattr(row, "source", None),
        audio_seconds=getattr(row, "audio_seconds", None),
        transcript=getattr(row, "transcript", None),
        delivery=json.loads(row.delivery) if getattr(row, "delivery", None) else None,
    )


def _session(row: Any, turn_rows: Sequence[Any]) -> SessionRecord:
    return SessionRecord(
        id=row.id,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        status=row.status,
        kind=row.kind,
        company=row.company,
        settings=json.loads(row.settings),
        plan=json.loads(row.plan),
        grader=row.grader,
        turns=tuple(_turn(t) for t in turn_rows),
        owner_id=row.owner_id,
    )


def _session_json(session: SessionRecord) -> dict[str, Any]:
    return {
        "id": session.id,
        "created_at": session.created_at.isoformat(),
        "updated_at": session.updated_at.isoformat(),
        "status": session.status,
        "kind": session.kind,
        "company": session.company,
        "settings": session.settings,
        "plan": session.plan,
        "grader": session.grader,
        "turns": [
            {
                "question_index": t.question_index,
                "depth": t.depth,
                "question_id": t.question_id,
                "prompt": t.prompt,
                "probe_kind": t.probe_kind,
                "probe_target": t.probe_target,
                "answer": t.answer,
                "skipped": t.skipped,
                "submitted_at": t.submitted_at.isoformat(),
                "grade": t.grade,
                "level": t.level,
                "score": t.score,
                "self_level": t.self_level,
                "source": t.source,
                "audio_seconds": t.audio_seconds,
                "transcript": t.transcript,
                "delivery": t.delivery,
            }
            for t in session.turns
        ],
    }
