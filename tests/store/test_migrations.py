"""Migrations upgrade an empty database and one from each earlier revision, keeping data."""

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from pmloop.store import HEAD_REVISION, open_repository, revisions
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
                "INSERT INTO sessions VALUES ('old1', '2026-01-01 10:00:00', '2026-01-01 10:00:00',"
                " 'active', 'practice', 'general', '{}', '[\"q\"]', 'offline 0')"
            )
            db.execute(
                "INSERT INTO turns (session_id, question_index, depth, question_id, prompt,"
                " probe_kind, answer, skipped, submitted_at) VALUES ('old1', 0, 0, 'q', 'Q?',"
                " 'question', 'kept answer', 0, '2026-01-01 10:01:00')"
            )
        repo = open_repository(f"sqlite:///{path}")
        assert repo.get("old1").turns[0].answer == "kept answer"
        repo.record_review("q", 1, "old1")  # the newest table works too
