"""Accounts on the shared coaching server: users, sign-ins and rate limiting.

Passwords are stored as argon2 hashes; a signed-in browser holds a random token in an
HTTP-only cookie and the store keeps only its sha256, with the CSRF token for that sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from pmloop.errors import DependencyError, InputError
from pmloop.store._repository import _aware, utcnow
from pmloop.store._schema import login_attempts, logins, users

__all__ = ["ROLES", "Accounts", "Login", "User"]

ROLES = ("learner", "coach")
LOGIN_DAYS = 14


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


def _hasher() -> object:
    try:
        from argon2 import PasswordHasher
    except ImportError:
        raise DependencyError("argon2-cffi", "the multi-user server") from None
    return PasswordHasher()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Users, sign-ins and failed attempts, in the same database as the sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_user(self, username: str, password: str, role: str, cohort: str | None) -> User:
        """Create an account; a taken name or a short password raises ``InputError``."""
        username = username.strip()
        if not username or len(username) > 64:
            raise InputError("a username has 1 to 64 characters")
        if len(password) < 10:
            raise InputError("a password needs at least 10 characters")
        if role not in ROLES:
            raise InputError(f"role must be one of: {', '.join(ROLES)}")
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

    def recent_failures(self, username: str, address: str, minutes: int = 15) -> tuple[int, int]:
        """Failed sign-ins in the last ``minutes``: (for this username, from this address)."""
        since = utcnow() - timedelta(minutes=minutes)
        with self.engine.connect() as db:
            by_name = db.execute(
                select(func.count()).where(
                    (login_attempts.c.username == username) & (login_attempts.c.at >= since)
                )
            ).scalar()
            by_address = db.execute(
                select(func.count()).where(
                    (login_attempts.c.address == address) & (login_attempts.c.at >= since)
                )
            ).scalar()
        return int(by_name or 0), int(by_address or 0)

    def sign_in(self, username: str, password: str, address: str) -> tuple[str, Login] | None:
        """A new sign-in token and login when the password is right, else None (and counted)."""
        from argon2.exceptions import VerificationError

        with self.engine.connect() as db:
            row = db.execute(select(users).where(users.c.username == username)).first()
        hasher = _hasher()
        ok = False
        if row is not None:
            try:
                ok = bool(hasher.verify(row.password_hash, password))  # type: ignore[attr-defined]
            except VerificationError:
                ok = False
        else:
            hasher.hash(password)  # type: ignore[attr-defined]  # same work for unknown names
        now = utcnow()
        if not ok or row is None:
            with self.engine.begin() as db:
                # attempts older than a day no longer count towards any limit
                db.execute(
                    delete(login_attempts).where(login_attempts.c.at < now - timedelta(days=1))
                )
                db.execute(
                    insert(login_attempts).values(username=username, address=address, at=now)
                )
            return None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            db.execute(
                insert(logins).values(
                    token_hash=_digest(token), user_id=row.id, csrf=csrf, created_at=now,
                    expires_at=now + timedelta(days=LOGIN_DAYS),
                )
            )  # fmt: skip
        return token, Login(User(row.id, row.username, row.role, row.cohort), csrf)

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
        if row is None or _aware(row.expires_at) < utcnow():
            return None
        return Login(User(row.user_id, row.username, row.role, row.cohort), row.csrf)

    def sign_out(self, token: str | None) -> None:
        """Forget a sign-in."""
        if token:
            with self.engine.begin() as db:
                db.execute(delete(logins).where(logins.c.token_hash == _digest(token)))
