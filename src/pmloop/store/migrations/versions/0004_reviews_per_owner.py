"""Reviews belong to a learner: on a shared server each learner has their own schedule."""

import sqlalchemy as sa
from alembic import op

revision = "0004_reviews_per_owner"
down_revision = "0003_accounts"


def upgrade() -> None:
    op.create_table(
        "reviews_new",
        sa.Column("owner_key", sa.Integer, nullable=False),  # users.id, or 0 on a local install
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("last_level", sa.Integer, nullable=False),
        sa.Column("last_session_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("owner_key", "question_id", name="pk_reviews"),
    )
    op.execute(
        "INSERT INTO reviews_new (owner_key, question_id, due_at, step, last_level, "
        "last_session_id) SELECT 0, question_id, due_at, step, last_level, last_session_id "
        "FROM reviews"
    )
    op.drop_table("reviews")
    op.rename_table("reviews_new", "reviews")


def downgrade() -> None:
    op.create_table(
        "reviews_old",
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("last_level", sa.Integer, nullable=False),
        sa.Column("last_session_id", sa.String(32), nullable=False),
    )
    op.execute(
        "INSERT INTO reviews_old SELECT question_id, due_at, step, last_level, last_session_id "
        "FROM reviews WHERE owner_key = 0"
    )
    op.drop_table("reviews")
    op.rename_table("reviews_old", "reviews")
