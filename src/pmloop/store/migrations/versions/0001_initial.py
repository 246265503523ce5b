"""Sessions, the answers submitted in them, and drafts of answers being typed."""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("company", sa.String(32), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("grader", sa.String(64), nullable=False),
    )
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.String(32),
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question_index", sa.Integer, nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("probe_kind", sa.String(24), nullable=False),
        sa.Column("probe_target", sa.String(80), nullable=True),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("skipped", sa.Boolean, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("grade", sa.Text, nullable=True),
        sa.Column("level", sa.Integer, nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.UniqueConstraint("session_id", "question_index", "depth", name="uq_turn_position"),
    )
    op.create_index("ix_turns_session", "turns", ["session_id"])
    op.create_table(
        "drafts",
        sa.Column(
            "session_id",
            sa.String(32),
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("question_index", sa.Integer, primary_key=True),
        sa.Column("depth", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("drafts")
    op.drop_index("ix_turns_session", "turns")
    op.drop_table("turns")
    op.drop_table("sessions")
