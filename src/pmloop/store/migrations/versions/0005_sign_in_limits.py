"""Sign-in limits per (name, address): one row each, reserved before the password is checked.

Replaces the log of failed attempts, which was counted before a check and written after it,
so concurrent sign-ins all read the same count.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_sign_in_limits"
down_revision = "0004_reviews_per_owner"


def upgrade() -> None:
    op.create_table(
        "sign_in_limits",
        sa.Column("username", sa.String(64), nullable=False),  # lower case, as typed
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", "address", name="pk_sign_in_limits"),
    )
    op.create_index("ix_sign_in_limits_last_attempt", "sign_in_limits", ["last_attempt_at"])
    op.drop_index("ix_login_attempts_username_at", "login_attempts")
    op.drop_table("login_attempts")


def downgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    op.drop_index("ix_sign_in_limits_last_attempt", "sign_in_limits")
    op.drop_table("sign_in_limits")
