"""Share links and coach comments in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select

from pmloop.errors import InputError, UnknownSessionError
from pmloop.store import (
    MAX_COMMENT_CHARS,
    MAX_COMMENTS_PER_LINK,
    Repository,
    Shares,
    TooManyComments,
    open_repository,
    utcnow,
)
from pmloop.store._database import _alembic_config
from pmloop.store._schema import comments, shares

ANSWER = "First we size the risk. Then we test on real traffic, and we test again."


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = open_repository(database_url)
    yield repository
    repository.engine.dispose()


def _session(repo: Repository) -> str:
    session = repo.create_session("practice", "general", {}, ["q1", "q2"], "offline 1")
    repo.submit(session.id, 0, 0, "q1", "Q?", "question", None, ANSWER)
    repo.submit(session.id, 0, 1, "q1", "Why?", "signal", None, "", skipped=True)
    return session.id


def test_a_link_opens_by_its_token_only_and_stores_its_hash(repo: Repository) -> None:
    shares_ = Shares(repo.engine)
    session_id = _session(repo)
    token, share = shares_.create(session_id)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert shares_.open(token) == share and share.expires_at is None
    assert shares_.open(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert shares_.open("") is None and shares_.open("x" * 500) is None
    with repo.engine.connect() as db:
        stored = db.execute(select(shares.c.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
    other, _ = shares_.create(session_id)
    assert other != token and [s.id for s in shares_.of_session(session_id)] == [
        share.id + 1,
        share.id,
    ]


def test_revoked_and_expired_links_do_not_open(repo: Repository) -> None:
    shares_ = Shares(repo.engine)
    session_id = _session(repo)
    token, share = shares_.create(session_id, days=1)
    assert share.expires_at is not None
    assert shares_.open(token, now=utcnow() + timedelta(hours=23)) is not None
    assert shares_.open(token, now=utcnow() + timedelta(days=1, seconds=1)) is None
    revoked = shares_.revoke(session_id, share.id)
    assert revoked.revoked_at is not None and shares_.open(token) is None
    assert shares_.revoke(session_id, share.id).revoked_at == revoked.revoked_at  # once
    with pytest.raises(InputError, match="1 to 365 days"):
        shares_.create(session_id, days=0)
    with pytest.raises(UnknownSessionError):
        shares_.create("nosuchsession")
    with pytest.raises(UnknownSessionError):
        shares_.revoke("nosuchsession", share.id)  # another session's link is not found


def test_a_comment_is_pinned_to_a_verbatim_span(repo: Repository) -> None:
    shares_ = Shares(repo.engine)
    session_id = _session(repo)
    _, share = shares_.create(session_id)
    second = ANSWER.index("test", ANSWER.index("test") + 1)
    pinned = shares_.comment(share, 0, 0, "test", "Say what you test.", "Ana", start=second)
    assert (pinned.start, pinned.end, pinned.quote) == (second, second + 4, "test")
    assert ANSWER[pinned.start : pinned.end] == pinned.quote
    # a start that does not hold the quote: its nearest occurrence
    moved = shares_.comment(share, 0, 0, "size the risk", "Good.", "", start=50)
    assert ANSWER[moved.start : moved.end] == "size the risk" and moved.author == "Coach"
    listed = shares_.comments(session_id)
    assert [c.quote for c in listed] == ["size the risk", "test"]  # in the answer's order
    assert listed[1].turn_id == repo.get(session_id).turn(0, 0).id  # type: ignore[union-attr]
    for position, quote, body, message in (
        ((0, 0), "not in it", "x", "not in that answer"),
        ((0, 0), "   ", "x", "select or type"),
        ((0, 0), "test", "  ", "write a comment"),
        ((0, 0), "test", "x" * (MAX_COMMENT_CHARS + 1), "at most 2000 characters"),
        ((0, 1), "", "x", "no answer at that position"),  # skipped
        ((1, 0), "test", "x", "no answer at that position"),
    ):
        with pytest.raises(InputError, match=message):
            shares_.comment(share, *position, quote, body, "Ana")
    assert len(shares_.comments(session_id)) == 2


def test_a_link_carries_a_bounded_number_of_comments(repo: Repository) -> None:
    shares_ = Shares(repo.engine)
    session_id = _session(repo)
    _, share = shares_.create(session_id)
    rows = [
        dict(session_id=session_id, turn_id=repo.get(session_id).turns[0].id, share_id=share.id,
             author="A", start=0, end=5, quote="First", body="b", created_at=utcnow())
        for _ in range(MAX_COMMENTS_PER_LINK - 1)
    ]  # fmt: skip
    with repo.engine.begin() as db:
        db.execute(comments.insert(), rows)
    shares_.comment(share, 0, 0, "First", "the last one", "A")
    with pytest.raises(TooManyComments, match="ask the learner for a new link"):
        shares_.comment(share, 0, 0, "First", "one too many", "A")
    _, fresh = shares_.create(session_id)
    shares_.comment(fresh, 0, 0, "First", "a new link has room", "A")


def test_comments_and_links_go_with_their_session(repo: Repository) -> None:
    shares_ = Shares(repo.engine)
    session_id = _session(repo)
    token, share = shares_.create(session_id)
    shares_.comment(share, 0, 0, "First", "b", "A")
    from pmloop.store._schema import sessions

    with repo.engine.begin() as db:
        db.execute(sessions.delete().where(sessions.c.id == session_id))
    assert shares_.open(token) is None and shares_.comments(session_id) == []


def test_the_migration_goes_up_and_down(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0012_shares")
    assert {"shares", "comments"} <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "-1")
    assert not {"shares", "comments"} & set(inspect(engine).get_table_names())
    engine.dispose()
