"""Self-calibration: the level a candidate predicted for an answer before seeing its grade."""

import sqlalchemy as sa
from alembic import op

revision = "0008_self_rating"
down_revision = "0007_idempotency_keys"


def upgrade() -> None:
    op.add_column("turns", sa.Column("self_level", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("self_level")
