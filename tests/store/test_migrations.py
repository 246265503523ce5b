"""Migrations upgrade an empty database and one from each earlier revision, keeping data."""

import sqlite3
from datetime import timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from pmloop.store import HEAD_REVISION, open_repository, revisions, utcnow
from pmloop.store._database import _alembic_config
from pmloop.store._schema import metadata


def _at_revision(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)
    engine.dispose()


def _columns(path: Path) -> dict[str, set[str]]:
    inspector = inspect(create_engine(f"sqlite:///{path}"))
    return {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}


def test_an_empty_database_is_created_at_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_repository(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    expected = {t.name: {c.name for c in t.columns} for t in metadata.sorted_tables}
    found = _columns(path)
    for table, columns in expected.items():
        assert found[table] == columns, table


def test_every_earlier_revision_upgrades_and_keeps_its_sessions(tmp_path: Path) -> None:
    for revision in revisions()[:-1]:
        path = tmp_path / f"{revision}.db"
        _at_revision(path, revision)
        with sqlite3.connect(path) as db:
            db.execute(
                "INSERT INTO sessions (id, created_at, updated_at, status, kind, company, settings,"
                " plan, grader) VALUES ('old1', '2026-01-01 10:00:00', '2026-01-01 10:00:00',"
                " 'active', 'practice', 'general', '{}', '[\"q\"]', 'offline 0')"
            )
            db.execute(
                "INSERT INTO turns (session_id, question_index, depth, question_id, prompt,"
                " probe_kind, answer, skipped, submitted_at) VALUES ('old1', 0, 0, 'q', 'Q?',"
                " 'question', 'kept answer', 0, '2026-01-01 10:01:00')"
            )
            if revision >= "0002":
                # the columns this revision's reviews table has, filled from one known row
                row = {"owner_id": 0, "owner_key": 0, "question_id": "q-old",
                       "due_at": "2026-01-02 10:00:00", "step": 0, "last_level": 1,
                       "last_session_id": "old1"}  # fmt: skip
                columns = [c[1] for c in db.execute("PRAGMA table_info(reviews)")]
                assert set(columns) <= set(row), (revision, columns)
                db.execute(
                    f"INSERT INTO reviews ({', '.join(columns)})"
                    f" VALUES ({', '.join('?' * len(columns))})",
                    [row[c] for c in columns],
                )
        repo = open_repository(f"sqlite:///{path}")
        assert repo.get("old1").turns[0].answer == "kept answer", revision
        if revision >= "0002":
            assert repo.due_reviews(utcnow() + timedelta(days=400)) == ["q-old"], revision
        repo.record_review("q", 1, "old1")  # the newest tables work too
