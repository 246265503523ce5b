"""The review schedule behind ``pmloop drill``: weak questions come back after 1, 3, 7 days."""

import sqlalchemy as sa
from alembic import op

revision = "0002_reviews"
down_revision = "0001_initial"


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("last_level", sa.Integer, nullable=False),
        sa.Column("last_session_id", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reviews")
