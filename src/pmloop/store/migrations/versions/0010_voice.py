"""Spoken answers: how each answer arrived (typed, scripted, voice), the recording's length, the
transcript as heard, and the delivery read (JSON) beside the grade."""

import sqlalchemy as sa
from alembic import op

revision = "0010_voice"
down_revision = "0009_asks"


COLUMNS = (
    ("source", sa.String(16)),
    ("audio_seconds", sa.Float),
    ("transcript", sa.Text),
    ("delivery", sa.Text),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("turns", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35 and later, PostgreSQL): no table copy
    for name, _ in reversed(COLUMNS):
        op.drop_column("turns", name)
