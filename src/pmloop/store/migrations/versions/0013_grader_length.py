"""A session's grader name may run to 255 characters.

The name carries the grader's version (``offline 0.1.0+levels.<model>.rules.<hash>.lists.<hash>``),
and an ensemble's or a plugin's may be longer still; PostgreSQL refused names over 64.
SQLite does not hold a VARCHAR to its length, so there is nothing to change there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_grader_length"
down_revision = "0012_shares"


def _grader_width(width: int, was: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column(
        "sessions",
        "grader",
        type_=sa.String(width),
        existing_type=sa.String(was),
        existing_nullable=False,
    )


def upgrade() -> None:
    _grader_width(255, was=64)


def downgrade() -> None:
    _grader_width(64, was=255)
