"""The session store: SQLAlchemy tables, Alembic migrations, and the repository."""

from pmloop.store._accounts import (
    FREE_FAILURES,
    ROLES,
    Accounts,
    Login,
    Throttled,
    User,
    check_password,
    check_username,
)
from pmloop.store._database import HEAD_REVISION, database_url, open_engine, revisions
from pmloop.store._repository import (
    EXPORT_SCHEMA,
    REVIEW_DAYS,
    AskRecord,
    Repository,
    SessionRecord,
    TurnRecord,
    utcnow,
)
from pmloop.store._shares import (
    MAX_COMMENT_CHARS,
    MAX_COMMENTS_PER_LINK,
    CommentRecord,
    ShareRecord,
    Shares,
    TooManyComments,
)

__all__ = [
    "Accounts",
    "AskRecord",
    "CommentRecord",
    "EXPORT_SCHEMA",
    "FREE_FAILURES",
    "HEAD_REVISION",
    "MAX_COMMENT_CHARS",
    "MAX_COMMENTS_PER_LINK",
    "Login",
    "REVIEW_DAYS",
    "ROLES",
    "Repository",
    "SessionRecord",
    "ShareRecord",
    "Shares",
    "Throttled",
    "TooManyComments",
    "TurnRecord",
    "User",
    "check_password",
    "check_username",
    "database_url",
    "open_engine",
    "open_repository",
    "revisions",
    "utcnow",
]


def open_repository(url: str | None = None) -> Repository:
    """A repository on the configured database, its schema brought up to date."""
    return Repository(open_engine(url))
