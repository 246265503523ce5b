"""An answer keeps the idempotency key it was submitted with, so a retry of the same submission
gets the stored result back instead of a conflict. Earlier answers have none."""

import sqlalchemy as sa
from alembic import op

revision = "0007_idempotency_keys"
down_revision = "0006_usernames_ignore_case"


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("idempotency_key")
