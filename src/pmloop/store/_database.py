"""Open the session database, bring its schema up to date, and refuse one we cannot trust.

SQLite under ``PMLOOP_HOME`` by default (WAL, a busy timeout so two terminals can share it);
``PMLOOP_DATABASE_URL`` selects any SQLAlchemy URL instead. The schema is only ever changed by
the ordered Alembic migrations in ``migrations/versions``. A file that is not a database, or a
database written by a newer pmloop, is reported and left untouched.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import NullPool

from pmloop.config import pmloop_home
from pmloop.errors import CorruptDatabaseError, NewerDatabaseError, StoreError

__all__ = ["HEAD_REVISION", "database_url", "open_engine", "revisions"]

HEAD_REVISION = "0013_grader_length"


def database_url() -> str:
    """``PMLOOP_DATABASE_URL``, or a SQLite file in ``PMLOOP_HOME``."""
    from pmloop.settings import get_settings

    explicit = get_settings().database_url
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


def _sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _readonly_sqlite(path: Path) -> Engine:
    """An engine that can only read ``path``: SQLite refuses any write through it."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False),
        poolclass=NullPool,
    )
    event.listen(engine, "handle_error", _on_error(path, str(path)))
    return engine


def open_engine(url: str | None = None, upgrade: bool = True) -> Engine:
    """An engine on an up-to-date database; raises ``StoreError`` rather than damage one.

    The database is examined through a read-only connection first (is it a database, is it
    healthy, did pmloop create it, is its schema one this pmloop knows); only a database that
    passes is opened for writing (WAL mode on SQLite) and migrated. A folder that cannot be
    created, a read-only file system or a full disk is a ``StoreError`` that says so, here and
    on any later write.
    """
    url = url or database_url()
    shown = make_url(url).render_as_string(hide_password=True)
    path = _sqlite_path(url)
    if path is not None:
        if path.exists() and path.is_file() and path.stat().st_size:
            with path.open("rb") as handle:
                if handle.read(16) != b"SQLite format 3\x00":
                    raise CorruptDatabaseError(
                        f"{path} is not a SQLite database; it was left untouched "
                        "(move it away or set PMLOOP_DATABASE_URL to use another)"
                    )
        _make_folder(path.parent)
    engine: Engine | None = None
    try:
        if path is None:
            engine = _engine(url, path)
            current = _examine(engine, shown)
        elif path.exists() and path.stat().st_size:
            checker = _readonly_sqlite(path)
            try:
                current = _examine(checker, shown)
            finally:
                checker.dispose()
        else:
            current = None  # a new database: nothing to examine yet
        if engine is None:
            engine = _engine(url, path)
        if current != HEAD_REVISION:
            if not upgrade:
                raise StoreError(
                    f"the session database is at schema {current}, not {HEAD_REVISION}"
                )
            _upgrade(engine)
    except (DatabaseError, OperationalError) as exc:
        if engine is not None:
            engine.dispose()
        explained = _explain(exc, shown, path)
        if explained is not None:
            raise explained from None
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
        raise CorruptDatabaseError(
            f"the session database at {shown} cannot be read ({_first_line(reason)}); "
            "it was left untouched"
        ) from None
    except StoreError:
        if engine is not None:
            engine.dispose()
        raise
    return engine


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "no reason given"


def _setting(folder: Path) -> str:
    """What the person can change to put the database somewhere else."""
    from pmloop.settings import get_settings

    if get_settings().database_url:
        return "set PMLOOP_DATABASE_URL to a database in a folder pmloop can write"
    return "set PMLOOP_HOME to a folder pmloop can write"


def _make_folder(folder: Path) -> None:
    """Create the database's folder, or say in one line why it cannot be created."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return
    except OSError as exc:
        code = exc.errno
    if code in (errno.EEXIST, errno.ENOTDIR):
        blocking = next((p for p in (folder, *folder.parents) if p.exists()), folder)
        why = f"{blocking} is a file, not a folder"
    elif code == errno.EROFS:
        why = "the file system is read-only"
    elif code in (errno.EACCES, errno.EPERM):
        why = "permission denied"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
    else:
        why = os.strerror(code) if code else "unknown error"
    raise StoreError(f"cannot create {folder} for the session database: {why} ({_setting(folder)})")


def _free_bytes(folder: Path) -> int | None:
    try:
        stats = os.statvfs(folder)
    except OSError:
        return None
    return stats.f_bavail * stats.f_frsize


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


#: Below this much free space, an I/O error on the database is reported as a full disk:
#: SQLite reports ENOSPC as "disk I/O error" when it grows its -shm index file.
_NEARLY_FULL = 1 << 20


def _explain(exc: BaseException, shown: str, path: Path | None) -> StoreError | None:
    """One line for a database the machine cannot write (full, read-only), or None."""
    orig = getattr(exc, "orig", None) or exc
    name = str(getattr(orig, "sqlite_errorname", ""))
    if path is not None and name:
        folder = path.parent
        free = _free_bytes(folder)
        if name == "SQLITE_FULL" or (
            name.startswith("SQLITE_IOERR") and free is not None and free < _NEARLY_FULL
        ):
            return StoreError(
                f"the disk holding {folder} is full, so the session database cannot be "
                "written; free some space and run pmloop again"
            )
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR")) and (
            _read_only(folder)
        ):
            return StoreError(
                f"{folder} is on a read-only file system, so the session database cannot be "
                f"written ({_setting(folder)})"
            )
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
            return StoreError(
                f"the session database at {path} cannot be opened for writing "
                f"({_first_line(str(orig))}; {_setting(folder)})"
            )
        if name.startswith("SQLITE_IOERR"):
            return StoreError(
                f"the session database at {path} could not be read or written: the disk "
                f"reported an I/O error ({_first_line(str(orig))})"
            )
        return None
    if getattr(orig, "sqlstate", None) == "53100":
        return StoreError(f"the database server for {shown} is out of disk space")
    return None


def _on_error(path: Path | None, shown: str) -> Any:
    def handle(context: Any) -> None:
        explained = _explain(context.original_exception, shown, path)
        if explained is not None:
            raise explained from None

    return handle


def _engine(url: str, path: Path | None) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect_sqlite)
    # a full disk or a read-only file system, met by any later read or write, says so
    event.listen(engine, "handle_error", _on_error(path, url_shown(engine)))
    return engine


def url_shown(engine: Engine) -> str:
    """The engine's URL with any password hidden, for messages."""
    return engine.url.render_as_string(hide_password=True)


def _examine(engine: Engine, url: str) -> str | None:
    """The schema revision of a database pmloop may use (None: empty); refuses any other.

    Reads only: nothing here writes to the database.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            check = connection.execute(text("PRAGMA quick_check")).scalar()
            if check != "ok":
                raise CorruptDatabaseError(
                    f"the session database at {url} is damaged ({check}); it was left "
                    "untouched (pmloop export cannot read it either; restore a backup)"
                )
        return _revision(connection, url)


def _revision(connection: Any, url: object) -> str | None:
    tables = set(inspect(connection).get_table_names())
    current = None
    if "alembic_version" in tables:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current is not None and current not in revisions():
        raise NewerDatabaseError(
            f"the session database was written by a newer pmloop (schema {current}); "
            "upgrade pmloop to open it. It was left untouched."
        )
    if current is None and tables - {"alembic_version"}:
        raise StoreError(
            f"the database at {url} holds tables pmloop did not create; "
            "it was left untouched (set PMLOOP_DATABASE_URL to use another)"
        )
    return str(current) if current is not None else None


#: The key of the PostgreSQL advisory lock held while one process creates or migrates the schema.
MIGRATION_LOCK_KEY = 0x706D6C6F6F70  # "pmloop"


def _upgrade(engine: Engine) -> None:
    """Bring the schema to head, one process at a time.

    Several processes may open a new database at once (three terminals on a fresh home, the
    workers of a server). Whoever migrates holds a lock for the whole migration and looks at
    the schema again once it has it: SQLite's write lock (BEGIN IMMEDIATE, with DDL inside the
    same transaction, so nobody sees half a schema), or a PostgreSQL advisory lock. The others
    wait, then find the schema at head and change nothing.
    """
    from alembic import command

    url = url_shown(engine)
    if engine.dialect.name == "sqlite":
        # the driver's own transaction handling would commit each CREATE TABLE on its own
        # and start transactions lazily; here every statement is ours
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as migrating:
            # SQLite rebuilds an altered table by copying it; with foreign keys on, dropping
            # the old copy would cascade into the answers that point at it
            migrating.exec_driver_sql("PRAGMA foreign_keys = OFF")
            migrating.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                if _revision(migrating, url) != HEAD_REVISION:
                    command.upgrade(_alembic_config(migrating), "head")
            except BaseException:
                migrating.exec_driver_sql("ROLLBACK")
                raise
            migrating.exec_driver_sql("COMMIT")
            migrating.exec_driver_sql("PRAGMA foreign_keys = ON")
        return
    with engine.connect() as migrating, migrating.begin():
        if engine.dialect.name == "postgresql":
            # released when this transaction ends
            migrating.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        if _revision(migrating, url) != HEAD_REVISION:
            command.upgrade(_alembic_config(migrating), "head")
