"""A database pmloop refuses is read, never written: not a byte of it, and no file beside it.

The files here are in SQLite's rollback-journal mode, as another application (or an older
copy of a database) leaves them: bytes 18 and 19 of the header are 1 and 1. Opening one in WAL
mode would rewrite them to 2 and 2, and leave -wal and -shm files next to it.
"""

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from pmloop.errors import CorruptDatabaseError, NewerDatabaseError, StoreError
from pmloop.store import open_repository


def _rollback_mode(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def _pmloop_database(path: Path, sessions: int = 0) -> None:
    repo = open_repository(f"sqlite:///{path}")
    for _ in range(sessions):
        repo.create_session("practice", "general", {"minutes": 4}, ["q-a"] * 20, "offline t")
    repo.engine.dispose()
    _rollback_mode(path)


def _damaged(path: Path) -> None:
    _pmloop_database(path, sessions=60)
    data = bytearray(path.read_bytes())
    assert len(data) > 4096 * 4
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)  # scribble over table pages
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        db.executemany("INSERT INTO invoices (total) VALUES (?)", [(i * 1.5,) for i in range(50)])
    db.close()


def _newer(path: Path) -> None:
    _pmloop_database(path, sessions=3)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    db.close()


CASES: dict[str, tuple[Callable[[Path], None], type[StoreError], str]] = {
    "damaged": (_damaged, StoreError, "damaged|cannot be read"),
    "foreign tables": (_foreign, StoreError, "did not create"),
    "newer schema": (_newer, NewerDatabaseError, "newer pmloop"),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_database_is_not_changed_at_all(tmp_path: Path, case: str) -> None:
    make, error, message = CASES[case]
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "app.db"
    make(path)
    before = _snapshot(folder)
    assert before[path.name][18:20] == b"\x01\x01"  # rollback-journal mode, as written
    assert list(before) == [path.name]
    with pytest.raises(error, match=message):
        open_repository(f"sqlite:///{path}")
    after = _snapshot(folder)
    assert list(after) == [path.name], "files appeared beside the refused database"
    assert after[path.name][18:20] == b"\x01\x01", "the header was switched to WAL"
    assert after == before


def test_a_file_that_is_not_sqlite_is_not_changed(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"plain text, not a database\n" * 200)
    before = _snapshot(tmp_path)
    with pytest.raises(CorruptDatabaseError, match="left untouched"):
        open_repository(f"sqlite:///{path}")
    assert _snapshot(tmp_path) == before


def test_another_apps_database_named_by_the_url_stays_as_it_was(
    pmloop_cli: Callable, tmp_path: Path
) -> None:
    path = tmp_path / "accounting.db"
    _foreign(path)
    before = _snapshot(tmp_path)
    for command in (("sessions",), ("export",)):
        run = pmloop_cli(*command, env={"PMLOOP_DATABASE_URL": f"sqlite:///{path}"})
        assert run.code == 1 and "did not create" in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    assert _snapshot(tmp_path) == before


def test_a_healthy_pmloop_database_is_still_opened_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "pmloop.db"
    _pmloop_database(path, sessions=2)
    repo = open_repository(f"sqlite:///{path}")
    assert len(repo.list_sessions()) == 2
    with repo.engine.connect() as db:
        assert db.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    repo.engine.dispose()
    assert os.path.getsize(path) > 0 and path.read_bytes()[18:20] == b"\x02\x02"
