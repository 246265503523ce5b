"""Open the session database, bring its schema up to date, and refuse one we cannot trust.

SQLite under ``PMLOOP_HOME`` by default (WAL, a busy timeout so two terminals can share it);
``PMLOOP_DATABASE_URL`` selects any SQLAlchemy URL instead. The schema is only ever changed by
the ordered Alembic migrations in ``migrations/versions``. A file that is not a database, or a
database written by a newer pmloop, is reported and left untouched.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from pmloop.config import pmloop_home
from pmloop.errors import CorruptDatabaseError, NewerDatabaseError, StoreError

__all__ = ["HEAD_REVISION", "database_url", "open_engine", "revisions"]

HEAD_REVISION = "0007_idempotency_keys"


def database_url() -> str:
    """``PMLOOP_DATABASE_URL``, or a SQLite file in ``PMLOOP_HOME``."""
    explicit = os.environ.get("PMLOOP_DATABASE_URL")
    if explicit:
        return explicit
    return f"sqlite:///{pmloop_home() / 'pmloop.db'}"


def _migrations() -> Path:
    return Path(str(resources.files("pmloop.store").joinpath("migrations")))


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_migrations()))
    config.attributes["connection"] = connection
    return config


def revisions() -> list[str]:
    """Every migration this pmloop knows, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(_migrations()))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _on_connect_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def open_engine(url: str | None = None, upgrade: bool = True) -> Engine:
    """An engine on an up-to-date database; raises ``StoreError`` rather than damage one."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if path.exists() and path.is_file() and path.stat().st_size:
            with path.open("rb") as handle:
                if handle.read(16) != b"SQLite format 3\x00":
                    raise CorruptDatabaseError(
                        f"{path} is not a SQLite database; it was left untouched "
                        "(move it away or set PMLOOP_DATABASE_URL to use another)"
                    )
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect_sqlite)
    try:
        _check_and_upgrade(engine, upgrade)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
        raise CorruptDatabaseError(
            f"the session database at {url} cannot be read ({reason}); it was left untouched"
        ) from None
    return engine


def _check_and_upgrade(engine: Engine, upgrade: bool) -> None:
    known = revisions()
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            check = connection.execute(text("PRAGMA quick_check")).scalar()
            if check != "ok":
                raise CorruptDatabaseError(
                    f"the session database at {engine.url} is damaged ({check}); it was left "
                    "untouched (pmloop export cannot read it either; restore a backup)"
                )
        tables = set(inspect(connection).get_table_names())
        current = None
        if "alembic_version" in tables:
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if current is not None and current not in known:
            raise NewerDatabaseError(
                f"the session database was written by a newer pmloop (schema {current}); "
                "upgrade pmloop to open it. It was left untouched."
            )
        if current is None and tables - {"alembic_version"}:
            raise StoreError(
                f"the database at {engine.url} holds tables pmloop did not create; "
                "it was left untouched (set PMLOOP_DATABASE_URL to use another)"
            )
        if current != known[-1]:
            if not upgrade:
                raise StoreError(f"the session database is at schema {current}, not {known[-1]}")
            from alembic import command

            sqlite = engine.dialect.name == "sqlite"
            with engine.connect() as migrating:
                if sqlite:
                    # SQLite rebuilds an altered table by copying it; with foreign keys on,
                    # dropping the old copy would cascade into the answers that point at it
                    migrating.exec_driver_sql("PRAGMA foreign_keys = OFF")
                    migrating.commit()
                with migrating.begin():
                    command.upgrade(_alembic_config(migrating), "head")
                if sqlite:
                    migrating.exec_driver_sql("PRAGMA foreign_keys = ON")
                    migrating.commit()
