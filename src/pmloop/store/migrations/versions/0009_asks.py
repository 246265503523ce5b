"""Ambiguity questions: what the candidate asked before answering, and what they were told."""

import sqlalchemy as sa
from alembic import op

revision = "0009_asks"
down_revision = "0008_self_rating"


def upgrade() -> None:
    op.create_table(
        "asks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.String(32),
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question_index", sa.Integer, nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("ask", sa.Text, nullable=False),
        sa.Column("fact_id", sa.String(60), nullable=True),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_asks_session", "asks", ["session_id", "question_index"])


def downgrade() -> None:
    op.drop_index("ix_asks_session", "asks")
    op.drop_table("asks")
