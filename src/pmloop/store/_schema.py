"""The tables. Changing them means a new migration under ``migrations/versions``."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "GRADER_NAME_LENGTH",
    "asks",
    "comments",
    "drafts",
    "logins",
    "metadata",
    "reviews",
    "sessions",
    "shares",
    "sign_in_limits",
    "turns",
    "users",
]

metadata = MetaData()

#: How long a session's grader name (with its version) may be (migration 0013_grader_length).
GRADER_NAME_LENGTH = 255

#: One practice loop: its settings, its planned questions, and where it stands.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # active, finished
    Column("kind", String(16), nullable=False),  # practice, drill
    Column("company", String(32), nullable=False),
    Column("settings", Text, nullable=False),  # JSON: competencies, minutes, feedback, seed
    Column("plan", Text, nullable=False),  # JSON list of question ids
    Column("grader", String(GRADER_NAME_LENGTH), nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=True),  # multi-user mode only
)

#: Every answer as it was submitted, committed before it is graded; the grade follows.
turns = Table(
    "turns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("question_index", Integer, nullable=False),
    Column("depth", Integer, nullable=False),  # 0 the question, 1-3 follow-ups
    Column("question_id", String(80), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("probe_kind", String(24), nullable=False),  # question, signal, term, flag, pressure
    Column("probe_target", String(80), nullable=True),
    Column("answer", Text, nullable=False),
    Column("skipped", Boolean, nullable=False, default=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("grade", Text, nullable=True),  # JSON, schema pmloop.grade/1
    Column("level", Integer, nullable=True),
    Column("score", Float, nullable=True),
    # the key the client sent with the submission: a retry with it gets this turn back
    Column("idempotency_key", String(64), nullable=True),
    # the level (1-4) the candidate predicted before seeing the grade; null when not given
    Column("self_level", Integer, nullable=True),
    # how the answer arrived: typed, scripted or voice (null: stored before pmloop knew)
    Column("source", String(16), nullable=True),
    # a spoken answer: the recording's length, the transcript as heard (fillers and all), and
    # the delivery read (JSON, the grade's ``speech`` object); ``answer`` is what was graded
    Column("audio_seconds", Float, nullable=True),
    Column("transcript", Text, nullable=True),
    Column("delivery", Text, nullable=True),
    UniqueConstraint("session_id", "question_index", "depth", name="uq_turn_position"),
)

#: Ambiguity questions: each ask before (or between) answers, the fact it matched and the reply.
asks = Table(
    "asks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("question_index", Integer, nullable=False),
    Column("depth", Integer, nullable=False),  # the answer it was asked before
    Column("ask", Text, nullable=False),
    Column("fact_id", String(60), nullable=True),  # null: "We don't know that."
    Column("reply", Text, nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Index("ix_asks_session", "session_id", "question_index"),
)

#: What the user is typing, saved as they type, so a killed terminal loses at most a second.
drafts = Table(
    "drafts",
    metadata,
    Column(
        "session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("question_index", Integer, primary_key=True),
    Column("depth", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

#: Questions answered below strong, brought back after 1, 3 and 7 days by ``pmloop drill``;
#: each learner has their own schedule (``owner_key`` is the user id, 0 on a local install).
reviews = Table(
    "reviews",
    metadata,
    Column("owner_key", Integer, primary_key=True),
    Column("question_id", String(80), primary_key=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("step", Integer, nullable=False),  # 0, 1, 2: the 1-, 3- and 7-day reviews
    Column("last_level", Integer, nullable=False),
    Column("last_session_id", String(32), nullable=False),
)

#: Accounts on a shared coaching server: learners, and coaches who see their cohort's progress.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # learner, coach
    Column("cohort", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: Signed-in browsers: only a hash of the cookie's token is stored, with the CSRF token.
logins = Table(
    "logins",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

#: Sign-in attempts per (lower-case name, address), shared by every worker: an attempt is
#: counted here, in one transaction, before its password is checked; a success deletes the row.
sign_in_limits = Table(
    "sign_in_limits",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("address", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("last_attempt_at", DateTime(timezone=True), nullable=False),
)

#: Read-only links to one session for a coach: only a hash of the link's token is stored.
shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the token, hex
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),  # null: until revoked
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_shares_session", "session_id"),
)

#: A coach's comment on a quoted span of one answer: ``quote`` is ``answer[start:end]``.
comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(32), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("turn_id", Integer, ForeignKey("turns.id", ondelete="CASCADE"), nullable=False),
    # the link it came through; kept (null) when the link is deleted with its session
    Column("share_id", Integer, ForeignKey("shares.id", ondelete="SET NULL"), nullable=True),
    Column("author", String(64), nullable=False),
    Column("start", Integer, nullable=False),  # character offsets into the answer
    Column("end", Integer, nullable=False),
    Column("quote", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_comments_session", "session_id"),
)
