"""Several processes opening a database that does not exist yet: one creates it, none fails.

Each round starts fresh processes, waits until every one has imported pmloop and is ready, then
releases them at once; each opens the store (creating and migrating it if it must) and writes a
session. Every process must succeed, and the database must end at the head revision with every
session in it.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pmloop.store import HEAD_REVISION

PROCESSES = 3

CHILD = """
import sys
from pmloop.store import open_repository
print("ready", flush=True)
sys.stdin.readline()
repo = open_repository(sys.argv[1])
repo.create_session("practice", sys.argv[2], {}, ["q"], "offline t")
repo.engine.dispose()
"""


def _race(url: str) -> None:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, url, f"p{i}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:  # release them together
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        failures = []
        for child in children:
            _, err = child.communicate(timeout=60)
            if child.returncode != 0:
                failures.append(err.strip().splitlines()[-1] if err.strip() else "no output")
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    assert failures == [], failures
    engine = create_engine(url)
    with engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        companies = db.execute(text("SELECT company FROM sessions ORDER BY company")).scalars()
        assert list(companies) == [f"p{i}" for i in range(PROCESSES)]
    engine.dispose()


def test_first_run_on_sqlite_from_several_processes(tmp_path: Path) -> None:
    for attempt in range(8):
        _race(f"sqlite:///{tmp_path / f'round{attempt}' / 'pmloop.db'}")


@pytest.mark.parametrize("attempt", range(4))
def test_first_run_on_postgres_from_several_processes(postgres_url: str, attempt: int) -> None:
    _race(postgres_url)
