"""The store on real SQLite files: committed answers, drafts, reviews, export, bad databases."""

import json
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from pmloop.errors import (
    AnswerExistsError,
    CorruptDatabaseError,
    NewerDatabaseError,
    StoreError,
    UnknownSessionError,
)
from pmloop.store import HEAD_REVISION, Repository, open_engine, open_repository, utcnow


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pmloop.db'}"


def _session(repo: Repository) -> str:
    return repo.create_session(
        "practice", "general", {"minutes": 4}, ["q-a", "q-b"], "offline t"
    ).id


def test_a_submitted_answer_is_on_disk_before_any_grade(tmp_path: Path) -> None:
    repo = open_repository(_url(tmp_path))
    session_id = _session(repo)
    repo.submit(session_id, 0, 0, "q-a", "Question?", "question", None, "my answer")
    # a separate connection, as another process would see it
    row = (
        sqlite3.connect(tmp_path / "pmloop.db")
        .execute("SELECT answer, grade FROM turns WHERE session_id = ?", (session_id,))
        .fetchone()
    )
    assert row == ("my answer", None)


def test_drafts_are_kept_until_the_answer_is_submitted(tmp_path: Path) -> None:
    repo = open_repository(_url(tmp_path))
    session_id = _session(repo)
    repo.save_draft(session_id, 0, 0, "first words")
    repo.save_draft(session_id, 0, 0, "first words and more")
    assert repo.draft(session_id, 0, 0) == "first words and more"
    repo.submit(session_id, 0, 0, "q-a", "Q?", "question", None, "first words and more")
    assert repo.draft(session_id, 0, 0) is None


def test_the_same_position_cannot_be_answered_twice(tmp_path: Path) -> None:
    repo = open_repository(_url(tmp_path))
    session_id = _session(repo)
    repo.submit(session_id, 0, 0, "q-a", "Q?", "question", None, "one")
    with pytest.raises(AnswerExistsError):
        repo.submit(session_id, 0, 0, "q-a", "Q?", "question", None, "two")


def test_sessions_by_prefix_and_unknown_ids(tmp_path: Path) -> None:
    repo = open_repository(_url(tmp_path))
    session_id = _session(repo)
    assert repo.get(session_id[:6]).id == session_id
    with pytest.raises(UnknownSessionError):
        repo.get("zzzzzz")


def test_reviews_come_back_after_1_3_and_7_days(tmp_path: Path) -> None:
    repo = open_repository(_url(tmp_path))
    now = utcnow()
    repo.record_review("q-a", 2, "s1")
    assert repo.due_reviews(now) == []
    assert repo.due_reviews(now + timedelta(days=1, minutes=1)) == ["q-a"]
    repo.record_review("q-a", 3, "s2")  # better: next review in 3 days
    assert repo.due_reviews(now + timedelta(days=2)) == []
    assert repo.due_reviews(now + timedelta(days=3, minutes=1)) == ["q-a"]
    repo.record_review("q-a", 4, "s3")  # 7 days
    assert repo.due_reviews(now + timedelta(days=7, minutes=1)) == ["q-a"]
    repo.record_review("q-a", 3, "s4")  # passed all three: retired
    assert repo.due_reviews(now + timedelta(days=30)) == []
    repo.record_review("q-b", 4, "s5")  # strong first time: never scheduled
    assert repo.due_reviews(now + timedelta(days=30)) == []


def test_export_and_import_round_trip(tmp_path: Path) -> None:
    source = open_repository(f"sqlite:///{tmp_path / 'a.db'}")
    session_id = _session(source)
    turn = source.submit(session_id, 0, 0, "q-a", "Q?", "question", None, "answer")
    source.attach_grade(turn, {"level": 3, "score": 60.0, "schema": "pmloop.grade/1"})
    source.record_review("q-a", 1, session_id)
    data = json.loads(json.dumps(source.export()))
    target = open_repository(f"sqlite:///{tmp_path / 'b.db'}")
    assert target.import_(data) == (1, 0)
    assert target.import_(data) == (0, 1)
    copy = target.get(session_id)
    assert copy.turns[0].answer == "answer" and copy.turns[0].level == 3
    assert target.due_reviews(utcnow() + timedelta(days=2)) == ["q-a"]


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    url = _url(tmp_path)
    open_repository(url)  # create the schema once
    errors: list[Exception] = []

    def loop(name: str) -> None:
        try:
            repo = open_repository(url)
            session_id = repo.create_session("practice", name, {}, ["q"] * 40, "offline t").id
            for i in range(40):
                repo.save_draft(session_id, i, 0, f"{name} draft {i}")
                repo.submit(session_id, i, 0, "q", "Q?", "question", None, f"{name} answer {i}")
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=(n,)) for n in ("left", "right")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    repo = open_repository(url)
    sessions = repo.list_sessions()
    assert sorted(s.company for s in sessions) == ["left", "right"]
    for session in sessions:
        assert [t.answer for t in session.turns] == [
            f"{session.company} answer {i}" for i in range(40)
        ]


def test_a_corrupt_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "pmloop.db"
    garbage = b"this is not a database at all" * 100
    path.write_bytes(garbage)
    with pytest.raises(CorruptDatabaseError, match="left untouched"):
        open_engine(f"sqlite:///{path}")
    assert path.read_bytes() == garbage


def test_a_damaged_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "pmloop.db"
    repo = open_repository(f"sqlite:///{path}")
    for _ in range(30):
        _session(repo)
    repo.engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)  # scribble over the table pages
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StoreError):
        open_engine(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pmloop.db"
    open_repository(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer pmloop"):
        open_engine(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="did not create"):
        open_engine(f"sqlite:///{path}")


def test_head_revision_is_the_last_migration() -> None:
    from pmloop.store import revisions

    assert revisions()[-1] == HEAD_REVISION


def test_reviews_are_kept_per_learner(tmp_path: Path) -> None:
    from pmloop.store import Accounts

    repo = open_repository(_url(tmp_path))
    accounts = Accounts(repo.engine)
    ana = accounts.add_user("ana", "long enough password", "learner", None)
    ben = accounts.add_user("ben", "long enough password", "learner", None)
    ana_session = repo.create_session("practice", "general", {}, ["q-a"], "t", owner_id=ana.id)
    ben_session = repo.create_session("practice", "general", {}, ["q-a"], "t", owner_id=ben.id)
    repo.record_review("q-a", 1, ana_session.id)
    repo.record_review("q-a", 4, ben_session.id)  # ben did well: nothing scheduled for him
    later = utcnow() + timedelta(days=2)
    assert repo.due_reviews(later, owner_id=ana.id) == ["q-a"]
    assert repo.due_reviews(later, owner_id=ben.id) == []
    assert repo.due_reviews(later) == []  # the local, ownerless schedule is separate
