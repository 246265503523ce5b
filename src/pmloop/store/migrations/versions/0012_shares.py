"""Share links to one session for a coach, and the coach's comments on quoted spans."""

import sqlalchemy as sa
from alembic import op

revision = "0012_shares"
down_revision = "0009_asks"


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.String(32),
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_shares_session", "shares", ["session_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.String(32),
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "turn_id", sa.Integer, sa.ForeignKey("turns.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "share_id", sa.Integer, sa.ForeignKey("shares.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_comments_session", "comments", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_comments_session", "comments")
    op.drop_table("comments")
    op.drop_index("ix_shares_session", "shares")
    op.drop_table("shares")
