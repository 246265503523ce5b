"""Accounts for the shared coaching server: users, logins, login attempts, session owners."""

import sqlalchemy as sa
from alembic import op

revision = "0003_accounts"
down_revision = "0002_reviews"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("cohort", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "logins",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_sessions_owner", "users", ["owner_id"], ["id"])
        batch.create_index("ix_sessions_owner", ["owner_id"])


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_index("ix_sessions_owner")
        batch.drop_constraint("fk_sessions_owner", type_="foreignkey")
        batch.drop_column("owner_id")
    op.drop_index("ix_login_attempts_username_at", "login_attempts")
    op.drop_table("login_attempts")
    op.drop_table("logins")
    op.drop_table("users")
