"""Accounts on the shared coaching server: users, sign-ins and sign-in limits.

Passwords are stored as argon2 hashes; a signed-in browser holds a random token in an
HTTP-only cookie and the store keeps only its sha256, with the CSRF token for that sign-in.

Sign-in limits are kept per (name, address) in the database, so every worker process shares
them. Each attempt is counted, in one transaction that holds the row, *before* its password is
checked: however many requests arrive at once, at most ``FREE_FAILURES`` of them are checked
before the lock starts. After that each further check waits ``FIRST_DELAY``, then twice as long
after every failure, up to ``MAX_DELAY``. A success deletes its own row and nothing else, so
failures under other names, or from other addresses, never hold a person back.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from pmloop.errors import DependencyError, InputError
from pmloop.store._repository import _aware, utcnow
from pmloop.store._schema import logins, reviews, sessions, sign_in_limits, users

__all__ = [
    "FIRST_DELAY",
    "FREE_FAILURES",
    "MAX_DELAY",
    "ROLES",
    "Accounts",
    "Login",
    "Throttled",
    "User",
    "check_password",
    "check_username",
    "common_passwords",
]

ROLES = ("learner", "coach")
LOGIN_DAYS = 14
#: Password length bounds (the sign-in form takes up to 1,024 characters).
MIN_PASSWORD, MAX_PASSWORD = 10, 1024
#: Password checks one name may have from one address before the first wait.
FREE_FAILURES = 5
#: The first wait after those; it doubles after every further failure, up to ``MAX_DELAY``.
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
#: A (name, address) with no attempt for this long starts again from zero.
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class User:
    """An account."""

    id: int
    username: str
    role: str
    cohort: str | None


@dataclass(frozen=True)
class Login:
    """A signed-in browser: who it is and the token its forms must carry."""

    user: User
    csrf: str


@dataclass(frozen=True)
class Throttled:
    """A sign-in refused without checking its password: this name failed too often from here."""

    retry_after: int  # seconds


def _delay(failures: int) -> timedelta | None:
    """How long the next check waits after ``failures`` counted attempts."""
    if failures < FREE_FAILURES:
        return None
    delay: timedelta = FIRST_DELAY * 2 ** (failures - FREE_FAILURES)
    return min(delay, MAX_DELAY)


def _hasher() -> object:
    try:
        from argon2 import PasswordHasher
    except ImportError:
        raise DependencyError("argon2-cffi", "the multi-user server") from None
    return PasswordHasher()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def common_passwords() -> frozenset[str]:
    """The packaged list of common passwords, lower-cased (``data/common_passwords.txt``)."""
    text = resources.files("pmloop.store").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(w for w in text.splitlines() if w and not w.startswith("# "))


_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def check_password(username: str, password: str) -> None:
    """Raise ``InputError`` saying why ``password`` will not do for ``username``."""
    if "\x00" in password:
        raise InputError("a password cannot contain a NUL character")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"a password has at most {MAX_PASSWORD:,} characters")
    lowered, name = password.casefold(), username.strip().casefold()
    if name and name in lowered:
        raise InputError("a password cannot contain the username")
    listed = common_passwords()
    if lowered.strip() in listed:
        raise InputError("that is one of the most common passwords; choose another")
    core = _EDGES.sub("", lowered)
    if core and core in listed:
        raise InputError(
            f"that is a common password ('{core}') with digits or symbols added; choose another"
        )


_USERNAME = re.compile(r"[A-Za-z0-9._@+-]{1,64}")


def check_username(username: str) -> str:
    """The username without surrounding spaces, or ``InputError`` saying why it will not do.

    ASCII letters, digits and ``. _ @ + -`` only: names are unique whatever their case, and
    both databases agree on the case of ASCII letters (SQLite's ``lower`` folds nothing else).
    """
    username = username.strip()
    if not _USERNAME.fullmatch(username):
        raise InputError(
            "a username has 1 to 64 characters: ASCII letters, digits and . _ @ + - only"
        )
    return username


def _named(username: str) -> Any:
    """The condition that picks an account by name, in any case."""
    return func.lower(users.c.username) == func.lower(literal(username.strip()))


class Accounts:
    """Users, sign-ins and failed attempts, in the same database as the sessions."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def add_user(self, username: str, password: str, role: str, cohort: str | None) -> User:
        """Create an account; a taken name (in any case) or a weak password raises
        ``InputError``."""
        username = check_username(username)
        check_password(username, password)
        if role not in ROLES:
            raise InputError(f"role must be one of: {', '.join(ROLES)}")
        if cohort is not None and (not cohort.strip() or len(cohort) > 64 or "\x00" in cohort):
            raise InputError("a cohort has 1 to 64 characters")
        taken = self.find(username)
        if taken is not None:
            raise InputError(
                f"the username '{username}' is taken"
                + (
                    f" (by '{taken.username}': names ignore case)"
                    if taken.username != username
                    else ""
                )
            )
        hashed = _hasher().hash(password)  # type: ignore[attr-defined]
        try:
            with self.engine.begin() as db:
                result = db.execute(
                    insert(users).values(
                        username=username, password_hash=hashed, role=role, cohort=cohort,
                        created_at=utcnow(),
                    )
                )  # fmt: skip
        except IntegrityError:
            raise InputError(f"the username '{username}' is taken") from None
        return User(int(result.inserted_primary_key[0]), username, role, cohort)  # type: ignore[index]

    def find(self, username: str) -> User | None:
        """The account with this name, in any case."""
        with self.engine.connect() as db:
            row = db.execute(select(users).where(_named(username))).first()
        return User(row.id, row.username, row.role, row.cohort) if row else None

    def _existing(self, username: str) -> User:
        user = self.find(username)
        if user is None:
            raise InputError(f"no account is named '{username.strip()}'")
        return user

    def set_password(self, username: str, password: str) -> int:
        """Give an account a new password and end its sign-ins; returns how many ended."""
        user = self._existing(username)
        check_password(user.username, password)
        hashed = _hasher().hash(password)  # type: ignore[attr-defined]
        with self.engine.begin() as db:
            db.execute(update(users).where(users.c.id == user.id).values(password_hash=hashed))
            ended = db.execute(delete(logins).where(logins.c.user_id == user.id)).rowcount
        return int(ended or 0)

    def revoke(self, username: str) -> int:
        """End every sign-in of an account (each browser must sign in again); returns how many."""
        user = self._existing(username)
        with self.engine.begin() as db:
            ended = db.execute(delete(logins).where(logins.c.user_id == user.id)).rowcount
        return int(ended or 0)

    def remove_user(self, username: str) -> tuple[User, int]:
        """Delete an account, its sign-ins and its review schedule. Its sessions are kept,
        without an owner (``pmloop sessions`` still lists them); returns (user, sessions kept)."""
        user = self._existing(username)
        with self.engine.begin() as db:
            kept = db.execute(
                update(sessions).where(sessions.c.owner_id == user.id).values(owner_id=None)
            ).rowcount
            db.execute(delete(logins).where(logins.c.user_id == user.id))
            db.execute(delete(reviews).where(reviews.c.owner_key == user.id))
            db.execute(delete(users).where(users.c.id == user.id))
        return user, int(kept or 0)

    def user(self, user_id: int) -> User | None:
        """The account with this id."""
        with self.engine.connect() as db:
            row = db.execute(select(users).where(users.c.id == user_id)).first()
        return User(row.id, row.username, row.role, row.cohort) if row else None

    def cohort(self, cohort: str) -> list[User]:
        """The learners of a cohort."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(users)
                .where((users.c.cohort == cohort) & (users.c.role == "learner"))
                .order_by(users.c.username)
            ).all()
        return [User(r.id, r.username, r.role, r.cohort) for r in rows]

    def sign_in(
        self, username: str, password: str, address: str
    ) -> tuple[str, Login] | Throttled | None:
        """A new sign-in token and login when the password is right; ``Throttled`` when this
        name has failed too often from this address (the password is then not checked);
        None when it is wrong (already counted)."""
        from argon2.exceptions import VerificationError

        name, address = username.strip().lower()[:64], address[:64]
        wait = self._reserve(name, address)
        if wait is not None:
            return wait
        with self.engine.connect() as db:
            row = db.execute(select(users).where(_named(username))).first()
        hasher = _hasher()
        ok = False
        if row is not None:
            try:
                ok = bool(hasher.verify(row.password_hash, password))  # type: ignore[attr-defined]
            except VerificationError:
                ok = False
        else:
            hasher.hash(password)  # type: ignore[attr-defined]  # same work for unknown names
        if not ok or row is None:
            return None
        now = self.clock()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            db.execute(delete(sign_in_limits).where(_limit_key(name, address)))
            db.execute(
                insert(logins).values(
                    token_hash=_digest(token), user_id=row.id, csrf=csrf, created_at=now,
                    expires_at=now + timedelta(days=LOGIN_DAYS),
                )
            )  # fmt: skip
        return token, Login(User(row.id, row.username, row.role, row.cohort), csrf)

    def _reserve(self, name: str, address: str) -> Throttled | None:
        """Count one attempt for (name, address) unless it must wait; atomic across processes.

        The row is written before it is read: on SQLite the first write of a transaction takes
        the database's write lock, on Postgres ``FOR UPDATE`` holds the row, so two workers can
        never both read the same count.
        """
        now = self.clock()
        with self.engine.connect() as db:  # the common case in a burst: refused without a lock
            locked_until = db.execute(
                select(sign_in_limits.c.locked_until).where(_limit_key(name, address))
            ).scalar()
        if locked_until is not None and _aware(locked_until) > now:
            return Throttled(max(1, math.ceil((_aware(locked_until) - now).total_seconds())))
        with self.engine.begin() as db:
            _insert_if_missing(
                db, username=name, address=address, failures=0, locked_until=None,
                last_attempt_at=now,
            )  # fmt: skip
            row = db.execute(
                select(sign_in_limits).where(_limit_key(name, address)).with_for_update()
            ).one()
            if row.locked_until is not None and _aware(row.locked_until) > now:
                wait = (_aware(row.locked_until) - now).total_seconds()
                return Throttled(max(1, math.ceil(wait)))
            fresh = _aware(row.last_attempt_at) < now - FORGET_AFTER
            failures = (0 if fresh else row.failures) + 1
            delay = _delay(failures)
            db.execute(
                update(sign_in_limits)
                .where(_limit_key(name, address))
                .values(
                    failures=failures,
                    locked_until=now + delay if delay else None,
                    last_attempt_at=now,
                )
            )
            # rows nobody has used for a day no longer limit anything
            db.execute(
                delete(sign_in_limits).where(sign_in_limits.c.last_attempt_at < now - FORGET_AFTER)
            )
        return None

    def resolve(self, token: str | None) -> Login | None:
        """The login behind a cookie's token, if it exists and has not expired."""
        if not token:
            return None
        with self.engine.connect() as db:
            row = db.execute(
                select(logins, users)
                .join(users, users.c.id == logins.c.user_id)
                .where(logins.c.token_hash == _digest(token))
            ).first()
        if row is None or _aware(row.expires_at) < self.clock():
            return None
        return Login(User(row.user_id, row.username, row.role, row.cohort), row.csrf)

    def sign_out(self, token: str | None) -> None:
        """Forget a sign-in."""
        if token:
            with self.engine.begin() as db:
                db.execute(delete(logins).where(logins.c.token_hash == _digest(token)))


def _limit_key(name: str, address: str) -> Any:
    return (sign_in_limits.c.username == name) & (sign_in_limits.c.address == address)


def _insert_if_missing(db: Connection, **values: Any) -> None:
    """Insert a sign-in limit row unless its (name, address) already has one."""
    dialect = db.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        db.execute(postgresql.insert(sign_in_limits).values(**values).on_conflict_do_nothing())
        return
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        db.execute(sqlite.insert(sign_in_limits).values(**values).on_conflict_do_nothing())
        return
    try:
        with db.begin_nested():
            db.execute(insert(sign_in_limits).values(**values))
    except IntegrityError:
        pass
