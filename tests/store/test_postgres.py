"""The store on a real Postgres server (PMLOOP_TEST_POSTGRES_URL; ./test starts one as root)."""

import threading
from datetime import timedelta

from sqlalchemy import text

from pmloop.store import HEAD_REVISION, Repository, open_repository, utcnow


def test_migrations_reach_head_and_the_repository_works(postgres_url: str) -> None:
    repo = open_repository(postgres_url)
    with repo.engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    session = repo.create_session("practice", "general", {"minutes": 4}, ["q"], "offline t")
    repo.save_draft(session.id, 0, 0, "draft")
    turn = repo.submit(session.id, 0, 0, "q", "Q?", "question", None, "answer")
    repo.attach_grade(turn, {"level": 2, "score": 40.0})
    repo.record_review("q", 2, session.id)
    stored = repo.get(session.id)
    assert stored.turns[0].answer == "answer" and stored.turns[0].level == 2
    assert repo.draft(session.id, 0, 0) is None
    assert repo.due_reviews(utcnow() + timedelta(days=2)) == ["q"]
    copy = open_repository(postgres_url)  # reopening an up-to-date database changes nothing
    assert copy.get(session.id).turns[0].answer == "answer"
    copy.engine.dispose()
    repo.engine.dispose()


def test_concurrent_writers_lose_nothing(postgres_url: str) -> None:
    open_repository(postgres_url).engine.dispose()
    errors: list[Exception] = []

    def loop(name: str) -> None:
        try:
            repo: Repository = open_repository(postgres_url)
            session_id = repo.create_session("practice", name, {}, ["q"] * 30, "t").id
            for i in range(30):
                repo.save_draft(session_id, i, 0, f"{name} {i}")
                repo.submit(session_id, i, 0, "q", "Q?", "question", None, f"{name} answer {i}")
            repo.engine.dispose()
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = open_repository(postgres_url)
    sessions = check.list_sessions()
    assert sorted(s.company for s in sessions) == [f"w{i}" for i in range(4)]
    for session in sessions:
        assert [t.answer for t in session.turns] == [
            f"{session.company} answer {i}" for i in range(30)
        ]
    check.engine.dispose()


def test_a_long_grader_name_is_kept_after_upgrading_from_the_last_revision(
    postgres_url: str,
) -> None:
    """Grader names carry their version and grew past 64 characters; a database made before
    0013 widens the column and keeps its sessions."""
    from alembic import command
    from sqlalchemy import create_engine

    from pmloop.store._database import _alembic_config

    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0012_shares")
        connection.execute(
            text(
                "INSERT INTO sessions (id, created_at, updated_at, status, kind, company, "
                "settings, plan, grader) VALUES ('old1', now(), now(), 'active', 'practice', "
                "'general', '{}', '[\"q\"]', 'offline 0')"
            )
        )
    engine.dispose()
    repo = open_repository(postgres_url)
    name = "offline 0.1.0+levels.4-labeled1484-adversarial672.rules.d56425b2.lists.c0772954"
    ensemble = f"ensemble({name}, llm 0.1.0+openai-compatible:some-long-model-name-q4)"
    assert len(ensemble) > 128
    session = repo.create_session("practice", "general", {}, ["q"], ensemble)
    assert repo.get(session.id).grader == ensemble
    assert repo.get("old1").grader == "offline 0"
    # a plugin's name past the column keeps its start rather than losing the session
    plugin = "plugin " + "x" * 400
    long = repo.create_session("practice", "general", {}, ["q"], plugin)
    assert repo.get(long.id).grader == plugin[:255]
    repo.engine.dispose()
