"""A session's grader name may run to 255 characters.

The name carries the grader's version (``offline 0.1.0+levels.<model>.rules.<hash>.lists.<hash>``),
and an ensemble's or a plugin's may be longer still; PostgreSQL refused names over 64.
SQLite does not hold a VARCHAR to its length, so there is nothing to change there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_grader_length"
down_revision = "0012_shares"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column(
        "sessions",
        "grader",
        type_=sa.String(255),
        existing_type=sa.String(64),
        existing_nullable=False,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column(
        "sessions",
        "grader",
        type_=sa.String(64),
        existing_type=sa.String(255),
        existing_nullable=False,
    )
